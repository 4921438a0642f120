"""How an order is paid: cash at pickup, cash on delivery, VietQR bank transfer, card (Stripe)."""
from __future__ import annotations

import datetime as dt
import enum

from sqlalchemy import CheckConstraint, DateTime, ForeignKey, String, func
from sqlalchemy.orm import Mapped, mapped_column, relationship

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
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    recorded_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    #: A transfer not received by then cancels the order (flask orders expire).
    due_by: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True), index=True)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())

    order = relationship("Order", back_populates="payments")
    recorded_by = relationship("User")
