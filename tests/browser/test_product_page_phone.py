"""On a 360 × 640 phone the product page shows its price and the buy button at once, and adding confirms on screen."""
import pytest

from tests.browser.conftest import check_page, screenshot

pytestmark = pytest.mark.browser

SMALL_PHONE = {"width": 360, "height": 640}
PEARL = "/products/ngoc-trai-akoya-ha-long"


def _in_viewport(page, locator) -> bool:
    box = locator.bounding_box()
    return box is not None and box["y"] >= 0 and box["y"] + box["height"] <= SMALL_PHONE["height"] and box["width"] > 0


def test_phone_buys_from_the_first_screen_and_sees_the_confirmation(live_server, page_at):
    page = page_at(SMALL_PHONE)
    page.goto(live_server + PEARL)
    price = page.locator(".product-head .buy-price .price")
    button = page.get_by_role("button", name="Thêm vào giỏ hàng")
    assert _in_viewport(page, page.locator("h1")) and _in_viewport(page, page.locator(".product-head .ocop-badge"))
    assert _in_viewport(page, price) and _in_viewport(page, button)
    assert _in_viewport(page, page.locator(".product-head .badge-ok"))  # in stock
    before = page.evaluate("history.length")

    page.locator(".variant-chip").nth(1).click()
    assert price.inner_text().replace("\xa0", " ") == "2.800.000 ₫"
    button.click()
    confirmation = page.locator("#added .added-ok")
    confirmation.wait_for()
    assert _in_viewport(page, confirmation)
    assert "Xem giỏ hàng" in confirmation.inner_text()
    assert page.locator(".cart-link .cart-count").inner_text().startswith("1")
    assert page.evaluate("history.length") == before  # Back leaves the product page
    screenshot(page, "product-added-phone")
    check_page(page)

    page.locator("#added a").click()
    page.wait_for_url("**/cart")
    assert "Ngọc trai Akoya" in page.locator("main").inner_text()


def test_without_javascript_the_post_comes_back_to_the_confirmation(live_server, browser):
    context = browser.new_context(viewport=SMALL_PHONE, locale="vi-VN", java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto(live_server + "/products/mat-ong-rung-binh-lieu")
        page.get_by_role("button", name="Thêm vào giỏ hàng").click()
        page.wait_for_url("**/products/mat-ong-rung-binh-lieu#added")
        confirmation = page.locator("#added .added-ok")
        assert _in_viewport(page, confirmation)
        assert page.locator(".cart-link .cart-count").inner_text().startswith("1")
    finally:
        context.close()


def test_the_product_page_at_desktop_width_passes_axe(live_server, page_at):
    page = page_at({"width": 1280, "height": 900})
    page.goto(live_server + PEARL)
    check_page(page)
