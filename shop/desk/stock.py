"""A sales point's own stock: what it holds and what is set aside for orders; goods received, counted, taken out."""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import joinedload

from shop.catalog.models import Product, Variant
from shop.extensions import db
from shop.inventory import services as inventory
from shop.inventory.models import AdjustmentReason, Stock, StockAdjustment

#: What staff may do to a row: (reason, whether the number typed is added, taken out, or the new count).
MODES = {
    "receive": (AdjustmentReason.RECEIVED, +1),
    "sold": (AdjustmentReason.SOLD, -1),
    "damaged": (AdjustmentReason.DAMAGED, -1),
    "count": (AdjustmentReason.COUNT, 0),
    "correction": (AdjustmentReason.CORRECTION, 0),
}


@dataclass(frozen=True)
class PointStockRow:
    stock: Stock
    variant: Variant
    product: Product

    @property
    def free(self) -> int:
        return self.stock.quantity - self.stock.allocated


def location_id(point_id: int) -> int | None:
    return inventory.sales_point_location_id(point_id)


def rows(point_id: int) -> list[PointStockRow]:
    """Every variant this point has held, by product name: on hand, set aside for orders, free."""
    location = location_id(point_id)
    if location is None:
        return []
    stocks = db.session.scalars(
        select(Stock).join(Variant, Variant.id == Stock.variant_id).join(Product, Product.id == Variant.product_id)
        .where(Stock.location_id == location)
        .options(joinedload(Stock.variant).joinedload(Variant.product).joinedload(Product.producer))
        .order_by(Product.name_folded, Product.id, Variant.position, Variant.id)
    ).all()
    return [PointStockRow(s, s.variant, s.variant.product) for s in stocks]


def held_variant(point_id: int, variant_id: int) -> Variant | None:
    """The variant, if this point holds (or held) it: the only rows its staff adjust by id."""
    location = location_id(point_id)
    return db.session.scalar(
        select(Variant).join(Stock, Stock.variant_id == Variant.id)
        .where(Variant.id == variant_id, Stock.location_id == location)
    ) if location is not None else None


def recent_adjustments(point_id: int, limit: int = 30) -> list[StockAdjustment]:
    location = location_id(point_id)
    return list(db.session.scalars(
        select(StockAdjustment).join(Stock, Stock.id == StockAdjustment.stock_id).where(Stock.location_id == location)
        .options(joinedload(StockAdjustment.stock).joinedload(Stock.variant))
        .order_by(StockAdjustment.id.desc()).limit(limit)
    )) if location is not None else []


def variant_by_sku(sku: str) -> Variant | None:
    return db.session.scalar(
        select(Variant).where(Variant.sku == (sku or "").strip().upper()).options(joinedload(Variant.product))
    )


def adjust(point_id: int, variant: Variant, mode: str, number: int, note: str, user) -> int:
    """Apply one change to the point's stock of a variant; return the new on-hand quantity.

    Raises KeyError for an unknown mode and inventory.StockError (never below what is set aside).
    """
    reason, sign = MODES[mode]
    location = location_id(point_id)
    if sign:
        adjustment = inventory.add_on_hand(variant.id, location, sign * number, reason=reason, note=note,
                                           user_id=user.id, sku=variant.sku)
    else:
        adjustment = inventory.set_on_hand(variant.id, location, number, reason=reason, note=note,
                                           user_id=user.id, sku=variant.sku)
    if adjustment is not None:
        return adjustment.quantity_after
    return db.session.scalar(select(Stock.quantity).where(Stock.variant_id == variant.id,
                                                          Stock.location_id == location)) or 0
