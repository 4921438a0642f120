"""A customer on a phone reviews what they collected; the review and the average show on the product page;
the office and the producer see it on their pages. axe finds nothing serious on any of them."""
from __future__ import annotations

import os
import re
import uuid

import pytest
from sqlalchemy import select

from shop.extensions import db
from tests.browser.conftest import DESKTOP, PHONE, check_page, live_demo_shop, screenshot

pytestmark = pytest.mark.browser

PASSWORD = "danh gia that cua nguoi mua"
OFFICE, PRODUCER, DESK = "vanphong@ocop.example", "xuong@htx.example", "quay@diem.example"
SHOTS = os.environ.get("SHOP_REVIEW_SHOTS", "/tmp/shots/reviews2")


def _collected_order() -> dict:
    """A guest's pickup order of one product of a demo producer, taken through every step to collected."""
    from shop.auth.services import create_user
    from shop.cart.models import Cart, CartLine
    from shop.catalog.models import Product, ProductStatus
    from shop.checkout.services import CheckoutData, place_order
    from shop.desk.handover import hand_over
    from shop.desk.receiving import receive_parcel
    from shop.fulfillment import services as producer
    from shop.inventory.services import free_at, producer_location_ids, sales_point_location_id
    from shop.orders.codes import part_label_code
    from shop.orders.models import DeliveryMethod, Order
    from shop.orders.payment import PaymentMethod
    from shop.sales_points.models import PickupMode, SalesPoint

    products = db.session.scalars(select(Product).where(Product.status == ProductStatus.PUBLISHED,
                                                        Product.rating_count == 0).order_by(Product.id)).all()
    homes = producer_location_ids({p.producer_id for p in products})
    variant = next(v for p in products if p.can_buy_online for v in p.variants
                   if v.is_active and free_at(homes[p.producer_id], {v.id}).get(v.id, 0) >= 1)
    point = next(p for p in db.session.scalars(select(SalesPoint).where(SalesPoint.pickup_mode == PickupMode.ANY_STOCK,
                                                                        SalesPoint.is_active).order_by(SalesPoint.code))
                 if free_at(sales_point_location_id(p.id), {variant.id}).get(variant.id, 0) == 0)
    maker = create_user(PRODUCER, "producer", name="Hoàng Văn Xuân", password=PASSWORD,
                        producer_id=variant.product.producer_id)
    staff = create_user(DESK, "staff", name="Phạm Thu", password=PASSWORD, sales_point_id=point.id)
    create_user(OFFICE, "admin", name="Văn Phòng", password=PASSWORD)
    cart = Cart(token=uuid.uuid4().hex, lines=[CartLine(variant_id=variant.id, quantity=1)])
    db.session.add(cart)
    db.session.commit()
    data = CheckoutData(name="Nguyễn Thị Lan", email="lan@example.vn", phone="+84912345678", language="vi",
                        delivery=DeliveryMethod.PICKUP, payment=PaymentMethod.CASH_AT_PICKUP,
                        sales_point_id=point.id, data_consent=True)
    order = place_order(cart.id, data, uuid.uuid4().hex, expected_total_vnd=None)
    part_id = order.parts[0].id
    producer.accept_part(part_id, maker)
    producer.mark_packed(part_id, maker)
    producer.mark_sent_to_point(part_id, maker, "xe khách")
    receive_parcel(point.id, part_label_code(part_id), staff)
    order = db.session.get(Order, order.id)
    hand_over(point.id, order.pickup_code, staff, identity_checked=True, tendered_vnd=10**7)
    return {"number": order.number, "token": order.access_token, "slug": variant.product.slug,
            "name": variant.product.name}


@pytest.fixture(scope="module")
def review_shop(tmp_path_factory, browser):
    with live_demo_shop(str(tmp_path_factory.mktemp("reviews-live")), _collected_order) as (url, found):
        yield {"url": url, **found}


