"""Queue a message in the caller's transaction; `flask outbox work` sends it after the commit."""
from __future__ import annotations

from sqlalchemy import select

from shop.extensions import db
from shop.notifications.models import OutboxMessage

#: Every kind of message the sender knows how to render (templates/notifications/<kind>.*).
KINDS = ("order_placed", "payment_received", "order_cancelled", "password_reset",
         "part_new", "part_cancelled", "part_rejected", "user_invite",
         "order_ready", "pickup_reminder", "order_unclaimed", "part_unclaimed", "payment_refunded",
         "refund_due")


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


def enqueue_to_producer(kind: str, producer_id: int, payload: dict, dedupe_key: str) -> int:
    """Queue one message per active user of a producer, each in their language; return how many."""
    from shop.auth.models import Role, User

    users = db.session.scalars(
        select(User).where(User.producer_id == producer_id, User.role == Role.PRODUCER, User.is_active)
        .order_by(User.id)
    ).all()
    queued = 0
    for user in users:
        queued += enqueue(kind, user.email, user.language, {**payload, "name": user.name or None},
                          dedupe_key=f"{dedupe_key}:{user.id}") is not None
    return queued
