"""Command-line entry points: `flask db` (migrations), `flask seed-demo`, and each feature's group."""
from __future__ import annotations

import os

import click
from flask import Flask, current_app

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
    from shop.admin.reminders import certificates_cli
    from shop.privacy.commands import privacy_cli

    app.cli.add_command(users_cli)
    app.cli.add_command(outbox_cli)
    app.cli.add_command(orders_cli)
    app.cli.add_command(pickups_cli)
    app.cli.add_command(demo_cli)
    ledger_cli.add_command(backfill_command)  # it reads refunds, a floor above the ledger
    app.cli.add_command(ledger_cli)
    app.cli.add_command(certificates_cli)

    @app.cli.command("backup")
    @click.option("--to", "directory", type=click.Path(file_okay=False), default=None,
                  help="Folder for the backup file (default: instance/backups, made 0700).")
    def backup_command(directory: str | None) -> None:
        """Back up the database while the shop runs (SQLite: online backup API; PostgreSQL: pg_dump -Fc).

        Prints the new file's path; the file is readable by its owner only (0600).
        """
        from shop import backup

        try:
            path = backup.backup(current_app.config["SQLALCHEMY_DATABASE_URI"],
                                 directory or os.path.join(current_app.instance_path, "backups"))
        except backup.BackupError as error:
            raise click.ClickException(str(error)) from None
        click.echo(path)

    @app.cli.command("restore")
    @click.argument("file", type=click.Path(exists=True, dir_okay=False))
    @click.option("--force", is_flag=True, help="Replace a database that already holds rows.")
    def restore_command(file: str, force: bool) -> None:
        """Replace the configured database with a backup made by `flask backup` (PostgreSQL: pg_restore --clean).

        Refuses a database that holds rows unless --force. Stop the web workers and the outbox sender first.
        """
        from shop import backup

        try:
            with db.engine.connect() as conn:
                backup.restore(current_app.config["SQLALCHEMY_DATABASE_URI"], file, conn, force=force,
                               derived=is_index_table)
        except backup.BackupError as error:
            raise click.ClickException(str(error)) from None
        finally:
            db.engine.dispose()
        click.echo(f"Restored {file}. Run `flask db upgrade` if the backup is older than this version of the shop.")
    app.cli.add_command(privacy_cli)

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
