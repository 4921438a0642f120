"""Queue a message in the caller's transaction; `flask outbox work` sends it after the commit."""
from __future__ import annotations

from sqlalchemy import select

from shop.extensions import db
from shop.notifications.models import OutboxMessage

#: Every kind of message the sender knows how to render (templates/notifications/<kind>.*).
KINDS = ("order_placed", "payment_received", "order_cancelled", "password_reset")


def enqueue(kind: str, recipient: str, language: str, payload: dict, dedupe_key: str) -> OutboxMessage | None:
    """Add a message to the current transaction, once per dedupe key; the caller commits."""
    if kind not in KINDS:
        raise ValueError(f"unknown message kind {kind!r}")
    if not recipient:
        return None
    pending = next((m for m in db.session.new if isinstance(m, OutboxMessage) and m.dedupe_key == dedupe_key), None)
    if pending is not None or db.session.scalar(select(OutboxMessage.id).where(OutboxMessage.dedupe_key == dedupe_key)):
        return None
    message = OutboxMessage(kind=kind, recipient=recipient, language=language, payload=payload, dedupe_key=dedupe_key)
    db.session.add(message)
    return message
