"""Exchange rates the OCOP office sets, for showing foreign visitors an estimate beside VND prices."""
from __future__ import annotations

import datetime as dt
from decimal import Decimal

from sqlalchemy import CheckConstraint, DateTime, ForeignKey, Numeric, String, func
from sqlalchemy.orm import Mapped, mapped_column

from shop.extensions import db


class DisplayRate(db.Model):
    """How many đồng one unit of a foreign currency is worth, for estimates only: orders are charged in VND."""
    #: A change to it is a catalogue change: cached pages and choices are stale (shop/shared_cache.py).
    __cache_scope__ = "catalog"

    __table_args__ = (CheckConstraint("vnd_per_unit > 0", name="rate_positive"),)

    currency: Mapped[str] = mapped_column(String(3), primary_key=True)  #: ISO 4217: USD, EUR, CNY, KRW
    vnd_per_unit: Mapped[Decimal] = mapped_column(Numeric(14, 4))
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), server_default=func.now(),
                                                    onupdate=func.now())
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
