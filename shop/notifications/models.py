"""The outbox: messages written in the same transaction as the change that causes them."""
from __future__ import annotations

import datetime as dt
import enum

from sqlalchemy import JSON, DateTime, String, Text, func
from sqlalchemy.orm import Mapped, mapped_column

from shop.extensions import db


class OutboxStatus(enum.StrEnum):
    PENDING = "pending"  #: waiting to be sent (again, after next_attempt_at)
    SENDING = "sending"  #: claimed by a sender until claimed_until
    SENT = "sent"  #: handed to the mail server or the text provider; never sent again
    DEAD = "dead"  #: gave up after too many attempts; an admin looks at it


class OutboxMessage(db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    #: The kind of message (order_placed, part_new, …): one of notifications.messages.KINDS.
    kind: Mapped[str] = mapped_column(String(40))
    #: How it goes (notifications/channels.py): email, sms or zalo.
    channel: Mapped[str] = mapped_column(String(10), default="email", server_default="email")
    #: An e-mail address, or for a text a phone in E.164 (+84912345678).
    recipient: Mapped[str] = mapped_column(String(254))
    language: Mapped[str] = mapped_column(String(5), default="vi")
    payload: Mapped[dict] = mapped_column(JSON, default=dict)
    #: The same event never queues two messages (e.g. "order_placed:QN-2612-0001").
    dedupe_key: Mapped[str] = mapped_column(String(200), unique=True)
    status: Mapped[OutboxStatus] = mapped_column(String(20), default=OutboxStatus.PENDING, index=True)
    attempts: Mapped[int] = mapped_column(default=0)
    next_attempt_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), server_default=func.now(), index=True)
    claimed_until: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    last_error: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    sent_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
