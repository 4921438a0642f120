"""A guest buys from two producers through the checkout steps, and tampering changes nothing."""

import pytest
from sqlalchemy import func, select

from shop.extensions import db
from shop.inventory.models import Stock
from shop.notifications.models import OutboxMessage
from shop.orders.models import Order
from shop.sales_points.models import PickupMode
from tests.web.helpers import checkout_details, confirm_page, csrf_token


@pytest.fixture
def catalog(make_product, make_producer, make_sales_point, put_stock):
    noodles = make_product(name="Miến dong Bình Liêu", prices=(90_000,), producer=make_producer(name="HTX Miến dong"))
    tea = make_product(name="Trà hoa vàng", prices=(650_000,), producer=make_producer(name="Công ty Trà Hải Hà"))
    spirit = make_product(name="Rượu ba kích", prices=(280_000,), abv_percent=35)
    point = make_sales_point(code="HL01", name="Điểm bán OCOP Bãi Cháy")
    closed = make_sales_point(code="OF01", pickup_mode=PickupMode.OFF)
    for product in (noodles, tea, spirit):
        put_stock(product.variants[0], product.producer, 10)
    db.session.commit()
    return {"noodles": noodles, "tea": tea, "spirit": spirit, "point": point, "closed": closed}


def _token(client):
    from shop.catalog.models import Product

    return csrf_token(client, f"/products/{db.session.scalar(select(Product.slug).order_by(Product.id))}")


def _add(client, variant_id, quantity=1):
    token = _token(client)
    return client.post("/cart/add", data={"csrf_token": token, "variant_id": variant_id, "quantity": quantity})


def _checkout_pickup(client, point_id, payment="cash_at_pickup", consent="y"):
    checkout_details(client, email="Lan@Example.vn", sales_point=str(point_id), data_consent=consent)
    review, fields = confirm_page(client)
    return review, {**fields, "method": payment}


def test_a_guest_buys_from_two_producers_with_pickup_and_cash(client, catalog):
    _add(client, catalog["noodles"].variants[0].id, 2)
    _add(client, catalog["tea"].variants[0].id, 1)
    cart = client.get("/cart?lang=en").get_data(as_text=True)
    assert "HTX Miến dong" in cart and "Công ty Trà Hải Hà" in cart
    assert "830,000\xa0₫" in cart
    review, fields = _checkout_pickup(client, catalog["point"].id)
    assert "830,000\xa0₫" in review
    response = client.post("/checkout/place", data=fields)
    assert response.status_code == 302
    order = db.session.scalar(select(Order))
    assert response.headers["Location"].endswith(f"/orders/{order.number}?t={order.access_token}")
    page = client.get(response.headers["Location"] + "&lang=en").get_data(as_text=True)
    assert order.number in page and "Điểm bán OCOP Bãi Cháy" in page
    assert order.contact_email == "lan@example.vn" and order.contact_phone == "+84912345678"
    assert db.session.scalar(select(func.count(OutboxMessage.id))) == 1


def test_placing_needs_the_personal_data_consent(client, catalog):
    _add(client, catalog["noodles"].variants[0].id)
    page = checkout_details(client, sales_point=str(catalog["point"].id), data_consent=None, lang="en")
    assert page.status_code == 200  # the first step again, with the message
    assert "Please agree to the processing of your personal data for this order." in page.get_data(as_text=True)
    assert client.get("/checkout/confirm").headers["Location"].endswith("/checkout")
    client.post("/checkout/place", data={"csrf_token": csrf_token(client, "/checkout"), "checkout_key": "k",
                                         "expected_total": "90000", "method": "cash_at_pickup"})
    assert db.session.scalar(select(func.count(Order.id))) == 0


def test_posting_the_review_form_twice_makes_one_order(client, catalog):
    _add(client, catalog["noodles"].variants[0].id)
    _, fields = _checkout_pickup(client, catalog["point"].id)
    first = client.post("/checkout/place", data=fields)
    second = client.post("/checkout/place", data=fields)
    assert first.headers["Location"] == second.headers["Location"]
    assert db.session.scalar(select(func.count(Order.id))) == 1


def test_bank_transfer_order_shows_the_vietqr_code_with_amount_and_note(client, catalog):
    _add(client, catalog["tea"].variants[0].id)
    _, fields = _checkout_pickup(client, catalog["point"].id, payment="vietqr_transfer")
    location = client.post("/checkout/place", data=fields).headers["Location"]
    page = client.get(location + "&lang=en").get_data(as_text=True)
    order = db.session.scalar(select(Order))
    assert "<svg" in page and "650,000\xa0₫" in page
    assert f"{order.number} OCOP" in page
    assert "Waiting for your payment" in page


