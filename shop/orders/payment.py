"""The order's payment: its method, amount and state machine.

The payment belongs to the order it pays (the order's status is derived from its parts and this payment),
so it lives here with the order; shop/payments holds what moves money: Stripe, VietQR, transfers, cash,
refunds. This class is the only code that writes `Payment.status`.
"""
from __future__ import annotations

import datetime as dt
import enum

from sqlalchemy import CheckConstraint, DateTime, ForeignKey, String, func, update
from sqlalchemy.orm import Mapped, mapped_column, relationship

from shop.clock import now
from shop.errors import InvalidTransition
from shop.extensions import db


class PaymentMethod(enum.StrEnum):
    CASH_AT_PICKUP = "cash_at_pickup"  #: paid in cash to the sales-point staff
    COD = "cod"  #: cash on delivery, collected by the carrier or producer
    VIETQR_TRANSFER = "vietqr_transfer"  #: bank transfer by NAPAS VietQR before anything ships
    STRIPE_CARD = "stripe_card"  #: card through Stripe Checkout (optional rail)


class PaymentStatus(enum.StrEnum):
    PENDING = "pending"  #: not received yet
    PAID = "paid"  #: money received (amount recorded)
    FAILED = "failed"  #: the attempt failed or lapsed
    REFUNDED = "refunded"  #: money returned


P = PaymentStatus
#: The only moves a payment may make. A failed card attempt may still become paid: Stripe can take money for a
#: page the shop had given up on, and that money is recorded (then refunded whole) rather than lost.
PAYMENT_TRANSITIONS: dict[PaymentStatus, frozenset[PaymentStatus]] = {
    P.PENDING: frozenset({P.PAID, P.FAILED}),
    P.FAILED: frozenset({P.PAID}),
    P.PAID: frozenset({P.REFUNDED}),
    P.REFUNDED: frozenset(),
}


class Payment(db.Model):
    __table_args__ = (CheckConstraint("amount_vnd >= 0", name="amount_not_negative"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("order.id", ondelete="CASCADE"), index=True)
    method: Mapped[PaymentMethod] = mapped_column(String(20))
    amount_vnd: Mapped[int]
    status: Mapped[PaymentStatus] = mapped_column(String(20), default=PaymentStatus.PENDING, index=True)
    #: Bank reference, Stripe session id…
    provider_reference: Mapped[str] = mapped_column(String(120), default="")
    received_vnd: Mapped[int | None]
    #: Money given back so far (Stripe refunds, or recorded by hand).
    refunded_vnd: Mapped[int] = mapped_column(default=0, server_default="0")
    #: Where the customer pays (Stripe Checkout's hosted page), while the attempt is open.
    checkout_url: Mapped[str] = mapped_column(String(1000), default="", server_default="")
    #: Cash the customer handed over at the desk (received_vnd is what was kept; the rest was change).
    tendered_vnd: Mapped[int | None]
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    recorded_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    #: A transfer not received by then cancels the order (flask orders expire).
    due_by: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True), index=True)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())

    order = relationship("Order", back_populates="payments")
    recorded_by = relationship("User")

    # This class is the only code that writes `status`: every move is checked against PAYMENT_TRANSITIONS.

    def _check_move(self, status: PaymentStatus) -> None:
        if status not in PAYMENT_TRANSITIONS[PaymentStatus(self.status or PaymentStatus.PENDING)]:
            raise InvalidTransition(f"payment {self.id}: {self.status} → {status}")

    def _paid_columns(self, received_vnd: int, reference: str | None, by, at: dt.datetime | None,
                      tendered_vnd: int | None) -> dict:
        columns = {"status": PaymentStatus.PAID, "received_vnd": received_vnd, "recorded_at": at or now(),
                   "checkout_url": ""}  # a paid attempt's payment page is closed for good
        if reference is not None:
            columns["provider_reference"] = reference[:120]
        if by is not None:
            columns["recorded_by_id"] = by.id
        if tendered_vnd is not None:
            columns["tendered_vnd"] = tendered_vnd
        return columns

    def mark_paid(self, received_vnd: int, *, reference: str | None = None, by=None, at: dt.datetime | None = None,
                  tendered_vnd: int | None = None) -> None:
        """Record the money as received (by whom, when, under which reference); raise InvalidTransition."""
        self._check_move(PaymentStatus.PAID)
        for column, value in self._paid_columns(received_vnd, reference, by, at, tendered_vnd).items():
            setattr(self, column, value)

    def claim_paid(self, received_vnd: int, *, reference: str | None = None, by=None,
                   at: dt.datetime | None = None) -> bool:
        """mark_paid as one conditional UPDATE; False when another writer changed the status first.

        For writers that may race (two admins recording one transfer, two deliveries of one Stripe event):
        the row is written only while it still has the status this session read, so the money is recorded once.
        """
        was = self.status
        self._check_move(PaymentStatus.PAID)
        result = db.session.execute(
            update(Payment).where(Payment.id == self.id, Payment.status == was)
            .values(**self._paid_columns(received_vnd, reference, by, at, None))
            .execution_options(synchronize_session="fetch")
        )
        db.session.refresh(self)
        return result.rowcount == 1

    def add_received(self, more_vnd: int) -> None:
        """More money came in for a payment already paid (a second transfer): kept with what was received, so the
        order holds it (and owes it back: orders/amounts.refund_owed_vnd)."""
        if self.status != PaymentStatus.PAID or more_vnd <= 0:
            raise InvalidTransition(f"payment {self.id}: more money on a {self.status} payment")
        self.received_vnd = (self.received_vnd or 0) + more_vnd

    def mark_failed(self) -> None:
        """The money will not come for this attempt (lapsed, cancelled, replaced); raise InvalidTransition."""
        self._check_move(PaymentStatus.FAILED)
        self.status = PaymentStatus.FAILED

    def record_refunded(self, given_vnd: int) -> None:
        """Keep what has been given back so far; all of what was received makes a paid payment refunded."""
        self.refunded_vnd = given_vnd
        if self.status == PaymentStatus.PAID and given_vnd >= (self.received_vnd or self.amount_vnd):
            self.mark_refunded()

    def mark_refunded(self) -> None:
        """Every đồng received went back; raise InvalidTransition unless the payment was paid."""
        self._check_move(PaymentStatus.REFUNDED)
        self.status = PaymentStatus.REFUNDED
