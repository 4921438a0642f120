"""`flask orders expire`: orders whose money never came are cancelled; refunds Stripe missed are asked again.

The group keeps the name operators' cron lines use, though every step in it is about payments.
"""
from __future__ import annotations

import datetime as dt

import click
from flask.cli import AppGroup

from shop.clock import now_option
from shop.payments.refunds import retry_pending_refunds
from shop.payments.stripe_events import expire_unpaid_card_payments
from shop.payments.transfers import expire_unpaid_transfers

orders_cli = AppGroup("orders", help="Order housekeeping (expire unpaid transfers and card payments).")


@orders_cli.command("expire")
@now_option
def expire_command(at: dt.datetime | None) -> None:
    """Cancel unpaid orders (VietQR after TRANSFER_HOLD_HOURS, card once Stripe's page lapsed); run from cron."""
    numbers = expire_unpaid_transfers(at)
    click.echo(f"Expired {len(numbers)} unpaid transfer order(s){': ' + ', '.join(numbers) if numbers else ''}.")
    numbers = expire_unpaid_card_payments(at)
    click.echo(f"Expired {len(numbers)} unpaid card order(s){': ' + ', '.join(numbers) if numbers else ''}.")
    sent = retry_pending_refunds()
    if sent:
        click.echo(f"Sent {sent} pending refund(s) to Stripe.")
