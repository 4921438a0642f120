"""Money given back (refunds) and the payment providers' events that took effect."""
from __future__ import annotations

import datetime as dt
import enum

from sqlalchemy import CheckConstraint, DateTime, ForeignKey, String, func
from sqlalchemy.orm import Mapped, mapped_column, relationship

from shop.extensions import db


class RefundStatus(enum.StrEnum):
    PENDING = "pending"  #: asked of the provider, not confirmed yet
    SUCCEEDED = "succeeded"  #: the money went back
    FAILED = "failed"  #: the provider refused it


class Refund(db.Model):
    """Money given back on a payment: a whole order or the parts that were cancelled."""

    __table_args__ = (CheckConstraint("amount_vnd > 0", name="refund_amount_positive"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    payment_id: Mapped[int] = mapped_column(ForeignKey("payment.id", ondelete="CASCADE"), index=True)
    amount_vnd: Mapped[int]
    status: Mapped[RefundStatus] = mapped_column(String(20), default=RefundStatus.PENDING)
    #: The provider's id of the refund (Stripe re_…), empty for money given back by hand.
    provider_reference: Mapped[str] = mapped_column(String(120), default="")
    #: The key the provider saw, so a retried request never refunds twice.
    idempotency_key: Mapped[str] = mapped_column(String(120), unique=True)
    reason: Mapped[str] = mapped_column(String(300), default="")
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())

    payment = relationship("Payment")


class ProviderEvent(db.Model):
    """A payment provider's event (Stripe evt_…) that took effect: stored in the same transaction as its effect."""

    id: Mapped[str] = mapped_column(String(255), primary_key=True)
    type: Mapped[str] = mapped_column(String(80))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
