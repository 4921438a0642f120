"""Money is integer đồng; this module only shows it."""
from __future__ import annotations


def format_vnd(amount: int | None) -> str:
    """Format integer đồng the Vietnamese way: 125000 → '125.000 ₫'."""
    if amount is None:
        return ""
    sign = "-" if amount < 0 else ""
    return f"{sign}{abs(int(amount)):,}".replace(",", ".") + "\u00a0₫"
