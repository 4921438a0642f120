"""The only code that writes stock: allocate to orders, release, all by conditional UPDATE."""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select, update

from shop.extensions import db
from shop.inventory.models import Location, Stock


@dataclass(frozen=True)
class Allocation:
    variant_id: int
    location_id: int
    quantity: int


class NotEnoughStock(Exception):
    """A location holds fewer free units than asked; nothing was changed by this call's caller."""

    def __init__(self, allocation: Allocation):
        super().__init__(f"variant {allocation.variant_id} at location {allocation.location_id}")
        self.allocation = allocation


def producer_location_ids(producer_ids: set[int]) -> dict[int, int]:
    rows = db.session.execute(select(Location.producer_id, Location.id).where(Location.producer_id.in_(producer_ids)))
    return dict(rows.all())


def sales_point_location_id(sales_point_id: int) -> int | None:
    return db.session.scalar(select(Location.id).where(Location.sales_point_id == sales_point_id))


def free_at(location_id: int, variant_ids: set[int]) -> dict[int, int]:
    """Free units (on hand minus allocated) per variant at one location."""
    rows = db.session.execute(
        select(Stock.variant_id, Stock.quantity - Stock.allocated)
        .where(Stock.location_id == location_id, Stock.variant_id.in_(variant_ids))
    )
    return dict(rows.all())


def _stock_ids(allocations: list[Allocation]) -> dict[tuple[int, int], int]:
    pairs = {(a.variant_id, a.location_id) for a in allocations}
    rows = db.session.execute(
        select(Stock.variant_id, Stock.location_id, Stock.id)
        .where(Stock.variant_id.in_({v for v, _ in pairs}), Stock.location_id.in_({loc for _, loc in pairs}))
    )
    return {(v, loc): sid for v, loc, sid in rows}


def allocate(allocations: list[Allocation]) -> None:
    """Set units aside for an order, or raise NotEnoughStock; the caller rolls back on error.

    One conditional UPDATE per stock row: correct under concurrency on SQLite and PostgreSQL
    alike, where read-then-write is not. Rows are touched in id order so that two orders
    sharing products never wait on each other in a circle (deadlock).
    """
    ids = _stock_ids(allocations)
    for allocation in sorted(allocations, key=lambda a: ids.get((a.variant_id, a.location_id), 0)):
        stock_id = ids.get((allocation.variant_id, allocation.location_id))
        if stock_id is None:
            raise NotEnoughStock(allocation)
        result = db.session.execute(
            update(Stock)
            .where(Stock.id == stock_id, Stock.quantity - Stock.allocated >= allocation.quantity)
            .values(allocated=Stock.allocated + allocation.quantity)
            .execution_options(synchronize_session=False)
        )
        if result.rowcount != 1:
            raise NotEnoughStock(allocation)


def release(allocations: list[Allocation]) -> None:
    """Give allocated units back to free stock (an order or part was cancelled)."""
    ids = _stock_ids(allocations)
    for allocation in sorted(allocations, key=lambda a: ids.get((a.variant_id, a.location_id), 0)):
        stock_id = ids.get((allocation.variant_id, allocation.location_id))
        if stock_id is None:
            continue
        db.session.execute(
            update(Stock)
            .where(Stock.id == stock_id, Stock.allocated >= allocation.quantity)
            .values(allocated=Stock.allocated - allocation.quantity)
            .execution_options(synchronize_session=False)
        )
