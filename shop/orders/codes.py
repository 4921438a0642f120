"""The codes people read, type and scan: an order's pickup code and a parcel's label."""
from __future__ import annotations

import re
import secrets

#: Pickup codes avoid look-alikes (0/O, 1/I/L): 31 symbols, 8 of them ≈ 39.6 bits.
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 8
#: What the sales point's scanner reads on a parcel label; the part id is all it needs.
LABEL_PREFIX = "OCOP-PART:"
_PART_CODE = re.compile(r"^\s*(?:OCOP-PART\s*[:\-]?\s*|#)?(\d{1,9})\s*$", re.IGNORECASE)


def new_pickup_code() -> str:
    """A fresh, unguessable pickup code."""
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def normalize_code(text: str | None) -> str:
    """A pickup code as typed or scanned: any case, spaces and dashes ignored; '' when it cannot be one."""
    code = re.sub(r"[\s\-]", "", text or "").upper()
    if not code or len(code) > 12 or any(c not in CODE_ALPHABET for c in code):
        return ""
    return code


def part_label_code(part_id: int) -> str:
    """What a parcel's label QR holds."""
    return f"{LABEL_PREFIX}{part_id}"


def parse_part_code(text: str | None) -> int | None:
    """The part id in what a scanner or a person typed: "OCOP-PART:123", "ocop-part 123", "#123", "123"."""
    match = _PART_CODE.match(text or "")
    return int(match.group(1)) if match else None


_ORDER_NUMBER = re.compile(r"^QN-?(\d{4})-?(\d{4,6})$")


def normalize_order_number(text: str | None) -> str:
    """An order number as a customer types it (qn 2612 0001, QN26120001) → QN-2612-0001; '' when it cannot be one."""
    match = _ORDER_NUMBER.match(re.sub(r"[\s.]", "", text or "").upper()[:20])
    return f"QN-{match.group(1)}-{match.group(2)}" if match else ""
