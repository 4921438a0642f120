"""A guest on a phone buys from two producers: pickup with cash, and delivery paid by VietQR transfer."""
import re

import pytest

from tests.browser.conftest import DESKTOP, PHONE, screenshot

pytestmark = pytest.mark.browser

ORDER_NUMBER = re.compile(r"QN-\d{4}-\d{4}")


def _fits_the_screen(page):
    """Nothing on the page scrolls sideways."""
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1"), page.url


def _search_and_open(page, query):
    """Search from the header box, open the first result and return the product's name."""
    box = page.get_by_role("searchbox").first
    box.fill(query)
    box.press("Enter")
    page.wait_for_url("**/search?q=*")
    page.locator("article.product-card h3").first.click()
    page.wait_for_url("**/products/**")
    return page.locator("h1").inner_text().strip()


def _add_one(page):
    """Add one unit of the product on screen (its first variant) and return its producer's name."""
    producer = page.locator(".product-producer a").first.inner_text().strip()
    form = page.locator("form.add-to-cart")
    form.locator("input[name=quantity]").fill("1")
    form.get_by_role("button").click()
    page.wait_for_load_state()
    assert page.locator("p.notice[role=status]").count() == 1  # "Added to your cart."
    return producer


def _fill_cart(page, live_server):
    page.goto(live_server + "/?lang=en")
    first = _search_and_open(page, "mien dong")
    assert "/products/mien-dong-binh-lieu" in page.url
    first_producer = _add_one(page)
    second = _search_and_open(page, "tra hoa vang")
    second_producer = _add_one(page)
    assert first_producer != second_producer
    return (first, first_producer), (second, second_producer)


def _contact_step(page, shot):
    page.get_by_role("link", name="Checkout").click()
    page.wait_for_url("**/checkout")
    assert page.locator(".steps [aria-current=step]").inner_text().strip().endswith("Contact")
    _fits_the_screen(page)
    page.get_by_label("Full name").fill("Nguyễn Thị Lan")
    page.get_by_label("Email").fill("lan@example.vn")
    page.get_by_label("Mobile phone").fill("0912 345 678")
    screenshot(page, f"{shot}-1-contact")
    page.get_by_role("button", name="Continue").click()
    page.wait_for_url("**/checkout/delivery")
    _fits_the_screen(page)


def _place(page, shot):
    page.wait_for_url("**/checkout/review")
    _fits_the_screen(page)
    page.get_by_role("checkbox", name=re.compile("I agree that my name")).check()
    screenshot(page, f"{shot}-4-review")
    total = page.locator(".cart-summary .totals .price").inner_text().strip()
    page.get_by_role("button", name=re.compile("^Place order")).click()
    page.wait_for_url(re.compile(r".*/orders/QN-\d{4}-\d{4}\?t=.+"))
    _fits_the_screen(page)
    return total


def test_a_guest_picks_up_two_producers_goods_at_a_sales_point_and_pays_cash(live_server, page_at):
    page = page_at(PHONE, "en-US")
    (first, first_producer), (second, second_producer) = _fill_cart(page, live_server)

    page.goto(live_server + "/cart")
    groups = page.locator("section.cart-group")
    assert groups.count() == 2
    assert {g.strip() for g in groups.locator("h2").all_inner_texts()} == {first_producer, second_producer}
    assert first in page.locator(".cart-lines").first.inner_text() or first in page.locator(".cart-lines").last.inner_text()
    _fits_the_screen(page)
    screenshot(page, "checkout-a-0-cart")

    _contact_step(page, "checkout-a")
    page.get_by_role("radio", name="Pick up at an OCOP sales point").check()
    point = page.locator("#pickup label.choice-point").first
    # The order keeps the point's name as it was at purchase (in Vietnamese); its address identifies it here.
    point_address = point.locator(".card-meta").first.inner_text().strip()
    point.locator("input[type=radio]").check()
    screenshot(page, "checkout-a-2-delivery")
    page.get_by_role("button", name="Continue").click()

    page.wait_for_url("**/checkout/payment")
    _fits_the_screen(page)
    page.locator("input[name=method][value=cash_at_pickup]").check()
    screenshot(page, "checkout-a-3-payment")
    page.get_by_role("button", name="Continue").click()

    total = _place(page, "checkout-a")
    number = page.locator(".order-head .eyebrow").inner_text()
    assert ORDER_NUMBER.search(number)
    assert ORDER_NUMBER.search(page.url).group(0) in number
    where = page.locator("section[aria-labelledby=h-where]")
    assert point_address in where.inner_text()
    assert where.locator(".hours").count() == 1
    assert total in page.locator(".order-grid .totals").inner_text()
    assert page.locator("section.transfer").count() == 0
    assert page.get_by_role("button", name="Cancel this order").is_visible()
    screenshot(page, "checkout-a-5-order")


def test_a_guest_has_goods_delivered_in_quang_ninh_and_pays_by_vietqr_transfer(live_server, page_at):
    page = page_at(PHONE, "en-US")
    _fill_cart(page, live_server)
    page.goto(live_server + "/cart")
    _contact_step(page, "checkout-b")

    page.get_by_role("radio", name="Delivery to an address").check()
    page.get_by_label("Province or city").select_option("22")
    wards = page.get_by_label("Ward or commune in Quảng Ninh")
    ward = wards.locator("option").nth(1)
    ward_name = ward.inner_text().strip()
    wards.select_option(ward.get_attribute("value"))
    page.get_by_label("House number and street, or hamlet").fill("12 Lê Thánh Tông")
    screenshot(page, "checkout-b-2-delivery")
    page.get_by_role("button", name="Continue").click()

    page.wait_for_url("**/checkout/payment")
    _fits_the_screen(page)
    assert page.locator("input[name=method][value=cash_at_pickup]").count() == 0
    page.get_by_role("radio", name=re.compile("Bank transfer by VietQR")).check()
    screenshot(page, "checkout-b-3-payment")
    page.get_by_role("button", name="Continue").click()

    page.wait_for_url("**/checkout/review")
    assert ward_name in page.locator(".facts").first.inner_text()
    total = _place(page, "checkout-b")
    number = ORDER_NUMBER.search(page.url).group(0)
    transfer = page.locator("section.transfer")
    assert transfer.is_visible()
    assert transfer.locator("svg").first.is_visible()
    facts = transfer.locator("dl.facts")
    amount = facts.locator("dt:text-is('Amount') + dd").inner_text().strip()
    assert amount == total
    assert number in facts.locator("dt:text-is('Transfer note') + dd").inner_text()
    assert ward_name in page.locator("section[aria-labelledby=h-where]").inner_text()
    screenshot(page, "checkout-b-5-order")

    # The same order on a desktop screen (same browser context: the cookies and token carry over).
    desktop = page.context.new_page()
    desktop.set_viewport_size(DESKTOP)
    desktop.goto(page.url)
    _fits_the_screen(desktop)
    screenshot(desktop, "checkout-b-5-order-1280")
