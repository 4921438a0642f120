"""Where stock sits (each producer's store, each sales point) and how much of it is spoken for."""
from __future__ import annotations

import datetime as dt
import enum

from sqlalchemy import CheckConstraint, DateTime, ForeignKey, String, UniqueConstraint, func
from sqlalchemy.orm import Mapped, mapped_column, relationship

from shop.extensions import db


class LocationKind(enum.StrEnum):
    PRODUCER = "producer"  #: the producer's own store or workshop
    SALES_POINT = "sales_point"  #: one of the 23 OCOP sales points


class Location(db.Model):
    """A place that holds stock: exactly one producer or one sales point."""

    __table_args__ = (
        CheckConstraint(
            "(kind = 'producer' AND producer_id IS NOT NULL AND sales_point_id IS NULL)"
            " OR (kind = 'sales_point' AND sales_point_id IS NOT NULL AND producer_id IS NULL)",
            name="one_owner",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[LocationKind] = mapped_column(String(20))
    producer_id: Mapped[int | None] = mapped_column(ForeignKey("producer.id"), unique=True)
    sales_point_id: Mapped[int | None] = mapped_column(ForeignKey("sales_point.id"), unique=True)

    producer = relationship("Producer")
    sales_point = relationship("SalesPoint")


class Stock(db.Model):
    """How many of one variant a location holds, and how many are allocated to placed orders."""

    __table_args__ = (
        UniqueConstraint("variant_id", "location_id", name="uq_stock_variant_location"),
        # The backstop behind the conditional UPDATEs: never negative, never over-allocated.
        CheckConstraint("allocated >= 0 AND allocated <= quantity", name="allocated_within_quantity"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    variant_id: Mapped[int] = mapped_column(ForeignKey("variant.id", ondelete="CASCADE"), index=True)
    location_id: Mapped[int] = mapped_column(ForeignKey("location.id"), index=True)
    quantity: Mapped[int] = mapped_column(default=0)
    allocated: Mapped[int] = mapped_column(default=0)

    variant = relationship("Variant")
    location: Mapped[Location] = relationship()

    @property
    def available(self) -> int:
        return self.quantity - self.allocated


class AdjustmentReason(enum.StrEnum):
    COUNT = "count"  #: a stock count found a different quantity
    RECEIVED = "received"  #: goods made, or consigned to a sales point
    DAMAGED = "damaged"  #: broken, spoiled or expired goods taken out
    SOLD = "sold"  #: sold over the counter of a sales point (walk-in customers)
    CORRECTION = "correction"  #: a mistake put right
    IMPORT = "import"  #: set from an uploaded CSV file


class StockAdjustment(db.Model):
    """A change of on-hand quantity made by hand (orders move `allocated`, not this), with why and who."""
    #: A change to it is a catalogue change: cached pages and choices are stale (shop/shared_cache.py).
    __cache_scope__ = "catalog"

    id: Mapped[int] = mapped_column(primary_key=True)
    stock_id: Mapped[int] = mapped_column(ForeignKey("stock.id", ondelete="CASCADE"), index=True)
    delta: Mapped[int]
    quantity_after: Mapped[int]
    reason: Mapped[AdjustmentReason] = mapped_column(String(20))
    note: Mapped[str] = mapped_column(String(300), default="")
    user_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())

    stock: Mapped[Stock] = relationship()
