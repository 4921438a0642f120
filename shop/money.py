"""Money is integer đồng: shown as 125.000 ₫, read back from what people type."""
from __future__ import annotations

import re

_NOT_DIGITS = re.compile(r"[\s.,₫đĐ]|vnd", re.IGNORECASE)


def format_vnd(amount: int | None) -> str:
    """Format integer đồng the Vietnamese way: 125000 → '125.000 ₫'."""
    if amount is None:
        return ""
    sign = "-" if amount < 0 else ""
    return f"{sign}{abs(int(amount)):,}".replace(",", ".") + "\u00a0₫"


def parse_vnd(text: str | None) -> int | None:
    """A whole amount of đồng as people type it: 250000, 250.000, 250,000 ₫, 250 000đ; None for anything else."""
    digits = _NOT_DIGITS.sub("", str(text or ""))
    return int(digits) if digits.isascii() and digits.isdigit() and len(digits) <= 12 else None
