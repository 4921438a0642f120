"""The producer's monthly sales report: its order parts placed in a month, with units and revenue."""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from sqlalchemy import func, select

from shop.clock import VIETNAM, add_months, today
from shop.extensions import db
from shop.orders.models import Fulfillment, Order, OrderLine, PartStatus


@dataclass(frozen=True)
class ReportRow:
    order_number: str
    placed_at: dt.datetime
    part_id: int
    status: str
    items: int
    revenue_vnd: int


@dataclass(frozen=True)
class MonthlyReport:
    month: dt.date
    rows: list[ReportRow]

    @property
    def kept(self) -> list[ReportRow]:
        return [r for r in self.rows if r.status != PartStatus.CANCELLED]

    @property
    def parts(self) -> int:
        return len(self.kept)

    @property
    def items(self) -> int:
        return sum(r.items for r in self.kept)

    @property
    def revenue_vnd(self) -> int:
        return sum(r.revenue_vnd for r in self.kept)

    @property
    def cancelled(self) -> int:
        return len(self.rows) - len(self.kept)


def parse_month(value: str | None) -> dt.date:
    """'2026-11' → 1 Nov 2026; empty or invalid → this month in Vietnam time."""
    match = re.fullmatch(r"(\d{4})-(\d{2})", (value or "").strip())
    if match and 2000 <= int(match.group(1)) <= 2100 and 1 <= int(match.group(2)) <= 12:
        return dt.date(int(match.group(1)), int(match.group(2)), 1)
    return today().replace(day=1)


def monthly_report(producer_id: int, month: dt.date) -> MonthlyReport:
    """This producer's order parts placed in a month (Vietnam time), with items and revenue per part."""
    start = dt.datetime.combine(month, dt.time(), VIETNAM).astimezone(dt.UTC)
    end = dt.datetime.combine(add_months(month, 1), dt.time(), VIETNAM).astimezone(dt.UTC)
    rows = db.session.execute(
        select(Order.number, Order.created_at, Fulfillment.id, Fulfillment.status,
               func.coalesce(func.sum(OrderLine.quantity), 0), func.coalesce(func.sum(OrderLine.line_total_vnd), 0))
        .join(Order, Order.id == Fulfillment.order_id)
        .outerjoin(OrderLine, OrderLine.part_id == Fulfillment.id)
        .where(Fulfillment.producer_id == producer_id, Order.created_at >= start, Order.created_at < end)
        .group_by(Order.number, Order.created_at, Fulfillment.id, Fulfillment.status)
        .order_by(Order.created_at, Fulfillment.id)
    ).all()
    return MonthlyReport(month, [ReportRow(number, placed, part_id, str(status), int(items), int(revenue))
                                 for number, placed, part_id, status, items, revenue in rows])
