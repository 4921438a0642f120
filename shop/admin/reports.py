"""Reports for the province: sales by producer, product set, commune of origin, sales point, payment method and
month; top products; pickup against delivery; unclaimed orders per point; how fast producers accept.

**Sales** are the goods of the order parts that were not cancelled and not left unclaimed, at the prices paid,
in VND, counted in the month (Vietnam's day) the order was placed; delivery fees are not sales. An order placed
and still waiting for its bank transfer counts until it is cancelled. Every report reads the same rows
(`_sold_lines`), so each one's total is the same sum, and a test compares it with a direct sum over the orders.
"""
from __future__ import annotations

import datetime as dt
import statistics
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from shop.catalog.models import Category, Producer, Product, Variant
from shop.clock import VIETNAM, aware, today
from shop.extensions import db
from shop.labels import PAYMENT_METHODS
from shop.orders.models import GONE, PRODUCER_ROUTES, DeliveryMethod, Fulfillment, Order, OrderLine, PartStatus
from shop.orders.payment import Payment
from shop.places import ward

#: Bars drawn at most in one chart (the table and the CSV have every row).
CHART_ROWS = 12
TOP_PRODUCTS = 20


class BadRange(ValueError):
    """The date range is not two days written 2026-12-31, the second not before the first."""


@dataclass(frozen=True)
class Range:
    first: dt.date
    last: dt.date

    @classmethod
    def read(cls, args) -> Range:
        """?from=&to= (both included); by default the current month so far."""
        end = today()
        try:
            first = dt.date.fromisoformat(args["from"]) if args.get("from") else end.replace(day=1)
            last = dt.date.fromisoformat(args["to"]) if args.get("to") else end
        except ValueError:
            raise BadRange() from None
        if last < first or (last - first).days > 3660:
            raise BadRange()
        return cls(first, last)

    def moments(self) -> tuple[dt.datetime, dt.datetime]:
        """From the first day's midnight to the midnight after the last day, in Vietnam."""
        start = dt.datetime.combine(self.first, dt.time(), VIETNAM)
        return start.astimezone(dt.UTC), (start + dt.timedelta(days=(self.last - self.first).days + 1)).astimezone(dt.UTC)


@dataclass
class Report:
    key: str
    title: str
    #: Column headings; the first names the row, the others are numbers unless listed in `text_columns`.
    columns: list[str]
    rows: list[list] = field(default_factory=list)
    #: Index of the column the chart draws, and whether its numbers are đồng.
    chart_column: int = 1
    money: bool = True
    #: The sum the page shows under the table (the chart column's), or None where a sum means nothing.
    total: int | None = None
    note: str = ""
    #: Columns holding percentages (0–100, one decimal) rather than counts or đồng.
    percent_columns: tuple[int, ...] = ()

    @property
    def bars(self) -> list[tuple[str, float | None]]:
        """(label, value) of the rows the chart draws; None where the table shows "—"."""
        return [(str(row[0]), row[self.chart_column]) for row in self.rows[:CHART_ROWS]]

    @property
    def chart_top(self) -> float:
        """The largest value drawn: its bar is the longest."""
        return max((value for _, value in self.bars if value), default=0)


@dataclass(frozen=True)
class SoldLine:
    """One order line of a live part in the range, with what the reports group by."""

    order_id: int
    placed: dt.datetime
    amount: int
    quantity: int
    producer_id: int
    producer_name: str
    product: str
    variant_id: int | None
    point: str
    delivery: str
    payment: str


def _sold_lines(period: Range) -> list[SoldLine]:
    start, end = period.moments()
    latest = select(Payment.order_id, func.max(Payment.id).label("payment_id")).group_by(Payment.order_id).subquery()
    rows = db.session.execute(
        select(OrderLine.order_id, Order.created_at, OrderLine.line_total_vnd, OrderLine.quantity,
               OrderLine.producer_id, OrderLine.producer_name, OrderLine.product_name, OrderLine.variant_id,
               Order.sales_point_code, Order.sales_point_name, Order.delivery_method, Payment.method)
        .join(Order, Order.id == OrderLine.order_id).join(Fulfillment, Fulfillment.id == OrderLine.part_id)
        .outerjoin(latest, latest.c.order_id == Order.id).outerjoin(Payment, Payment.id == latest.c.payment_id)
        .where(Order.created_at >= start, Order.created_at < end, Fulfillment.status.not_in(GONE))
        .order_by(OrderLine.id)
    ).all()
    return [SoldLine(r.order_id, aware(r.created_at), r.line_total_vnd, r.quantity, r.producer_id, r.producer_name,
                     r.product_name, r.variant_id,
                     f"{r.sales_point_code} · {r.sales_point_name}" if r.sales_point_code else "",
                     str(r.delivery_method), str(r.method or "")) for r in rows]


