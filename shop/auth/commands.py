"""`flask users …`: create accounts, and end someone's logins, from the command line."""
from __future__ import annotations

import click
from flask import current_app
from flask.cli import AppGroup
from sqlalchemy import select

from shop.auth import services, sessions
from shop.auth.models import Role, User
from shop.extensions import db

users_cli = AppGroup("users", help="Create and manage user accounts.")


@users_cli.command("create")
@click.argument("email")
@click.option("--role", type=click.Choice([r.value for r in Role]), default=Role.CUSTOMER.value, show_default=True)
@click.option("--name", default="", help="The person's full name.")
@click.option("--password", default=None,
              help="Leave it out to get a one-time link where the person chooses their own.")
@click.option("--producer", "producer_slug", default=None, metavar="SLUG", help="For --role producer: whose user.")
@click.option("--sales-point", "sales_point_code", default=None, metavar="CODE",
              help="For --role staff: the sales point they work at.")
def create_user(email: str, role: str, name: str, password: str | None, producer_slug: str | None,
                sales_point_code: str | None) -> None:
    """Create an account; without --password, print a one-time link to set it."""
    from shop.catalog.models import Producer
    from shop.sales_points.models import SalesPoint

    producer_id = sales_point_id = None
    if producer_slug:
        producer_id = db.session.scalar(select(Producer.id).where(Producer.slug == producer_slug))
        if producer_id is None:
            raise click.ClickException(f"There is no producer with the slug {producer_slug!r}.")
    if sales_point_code:
        sales_point_id = db.session.scalar(select(SalesPoint.id).where(SalesPoint.code == sales_point_code))
        if sales_point_id is None:
            raise click.ClickException(f"There is no sales point with the code {sales_point_code!r}.")
    try:
        user = services.create_user(email, role, name=name, password=password,
                                    producer_id=producer_id, sales_point_id=sales_point_id)
    except services.AuthError as error:
        raise click.ClickException(str(error)) from None
    click.echo(f"Created {user.role} {user.email} (id {user.id}).")
    if not password:
        minutes = current_app.config["PASSWORD_RESET_MAX_AGE"] // 60
        click.echo(f"Hand over this one-time link to choose a password (valid {minutes} minutes):")
        click.echo(services.reset_link(user))
        if not current_app.config.get("PUBLIC_URL"):
            click.echo("(SHOP_PUBLIC_URL is not set, so the link starts with http://localhost:5000.)", err=True)


def _user(email: str) -> User:
    try:
        email = services.normalize_email(email)
    except services.AuthError as error:
        raise click.ClickException(str(error)) from None
    user = db.session.scalar(select(User).where(User.email == email))
    if user is None:
        raise click.ClickException(f"There is no account {email}.")
    return user


@users_cli.command("logout")
@click.argument("email")
@click.option("--disable", is_flag=True, help="Also disable the account, so nobody can log in to it again.")
def logout_everywhere(email: str, disable: bool) -> None:
    """End every session and remember-me cookie of an account (a lost phone, a stolen desk tablet)."""
    user = _user(email)
    sessions.log_out_everywhere(user, disable=disable)
    click.echo(f"Every login of {user.email} has ended" + (", and the account is disabled." if disable else "."))
