"""The books of orders whose money came before the ledger did (`flask ledger backfill`, run after an upgrade).

Migration 0015 opened empty books; an instance that already held paid orders then fails `flask ledger check`.
The backfill posts, for each such order, what the live code posts for its money events, through the same
functions and under the same keys: the payments received, each COD parcel's cash and the card refunds given.
A payment is shared out over the parts live now, the rest owed back: the balances the live code reaches by
sharing over the parts live then and reversing those that went since (a COD parcel, once collected, stays). An entry already
recorded (by the live code or an earlier run) is not recorded again, so the command may run after every upgrade.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import func, select

from shop.extensions import db
from shop.ledger.accounts import AccountRef, bank, point_cash, stripe_balance
from shop.ledger.models import JournalEntry
from shop.ledger.orders import RECEIVED, book_parcel_cash, book_payment, book_refund_paid
from shop.ledger.posting import LedgerError
from shop.orders.models import Fulfillment, Order
from shop.orders.payment import Payment, PaymentMethod
from shop.payments.models import Refund, RefundStatus


@dataclass
class Backfilled:
    """What a run did: the orders it wrote entries for, and the orders the books refused (with the reason)."""

    orders: list[str] = field(default_factory=list)
    refused: list[str] = field(default_factory=list)


def _received_into(order: Order, payment: Payment) -> AccountRef | None:
    if payment.method == PaymentMethod.VIETQR_TRANSFER:
        return bank()
    if payment.method == PaymentMethod.STRIPE_CARD:
        return stripe_balance()
    if payment.method == PaymentMethod.CASH_AT_PICKUP and order.sales_point_id is not None:
        return point_cash(order.sales_point_id)
    return None  # cash on delivery is booked parcel by parcel


def _refund_given(refund: Refund) -> bool:
    """As `refunds.recount` counts it: Stripe accepted to give the money back."""
    return refund.status == RefundStatus.SUCCEEDED or (
        refund.status == RefundStatus.PENDING and bool(refund.provider_reference))


def backfill_order(order: Order) -> None:
    """Post the order's money events the books lack, in the caller's transaction (which it does not commit)."""
    for payment in order.payments:
        into = _received_into(order, payment)
        if into is None or payment.status not in RECEIVED or not payment.received_vnd:
            continue
        # Money for an attempt the order no longer waits on is owed back whole (an order has one payment today;
        # a cancelled order's payment is owed back whole anyway, having no live parts).
        book_payment(order, payment, payment.received_vnd, into, all_owed=payment is not order.payment)
    for part in order.parts:
        if part.collected_vnd and order.payment is not None and order.payment.method == PaymentMethod.COD:
            book_parcel_cash(order, part, part.collected_vnd)
    for payment in order.payments:
        refunds = db.session.scalars(select(Refund).where(Refund.payment_id == payment.id).order_by(Refund.id))
        for refund in refunds:
            if _refund_given(refund):
                book_refund_paid(order, refund.amount_vnd, stripe_balance(), key=f"refund-{refund.id}-paid")


def backfill_books() -> Backfilled:
    """Backfill every order that has money, one transaction per order; an order the books refuse is named and
    left as it was."""
    done = Backfilled()
    with_money = select(Payment.order_id).where(Payment.status.in_(RECEIVED)).union(
        select(Fulfillment.order_id).where(Fulfillment.collected_vnd.is_not(None)))
    for order_id in sorted(db.session.scalars(with_money).all()):
        order = db.session.get(Order, order_id)
        before = db.session.scalar(select(func.count(JournalEntry.id)).where(JournalEntry.order_id == order_id))
        try:
            backfill_order(order)
        except LedgerError:
            db.session.rollback()
            done.refused.append(db.session.get(Order, order_id).number)
            continue
        after = db.session.scalar(select(func.count(JournalEntry.id)).where(JournalEntry.order_id == order_id))
        db.session.commit()
        if after != before:
            done.orders.append(order.number)
    return done
