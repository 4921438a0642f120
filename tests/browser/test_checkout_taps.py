"""Must show (issue 14): on a 360 px phone, two producers' goods with pickup in at most 10 taps and 2 typed fields,
from a product page to the placed order; the cart's total and "Checkout" on the first screen; the order lookup."""
import os
import re

import pytest

from tests.browser.conftest import DESKTOP, PHONE, check_page

pytestmark = pytest.mark.browser

SHOTS = "/tmp/shots/checkout2"
ORDER_PAGE = re.compile(r".*/orders/QN-\d{4}-\d{4}\?t=.+")


def _shot(page, name):
    """The page at 360 px (as on screen) and at 1280 px (same context: same cart and checkout)."""
    os.makedirs(SHOTS, exist_ok=True)
    page.screenshot(path=f"{SHOTS}/{name}-360.png", full_page=True)
    desktop = page.context.new_page()
    desktop.set_viewport_size(DESKTOP)
    desktop.goto(page.url)
    check_page(desktop)
    desktop.screenshot(path=f"{SHOTS}/{name}-1280.png", full_page=True)
    desktop.close()


class Thumb:
    """Every tap and every typed field of the journey, counted."""

    def __init__(self, page):
        self.page, self.taps, self.typed = page, 0, 0

    def tap(self, locator):
        self.taps += 1
        locator.click()
        self.page.wait_for_load_state()

    def tap_posting(self, locator, path):
        """A tap whose form the page's script posts in the background: done when the shop answered."""
        self.taps += 1
        with self.page.expect_response(lambda response: path in response.url):
            locator.click()

    def type(self, locator, text):
        self.typed += 1
        locator.fill(text)


def _in_first_screen(locator, page) -> bool:
    box = locator.bounding_box()
    return box is not None and box["y"] >= 0 and box["y"] + box["height"] <= page.viewport_size["height"]


def test_two_producers_goods_with_pickup_in_ten_taps_from_a_product_page(live_server, page_at):
    page = page_at(PHONE, "vi-VN")
    page.goto(live_server + "/products/mien-dong-binh-lieu?lang=vi")
    first_producer = page.locator(".product-producer a").first.inner_text().strip()
    thumb = Thumb(page)

    thumb.tap_posting(page.get_by_role("button", name="Thêm vào giỏ hàng").first, "/cart/add")
    thumb.tap(page.locator("a.cart-link"))
    page.wait_for_url("**/cart")
    # Another producer's product, from the cart's suggestions, in one tap.
    suggestion = page.locator(".cart-suggestions .suggestion").filter(
        has_not=page.locator(".card-meta", has_text=first_producer)).first
    second_name = suggestion.locator("h3").inner_text().strip()
    thumb.tap(suggestion.get_by_role("button"))
    page.wait_for_url(re.compile(r"/cart(#added)?$"))
    groups = page.locator("section.cart-group")
    assert groups.count() == 2 and second_name in groups.nth(0).inner_text() + groups.nth(1).inner_text()

    # The total and the way on are on the first screen of a phone; the targets are thumb-sized.
    bar = page.locator(".cart-bar")
    assert _in_first_screen(bar.get_by_role("link", name="Thanh toán"), page)
    assert _in_first_screen(bar.locator(".price"), page)
    remove = page.get_by_role("button", name=re.compile(r"^Xóa .+ khỏi giỏ$")).first
    size = remove.bounding_box()
    assert size["width"] >= 44 and size["height"] >= 44
    plus = page.get_by_role("button", name=re.compile(r"^Thêm 1 ")).first
    assert plus.bounding_box()["height"] >= 44
    check_page(page)
    _shot(page, "cart")

    thumb.tap(bar.get_by_role("link", name="Thanh toán"))
    page.wait_for_url("**/checkout")
    thumb.type(page.get_by_label("Họ và tên"), "Nguyễn Thị Lan")
    thumb.type(page.get_by_label("Số điện thoại di động"), "0912 345 678")
    point = page.locator("#pickup label.choice-point").first
    point_name = point.locator("strong").inner_text().strip()
    thumb.tap(point)
    thumb.tap(page.locator("input[name=data_consent]"))
    check_page(page)
    _shot(page, "step1")
    thumb.tap(page.get_by_role("button", name="Tiếp tục đến thanh toán"))
    page.wait_for_url("**/checkout/confirm")

    # The second step: the payment chosen for a pickup (cash at the point), the goods, the fee and the total.
    assert page.locator("input[name=method]:checked").count() == 1
    total = page.locator(".cart-summary .grand-total.price").inner_text().split("\n")[0].strip()
    check_page(page)
    _shot(page, "step2")
    thumb.tap(page.get_by_role("button", name=re.compile("^Đặt hàng")))
    page.wait_for_url(ORDER_PAGE)

    assert thumb.taps <= 10, thumb.taps
    assert thumb.typed <= 2, thumb.typed
    body = page.locator("main").inner_text()
    assert point_name in body and total in body
    # No e-mail was given: the page itself gives the pickup code to keep.
    assert page.locator("section.keep-code .pickup-code").is_visible()
    check_page(page)
    _shot(page, "order")
    print(f"\ntaps={thumb.taps} typed={thumb.typed}")


