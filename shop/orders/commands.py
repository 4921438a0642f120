"""`flask orders …`: scheduled order housekeeping."""
from __future__ import annotations

import click
from flask.cli import AppGroup

orders_cli = AppGroup("orders", help="Order housekeeping (expire unpaid transfers and card payments).")


@orders_cli.command("expire")
def expire_command() -> None:
    """Cancel unpaid orders (VietQR after TRANSFER_HOLD_HOURS, card once Stripe's page lapsed); run from cron."""
    from shop.orders.services import expire_unpaid_transfers
    from shop.payments.card import expire_unpaid_card_payments, retry_pending_refunds

    numbers = expire_unpaid_transfers()
    click.echo(f"Expired {len(numbers)} unpaid transfer order(s){': ' + ', '.join(numbers) if numbers else ''}.")
    numbers = expire_unpaid_card_payments()
    click.echo(f"Expired {len(numbers)} unpaid card order(s){': ' + ', '.join(numbers) if numbers else ''}.")
    sent = retry_pending_refunds()
    if sent:
        click.echo(f"Sent {sent} pending refund(s) to Stripe.")
