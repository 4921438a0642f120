"""Retention: what the shop no longer needs is deleted (`flask privacy purge`, from cron; idempotent)."""
from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass

from flask import current_app
from sqlalchemy import delete, select

from shop.auth.models import Login
from shop.cart.models import Cart
from shop.clock import now
from shop.extensions import begin_write, db
from shop.notifications.models import OutboxMessage, OutboxStatus


@dataclass(frozen=True)
class Purged:
    messages: int
    mail_files: int
    carts: int
    logins: int


def purge(at: dt.datetime | None = None) -> Purged:
    """Delete sent or dead outbox messages and their .eml files past OUTBOX_RETENTION_DAYS, carts untouched for
    CART_RETENTION_DAYS, and logins that have expired. Pending messages and live carts are never touched."""
    at = at or now()
    config = current_app.config
    mail_before = at - dt.timedelta(days=config["OUTBOX_RETENTION_DAYS"])
    cart_before = at - dt.timedelta(days=config["CART_RETENTION_DAYS"])
    begin_write()
    messages = db.session.execute(delete(OutboxMessage).where(
        OutboxMessage.status.in_((OutboxStatus.SENT, OutboxStatus.DEAD)),
        OutboxMessage.created_at < mail_before)).rowcount
    old_carts = db.session.scalars(select(Cart.id).where(Cart.updated_at < cart_before)).all()
    if old_carts:  # the lines go with them (ON DELETE CASCADE)
        db.session.execute(delete(Cart).where(Cart.id.in_(old_carts)))
    logins = db.session.execute(delete(Login).where(Login.expires_at <= at)).rowcount
    db.session.commit()
    return Purged(messages=messages, mail_files=_purge_mail_files(mail_before), carts=len(old_carts), logins=logins)


def _purge_mail_files(before: dt.datetime) -> int:
    """The .eml files written without a mail server (instance/outbox/) older than the retention."""
    directory = os.path.join(current_app.instance_path, "outbox")
    if not os.path.isdir(directory):
        return 0
    removed = 0
    for entry in os.scandir(directory):
        if entry.is_file() and entry.name.endswith(".eml") and entry.stat().st_mtime < before.timestamp():
            os.remove(entry.path)
            removed += 1
    return removed
