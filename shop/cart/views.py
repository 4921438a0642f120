"""The cart page and its add / change / remove actions (plain forms; no JavaScript needed)."""
from __future__ import annotations

from urllib.parse import urlsplit

from flask import Blueprint, current_app, flash, g, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from shop.cart import services
from shop.cart.services import CartError
from shop.catalog import queries
from shop.catalog.rules import why_not_abroad
from shop.i18n import current_language
from shop.input_guard import parse_id
from shop.places import QUANG_NINH_CODE, delivery_fee, provinces
from shop.security import cookie_secure

bp = Blueprint("cart", __name__)
QUANG_NINH = f"{QUANG_NINH_CODE:02d}"


def current_cart():
    """The visitor's cart with its lines, loaded once per request (the header's count and the page share it)."""
    if "cart" not in g:
        g.cart = services.find_cart(request.cookies.get(current_app.config["CART_COOKIE"]), current_user)
    return g.cart


def _int(name: str) -> int:
    try:
        return int(request.form.get(name, ""))
    except ValueError:
        raise services.BadQuantity(max=services.MAX_QUANTITY) from None


def _variant_id() -> int:
    variant_id = parse_id(request.form.get("variant_id"))
    if variant_id is None:
        raise services.UnknownVariant()
    return variant_id


def _back(default: str, anchor: str = ""):
    target = request.form.get("next") or ""
    parts = urlsplit(target)
    # Only paths on this site: never an open redirect.
    if target.startswith("/") and not target.startswith("//") and not parts.scheme and not parts.netloc:
        return redirect(target + (f"#{anchor}" if anchor and not parts.fragment else ""), 303)
    return redirect(default, 303)


def _remember(response, cart):
    if cart is not None and cart.user_id is None:
        response.set_cookie(current_app.config["CART_COOKIE"], cart.token, max_age=60 * 24 * 3600, httponly=True, samesite="Lax",
                            secure=cookie_secure())
    return response


@bp.get("/cart")
def show():
    cart = current_cart()
    lines = cart.lines if cart else []
    groups: dict[str, list] = {}
    for line in lines:
        groups.setdefault(line.variant.product.producer.name, []).append(line)
    availability = services.availability([line.variant_id for line in lines])
    subtotal, weight = services.goods_totals(lines)
    # The fee by province before checkout, from the very rule place_order charges; Quảng Ninh until one is chosen.
    state = (cart.checkout or {}) if cart else {}
    province = state.get("fee_province") or state.get("province")
    province = province if province in provinces() else QUANG_NINH
    fee = delivery_fee(province, weight, subtotal)
    # Visitors reading another language may want goods sent home: say early what must stay in Vietnam.
    stays_in_vietnam = {} if current_language() == "vi" else {
        line.variant_id: why for line in lines if (why := why_not_abroad(line.variant.product))}
    suggestions = queries.suggestions_for_cart(list({line.variant.product for line in lines}))
    response = render_template("cart/show.html", cart=cart, groups=groups, availability=availability,
                               subtotal=subtotal, max_quantity=services.MAX_QUANTITY, stays_in_vietnam=stays_in_vietnam,
                               province=province, provinces=provinces().values(), fee=fee, suggestions=suggestions)
    return response, 200, {"Cache-Control": "private, no-store"}


@bp.post("/cart/province")
def choose_province():
    """Remember the province the delivery fee is shown for (and checkout's address starts from)."""
    cart = current_cart()
    province = request.form.get("province", "")
    if cart is not None and province in provinces():
        services.save_checkout(cart, {"fee_province": province})
    return redirect(url_for("cart.show", _anchor="delivery-fee"))


@bp.post("/cart/add")
def add():
    """Add to the cart; a script asking for JSON stays on its page, a plain form goes back to the confirmation.

    A product page's form returns there at #added, the confirmation beside the buy button (303, so a reload
    does not post again). That redirect is a new history entry: Back shows the product page once more before
    leaving it; the page's script posts by fetch instead, which adds no entry.
    """
    cart = current_cart()
    wants_json = request.accept_mimetypes.best == "application/json"
    try:
        variant_id, quantity = _variant_id(), _int("quantity")
        cart = g.cart = services.add_item(cart, variant_id, quantity, user=current_user)
    except CartError as error:
        if wants_json:
            return jsonify(ok=False, message=str(error)), 422
        flash(str(error), "error")
        return _back(url_for("cart.show"), anchor="added")
    if wants_json:
        return _remember(jsonify(ok=True, message=_("Added to your cart."), count=sum(line.quantity for line in cart.lines),
                                 cart_url=url_for("cart.show")), cart)
    flash(_("Added to your cart."), "success")
    return _remember(_back(url_for("cart.show"), anchor="added"), cart)


@bp.post("/cart/update")
def update():
    cart = current_cart()
    try:
        if cart is None:
            raise services.UnknownVariant()
        services.set_quantity(cart, _variant_id(), _int("quantity") if request.form.get("quantity") != "0" else 0)
    except CartError as error:
        flash(str(error), "error")
    return redirect(url_for("cart.show"))


@bp.post("/cart/remove")
def remove():
    cart = current_cart()
    try:
        if cart is None:
            raise services.UnknownVariant()
        services.remove_item(cart, _variant_id())
    except CartError as error:
        flash(str(error), "error")
    return redirect(url_for("cart.show"))
