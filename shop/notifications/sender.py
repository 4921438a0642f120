"""Send what the outbox holds: claim each due message, render it, hand it to a transport, record the outcome.

Delivery is at least once: a sender that dies between handing a message to the mail server and
recording it as sent leaves a claim that expires, and the message goes out again later (with the
same Message-ID). Everything else is exactly once, whatever the number of senders.
"""
from __future__ import annotations

import datetime as dt
import logging
import threading
from dataclasses import dataclass

from flask import current_app
from sqlalchemy import and_, or_, select, update

from shop.extensions import begin_write, db
from shop.notifications import texting
from shop.notifications.channels import Channel, fallback_key, sms_on
from shop.notifications.mailer import PermanentFailure, Transport
from shop.notifications.models import OutboxMessage, OutboxStatus
from shop.notifications.outbox import add
from shop.notifications.rendering import render, render_text

log = logging.getLogger(__name__)

#: Wait before attempt n+1 after n failed attempts; the last step repeats.
BACKOFF = (
    dt.timedelta(seconds=30),
    dt.timedelta(minutes=2),
    dt.timedelta(minutes=10),
    dt.timedelta(hours=1),
    dt.timedelta(hours=4),
    dt.timedelta(hours=12),
    dt.timedelta(hours=24),
)
ERROR_MAX_CHARS = 2000


@dataclass(frozen=True)
class SendReport:
    sent: int = 0
    failed: int = 0  #: will be tried again
    dead: int = 0  #: given up on

    def __add__(self, other: SendReport) -> SendReport:
        return SendReport(self.sent + other.sent, self.failed + other.failed, self.dead + other.dead)

    @property
    def handled(self) -> int:
        return self.sent + self.failed + self.dead

    def __str__(self) -> str:
        return f"outbox: {self.sent} sent, {self.failed} failed (will retry), {self.dead} dead"


def backoff(attempts: int) -> dt.timedelta:
    """How long to wait after the attempts-th failed attempt."""
    return BACKOFF[min(max(attempts, 1), len(BACKOFF)) - 1]


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def _due(now: dt.datetime):
    return or_(
        and_(OutboxMessage.status == OutboxStatus.PENDING, OutboxMessage.next_attempt_at <= now),
        # A claim that outlived OUTBOX_CLAIM_SECONDS belongs to a sender that died or hung.
        and_(OutboxMessage.status == OutboxStatus.SENDING, OutboxMessage.claimed_until < now),
    )


def send_due(transport: Transport, now: dt.datetime | None = None, limit: int | None = None,
             *, stop: threading.Event | None = None) -> SendReport:
    """Send up to limit (default OUTBOX_BATCH) due messages, oldest first; commit after each one.

    Pass now to pretend it is another time (tests); otherwise each claim uses the current time,
    so a slow round never sends on a claim that has already expired. Commits the session.
    """
    config = current_app.config
    limit = limit or config["OUTBOX_BATCH"]
    if now is not None:
        # SQLite keeps the digits of a time and drops its zone: only UTC may reach the database.
        now = now.astimezone(dt.UTC) if now.tzinfo else now.replace(tzinfo=dt.UTC)
    clock = (lambda: now) if now is not None else utcnow
    ids = db.session.scalars(
        select(OutboxMessage.id).where(_due(clock())).order_by(OutboxMessage.id).limit(limit)
    ).all()
    db.session.commit()

    report = SendReport()
    for message_id in ids:
        if stop is not None and stop.is_set():
            break
        report += _send_one(message_id, transport, clock, config)
    return report


def _send_one(message_id: int, transport: Transport, clock, config) -> SendReport:
    begin_write()
    claimed_at = clock()
    # One conditional UPDATE is the claim: whichever sender's UPDATE matches the row first owns it;
    # the others match no row (PostgreSQL re-checks the WHERE after the winner commits, SQLite
    # runs one writer at a time), so no lock is held while the mail server is talked to.
    claimed = db.session.execute(
        update(OutboxMessage)
        .where(OutboxMessage.id == message_id, _due(claimed_at))
        .values(status=OutboxStatus.SENDING,
                claimed_until=claimed_at + dt.timedelta(seconds=config["OUTBOX_CLAIM_SECONDS"]),
                attempts=OutboxMessage.attempts + 1)
        .execution_options(synchronize_session=False)
    )
    db.session.commit()
    if claimed.rowcount != 1:
        return SendReport()

    message = db.session.get(OutboxMessage, message_id, populate_existing=True)
    attempt, kind = message.attempts, message.kind
    db.session.expunge(message)
    # No transaction stays open while the mail server is talked to: on SQLite a read snapshot that
    # old could not turn into a write afterwards, on PostgreSQL the connection would idle in a transaction.
    db.session.commit()
    # The claim's attempt number fences every later write: if this claim expired and another
    # sender took the message over, nothing written here may undo what that sender recorded.
    ours = and_(OutboxMessage.id == message_id, OutboxMessage.status == OutboxStatus.SENDING,
                OutboxMessage.attempts == attempt)
    max_attempts = config["OUTBOX_MAX_ATTEMPTS"]

    if attempt > max_attempts:
        # Only a claim that expired after the last allowed attempt gets here (the sender died mid-send).
        return _give_up(ours, f"claim expired after attempt {attempt - 1}; not sent again", message)

    try:
        _deliver(message, transport, f"{message_id}-{kind}")
    except Exception as error:  # noqa: BLE001 - any failure of one message is recorded, never fatal
        db.session.rollback()
        reason = f"{type(error).__name__}: {error}"
        log.warning("outbox message %s (%s) attempt %s failed: %s", message_id, kind, attempt, reason)
        if isinstance(error, PermanentFailure) or attempt >= max_attempts:
            return _give_up(ours, reason, message)
        begin_write()
        db.session.execute(
            update(OutboxMessage).where(ours)
            .values(status=OutboxStatus.PENDING, claimed_until=None, last_error=reason[:ERROR_MAX_CHARS],
                    next_attempt_at=clock() + backoff(attempt))
            .execution_options(synchronize_session=False)
        )
        db.session.commit()
        return SendReport(failed=1)

    begin_write()
    db.session.execute(
        update(OutboxMessage).where(ours)
        .values(status=OutboxStatus.SENT, sent_at=clock(), claimed_until=None, last_error="")
        .execution_options(synchronize_session=False)
    )
    db.session.commit()
    return SendReport(sent=1)


def _deliver(message: OutboxMessage, transport: Transport, name: str) -> None:
    """Hand one row to its channel: the mail transport, or the configured SMS or Zalo provider."""
    if message.channel in (Channel.SMS, Channel.ZALO):
        texting.provider(current_app, message.channel).send(render_text(message, name))
    else:
        transport.send(render(message), name)


def _give_up(ours, reason: str, message: OutboxMessage) -> SendReport:
    log.error("outbox message gave up: %s", reason)
    begin_write()
    given_up = db.session.execute(
        update(OutboxMessage).where(ours)
        .values(status=OutboxStatus.DEAD, claimed_until=None, last_error=reason[:ERROR_MAX_CHARS])
        .execution_options(synchronize_session=False)
    )
    if given_up.rowcount == 1 and message.channel == Channel.ZALO and sms_on():
        # Zalo could not reach the customer: the same text goes by SMS, in the same transaction as the
        # Zalo row's death, once (its own dedupe key).
        add(message.kind, Channel.SMS, message.recipient, message.language, message.payload,
            fallback_key(message.dedupe_key))
    db.session.commit()
    return SendReport(dead=1)
