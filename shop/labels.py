"""Translatable names for the codes the catalog stores (enums, sorts, weekdays)."""
from __future__ import annotations

from babel.dates import get_day_names
from flask_babel import get_locale, lazy_gettext as _l

CERTIFICATIONS = {
    "vietgap": _l("VietGAP"),
    "organic": _l("Organic"),
    "globalgap": _l("GlobalG.A.P."),
    "haccp": _l("HACCP"),
    "iso22000": _l("ISO 22000"),
}

SORTS = {
    "relevance": _l("Relevance"),
    "price_asc": _l("Price: low to high"),
    "price_desc": _l("Price: high to low"),
    "newest": _l("Newest"),
    "stars": _l("OCOP stars"),
}

PRODUCER_KINDS = {
    "cooperative": _l("Cooperative"),
    "household": _l("Household business"),
    "company": _l("Company"),
}

ERROR_TITLES = {
    400: _l("The request could not be understood"),
    403: _l("You may not open this page"),
    405: _l("This action is not allowed here"),
    429: _l("Too many attempts: please wait a moment"),
    500: _l("Something went wrong on our side"),
}

ORDER_STATUSES = {
    "pending_payment": _l("Waiting for your payment"),
    "confirmed": _l("Order confirmed"),
    "in_progress": _l("Being prepared"),
    "ready_for_pickup": _l("Ready for pickup"),
    "shipped": _l("On its way"),
    "completed": _l("Completed"),
    "cancelled": _l("Cancelled"),
    "refunded": _l("Refunded"),
}

PART_STATUSES = {
    "new": _l("Received"),
    "accepted": _l("Accepted by the producer"),
    "packed": _l("Packed"),
    "sent_to_point": _l("On its way to the sales point"),
    "at_point": _l("Arrived at the sales point"),
    "ready": _l("Ready for pickup"),
    "collected": _l("Collected"),
    "shipped": _l("Shipped"),
    "delivered": _l("Delivered"),
    "cancelled": _l("Cancelled"),
    "unclaimed": _l("Not collected in time"),
}

PAYMENT_STATUSES = {
    "pending": _l("not paid yet"),
    "paid": _l("paid"),
    "failed": _l("not paid"),
    "refunded": _l("refunded"),
}

_DAYS = ("Mo", "Tu", "We", "Th", "Fr", "Sa", "Su")


def certification_label(code) -> str:
    return str(CERTIFICATIONS.get(str(code), code))


def sort_label(code: str) -> str:
    return str(SORTS.get(code, code))


def producer_kind_label(kind) -> str:
    return str(PRODUCER_KINDS.get(str(kind), kind))


def error_title(code: int) -> str:
    return str(ERROR_TITLES.get(code, _l("Something went wrong")))


def opening_days(spec: str) -> str:
    """'Mo-Fr' → 'Thứ Hai – Thứ Sáu' / 'Mon – Fri' in the current language."""
    names = get_day_names("abbreviated", locale=get_locale())
    def one(day: str) -> str:
        return names[_DAYS.index(day)] if day in _DAYS else day
    parts = []
    for chunk in spec.split(","):
        start, _, end = chunk.partition("-")
        parts.append(f"{one(start)} – {one(end)}" if end else one(start))
    return ", ".join(parts)


def order_status_label(code) -> str:
    return str(ORDER_STATUSES.get(str(code), code))


def part_status_label(code) -> str:
    return str(PART_STATUSES.get(str(code), code))


def payment_status_label(code) -> str:
    return str(PAYMENT_STATUSES.get(str(code), code))


#: The names of payment methods, on pages and in e-mails alike (keys are PaymentMethod values).
PAYMENT_METHODS = {
    "cash_at_pickup": _l("Cash at the sales point"),
    "cod": _l("Cash on delivery (COD)"),
    "vietqr_transfer": _l("Bank transfer by VietQR"),
    "stripe_card": _l("Card (Visa, Mastercard…)"),
}


def payment_method_label(code) -> str:
    return str(PAYMENT_METHODS.get(str(code), code))


PAYMENT_HINTS = {
    "cash_at_pickup": _l("Pay in cash when you collect the order at the sales point."),
    "cod": _l("Pay the carrier in cash when the parcel arrives."),
    "vietqr_transfer": _l("Scan a VietQR code in your banking app; we prepare the order once the money arrives."),
    "stripe_card": _l("Pay by card on a secure payment page; charged in VND."),
}


def payment_method_hint(code) -> str:
    return str(PAYMENT_HINTS.get(str(code), ""))


#: How a sales point takes online orders (keys are PickupMode values).
PICKUP_MODES = {
    "any_stock": _l("Pickup of every order (receives producers' parcels)"),
    "own_stock": _l("Pickup of goods held here only"),
    "off": _l("No online pickup (in-store sales only)"),
}


def pickup_mode_label(code) -> str:
    return str(PICKUP_MODES.get(str(code), code))


#: What each consent is for (shop/auth/consents.py: Purpose).
CONSENT_PURPOSES = {
    "personal_data": _l("Processing of my personal data for my account and orders"),
    "marketing_email": _l("News and offers by e-mail"),
    "marketing_sms": _l("News and offers by SMS"),
}


def consent_purpose_label(code) -> str:
    return str(CONSENT_PURPOSES.get(str(code), code))


#: A buyer's review as the office and producers read its state (keys are catalog.reviews.ReviewStatus values).
REVIEW_STATUSES = {
    "pending": _l("Waiting for the OCOP office"),
    "published": _l("Published"),
    "hidden": _l("Hidden"),
}


def review_status_label(code) -> str:
    return str(REVIEW_STATUSES.get(str(code), code))


TEMPLATE_GLOBALS = (review_status_label, consent_purpose_label, certification_label, sort_label, producer_kind_label, error_title,
                    order_status_label, part_status_label, payment_status_label, payment_method_label, payment_method_hint,
                    pickup_mode_label)
