"""Cart use cases: find, add, change, remove, merge at login. Each public function commits once."""
from __future__ import annotations

import re
import secrets

from flask_babel import lazy_gettext as _l
from flask import g, has_request_context
from sqlalchemy import func, inspect, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload, selectinload
from sqlalchemy.orm.attributes import set_committed_value

from shop.cart.models import Cart, CartLine
from shop.clock import now
from shop.catalog.models import Product, ProductStatus, Variant
from shop.errors import ShopError
from shop.extensions import begin_write, db
from shop.inventory.models import Location, LocationKind, Stock

MAX_LINES = 40
MAX_QUANTITY = 99
# What secrets.token_urlsafe writes.
_TOKEN = re.compile(r"[A-Za-z0-9_-]+")


class CartError(ShopError):
    """A cart change the shop refuses; str(error) is a message safe to show the customer."""

    message = _l("This change could not be made to your cart.")


class NotSoldOnline(CartError):
    message = _l("“%(name)s” is not sold online: buy it at one of the sales points that hold it.")


class UnknownVariant(CartError):
    message = _l("This product is no longer available.")


class BadQuantity(CartError):
    message = _l("Please choose a quantity from 1 to %(max)d.")


class TooManyLines(CartError):
    message = _l("Your cart already holds %(max)d different items: please check out or remove some first.")


def _is_token(token: str | None) -> bool:
    """A cookie that could be one of our tokens; anything else (a NUL byte, a megabyte) is never queried."""
    return bool(token) and len(token) <= 64 and _TOKEN.fullmatch(token) is not None


def find_cart(token: str | None, user=None) -> Cart | None:
    """The user's cart when logged in, else the cart of the cookie's token."""
    # What checkout reads of each line (cart_lines() in checkout loaded the same again before).
    options = (selectinload(Cart.lines).joinedload(CartLine.variant).joinedload(Variant.product)
               .options(joinedload(Product.producer), joinedload(Product.category)),)
    if user is not None and user.is_authenticated:
        return db.session.scalar(select(Cart).where(Cart.user_id == user.id).options(*options))
    if _is_token(token):
        return db.session.scalar(select(Cart).where(Cart.token == token, Cart.user_id.is_(None)).options(*options))
    return None


def _new_cart(user=None) -> Cart:
    # lines=[]: a new cart's lines are known to be none, so none are read back after its INSERT.
    cart = Cart(token=secrets.token_urlsafe(24), user_id=user.id if user is not None and user.is_authenticated else None,
                lines=[])
    db.session.add(cart)
    db.session.flush()
    return cart


def _buyable_variant(variant_id: int) -> Variant:
    # Everything can_buy_online reads, in one query.
    variant = db.session.scalar(
        select(Variant).where(Variant.id == variant_id)
        .options(joinedload(Variant.product).options(joinedload(Product.producer), joinedload(Product.category)))
    )
    if variant is None or not variant.is_active or variant.product.status != ProductStatus.PUBLISHED:
        raise UnknownVariant()
    if not variant.product.can_buy_online:
        raise NotSoldOnline(name=variant.product.name)
    return variant


def _check_quantity(quantity: int) -> None:
    if not 1 <= quantity <= MAX_QUANTITY:
        raise BadQuantity(max=MAX_QUANTITY)


def add_item(cart: Cart | None, variant_id: int, quantity: int, user=None) -> Cart:
    """Add units of a variant (creating the cart if needed); the sum is capped by MAX_QUANTITY."""
    _check_quantity(quantity)
    variant = _buyable_variant(variant_id)
    fresh = cart is None
    cart = cart or _new_cart(user)
    line = next((l for l in cart.lines if l.variant_id == variant.id), None)
    if line is None:
        if len(cart.lines) >= MAX_LINES:
            raise TooManyLines(max=MAX_LINES)
        cart.lines.append(CartLine(variant_id=variant.id, quantity=quantity))
    else:
        _check_quantity(line.quantity + quantity)
        line.quantity += quantity
    if not fresh:
        cart.updated_at = now()  # a cart in use is not abandoned (flask privacy purge); a new one was stamped now
    # Kept loaded through the commit: the cookie and the redirect need no SELECT afterwards.
    kept = {"id": cart.id, "token": cart.token, "user_id": cart.user_id}
    db.session.commit()
    for name, value in kept.items():
        set_committed_value(cart, name, value)
    return cart


