"""`flask demo …`: the demo accounts and orders a newcomer logs in with (development only)."""
from __future__ import annotations

import click
from flask.cli import AppGroup

demo_cli = AppGroup("demo", help="Demo accounts and orders for development.")


@demo_cli.command("accounts")
def accounts_command() -> None:
    """Create (once) an account per role and a few orders in different states; print the accounts."""
    from shop.demo.accounts import DEMO_PASSWORD, DemoRefused, describe, ensure_demo_accounts
    from shop.demo.orders import ensure_demo_orders
    from shop.orders.codes import part_label_code
    from shop.orders.models import PartStatus

    try:
        accounts = [describe(user) for user in ensure_demo_accounts()]
        orders = ensure_demo_orders()
    except DemoRefused as refused:
        raise click.ClickException(str(refused)) from None
    click.echo(f"Demo accounts (development only; log in at /login, password {DEMO_PASSWORD}):")
    for account in accounts:
        changed = "" if account.password_works else "  [password changed since]"
        click.echo(f"  {account.role:<9} {account.email:<26} {account.where}{changed}")
    if orders:
        click.echo(f"Demo orders of {orders[0][1].contact_email}, for pickup at {orders[0][1].sales_point_code}:")
    for demo, order in orders:
        code = {PartStatus.READY: f" (pickup code {order.pickup_code})",
                PartStatus.SENT_TO_POINT: f" (parcel label {part_label_code(order.parts[0].id)})"}.get(demo.goal, "")
        click.echo(f"  {order.number}  {demo.says}{code}")
