"""A foreign visitor, in English, buys from two producers, picks up in Hạ Long and pays by card on the fake Stripe."""
from __future__ import annotations

import re
import threading

import pytest
from sqlalchemy import select
from werkzeug.serving import make_server

from shop.extensions import db
from shop.money import format_vnd  # in the page's language: English here
from shop.static_files import wrap_with_whitenoise
from tests.browser.conftest import DESKTOP, PHONE, check_page, screenshot
from tests.fakes.stripe_fixtures import fake_stripe_server, live_shop, stripe_on  # noqa: F401  (fixtures)

pytestmark = pytest.mark.browser

ORDER_PAGE = re.compile(r".*/orders/QN-\d{4}-\d{4}\?t=[^&]+$")
PHA_HA_LONG = "06688"  # Phường Hạ Long, Quảng Ninh (QĐ 19/2025)


@pytest.fixture
def tourist_shop(app, stripe_on, make_producer, make_product, make_sales_point, put_stock):
    """Two producers' goods in stock, a pickup point in Phường Hạ Long, card payment on; served live.

    The browser's server is also where the fake Stripe delivers its webhooks, as Stripe would.
    """
    from shop.sales_points.models import PickupMode

    noodles = make_product(name="Miến dong Bình Liêu", prices=(60_000,),
                           producer=make_producer(name="HTX Miến dong Bình Liêu"),
                           i18n={"en": {"name": "Binh Lieu arrowroot glass noodles"}})
    tea = make_product(name="Trà hoa vàng Ba Chẽ", prices=(185_000,),
                       producer=make_producer(name="Công ty TNHH Trà hoa vàng Ba Chẽ"),
                       i18n={"en": {"name": "Ba Che golden camellia tea"}})
    for product in (noodles, tea):
        put_stock(product.variants[0], product.producer, 10)
    point = make_sales_point(code="HL04", name="Trung tâm giới thiệu sản phẩm OCOP Hạ Long", ward_code=PHA_HA_LONG,
                             address="Số 1 đường Trần Quốc Nghiễn, Phường Hạ Long, Tỉnh Quảng Ninh",
                             i18n={"en": {"name": "Ha Long OCOP Centre"}})
    counter_only = make_sales_point(code="HL06", name="Quầy OCOP Cảng tàu khách quốc tế Hạ Long",
                                    ward_code="06673", pickup_mode=PickupMode.OFF,
                                    i18n={"en": {"name": "Ha Long Cruise Port counter"}})
    db.session.commit()
    data = {
        "products": [
            {"vi": "Miến dong Bình Liêu", "en": "Binh Lieu arrowroot glass noodles", "quantity": 2,
             "price": 60_000, "producer": "HTX Miến dong Bình Liêu"},
            {"vi": "Trà hoa vàng Ba Chẽ", "en": "Ba Che golden camellia tea", "quantity": 1, "price": 185_000,
             "producer": "Công ty TNHH Trà hoa vàng Ba Chẽ"},
        ],
        "point": {"vi": point.name, "en": "Ha Long OCOP Centre", "address": point.address},
        "counter_only": counter_only.i18n["en"]["name"],
    }
    data["total"] = sum(p["price"] * p["quantity"] for p in data["products"])
    db.session.remove()

    # The test's app, behind WhiteNoise as in production; app.wsgi_app itself is left alone for other tests.
    server = make_server("127.0.0.1", 0, wrap_with_whitenoise(app), threaded=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_port}"
    stripe_on.webhook_url = f"{base}/payments/stripe/webhook"
    yield {"url": base, **data}
    stripe_on.wait_for_webhooks()
    server.shutdown()


def _in_english(page) -> None:
    """The shop's page is in English (the ?lang=en cookie wins over the browser's Korean) and passes check_page."""
    assert page.get_attribute("html", "lang") == "en", page.url
    check_page(page)


def _add_to_cart(page, base: str, product: dict) -> None:
    """From the catalog, open the product by its English name and add `quantity` with the page's button."""
    page.goto(f"{base}/products")
    _in_english(page)
    page.get_by_role("link", name=product["en"]).click()
    page.wait_for_url("**/products/**")
    assert page.get_by_role("heading", level=1).inner_text().strip() == product["en"]
    _in_english(page)
    page.get_by_label("Quantity").fill(str(product["quantity"]))
    page.get_by_role("button", name="Add to cart").click()
    page.locator("#added .added-ok").wait_for()  # added without a reload, said beside the button
    assert page.get_by_role("status").filter(has_text="cart").count() == 1  # "Added to your cart."


