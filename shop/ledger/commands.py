"""`flask ledger check`: the books balance, and they agree with the orders, to the đồng."""
from __future__ import annotations

import click
from flask.cli import AppGroup

from shop.ledger.check import check_books

ledger_cli = AppGroup("ledger", help="The shop's books (double-entry ledger).")


@ledger_cli.command("check")
def check_command() -> None:
    """Check every entry sums to zero, every balance is its lines, every order's money is accounted for."""
    problems = check_books()
    for problem in problems:
        click.echo(problem, err=True)
    if problems:
        raise SystemExit(1)
    click.echo("The books balance: every entry, every account and every order.")
