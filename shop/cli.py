"""Command-line entry points: `flask db` (migrations), `flask seed-demo`, and each feature's group."""
from __future__ import annotations

import os

import click
from flask import Flask

from shop.catalog.search import is_index_table
from shop.extensions import db


def register(app: Flask) -> None:
    _migrations(app)
    from shop.auth.commands import users_cli
    from shop.notifications.commands import outbox_cli
    from shop.payments.commands import backfill_command, orders_cli
    from shop.desk.commands import pickups_cli
    from shop.demo.commands import demo_cli
    from shop.ledger.commands import ledger_cli

    app.cli.add_command(users_cli)
    app.cli.add_command(outbox_cli)
    app.cli.add_command(orders_cli)
    app.cli.add_command(pickups_cli)
    app.cli.add_command(demo_cli)
    ledger_cli.add_command(backfill_command)  # it reads refunds, a floor above the ledger
    app.cli.add_command(ledger_cli)

    @app.cli.command("seed-demo")
    @click.option("--scale", type=click.IntRange(min=0), default=0,
                  help="Also add N synthetic products, for benchmarks.")
    @click.option("--if-empty", is_flag=True, help="Do nothing when the catalog already has products.")
    def seed_demo_command(scale: int, if_empty: bool) -> None:
        """Load the demo catalog (idempotent: a second run changes nothing)."""
        from sqlalchemy import func, select

        from shop.demo.load import seed_demo
        from shop.catalog.models import Product
        from shop.extensions import db

        if if_empty and db.session.scalar(select(func.count(Product.id))):
            click.echo("The catalog already has products; demo data not loaded.")
            return
        click.echo(seed_demo(scale=scale))


def _include_in_migrations(name, type_, _parents) -> bool:
    """Leave the FTS5 search tables, which a migration makes by hand, out of autogenerate."""
    return not (type_ == "table" and is_index_table(name))


def _migrations(app: Flask) -> None:
    """`flask db …` and flask_migrate.upgrade() for tests; off in web workers (MIGRATIONS = False)."""
    if not app.config["MIGRATIONS"]:
        return
    # Imported here: a web worker started by wsgi.py never migrates and need not load Alembic.
    from flask_migrate import Migrate

    Migrate(app, db, directory=os.path.join(os.path.dirname(app.root_path), "migrations"),
            compare_type=True, render_as_batch=True, include_name=_include_in_migrations)
