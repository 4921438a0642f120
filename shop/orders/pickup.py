"""When a pickup order becomes ready, and what its customer is told about collecting it."""
from __future__ import annotations

import datetime as dt

from flask import current_app
from flask_babel import force_locale

from shop.clock import aware, now
from shop.links import order_url
from shop.notifications.outbox import enqueue
from shop.orders.lifecycle import move_parts
from shop.orders.models import DeliveryMethod, Order, OrderEventKind, PartStatus
from shop.orders.services import cash_left
from shop.payments.models import PaymentMethod


def cash_due_at_pickup(order: Order) -> int:
    """Cash still to take at the desk: the payment less what was cancelled since; 0 if paid or not cash."""
    return cash_left(order, PaymentMethod.CASH_AT_PICKUP)


def point_payload(order: Order, for_customer: bool = True) -> dict:
    """The pickup point as the e-mails show it: in the customer's language, or in Vietnamese for the office."""
    point = order.sales_point
    with force_locale(order.language if for_customer else "vi"):
        name = order.sales_point_display_name
    return {"code": order.sales_point_code, "name": name, "address": order.sales_point_address,
            "phone": point.phone if point else "", "hours": [list(pair) for pair in point.hours] if point else []}


def ready_payload(order: Order) -> dict:
    """What the "ready" and "reminder" e-mails say: where, until when, the code, what to pay."""
    lines = [line for part in order.live_parts for line in part.lines]
    with force_locale(order.language):
        names = [line.display_name for line in lines]
    return {
        "order_number": order.number, "order_url": order_url(order), "customer_name": order.contact_name,
        "pickup_code": order.pickup_code, "sales_point": point_payload(order),
        "hold_until": aware(order.hold_until).isoformat(),
        "lines": [{"product_name": name, "variant_label": l.variant_label, "quantity": l.quantity}
                  for l, name in zip(lines, names)],
        "cash_due_vnd": cash_due_at_pickup(order),
        "payment_method": str(order.payment.method) if order.payment else "",
    }


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
    enqueue("order_ready", order.contact_email, order.language, ready_payload(order),
            dedupe_key=f"order_ready:{order.number}")
    return True
