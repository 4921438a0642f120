"""Reading back what a test's actions stored, as another request would see it (fresh from the database)."""
from sqlalchemy import select

from shop.extensions import db
from shop.inventory import services as inventory
from shop.inventory.models import Stock
from shop.notifications.models import OutboxMessage
from shop.orders.models import Order
from shop.sales_points.models import SalesPoint


def fresh_order(order_id: int) -> Order:
    db.session.rollback()
    db.session.expire_all()
    return db.session.get(Order, order_id)


def stock_of(variant, owner) -> tuple[int, int]:
    """(on hand, allocated) of a variant at a producer's or a sales point's location."""
    db.session.rollback()
    db.session.expire_all()
    location = (inventory.sales_point_location_id(owner.id) if isinstance(owner, SalesPoint)
                else inventory.location_of_producer(owner.id))
    row = db.session.scalar(select(Stock).where(Stock.variant_id == variant.id, Stock.location_id == location))
    return (row.quantity, row.allocated) if row else (0, 0)


def messages_of(kind: str) -> list[OutboxMessage]:
    db.session.rollback()
    return list(db.session.scalars(select(OutboxMessage).where(OutboxMessage.kind == kind).order_by(OutboxMessage.id)))
