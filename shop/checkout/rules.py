"""What checkout offers for a cart: pickup points in a useful order, fees abroad, who may go where."""
from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from shop.catalog.rules import why_not_abroad
from shop.clock import now, today
from shop.extensions import db
from shop.inventory.models import Location, Stock
from shop.orders.models import DeliveryMethod
from shop.orders.payment import PaymentMethod
from shop.payments.services import methods_for
from shop.places import QUANG_NINH_CODE, fee_by_weight
from shop.sales_points.models import Closure, PickupMode, SalesPoint
from shop.sales_points.pickup_days import first_pickup_day

QUANG_NINH = f"{QUANG_NINH_CODE:02d}"


@dataclass(frozen=True)
class PickupOption:
    point: SalesPoint
    #: The point holds every line of the cart now: ready as soon as staff put it aside.
    ready_today: bool
    #: The point is closed today (a closure covers Vietnam's today): the last day of that closure. Such a
    #: point is shown, but may not be chosen (see `closed_until`).
    closed_until: dt.date | None = None
    #: The next closure starting within CLOSURE_NOTICE_DAYS, told beside the point.
    next_closure: Closure | None = None
    #: The first day the order could be collected there (sales_points/pickup_days.py has the rule); None: no day.
    first_day: dt.date | None = None


#: Closures starting this many days ahead are told at checkout, so nobody picks a point about to close.
CLOSURE_NOTICE_DAYS = 14


def closed_until(point: SalesPoint) -> dt.date | None:
    """The rule for pickups: a point is refused while a closure covers today (Vietnam's day); None: it is open.

    A closure that starts later does not refuse the point (it is told beside it): parcels wait at the
    point, and the hold before an order counts as unclaimed starts only when it is ready.
    """
    return point.closed_until(today())


def pickup_options(wanted: dict[int, int], only: int | None = None) -> list[PickupOption]:
    """Sales points that can hand over this cart (variant id → quantity), ready-today ones first, closed ones last.

    Points with pickup off are never offered; own-stock points only when they hold everything.
    `only`: the option of that one point, if offered (the other points are not read).
    """
    query = select(SalesPoint).where(SalesPoint.is_active.is_(True), SalesPoint.pickup_mode != PickupMode.OFF)
    if only is not None:
        query = query.where(SalesPoint.id == only)
    points = db.session.scalars(query.options(selectinload(SalesPoint.closures)).order_by(SalesPoint.code)).all()
    moment = now()
    day = today()
    free: dict[int, dict[int, int]] = defaultdict(dict)
    if wanted:
        rows = db.session.execute(
            select(Location.sales_point_id, Stock.variant_id, Stock.quantity - Stock.allocated)
            .join(Stock, Stock.location_id == Location.id)
            .where(Location.sales_point_id.is_not(None) if only is None else Location.sales_point_id == only,
                   Stock.variant_id.in_(wanted))
        )
        for point_id, variant_id, available in rows:
            free[point_id][variant_id] = available
    options = []
    for point in points:
        holds_all = bool(wanted) and all(free[point.id].get(v, 0) >= q for v, q in wanted.items())
        if point.pickup_mode == PickupMode.OWN_STOCK and not holds_all:
            continue
        soon = [c for c in point.closures_from(day) if c.starts_on <= day + dt.timedelta(days=CLOSURE_NOTICE_DAYS)]
        until = point.closed_until(day)
        options.append(PickupOption(point, holds_all and until is None, until,
                                    soon[0] if soon and until is None else None,
                                    first_pickup_day(point, moment, parcels=not holds_all)))
    return sorted(options, key=lambda o: (o.closed_until is not None, not o.ready_today))


def first_pickup_day_at(point_id: int | None, wanted: dict[int, int]) -> dt.date | None:
    """The first pickup day checkout offered for this point and cart; None: not a point offered."""
    if point_id is None:
        return None
    return next((o.first_day for o in pickup_options(wanted, only=point_id) if o.point.id == point_id), None)


def abroad_zone(country_code: str) -> str | None:
    """The zone of SHIPPING_ABROAD_ZONES holding the country; None: the shop does not ship there."""
    for name, zone in current_app.config["SHIPPING_ABROAD_ZONES"].items():
        if country_code in zone["countries"]:
            return name
    return None


def abroad_countries() -> list[str]:
    """Every country some zone ships to."""
    return [code for zone in current_app.config["SHIPPING_ABROAD_ZONES"].values() for code in zone["countries"]]


def abroad_fee(country_code: str, weight_g: int) -> int:
    """The fee from the country's zone × weight table; the free-delivery threshold does not apply abroad."""
    return fee_by_weight(current_app.config["SHIPPING_ABROAD_ZONES"][abroad_zone(country_code)], weight_g)


def may_deliver_cold_chain_to(province_code: str) -> bool:
    """Cold-chain products travel only inside Quảng Ninh."""
    return province_code == QUANG_NINH


def abroad_refusals(lines) -> list[str]:
    """Each cart line that may not go abroad, as “name”: why, in the reader's language."""
    refusals = []
    for line in lines:
        product = line.variant.product
        reason = why_not_abroad(product)
        if reason is not None:
            refusals.append(str(_l("“%(name)s”: %(reason)s", name=product.t("name"), reason=reason)))
    return refusals


# ---- alcohol (docs/legal.md) ---------------------------------------------------------------------

#: Law 44/2019/QH14 and Decree 105/2017/NĐ-CP: no alcohol for anyone under 18.
ALCOHOL_MIN_AGE = 18
#: Nobody ordering is older than this: a birth year before it is a typo.
OLDEST_AGE = 120


def cart_has_alcohol(lines) -> bool:
    """Any line whose product is alcohol (any ABV above 0, or an alcohol product set)."""
    return any(line.variant.product.is_alcohol for line in lines)


def age_on(born: dt.date, day: dt.date) -> int:
    """Whole years of age on `day`. Born on 29 February: a year older on 1 March in a common year."""
    return day.year - born.year - ((day.month, day.day) < (born.month, born.day))


def may_buy_alcohol(born: dt.date | None, day: dt.date | None = None) -> bool:
    """18 or older on `day` (default: today in Vietnam); the 18th birthday itself passes."""
    return born is not None and age_on(born, day or today()) >= ALCOHOL_MIN_AGE


def plausible_birth_date(born: dt.date, day: dt.date | None = None) -> bool:
    day = day or today()
    return born <= day and age_on(born, day) <= OLDEST_AGE


def alcohol_payment_methods() -> frozenset[PaymentMethod]:
    """ALCOHOL_PAYMENT_METHODS from the configuration; names that are not payment methods are ignored."""
    known = {m.value for m in PaymentMethod}
    return frozenset(PaymentMethod(m) for m in current_app.config["ALCOHOL_PAYMENT_METHODS"] if m in known)


def payment_methods(delivery: DeliveryMethod, country_code: str, alcohol: bool) -> list[PaymentMethod]:
    """What checkout offers: methods_for the delivery choice, and with alcohol only the configured ones."""
    methods = methods_for(delivery, country_code)
    if alcohol:
        allowed = alcohol_payment_methods()
        methods = [m for m in methods if m in allowed]
    return methods
