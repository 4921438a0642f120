"""The OCOP office cancels an order, or one of its parts, with a reason kept in the timeline.

Like the customer's cancel (account/cancelling.py) it lives above orders and the ledger: the parts go, and
paid goods that will not be delivered are owed back in the books, in the same transaction.
"""
from __future__ import annotations

from flask_babel import lazy_gettext as _l

from shop.audit import record_change
from shop.clock import now
from shop.extensions import db
from shop.payments.bank_refunds import goods_gone
from shop.notifications.outbox import enqueue
from shop.orders import messages as order_messages, part_messages
from shop.orders.lifecycle import lock_order, move_part, payment_changed
from shop.orders.models import FINAL, InvalidTransition, Order, PartStatus, Route
from shop.orders.payment import PaymentMethod, PaymentStatus
from shop.orders.pickup import ready_if_complete
from shop.orders.reasons import CancelReason
from shop.orders.services import OrderError, cancel_parts


class NoteRequired(OrderError):
    message = _l("Please say why: the reason is kept in the order's timeline.")


class PartGone(OrderError):
    message = _l("This part can no longer be cancelled: it has reached the customer or was cancelled already.")


def _office_note(note: str) -> str:
    note = (note or "").strip()[:300]
    if not note:
        db.session.rollback()
        raise NoteRequired()
    return note


def _refund_due_by_transfer(order: Order) -> None:
    payment = order.payment
    if payment is not None and payment.method == PaymentMethod.VIETQR_TRANSFER and payment.status == PaymentStatus.PAID:
        # The money is in the office's bank account: the office sends it back by hand.
        enqueue(order_messages.refund_due(order, payment))


def cancel_by_office(order_id: int, admin, note: str) -> Order:
    """The OCOP office cancels every part still open, with its reason in the timeline; customer and producers told.

    A card payment is refunded by the caller after this commit, through payments.refunds.
    """
    order = lock_order(order_id=order_id)
    if order is None:
        db.session.rollback()
        raise OrderError()
    note = _office_note(note)
    if not any(part.status not in FINAL for part in order.parts):
        db.session.rollback()
        raise PartGone()
    status = order.status
    try:
        goods_gone(order, cancel_parts(order, CancelReason.ADMIN, admin, note=note))
    except InvalidTransition:
        db.session.rollback()
        raise PartGone() from None
    _refund_due_by_transfer(order)
    record_change(admin, "order.cancelled", order, before={"status": status}, after={"status": order.status}, note=note)
    db.session.commit()
    return order


def cancel_part_by_office(part_id: int, admin, note: str) -> Order:
    """The OCOP office cancels one part (its stock released, its producer told), with its reason in the timeline.

    When it was the last open part the order is cancelled too and the customer told.
    """
    order = lock_order(part_id=part_id)
    part = order.part(part_id) if order is not None else None
    if part is None:
        db.session.rollback()
        raise OrderError()
    note = _office_note(note)
    if part.status in FINAL:
        db.session.rollback()
        raise PartGone()
    try:
        move_part(order, part, PartStatus.CANCELLED, admin, office_note=note)
    except InvalidTransition:
        db.session.rollback()
        raise PartGone() from None
    part.cancel_reason, part.closed_at = note, now()
    record_change(admin, "order.part.cancelled", order, note=f"#{part.id} {part.producer_name}: {note}")
    goods_gone(order, [part])
    if part.route != Route.POINT_STOCK:
        enqueue(part_messages.part_cancelled(order, part, CancelReason.ADMIN))
    if not order.live_parts:
        payment = order.payment
        if payment is not None and payment.status == PaymentStatus.PENDING:
            payment.mark_failed()
            payment_changed(order)
        enqueue(order_messages.order_cancelled(order, CancelReason.ADMIN))
        _refund_due_by_transfer(order)
    else:
        ready_if_complete(order, admin)
    db.session.commit()
    return order
