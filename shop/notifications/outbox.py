"""Queue a message in the caller's transaction; `flask outbox work` sends it after the commit."""
from __future__ import annotations

from sqlalchemy import select

from shop.extensions import db
from shop.notifications.messages import Envelope, InvalidMessage, Message
from shop.notifications.models import OutboxMessage


def enqueue(*envelopes: Envelope | list[Envelope]) -> int:
    """Add each message to the current transaction, once per dedupe key; return how many were queued.

    Takes envelopes or lists of them, as the builders return (one per producer user, customer and office).
    The caller commits. A message without a recipient (an order without an e-mail address) is skipped.
    """
    flat = [one for item in envelopes for one in (item if isinstance(item, (list, tuple)) else (item,))]
    # All checked before any is added: a bad one leaves the session as it was.
    for envelope in flat:
        if not isinstance(envelope, Envelope) or not isinstance(envelope.message, Message):
            raise InvalidMessage(f"only typed messages in envelopes can be queued, got {envelope!r}")
    return sum(_add(envelope) is not None for envelope in flat)


def _add(envelope: Envelope) -> OutboxMessage | None:
    if not envelope.recipient:
        return None
    key = envelope.dedupe_key
    pending = next((m for m in db.session.new if isinstance(m, OutboxMessage) and m.dedupe_key == key), None)
    if pending is not None or db.session.scalar(select(OutboxMessage.id).where(OutboxMessage.dedupe_key == key)):
        return None
    message = OutboxMessage(kind=envelope.message.kind, recipient=envelope.recipient, language=envelope.language,
                            payload=envelope.message.to_payload(), dedupe_key=key)
    db.session.add(message)
    return message

