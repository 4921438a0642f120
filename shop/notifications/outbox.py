"""Queue a message in the caller's transaction; `flask outbox work` sends it after the commit."""
from __future__ import annotations

from sqlalchemy import select

from shop.extensions import db
from shop.notifications.messages import Envelope, InvalidMessage, Message, load
from shop.notifications.models import OutboxMessage


def enqueue(*envelopes: Envelope, **legacy) -> int:
    """Add each message to the current transaction, once per dedupe key; return how many were queued.

    The caller commits. A message without a recipient (an order without an e-mail address) is skipped.
    """
    if envelopes and isinstance(envelopes[0], str):
        return _enqueue_payload(*envelopes, **legacy)
    queued = 0
    for envelope in envelopes:
        if not isinstance(envelope, Envelope) or not isinstance(envelope.message, Message):
            raise InvalidMessage(f"only typed messages in envelopes can be queued, got {envelope!r}")
        queued += _add(envelope) is not None
    return queued


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


# ---- until every call site builds typed messages --------------------------------------------------

def _enqueue_payload(kind: str, recipient: str, language: str, payload: dict, dedupe_key: str):
    """The former call: a kind and a dict, checked now by building the kind's message from it."""
    envelope = Envelope(load(kind, payload), recipient, language, dedupe_key)
    return _add(envelope)


def enqueue_to_producer(kind: str, producer_id: int, payload: dict, dedupe_key: str) -> int:
    """Queue one message per active user of a producer, each in their language; return how many."""
    from shop.auth.models import Role, User

    users = db.session.scalars(
        select(User).where(User.producer_id == producer_id, User.role == Role.PRODUCER, User.is_active)
        .order_by(User.id)
    ).all()
    queued = 0
    for user in users:
        queued += _enqueue_payload(kind, user.email, user.language, {**payload, "name": user.name or None},
                                   dedupe_key=f"{dedupe_key}:{user.id}") is not None
    return queued
