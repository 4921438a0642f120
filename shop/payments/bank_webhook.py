"""/webhooks/bank: the bank-notification service (Casso / SePay style) tells the shop of money in, one JSON
transaction per request, with the shared secret in "Authorization: Apikey <secret>".

The body: {"id": "FT26338…", "amount": 250000, "content": "QN26120001 OCOP", "date": "2026-12-04 10:15:00",
"account": "0011000123456", "reference": "5213.1"}; a date without a zone is Vietnam's; "reference" (the bank's
own reference, as the statement shows it) is optional. Anything else is refused with 400 and nothing is stored.
The same id sent again (the services retry until they get a 200) records nothing twice; the same money found
again in an imported statement is recorded once (payments/bank.twin_of). Money into another account than the
shop's waits for the office and never pays an order.
"""
from __future__ import annotations

import datetime as dt
import hmac
import logging

from flask import Blueprint, current_app, request

from shop.clock import VIETNAM
from shop.extensions import csrf
from shop.payments.bank import MAX_LINE_VND, WEBHOOK, IncomingLine, receive

bp = Blueprint("webhooks", __name__, url_prefix="/webhooks")
log = logging.getLogger(__name__)

#: The bank code under which notified lines are stored (their ids are the service's, unique within it).
WEBHOOK_BANK_CODE = WEBHOOK


class BadNotification(ValueError):
    """The body is not a notification of money in, as the shop reads one."""


def _secret_ok(header: str | None) -> bool:
    secret = current_app.config.get("BANK_WEBHOOK_SECRET")
    if not secret:
        return False
    # Compared in constant time: the time taken says nothing of how much of the secret was right.
    return hmac.compare_digest((header or "").encode(), f"Apikey {secret}".encode())


def _text(body: dict, key: str, limit: int, *, required: bool = True) -> str:
    value = body.get(key)
    if value is None and not required:
        value = ""  # an optional field left out or sent as null
    if isinstance(value, int) and not isinstance(value, bool) and key == "id":
        value = str(value)
    if not isinstance(value, str) or (required and not value.strip()) or len(value) > limit or "\x00" in value:
        raise BadNotification(key)
    return value.strip()


def parse_notification(body) -> IncomingLine:
    """The notification as an incoming line; raise BadNotification on any wrong shape or value."""
    if not isinstance(body, dict):
        raise BadNotification("body")
    amount = body.get("amount")
    if isinstance(amount, bool) or not isinstance(amount, int) or not 0 < amount <= MAX_LINE_VND:
        raise BadNotification("amount")
    try:
        booked = dt.datetime.fromisoformat(_text(body, "date", 40))
    except ValueError:
        raise BadNotification("date") from None
    if not 2000 <= booked.year <= 2100:
        raise BadNotification("date")
    booked = (booked if booked.tzinfo else booked.replace(tzinfo=VIETNAM)).astimezone(dt.UTC)
    return IncomingLine(bank_code=WEBHOOK_BANK_CODE, transaction_id=_text(body, "id", 120), amount_vnd=amount,
                        content=_text(body, "content", 500, required=False), booked_at=booked,
                        account=_text(body, "account", 40, required=False),
                        bank_reference=_text(body, "reference", 120, required=False))


@bp.post("/bank")
@csrf.exempt  # the service cannot send a CSRF token: the shared secret stands in for it
def bank_notification():
    if not _secret_ok(request.headers.get("Authorization")):
        log.warning("Bank notification refused: wrong or missing secret")
        return {"error": "unauthorized"}, 401
    try:
        line = parse_notification(request.get_json(silent=True))
    except BadNotification as error:
        log.warning("Bank notification refused: bad %s", error)
        return {"error": f"bad {error}"}, 400
    stored = receive(line)
    if stored is None:
        return {"received": True, "recorded": False}, 200
    return {"received": True, "recorded": True, "status": str(stored.status)}, 200