def set_quantity(cart: Cart, variant_id: int, quantity: int) -> None:
    """Set a line's quantity; 0 removes the line."""
    line = next((l for l in cart.lines if l.variant_id == variant_id), None)
    if line is None:
        raise UnknownVariant()
    if quantity == 0:
        cart.lines.remove(line)
    else:
        _check_quantity(quantity)
        _buyable_variant(variant_id)
        line.quantity = quantity
    cart.updated_at = now()
    db.session.commit()


def remove_item(cart: Cart, variant_id: int) -> None:
    set_quantity(cart, variant_id, 0)


def merge_guest_cart(guest_token: str | None, user) -> None:
    """At login: move the guest cart's lines into the user's cart (quantities add up, capped)."""
    guest = find_cart(guest_token) if guest_token else None
    if guest is None:
        return
    mine = db.session.scalar(select(Cart).where(Cart.user_id == user.id))
    if mine is None:
        guest.user_id = user.id
    else:
        for line in list(guest.lines):
            existing = next((l for l in mine.lines if l.variant_id == line.variant_id), None)
            if existing is not None:
                existing.quantity = min(MAX_QUANTITY, existing.quantity + line.quantity)
            elif len(mine.lines) < MAX_LINES:
                mine.lines.append(CartLine(variant_id=line.variant_id, quantity=line.quantity))
        db.session.delete(guest)
    try:
        db.session.commit()
    except IntegrityError:  # the same guest cart merged by two logins at once: the first one won
        db.session.rollback()


def empty_cart(cart: Cart) -> None:
    """Remove every line; used by place_order inside its own transaction (no commit here)."""
    for line in list(cart.lines):
        cart.lines.remove(line)


def availability(variant_ids: list[int]) -> dict[int, dict]:
    """Per variant: free units at its producer and how many sales points hold some."""
    if not variant_ids:
        return {}
    rows = db.session.execute(
        select(Stock.variant_id, Location.kind, func.sum(Stock.quantity - Stock.allocated),
               func.count(Stock.id).filter(Stock.quantity > Stock.allocated))
        .join(Location, Location.id == Stock.location_id)
        .where(Stock.variant_id.in_(variant_ids))
        .group_by(Stock.variant_id, Location.kind)
    )
    result = {v: {"producer": 0, "points": 0} for v in variant_ids}
    for variant_id, kind, free, holding in rows:
        if kind == LocationKind.PRODUCER:
            result[variant_id]["producer"] = max(free or 0, 0)
        else:
            result[variant_id]["points"] = holding or 0
    return result


def line_count(token: str | None, user=None) -> int:
    """How many units the visitor's cart holds, for the header (one small query, none if the page loaded the cart)."""
    if has_request_context() and "cart" in g:  # cart.views.current_cart() loaded it for this request
        if g.cart is None:
            return 0
        if "lines" not in inspect(g.cart).unloaded:
            return sum(line.quantity for line in g.cart.lines)
    query = select(func.coalesce(func.sum(CartLine.quantity), 0)).join(Cart, Cart.id == CartLine.cart_id)
    if user is not None and user.is_authenticated:
        return db.session.scalar(query.where(Cart.user_id == user.id))
    if _is_token(token):
        return db.session.scalar(query.where(Cart.token == token, Cart.user_id.is_(None)))
    return 0


def goods_totals(lines) -> tuple[int, int]:
    """(subtotal in VND at today's prices, weight in grams) of cart lines: what the delivery fee is reckoned on."""
    return (sum(line.variant.price_vnd * line.quantity for line in lines),
            sum(line.variant.weight_g * line.quantity for line in lines))


def save_checkout(cart: Cart, values: dict) -> None:
    """Keep the checkout steps' answers on the cart row, on the server (the session cookie never holds them).

    Its own short write transaction, begun here: the answers merged into those read under the lock, so a
    step posted from another tab meanwhile is not undone, and SQLite's write lock is held for two statements.
    """
    cart_id = cart.id
    begin_write()
    saved = db.session.scalar(select(Cart.checkout).where(Cart.id == cart_id)) or {}
    db.session.execute(update(Cart).where(Cart.id == cart_id).values(checkout={**saved, **values}, updated_at=now()))
    db.session.commit()
