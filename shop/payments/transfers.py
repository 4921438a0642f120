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
from shop.payments.errors import AmountMismatch, NotAwaitingTransfer
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


def record_transfer(order_id: int, received_vnd: int, reference: str, admin) -> Order:
    """Record a bank transfer as received; the amount must be what is due now (orders/amounts.py), exactly."""
    order = lock_order(order_id=order_id)
    payment = order.payment if order else None
    if payment is None or payment.method != PaymentMethod.VIETQR_TRANSFER or payment.status != PaymentStatus.PENDING:
        db.session.rollback()
        raise NotAwaitingTransfer()
    due = amount_due(order)
    if not due:
        db.session.rollback()
        raise NotAwaitingTransfer()
    if received_vnd != due:
        db.session.rollback()
        raise AmountMismatch(received=format_vnd(received_vnd), due=format_vnd(due))
    # Conditional, so two admins recording the same transfer at once record it once.
    if not payment.claim_paid(received_vnd, reference=reference, by=admin):
        db.session.rollback()
        raise NotAwaitingTransfer()
    record_event(order, OrderEventKind.PAYMENT_RECEIVED, admin, amount_vnd=received_vnd, method=str(payment.method))
    book_payment(order, payment, received_vnd, bank())
    payment_changed(order)
    enqueue(messages.payment_received(order, payment, received_vnd))
    record_change(admin, "payment.transfer.recorded", order, before={"payment": "pending"},
                  after={"payment": "paid", "amount_vnd": received_vnd, "reference": reference})
    db.session.commit()
    return order


@dataclass(frozen=True)
class RefundOwed:
    """A transfer order holding money for goods that are gone: the office gives it back."""

    order: Order
    amount_vnd: int


def refunds_owed() -> list[RefundOwed]:
    """Paid transfer orders with money received for goods that are gone (cancelled, rejected, unclaimed)."""
    orders = db.session.scalars(
        select(Order).join(Payment, Payment.order_id == Order.id)
        .where(Payment.method == PaymentMethod.VIETQR_TRANSFER, Payment.status == PaymentStatus.PAID,
               Order.parts.any(Fulfillment.status.in_(GONE)))
        .options(selectinload(Order.parts).selectinload(Fulfillment.lines), selectinload(Order.payments))
        .order_by(Order.id)
    ).all()
    owed = [RefundOwed(order, refund_owed_vnd(order)) for order in orders]
    return [row for row in owed if row.amount_vnd]