def _grouped(lines: list[SoldLine], key: Callable[[SoldLine], str]) -> list[list]:
    """[name, sales, orders, units] per group, biggest sales first."""
    sales: dict[str, int] = defaultdict(int)
    orders: dict[str, set[int]] = defaultdict(set)
    units: dict[str, int] = defaultdict(int)
    for line in lines:
        name = key(line)
        sales[name] += line.amount
        orders[name].add(line.order_id)
        units[name] += line.quantity
    return sorted(([name, sales[name], len(orders[name]), units[name]] for name in sales),
                  key=lambda row: (-row[1], row[0]))


def _sales_columns(first: str) -> list[str]:
    return [first, str(_l("Sales")), str(_l("Orders")), str(_l("Units"))]


def _sales_report(key: str, title, first, lines: list[SoldLine], group: Callable[[SoldLine], str],
                  note: str = "") -> Report:
    return Report(key, str(title), _sales_columns(str(first)), _grouped(lines, group),
                  total=sum(line.amount for line in lines), note=note)


def _producer_places(lines: list[SoldLine]) -> dict[int, str]:
    ids = {line.producer_id for line in lines}
    places = {}
    for producer_id, ward_code in db.session.execute(select(Producer.id, Producer.ward_code).where(Producer.id.in_(ids))):
        place = ward(ward_code)
        places[producer_id] = place.name if place else ward_code
    return places


def _product_sets(lines: list[SoldLine]) -> dict[int, str]:
    ids = {line.variant_id for line in lines if line.variant_id is not None}
    return dict(db.session.execute(
        select(Variant.id, Category.name).join(Product, Product.id == Variant.product_id)
        .join(Category, Category.id == Product.category_id).where(Variant.id.in_(ids))).all())


def by_producer(period: Range) -> Report:
    lines = _sold_lines(period)
    return _sales_report("producers", _l("Sales by producer"), _l("Producer"), lines, lambda l: l.producer_name)


def by_product_set(period: Range) -> Report:
    lines = _sold_lines(period)
    sets = _product_sets(lines)
    unknown = str(_l("Product no longer in the catalogue"))
    return _sales_report("product-sets", _l("Sales by product set"), _l("Product set"), lines,
                         lambda l: sets.get(l.variant_id, unknown),
                         note=str(_l("The product's set as the catalogue has it today.")))


def by_commune(period: Range) -> Report:
    lines = _sold_lines(period)
    places = _producer_places(lines)
    return _sales_report("communes", _l("Sales by commune of origin"), _l("Ward or commune"), lines,
                         lambda l: places.get(l.producer_id, "?"),
                         note=str(_l("Where the producer is registered: the origin of the goods.")))


def by_point(period: Range) -> Report:
    lines = _sold_lines(period)
    delivered = str(_l("Delivered to an address"))
    return _sales_report("points", _l("Sales by sales point"), _l("Sales point"), lines,
                         lambda l: l.point or delivered)


def by_payment(period: Range) -> Report:
    lines = _sold_lines(period)
    return _sales_report("payments", _l("Sales by payment method"), _l("Payment method"), lines,
                         lambda l: str(PAYMENT_METHODS.get(l.payment, l.payment)))


def by_month(period: Range) -> Report:
    lines = _sold_lines(period)
    report = _sales_report("months", _l("Sales by month"), _l("Month"), lines,
                           lambda l: l.placed.astimezone(VIETNAM).strftime("%Y-%m"))
    report.rows.sort(key=lambda row: row[0])
    return report


def top_products(period: Range) -> Report:
    lines = _sold_lines(period)
    rows = _grouped(lines, lambda l: l.product)
    return Report("top-products", str(_l("Top products")), _sales_columns(str(_l("Product"))), rows[:TOP_PRODUCTS],
                  total=sum(row[1] for row in rows[:TOP_PRODUCTS]),
                  note=str(_l("The %(num)d products with the most sales.", num=TOP_PRODUCTS)))


def _orders_in(period: Range):
    start, end = period.moments()
    return db.session.scalars(select(Order).where(Order.created_at >= start, Order.created_at < end)
                              .order_by(Order.id)).unique().all()


