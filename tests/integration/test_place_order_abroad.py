"""place_order abroad: the address snapshot, the zone fee, and refusals that change nothing."""
import pytest
from flask_babel import force_locale
from sqlalchemy import func, select

from shop.auth.models import Role
from shop.cart.models import Cart, CartLine
from shop.checkout.services import BadAddress, CannotShipAbroad, CheckoutData, MethodNotAllowed, NoShippingToCountry, \
    place_order
from shop.extensions import db
from shop.inventory.models import Stock
from shop.notifications.models import OutboxMessage
from shop.notifications.rendering import render
from shop.orders.models import DeliveryMethod, Order, Route
from shop.orders.payment import PaymentMethod


@pytest.fixture
def make_cart(app):
    def make(*items):
        cart = Cart(token=f"abroad-{id(items)}", lines=[CartLine(variant_id=v.id, quantity=q) for v, q in items])
        db.session.add(cart)
        db.session.commit()
        return cart

    return make


def abroad(country="KR", payment=PaymentMethod.VIETQR_TRANSFER, **kw):
    address = {"recipient_name": "Kim Min-jun", "address_line": "12 Sejong-daero", "address_line2": "Apt 301",
               "city": "Seoul", "region": "", "postal_code": "03154", **kw}
    return CheckoutData(name="Kim Min-jun", email="minjun@example.kr", phone="+821012345678", language="en",
                        delivery=DeliveryMethod.DELIVERY, payment=payment, country_code=country,
                        data_consent=True, **address)


@pytest.fixture
def goods(make_product, make_producer, make_category, put_stock):
    tea = make_product(name="Trà hoa vàng", prices=(400_000,), ships_abroad=True)
    honey = make_product(name="Mật ong rừng Bình Liêu", prices=(450_000,), category=make_category(set_no=4))
    squid = make_product(name="Chả mực Hạ Long", prices=(380_000,), cold_chain=True, ships_abroad=True,
                         category=make_category(set_no=8))
    for product in (tea, honey, squid):
        put_stock(product.variants[0], product.producer, 10)
    db.session.commit()
    return tea, honey, squid


def _stock():
    return [(s.id, s.quantity, s.allocated) for s in db.session.scalars(select(Stock).order_by(Stock.id))]


def test_an_order_abroad_keeps_the_foreign_address_and_pays_the_zone_fee(goods, make_cart, make_user):
    tea, _, _ = goods
    make_user(role=Role.PRODUCER, producer_id=tea.producer_id, language="vi")
    order = place_order(make_cart((tea.variants[0], 2)).id, abroad(), "abroad-1", expected_total_vnd=800_000 + 450_000)
    assert (order.shipping_vnd, order.total_vnd) == (450_000, 1_250_000)  # 1 kg to asia_near
    assert (order.country_code, order.city, order.postal_code, order.province_code) == ("KR", "Seoul", "03154", "")
    assert order.parts[0].route == Route.DELIVERY
    part_new = db.session.scalar(select(OutboxMessage).where(OutboxMessage.kind == "part_new"))
    assert part_new.payload["destination"] == "12 Sejong-daero, Apt 301, Seoul 03154"
    assert part_new.payload["country_code"] == "KR"
    # Each reader sees the country in their own language: the producer in Vietnamese, the customer in English.
    assert "12 Sejong-daero, Apt 301, Seoul 03154, Hàn Quốc" in render(part_new).get_body(("plain",)).get_content()
    placed = db.session.scalar(select(OutboxMessage).where(OutboxMessage.kind == "order_placed"))
    text = render(placed).get_body(("plain",)).get_content()
    assert "12 Sejong-daero\nApt 301\nSeoul 03154\nSouth Korea" in text
    assert "Apt 301<br>Seoul 03154<br>South Korea" in render(placed).get_body(("html",)).get_content()


def test_honey_and_chilled_squid_block_the_order_abroad_and_nothing_changes(goods, make_cart):
    tea, honey, squid = goods
    cart = make_cart((tea.variants[0], 1), (honey.variants[0], 1), (squid.variants[0], 1))
    before = _stock()
    with pytest.raises(CannotShipAbroad) as refused, force_locale("en"):
        place_order(cart.id, abroad(), "abroad-2", None)
    message = str(refused.value)
    assert "“Mật ong rừng Bình Liêu”: food of animal origin and honey are banned from parcels by many countries" in message
    assert "“Chả mực Hạ Long”: chilled food cannot stay cold on the way" in message
    assert "Trà hoa vàng" not in message
    assert _stock() == before
    assert db.session.scalar(select(func.count(Order.id))) == 0
    assert db.session.scalar(select(func.count(OutboxMessage.id))) == 0
    assert db.session.scalar(select(func.count(CartLine.id)).where(CartLine.cart_id == cart.id)) == 3


@pytest.mark.parametrize(("data", "error"), [
    (abroad(country="RU"), NoShippingToCountry),
    (abroad(payment=PaymentMethod.COD), MethodNotAllowed),
    (abroad(payment=PaymentMethod.CASH_AT_PICKUP), MethodNotAllowed),
    (abroad(city=""), BadAddress),
    (abroad(postal_code=""), BadAddress),
])
def test_tampered_choices_abroad_are_refused(goods, make_cart, data, error):
    tea, _, _ = goods
    with pytest.raises(error):
        place_order(make_cart((tea.variants[0], 1)).id, data, "abroad-3", None)
    assert db.session.scalar(select(func.count(Order.id))) == 0


def test_hong_kong_needs_no_postal_code(goods, make_cart):
    tea, _, _ = goods
    order = place_order(make_cart((tea.variants[0], 1)).id, abroad(country="HK", postal_code="", city="Hong Kong"),
                        "abroad-hk", None)
    assert order.country_code == "HK" and order.postal_code == ""
