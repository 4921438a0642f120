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

_DAYS = ("Mo", "Tu", "We", "Th", "Fr", "Sa", "Su")


def certification_label(code) -> str:
    return str(CERTIFICATIONS.get(str(code), code))


def sort_label(code: str) -> str:
    return str(SORTS.get(code, code))


def producer_kind_label(kind) -> str:
    return str(PRODUCER_KINDS.get(str(kind), kind))


def certifier_label(stars: int) -> str:
    """Who grants the stars since July 2025: the province for 3–4, the Ministry for 5."""
    if stars >= 5:
        return str(_l("Ministry of Agriculture and Environment (national level)"))
    return str(_l("Quảng Ninh Provincial People's Committee"))


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


TEMPLATE_GLOBALS = (certification_label, sort_label, producer_kind_label, certifier_label, error_title)
