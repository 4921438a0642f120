"""The only code that writes stock: allocate to orders, release, set on-hand by hand or CSV, all by conditional UPDATE."""
from __future__ import annotations

import csv
import io
from collections.abc import Callable
from dataclasses import dataclass

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import select, update

from shop.errors import ShopError
from shop.extensions import begin_write, db
from shop.inventory.models import AdjustmentReason, Location, Stock, StockAdjustment


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


@dataclass(frozen=True)
class Holdings:
    """Where an order's goods can come from: the producers' and the pickup point's locations and their stock rows."""

    #: producer id → its location id
    producer_locations: dict[int, int]
    #: the pickup point's location id, None without a point (or a point without a location)
    point_location: int | None
    #: (variant id, location id) → (stock row id, free units)
    stock: dict[tuple[int, int], tuple[int, int]]

    def free_at(self, location_id: int | None, variant_id: int) -> int:
        return self.stock.get((variant_id, location_id), (0, 0))[1]

    def stock_ids(self) -> dict[tuple[int, int], int]:
        return {key: stock_id for key, (stock_id, _free) in self.stock.items()}


def holdings(variant_ids: set[int], producer_ids: set[int], sales_point_id: int | None = None) -> Holdings:
    """The producers' and the point's locations with their stock of these variants, in one query."""
    where = Location.producer_id.in_(producer_ids)
    if sales_point_id is not None:
        where = where | (Location.sales_point_id == sales_point_id)
    rows = db.session.execute(
        select(Location.id, Location.producer_id, Location.sales_point_id, Stock.id, Stock.variant_id,
               Stock.quantity - Stock.allocated)
        .outerjoin(Stock, (Stock.location_id == Location.id) & Stock.variant_id.in_(variant_ids))
        .where(where)
    ).all()
    producers, point, stock = {}, None, {}
    for location_id, producer_id, point_id, stock_id, variant_id, free in rows:
        if producer_id is not None:
            producers[producer_id] = location_id
        if point_id is not None and point_id == sales_point_id:
            point = location_id
        if stock_id is not None:
            stock[(variant_id, location_id)] = (stock_id, free)
    return Holdings(producers, point, stock)


def _stock_ids(allocations: list[Allocation]) -> dict[tuple[int, int], int]:
    pairs = {(a.variant_id, a.location_id) for a in allocations}
    rows = db.session.execute(
        select(Stock.variant_id, Stock.location_id, Stock.id)
        .where(Stock.variant_id.in_({v for v, _ in pairs}), Stock.location_id.in_({loc for _, loc in pairs}))
    )
    return {(v, loc): sid for v, loc, sid in rows}


def allocate(allocations: list[Allocation], stock_ids: dict[tuple[int, int], int] | None = None) -> None:
    """Set units aside for an order, or raise NotEnoughStock; the caller rolls back on error.

    One conditional UPDATE per stock row: correct under concurrency on SQLite and PostgreSQL
    alike, where read-then-write is not. Rows are touched in id order so that two orders
    sharing products never wait on each other in a circle (deadlock). `stock_ids`, (variant id,
    location id) → stock row id, when the caller read them already (holdings()); the guard is the UPDATE's.
    """
    ids = stock_ids if stock_ids is not None else _stock_ids(allocations)
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
    _unallocate(allocations, leave=False)


def consume(allocations: list[Allocation]) -> None:
    """The allocated units left the location (sent, shipped or handed over): take them off on-hand too."""
    _unallocate(allocations, leave=True)


def _unallocate(allocations: list[Allocation], leave: bool) -> None:
    ids = _stock_ids(allocations)
    for allocation in sorted(allocations, key=lambda a: ids.get((a.variant_id, a.location_id), 0)):
        stock_id = ids.get((allocation.variant_id, allocation.location_id))
        if stock_id is None:
            continue
        values = {"allocated": Stock.allocated - allocation.quantity}
        if leave:
            values["quantity"] = Stock.quantity - allocation.quantity
        db.session.execute(
            update(Stock).where(Stock.id == stock_id, Stock.allocated >= allocation.quantity).values(**values)
            .execution_options(synchronize_session=False)
        )


# ---- counting and setting on-hand stock by hand --------------------------------------------------
# A producer (or later a sales point) says how many it holds; allocation is the orders' business.

#: Quantities above this are typing mistakes, not stock.
MAX_QUANTITY = 1_000_000


class StockError(ShopError):
    message = _l("The stock could not be changed.")


class BelowAllocated(StockError):
    message = _l("%(sku)s: %(allocated)d units are allocated to placed orders, so on hand cannot be set below %(allocated)d.")


class InvalidQuantity(StockError):
    message = _l("Please enter a whole number from 0 to 1.000.000.")


class StockImportRefused(StockError):
    """The file has bad rows; `problems` holds (line number, message) and nothing was applied."""

    message = _l("Nothing was imported: please correct the rows below and upload the file again.")

    def __init__(self, problems: list[tuple[int, str]]):
        super().__init__()
        self.problems = problems


