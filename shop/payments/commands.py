"""`flask orders expire`: orders whose money never came are cancelled; refunds Stripe missed are asked again.

The group keeps the name operators' cron lines use, though every step in it is about payments.
"""
from __future__ import annotations

import datetime as dt

import click
from flask.cli import AppGroup

from shop.clock import now_option
from shop.payments.backfill import backfill_books
from shop.payments.refunds import retry_pending_refunds
from shop.payments.stripe_events import expire_unpaid_card_payments
from shop.payments.transfers import expire_unpaid_transfers

orders_cli = AppGroup("orders", help="Order housekeeping (expire unpaid transfers and card payments).")


@orders_cli.command("expire")
@now_option
def expire_command(at: dt.datetime | None) -> None:
    """Cancel unpaid orders (VietQR after TRANSFER_WORKING_DAYS working days, card once Stripe's page lapsed); run from cron."""
    numbers = expire_unpaid_transfers(at)
    click.echo(f"Expired {len(numbers)} unpaid transfer order(s){': ' + ', '.join(numbers) if numbers else ''}.")
    numbers = expire_unpaid_card_payments(at)
    click.echo(f"Expired {len(numbers)} unpaid card order(s){': ' + ', '.join(numbers) if numbers else ''}.")
    sent = retry_pending_refunds()
    if sent:
        click.echo(f"Sent {sent} pending refund(s) to Stripe.")


@click.command("backfill")
def backfill_command() -> None:
    """Post the entries of orders paid before the books existed (run once after `flask db upgrade`; idempotent)."""
    done = backfill_books()
    click.echo(f"Backfilled the books of {len(done.orders)} order(s){': ' + ', '.join(done.orders) if done.orders else ''}.")
    for number in done.refused:
        click.echo(f"order {number}: its money does not cover its goods and fee; nothing was recorded", err=True)
    if done.refused:
        raise SystemExit(1)
