"""What every page shares: error pages, template filters and globals."""
from __future__ import annotations

from flask import Flask, current_app, render_template, request, url_for
from flask_babel import gettext as _
from werkzeug.exceptions import HTTPException

from shop import clock, countries, formats, labels
from shop.currency import estimates
from shop.notifications import channels
from shop.i18n import current_language
from shop.money import format_vnd, vnd_group_symbol
from shop.orders.timeline import event_label
from shop.places import provinces, quang_ninh_wards, ward

LANGUAGE_NAMES = {"vi": "Tiếng Việt", "en": "English", "zh": "中文", "ko": "한국어"}


def register_error_pages(app: Flask) -> None:
    """Friendly pages for 404 and the other HTTP errors, in the visitor's language."""

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException):
        if error.code and error.code >= 500:
            # The failed use case may have left the session unusable; the error page reads the cart.
            from shop.extensions import db

            db.session.rollback()
        template = "site/404.html" if error.code == 404 else "site/error.html"
        return render_template(template, error=error), error.code


_NAV_SECTIONS = {
    "catalog.products": "products", "catalog.product": "products", "catalog.search": "products",
    "catalog.producers": "producers", "catalog.producer": "producers",
    "catalog.sales_points": "sales_points", "catalog.sales_point": "sales_points",
    "site.about": "about",
}


def nav_section(endpoint: str | None) -> str | None:
    """Which main-menu entry the current page belongs to."""
    return _NAV_SECTIONS.get(endpoint or "")


def url_with(**changes) -> str:
    """The current URL with some query arguments replaced (None removes one); page resets to 1."""
    args = request.args.to_dict(flat=False)
    if "page" not in changes:
        args.pop("page", None)
    for key, value in changes.items():
        if value is None or value == "" or value == []:
            args.pop(key, None)
        else:
            args[key] = value if isinstance(value, list) else [value]
    return url_for(request.endpoint, **(request.view_args or {}), **args)


def language_url(lang: str) -> str:
    """This page in another language."""
    return _this_page_with("lang", lang)


def alternate_url(lang: str) -> str:
    """This page in another language as an absolute address (PUBLIC_URL first), as `hreflang` links need."""
    path = _this_page_with("lang", lang)
    base = current_app.config.get("PUBLIC_URL") or request.host_url
    return base.rstrip("/") + path


def currency_url(code: str) -> str:
    """This page with price estimates in another currency ("none" for VND only)."""
    return _this_page_with("cur", code)


def _this_page_with(name: str, value: str) -> str:
    args = request.args.to_dict(flat=False)
    args[name] = [value]
    # The path's own parts win over query arguments of the same name (?code=… on /sales-points/<code>).
    return url_for(request.endpoint, **{**args, **(request.view_args or {})}) if request.endpoint else f"/?{name}={value}"


def _cart_count() -> int:
    from flask_login import current_user

    from shop.cart.services import line_count

    # Only visitors with a cart cookie or an account cost a query.
    return line_count(request.cookies.get(current_app.config["CART_COOKIE"]), current_user)


def register_template_helpers(app: Flask) -> None:
    app.add_template_global(_cart_count, "cart_count")
    from shop.catalog.cards import product_cards
    from shop.page_cache import personal

    app.add_template_global(personal)
    app.add_template_global(product_cards)
    app.add_template_filter(format_vnd, "vnd")
    app.add_template_global(vnd_group_symbol)
    app.add_template_global(channels.processor_name, "text_processor")
    app.add_template_filter(formats.format_day, "day")
    app.add_template_filter(formats.weekday_day, "weekday_day")
    app.add_template_filter(formats.format_number, "number")
    app.add_template_filter(formats.format_rating, "rating")
    app.add_template_global(url_with)
    app.add_template_global(nav_section)
    from shop.catalog.media import image_url, product_gallery, product_picture

    app.add_template_global(product_picture)
    app.add_template_global(product_gallery)
    app.add_template_global(image_url)
    from shop.catalog import rules as catalog_rules

    app.add_template_global(catalog_rules.missing_legal_facts, "missing_legal_facts")
    app.add_template_global(catalog_rules.ALCOHOL_SETS, "alcohol_sets")
    from shop.auth.services import national_phone

    app.add_template_global(national_phone)
    app.add_template_global(estimates.estimate)
    app.add_template_global(estimates.chosen_currency)
    app.add_template_global(estimates.rates, "display_rates")
    app.after_request(estimates.remember_currency)
    app.add_template_global(language_url)
    app.add_template_global(alternate_url)
    app.add_template_global(currency_url)
    app.add_template_global(ward)
    app.add_template_global(quang_ninh_wards)
    app.add_template_global(provinces)
    app.add_template_global(countries.country_name)
    app.add_template_global(countries.address_lines)
    app.add_template_global(current_language)
    app.add_template_global(LANGUAGE_NAMES, "LANGUAGE_NAMES")
    app.add_template_filter(labels.opening_days, "opening_days")
    from shop.sales_points.towns import by_town, town_name

    app.add_template_filter(town_name, "town")
    app.add_template_global(by_town)
    # Looked up on each call, so a test that fixes shop.clock.now fixes "open now" too.
    app.add_template_global(lambda: clock.now(), "shop_now")
    app.add_template_filter(formats.format_moment, "moment")
    app.add_template_global(event_label)
    for helper in labels.TEMPLATE_GLOBALS:
        app.add_template_global(helper)