def location_of_producer(producer_id: int) -> int | None:
    return db.session.scalar(select(Location.id).where(Location.producer_id == producer_id))


def parse_quantity(value) -> int:
    text = str(value or "").strip()
    if not text.isdigit() or int(text) > MAX_QUANTITY:
        raise InvalidQuantity()
    return int(text)


def _set_on_hand(variant_id: int, location_id: int, quantity: int, reason: AdjustmentReason, note: str,
                 user_id: int | None, sku: str) -> StockAdjustment | None:
    """Set one row's on-hand quantity inside the caller's write transaction; None when unchanged."""
    stock = db.session.scalar(
        select(Stock).where(Stock.variant_id == variant_id, Stock.location_id == location_id).with_for_update()
    )
    if stock is None:
        stock = Stock(variant_id=variant_id, location_id=location_id, quantity=0, allocated=0)
        db.session.add(stock)
        db.session.flush()
    db.session.refresh(stock)
    before = stock.quantity
    # Conditional on `allocated`: an order placed meanwhile may have set more aside than we read.
    changed = db.session.execute(
        update(Stock).where(Stock.id == stock.id, Stock.allocated <= quantity).values(quantity=quantity)
        .execution_options(synchronize_session=False)
    ).rowcount
    if changed != 1:
        db.session.refresh(stock)
        raise BelowAllocated(sku=sku, allocated=stock.allocated)
    if quantity == before:
        return None
    adjustment = StockAdjustment(stock_id=stock.id, delta=quantity - before, quantity_after=quantity,
                                 reason=reason, note=(note or "").strip()[:300], user_id=user_id)
    db.session.add(adjustment)
    return adjustment


def set_on_hand(variant_id: int, location_id: int, quantity: int, *, reason: AdjustmentReason | str,
                note: str = "", user_id: int | None = None, sku: str = "") -> StockAdjustment | None:
    """Set how many units a location holds, recording the adjustment; raise BelowAllocated."""
    reason = AdjustmentReason(reason)
    if not 0 <= quantity <= MAX_QUANTITY:
        raise InvalidQuantity()
    begin_write()
    try:
        adjustment = _set_on_hand(variant_id, location_id, quantity, reason, note, user_id, sku)
    except StockError:
        db.session.rollback()
        raise
    db.session.commit()
    return adjustment


class NotEnoughOnHand(StockError):
    message = _l("%(sku)s: only %(n)d on hand, so %(taken)d cannot be taken out.")


def add_on_hand(variant_id: int, location_id: int, delta: int, *, reason: AdjustmentReason | str, note: str = "",
                user_id: int | None = None, sku: str = "") -> StockAdjustment | None:
    """Add (or, negative, take out) units at a location, recording why; read and written under one lock."""
    reason = AdjustmentReason(reason)
    begin_write()
    current = db.session.scalar(
        select(Stock.quantity).where(Stock.variant_id == variant_id, Stock.location_id == location_id)
        .with_for_update()
    ) or 0
    try:
        if current + delta < 0:
            raise NotEnoughOnHand(sku=sku, n=current, taken=-delta)
        if current + delta > MAX_QUANTITY:
            raise InvalidQuantity()
        adjustment = _set_on_hand(variant_id, location_id, current + delta, reason, note, user_id, sku)
    except StockError:
        db.session.rollback()
        raise
    db.session.commit()
    return adjustment


@dataclass(frozen=True)
class ImportedRow:
    line: int
    sku: str
    before: int
    after: int


#: sku → (variant id, whether it belongs to the importing producer), for the SKUs asked about.
SkuLookup = Callable[[set[str]], dict[str, tuple[int, bool]]]


def _read_rows(data: bytes) -> list[tuple[int, list[str]]]:
    if not data or not data.strip():
        raise StockImportRefused([(1, str(_l("The file is empty.")))])
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise StockImportRefused([(1, str(_l("This is not a CSV text file in UTF-8.")))]) from None
    if "\x00" in text:
        raise StockImportRefused([(1, str(_l("This is not a CSV text file in UTF-8.")))])
    first = text.lstrip().splitlines()[0] if text.strip() else ""
    delimiter = ";" if first.count(";") > first.count(",") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        return [(reader.line_num, row) for row in reader]
    except csv.Error:
        raise StockImportRefused([(reader.line_num or 1, str(_l("This is not a CSV text file in UTF-8.")))]) from None


