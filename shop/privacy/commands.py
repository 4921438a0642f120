"""`flask privacy purge`: delete what the retention periods no longer allow to keep."""
from __future__ import annotations

import datetime as dt

import click
from flask.cli import AppGroup

from shop.clock import now_option
from shop.privacy.purge import purge

privacy_cli = AppGroup("privacy", help="Personal data housekeeping (retention).")


@privacy_cli.command("purge")
@now_option
def purge_command(at: dt.datetime | None) -> None:
    """Delete sent/dead e-mails past OUTBOX_RETENTION_DAYS, carts past CART_RETENTION_DAYS, expired logins."""
    done = purge(at)
    click.echo(f"Deleted {done.messages} e-mail(s) from the outbox, {done.mail_files} e-mail file(s), "
               f"{done.carts} abandoned cart(s) and {done.logins} expired login(s).")
