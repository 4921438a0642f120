"""The office edits a sales point: its facts, its hours per weekday, its closures, whether it is open at all.

Every change is one use case: lock the point, check, write, add the audit entry, commit once.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from shop.audit import record_change
from shop.clock import today
from shop.countries import international_phone
from shop.errors import ShopError
from shop.extensions import begin_write, db
from shop.labels import opening_days
from shop.orders import relocation
from shop.orders.models import Order, OrderStatus
from shop.places import ward
from shop.sales_points.models import DAYS, LAT_RANGE, LNG_RANGE, Closure, PickupMode, SalesPoint, is_time, \
    opening_hours_text, parse_opening_hours

#: An order at a point is open until it is completed, cancelled or refunded.
CLOSED_ORDER_STATUSES = (OrderStatus.COMPLETED, OrderStatus.CANCELLED, OrderStatus.REFUNDED)
#: The fields of the edit form, as the audit log names them.
FIELDS = ("name", "short_name", "town", "address", "ward_code", "lat", "lng", "phone", "pickup_mode", "weekly_hours",
          "opening_hours")


class PointError(ShopError):
    message = _l("This sales point could not be changed.")


class NoSuchPoint(PointError):
    message = _l("There is no such sales point.")


class PointHasOpenOrders(PointError):
    message = _l("This sales point still has open orders: move or finish them first.")

    def __init__(self, orders: list[Order]):
        super().__init__()
        self.orders = orders


@dataclass
class PointForm:
    """What the office typed, as text; `read` checks it and returns the values to store."""

    name: str = ""
    short_name: str = ""
    town: str = ""
    address: str = ""
    ward_code: str = ""
    lat: str = ""
    lng: str = ""
    phone: str = ""
    pickup_mode: str = ""
    #: Seven (opens, closes) pairs, Monday first; both empty: closed that day.
    hours: tuple[tuple[str, str], ...] = (("", ""),) * 7

    @classmethod
    def of(cls, point: SalesPoint) -> PointForm:
        week = point.weekly_hours or parse_opening_hours(point.opening_hours) or [None] * 7
        return cls(name=point.name, short_name=point.short_name, town=point.town, address=point.address,
                   ward_code=point.ward_code,
                   lat=f"{point.lat:.6f}".rstrip("0").rstrip("."), lng=f"{point.lng:.6f}".rstrip("0").rstrip("."),
                   phone=point.phone, pickup_mode=str(point.pickup_mode),
                   hours=tuple((day[0], day[1]) if day else ("", "") for day in week))

    @classmethod
    def from_request(cls, form) -> PointForm:
        def text(key: str) -> str:
            return " ".join((form.get(key) or "").split())
        return cls(name=text("name"), short_name=text("short_name"), town=text("town"),
                   address=text("address"),
                   ward_code=text("ward_code"), lat=text("lat").replace(",", "."), lng=text("lng").replace(",", "."),
                   phone=text("phone"), pickup_mode=text("pickup_mode"),
                   hours=tuple((text(f"opens_{day}"), text(f"closes_{day}")) for day in DAYS))

    def read(self) -> dict:
        """The values to store; raise PointError naming the first thing to fix."""
        if not self.name or len(self.name) > 200:
            raise PointError(_l("Please give the point's name (at most 200 characters)."))
        if len(self.short_name) > 60:
            raise PointError(_l("The short name has at most 60 characters."))
        if not self.town or len(self.town) > 60:
            raise PointError(_l("Please give the town the point is listed under (at most 60 characters)."))
        if not self.address or len(self.address) > 300:
            raise PointError(_l("Please give the point's address (at most 300 characters)."))
        if ward(self.ward_code) is None:
            raise PointError(_l("Please choose the point's ward or commune in Quảng Ninh."))
        lat, lng = _number(self.lat), _number(self.lng)
        if lat is None or lng is None or not (LAT_RANGE[0] <= lat <= LAT_RANGE[1]) \
                or not (LNG_RANGE[0] <= lng <= LNG_RANGE[1]):
            raise PointError(_l("The coordinates are not in Quảng Ninh: latitude %(lat)s, longitude %(lng)s "
                                "(e.g. 20.9571 and 107.0402).", lat=f"{LAT_RANGE[0]}–{LAT_RANGE[1]}",
                                lng=f"{LNG_RANGE[0]}–{LNG_RANGE[1]}"))
        if international_phone(self.phone, "VN") is None:
            raise PointError(_l("Please give a Vietnamese phone number for the point, e.g. 0203 3 123 456."))
        if self.pickup_mode not in {mode.value for mode in PickupMode}:
            raise PointError(_l("Please choose how the point takes online orders."))
        week: list[list[str] | None] = []
        for day, (opens, closes) in zip(DAYS, self.hours, strict=True):
            if not opens and not closes:
                week.append(None)
            elif is_time(opens) and is_time(closes) and opens < closes:
                week.append([opens, closes])
            else:
                raise PointError(_l("Opening hours of %(day)s: write both times as 08:00 and 17:30, the opening "
                                    "before the closing, or leave both empty for a day off.", day=day_name(day)))
        if not any(week):
            raise PointError(_l("A sales point opens on at least one day of the week."))
        return {"name": self.name, "short_name": self.short_name, "town": self.town, "address": self.address,
                "ward_code": self.ward_code, "lat": lat, "lng": lng, "phone": self.phone,
                "pickup_mode": PickupMode(self.pickup_mode), "weekly_hours": week,
                "opening_hours": opening_hours_text(week)}


def day_name(day: str) -> str:
    return opening_days(day)


def _number(text: str) -> float | None:
    try:
        value = float(text)
    except ValueError:
        return None
    return value if value == value else None  # NaN is not a place


def _lock(point_id: int) -> SalesPoint:
    begin_write()
    point = db.session.scalar(select(SalesPoint).where(SalesPoint.id == point_id).with_for_update())
    if point is None:
        db.session.rollback()
        raise NoSuchPoint()
    return point


def _facts(point: SalesPoint) -> dict:
    return {field: getattr(point, field) for field in FIELDS}


def save_point(point_id: int, form: PointForm, actor) -> SalesPoint:
    """Store the edited facts and weekly hours; raise PointError and change nothing on bad input."""
    values = form.read()
    point = _lock(point_id)
    before = _facts(point)
    for field, value in values.items():
        setattr(point, field, value)
    record_change(actor, "sales_point.edited", point, before=before, after=_facts(point))
    db.session.commit()
    return point


def _date(text: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat((text or "").strip())
    except ValueError:
        return None


def add_closure(point_id: int, starts: str, ends: str, reason: str, actor) -> Closure:
    """A holiday or closure from `starts` to `ends` (both included, written 2026-12-31); raise PointError."""
    first, last, reason = _date(starts), _date(ends or starts), " ".join((reason or "").split())
    if first is None or last is None or last < first:
        raise PointError(_l("Please give the closure's first and last day, written 2026-12-31, the last not "
                            "before the first."))
    if last < today():
        raise PointError(_l("This closure is already over: give days from today on."))
    if not reason or len(reason) > 200:
        raise PointError(_l("Please say why the point is closed (at most 200 characters): customers read it."))
    point = _lock(point_id)
    closure = Closure(sales_point=point, starts_on=first, ends_on=last, reason=reason)
    db.session.add(closure)
    db.session.flush()
    record_change(actor, "sales_point.closure_added", point,
                  after={"starts_on": first, "ends_on": last, "reason": reason})
    db.session.commit()
    return closure


def remove_closure(point_id: int, closure_id: int, actor) -> None:
    point = _lock(point_id)
    closure = next((c for c in point.closures if c.id == closure_id), None)
    if closure is None:
        db.session.rollback()
        raise NoSuchPoint()
    record_change(actor, "sales_point.closure_removed", point,
                  before={"starts_on": closure.starts_on, "ends_on": closure.ends_on, "reason": closure.reason})
    point.closures.remove(closure)
    db.session.commit()


def open_orders(point_id: int) -> list[Order]:
    """Pickup orders at the point not yet completed, cancelled or refunded, oldest first."""
    return list(db.session.scalars(
        select(Order).where(Order.sales_point_id == point_id, Order.status.not_in(CLOSED_ORDER_STATUSES))
        .order_by(Order.created_at, Order.id)))


def set_active(point_id: int, active: bool, actor) -> SalesPoint:
    """Open or close the point for good; closing is refused (PointHasOpenOrders) while orders wait there."""
    point = _lock(point_id)
    if point.is_active == active:
        db.session.rollback()
        return point
    if not active:
        waiting = open_orders(point.id)
        if waiting:
            db.session.rollback()
            raise PointHasOpenOrders(waiting)
    point.is_active = active
    record_change(actor, "sales_point.activated" if active else "sales_point.deactivated", point,
                  before={"is_active": not active}, after={"is_active": active})
    db.session.commit()
    return point


def move_open_orders(point_id: int, to_point_id: int, actor) -> tuple[list[Order], list[Order]]:
    """Move each open order of the point that may move to the other point, one order at a time (each its own
    use case: locked, moved, e-mailed, audited, committed). Return (moved, left): the ones left have goods
    at the point or from its shelf, and must be collected or cancelled there."""
    moved, left = [], []
    for order in open_orders(point_id):
        if not relocation.may_move(order):
            left.append(order)
            continue
        moved.append(relocation.move_to_point(order.id, to_point_id, actor))
    return moved, left
