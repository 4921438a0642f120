"""The doors every write to an order goes through: lock it, move its parts, record what happened.

Checkout, the producer workspace, the sales point's desk, card payments and the order services all use
these; after each, the order's stored status is derived again from its parts and its payment.
"""
from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from shop.extensions import begin_write, db
from shop.inventory.services import Allocation, consume, release
from shop.notifications.outbox import enqueue
from shop.orders import messages as order_messages
from shop.orders.amounts import pass_on_delivery_fee
from shop.orders.models import GONE, Fulfillment, Order, OrderEvent, OrderEventKind, PartStatus, holds_allocation
from shop.orders.status import derive_status

#: A part that reaches one of these is in its buyer's hands: they are invited to review its products.
RECEIVED = frozenset({PartStatus.COLLECTED, PartStatus.DELIVERED})


def lock_order(*, order_id: int | None = None, part_id: int | None = None) -> Order | None:
    """Start a write transaction and lock the order (by its id, or by one of its parts' ids).

    The order comes with its parts, their lines and its payments, read afresh under the lock: anything
    read before the lock may have changed meanwhile. None when there is no such order or part.
    """
    if (order_id is None) == (part_id is None):
        raise TypeError("lock_order takes exactly one of order_id and part_id")
    begin_write()
    if part_id is not None:
        order_id = select(Fulfillment.order_id).where(Fulfillment.id == part_id).scalar_subquery()
    return db.session.scalar(
        select(Order).where(Order.id == order_id).with_for_update(of=Order)
        .options(selectinload(Order.parts).selectinload(Fulfillment.lines), selectinload(Order.payments))
        .execution_options(populate_existing=True)
    )


def record_event(order: Order, kind: OrderEventKind, actor=None, part: Fulfillment | None = None, **data) -> None:
    """Add a line to the order's timeline (who, what, when).

    The actor is a user, "customer" for a guest, or None for the shop itself.
    """
    label = "system"
    if actor == "customer":
        label, actor = "customer", None
    elif actor is not None:
        label = actor.email
    # Added by its order attribute: the order's timeline is appended to without being loaded first.
    db.session.add(OrderEvent(order=order, kind=OrderEventKind(kind), data=data, part_id=part.id if part else None,
                              actor_user_id=actor.id if actor else None, actor_label=label))


def _refresh_status(order: Order) -> None:
    """Store the status derived from parts and payment (kept as a column so lists can filter it)."""
    payment = order.payment
    order.status = derive_status([p.status for p in order.parts], payment.method if payment else None,
                                 payment.status if payment else None)


def payment_changed(order: Order) -> None:
    """The order's payment changed (paid, failed, refunded, replaced): derive the order's status again."""
    _refresh_status(order)


def placed(order: Order, actor, **data) -> None:
    """A new order exists: its first timeline line and its first status."""
    record_event(order, OrderEventKind.PLACED, actor, **data)
    _refresh_status(order)


def _move_keeping_stock(part: Fulfillment, status: PartStatus) -> PartStatus:
    """Move a part along its route and keep the stock books.

    When the part stops holding its allocation, the units were either given up (cancelled; a point's own
    goods not collected) and go back to free stock, or they left the location and come off on-hand too.
    A part that goes hands its share of the delivery fee on (orders/amounts.py).
    """
    held = holds_allocation(part.route, part.status)
    previous = part.move_to(status)
    if status in GONE:
        pass_on_delivery_fee(part.order, part)
    if held and not holds_allocation(part.route, part.status):
        allocations = [Allocation(line.variant_id, line.source_location_id, line.quantity)
                       for line in part.lines if line.variant_id is not None]
        if status in (PartStatus.CANCELLED, PartStatus.UNCLAIMED):
            release(allocations)
        else:
            consume(allocations)
    return previous


def move_part(order: Order, part: Fulfillment, status: PartStatus, actor,
              kind: OrderEventKind = OrderEventKind.PART_STATUS, **event) -> PartStatus:
    """Move one part: its route allows it (else InvalidTransition, nothing changed), the stock books follow,
    the timeline gets one line naming the part and its producer, and the order's status is derived again.

    Returns the status the part had.
    """
    previous = _move_keeping_stock(part, status)
    if kind == OrderEventKind.PART_STATUS:
        event = {"status": str(status), **event}
    record_event(order, kind, actor, part=part, producer=part.producer_name, **event)
    _refresh_status(order)
    _invite_to_review(order, [part], status)
    return previous


def move_parts(order: Order, parts: Iterable[Fulfillment], status: PartStatus, actor, kind: OrderEventKind,
               **event) -> None:
    """Move several parts of the order together as one step of the whole order (ready, collected,
    unclaimed, cancelled): each part's route and stock as in move_part, one timeline line for the order.
    """
    parts = list(parts)
    for part in parts:
        _move_keeping_stock(part, status)
    record_event(order, kind, actor, **event)
    _refresh_status(order)
    _invite_to_review(order, parts, status)


def _invite_to_review(order: Order, parts: list[Fulfillment], status: PartStatus) -> None:
    """Goods reached the customer: the outbox invites them, once, to review those products."""
    if status in RECEIVED and parts:
        enqueue(order_messages.review_invitation(order, parts))
