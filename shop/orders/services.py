"""Order use cases after placement: cancel for money that never came, and the cancelling both cancels share."""
from __future__ import annotations

import hmac

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from shop.errors import ShopError
from shop.extensions import db
from shop.notifications.outbox import enqueue
from shop.orders import messages as order_messages, part_messages
from shop.orders.codes import normalize_order_number
from shop.orders.lifecycle import move_parts
from shop.orders.models import FINAL, Order, OrderEventKind, PartStatus, Route
from shop.orders.reasons import CancelReason
from shop.orders.payment import PaymentMethod, PaymentStatus


class OrderError(ShopError):
    """An order action the shop refuses; str(error) is safe to show."""

    message = _l("This action is not possible for this order.")


class CannotCancel(OrderError):
    message = _l("This order can no longer be cancelled: part of it has already been packed.")


def order_for_visitor(number: str, token: str, user, *options) -> Order | None:
    """The order if this visitor may see it: they hold its token (compared in constant time) or own it."""
    order = db.session.scalar(select(Order).where(Order.number == number).options(*options))
    if order is None:
        return None
    owns = user.is_authenticated and order.user_id == user.id
    if not owns and not hmac.compare_digest((token or "").encode(), order.access_token.encode()):
        return None
    return order


def order_for_lookup(number: str, phone: str) -> Order | None:
    """A guest finds their order again: its number and the phone given with it, or None (which one was wrong is not said).

    `phone` is already in E.164; the contact's number and an address's recipient number both count.
    """
    order = db.session.scalar(select(Order).where(Order.number == normalize_order_number(number)))
    if order is None or not phone:
        return None
    if not any(hmac.compare_digest(phone.encode(), (known or "").encode())
               for known in (order.contact_phone, order.recipient_phone)):
        return None
    return order


def cancel_parts(order: Order, reason: CancelReason, actor, **event) -> list:
    """Cancel every part not final yet (a pending payment fails); return them. The caller commits."""
    parts = [part for part in order.parts if part.status not in FINAL]
    payment = order.payment
    if payment is not None and payment.status == PaymentStatus.PENDING:
        payment.mark_failed()
    move_parts(order, parts, PartStatus.CANCELLED, actor, OrderEventKind.CANCELLED, reason=reason, **event)
    for part in parts:
        if part.route != Route.POINT_STOCK:
            enqueue(part_messages.part_cancelled(order, part, reason))
    enqueue(order_messages.order_cancelled(order, reason))
    return parts


def cancel_unpaid(order: Order, reason: CancelReason) -> None:
    """Cancel an order whose money never came: its payment fails, its stock goes back (the caller commits)."""
    cancel_parts(order, reason, None)

