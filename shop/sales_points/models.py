"""The province's 23 OCOP sales points (điểm giới thiệu và bán sản phẩm OCOP)."""
from __future__ import annotations

import enum

from sqlalchemy import Float, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from shop.extensions import db
from shop.i18n import Translated
from shop.places import ward


class PickupMode(enum.StrEnum):
    OFF = "off"  #: no online pickups here
    OWN_STOCK = "own_stock"  #: hands out only what the point itself holds
    ANY_STOCK = "any_stock"  #: also receives parcels from producers for pickup


class SalesPoint(Translated, db.Model):
    """A physical OCOP shop where customers buy, and may pick up online orders."""

    id: Mapped[int] = mapped_column(primary_key=True)
    #: Short public code, used in addresses and printed on parcel labels, e.g. "HL01".
    code: Mapped[str] = mapped_column(String(10), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    ward_code: Mapped[str] = mapped_column(String(5), index=True)
    address: Mapped[str] = mapped_column(String(300))
    lat: Mapped[float] = mapped_column(Float)
    lng: Mapped[float] = mapped_column(Float)
    #: schema.org openingHours lines, e.g. "Mo-Fr 08:00-17:30\nSa-Su 08:00-21:00".
    opening_hours: Mapped[str] = mapped_column(String(200))
    phone: Mapped[str] = mapped_column(String(20))
    description: Mapped[str] = mapped_column(Text, default="")
    pickup_mode: Mapped[PickupMode] = mapped_column(String(20), default=PickupMode.ANY_STOCK)
    is_active: Mapped[bool] = mapped_column(default=True)

    @property
    def ward(self):
        return ward(self.ward_code)

    @property
    def hours(self) -> list[tuple[str, str]]:
        """Opening hours as (days, times) pairs, e.g. ("Mo-Fr", "08:00-17:30")."""
        pairs = []
        for line in self.opening_hours.splitlines():
            days, _, times = line.strip().partition(" ")
            if days:
                pairs.append((days, times))
        return pairs