def test_a_foreign_visitor_picks_up_two_producers_goods_in_ha_long_and_pays_by_card(
        app, page_at, tourist_shop, stripe_on):
    from shop.notifications.models import OutboxMessage
    from shop.notifications.rendering import render
    from shop.orders.models import DeliveryMethod, Order, OrderStatus
    from shop.orders.payment import PaymentMethod, PaymentStatus

    base, total, point = tourist_shop["url"], tourist_shop["total"], tourist_shop["point"]
    products = tourist_shop["products"]
    page = page_at(PHONE, "ko-KR")  # a Korean phone; the visitor picks English once

    page.goto(f"{base}/?lang=en")
    _in_english(page)
    for product in products:
        _add_to_cart(page, base, product)

    page.get_by_role("link", name=re.compile(r"^Cart")).first.click()
    page.wait_for_url(f"{base}/cart")
    _in_english(page)
    cart = page.locator("main").inner_text()
    assert all(p["en"] in cart for p in products)
    assert format_vnd(total, "en") in cart

    page.get_by_role("link", name="Checkout").click()
    page.wait_for_url("**/checkout")
    _in_english(page)
    page.get_by_label("Full name").fill("Kim Min-jun")
    page.get_by_label("Email (optional)").fill("minjun@example.kr")
    page.get_by_label("Mobile phone").fill("+82 10-1234-5678")

    page.get_by_role("radio", name=re.compile("Pick up at")).check()
    assert page.get_by_role("radio", name=re.compile(tourist_shop["counter_only"])).count() == 0  # no pickups there
    choice = page.get_by_role("radio", name=re.compile(point["en"]))
    assert choice.count() == 1
    choice.check()
    page.get_by_role("checkbox", name=re.compile("I agree that my name")).check()
    page.get_by_role("button", name="Continue to payment").click()
    page.wait_for_url("**/checkout/confirm")
    _in_english(page)

    page.get_by_role("radio", name=re.compile(r"^Card")).check()
    review = page.locator("main").inner_text()
    assert all(p["en"] in review for p in products)
    assert point["en"] in review and point["address"] in review
    assert "Card (Visa, Mastercard…)" in review and "+82 10-1234-5678" in review
    assert page.locator(".grand-total.price").inner_text().startswith(format_vnd(total, "en"))
    screenshot(page, "foreign-card-1-review")
    page.get_by_role("button", name=re.compile("^Place order")).click()

    # Stripe's page (the fake's, on 127.0.0.1): not the shop's, so not checked for accessibility.
    page.wait_for_url(f"{stripe_on.url}/pay/cs_test_*")
    # The fake Stripe page writes the amount its own way (dots), whatever the shop's language.
    assert page.get_by_role("heading", level=1).inner_text() == f"Pay {format_vnd(total)}".replace("\xa0", " ")
    page.get_by_role("button", name="Pay").click()

    page.wait_for_url(ORDER_PAGE)
    assert page.url.startswith(base)
    _in_english(page)
    assert page.get_by_role("status").filter(has_text="Thank you: your card payment was received.").count() == 1
    assert page.get_by_role("heading", level=1).inner_text().strip() == "Order confirmed"
    ordered = page.locator("section[aria-labelledby=h-parts]")
    for product in products:
        part = ordered.locator("article.order-part", has_text=product["producer"])
        assert part.locator("header .badge").inner_text().strip() == "Received"
        # The order keeps the names the visitor read at purchase: the English ones, not the Vietnamese.
        assert product["en"] in part.inner_text()
        assert f"{product['quantity']} × {format_vnd(product['price'], 'en')}" in part.inner_text()
    where = page.locator("section[aria-labelledby=h-where]").inner_text()
    assert "Pickup at" in where and point["en"] in where and point["address"] in where
    assert format_vnd(total, "en") in page.locator(".order-totals .grand-total.price").inner_text()
    assert "₫" in page.locator(".order-head").inner_text()
    payment = page.locator(".order-payment").inner_text()
    assert "Card (Visa, Mastercard…)" in payment and "paid" in payment and "not paid" not in payment
    assert page.get_by_role("button", name=re.compile("Pay by card|Try card payment again")).count() == 0
    screenshot(page, "foreign-card-2-order")
    desktop = page.context.new_page()
    desktop.set_viewport_size(DESKTOP)
    desktop.goto(page.url)
    _in_english(desktop)
    assert desktop.get_by_role("heading", level=1).inner_text().strip() == "Order confirmed"
    screenshot(desktop, "foreign-card-2-order-1280")
    desktop.close()

    # Stripe was paid once, in VND (zero-decimal: whole đồng), on a page in English, and told the shop.
    (session,) = stripe_on.sessions.values()
    assert (session["currency"], session["amount_total"], session["locale"]) == ("vnd", total, "en")
    assert [w[1:] for w in stripe_on.webhooks] == [("checkout.session.completed", 200)]

    db.session.rollback()
    order = db.session.scalar(select(Order))
    assert order.status == OrderStatus.CONFIRMED and order.language == "en"
    assert order.delivery_method == DeliveryMethod.PICKUP and order.sales_point_name == point["vi"]
    assert order.contact_phone == "+821012345678"
    assert order.total_vnd == total
    (paid,) = order.payments
    assert (paid.method, paid.status, paid.amount_vnd, paid.received_vnd) == \
        (PaymentMethod.STRIPE_CARD, PaymentStatus.PAID, total, total)
    assert paid.provider_reference == session["id"]
    mails = db.session.scalars(select(OutboxMessage).where(OutboxMessage.kind == "payment_received")).all()
    assert [(m.recipient, m.language) for m in mails] == [("minjun@example.kr", "en")]
    email = render(mails[0])
    assert (email["Subject"], email["Content-Language"]) == (f"Payment received for order {order.number}", "en")
    text = email.get_body(("plain",)).get_content()
    assert format_vnd(total, "en") in text and page.url in text  # the link opens the page the visitor came back to
