"""The province's 23 OCOP sales points (điểm giới thiệu và bán sản phẩm OCOP)."""
from __future__ import annotations

import datetime as dt
import enum
import re
from dataclasses import dataclass

from sqlalchemy import JSON, CheckConstraint, Date, DateTime, Float, ForeignKey, String, Text, func
from sqlalchemy.orm import Mapped, mapped_column, relationship

from shop.clock import VIETNAM
from shop.extensions import db
from shop.i18n import Translated
from shop.places import ward

#: schema.org day abbreviations, Monday first (weekday() order).
DAYS = ("Mo", "Tu", "We", "Th", "Fr", "Sa", "Su")
#: Where a Quảng Ninh sales point can be: the province spans about 20.6–21.7° N and 106.4–108.6° E.
LAT_RANGE, LNG_RANGE = (20.6, 21.7), (106.4, 108.6)
_TIME = re.compile(r"^([01]\d|2[0-3]):[0-5]\d$")


class PickupMode(enum.StrEnum):
    OFF = "off"  #: no online pickups here
    OWN_STOCK = "own_stock"  #: hands out only what the point itself holds
    ANY_STOCK = "any_stock"  #: also receives parcels from producers for pickup


def is_time(text: str) -> bool:
    """'07:30' yes; '7:30', '24:00' no."""
    return bool(_TIME.match(text or ""))


def parse_opening_hours(text: str) -> list[list[str] | None] | None:
    """schema.org openingHours lines ("Mo-Fr 07:30-17:30\\nSu 08:00-12:00") as seven days, Monday first:
    [open, close] or None (closed). None when any line is not of that shape: the old text is kept then."""
    week: list[list[str] | None] = [None] * 7
    lines = [line.strip() for line in (text or "").splitlines() if line.strip()]
    if not lines:
        return None
    for line in lines:
        days, _, times = line.partition(" ")
        opens, _, closes = times.strip().partition("-")
        if not (is_time(opens) and is_time(closes) and opens < closes):
            return None
        for chunk in days.split(","):
            first, _, last = chunk.partition("-")
            if first not in DAYS or (last and last not in DAYS):
                return None
            start, end = DAYS.index(first), DAYS.index(last or first)
            if end < start:
                return None
            for day in range(start, end + 1):
                week[day] = [opens, closes]
    return week


def opening_hours_text(week: list[list[str] | None]) -> str:
    """Seven days back to schema.org lines, equal neighbours grouped: 'Mo-Fr 07:30-17:30\\nSa 08:00-12:00'."""
    lines, day = [], 0
    while day < 7:
        hours, end = week[day], day
        while end + 1 < 7 and week[end + 1] == hours:
            end += 1
        if hours:
            days = DAYS[day] if end == day else f"{DAYS[day]}-{DAYS[end]}"
            lines.append(f"{days} {hours[0]}-{hours[1]}")
        day = end + 1
    return "\n".join(lines)


#: How far ahead "opens on …" looks past closures before it gives up and says only "closed".
OPENING_SEARCH_DAYS = 62


@dataclass(frozen=True)
class OpenState:
    """Whether a point is open at a moment: until when, or when it opens next."""

    is_open: bool
    closes_at: str | None = None  #: "22:00" while open
    opens_at: str | None = None  #: "07:30" while closed, when known
    opens_on: dt.date | None = None
    days_ahead: int = 0  #: 0: later today, 1: tomorrow

    @property
    def opens_day(self) -> str:
        """The day it opens next as a schema.org code ("Sa"), for a weekday name."""
        return DAYS[self.opens_on.weekday()] if self.opens_on else ""

    @staticmethod
    def clock(time: str) -> str:
        """'07:30' as a sign shows it: '7:30'."""
        hours, _, minutes = time.partition(":")
        return f"{int(hours)}:{minutes}"


