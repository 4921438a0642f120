"""NAPAS VietQR bank-transfer payloads (EMVCo merchant-presented QR); shop/qr.py draws them.

This is the only module of the shop that knows the payload format: NAPAS's "VietQR" specification of
the EMVCo merchant-presented QR (tag 38 with the bank's BIN and the account, tag 54 the amount, tag 62
the transfer note, CRC-16/CCITT-FALSE in tag 63); tests/unit/test_vietqr.py holds the test vectors.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass


# BIN (NAPAS acquirer ID) → short name, for the banks most customers and producers use.
BANKS: dict[str, str] = {
    "970436": "Vietcombank",
    "970415": "VietinBank",
    "970418": "BIDV",
    "970405": "Agribank",
    "970407": "Techcombank",
    "970422": "MB Bank",
    "970416": "ACB",
    "970423": "TPBank",
    "970432": "VPBank",
    "970403": "Sacombank",
}

_NAPAS_GUID = "A000000727"
_TRANSFER_TO_ACCOUNT = "QRIBFTTA"
_VND = "704"  # ISO 4217 numeric
_CRC_TAG = "6304"  # the CRC covers its own tag and length, so they are written before computing it

_BIN = re.compile(r"[0-9]{6}")
_ACCOUNT = re.compile(r"[A-Za-z0-9]{1,19}")
_MCC = re.compile(r"[0-9]{4}")
_TWO_DIGITS = re.compile(r"[0-9]{2}")
# Bank apps differ in what they accept in the transfer note; this set survives all of them (Odoo's filter).
_NOT_NOTE = re.compile(r"[^A-Za-z0-9 _\-.]")

_NOTE_MAX = 25
_NAME_MAX = 25
_CITY_MAX = 15
_AMOUNT_MAX_DIGITS = 13
_VALUE_MAX = 99  # the length field has two digits


@dataclass(frozen=True)
class BankAccount:
    """An account that receives VietQR transfers; bank_name is for display only."""

    bin: str
    account_number: str
    account_name: str
    bank_name: str


def crc16_ccitt_false(data: bytes) -> int:
    """Return the CRC-16/CCITT-FALSE of data (poly 0x1021, init 0xFFFF, no reflection, no final XOR)."""
    crc = 0xFFFF
    for byte in data:
        crc ^= byte << 8
        for _ in range(8):
            crc = ((crc << 1) ^ 0x1021) if crc & 0x8000 else (crc << 1)
            crc &= 0xFFFF
    return crc


def _crc_hex(text: str) -> str:
    # Always four digits: a CRC like 0x0ABC printed without padding makes the payload unreadable.
    return f"{crc16_ccitt_false(text.encode('ascii')):04X}"


def _tlv(tag: str, value: str) -> str:
    # Lengths count characters, which equal bytes only while every value is ASCII.
    if not value.isascii():
        raise ValueError(f"VietQR tag {tag}: value must be ASCII: {value!r}")
    if len(value) > _VALUE_MAX:
        raise ValueError(f"VietQR tag {tag}: value is {len(value)} characters, at most {_VALUE_MAX} allowed")
    return f"{tag}{len(value):02d}{value}"


def _ascii(text: str) -> str:
    """Fold Vietnamese to printable ASCII on one line: 'Đơn  hàng' → 'Don hang'."""
    # đ/Đ have no canonical decomposition, so stripping combining marks alone would drop them.
    decomposed = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    # Marks and scripts without an ASCII form are dropped rather than guessed at.
    kept = "".join(ch if ch.isascii() and ch.isprintable() else " " if ch.isspace() else "" for ch in decomposed)
    return " ".join(kept.split())


def _note(text: str) -> str:
    """Return the transfer note as the payer's bank app will receive it."""
    return " ".join(_NOT_NOTE.sub("", _ascii(text)).split())[:_NOTE_MAX].rstrip()


def _amount(amount_vnd: int) -> str:
    # bool is an int subclass, and a float amount would hide a rounding decision from the caller.
    if isinstance(amount_vnd, bool) or not isinstance(amount_vnd, int):
        raise ValueError(f"VietQR amount must be a whole number of đồng, got {amount_vnd!r}")
    if amount_vnd <= 0:
        raise ValueError(f"VietQR amount must be positive, got {amount_vnd}")
    digits = str(amount_vnd)
    if len(digits) > _AMOUNT_MAX_DIGITS:
        raise ValueError(f"VietQR amount has more than {_AMOUNT_MAX_DIGITS} digits: {amount_vnd}")
    return digits


def payload(
    account: BankAccount,
    amount_vnd: int | None = None,
    note: str = "",
    *,
    merchant_name: str = "",
    merchant_city: str = "",
    mcc: str = "",
) -> str:
    """Build the VietQR string that pays account; dynamic when an amount is given, static otherwise."""
    if not _BIN.fullmatch(account.bin):
        raise ValueError(f"bank BIN must be 6 digits, got {account.bin!r}")
    if not _ACCOUNT.fullmatch(account.account_number):
        raise ValueError(f"account number must be 1-19 letters or digits, got {account.account_number!r}")
    if mcc and not _MCC.fullmatch(mcc):
        raise ValueError(f"merchant category code must be 4 digits, got {mcc!r}")

    beneficiary = _tlv("00", account.bin) + _tlv("01", account.account_number)
    merchant_account = _tlv("00", _NAPAS_GUID) + _tlv("01", beneficiary) + _tlv("02", _TRANSFER_TO_ACCOUNT)
    # Tags must appear in ascending order; 01=12 tells the payer's app the amount is fixed.
    fields = [
        _tlv("00", "01"),
        _tlv("01", "11" if amount_vnd is None else "12"),
        _tlv("38", merchant_account),
    ]
    if mcc:
        fields.append(_tlv("52", mcc))
    fields.append(_tlv("53", _VND))
    if amount_vnd is not None:
        fields.append(_tlv("54", _amount(amount_vnd)))
    fields.append(_tlv("58", "VN"))
    if name := _ascii(merchant_name)[:_NAME_MAX].rstrip():
        fields.append(_tlv("59", name))
    if city := _ascii(merchant_city)[:_CITY_MAX].rstrip():
        fields.append(_tlv("60", city))
    if purpose := _note(note):
        # Sub-field 08 is what the bank app pre-fills as "nội dung chuyển khoản"; we reconcile on it.
        fields.append(_tlv("62", _tlv("08", purpose)))
    body = "".join(fields) + _CRC_TAG
    return body + _crc_hex(body)


def parse(payload: str) -> dict[str, str]:
    """Split one level of TLV fields into tag → value; parse a template's value again to descend."""
    fields: dict[str, str] = {}
    pos = 0
    while pos < len(payload):
        tag, length = payload[pos : pos + 2], payload[pos + 2 : pos + 4]
        if not (_TWO_DIGITS.fullmatch(tag) and _TWO_DIGITS.fullmatch(length)):
            raise ValueError(f"malformed TLV at position {pos}: {payload[pos:pos + 4]!r}")
        start, end = pos + 4, pos + 4 + int(length)
        if end > len(payload):
            raise ValueError(f"TLV tag {tag} at position {pos} runs past the end")
        if tag in fields:
            raise ValueError(f"TLV tag {tag} appears twice")
        fields[tag] = payload[start:end]
        pos = end
    return fields


def crc_ok(payload: str) -> bool:
    """Tell whether payload ends in a 6304 CRC field that matches the rest."""
    if not payload.isascii() or len(payload) < 8 or payload[-8:-4] != _CRC_TAG:
        return False
    return payload[-4:] == _crc_hex(payload[:-4])