def pickup_or_delivery(period: Range) -> Report:
    """Orders with something still live, by how the customer gets them."""
    counts = {DeliveryMethod.PICKUP: 0, DeliveryMethod.DELIVERY: 0}
    for order in _orders_in(period):
        if order.live_parts:
            counts[DeliveryMethod(order.delivery_method)] += 1
    total = sum(counts.values())
    names = {DeliveryMethod.PICKUP: str(_l("Picked up at a sales point")),
             DeliveryMethod.DELIVERY: str(_l("Delivered to an address"))}
    rows = [[names[method], count, round(100 * count / total, 1) if total else 0.0] for method, count in counts.items()]
    return Report("pickup-delivery", str(_l("Picked up or delivered")),
                  [str(_l("How")), str(_l("Orders")), str(_l("Share (%)"))], rows, money=False, total=total,
                  percent_columns=(2,), note=str(_l("Orders placed in the range with at least one part not "
                                                    "cancelled or unclaimed.")))


def unclaimed_by_point(period: Range) -> Report:
    """Of the orders that were ready at a point, how many the customer never collected."""
    ready: dict[str, int] = defaultdict(int)
    unclaimed: dict[str, int] = defaultdict(int)
    for order in _orders_in(period):
        if order.ready_at is None or not order.sales_point_code:
            continue
        name = f"{order.sales_point_code} · {order.sales_point_name}"
        ready[name] += 1
        if any(part.status == PartStatus.UNCLAIMED for part in order.parts):
            unclaimed[name] += 1
    rows = sorted(([name, round(100 * unclaimed[name] / ready[name], 1), ready[name], unclaimed[name]]
                   for name in ready), key=lambda row: (-row[1], row[0]))
    return Report("unclaimed", str(_l("Unclaimed orders per sales point")),
                  [str(_l("Sales point")), str(_l("Unclaimed (%)")), str(_l("Ready")), str(_l("Unclaimed"))],
                  rows, money=False, total=None, percent_columns=(1,),
                  note=str(_l("Orders placed in the range that were ready for pickup; unclaimed: the customer "
                              "never came before the hold ended.")))


def response_times(period: Range) -> Report:
    """Hours from the order being placed to the producer accepting its part (parts the producer fulfils)."""
    start, end = period.moments()
    rows = db.session.execute(
        select(Fulfillment.producer_name, Order.created_at, Fulfillment.accepted_at, Fulfillment.status)
        .join(Order, Order.id == Fulfillment.order_id)
        .where(Order.created_at >= start, Order.created_at < end, Fulfillment.route.in_(PRODUCER_ROUTES))
    ).all()
    hours: dict[str, list[float]] = defaultdict(list)
    waiting: dict[str, int] = defaultdict(int)
    for name, placed, accepted, status in rows:
        if accepted is not None:
            hours[name].append((aware(accepted) - aware(placed)).total_seconds() / 3600)
        elif status == PartStatus.NEW:
            waiting[name] += 1
        else:
            hours.setdefault(name, [])
    names = set(hours) | set(waiting)
    table = [[name, round(statistics.median(hours[name]), 1) if hours[name] else None,
              round(statistics.fmean(hours[name]), 1) if hours[name] else None, len(hours[name]), waiting[name]]
             for name in names]
    table.sort(key=lambda row: (row[1] is None, -(row[1] or 0), row[0]))
    return Report("response-times", str(_l("Producer response times")),
                  [str(_l("Producer")), str(_l("Median hours to accept")), str(_l("Average hours")),
                   str(_l("Parts accepted")), str(_l("Not accepted yet"))], table, money=False, total=None,
                  note=str(_l("From the order being placed to the producer accepting its part; parts served "
                              "from a sales point's own stock are not the producer's.")))


#: Every report by its address, in the order of the menu.
REPORTS: dict[str, Callable[[Range], Report]] = {
    "producers": by_producer, "product-sets": by_product_set, "communes": by_commune, "points": by_point,
    "payments": by_payment, "months": by_month, "top-products": top_products,
    "pickup-delivery": pickup_or_delivery, "unclaimed": unclaimed_by_point, "response-times": response_times,
}


def menu() -> list[tuple[str, str]]:
    return [("producers", str(_l("Producers"))), ("product-sets", str(_l("Product sets"))),
            ("communes", str(_l("Communes"))), ("points", str(_l("Sales points"))),
            ("payments", str(_l("Payment methods"))), ("months", str(_l("Months"))),
            ("top-products", str(_l("Top products"))), ("pickup-delivery", str(_l("Pickup or delivery"))),
            ("unclaimed", str(_l("Unclaimed"))), ("response-times", str(_l("Response times")))]
