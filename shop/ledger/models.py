"""The books: accounts, journal entries and their lines (double entry, signed whole đồng, append-only).

A line's amount is signed: positive is a debit, negative a credit, and the lines of one entry sum to zero.
So an asset account (money the shop or someone for it holds) has a positive balance, and what the shop owes
(payables, refunds owed) or has earned (commission, delivery fees) has a negative one; all balances sum to zero.
"""
from __future__ import annotations

import datetime as dt
import enum
from decimal import Decimal

from flask_babel import lazy_gettext as _l
from sqlalchemy import BigInteger, CheckConstraint, DateTime, ForeignKey, Index, String, UniqueConstraint, event, func, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from shop.catalog.models import Category, Producer
from shop.extensions import db


class AccountKind(enum.StrEnum):
    ASSET = "asset"  #: money held: the bank, Stripe, a point's till, cash a producer collected for the shop
    LIABILITY = "liability"  #: money owed: to a producer for its goods, to a customer as a refund
    REVENUE = "revenue"  #: money earned: commission, delivery fees
    EXPENSE = "expense"  #: money spent: refunds given beyond what was owed


class EntryKind(enum.StrEnum):
    PAYMENT_RECEIVED = "payment_received"  #: a customer's money came in (transfer, card, cash at a point, COD)
    PARTS_GONE = "parts_gone"  #: paid goods will not reach the customer: their money is owed back
    REFUND_PAID = "refund_paid"  #: money went back to a customer
    REFUND_REVERSED = "refund_reversed"  #: a refund counted as paid did not go through after all
    COUNTER_SALE = "counter_sale"  #: goods sold at a sales point's counter, paid in cash or by VietQR there
    COUNTER_SALE_VOIDED = "counter_sale_voided"  #: a counter sale undone the same day: its entry reversed
    CASH_CLOSEOUT = "cash_closeout"  #: a point's till counted and handed to the office
    PAYOUT = "payout"  #: the office paid a producer what it was owed, less the COD cash it held
    COD_CASH_RECEIVED = "cod_cash_received"  #: a producer handed COD cash it held to the office


class Account(db.Model):
    """One account of the books, found by its code (`bank`, `producer_payable:12`, `point_cash:3`…)."""

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(60), unique=True)
    kind: Mapped[AccountKind] = mapped_column(String(20))
    #: Whose account this is, when it belongs to one producer or one sales point.
    producer_id: Mapped[int | None] = mapped_column(ForeignKey("producer.id"), index=True)
    sales_point_id: Mapped[int | None] = mapped_column(ForeignKey("sales_point.id"), index=True)
    #: The sum of the account's lines, kept by the one writer (shop.ledger.posting.post) in the same
    #: transaction as the lines; `flask ledger check` recomputes it.
    balance_vnd: Mapped[int] = mapped_column(BigInteger, default=0, server_default="0")
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())


class JournalEntry(db.Model):
    """One money event, recorded once (by its idempotency key) with lines that sum to zero."""

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[EntryKind] = mapped_column(String(30))
    #: The same event told twice (a retried webhook, a double click) carries the same key and is recorded once.
    idempotency_key: Mapped[str] = mapped_column(String(120), unique=True)
    order_id: Mapped[int | None] = mapped_column(ForeignKey("order.id"), index=True)
    memo: Mapped[str] = mapped_column(String(300), default="", server_default="")
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())

    lines: Mapped[list[JournalLine]] = relationship(back_populates="entry", order_by="JournalLine.id")


