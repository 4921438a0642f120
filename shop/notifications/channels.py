"""The outbox's channels: e-mail, SMS and Zalo ZNS; which one a text goes by, and what an SMS may contain.

A customer who gave a phone gets the few messages that matter at the counter (the order confirmation, "ready
for pickup" with the pickup code, the pickup reminder) as a text too, beside the e-mail when there is one.
A text goes by Zalo ZNS when a Zalo provider is configured and the kind has an approved ZNS template
(`ZALO_TEMPLATES`), else by SMS. A Zalo text that fails for good (no Zalo account on that number, a refused
template, attempts run out) is queued again as an SMS, once. Each channel has its own outbox row and dedupe
key (`order_ready:QN-2612-0001:sms`), so a text is sent once whatever the number of senders.

These are service messages about an order the customer placed: they need no marketing consent
(auth/consents.py: `marketing_sms` covers news and offers only, which the shop does not send by text).

The SMS rule (GSM-7): Vietnamese brandname SMS is sent in the GSM 7-bit alphabet unless `SMS_UNICODE` is on:
160 characters a message instead of 70, and some brandnames refuse Unicode. So a text is folded (no marks,
đ → d, ₫ → VND; shop/text.py `unaccent`) when the result fits GSM-7; Chinese and Korean texts cannot be
folded and go as Unicode. An SMS never carries the order's access token except inside the order link.
"""
from __future__ import annotations

import enum

from flask import current_app

from shop.countries import international_phone
from shop.text import unaccent


class Channel(enum.StrEnum):
    EMAIL = "email"  #: rendered as an e-mail and handed to the mail transport
    SMS = "sms"  #: a short text to a phone in E.164
    ZALO = "zalo"  #: a Zalo ZNS template with its parameters, to a phone in E.164


#: The GSM 03.38 default alphabet, and its extension table (each of those counts as two characters).
GSM7 = frozenset("@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZ"
                 "ÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà")
GSM7_EXTENSION = frozenset("^{}\\[~]|€")


#: Typographic marks shop texts use that GSM-7 lacks, written with the nearest it has.
_TO_GSM7 = str.maketrans({"–": "-", "—": "-", "…": "...", "“": '"', "”": '"', "‘": "'", "’": "'", "·": "-",
                          "₫": "VND", "×": "x"})


def is_gsm7(text: str) -> bool:
    return all(ch in GSM7 or ch in GSM7_EXTENSION for ch in text)


def sms_body(text: str, unicode_allowed: bool) -> tuple[str, bool]:
    """The text an SMS carries and whether it must go as Unicode (see the module's rule)."""
    text = " ".join(text.replace("\u00a0", " ").split())
    if unicode_allowed:
        return text, not is_gsm7(text)
    folded = unaccent(text).translate(_TO_GSM7)
    return (folded, False) if is_gsm7(folded) else (text, True)


def customer_phone(phone: str | None) -> str | None:
    """The customer's phone in E.164 (+84912345678), read as dialled in Vietnam unless it starts with +."""
    return international_phone(phone, "VN") if phone else None


def sms_on() -> bool:
    return bool(current_app.config.get("SMS_PROVIDER"))


def zalo_template(kind: str) -> str | None:
    """The approved ZNS template id of a kind, when Zalo is on and has one."""
    config = current_app.config
    return (config.get("ZALO_TEMPLATES") or {}).get(kind) if config.get("ZALO_PROVIDER") else None


#: ZNS templates are approved by Zalo in Vietnamese: readers of other languages get the SMS in theirs.
ZALO_LANGUAGE = "vi"


def text_channel(kind: str, language: str) -> Channel | None:
    """How a text of this kind goes first: Zalo when it has a template (Vietnamese readers), else SMS, else not at all."""
    if language == ZALO_LANGUAGE and zalo_template(kind):
        return Channel.ZALO
    return Channel.SMS if sms_on() else None


#: Who receives the customer's phone and the text, named on the privacy page ("fake" and "log" send nothing out).
PROCESSORS = {"esms": "eSMS.vn", "speedsms": "SpeedSMS", "zns": "Zalo (Công ty Cổ phần VNG)"}


def processor_name(channel: str) -> str | None:
    """The company a configured provider hands texts to, or None when none leave the shop."""
    setting = current_app.config.get("SMS_PROVIDER" if channel == Channel.SMS else "ZALO_PROVIDER")
    return PROCESSORS.get(setting or "")


def channel_key(dedupe_key: str, channel: Channel) -> str:
    """Each channel's own dedupe key: the e-mail keeps the event's key, a text adds its channel."""
    return dedupe_key if channel == Channel.EMAIL else f"{dedupe_key}:{channel}"


def fallback_key(zalo_key: str) -> str:
    """The SMS twin's key of a Zalo row's key."""
    return zalo_key.removesuffix(f":{Channel.ZALO}") + f":{Channel.SMS}"