def shoot(page, name: str) -> None:
    """The suite's screenshot, and a copy for the person checking this change."""
    screenshot(page, name)
    os.makedirs(SHOTS, exist_ok=True)
    page.screenshot(path=os.path.join(SHOTS, f"{name}.png"), full_page=True)


def _both(page, name: str) -> None:
    shoot(page, f"{name}-360")
    desktop = page.context.new_page()
    desktop.set_viewport_size(DESKTOP)
    desktop.goto(page.url)
    check_page(desktop)
    shoot(desktop, f"{name}-1280")
    desktop.close()


def _log_in(page, base, email, then):
    page.goto(f"{base}/login?lang=en")
    page.fill("input[name=email]", email)
    page.fill("input[name=password]", PASSWORD)
    page.locator("main button[type=submit]").click()
    page.wait_for_load_state()
    page.goto(f"{base}{then}")


def test_a_customer_reviews_what_they_collected_and_it_shows_on_the_product_page(page_at, review_shop):
    base, number, token, slug = (review_shop[k] for k in ("url", "number", "token", "slug"))
    page = page_at(PHONE)

    page.goto(f"{base}/orders/{number}?t={token}")
    page.get_by_role("link", name="Đánh giá sản phẩm").click()
    page.wait_for_url(f"**/orders/{number}/reviews?t=*")
    check_page(page)
    _both(page, "review-form")

    page.locator(".star-choice", has_text="5 ★").click()
    page.fill("textarea[name=body]", "Đóng gói cẩn thận, vị rất ngon. Sẽ mua lại!")
    page.get_by_role("button", name="Đăng đánh giá").click()
    page.wait_for_url(re.compile(rf"/orders/{number}/reviews"))
    assert "Cảm ơn bạn" in page.locator("p.notice[role=status]").inner_text()
    assert page.locator(".badge", has_text="Đang hiển thị trên trang sản phẩm").is_visible()
    shoot(page, "review-saved-360")

    page.get_by_role("link", name="Xem trên trang sản phẩm").click()
    page.wait_for_url(f"**/products/{slug}*")
    section = page.locator("#reviews")
    section.scroll_into_view_if_needed()
    assert section.is_visible()
    assert "5,0 ★ trên 5 · 1 đánh giá" in re.sub(r"\s+", " ", section.locator(".buyer-reviews-summary").inner_text())
    assert "Lan N." in section.inner_text() and "Sẽ mua lại!" in section.inner_text()
    assert "Nguyễn Thị Lan" not in page.content()
    check_page(page)
    _both(page, "product-reviews")

    page.goto(f"{base}/search?q={review_shop['name']}")
    card = page.locator("article.product-card", has_text=review_shop["name"]).first
    assert "5,0 ★ trên 5 · 1 đánh giá" in re.sub(r"\s+", " ", card.locator(".buyer-rating").inner_text())
    card.scroll_into_view_if_needed()
    check_page(page)
    _both(page, "card-rating")
    card.locator("a.buyer-rating").click()
    page.wait_for_url(f"**/products/{slug}#reviews")


def test_the_office_and_the_producer_see_the_review_on_their_pages(page_at, review_shop):
    base = review_shop["url"]
    office = page_at(PHONE, locale="en-US")
    _log_in(office, base, OFFICE, "/admin/reviews?lang=en")
    assert office.locator("li.buyer-review").count() >= 1
    check_page(office)
    _both(office, "admin-reviews")

    producer = page_at(PHONE, locale="en-US")
    _log_in(producer, base, PRODUCER, "/producer/reviews?lang=en")
    item = producer.locator("li.buyer-review").first
    assert "Lan N." in item.inner_text()
    check_page(producer)
    _both(producer, "producer-reviews")
    item.locator("textarea[name=answer]").fill("Cảm ơn chị Lan đã tin dùng!")
    item.get_by_role("button", name="Publish the answer").click()
    producer.wait_for_load_state()
    assert "Your answer is published under the review." in producer.locator("p.notice[role=status]").inner_text()
    check_page(producer)
