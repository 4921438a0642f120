"""The OCOP office moves an open pickup order to another sales point, before any of its goods reach the first.

Used when a point closes for good (it may close only once no order waits there) or for a long closure. The
order keeps the new point as it would have at purchase (names frozen), the timeline says who moved it from
where to where, the customer and each producer whose parcel now goes there are e-mailed the new place, and
the audit log records it.
"""
from __future__ import annotations

from flask_babel import lazy_gettext as _l

from shop.audit import record_change
from shop.clock import today
from shop.extensions import db
from shop.notifications.outbox import enqueue
from shop.orders import messages, part_messages
from shop.orders.lifecycle import lock_order, record_event
from shop.orders.models import DeliveryMethod, Order, OrderEventKind
from shop.orders.services import OrderError
from shop.sales_points.models import PickupMode, SalesPoint


class CannotMove(OrderError):
    message = _l("Order %(number)s cannot move: some of its goods are already at the sales point or come from "
                 "its own shelf.")


class PointRefused(OrderError):
    message = _l("The order cannot move there: choose another open sales point that receives parcels from "
                 "producers.")


def may_move(order: Order) -> bool:
    """A pickup order whose every live part is a producer's parcel not yet at the point (none from its shelf)."""
    live = order.live_parts
    return order.delivery_method == DeliveryMethod.PICKUP and bool(live) and all(p.expected_at_point for p in live)


def may_receive(point: SalesPoint | None, order: Order) -> bool:
    """An open point, not closed today, taking producers' parcels, and not the order's own."""
    return (point is not None and point.is_active and point.pickup_mode == PickupMode.ANY_STOCK
            and point.id != order.sales_point_id and point.closed_until(today()) is None)


def move_to_point(order_id: int, point_id: int, actor) -> Order:
    """Move the order's pickup to another point; raise CannotMove or PointRefused and change nothing."""
    order = lock_order(order_id=order_id)
    if order is None or not may_move(order):
        number = order.number if order is not None else ""
        db.session.rollback()
        raise CannotMove(number=number)
    point = db.session.get(SalesPoint, point_id)
    if not may_receive(point, order):
        db.session.rollback()
        raise PointRefused()
    before = {"sales_point": f"{order.sales_point_code} · {order.sales_point_name}"}
    previous = order.sales_point_display_name
    order.sales_point_id, order.sales_point_code = point.id, point.code
    order.sales_point_name, order.sales_point_address = point.name, point.address
    order.sales_point_name_i18n = {lang: fields["name"] for lang, fields in (point.i18n or {}).items()
                                   if fields.get("name")}
    record_event(order, OrderEventKind.POINT_CHANGED, actor, previous=before["sales_point"].split(" · ")[0],
                 point=point.code)
    enqueue(messages.pickup_point_changed(order, previous))
    # Each producer sends its parcel to the new point: told once per part and point.
    enqueue(*(part_messages.part_destination_changed(order, part, before["sales_point"]) for part in order.live_parts))
    record_change(actor, "order.pickup_point_moved", order, before=before,
                  after={"sales_point": f"{point.code} · {point.name}"})
    db.session.commit()
    return order
