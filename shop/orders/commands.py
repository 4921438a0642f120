"""`flask orders …`: scheduled order housekeeping."""
from __future__ import annotations

import click
from flask.cli import AppGroup

orders_cli = AppGroup("orders", help="Order housekeeping (expire unpaid transfers).")


@orders_cli.command("expire")
def expire_command() -> None:
    """Cancel VietQR orders unpaid after TRANSFER_HOLD_HOURS and release their stock (run from cron)."""
    from shop.orders.services import expire_unpaid_transfers

    numbers = expire_unpaid_transfers()
    click.echo(f"Expired {len(numbers)} unpaid transfer order(s){': ' + ', '.join(numbers) if numbers else ''}.")