def import_stock_csv(data: bytes, location_id: int, lookup: SkuLookup, *, user_id: int | None = None) -> list[ImportedRow]:
    """Set on-hand quantities from `sku,quantity` rows: all of them, or none (StockImportRefused)."""
    rows = [(line, [cell.strip() for cell in row]) for line, row in _read_rows(data)]
    rows = [(line, row) for line, row in rows if any(row)]
    if not rows:
        raise StockImportRefused([(1, str(_l("The file is empty.")))])
    header_line, header = rows[0]
    names = [h.lower() for h in header]
    if "sku" not in names or "quantity" not in names:
        raise StockImportRefused([(header_line, str(_l("The first row must name the columns: sku,quantity")))])
    sku_col, qty_col = names.index("sku"), names.index("quantity")
    body = rows[1:]
    if not body:
        raise StockImportRefused([(header_line, str(_l("The file has no rows after its header.")))])
    limit = current_app.config["STOCK_CSV_MAX_ROWS"]
    if len(body) > limit:
        raise StockImportRefused([(body[limit][0], str(_l("Too many rows: at most %(n)d per file.", n=limit)))])

    begin_write()  # allocation read below must stay true until the rows are written
    known = lookup({row[sku_col].upper() for _, row in body if len(row) > sku_col})
    problems: list[tuple[int, str]] = []
    wanted: list[tuple[int, str, int, int]] = []  # line, sku, variant id, quantity
    seen: dict[str, int] = {}
    for line, row in body:
        sku = row[sku_col].upper() if len(row) > sku_col else ""
        raw = row[qty_col] if len(row) > qty_col else ""
        if not sku:
            problems.append((line, str(_l("The SKU is missing."))))
            continue
        if sku in seen:
            problems.append((line, str(_l("%(sku)s appears twice (first on line %(line)d).", sku=sku, line=seen[sku]))))
            continue
        seen[sku] = line
        entry = known.get(sku)
        if entry is None:
            problems.append((line, str(_l("Unknown SKU %(sku)s.", sku=sku))))
            continue
        variant_id, own = entry
        if not own:
            problems.append((line, str(_l("%(sku)s is not one of your products.", sku=sku))))
            continue
        if not raw.isdigit() or int(raw) > MAX_QUANTITY:
            problems.append((line, str(_l("%(sku)s: the quantity must be a whole number from 0 to 1.000.000, not “%(value)s”.",
                                          sku=sku, value=raw[:20]))))
            continue
        wanted.append((line, sku, variant_id, int(raw)))
    current = {}
    if wanted:
        current = {v: (q, a) for v, q, a in db.session.execute(
            select(Stock.variant_id, Stock.quantity, Stock.allocated)
            .where(Stock.location_id == location_id, Stock.variant_id.in_({w[2] for w in wanted})))}
    for line, sku, variant_id, quantity in wanted:
        allocated = current.get(variant_id, (0, 0))[1]
        if quantity < allocated:
            problems.append((line, str(BelowAllocated(sku=sku, allocated=allocated))))
    if problems:
        db.session.rollback()
        raise StockImportRefused(sorted(problems))

    imported = []
    try:
        for line, sku, variant_id, quantity in wanted:
            before = current.get(variant_id, (0, 0))[0]
            _set_on_hand(variant_id, location_id, quantity, AdjustmentReason.IMPORT, "", user_id, sku)
            imported.append(ImportedRow(line, sku, before, quantity))
    except StockError as error:
        db.session.rollback()
        raise StockImportRefused([(line, str(error))]) from None
    db.session.commit()
    return imported


class NotEnoughFree(StockError):
    message = _l("%(sku)s: only %(n)d free to sell here (the rest is set aside for orders), so %(taken)d cannot be sold.")


def sell_from(location_id: int | None, items: list[tuple[int, int, str]], *, note: str = "",
              user_id: int | None = None) -> None:
    """Take units sold over the counter out of a location, inside the caller's write transaction (no commit).

    `items` are (variant id, units, sku). Rows are locked in variant id order, so two sales never deadlock;
    units set aside for orders are not for sale. Raises NotEnoughFree; the caller rolls back.
    """
    for variant_id, quantity, sku in sorted(items):
        stock = db.session.scalar(
            select(Stock).where(Stock.variant_id == variant_id, Stock.location_id == location_id).with_for_update()
        ) if location_id is not None else None
        if stock is not None:
            db.session.refresh(stock)
        free = stock.quantity - stock.allocated if stock is not None else 0
        if quantity <= 0 or quantity > free:
            raise NotEnoughFree(sku=sku, n=max(free, 0), taken=quantity)
        _set_on_hand(variant_id, location_id, stock.quantity - quantity, AdjustmentReason.SOLD, note, user_id, sku)


def return_to(location_id: int, items: list[tuple[int, int, str]], *, note: str = "",
              user_id: int | None = None) -> None:
    """Put units sold over the counter back at the location (a sale voided), inside the caller's write
    transaction (no commit). `items` are (variant id, units, sku); rows locked in variant id order."""
    for variant_id, quantity, sku in sorted(items):
        current = db.session.scalar(
            select(Stock.quantity).where(Stock.variant_id == variant_id, Stock.location_id == location_id)
            .with_for_update()) or 0
        if quantity <= 0 or current + quantity > MAX_QUANTITY:
            raise InvalidQuantity()
        _set_on_hand(variant_id, location_id, current + quantity, AdjustmentReason.CORRECTION, note, user_id, sku)
