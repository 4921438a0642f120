"""Price estimates in a visitor's currency: "≈ US$4.90", always labelled, never charged.

The visitor picks a currency with ?cur= (remembered in a cookie); without a choice, English readers
see US dollars, Chinese readers yuan and Korean readers won; Vietnamese readers see no estimate.
Only currencies the office has given a rate for are offered.
"""
from __future__ import annotations

import time
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from babel.numbers import get_currency_precision
from flask import current_app, g, has_request_context, request
from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.exc import SQLAlchemyError

from shop import shared_cache
from shop.currency.models import DisplayRate
from shop.errors import ShopError
from shop.extensions import db
from shop.formats import format_foreign
from shop.i18n import current_language
from shop.security import cookie_secure

COOKIE = "cur"


class BadRate(ShopError):
    message = _l("%(currency)s: enter how many đồng one unit is worth, e.g. 25400 (up to 1.000.000), or leave it empty.")


def rates() -> dict[str, Decimal]:
    """Currency → VND per unit, for the currencies offered that have a rate (re-read once a minute per worker, and
    at once after any catalogue change; with Redis, read once per change for every worker and host)."""
    if has_request_context() and "display_rates" in g:
        return g.display_rates
    cache = current_app.extensions.setdefault("display_rates", {})
    version = shared_cache.version()  # an office's rate edit on any host makes every host read the rates again
    if cache.get("until", 0) <= time.monotonic() or cache.get("version") != version:
        seconds = current_app.config["DISPLAY_RATE_CACHE_SECONDS"]
        # With Redis one worker reads them per change, for every host; a failed read is not shared.
        read = shared_cache.shared_value("display_rates", _read_rates, seconds) if seconds else _read_rates()
        cache.update(rates={code: Decimal(rate) for code, rate in (read or {}).items()}, version=version,
                     until=time.monotonic() + seconds)
    if has_request_context():
        g.display_rates = cache["rates"]
    return cache["rates"]


def _read_rates() -> dict[str, str] | None:
    """Currency → VND per unit as text (JSON for the shared store), or None when the database cannot say."""
    offered = current_app.config["DISPLAY_CURRENCIES"]
    try:
        return {r.currency: str(r.vnd_per_unit) for r in db.session.scalars(select(DisplayRate))
                if r.currency in offered}
    except SQLAlchemyError:
        # Estimates are a courtesy: an error page about a database fault must still render without them.
        db.session.rollback()
        return None


def forget_rates() -> None:
    current_app.extensions.pop("display_rates", None)


def currency_preference() -> str:
    """What the request asks for, unchecked (for cache keys): ?cur=, the cookie, or the language's default."""
    return (request.args.get("cur") or request.cookies.get(COOKIE)
            or current_app.config["DEFAULT_DISPLAY_CURRENCY"].get(current_language(), "none"))


def chosen_currency() -> str | None:
    """The currency this visitor sees estimates in, or None."""
    if not has_request_context():
        return None
    if "display_currency" in g:
        return g.display_currency
    available = rates()
    choice = request.args.get("cur") or request.cookies.get(COOKIE)
    if choice == "none":
        currency = None
    elif choice in available:
        currency = choice
    else:
        currency = current_app.config["DEFAULT_DISPLAY_CURRENCY"].get(current_language())
        currency = currency if currency in available else None
    g.display_currency = currency
    return currency


def convert(amount_vnd: int, currency: str) -> Decimal | None:
    rate = rates().get(currency)
    if rate is None:
        return None
    digits = get_currency_precision(currency)
    return (Decimal(amount_vnd) / rate).quantize(Decimal(1).scaleb(-digits), rounding=ROUND_HALF_UP)


def estimate(amount_vnd: int | None) -> str:
    """ "≈ US$4.90" for the visitor's currency, or "" when there is none to show."""
    currency = chosen_currency()
    if currency is None or amount_vnd is None:
        return ""
    value = convert(amount_vnd, currency)
    return f"≈ {format_foreign(value, currency)}" if value is not None else ""


def remember_currency(response):
    """Keep a ?cur= choice in a cookie for a year."""
    chosen = request.args.get("cur")
    if chosen and (chosen == "none" or chosen in current_app.config["DISPLAY_CURRENCIES"]) \
            and request.cookies.get(COOKIE) != chosen:
        response.set_cookie(COOKIE, chosen, max_age=365 * 24 * 3600, samesite="Lax", secure=cookie_secure())
    return response


def parse_rate(currency: str, text: str) -> Decimal | None:
    """A rate typed by the office: '25400', '25.400', '18,35' (comma decimal); None for empty."""
    cleaned = (text or "").strip().replace(" ", "")
    if not cleaned:
        return None
    if "," in cleaned:  # Vietnamese writing: dots group thousands, a comma marks decimals
        cleaned = cleaned.replace(".", "").replace(",", ".")
    elif cleaned.count(".") == 1 and len(cleaned.split(".")[1]) == 3:
        cleaned = cleaned.replace(".", "")  # 25.400 is twenty-five thousand four hundred
    try:
        value = Decimal(cleaned)
    except InvalidOperation:
        raise BadRate(currency=currency) from None
    if not value.is_finite() or not Decimal("0.0001") <= value <= 1_000_000:
        raise BadRate(currency=currency)
    return value.quantize(Decimal("0.0001"))


def set_rates(typed: dict[str, str], user) -> tuple[dict[str, str], dict[str, str]]:
    """Set (or, with an empty value, remove) the rate of each offered currency, all or nothing; the caller commits
    (then calls forget_rates). Return the rates before and after, as text per currency, for the audit log."""
    parsed = {currency: parse_rate(currency, typed.get(currency, "")) for currency in
              current_app.config["DISPLAY_CURRENCIES"]}
    existing = {r.currency: r for r in db.session.scalars(select(DisplayRate))}
    before = {c: format(r.vnd_per_unit.normalize(), "f") for c, r in existing.items()}
    for currency, value in parsed.items():
        row = existing.get(currency)
        if value is None:
            if row is not None:
                db.session.delete(row)
        elif row is None:
            db.session.add(DisplayRate(currency=currency, vnd_per_unit=value, updated_by_id=user.id))
        elif row.vnd_per_unit != value:
            row.vnd_per_unit, row.updated_by_id = value, user.id
    after = {c: format(v.normalize(), "f") for c, v in parsed.items() if v is not None}
    return before, after