class JournalLine(db.Model):
    """A signed amount on one account: positive debits it, negative credits it."""

    __table_args__ = (CheckConstraint("amount_vnd <> 0", name="amount_not_zero"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    entry_id: Mapped[int] = mapped_column(ForeignKey("journal_entry.id"), index=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("account.id"), index=True)
    amount_vnd: Mapped[int] = mapped_column(BigInteger)
    #: The order part whose goods the line is about, so a cancelled part's share is reversed exactly.
    part_id: Mapped[int | None] = mapped_column(ForeignKey("fulfillment.id"), index=True)

    entry: Mapped[JournalEntry] = relationship(back_populates="lines")
    account: Mapped[Account] = relationship()


class AppendOnly(RuntimeError):
    """Journal entries and lines are never changed or deleted: a mistake is corrected by a new entry."""


def _refuse_change(_mapper, _connection, target) -> None:
    raise AppendOnly(f"{type(target).__name__} {target.id} is append-only")


# The model guard; the migration adds database triggers behind it for writes that bypass the ORM.
for _model in (JournalEntry, JournalLine):
    event.listen(_model, "before_update", _refuse_change)
    event.listen(_model, "before_delete", _refuse_change)


class CommissionRule(db.Model):
    """The office's commission on one producer's goods, or on one product set's; a producer's rule wins.

    Orders never read these rules again: place_order freezes the rate on each line (OrderLine.commission_bps).
    """

    __table_args__ = (
        CheckConstraint("percent_bps >= 0 AND percent_bps <= 10000", name="percent_in_range"),
        CheckConstraint("(producer_id IS NULL) <> (category_id IS NULL)", name="one_owner"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    producer_id: Mapped[int | None] = mapped_column(ForeignKey("producer.id"), unique=True)
    category_id: Mapped[int | None] = mapped_column(ForeignKey("category.id"), unique=True)
    #: Hundredths of a percent: 750 is 7,5 %.
    percent_bps: Mapped[int]
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), server_default=func.now(),
                                                    onupdate=func.now())

    producer: Mapped[Producer | None] = relationship()
    category: Mapped[Category | None] = relationship()

    @property
    def percent(self) -> Decimal:
        return Decimal(self.percent_bps) / 100

    @property
    def label(self) -> str:
        """Whose goods the rule is for, as the audit log names it."""
        return self.producer.name if self.producer is not None else self.category.name if self.category else ""


class PayoutBatchStatus(enum.StrEnum):
    OPEN = "open"  #: made, with its amounts frozen; the office is sending the transfers
    PAID = "paid"  #: the office sent them: the books say so (one entry per payout)
    DISCARDED = "discarded"  #: dropped before it was paid; nothing was booked

    @property
    def label(self) -> str:
        return str({"open": _l("Open"), "paid": _l("Paid"), "discarded": _l("Discarded")}[self.value])


class PayoutBatch(db.Model):
    """The producers the office pays in one go: an amount each, frozen when the batch is made."""

    # One open batch at a time, so no producer's money is in two batches waiting to be sent.
    __table_args__ = (Index("uq_payout_batch_one_open", "status", unique=True, sqlite_where=text("status = 'open'"),
                            postgresql_where=text("status = 'open'")),)

    id: Mapped[int] = mapped_column(primary_key=True)
    status: Mapped[PayoutBatchStatus] = mapped_column(String(20), default=PayoutBatchStatus.OPEN, index=True)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    closed_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    closed_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    #: The bank's reference of the bulk transfer, typed when the batch is marked paid.
    bank_reference: Mapped[str] = mapped_column(String(80), default="", server_default="")

    payouts: Mapped[list[Payout]] = relationship(back_populates="batch", order_by="Payout.id")

    @property
    def label(self) -> str:
        return f"PAYOUT-{self.id}"

    @property
    def status_label(self) -> str:
        return PayoutBatchStatus(self.status).label

    @property
    def total_vnd(self) -> int:
        return sum(p.amount_vnd for p in self.payouts)


class Payout(db.Model):
    """What one producer is paid in a batch, and where to: both frozen when the batch is made."""

    __table_args__ = (
        CheckConstraint("amount_vnd > 0", name="amount_positive"),
        CheckConstraint("held_vnd >= 0 AND owed_vnd = amount_vnd + held_vnd", name="amounts_add_up"),
        UniqueConstraint("batch_id", "producer_id"),  # a producer is paid once per batch
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    batch_id: Mapped[int] = mapped_column(ForeignKey("payout_batch.id"), index=True)
    producer_id: Mapped[int] = mapped_column(ForeignKey("producer.id"), index=True)
    #: What the shop owed for goods, and the COD cash the producer held, when the batch was made.
    owed_vnd: Mapped[int] = mapped_column(BigInteger)
    held_vnd: Mapped[int] = mapped_column(BigInteger)
    #: What is transferred: owed less held.
    amount_vnd: Mapped[int] = mapped_column(BigInteger)
    # The account as it was when the batch was made: a later change does not redirect money already sent.
    producer_name: Mapped[str] = mapped_column(String(200))
    bank_bin: Mapped[str] = mapped_column(String(6))
    bank_account: Mapped[str] = mapped_column(String(19))
    bank_account_name: Mapped[str] = mapped_column(String(70))

    batch: Mapped[PayoutBatch] = relationship(back_populates="payouts")

    @property
    def transfer_note(self) -> str:
        """The transfer's content, as the producer's bank statement will show it."""
        return f"OCOP PAYOUT {self.batch_id} NCC {self.producer_id}"
