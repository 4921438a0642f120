"""Checkout in two steps with a phone only, the delivery fee from the cart, steppers, and a guest's order lookup."""
import re
from html import unescape

import pytest
from flask_babel import force_locale, gettext
from sqlalchemy import func, select

from shop.extensions import db
from shop.notifications.models import OutboxMessage
from shop.notifications.rendering import render
from shop.orders.models import Order
from tests.web.helpers import checkout_details, confirm_page, csrf_token, place_order_form

HANOI = "01"


@pytest.fixture
def catalog(make_product, make_producer, make_category, make_sales_point, put_stock):
    noodles_set = make_category(name="Miến, bún, phở", set_no=9)
    noodles = make_product(name="Miến dong Bình Liêu", prices=(90_000,), producer=make_producer(name="HTX Miến dong"),
                           category=noodles_set)
    other_noodles = make_product(name="Miến dong Tiên Yên", prices=(80_000,), category=noodles_set,
                                 producer=make_producer(name="HTX Tiên Yên"))
    tea = make_product(name="Trà hoa vàng", prices=(650_000,), producer=make_producer(name="Công ty Trà Hải Hà"))
    point = make_sales_point(code="HL01", name="Điểm bán OCOP Bãi Cháy")
    for product in (noodles, other_noodles, tea):
        put_stock(product.variants[0], product.producer, 10)
    db.session.commit()
    return {"noodles": noodles, "other_noodles": other_noodles, "tea": tea, "point": point}


def _add(client, product, quantity=1):
    token = csrf_token(client, f"/products/{product.slug}")
    client.post("/cart/add", data={"csrf_token": token, "variant_id": product.variants[0].id, "quantity": quantity})


def _text(response) -> str:
    return unescape(response.get_data(as_text=True))


def _phone_only_order(client, catalog) -> Order:
    _add(client, catalog["noodles"], 2)
    _add(client, catalog["tea"])
    response = checkout_details(client, sales_point=str(catalog["point"].id))  # name and phone, no e-mail
    assert response.headers["Location"].endswith("/checkout/confirm")
    assert place_order_form(client, "cash_at_pickup").status_code == 302
    return db.session.scalar(select(Order))


def test_a_phone_is_enough_and_the_order_page_gives_the_pickup_code_to_keep(client, catalog):
    order = _phone_only_order(client, catalog)
    assert (order.contact_email, order.contact_phone, order.total_vnd) == ("", "+84912345678", 830_000)
    # No e-mail to send to the customer: nothing queued for them, nothing failing in the outbox.
    assert db.session.scalar(select(func.count(OutboxMessage.id)).where(OutboxMessage.recipient == "")) == 0
    page = _text(client.get(f"/orders/{order.number}?t={order.access_token}&lang=en"))
    assert f"{order.pickup_code[:4]} {order.pickup_code[4:]}" in page
    assert "We have no e-mail address for this order: keep this page's link or take a screenshot." in page
    assert f'href="/orders/lookup?number={order.number}"' in page


def test_an_order_with_an_e_mail_keeps_its_pickup_code_for_when_it_is_ready(client, catalog):
    _add(client, catalog["noodles"])
    checkout_details(client, email="lan@example.vn", sales_point=str(catalog["point"].id))
    place_order_form(client)
    order = db.session.scalar(select(Order))
    page = _text(client.get(f"/orders/{order.number}?t={order.access_token}&lang=en"))
    assert order.pickup_code[:4] not in page.split("Placed on")[1]
    email = db.session.scalar(select(OutboxMessage).where(OutboxMessage.kind == "order_placed"))
    assert email.recipient == "lan@example.vn"
    assert email.payload["lookup_url"].endswith(f"/orders/lookup?number={order.number}")
    text = render(email).get_body(("plain",)).get_content()
    assert "Mất email này? Tra cứu đơn hàng bằng mã đơn và số điện thoại của bạn:" in text
    assert f"/orders/lookup?number={order.number}" in text


