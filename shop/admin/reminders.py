"""Reminders that an OCOP certificate is running out: to the office and to the producer's users,
90, 60 and 30 days ahead, each once (the outbox's dedupe key), by `flask certificates remind`."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import click
from flask.cli import AppGroup
from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from shop.catalog.models import Product, ProductStatus
from shop.catalog.ranking import refresh_ranks
from shop.clock import VIETNAM, now, now_option
from shop.extensions import db
from shop.links import admin_url, external_url
from shop.notifications.messages import InvalidMessage, Message, require_bool, require_text, require_url
from shop.notifications.outbox import enqueue
from shop.orders.messages import to_office
from shop.orders.part_messages import to_producer

#: Days before the expiry on which the office and the producer are reminded, the furthest first.
REMINDER_DAYS = (90, 60, 30)


@dataclass(frozen=True, kw_only=True)
class CertificateExpiring(Message, kind="certificate_expiring"):
    """A product's OCOP certificate ends soon: renew it, or the stars go from the shop on that day."""

    product_name: str
    producer_name: str
    decision_no: str
    #: The last valid day, ISO 8601 (Vietnam's calendar).
    expires_on: str
    #: Which reminder this is: 90, 60 or 30 days ahead.
    days_ahead: int
    page_url: str
    for_office: bool
    name: str | None = None

    def __post_init__(self) -> None:
        require_text(self.product_name, "certificate_expiring product_name")
        require_url(self.page_url, "certificate_expiring page_url")
        require_bool(self.for_office, "certificate_expiring for_office")
        if self.days_ahead not in REMINDER_DAYS:
            raise InvalidMessage(f"certificate_expiring: days_ahead must be one of {REMINDER_DAYS}, got {self.days_ahead!r}")
        try:
            dt.date.fromisoformat(self.expires_on)
        except (TypeError, ValueError) as error:
            raise InvalidMessage(f"certificate_expiring: expires_on is not a date: {self.expires_on!r}") from error

    def context(self) -> dict:
        return {"expires_on": dt.date.fromisoformat(self.expires_on)}

    def subject(self) -> str:
        return _("The OCOP certificate of %(product)s ends in %(days)s days", product=self.product_name,
                 days=self.days_ahead)


def reminder_stage(expires_on: dt.date, day: dt.date) -> int | None:
    """The reminder due on `day`: the nearest of 90/60/30 days not yet passed; None outside 0–90 days ahead.

    A missed run catches up with the nearest reminder only, never sends all three at once.
    """
    left = (expires_on - day).days
    if left < 0:
        return None
    due = [days for days in REMINDER_DAYS if left <= days]
    return min(due) if due else None


def certificate_expiring(product: Product, days_ahead: int) -> list:
    """The office's reminder (in Vietnamese) and one to each active user of the product's producer."""
    common = dict(product_name=product.name, producer_name=product.producer.name,
                  decision_no=product.ocop_certificate_no or "—", expires_on=product.ocop_expires_on.isoformat(),
                  days_ahead=days_ahead)
    key = f"certificate_expiring:{product.id}:{product.ocop_expires_on.isoformat()}:{days_ahead}"
    office = CertificateExpiring(page_url=admin_url("admin.product_certificate", product_id=product.id),
                                 for_office=True, **common)
    producer = CertificateExpiring(page_url=external_url("producer.edit_product", product_id=product.id),
                                   for_office=False, **common)
    return [to_office(office, f"{key}:office"), *to_producer(product.producer_id, producer, key)]


def send_certificate_reminders(at: dt.datetime | None = None) -> list[str]:
    """Queue every reminder due on Vietnam's day at `at` (now by default); commit once; return the products'
    names. Running it again the same day (or after a missed day) queues nothing twice."""
    day = (at or now()).astimezone(VIETNAM).date()
    products = db.session.scalars(
        select(Product).where(Product.status == ProductStatus.PUBLISHED, Product.ocop_expires_on >= day,
                              Product.ocop_expires_on <= day + dt.timedelta(days=max(REMINDER_DAYS)))
        .options(selectinload(Product.producer)).order_by(Product.ocop_expires_on, Product.id)).all()
    reminded = []
    for product in products:
        stage = reminder_stage(product.ocop_expires_on, day)
        if stage is not None and enqueue(certificate_expiring(product, stage)):
            reminded.append(product.name)
    db.session.commit()
    return reminded


certificates_cli = AppGroup("certificates", help="OCOP certificates: reminders before they end, listings' ranks.")


@certificates_cli.command("rank")
@now_option
def rank_command(at: dt.datetime | None) -> None:
    """Rank products whose certificate ended (or began) by the calendar at their new stars: daily after midnight."""
    moved = refresh_ranks(at.astimezone(VIETNAM).date() if at else None)
    click.echo(f"Ranks moved: {moved}.")


@certificates_cli.command("remind")
@now_option
def remind_command(at: dt.datetime | None) -> None:
    """Remind the office and the producers of certificates ending in 90, 60 and 30 days (each once); rank too."""
    # The daily job every deployment already runs: certificates that ended since yesterday stop ranking as starred.
    refresh_ranks(at.astimezone(VIETNAM).date() if at else None)
    reminded = send_certificate_reminders(at)
    click.echo(f"Reminded: {len(reminded)}{' (' + ', '.join(reminded) + ')' if reminded else ''}.")
