"""place_order: one transaction, no overselling, one order per checkout, snapshots kept."""
import dataclasses
import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from sqlalchemy import func, select

from shop.cart.models import Cart, CartLine
from shop.checkout.services import CheckoutData, ColdChainTooFar, ConsentMissing, MethodNotAllowed, NotSoldOnline, \
    OutOfStock, PickupUnavailable, PricesChanged, place_order
from shop.extensions import db
from shop.inventory.models import Stock
from shop.notifications.models import OutboxMessage
from shop.orders.models import DeliveryMethod, Order, OrderLine, OrderStatus, PartStatus, Route
from shop.orders.payment import PaymentMethod
from shop.sales_points.models import PickupMode


@pytest.fixture
def make_cart(app):
    def make(*items):
        cart = Cart(token=f"tok-{len(items)}-{id(items)}")
        cart.lines = [CartLine(variant_id=v.id, quantity=q) for v, q in items]
        db.session.add(cart)
        db.session.commit()
        return cart

    return make


def pickup(point, payment=PaymentMethod.CASH_AT_PICKUP, **kw):
    return CheckoutData(name="Nguyễn Thị Lan", email="lan@example.vn", phone="+84912345678", language="vi",
                        delivery=DeliveryMethod.PICKUP, payment=payment, sales_point_id=point.id,
                        data_consent=True, **kw)


def delivery(province="22", ward="06673", payment=PaymentMethod.COD, **kw):
    return CheckoutData(name="Trần Văn Minh", email="minh@example.vn", phone="+84987654321", language="en",
                        delivery=DeliveryMethod.DELIVERY, payment=payment, province_code=province, ward_code=ward,
                        ward_name="Phường Bãi Cháy", address_line="12 Hạ Long", data_consent=True, **kw)


def _stock(variant, owner_column):
    return db.session.scalar(select(Stock).join(Stock.location).where(Stock.variant_id == variant.id, owner_column))


@pytest.fixture
def shop_state(make_product, make_producer, make_sales_point, put_stock):
    """Two producers' products, a pickup point holding one of them, stock everywhere."""
    noodles = make_product(name="Miến dong Bình Liêu", prices=(90_000,), producer=make_producer(name="HTX Miến dong"))
    squid = make_product(name="Chả mực Hạ Long", prices=(350_000,), producer=make_producer(name="Hộ Mạnh Hải"),
                         cold_chain=True)
    point = make_sales_point(code="HL01")
    put_stock(noodles.variants[0], noodles.producer, 20)
    put_stock(squid.variants[0], squid.producer, 10)
    put_stock(noodles.variants[0], point, 3)
    db.session.commit()
    return noodles, squid, point


def test_pickup_order_takes_the_points_stock_first_and_the_rest_from_producers(shop_state, make_cart):
    noodles, squid, point = shop_state
    cart = make_cart((noodles.variants[0], 2), (squid.variants[0], 1))
    order = place_order(cart.id, pickup(point), "key-1", expected_total_vnd=2 * 90_000 + 350_000)
    assert order.number.startswith("QN-") and len(order.number) == 12
    assert order.total_vnd == 530_000 and order.shipping_vnd == 0
    routes = sorted((p.producer_name, p.route) for p in order.parts)
    assert routes == [("HTX Miến dong", Route.POINT_STOCK), ("Hộ Mạnh Hải", Route.VIA_POINT)]
    assert order.sales_point_name == point.name
    assert order.status == OrderStatus.CONFIRMED
    assert [e.kind for e in order.events] == ["placed"]
    assert db.session.scalar(select(func.count()).select_from(CartLine).where(CartLine.cart_id == cart.id)) == 0
    message = db.session.scalar(select(OutboxMessage))
    assert message.kind == "order_placed" and message.payload["total_vnd"] == 530_000


def test_order_lines_keep_names_and_prices_from_the_time_of_purchase(shop_state, make_cart):
    noodles, _, point = shop_state
    order = place_order(make_cart((noodles.variants[0], 1)).id, pickup(point), "key-snap", None)
    noodles.name = "Miến dong (đổi tên)"
    noodles.variants[0].price_vnd = 999_000
    db.session.commit()
    line = db.session.scalar(select(OrderLine).where(OrderLine.order_id == order.id))
    assert (line.product_name, line.unit_price_vnd) == ("Miến dong Bình Liêu", 90_000)


