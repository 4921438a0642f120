"""The desk's own records: sales at the counter, and the till counted and handed to the office."""
from __future__ import annotations

import datetime as dt
import enum

from sqlalchemy import BigInteger, CheckConstraint, DateTime, ForeignKey, String, Text, func
from sqlalchemy.orm import Mapped, mapped_column, relationship

from shop.extensions import db


class CounterMethod(enum.StrEnum):
    CASH = "cash"  #: cash into the point's till
    VIETQR = "vietqr"  #: a transfer to the office's bank account, scanned from the desk screen


class CounterSale(db.Model):
    """Goods a customer bought at a point's counter, paid there; stock left the point, the books moved."""

    __table_args__ = (CheckConstraint("total_vnd > 0", name="total_positive"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    #: Printed on the receipt and written in the transfer note, e.g. QHL01-7F3K9P; one sale per reference.
    reference: Mapped[str] = mapped_column(String(24), unique=True)
    sales_point_id: Mapped[int] = mapped_column(ForeignKey("sales_point.id"), index=True)
    staff_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    method: Mapped[CounterMethod] = mapped_column(String(20))
    total_vnd: Mapped[int] = mapped_column(BigInteger)
    #: Cash the customer handed over (change = tendered − total); None for a transfer.
    tendered_vnd: Mapped[int | None] = mapped_column(BigInteger)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), server_default=func.now(), index=True)
    #: Voided at the desk the same day, before the till was closed: stock back, books reversed, receipt says so.
    voided_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    void_reason: Mapped[str] = mapped_column(Text, default="", server_default="")
    voided_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    #: A VietQR sale's transfer as the bank reported it (statement or notification), once seen.
    bank_line_id: Mapped[int | None] = mapped_column(ForeignKey("bank_line.id", ondelete="SET NULL"), unique=True,
                                                     index=True)

    lines: Mapped[list[CounterSaleLine]] = relationship(back_populates="sale", order_by="CounterSaleLine.id")
    staff = relationship("User", foreign_keys=[staff_id])
    voided_by = relationship("User", foreign_keys=[voided_by_id])
    sales_point = relationship("SalesPoint")


class CounterSaleLine(db.Model):
    __table_args__ = (CheckConstraint("quantity > 0", name="quantity_positive"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    sale_id: Mapped[int] = mapped_column(ForeignKey("counter_sale.id"), index=True)
    variant_id: Mapped[int] = mapped_column(ForeignKey("variant.id"))
    producer_id: Mapped[int] = mapped_column(ForeignKey("producer.id"), index=True)
    #: As sold: the product's name and variant, the SKU and the price (the catalog may change later).
    name: Mapped[str] = mapped_column(String(300))
    sku: Mapped[str] = mapped_column(String(64))
    quantity: Mapped[int]
    unit_price_vnd: Mapped[int] = mapped_column(BigInteger)
    line_total_vnd: Mapped[int] = mapped_column(BigInteger)
    #: The commission rate at the sale, in hundredths of a percent (frozen, like an order line's).
    commission_bps: Mapped[int] = mapped_column(default=0)

    sale: Mapped[CounterSale] = relationship(back_populates="lines")


class CashCloseout(db.Model):
    """Staff counted the till and handed the cash to the office; the books say what they expected."""

    id: Mapped[int] = mapped_column(primary_key=True)
    sales_point_id: Mapped[int] = mapped_column(ForeignKey("sales_point.id"), index=True)
    staff_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    expected_vnd: Mapped[int] = mapped_column(BigInteger)
    counted_vnd: Mapped[int] = mapped_column(BigInteger)
    #: Why counted and expected differ (required when they do).
    reason: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), server_default=func.now(), index=True)

    staff = relationship("User")

    @property
    def difference_vnd(self) -> int:
        return self.counted_vnd - self.expected_vnd
