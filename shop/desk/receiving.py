"""Parcels arriving at the sales point, and goods of the point's own stock put aside for an order.

Every use case takes the staff member's sales point id and refuses anything of another point as if it
did not exist: a part of point A is "not found" at point B, never described.
"""
from __future__ import annotations

from dataclasses import dataclass

from shop.clock import now
from shop.desk.errors import (AwaitingPayment, CannotPutAside, ParcelForOtherPoint, ParcelNotExpected, ParcelNotFound,
                              PartNotHere, refuse)
from shop.extensions import db
from shop.labels import part_status_label
from shop.orders.codes import parse_part_code
from shop.orders.lifecycle import lock_order, move_part
from shop.orders.models import Fulfillment, InvalidTransition, Order, OrderEventKind, PartStatus, Route
from shop.orders.pickup import ready_if_complete

#: A producer's parcel may be received from these (a parcel in hand counts even if "sent" was not clicked).
_RECEIVABLE = (PartStatus.ACCEPTED, PartStatus.PACKED, PartStatus.SENT_TO_POINT)


@dataclass(frozen=True)
class Received:
    part: Fulfillment
    order: Order
    #: The order became ready with this parcel: the customer was told.
    order_ready: bool
    #: Parts of the order still missing at the point.
    missing: list[Fulfillment]


def receive_parcel(point_id: int, scanned: str, user) -> Received:
    """The parcel with this label is at the point: mark it so, and make its order ready if it was the last."""
    part_id = parse_part_code(scanned)
    if part_id is None:
        raise ParcelNotFound()
    order = lock_order(part_id=part_id)
    part = order.part(part_id) if order is not None else None
    if part is None or part.route == Route.DELIVERY:
        refuse(ParcelNotFound())
    if order.sales_point_id != point_id:
        refuse(ParcelForOtherPoint(part=part.id, point=f"{order.sales_point_code} – {order.sales_point_name}"))
    if part.route != Route.VIA_POINT:
        refuse(ParcelNotFound())
    if part.status not in _RECEIVABLE:
        refuse(ParcelNotExpected(part=part.id, status=part_status_label(part.status)))
    move_part(order, part, PartStatus.AT_POINT, user)
    part.received_at = now()
    return _received(order, part, user)


def put_aside(point_id: int, part_id: int, user) -> Received:
    """Staff took the goods of a part served from the point's own stock off the shelf for the customer."""
    order = lock_order(part_id=part_id)
    part = order.part(part_id) if order is not None else None
    if part is None or order.sales_point_id != point_id or part.route != Route.POINT_STOCK:
        refuse(PartNotHere())
    if order.awaits_payment:
        refuse(AwaitingPayment())
    try:
        move_part(order, part, PartStatus.AT_POINT, user, OrderEventKind.PUT_ASIDE)
    except InvalidTransition:
        refuse(CannotPutAside(status=part_status_label(part.status)))
    part.received_at = now()
    return _received(order, part, user)


def _received(order: Order, part: Fulfillment, user) -> Received:
    """After a part arrived or was put aside: the order may be ready now; commit and say what is missing."""
    ready = ready_if_complete(order, user)
    missing = [p for p in order.live_parts if p.status not in (PartStatus.AT_POINT, PartStatus.READY)]
    db.session.commit()
    return Received(part, order, ready, missing)
