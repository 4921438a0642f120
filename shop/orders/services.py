"""Order use cases after placement: cancel (by the customer, or for money that never came)."""
from __future__ import annotations

import hmac

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from shop.errors import ShopError
from shop.extensions import begin_write, db
from shop.inventory.services import Allocation, consume, release
from shop.notifications.outbox import enqueue, enqueue_to_producer
from shop.orders.models import (CUSTOMER_CANCELLABLE, Fulfillment, Order, OrderEvent, PartStatus, Route,
                               holds_allocation)
from shop.orders.reasons import CancelReason
from shop.orders.status import derive_status
from shop.payments.models import PaymentMethod, PaymentStatus
from shop.links import external_url, order_url, part_url


class OrderError(ShopError):
    """An order action the shop refuses; str(error) is safe to show."""

    message = _l("This action is not possible for this order.")


class CannotCancel(OrderError):
    message = _l("This order can no longer be cancelled: part of it has already been packed.")


def record_event(order: Order, kind: str, actor=None, part: Fulfillment | None = None, **data) -> None:
    """Add a line to the order's timeline (who, what, when)."""
    label = "system"
    if actor == "customer":
        label, actor = "customer", None
    elif actor is not None:
        label = actor.email
    order.events.append(OrderEvent(kind=kind, data=data, part_id=part.id if part else None,
                                   actor_user_id=actor.id if actor else None, actor_label=label))


def refresh_status(order: Order) -> None:
    """Store the status derived from parts and payment (kept as a column so lists can filter it)."""
    payment = order.payment
    order.status = derive_status([p.status for p in order.parts], payment.method if payment else None,
                                 payment.status if payment else None)


def move_part(part: Fulfillment, status: PartStatus) -> PartStatus:
    """Move a part along its route and keep the stock books: every status change goes through here.

    When the part stops holding its allocation, the units were either given up (cancelled; a point's own
    goods not collected) and go back to free stock, or they left the location and come off on-hand too.
    """
    held = holds_allocation(part.route, part.status)
    previous = part.move_to(status)
    if held and not holds_allocation(part.route, part.status):
        allocations = [Allocation(line.variant_id, line.source_location_id, line.quantity)
                       for line in part.lines if line.variant_id is not None]
        if status in (PartStatus.CANCELLED, PartStatus.UNCLAIMED):
            release(allocations)
        else:
            consume(allocations)
    return previous


def cash_left(order: Order, method: PaymentMethod) -> int:
    """Cash still to take for an order paid in cash (at the desk, or on delivery): the payment less the
    goods cancelled since; 0 when it is paid, or paid another way."""
    payment = order.payment
    if payment is None or payment.method != method or payment.status != PaymentStatus.PENDING:
        return 0
    return max(payment.amount_vnd - order.gone_vnd, 0)


def order_for_visitor(number: str, token: str, user, *options) -> Order | None:
    """The order if this visitor may see it: they hold its token (compared in constant time) or own it."""
    order = db.session.scalar(select(Order).where(Order.number == number).options(*options))
    if order is None:
        return None
    owns = user.is_authenticated and order.user_id == user.id
    if not owns and not hmac.compare_digest((token or "").encode(), order.access_token.encode()):
        return None
    return order


def load_for_update(order_id: int) -> Order | None:
    """Re-read an order with its parts, lines and payments at the start of a write transaction."""
    begin_write()
    return db.session.scalar(
        select(Order).where(Order.id == order_id).with_for_update()
        .options(selectinload(Order.parts).selectinload(Fulfillment.lines), selectinload(Order.payments))
    )


def _cancel_parts(order: Order, reason: CancelReason, actor) -> None:
    for part in order.parts:
        if part.status in (PartStatus.CANCELLED, PartStatus.UNCLAIMED, PartStatus.COLLECTED, PartStatus.DELIVERED):
            continue
        move_part(part, PartStatus.CANCELLED)
        if part.route != Route.POINT_STOCK:
            enqueue_to_producer("part_cancelled", part.producer_id, {
                "order_number": order.number, "part_id": part.id, "producer_name": part.producer_name,
                "reason": reason, "part_url": part_url(part)},
                dedupe_key=f"part_cancelled:{part.id}")
    payment = order.payment
    if payment is not None and payment.status == PaymentStatus.PENDING:
        payment.mark_failed()
    record_event(order, "cancelled", actor, reason=reason)
    refresh_status(order)
    enqueue("order_cancelled", order.contact_email, order.language,
            {"order_number": order.number, "order_url": order_url(order), "customer_name": order.contact_name,
             "reason": reason, "refund_note": None},
            dedupe_key=f"order_cancelled:{order.number}")


def cancel_unpaid(order: Order, reason: CancelReason) -> None:
    """Cancel an order whose money never came: its payment fails, its stock goes back (the caller commits)."""
    _cancel_parts(order, reason, None)


def cancel_by_customer(order_id: int) -> Order:
    """Cancel while nothing is packed or put aside: every part is released, the customer told."""
    order = load_for_update(order_id)
    live = [p for p in order.parts if p.status != PartStatus.CANCELLED]
    if not live or any(p.status not in CUSTOMER_CANCELLABLE for p in live):
        db.session.rollback()
        raise CannotCancel()
    _cancel_parts(order, CancelReason.CUSTOMER, "customer")
    payment = order.payment
    if payment is not None and payment.method == PaymentMethod.VIETQR_TRANSFER and payment.status == PaymentStatus.PAID:
        # The money is in the office's bank account: only the office can send it back.
        enqueue("refund_due", current_app.config["OPERATOR_EMAIL"], "vi", {
            "order_number": order.number, "admin_url": external_url("admin.transfers"),
            "amount_vnd": payment.received_vnd or payment.amount_vnd, "payment_method": str(payment.method),
            "reference": payment.provider_reference, "contact_name": order.contact_name,
            "contact_phone": order.contact_phone, "contact_email": order.contact_email},
            dedupe_key=f"refund_due:{order.number}")
    db.session.commit()
    return order
