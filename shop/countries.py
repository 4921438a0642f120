"""Countries abroad: their names in the reader's language, how their addresses and phone numbers are written."""
from __future__ import annotations

import re
from collections.abc import Iterable
from functools import cache

import phonenumbers
from babel import Locale

from shop.i18n import current_language
from shop.text import sort_key

VIETNAM = "VN"

#: Places whose post uses no postal codes: the field is optional there, required everywhere else.
NO_POSTAL_CODE = frozenset({"HK", "MO", "AE", "QA"})

#: Letters, digits, one space or hyphen between them: "04524", "SW1A 1AA", "100-0001", "K1A 0B1".
_POSTAL_CODE = re.compile(r"^[A-Z0-9]+(?:[ -][A-Z0-9]+)*$")
POSTAL_CODE_MAX = 10


@cache
def _territories(language: str) -> dict[str, str]:
    return dict(Locale.parse(language).territories)


def country_name(code: str, language: str | None = None) -> str:
    """Name a country in the reader's language (or the one given): KR → "Hàn Quốc", "South Korea", "韩国"."""
    return _territories(language or current_language()).get(code, code)


def country_choices(codes: Iterable[str]) -> list[tuple[str, str]]:
    """(code, name) pairs for a select: Vietnam first, then the others in the reader's alphabetical order."""
    language = current_language()
    key = sort_key if language == "vi" else str.casefold
    others = sorted({c for c in codes if c != VIETNAM}, key=lambda c: key(country_name(c, language)))
    return [(code, country_name(code, language)) for code in (VIETNAM, *others)]


def needs_postal_code(code: str) -> bool:
    return code not in NO_POSTAL_CODE


def clean_postal_code(value: str) -> str | None:
    """Return the postal code as the post writes it (upper case, single spaces), or None if it cannot be one."""
    text = " ".join((value or "").upper().split())
    return text if len(text) <= POSTAL_CODE_MAX and _POSTAL_CODE.match(text) else None


def international_phone(value: str, country: str) -> str | None:
    """Return the number in E.164, read as dialled in `country` unless it starts with +; None if not valid."""
    try:
        number = phonenumbers.parse((value or "").strip(), country)
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_valid_number(number):
        return None
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def example_phone(country: str) -> str:
    """A mobile number of the country in international format, to show how one is written."""
    number = phonenumbers.example_number_for_type(country, phonenumbers.PhoneNumberType.MOBILE)
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.INTERNATIONAL) if number else "+…"


def address_lines(address) -> list[str]:
    """An address abroad as the lines of a parcel label, without the country (named in each reader's language).

    `address` is anything with address_line, address_line2, city, region and postal_code: an Order, CheckoutData.
    """
    city = ", ".join(p for p in (address.city, address.region) if p)  # "Washington, DC 20500", "Seoul 03154"
    city = " ".join(p for p in (city, address.postal_code) if p)
    return [p for p in (address.address_line, address.address_line2, city) if p]
