"""Money given back (refunds) and the payment providers' events that took effect."""
from __future__ import annotations

import datetime as dt
import enum

from sqlalchemy import BigInteger, CheckConstraint, DateTime, ForeignKey, String, UniqueConstraint, func
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


class BankStatementFormat(db.Model):
    """How one bank's statement CSV reads: which column holds what, as the office last mapped it for that bank.

    The shop ships a preset per bank (payments/bank_csv.py); a row here is the office's own mapping, remembered.
    """

    id: Mapped[int] = mapped_column(primary_key=True)
    #: The bank it is for: "VCB", "BIDV", "TCB" (payments/bank_csv.PRESETS).
    bank_code: Mapped[str] = mapped_column(String(20), unique=True)
    date_column: Mapped[str] = mapped_column(String(80))
    amount_column: Mapped[str] = mapped_column(String(80))
    content_column: Mapped[str] = mapped_column(String(80))
    transaction_id_column: Mapped[str] = mapped_column(String(80))
    date_format: Mapped[str] = mapped_column(String(20), default="%d/%m/%Y")
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), server_default=func.now(),
                                                    onupdate=func.now())

    @property
    def label(self) -> str:
        return self.bank_code


class BankLineStatus(enum.StrEnum):
    MATCHED = "matched"  #: paid an order exactly, recorded on its own
    UNMATCHED = "unmatched"  #: waits for the office: no order, or not the amount due
    ASSIGNED = "assigned"  #: the office gave it to an order (what was due paid it, the rest is owed back)
    DISMISSED = "dismissed"  #: the office set it aside, with a reason
    #: the same money as an earlier line from the other source (notified, then on the statement, or the other
    #: way round): kept for the record, never counted twice
    DUPLICATE = "duplicate"
    #: came for an order no longer waiting for it (paid already, cancelled, expired): recorded on the order and
    #: owed back to the customer (/admin/refunds-owed)
    OWED_BACK = "owed_back"


class BankLine(db.Model):
    """Money that came into the shop's bank account, from an imported statement or a bank notification.

    Unique per bank and the bank's own transaction id: the same file imported twice, or a notification sent
    again, records nothing twice. A line that is not matched never changes an order.
    """

    __table_args__ = (UniqueConstraint("bank_code", "transaction_id", name="uq_bank_line_transaction"),
                      CheckConstraint("amount_vnd > 0", name="bank_line_amount_positive"))

    id: Mapped[int] = mapped_column(primary_key=True)
    #: "VCB", "BIDV", "TCB" for a statement; "webhook" for the bank-notification service.
    bank_code: Mapped[str] = mapped_column(String(20))
    transaction_id: Mapped[str] = mapped_column(String(120))
    amount_vnd: Mapped[int] = mapped_column(BigInteger)
    content: Mapped[str] = mapped_column(String(500), default="")
    booked_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    account: Mapped[str] = mapped_column(String(40), default="")
    #: A notification's copy of the bank's own reference (the statement's transaction id), when it sends one.
    bank_reference: Mapped[str] = mapped_column(String(120), default="", server_default="")
    #: The earlier line this one reports again (status DUPLICATE); each line is repeated at most once.
    duplicate_of_id: Mapped[int | None] = mapped_column(ForeignKey("bank_line.id", ondelete="SET NULL"),
                                                        unique=True, index=True)
    status: Mapped[BankLineStatus] = mapped_column(String(20), default=BankLineStatus.UNMATCHED, index=True)
    #: The order its content names (a suggestion while unmatched; the order paid once matched or assigned).
    order_id: Mapped[int | None] = mapped_column(ForeignKey("order.id", ondelete="SET NULL"), index=True)
    #: Why it waits for the office (BankProblem), or the office's reason for dismissing it.
    problem: Mapped[str] = mapped_column(String(30), default="")
    note: Mapped[str] = mapped_column(String(300), default="")
    handled_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    handled_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())

    order = relationship("Order")
    handled_by = relationship("User")

    @property
    def label(self) -> str:
        """How the audit log and the office name the line: its bank and the bank's transaction id."""
        return f"{self.bank_code} {self.transaction_id}"


class RefundBankDetails(db.Model):
    """Where the customer wants a refund owed sent: a bank (from the VietQR list), an account number, a holder."""

    id: Mapped[int] = mapped_column(primary_key=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("order.id", ondelete="CASCADE"), unique=True)
    bank_bin: Mapped[str] = mapped_column(String(6))
    account_number: Mapped[str] = mapped_column(String(19))
    holder: Mapped[str] = mapped_column(String(80))
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), server_default=func.now(),
                                                    onupdate=func.now())
