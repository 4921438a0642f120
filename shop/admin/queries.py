"""The office's reads: today's numbers, the orders board (search, filters, pages) and one order in full.

Each read runs a fixed number of queries however many orders there are: counts are done by the database,
and a page of orders comes with what the board shows, loaded in one go.
"""
from __future__ import annotations

import dataclasses
import datetime as dt
import re

from flask import current_app
from sqlalchemy import func, or_, select
from sqlalchemy.orm import selectinload

from shop.auth.services import AuthError, normalize_phone
from shop.catalog.models import Producer, Product, ProductStatus
from shop.clock import VIETNAM, now, today
from shop.extensions import db
from shop.orders.models import PRODUCER_ROUTES, Fulfillment, Order, OrderStatus, PartStatus
from shop.orders.payment import Payment, PaymentMethod, PaymentStatus
from shop.payments.models import Refund, RefundStatus
from shop.text import fold

#: How many days ahead the office is warned of an OCOP certificate running out.
CERTIFICATE_WARNING_DAYS = 90
#: Orders on one page of the board.
PAGE_SIZE = 25
#: Parcels the sales points hold: received, or ready for the customer.
AT_POINTS = (PartStatus.AT_POINT, PartStatus.READY)
#: Parts still in their producer's hands (on a producer's route): a deactivated producer's need the office.
WITH_PRODUCER = (PartStatus.NEW, PartStatus.ACCEPTED, PartStatus.PACKED)


def start_of(day: dt.date) -> dt.datetime:
    """The first moment of a Vietnamese calendar day, in UTC as stored (SQLite compares the stored text)."""
    return dt.datetime.combine(day, dt.time(), tzinfo=VIETNAM).astimezone(dt.UTC)


def _late_since() -> dt.datetime:
    return now() - dt.timedelta(hours=current_app.config["PART_RESPONSE_HOURS"])


def _count(query) -> int:
    return db.session.scalar(select(func.count()).select_from(query.subquery())) or 0


def today_numbers() -> dict[str, int]:
    """The office home's numbers, each one query."""
    day = today()
    since = start_of(day)
    return {
        "orders_today": _count(select(Order.id).where(Order.created_at >= since)),
        "money_in_today": db.session.scalar(
            select(func.coalesce(func.sum(Payment.received_vnd), 0))
            .where(Payment.recorded_at >= since, Payment.received_vnd.is_not(None))) or 0,
        "late_parts": _count(select(Fulfillment.id).where(
            Fulfillment.status == PartStatus.NEW, Fulfillment.route.in_(PRODUCER_ROUTES),
            Fulfillment.created_at < _late_since())),
        "parcels_at_points": _count(select(Fulfillment.id).where(Fulfillment.status.in_(AT_POINTS))),
        "ready_unclaimed": _count(select(Order.id).where(Order.status == OrderStatus.READY_FOR_PICKUP)),
        "transfers_to_match": _count(select(Payment.id).join(Order, Order.id == Payment.order_id).where(
            Payment.method == PaymentMethod.VIETQR_TRANSFER, Payment.status == PaymentStatus.PENDING,
            Order.status == OrderStatus.PENDING_PAYMENT)),
        "refunds_owed": _count(select(Refund.id).where(Refund.status == RefundStatus.PENDING)),
        "products_to_review": _count(select(Product.id).where(Product.status == ProductStatus.WAITING_REVIEW)),
        "certificates_expiring": _count(_certificate_list("expiring", day)),
        "inactive_producer_parts": _count(select(Fulfillment.id).where(*_of_inactive_producers())),
    }


def _of_inactive_producers():
    """Parts still with a producer the office has deactivated: someone must call, move or cancel them."""
    return (Fulfillment.status.in_(WITH_PRODUCER), Fulfillment.route.in_(PRODUCER_ROUTES),
            Fulfillment.producer_id.in_(select(Producer.id).where(Producer.is_active.is_(False))))



#: The certificates page's lists: ending within the warning days, ended, and marked for re-evaluation.
CERTIFICATE_LISTS = ("expiring", "expired", "reevaluation")


def _certificate_list(show: str, day: dt.date):
    published = select(Product).where(Product.status == ProductStatus.PUBLISHED)
    if show == "expired":
        return published.where(Product.ocop_expires_on < day)
    if show == "reevaluation":
        return published.where(Product.ocop_reevaluation.is_(True))
    return published.where(Product.ocop_expires_on >= day,
                           Product.ocop_expires_on <= day + dt.timedelta(days=CERTIFICATE_WARNING_DAYS))


def certificate_counts() -> dict[str, int]:
    """How many published products each list of the certificates page holds today."""
    day = today()
    return {show: _count(_certificate_list(show, day)) for show in CERTIFICATE_LISTS}


def certificate_list(show: str) -> list[Product]:
    """Published products of one list (see CERTIFICATE_LISTS), the soonest expiry first."""
    return list(db.session.scalars(_certificate_list(show, today()).options(selectinload(Product.producer))
                                   .order_by(Product.ocop_expires_on, Product.id)))


def product_with_certificates(product_id: int) -> Product | None:
    """A product with its producer and every recorded decision, for the office's certificate page."""
    return db.session.scalar(select(Product).where(Product.id == product_id)
                             .options(selectinload(Product.producer), selectinload(Product.certificates)))


# ---- the orders board --------------------------------------------------------------------------

