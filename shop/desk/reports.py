"""What the desk reads: the day's lists, how late a parcel is, and the cash taken at the point."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from flask import current_app
from sqlalchemy import select, true
from sqlalchemy.orm import selectinload

from shop.clock import VIETNAM, aware, now
from shop.desk.handover import order_options
from shop.desk.models import CounterMethod, CounterSale
from shop.extensions import db
from shop.orders.models import Fulfillment, Order, OrderStatus, PartStatus, Route
from shop.orders.payment import PaymentMethod, PaymentStatus
from shop.sales_points.models import SalesPoint


def is_late(part: Fulfillment, order: Order, at: dt.datetime | None = None) -> bool:
    """A producer's parcel not at the point PARCEL_LATE_DAYS after the order was placed."""
    if not part.expected_at_point:
        return False
    days = current_app.config["PARCEL_LATE_DAYS"]
    return aware(at or now()) > aware(order.created_at) + dt.timedelta(days=days)


def point_of(user) -> SalesPoint:
    return db.session.get(SalesPoint, user.sales_point_id)


def _point_orders(point_id: int):
    return select(Order).where(Order.sales_point_id == point_id).options(*order_options())


def _open_orders(point_id: int) -> list[Order]:
    open_statuses = (OrderStatus.CONFIRMED, OrderStatus.IN_PROGRESS, OrderStatus.READY_FOR_PICKUP)
    return list(db.session.scalars(
        _point_orders(point_id).where(Order.status.in_(open_statuses)).order_by(Order.id)
    ))


def incoming(point_id: int) -> dict:
    """What the point expects or prepares: parcels on the way, own-stock parts to put aside, orders still
    missing a parcel, and orders ready for their customer."""
    orders = _open_orders(point_id)
    on_the_way, to_prepare, waiting, ready = [], [], [], []
    for order in orders:
        live = order.live_parts
        if order.status == OrderStatus.READY_FOR_PICKUP:
            ready.append(order)
            continue
        on_the_way += [p for p in live if p.route == Route.VIA_POINT and p.status == PartStatus.SENT_TO_POINT]
        to_prepare += [p for p in live if p.route == Route.POINT_STOCK and p.status == PartStatus.NEW]
        if any(p.status == PartStatus.AT_POINT for p in live):
            waiting.append(order)  # something is here, something is still missing
    # The orders stay referenced here: the session holds loaded objects weakly, and each part's `order`
    # must be found in it, not fetched again one by one.
    return {"on_the_way": on_the_way, "to_prepare": to_prepare, "waiting": waiting, "ready": ready,
            "open_orders": orders}


def dashboard(point_id: int, at: dt.datetime | None = None) -> dict:
    """Everything the desk works through today, each list oldest first."""
    at = aware(at or now())
    day_start = _day_start(at)
    collected = db.session.scalars(
        _point_orders(point_id).where(Order.collected_at >= day_start).order_by(Order.collected_at.desc())
    ).all()
    # The query twin of Fulfillment.awaits_return.
    returns = db.session.scalars(
        select(Fulfillment).join(Order, Fulfillment.order_id == Order.id)
        .where(Order.sales_point_id == point_id, Fulfillment.status == PartStatus.UNCLAIMED,
               Fulfillment.route == Route.VIA_POINT, Fulfillment.returned_at.is_(None))
        .options(selectinload(Fulfillment.lines), selectinload(Fulfillment.order)).order_by(Fulfillment.id)
    ).all()
    report = cash_report(point_id, day_start.astimezone(VIETNAM).date())
    return {**incoming(point_id), "collected_today": collected, "returns": returns,
            "cash_today_vnd": report.total_vnd}


# ---- cash ---------------------------------------------------------------------------------------

def _day_start(at: dt.datetime) -> dt.datetime:
    local = aware(at).astimezone(VIETNAM)
    return dt.datetime.combine(local.date(), dt.time(), VIETNAM).astimezone(dt.UTC)


@dataclass(frozen=True)
class CashRow:
    recorded_at: dt.datetime
    order_number: str
    customer: str
    staff: str
    amount_vnd: int
    tendered_vnd: int | None
    #: A sale at the counter (its receipt) rather than an online order handed over.
    counter_sale_id: int | None = None


@dataclass(frozen=True)
class CashReport:
    day: dt.date
    rows: list[CashRow]
    #: staff label → (count, total)
    by_staff: dict[str, tuple[int, int]]

    @property
    def total_vnd(self) -> int:
        return sum(row.amount_vnd for row in self.rows)


def cash_report(point_id: int, day: dt.date, staff_id: int | None = None) -> CashReport:
    """Cash taken at this point's desk on one day (Vietnam time): online orders handed over and sales at the
    counter, row by row and per staff member."""
    from shop.auth.models import User
    from shop.orders.payment import Payment

    start = dt.datetime.combine(day, dt.time(), VIETNAM).astimezone(dt.UTC)
    end = start + dt.timedelta(days=1)
    rows = db.session.execute(
        select(Payment.recorded_at, Order.number, Order.contact_name, User.name, User.email, Payment.received_vnd,
               Payment.tendered_vnd)
        .join(Order, Payment.order_id == Order.id).outerjoin(User, Payment.recorded_by_id == User.id)
        .where(Order.sales_point_id == point_id, Payment.method == PaymentMethod.CASH_AT_PICKUP,
               Payment.status.in_((PaymentStatus.PAID, PaymentStatus.REFUNDED)),
               Payment.recorded_at >= start, Payment.recorded_at < end)
        .where(Payment.recorded_by_id == staff_id if staff_id is not None else true())
        .order_by(Payment.recorded_at, Payment.id)
    ).all()
    cash_rows = [CashRow(aware(at), number, customer, name or email or "—", amount or 0, tendered)
                 for at, number, customer, name, email, amount, tendered in rows]
    counter = db.session.execute(
        select(CounterSale.created_at, CounterSale.reference, User.name, User.email, CounterSale.total_vnd,
               CounterSale.tendered_vnd, CounterSale.id)
        .outerjoin(User, CounterSale.staff_id == User.id)
        .where(CounterSale.sales_point_id == point_id, CounterSale.method == CounterMethod.CASH,
               CounterSale.voided_at.is_(None),  # a voided sale's cash went back to the customer
               CounterSale.created_at >= start, CounterSale.created_at < end)
        .where(CounterSale.staff_id == staff_id if staff_id is not None else true())
    ).all()
    cash_rows += [CashRow(aware(at), reference, "", name or email or "—", total, tendered, sale_id)
                  for at, reference, name, email, total, tendered, sale_id in counter]
    cash_rows.sort(key=lambda row: row.recorded_at)
    by_staff: dict[str, tuple[int, int]] = {}
    for row in cash_rows:
        count, total = by_staff.get(row.staff, (0, 0))
        by_staff[row.staff] = (count + 1, total + row.amount_vnd)
    return CashReport(day, cash_rows, by_staff)
