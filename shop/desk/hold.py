"""The hold period of ready orders: reminders, orders not collected in time, parcels given back."""
from __future__ import annotations

import datetime as dt

from flask import current_app
from sqlalchemy import select

from shop.clock import aware, now
from shop.desk.errors import NotUnclaimed, PartNotHere, refuse
from shop.extensions import db
from shop.payments.bank_refunds import goods_gone
from shop.notifications.outbox import enqueue
from shop.orders import messages as order_messages, part_messages
from shop.orders.lifecycle import lock_order, move_parts, record_event
from shop.orders.models import Fulfillment, Order, OrderEventKind, OrderStatus, PartStatus, Route
from shop.orders.pickup import cash_due_at_pickup
from shop.orders.payment import PaymentStatus


def hold_left(order: Order, at: dt.datetime | None = None) -> dt.timedelta | None:
    return aware(order.hold_until) - aware(at or now()) if order.hold_until else None


def _ready_orders_ids(condition) -> list[int]:
    ids = db.session.scalars(
        select(Order.id).where(Order.status == OrderStatus.READY_FOR_PICKUP, condition).order_by(Order.id)
    ).all()
    db.session.rollback()
    return list(ids)


def send_reminders(at: dt.datetime | None = None) -> list[str]:
    """Remind customers whose hold ends within PICKUP_REMINDER_DAYS, once per order; return the numbers."""
    at = aware(at or now())
    soon = at + dt.timedelta(days=current_app.config["PICKUP_REMINDER_DAYS"])
    reminded = []
    for order_id in _ready_orders_ids((Order.hold_until <= soon) & (Order.hold_until > at)
                                      & Order.reminded_at.is_(None)):
        order = lock_order(order_id=order_id)
        if order is None or not order.is_ready_for_pickup or order.reminded_at is not None:
            db.session.rollback()
            continue
        order.reminded_at = at
        enqueue(order_messages.pickup_reminder(order, cash_due_at_pickup(order)))
        record_event(order, OrderEventKind.PICKUP_REMINDER, None)
        db.session.commit()
        reminded.append(order.number)
    return reminded


def expire_pickups(at: dt.datetime | None = None) -> list[str]:
    """Orders ready past their hold become unclaimed: own-stock goods back in stock, parcels flagged for return."""
    at = aware(at or now())
    expired = []
    for order_id in _ready_orders_ids(Order.hold_until < at):
        order = lock_order(order_id=order_id)
        # Re-checked under the lock: staff may be handing it over this very moment.
        if order is None or not order.is_ready_for_pickup or aware(order.hold_until) >= at:
            db.session.rollback()
            continue
        _make_unclaimed(order, at)
        db.session.commit()
        expired.append(order.number)
    return expired


def _make_unclaimed(order: Order, at: dt.datetime) -> None:
    payment = order.payment
    paid = (payment.received_vnd or payment.amount_vnd) if payment and payment.status == PaymentStatus.PAID else 0
    if payment is not None and payment.status == PaymentStatus.PENDING:
        payment.mark_failed()  # cash that was never taken
    ready = [part for part in order.parts if part.status == PartStatus.READY]
    # Own-stock units go back to the point's free stock.
    move_parts(order, ready, PartStatus.UNCLAIMED, None, OrderEventKind.UNCLAIMED, point=order.sales_point_code,
               paid_vnd=paid)
    goods_gone(order, ready)
    for part in ready:
        part.closed_at = at
        if part.route == Route.VIA_POINT:
            enqueue(part_messages.part_unclaimed(order, part))
    enqueue(order_messages.order_unclaimed(order, paid))


def mark_returned(point_id: int, part_id: int, user) -> Fulfillment:
    """An unclaimed producer parcel was handed back to its producer."""
    order = lock_order(part_id=part_id)
    part = order.part(part_id) if order is not None else None
    if part is None or order.sales_point_id != point_id:
        refuse(PartNotHere())
    if not part.awaits_return:
        refuse(NotUnclaimed())
    part.returned_at = now()
    record_event(order, OrderEventKind.RETURNED_TO_PRODUCER, user, part=part, producer=part.producer_name)
    db.session.commit()
    return part
