"""VietQR bank transfers: the office records the money once; orders whose transfer never came expire."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from shop.audit import record_change
from shop.clock import aware, now
from shop.extensions import db
from shop.ledger.accounts import bank
from shop.ledger.orders import book_payment
from shop.money import format_vnd
from shop.notifications.outbox import enqueue
from shop.payments import messages
from shop.orders.amounts import amount_due, refund_owed_vnd
from shop.orders.models import GONE, Fulfillment, Order, OrderEventKind
from shop.orders.reasons import CancelReason
from shop.orders.lifecycle import lock_order, payment_changed, record_event
from shop.orders.services import cancel_unpaid
from shop.payments.errors import AmountMismatch, NotAwaitingTransfer, TransferError
from shop.orders.payment import Payment, PaymentMethod, PaymentStatus


def expire_unpaid_transfers(at: dt.datetime | None = None) -> list[str]:
    """Cancel VietQR orders whose transfer did not arrive in time; return their numbers."""
    at = aware(at or now())
    due = db.session.scalars(
        select(Payment.order_id).where(Payment.method == PaymentMethod.VIETQR_TRANSFER,
                                       Payment.status == PaymentStatus.PENDING, Payment.due_by < at)
        .order_by(Payment.order_id)
    ).all()
    db.session.rollback()
    expired = []
    for order_id in due:
        order = lock_order(order_id=order_id)
        payment = order.payment if order else None
        # Re-checked inside the write transaction: an admin may have recorded the money meanwhile.
        if payment is None or payment.status != PaymentStatus.PENDING or aware(payment.due_by) >= at:
            db.session.rollback()
            continue
        cancel_unpaid(order, CancelReason.UNPAID_TRANSFER)
        db.session.commit()
        expired.append(order.number)
    return expired


def transfer_refusal(order: Order | None, received_vnd: int) -> TransferError | None:
    """Why this money cannot pay the (locked) order as a transfer now; None when it is exactly what is due."""
    payment = order.payment if order else None
    if payment is None or payment.method != PaymentMethod.VIETQR_TRANSFER or payment.status != PaymentStatus.PENDING:
        return NotAwaitingTransfer()
    due = amount_due(order)
    if not due:
        return NotAwaitingTransfer()
    if received_vnd != due:
        return AmountMismatch(received=format_vnd(received_vnd), due=format_vnd(due))
    return None


def take_transfer(order: Order, received_vnd: int, reference: str, by) -> bool:
    """Record the (locked) order's transfer as received, in the caller's transaction; False when another writer
    recorded it first. The caller checked `transfer_refusal` or allows money beyond what is due (owed back)."""
    payment = order.payment
    # Conditional, so two writers recording the same transfer at once record it once.
    if not payment.claim_paid(received_vnd, reference=reference, by=by):
        return False
    record_event(order, OrderEventKind.PAYMENT_RECEIVED, by, amount_vnd=received_vnd, method=str(payment.method))
    book_payment(order, payment, received_vnd, bank())
    payment_changed(order)
    enqueue(messages.payment_received(order, payment, received_vnd))
    record_change(by, "payment.transfer.recorded", order, before={"payment": "pending"},
                  after={"payment": "paid", "amount_vnd": received_vnd, "reference": reference})
    return True


def record_transfer(order_id: int, received_vnd: int, reference: str, admin) -> Order:
    """Record a bank transfer as received; the amount must be what is due now (orders/amounts.py), exactly."""
    order = lock_order(order_id=order_id)
    refusal = transfer_refusal(order, received_vnd)
    if refusal is not None:
        db.session.rollback()
        raise refusal
    if not take_transfer(order, received_vnd, reference, admin):
        db.session.rollback()
        raise NotAwaitingTransfer()
    db.session.commit()
    return order


@dataclass(frozen=True)
class RefundOwed:
    """A transfer order holding money for goods that are gone: the office gives it back."""

    order: Order
    amount_vnd: int


def refunds_owed() -> list[RefundOwed]:
    """Paid transfer orders with money received for goods that are gone (cancelled, rejected, unclaimed), or
    more money than the order was worth (a transfer the office gave to it)."""
    orders = db.session.scalars(
        select(Order).join(Payment, Payment.order_id == Order.id)
        .where(Payment.method == PaymentMethod.VIETQR_TRANSFER, Payment.status == PaymentStatus.PAID,
               Order.parts.any(Fulfillment.status.in_(GONE)) | (Payment.received_vnd > Payment.amount_vnd))
        .options(selectinload(Order.parts).selectinload(Fulfillment.lines), selectinload(Order.payments))
        .order_by(Order.id)
    ).all()
    owed = [RefundOwed(order, refund_owed_vnd(order)) for order in orders]
    return [row for row in owed if row.amount_vnd]
