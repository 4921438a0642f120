"""Queue a message in the caller's transaction; `flask outbox work` sends it after the commit."""
from __future__ import annotations

from sqlalchemy import select

from shop.extensions import db
from shop.notifications.channels import Channel, channel_key, customer_phone, text_channel
from shop.notifications.messages import Envelope, InvalidMessage, Message
from shop.notifications.models import OutboxMessage


def enqueue(*envelopes: Envelope | list[Envelope], fresh: bool = False) -> int:
    """Add each message to the current transaction, once per dedupe key; return how many were queued.

    Takes envelopes or lists of them, as the builders return (one per producer user, customer and office).
    The caller commits. A message without a recipient (an order without an e-mail address) is skipped.
    `fresh`: the messages are about a record made in this very transaction (a new order), so no committed
    message can hold their dedupe keys yet and the database is not asked (the unique key still guards).
    A kind that is texted also goes to the envelope's phone, by Zalo or SMS (notifications/channels.py).
    """
    flat = [one for item in envelopes for one in (item if isinstance(item, (list, tuple)) else (item,))]
    # All checked before any is added: a bad one leaves the session as it was.
    for envelope in flat:
        if not isinstance(envelope, Envelope) or not isinstance(envelope.message, Message):
            raise InvalidMessage(f"only typed messages in envelopes can be queued, got {envelope!r}")
    queued = 0
    for envelope in flat:
        payload = envelope.message.to_payload()
        if envelope.recipient:
            queued += add(envelope.message.kind, Channel.EMAIL, envelope.recipient, envelope.language, payload,
                          envelope.dedupe_key, fresh) is not None
        phone = customer_phone(envelope.phone) if envelope.message.texted else None
        channel = text_channel(envelope.message.kind, envelope.language) if phone else None
        if channel is not None:
            queued += add(envelope.message.kind, channel, phone, envelope.language, payload,
                          channel_key(envelope.dedupe_key, channel), fresh) is not None
    return queued


def add(kind: str, channel: Channel, recipient: str, language: str, payload: dict,
        key: str, fresh: bool = False) -> OutboxMessage | None:
    """One outbox row, unless one with its dedupe key is already queued or pending in this session."""
    pending = next((m for m in db.session.new if isinstance(m, OutboxMessage) and m.dedupe_key == key), None)
    if pending is not None or (not fresh and db.session.scalar(
            select(OutboxMessage.id).where(OutboxMessage.dedupe_key == key))):
        return None
    message = OutboxMessage(kind=kind, channel=str(channel), recipient=recipient, language=language,
                            payload=payload, dedupe_key=key)
    db.session.add(message)
    return message