def test_the_first_step_asks_name_phone_and_where_and_the_second_pays(client, catalog):
    _add(client, catalog["noodles"])
    first = _text(client.get("/checkout?lang=en"))
    for field in ('name="name"', 'name="phone"', 'name="email"', 'name="sales_point"', 'name="province"',
                  'name="data_consent"'):
        assert field in first
    assert 'name="method" type="radio" value="cash_at_pickup"' not in first
    refused = checkout_details(client, lang="en", phone="", sales_point=str(catalog["point"].id))
    assert refused.status_code == 200 and "Please enter a phone number." in _text(refused)
    checkout_details(client, sales_point=str(catalog["point"].id))
    second, fields = confirm_page(client, "en")
    assert 'value="cash_at_pickup"' in second and "Điểm bán OCOP Bãi Cháy" in second
    assert "Place order · 90,000\xa0₫" in second and fields["expected_total"] == "90000"


def test_the_consent_taken_back_on_the_first_step_stops_the_order(client, catalog):
    _add(client, catalog["noodles"])
    checkout_details(client, sales_point=str(catalog["point"].id))
    assert client.get("/checkout/confirm").status_code == 200
    assert checkout_details(client, sales_point=str(catalog["point"].id), data_consent=None).status_code == 200
    assert client.get("/checkout/confirm").headers["Location"].endswith("/checkout")
    # The contact typed is still there when the customer comes back.
    assert 'value="Nguyễn Thị Lan"' in client.get("/checkout").get_data(as_text=True)


@pytest.mark.parametrize("old, new", [("/checkout/delivery", "/checkout#where"), ("/checkout/payment", "/checkout/confirm"),
                                      ("/checkout/review", "/checkout/confirm")])
def test_the_old_step_addresses_lead_to_the_new_steps(client, catalog, old, new):
    _add(client, catalog["noodles"])
    response = client.get(old)
    assert response.status_code == 303 and response.headers["Location"].endswith(new)


def test_the_cart_shows_the_delivery_fee_by_province_that_the_order_then_charges(client, catalog):
    _add(client, catalog["noodles"], 2)
    _add(client, catalog["tea"])  # 1.5 kg, 830.000 ₫
    cart = _text(client.get("/cart?lang=vi"))
    assert re.search(r"Nhận hàng tại điểm bán</span> <span class=\"num fee-pickup\">0\xa0₫", cart)
    assert 'class="num fee-delivery">30.000\xa0₫' in cart  # Quảng Ninh until another province is chosen
    token = csrf_token(client, "/cart")
    assert client.post("/cart/province", data={"csrf_token": token, "province": HANOI}).status_code == 302
    cart = _text(client.get("/cart?lang=vi"))
    assert f'<option value="{HANOI}" selected>' in cart
    assert 'class="num fee-delivery">45.000\xa0₫' in cart and "875.000\xa0₫" in cart
    # A made-up province changes nothing.
    client.post("/cart/province", data={"csrf_token": token, "province": "99"})
    assert 'class="num fee-delivery">45.000\xa0₫' in _text(client.get("/cart"))
    # Checkout starts from that province and names its fee, and the order charges the very fee the cart showed.
    first_step = _text(client.get("/checkout?lang=vi"))
    assert f'<option selected value="{HANOI}">' in first_step
    assert 'id="province-fee" aria-live="polite">Giao đến Thành phố Hà Nội: 45.000\xa0₫</p>' in first_step
    checkout_details(client, method="delivery", country="VN", province=HANOI, ward_name="Phường Ba Đình",
                     address_line="12 Điện Biên Phủ")
    place_order_form(client, "cod")
    order = db.session.scalar(select(Order))
    assert (order.shipping_vnd, order.total_vnd) == (45_000, 875_000)