#: What the board can show beyond the order's own status: where its parts are.
STAGES = ("late", "at_point", "inactive_producer")


class BadFilter(ValueError):
    """A filter the office typed that the board cannot read; its name says which."""

    def __init__(self, field: str):
        super().__init__(field)
        self.field = field


@dataclasses.dataclass(frozen=True)
class Filters:
    q: str = ""
    status: str = ""
    method: str = ""
    point: int | None = None
    producer: int | None = None
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    stage: str = ""
    page: int = 1

    @classmethod
    def read(cls, args) -> Filters:
        """Read the board's query string; raise BadFilter naming the first field that makes no sense."""
        def number(name: str) -> int | None:
            value = (args.get(name) or "").strip()
            if not value:
                return None
            if not value.isdigit():
                raise BadFilter(name)
            return int(value)

        def day(name: str) -> dt.date | None:
            value = (args.get(name) or "").strip()
            if not value:
                return None
            try:
                return dt.date.fromisoformat(value)
            except ValueError:
                raise BadFilter(name) from None

        status, method, stage = (args.get(k, "").strip() for k in ("status", "method", "stage"))
        if status and status not in {s.value for s in OrderStatus}:
            raise BadFilter("status")
        if method and method not in {m.value for m in PaymentMethod}:
            raise BadFilter("method")
        if stage and stage not in STAGES:
            raise BadFilter("stage")
        filters = cls(q=(args.get("q") or "").strip()[:100], status=status, method=method, point=number("point"),
                      producer=number("producer"), date_from=day("from"), date_to=day("to"), stage=stage,
                      page=max(number("page") or 1, 1))
        if filters.date_from and filters.date_to and filters.date_from > filters.date_to:
            raise BadFilter("to")
        return filters

    def args(self, **changes) -> dict[str, str]:
        """The query string of these filters (with changes), without empty values: for links and pages."""
        values = dataclasses.replace(self, **changes)
        pairs = {"q": values.q, "status": values.status, "method": values.method, "point": values.point,
                 "producer": values.producer, "from": values.date_from, "to": values.date_to,
                 "stage": values.stage, "page": values.page if values.page > 1 else None}
        return {k: str(v) for k, v in pairs.items() if v not in (None, "")}


_PHONE_LIKE = re.compile(r"^[\d\s().+-]{6,}$")


def _search(q: str):
    """Where a typed text may match: the order number, the e-mail, the folded name, the phone (any format)."""
    conditions = [Order.number.ilike(f"%{q}%"), Order.contact_email.ilike(f"%{q}%")]
    folded = fold(q)
    if folded:
        conditions.append(Order.contact_name_folded.like(f"%{folded}%"))
    if _PHONE_LIKE.match(q):
        try:
            phone = normalize_phone(q)
        except AuthError:
            digits = re.sub(r"\D", "", q)
            conditions.append(Order.contact_phone.like(f"%{digits}%"))
        else:
            conditions += [Order.contact_phone == phone, Order.recipient_phone == phone]
    return or_(*conditions)


def board(filters: Filters) -> tuple[list[Order], int]:
    """One page of orders matching the filters, newest first, and how many match in all."""
    query = select(Order)
    if filters.q:
        query = query.where(_search(filters.q))
    if filters.status:
        query = query.where(Order.status == filters.status)
    if filters.method:
        query = query.where(select(Payment.id).where(Payment.order_id == Order.id,
                                                     Payment.method == filters.method).exists())
    if filters.point is not None:
        query = query.where(Order.sales_point_id == filters.point)
    parts = []
    if filters.producer is not None:
        parts.append(Fulfillment.producer_id == filters.producer)
    if filters.stage == "late":
        parts += [Fulfillment.status == PartStatus.NEW, Fulfillment.route.in_(PRODUCER_ROUTES),
                  Fulfillment.created_at < _late_since()]
    elif filters.stage == "at_point":
        parts.append(Fulfillment.status.in_(AT_POINTS))
    elif filters.stage == "inactive_producer":
        parts += _of_inactive_producers()
    if parts:
        query = query.where(select(Fulfillment.id).where(Fulfillment.order_id == Order.id, *parts).exists())
    if filters.date_from:
        query = query.where(Order.created_at >= start_of(filters.date_from))
    if filters.date_to:
        query = query.where(Order.created_at < start_of(filters.date_to + dt.timedelta(days=1)))
    total = _count(query.with_only_columns(Order.id))
    orders = db.session.scalars(
        query.options(selectinload(Order.parts), selectinload(Order.payments))
        .order_by(Order.created_at.desc(), Order.id.desc())
        .limit(PAGE_SIZE).offset((filters.page - 1) * PAGE_SIZE)
    ).all()
    return list(orders), total


def order_in_full(number: str) -> Order | None:
    """One order with its parts and lines, payments, refunds and timeline; None when there is no such order."""
    return db.session.scalar(
        select(Order).where(Order.number == number.strip().upper())
        .options(selectinload(Order.parts).selectinload(Fulfillment.lines), selectinload(Order.payments),
                 selectinload(Order.events))
    )


def refunds_of(order: Order) -> list[Refund]:
    ids = [payment.id for payment in order.payments]
    if not ids:
        return []
    return list(db.session.scalars(select(Refund).where(Refund.payment_id.in_(ids)).order_by(Refund.id)))
