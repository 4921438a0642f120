"""`flask pickups …`: the hold period of orders waiting at sales points (run from cron, e.g. hourly)."""
from __future__ import annotations

import datetime as dt

import click
from flask.cli import AppGroup

from shop.clock import now_option

pickups_cli = AppGroup("pickups", help="Orders waiting at sales points: reminders and unclaimed orders.")


def _say(what: str, numbers: list[str]) -> None:
    click.echo(f"{what}: {len(numbers)}{' (' + ', '.join(numbers) + ')' if numbers else ''}.")


@pickups_cli.command("remind")
@now_option
def remind_command(at: dt.datetime | None) -> None:
    """Remind customers whose hold period ends within PICKUP_REMINDER_DAYS (once per order)."""
    from shop.desk.hold import send_reminders

    _say("Reminded", send_reminders(at))


@pickups_cli.command("expire")
@now_option
def expire_command(at: dt.datetime | None) -> None:
    """Send due reminders, then mark orders not collected within PICKUP_HOLD_DAYS as unclaimed.

    Own-stock goods go back to the point's free stock; producers' parcels are flagged for return;
    the customer, the office and the producers are told.
    """
    from shop.desk.hold import expire_pickups, send_reminders

    _say("Reminded", send_reminders(at))
    _say("Unclaimed", expire_pickups(at))
