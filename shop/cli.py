"""Command-line entry points: `flask seed-demo`, and each feature's group (users, outbox, orders)."""
from __future__ import annotations

import click
from flask import Flask


def register(app: Flask) -> None:
    from shop.auth.commands import users_cli
    from shop.notifications.commands import outbox_cli
    from shop.orders.commands import orders_cli
    from shop.desk.commands import pickups_cli

    app.cli.add_command(users_cli)
    app.cli.add_command(outbox_cli)
    app.cli.add_command(orders_cli)
    app.cli.add_command(pickups_cli)

    @app.cli.command("seed-demo")
    @click.option("--scale", type=click.IntRange(min=0), default=0,
                  help="Also add N synthetic products, for benchmarks.")
    @click.option("--if-empty", is_flag=True, help="Do nothing when the catalog already has products.")
    def seed_demo_command(scale: int, if_empty: bool) -> None:
        """Load the demo catalog (idempotent: a second run changes nothing)."""
        from sqlalchemy import func, select

        from shop.catalog.demo import seed_demo
        from shop.catalog.models import Product
        from shop.extensions import db

        if if_empty and db.session.scalar(select(func.count(Product.id))):
            click.echo("The catalog already has products; demo data not loaded.")
            return
        click.echo(seed_demo(scale=scale))
