"""When a pickup order becomes ready, and what its customer is told about collecting it."""
from __future__ import annotations

import datetime as dt

from flask import current_app

from shop.clock import now, today
from shop.notifications.outbox import enqueue
from shop.orders import messages as order_messages
from shop.orders.lifecycle import move_parts
from shop.orders.models import DeliveryMethod, Order, OrderEventKind, OrderStatus, PartStatus
from shop.orders.amounts import cash_due
from shop.orders.payment import PaymentMethod
from shop.sales_points.pickup_days import first_pickup_day


def cash_due_at_pickup(order: Order) -> int:
    """Cash still to take at the desk: live goods + fees − paid; 0 if paid or not cash."""
    return cash_due(order, PaymentMethod.CASH_AT_PICKUP)


def ready_if_complete(order: Order, actor) -> bool:
    """When every live part of a pickup order is at its point, make them ready and tell the customer.

    Called inside the caller's write transaction after any part moved or was cancelled.
    """
    live = order.live_parts
    if order.delivery_method != DeliveryMethod.PICKUP or not live or order.awaits_payment \
            or any(p.status != PartStatus.AT_POINT for p in live):
        return False
    order.ready_at = now()
    order.hold_until = order.ready_at + dt.timedelta(days=current_app.config["PICKUP_HOLD_DAYS"])
    move_parts(order, live, PartStatus.READY, actor, OrderEventKind.READY, point=order.sales_point_code,
               hold_until=order.hold_until.isoformat())
    enqueue(order_messages.order_ready(order, cash_due_at_pickup(order)))
    return True


#: Orders with nothing left to collect.
_FINISHED = (OrderStatus.COMPLETED, OrderStatus.CANCELLED, OrderStatus.REFUNDED)


def pickup_day(order: Order) -> dt.date | None:
    """The first day the customer can collect a pickup order (sales_points/pickup_days.py); None when not to say.

    Parcels start when the order is placed, or once its transfer arrives; a late parcel is never due in the past.
    """
    point = order.sales_point
    if order.delivery_method != DeliveryMethod.PICKUP or point is None or not order.live_parts \
            or order.status in _FINISHED:
        return None
    parcels = any(part.expected_at_point for part in order.live_parts)
    start = order.created_at if parcels and not order.awaits_payment else now()
    return first_pickup_day(point, start, parcels=parcels, not_before=today())
