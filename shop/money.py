"""Money is integer đồng: shown as 125.000 ₫ (Vietnamese) or 125,000 ₫ (English, Chinese, Korean), read back from
what people type.

The rule for every language: the amount, a no-break space, then ₫. Only the grouping separator follows the reader's
language, from Babel's locale data ("." in vi, "," in en, zh and ko). Babel's own VND pattern writes "₫125,000" in
en, zh and ko; the shop keeps the sign after the amount everywhere, as Vietnamese price tags, receipts and bank apps
print it, so a price reads the same on the shelf, on the page and in the e-mail. Staff screens in Vietnamese stay
125.000 ₫. Other currencies are only labelled estimates (shop/currency), written by shop/formats.py.
"""
from __future__ import annotations

import functools
import re

from babel.numbers import get_group_symbol
from flask_babel import get_locale

_NOT_DIGITS = re.compile(r"[\s.,₫đĐ]|vnd", re.IGNORECASE)

#: Used where no language is chosen (commands, workers outside a message): the shop's own.
DEFAULT_LANGUAGE = "vi"


def reader_language() -> str:
    """The language of the page or message being written: Flask-Babel's locale, else Vietnamese."""
    locale = get_locale()  # None outside an application or request
    return locale.language if locale is not None else DEFAULT_LANGUAGE


@functools.lru_cache(maxsize=16)
def _group_symbol(language: str) -> str:
    return get_group_symbol(language)


def vnd_group_symbol(language: str | None = None) -> str:
    """The thousands separator format_vnd uses for the reader ("." or ","), for scripts that write amounts."""
    return _group_symbol(language or reader_language())


def format_vnd(amount: int | None, language: str | None = None) -> str:
    """Format integer đồng in the reader's language: 125000 → '125.000 ₫' (vi), '125,000 ₫' (en, zh, ko)."""
    if amount is None:
        return ""
    sign = "-" if amount < 0 else ""
    grouped = f"{abs(int(amount)):,}".replace(",", vnd_group_symbol(language))
    return f"{sign}{grouped}\u00a0₫"


def parse_vnd(text: str | None) -> int | None:
    """A whole amount of đồng as people type it: 250000, 250.000, 250,000 ₫, 250 000đ; None for anything else."""
    digits = _NOT_DIGITS.sub("", str(text or ""))
    return int(digits) if digits.isascii() and digits.isdigit() and len(digits) <= 12 else None
