"""A demo account per role, so a newcomer sees the office, producer, desk and customer screens at once.

Development only: every account shares one documented password, which no real shop may have.
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from flask import current_app
from sqlalchemy import and_, select

from shop.auth import services as auth
from shop.auth.models import Role, User
from shop.catalog.models import Producer, Product, ProductStatus, Variant
from shop.extensions import db
from shop.inventory.models import Location, Stock
from shop.sales_points.models import PickupMode, SalesPoint

#: The password of every demo account; printed at start and written in the README. Development only.
DEMO_PASSWORD = "ocop-demo-2026"
#: Units a product must have free at its producer to serve the demo orders.
DEMO_UNITS = 10


class DemoRefused(Exception):
    """Demo accounts were asked for outside development."""


@dataclass(frozen=True)
class DemoAccount:
    role: Role
    email: str
    name: str
    where: str  #: the workspace and whose it is, as printed
    password_works: bool  #: False once someone changed it


OFFICE, PRODUCER, DESK, CUSTOMER = ("office@demo.example.vn", "producer@demo.example.vn", "desk@demo.example.vn",
                                    "customer@demo.example.vn")


def check_development() -> None:
    """Refuse unless the app runs in development: a shared, published password must never reach a real shop."""
    env = current_app.config.get("ENV")
    if env != "development":
        raise DemoRefused(f"Demo accounts exist only in development (SHOP_ENV=development); this app runs in {env!r}.")


def demo_point() -> SalesPoint | None:
    """The first active sales point that receives producers' parcels for pickup."""
    return db.session.scalar(select(SalesPoint).where(SalesPoint.pickup_mode == PickupMode.ANY_STOCK,
                                                      SalesPoint.is_active.is_(True)).order_by(SalesPoint.code))


def demo_variants(producer_id: int | None, point: SalesPoint) -> list[Variant]:
    """Variants the demo orders buy: of one producer, free at its store, and not held at the point.

    Not held at the point, so each order travels as a parcel from the producer and every screen has work.
    Without producer_id, the producer with the most such variants is chosen.
    """
    own_store = Location.producer_id == Product.producer_id
    at_point = (select(Stock.variant_id).join(Location, Location.id == Stock.location_id)
                .where(Location.sales_point_id == point.id, Stock.quantity > 0))
    query = (select(Variant).join(Variant.product)
             .join(Stock, Stock.variant_id == Variant.id).join(Location, and_(Location.id == Stock.location_id, own_store))
             .where(Product.status == ProductStatus.PUBLISHED, Product.sold_online.is_(True),
                    Product.abv_percent.is_(None), Product.cold_chain.is_(False), Variant.is_active.is_(True),
                    Stock.quantity - Stock.allocated >= DEMO_UNITS, Variant.id.not_in(at_point))
             .order_by(Product.producer_id, Product.slug, Variant.position))
    if producer_id is not None:
        query = query.where(Product.producer_id == producer_id)
    variants = list(db.session.scalars(query))
    if producer_id is None and variants:
        counts = Counter(v.product.producer_id for v in variants)
        best = max(counts, key=lambda pid: (counts[pid], -pid))
        variants = [v for v in variants if v.product.producer_id == best]
    return variants


def _ensure(role: Role, email: str, name: str, place=None) -> User | None:
    """The demo account, created when missing; place() names its producer or point (None: not possible yet)."""
    user = db.session.scalar(select(User).where(User.email == email))
    if user is not None:
        return user
    fields = place() if place else {}
    if fields is None:
        return None
    return auth.create_user(email, role, name=name, password=DEMO_PASSWORD, **fields)


def ensure_demo_accounts() -> list[User]:
    """Create whichever demo account is missing (office, producer, desk, customer); return those that exist.

    The producer and desk accounts need the demo catalogue; without it they are left out.
    """
    check_development()
    point = demo_point()

    def producer() -> dict | None:
        variants = demo_variants(None, point) if point else []
        return {"producer_id": variants[0].product.producer_id} if variants else None

    def desk() -> dict | None:
        return {"sales_point_id": point.id} if point else None

    accounts = [_ensure(Role.ADMIN, OFFICE, "Văn phòng OCOP (demo)"),
                _ensure(Role.PRODUCER, PRODUCER, "Trần Văn An (demo)", producer),
                _ensure(Role.STAFF, DESK, "Phạm Thu (demo)", desk),
                _ensure(Role.CUSTOMER, CUSTOMER, "Nguyễn Thị Lan (demo)")]
    return [user for user in accounts if user is not None]


def describe(user: User) -> DemoAccount:
    """What to print for a demo account: its workspace, whose it is, and whether the demo password still works."""
    where = {Role.ADMIN: "/admin", Role.PRODUCER: "/producer", Role.STAFF: "/desk"}.get(user.role, "/account")
    if user.producer_id:
        where += f"  ({db.session.get(Producer, user.producer_id).name})"
    if user.sales_point_id:
        point = db.session.get(SalesPoint, user.sales_point_id)
        where += f"  ({point.code} – {point.name})"
    return DemoAccount(Role(user.role), user.email, user.name, where, user.check_password(DEMO_PASSWORD))