class SalesPoint(Translated, db.Model):
    """A physical OCOP shop where customers buy, and may pick up online orders."""
    #: A change to it is a catalogue change: cached pages and choices are stale (shop/shared_cache.py).
    __cache_scope__ = "catalog"

    id: Mapped[int] = mapped_column(primary_key=True)
    #: Short public code, used in addresses and printed on parcel labels, e.g. "HL01".
    code: Mapped[str] = mapped_column(String(10), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    #: What a map pin or a narrow list says, e.g. "Bãi Cháy"; empty: the name is used.
    short_name: Mapped[str] = mapped_column(String(60), default="", server_default="")
    #: The town the lists group it under, e.g. "Hạ Long", "Móng Cái" (other languages: `towns.py`).
    town: Mapped[str] = mapped_column(String(60), default="", server_default="")
    ward_code: Mapped[str] = mapped_column(String(5), index=True)
    address: Mapped[str] = mapped_column(String(300))
    lat: Mapped[float] = mapped_column(Float)
    lng: Mapped[float] = mapped_column(Float)
    #: schema.org openingHours lines, e.g. "Mo-Fr 08:00-17:30\nSa-Su 08:00-21:00". Written from
    #: `weekly_hours` when that is set; otherwise the old text as typed, which could not be read day by day.
    opening_hours: Mapped[str] = mapped_column(String(200))
    #: The hours per weekday, Monday first: [open, close] ("07:30", "17:30") or null on a day off.
    weekly_hours: Mapped[list | None] = mapped_column(JSON)
    phone: Mapped[str] = mapped_column(String(20))
    description: Mapped[str] = mapped_column(Text, default="")
    pickup_mode: Mapped[PickupMode] = mapped_column(String(20), default=PickupMode.ANY_STOCK)
    is_active: Mapped[bool] = mapped_column(default=True)

    closures: Mapped[list[Closure]] = relationship(back_populates="sales_point", cascade="all, delete-orphan",
                                                   order_by="Closure.starts_on")

    @property
    def ward(self):
        return ward(self.ward_code)

    @property
    def label(self) -> str:
        """The short name, or the name when it has none."""
        return self.short_name or self.name

    def shown_name(self) -> str:
        """The short name in the visitor's language, else the name in it (lists, map pins, checkout)."""
        return self.t("short_name") or self.t("name")

    @property
    def hours(self) -> list[tuple[str, str]]:
        """Opening hours as (days, times) pairs, e.g. ("Mo-Fr", "08:00-17:30")."""
        text = opening_hours_text(self.weekly_hours) if self.weekly_hours else self.opening_hours
        pairs = []
        for line in text.splitlines():
            days, _, times = line.strip().partition(" ")
            if days:
                pairs.append((days, times))
        return pairs

    def open_state(self, moment: dt.datetime) -> OpenState | None:
        """Open or closed at that moment on Vietnam's clock, and when it opens next; None when the hours are unreadable."""
        week = self.weekly_hours or parse_opening_hours(self.opening_hours)
        if not week:
            return None
        local = moment.astimezone(VIETNAM)
        day, time = local.date(), local.strftime("%H:%M")
        hours = week[day.weekday()]
        if hours and hours[0] <= time < hours[1] and self.closed_until(day) is None:
            return OpenState(True, closes_at=hours[1])
        for ahead in range(OPENING_SEARCH_DAYS):
            later = day + dt.timedelta(days=ahead)
            hours = week[later.weekday()]
            if hours and not (ahead == 0 and time >= hours[0]) and self.closed_until(later) is None:
                return OpenState(False, opens_at=hours[0], opens_on=later, days_ahead=ahead)
        return OpenState(False)

    def closure_on(self, day: dt.date) -> Closure | None:
        """The closure covering that day, if any (the latest-ending one when they overlap)."""
        covering = [c for c in self.closures if c.starts_on <= day <= c.ends_on]
        return max(covering, key=lambda c: c.ends_on) if covering else None

    def closed_until(self, day: dt.date) -> dt.date | None:
        """The last day of the closure covering `day`, following closures that start the day after; None if open."""
        closure = self.closure_on(day)
        if closure is None:
            return None
        last = closure.ends_on
        while (following := self.closure_on(last + dt.timedelta(days=1))) is not None:
            last = following.ends_on
        return last

    def closures_from(self, day: dt.date) -> list[Closure]:
        """Closures not over by `day`, soonest first."""
        return [c for c in self.closures if c.ends_on >= day]


class Closure(db.Model):
    """A holiday or closure of a sales point: no pickups from the first day to the last, both included."""
    #: A change to it is a catalogue change: cached pages and choices are stale (shop/shared_cache.py).
    __cache_scope__ = "catalog"

    __tablename__ = "sales_point_closure"
    __table_args__ = (CheckConstraint("ends_on >= starts_on", name="closure_ends_after_start"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    sales_point_id: Mapped[int] = mapped_column(ForeignKey("sales_point.id", ondelete="CASCADE"), index=True)
    starts_on: Mapped[dt.date] = mapped_column(Date)
    ends_on: Mapped[dt.date] = mapped_column(Date)
    reason: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())

    sales_point: Mapped[SalesPoint] = relationship(back_populates="closures")