def test_a_short_line_among_several_producers_places_nothing_and_names_the_product(shop_state, make_cart):
    noodles, squid, point = shop_state
    cart = make_cart((noodles.variants[0], 2), (squid.variants[0], 11))
    before = [(s.id, s.quantity, s.allocated) for s in db.session.scalars(select(Stock).order_by(Stock.id))]
    with pytest.raises(OutOfStock, match="Chả mực Hạ Long"):
        place_order(cart.id, pickup(point), "key-short", None)
    after = [(s.id, s.quantity, s.allocated) for s in db.session.scalars(select(Stock).order_by(Stock.id))]
    assert before == after
    assert db.session.scalar(select(func.count(Order.id))) == 0
    assert db.session.scalar(select(func.count(OutboxMessage.id))) == 0


def test_the_same_checkout_key_gives_one_order(shop_state, make_cart):
    noodles, _, point = shop_state
    cart = make_cart((noodles.variants[0], 1))
    first = place_order(cart.id, pickup(point), "same-key", None)
    second = place_order(cart.id, pickup(point), "same-key", None)
    assert first.id == second.id
    assert db.session.scalar(select(func.count(Order.id))) == 1


def test_cold_chain_goes_only_by_pickup_or_inside_quang_ninh(shop_state, make_cart):
    _, squid, _ = shop_state
    cart = make_cart((squid.variants[0], 1))
    with pytest.raises(ColdChainTooFar):
        place_order(cart.id, delivery(province="01", ward="", ), "key-cold", None)
    order = place_order(cart.id, delivery(), "key-cold-qn", None)
    assert order.shipping_vnd > 0 and order.parts[0].route == Route.DELIVERY


def test_rules_refuse_tampered_choices(shop_state, make_cart, make_sales_point, make_product):
    noodles, _, point = shop_state
    closed = make_sales_point(pickup_mode=PickupMode.OFF)
    spirit = make_product(name="Rượu ba kích", abv_percent=35)
    db.session.commit()
    cart = make_cart((noodles.variants[0], 1))
    with pytest.raises(PickupUnavailable):
        place_order(cart.id, pickup(closed), "k1", None)
    with pytest.raises(MethodNotAllowed):
        place_order(cart.id, pickup(point, payment=PaymentMethod.COD), "k2", None)
    with pytest.raises(MethodNotAllowed):
        place_order(cart.id, delivery(payment=PaymentMethod.CASH_AT_PICKUP), "k3", None)
    with pytest.raises(ConsentMissing):
        data = pickup(point)
        data.data_consent = False
        place_order(cart.id, data, "k4", None)
    with pytest.raises(PricesChanged):
        place_order(cart.id, pickup(point), "k5", expected_total_vnd=1)
    spirit_cart = make_cart((spirit.variants[0], 1))
    with pytest.raises(NotSoldOnline):
        place_order(spirit_cart.id, pickup(point), "k6", None)
    assert db.session.scalar(select(func.count(Order.id))) == 0


def test_vietqr_order_waits_for_payment_with_a_due_time(shop_state, make_cart):
    noodles, _, point = shop_state
    order = place_order(make_cart((noodles.variants[0], 1)).id, pickup(point, payment=PaymentMethod.VIETQR_TRANSFER),
                        "key-qr", None)
    assert order.status == OrderStatus.PENDING_PAYMENT
    assert order.payment.due_by is not None
    payload = db.session.scalar(select(OutboxMessage)).payload
    assert payload["vietqr"]["amount_vnd"] == 90_000 and order.number in payload["vietqr"]["note"]


def _buyers(app, count, place):
    barrier = threading.Barrier(count)

    def one(i):
        with app.test_request_context():
            barrier.wait()
            try:
                return place(i)
            except OutOfStock:
                return "sold out"
            finally:
                db.session.remove()

    with ThreadPoolExecutor(max_workers=count) as pool:
        return list(pool.map(one, range(count)))


