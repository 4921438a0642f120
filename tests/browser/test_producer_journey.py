"""A producer on a phone: logs in, accepts and packs an order part, opens its label."""
from __future__ import annotations

import re
import uuid

import pytest
from sqlalchemy import select

from shop.extensions import db
from tests.browser.conftest import DESKTOP, PHONE, check_page, live_demo_shop, screenshot

pytestmark = pytest.mark.browser

EMAIL, PASSWORD = "xuong@htx-mien-dong.example", "mien dong ngon lam"


def _place_part(producer_id: int) -> tuple[str, int, str]:
    """A guest's pickup order for one of this producer's products, sent via a sales point; (number, part, code)."""
    from shop.cart.models import Cart, CartLine
    from shop.catalog.models import Product, ProductStatus
    from shop.checkout.services import CheckoutData, place_order
    from shop.inventory.services import free_at, producer_location_ids, sales_point_location_id
    from shop.orders.models import DeliveryMethod, Route
    from shop.orders.payment import PaymentMethod
    from shop.sales_points.models import PickupMode, SalesPoint

    home = producer_location_ids({producer_id})[producer_id]
    products = db.session.scalars(select(Product).where(Product.producer_id == producer_id,
                                                        Product.status == ProductStatus.PUBLISHED)).all()
    variant = next(v for p in products if p.can_buy_online for v in p.variants
                   if v.is_active and free_at(home, {v.id}).get(v.id, 0) >= 2)
    # A point that does not hold this variant itself, so the part travels from the producer.
    point = next(p for p in db.session.scalars(select(SalesPoint).where(SalesPoint.pickup_mode == PickupMode.ANY_STOCK,
                                                                        SalesPoint.is_active).order_by(SalesPoint.code))
                 if free_at(sales_point_location_id(p.id), {variant.id}).get(variant.id, 0) == 0)
    cart = Cart(token=uuid.uuid4().hex, lines=[CartLine(variant_id=variant.id, quantity=2)])
    db.session.add(cart)
    db.session.commit()
    data = CheckoutData(name="Nguyễn Thị Lan", email="lan@example.vn", phone="+84912345678", language="vi",
                        delivery=DeliveryMethod.PICKUP, payment=PaymentMethod.CASH_AT_PICKUP,
                        sales_point_id=point.id, data_consent=True, note="Gói giúp tôi làm quà biếu, cảm ơn!")
    order = place_order(cart.id, data, uuid.uuid4().hex, expected_total_vnd=None)
    part = order.parts[0]
    assert part.route == Route.VIA_POINT
    return order.number, part.id, point.code


@pytest.fixture(scope="module")
def producer_shop(tmp_path_factory, browser):
    """The demo shop served live, plus one producer user and one order with that producer's part."""
    from shop.auth.services import create_user
    from shop.catalog.models import Producer

    def prepare():
        producer = db.session.scalar(select(Producer).where(Producer.slug.like("%mien-dong%")).order_by(Producer.id)) \
            or db.session.scalar(select(Producer).order_by(Producer.id))
        create_user(EMAIL, "producer", name="Hoàng Văn Xuân", password=PASSWORD, producer_id=producer.id)
        return _place_part(producer.id)

    with live_demo_shop(str(tmp_path_factory.mktemp("producer-live")), prepare) as (url, (number, part_id, code)):
        yield {"url": url, "number": number, "part": part_id, "code": code}


def _desktop(page, name):
    desktop = page.context.new_page()
    desktop.set_viewport_size(DESKTOP)
    desktop.goto(page.url)
    screenshot(desktop, name)
    desktop.close()


def test_a_producer_accepts_and_packs_a_part_on_a_phone_and_opens_its_label(page_at, producer_shop):
    base, number, part_id, code = (producer_shop[k] for k in ("url", "number", "part", "code"))
    page = page_at(PHONE)

    page.goto(f"{base}/producer/?lang=en")
    page.wait_for_url("**/login?**")
    page.fill("input[name=email]", EMAIL)
    page.fill("input[name=password]", PASSWORD)
    page.locator("main button[type=submit]").click()
    page.wait_for_url(re.compile(r"/producer/(\?.*)?$"))

    card = page.locator("article.ws-part", has_text=number)
    assert card.count() == 1
    assert page.locator("#to-accept article.ws-part").count() == 1
    check_page(page)
    screenshot(page, "producer-dashboard-phone")
    _desktop(page, "producer-dashboard-desktop")

    card.get_by_role("button", name="Accept").click()
    page.wait_for_url(f"**/producer/parts/{part_id}")
    assert "Part accepted" in page.locator("p.notice[role=status]").inner_text()
    check_page(page)
    screenshot(page, "producer-part-accepted-phone")

    page.get_by_role("button", name="Mark as packed").click()
    page.wait_for_load_state()
    assert page.locator("h1").inner_text().strip() == "Packed"
    assert page.get_by_role("button", name=f"Mark as sent to {code}").is_visible()
    check_page(page)
    screenshot(page, "producer-part-packed-phone")
    _desktop(page, "producer-part-packed-desktop")

    page.get_by_role("link", name="Packing slip and label").click()
    page.wait_for_url(f"**/producer/parts/{part_id}/label")
    assert page.locator(".label-code").inner_text().strip() == code
    assert page.locator(".label-qr svg").count() == 1
    assert f"OCOP-PART:{part_id}" in page.locator(".label-payload").inner_text()
    assert number in page.locator(".label-head").inner_text()
    check_page(page)
    screenshot(page, "producer-label-phone")
    page.emulate_media(media="print")
    assert not page.locator(".label-tools").is_visible()
    screenshot(page, "producer-label-print")

    page.emulate_media(media="screen")
    page.goto(f"{base}/producer/")
    assert page.locator("#to-pack article.ws-part").count() == 0
    assert page.locator("#to-send article.ws-part", has_text=number).count() == 1