def test_a_guest_finds_the_order_again_by_number_and_phone(live_server, page_at):
    page = page_at(PHONE, "vi-VN")
    page.goto(live_server + "/orders/lookup?lang=vi")
    check_page(page)
    page.get_by_label("Mã đơn hàng").fill("QN-2001-9999")
    page.get_by_label("Số điện thoại di động").fill("0912 345 678")
    page.get_by_role("button", name="Tra cứu đơn hàng").click()
    page.wait_for_load_state()
    assert page.get_by_role("alert").is_visible()
    check_page(page)
    _shot(page, "lookup")
    # The footer leads here from every page.
    page.goto(live_server + "/?lang=vi")
    page.locator("footer").get_by_role("link", name="Tra cứu đơn hàng").click()
    page.wait_for_url("**/orders/lookup")


def test_steppers_and_the_province_change_the_cart_in_place(live_server, page_at):
    from playwright.sync_api import expect

    page = page_at(PHONE, "vi-VN")
    page.goto(live_server + "/products/mien-dong-binh-lieu?lang=vi")
    with page.expect_response(lambda response: "/cart/add" in response.url):
        page.get_by_role("button", name="Thêm vào giỏ hàng").first.click()
    page.goto(live_server + "/cart")
    page.evaluate("window.stillTheSamePage = true")  # gone with any reload
    assert not page.locator(".province-apply").is_visible()  # with a script the select alone does it

    page.get_by_role("button", name=re.compile(r"^Thêm 1 ")).click()
    expect(page.locator(".qty-value").first).to_contain_text("2")
    expect(page.get_by_role("button", name=re.compile(r"^Bớt 1 "))).to_be_enabled()
    assert page.evaluate("document.activeElement.getAttribute('aria-label')").startswith("Thêm 1 ")

    before = page.locator(".fee-delivery").inner_text()
    page.get_by_label("Giao đến").select_option("79")  # Hồ Chí Minh City: the farthest zone
    expect(page.locator(".fee-delivery")).not_to_have_text(before)
    expect(page.locator("#fee-province")).to_have_value("79")
    assert page.evaluate("window.stillTheSamePage") is True
    page.reload()
    expect(page.locator("#fee-province")).to_have_value("79")  # remembered on the cart

    # The first step names the fee of the province chosen for delivery, as it changes.
    page.goto(live_server + "/checkout")
    page.get_by_role("radio", name="Giao hàng tận nơi").check()
    expect(page.locator("#province-fee")).to_contain_text("Giao đến Thành phố Hồ Chí Minh:")
    page.locator("#address-vn select[name=province]").select_option("01")
    expect(page.locator("#province-fee")).to_contain_text("Giao đến Thành phố Hà Nội:")
    check_page(page)