def test_fifty_concurrent_buyers_for_five_units_make_exactly_five_orders(app, make_product, make_sales_point, put_stock):
    product = make_product(name="Sá sùng khô", prices=(500_000,))
    variant = product.variants[0]
    put_stock(variant, product.producer, 5)
    point = make_sales_point()
    carts = []
    for i in range(50):
        cart = Cart(token=f"buyer-{i}", lines=[CartLine(variant_id=variant.id, quantity=1)])
        db.session.add(cart)
        carts.append(cart)
    db.session.commit()
    cart_ids, point_id = [c.id for c in carts], point.id
    data = pickup(point)

    results = _buyers(app, 50, lambda i: place_order(cart_ids[i], data, f"race-{i}", None).number)
    assert results.count("sold out") == 45
    assert len(set(r for r in results if r != "sold out")) == 5
    db.session.rollback()  # end the read snapshot taken before the buyers ran
    stock = db.session.scalar(select(Stock).where(Stock.variant_id == variant.id))
    assert (stock.quantity, stock.allocated) == (5, 5)
    assert db.session.scalar(select(func.count(Order.id))) == 5
    assert point_id


def test_the_same_checkout_posted_five_times_in_parallel_makes_one_order(app, shop_state):
    noodles, _, point = shop_state
    cart = Cart(token="twice", lines=[CartLine(variant_id=noodles.variants[0].id, quantity=1)])
    db.session.add(cart)
    db.session.commit()
    cart_id, data = cart.id, pickup(point)
    numbers = _buyers(app, 5, lambda i: place_order(cart_id, data, "one-checkout", None).number)
    assert len(set(numbers)) == 1
    db.session.rollback()  # end the read snapshot taken before the buyers ran
    assert db.session.scalar(select(func.count(Order.id))) == 1
    assert db.session.scalar(select(func.sum(Stock.allocated))) == 1


def test_order_numbers_stay_unique_under_concurrency(app, make_product, make_sales_point, put_stock):
    product = make_product(prices=(10_000,))
    put_stock(product.variants[0], product.producer, 100)
    point = make_sales_point()
    carts = [Cart(token=f"n-{i}", lines=[CartLine(variant_id=product.variants[0].id, quantity=1)]) for i in range(12)]
    db.session.add_all(carts)
    db.session.commit()
    ids, data = [c.id for c in carts], pickup(point)
    numbers = _buyers(app, 12, lambda i: place_order(ids[i], data, f"num-{i}", None).number)
    assert len(set(numbers)) == 12
    assert sorted(int(n[-4:]) for n in numbers) == list(range(1, 13))


def test_when_the_points_last_units_go_meanwhile_the_producer_sends_them(shop_state, make_cart, monkeypatch):
    """Planning read the point's free units; another order took them before allocating (a race)."""
    from shop.checkout import services as checkout

    noodles, _, point = shop_state
    point_stock = db.session.scalar(select(Stock).join(Stock.location).where(
        Stock.variant_id == noodles.variants[0].id, Stock.location.has(sales_point_id=point.id)))
    point_stock.allocated = point_stock.quantity  # taken by the other order
    db.session.commit()
    read = checkout.holdings

    def stale(*args):  # the point's free units as they were before the other order
        held = read(*args)
        return dataclasses.replace(held, stock={key: (row, 3 if key[1] == held.point_location else free)
                                                for key, (row, free) in held.stock.items()})

    monkeypatch.setattr(checkout, "holdings", stale)

    order = place_order(make_cart((noodles.variants[0], 2)).id, pickup(point), "race-point", None)

    assert [p.route for p in order.parts] == [Route.VIA_POINT]


def test_an_order_leaves_the_cached_catalogue_alone_and_a_catalogue_edit_does_not(shop_state, make_cart):
    from shop import shared_cache

    noodles, squid, point = shop_state
    before = shared_cache.version()
    place_order(make_cart((noodles.variants[0], 2), (squid.variants[0], 1)).id, pickup(point), "key-cache", None)
    assert shared_cache.version() == before  # checkouts must not empty the page cache
    noodles.variants[0].price_vnd = 95_000
    db.session.commit()
    assert shared_cache.version() == before + 1