def test_steppers_post_the_next_quantity_and_remove_has_a_large_named_target(client, catalog):
    _add(client, catalog["noodles"])
    variant_id = catalog["noodles"].variants[0].id
    cart = _text(client.get("/cart?lang=vi"))
    minus = re.search(r'<button type="submit" name="quantity" value="0"[^>]*>', cart, re.S).group(0)
    assert "disabled" in minus and 'aria-label="Bớt 1 Miến dong Bình Liêu"' in minus
    assert 'name="quantity" value="2"' in cart and 'aria-label="Thêm 1 Miến dong Bình Liêu"' in cart
    assert 'class="remove-button" aria-label="Xóa Miến dong Bình Liêu khỏi giỏ"' in cart
    token = csrf_token(client, "/cart")
    client.post("/cart/update", data={"csrf_token": token, "variant_id": variant_id, "quantity": "2"})
    cart = _text(client.get("/cart"))
    assert "180.000\xa0₫" in cart and 'name="quantity" value="3"' in cart
    client.post("/cart/remove", data={"csrf_token": token, "variant_id": variant_id})
    assert 'class="cart-line"' not in client.get("/cart").get_data(as_text=True)


def test_the_cart_suggests_another_producers_product_to_add_in_one_tap(client, catalog):
    _add(client, catalog["noodles"])
    cart = _text(client.get("/cart?lang=vi"))
    suggestions = cart.split('id="h-suggestions"')[1]
    # The same product set first: the other producer's noodles, addable from here.
    assert suggestions.index("Miến dong Tiên Yên") < suggestions.index("Trà hoa vàng")
    assert f'value="{catalog["other_noodles"].variants[0].id}"' in suggestions
    assert "Miến dong Bình Liêu" not in suggestions


# ---- a guest finds the order again ----------------------------------------------------------------------

def _lookup(client, number, phone, lang="en"):
    return client.post(f"/orders/lookup?lang={lang}",
                       data={"csrf_token": csrf_token(client, "/orders/lookup"), "number": number, "phone": phone})


def test_order_number_and_phone_open_the_guest_order_page(app, client, catalog):
    order = _phone_only_order(client, catalog)
    stranger = app.test_client()
    for number, phone in ((order.number, "0912 345 678"), (order.number.replace("-", "").lower(), "+84912345678")):
        response = _lookup(stranger, number, phone)
        assert response.status_code == 303
        assert response.headers["Location"].endswith(f"/orders/{order.number}?t={order.access_token}")


@pytest.mark.parametrize("lang", ["vi", "en", "zh", "ko"])
def test_a_wrong_phone_and_an_unknown_number_get_the_same_answer(app, client, catalog, lang):
    order = _phone_only_order(client, catalog)
    stranger = app.test_client()
    wrong_phone = _lookup(stranger, order.number, "0987 654 321", lang)
    no_such_order = _lookup(stranger, "QN-2001-9999", "0912 345 678", lang)
    garbage = _lookup(stranger, "<script>", "call me", lang)
    with force_locale(lang):
        message = gettext("We found no order with this number and phone. Check both: the number is in your "
                          "confirmation, like QN-2612-0001, and the phone is the one you gave when ordering.")
    if lang != "en":
        assert message != "We found no order with this number and phone. Check both: the number is in your " \
                          "confirmation, like QN-2612-0001, and the phone is the one you gave when ordering."
    for response in (wrong_phone, no_such_order, garbage):
        assert response.status_code == 404 and message in _text(response)
        assert order.access_token not in response.get_data(as_text=True)


def test_guessing_orders_is_slowed_down(app, client, catalog):
    order = _phone_only_order(client, catalog)
    app.config["ORDER_LOOKUP_RATE_LIMIT"] = "3 per 10 minutes"
    stranger = app.test_client()
    for _ in range(3):
        assert _lookup(stranger, order.number, "0987 654 321").status_code == 404
    assert _lookup(stranger, order.number, "0912 345 678").status_code == 429  # even the right answer, for now


def test_the_footer_links_the_order_lookup(client):
    assert 'href="/orders/lookup"' in client.get("/?lang=en").get_data(as_text=True)
    page = client.get("/orders/lookup?lang=en")
    assert page.status_code == 200 and 'name="number"' in page.get_data(as_text=True)