@pytest.mark.parametrize("tamper", [
    {"variant_id": "abc"}, {"quantity": "-3"}, {"quantity": "100000"}, {"quantity": "0"}, {"variant_id": "999999"},
])
def test_tampered_add_to_cart_is_refused_with_a_message(client, catalog, tamper):
    data = {"csrf_token": _token(client), "variant_id": catalog["noodles"].variants[0].id, "quantity": 1}
    data.update(tamper)
    response = client.post("/cart/add", data=data, follow_redirects=True)
    assert response.status_code == 200
    assert 'class="notice notice-warn" role="alert"' in response.get_data(as_text=True)
    assert 'class="cart-line"' not in client.get("/cart").get_data(as_text=True)


def test_a_spirit_cannot_enter_the_cart_whatever_is_posted(client, catalog):
    response = _add(client, catalog["spirit"].variants[0].id)
    assert response.status_code == 303
    assert 'class="cart-line"' not in client.get("/cart").get_data(as_text=True)


def test_a_sales_point_with_pickup_off_is_refused(client, catalog):
    _add(client, catalog["noodles"].variants[0].id)
    page = client.get("/checkout").get_data(as_text=True)
    assert f'value="{catalog["closed"].id}"' not in page
    response = checkout_details(client, sales_point=str(catalog["closed"].id))
    assert response.status_code == 200  # the form again, with the message
    assert db.session.scalar(select(func.count(Order.id))) == 0


def test_posted_prices_are_ignored(client, catalog):
    _add(client, catalog["noodles"].variants[0].id)
    _, fields = _checkout_pickup(client, catalog["point"].id)
    client.post("/checkout/place", data={**fields, "price": "1", "unit_price_vnd": "1",
                                         "total_vnd": "1"})
    assert db.session.scalar(select(Order.total_vnd)) == 90_000


def test_a_changed_total_between_review_and_place_is_refused(client, catalog):
    _add(client, catalog["noodles"].variants[0].id)
    _, fields = _checkout_pickup(client, catalog["point"].id)
    response = client.post("/checkout/place", data={**fields, "expected_total": "1000"},
                           follow_redirects=True)
    assert db.session.scalar(select(func.count(Order.id))) == 0
    assert "90.000" in response.get_data(as_text=True)


def test_missing_csrf_token_is_refused(client, catalog):
    response = client.post("/cart/add", data={"variant_id": catalog["noodles"].variants[0].id, "quantity": 1})
    assert response.status_code == 400


def test_guest_order_page_needs_its_token(client, catalog):
    _add(client, catalog["noodles"].variants[0].id)
    _, fields = _checkout_pickup(client, catalog["point"].id)
    client.post("/checkout/place", data=fields)
    order = db.session.scalar(select(Order))
    assert client.get(f"/orders/{order.number}").status_code == 404
    assert client.get(f"/orders/{order.number}?t=wrong").status_code == 404
    assert client.get(f"/orders/{order.number}?t={order.access_token}").status_code == 200


def test_customer_cancels_and_the_stock_comes_back(client, catalog):
    _add(client, catalog["noodles"].variants[0].id, 3)
    _, fields = _checkout_pickup(client, catalog["point"].id)
    client.post("/checkout/place", data=fields)
    order = db.session.scalar(select(Order))
    url = f"/orders/{order.number}?t={order.access_token}"
    token = csrf_token(client, url)
    client.post(f"/orders/{order.number}/cancel", data={"csrf_token": token, "t": order.access_token})
    db.session.expire_all()
    assert db.session.scalar(select(Order.status).where(Order.id == order.id)) == "cancelled"
    assert db.session.scalar(select(func.sum(Stock.allocated))) == 0


@pytest.mark.parametrize("name", ["terms", "returns", "shipping", "payment", "complaints", "privacy"])
def test_policy_pages_exist_and_the_footer_links_them(client, name):
    page = client.get(f"/policies/{name}?lang=en")
    assert page.status_code == 200
    assert "Responsible person" in page.get_data(as_text=True)
    # The privacy notice has its own short address, /privacy (the same page).
    footer_link = "/privacy" if name == "privacy" else f"/policies/{name}"
    assert f'href="{footer_link}"' in client.get("/").get_data(as_text=True)


def test_prices_are_labelled_vat_included_on_the_product_cart_review_and_order(client, catalog):
    label = "Giá đã bao gồm VAT."
    assert label in client.get(f"/products/{catalog['tea'].slug}").get_data(as_text=True)
    _add(client, catalog["tea"].variants[0].id)
    assert label in client.get("/cart").get_data(as_text=True)
    review, fields = _checkout_pickup(client, catalog["point"].id)
    assert label in review
    client.post("/checkout/place", data=fields)
    order = db.session.scalar(select(Order))
    assert label in client.get(f"/orders/{order.number}?t={order.access_token}").get_data(as_text=True)
    assert "Prices include VAT." in client.get(f"/orders/{order.number}?t={order.access_token}&lang=en").get_data(as_text=True)
