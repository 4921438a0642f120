"""A guest on a phone buys from two producers: pickup with cash, delivery paid by VietQR; and the checkout's errors."""
import re

import pytest

from shop.demo.rows import SALES_POINTS
from tests.browser.conftest import DESKTOP, PHONE, check_page, screenshot

pytestmark = pytest.mark.browser

ORDER_NUMBER = re.compile(r"QN-\d{2}(?:0[1-9]|1[0-2])-\d{4}")  # QN-YYMM-NNNN


def _desktop_screenshot(page, name):
    """The page on screen, seen on a desktop screen too (same browser context: same cart and checkout)."""
    desktop = page.context.new_page()
    desktop.set_viewport_size(DESKTOP)
    desktop.goto(page.url)
    check_page(desktop)
    screenshot(desktop, name)
    desktop.close()


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
    page.locator("#added .added-ok").wait_for()  # "Added to your cart.", beside the button, without a reload
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
    assert page.locator(".steps [aria-current=step]").inner_text().strip().endswith("Contact and delivery")
    check_page(page)
    page.get_by_label("Full name").fill("Nguyễn Thị Lan")
    page.get_by_label("Email (optional)").fill("lan@example.vn")
    page.get_by_label("Mobile phone").fill("0912 345 678")
    screenshot(page, f"{shot}-1-contact")


def _continue(page):
    """Agree to the processing of the data and go on to the second step."""
    page.get_by_role("checkbox", name=re.compile("I agree that my name")).check()
    page.get_by_role("button", name="Continue to payment").click()
    page.wait_for_url("**/checkout/confirm")
    check_page(page)


def _place(page, shot):
    page.wait_for_url("**/checkout/confirm")
    check_page(page)
    screenshot(page, f"{shot}-4-review")
    total = page.locator(".cart-summary .totals .price").inner_text().strip()
    page.get_by_role("button", name=re.compile("^Place order")).click()
    page.wait_for_url(re.compile(r".*/orders/" + ORDER_NUMBER.pattern + r"\?t=.+"))
    check_page(page)
    return total


def test_a_guest_picks_up_two_producers_goods_at_a_sales_point_and_pays_cash(live_server, page_at):
    page = page_at(PHONE, "en-US")
    page.goto(live_server + "/cart?lang=en")
    assert page.locator(".empty").get_by_role("link", name="Browse products").is_visible()
    screenshot(page, "checkout-a-cart-empty")
    (first, first_producer), (second, second_producer) = _fill_cart(page, live_server)

    page.goto(live_server + "/cart")
    groups = page.locator("section.cart-group")
    assert groups.count() == 2
    assert {g.strip() for g in groups.locator("h2").all_inner_texts()} == {first_producer, second_producer}
    assert first in groups.filter(has_text=first_producer).inner_text()
    assert second in groups.filter(has_text=second_producer).inner_text()
    check_page(page)
    screenshot(page, "checkout-a-0-cart")
    _desktop_screenshot(page, "checkout-a-0-cart-1280")

    _contact_step(page, "checkout-a")
    page.get_by_role("radio", name="Pick up at an OCOP sales point").check()
    point = page.locator("#pickup label.choice-point").first
    # The choice shows the point's short name; the order page gives its address, which identifies it.
    short_name = point.locator("strong").first.inner_text().strip()
    street = next(row.street for row in SALES_POINTS if short_name in (row.short or row.place, row.short_en or row.place_en))
    point.locator("input[type=radio]").check()
    screenshot(page, "checkout-a-2-delivery")
    _desktop_screenshot(page, "checkout-a-2-delivery-1280")
    _continue(page)

    page.locator("input[name=method][value=cash_at_pickup]").check()
    screenshot(page, "checkout-a-3-payment")
    _desktop_screenshot(page, "checkout-a-4-review-1280")
    total = _place(page, "checkout-a")
    number = page.locator(".order-head .eyebrow").inner_text()
    assert ORDER_NUMBER.search(number)
    assert ORDER_NUMBER.search(page.url).group(0) in number
    where = page.locator("section[aria-labelledby=h-where]")
    assert street in where.inner_text()
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
    _continue(page)

    assert page.locator("input[name=method][value=cash_at_pickup]").count() == 0
    page.get_by_role("radio", name=re.compile("Bank transfer by VietQR")).check()
    screenshot(page, "checkout-b-3-payment")
    assert ward_name in page.locator(".review-facts").inner_text()
    total = _place(page, "checkout-b")
    number = ORDER_NUMBER.search(page.url).group(0)
    transfer = page.locator("section.transfer")
    assert transfer.is_visible()
    assert transfer.locator("svg").first.is_visible()
    facts = transfer.locator("dl.facts")
    amount = facts.locator(".transfer-amount").inner_text().strip()
    assert amount == total
    assert number in facts.locator("dt:text-is('Transfer note') + dd").inner_text()
    assert ward_name in page.locator("section[aria-labelledby=h-where]").inner_text()
    screenshot(page, "checkout-b-5-order")

    _desktop_screenshot(page, "checkout-b-5-order-1280")


def _cart_with_one_item(page, live_server):
    page.goto(live_server + "/search?q=mien+dong")
    page.locator("article.product-card h3").first.click()
    page.wait_for_url("**/products/**")
    page.locator("form.add-to-cart button[type=submit]").click()
    page.locator("#added .added-ok").wait_for()


def test_checkout_errors_show_next_to_their_fields_in_vietnamese(live_server, page_at):
    page = page_at(PHONE, "vi-VN")
    _cart_with_one_item(page, live_server)

    page.goto(live_server + "/checkout")
    page.locator("form.form-card button[type=submit]").click()
    page.wait_for_load_state()
    # Name, phone, and pickup without a sales point: each says so where it is asked (the e-mail is optional).
    assert page.locator(".field.has-error .field-error").count() == 3
    assert page.locator(".has-error input[name=email]").count() == 0
    page.locator("input[name=name]").fill("Trần Văn Hùng")
    page.locator("input[name=phone]").fill("12345")
    page.locator("input[name=data_consent]").check()
    page.locator("form.form-card button[type=submit]").click()
    page.wait_for_load_state()
    errors = page.locator(".field.has-error")
    assert errors.count() == 2 and errors.locator("input[name=phone]").count() == 1
    assert page.url.endswith("/checkout")
    assert page.locator("#pickup.has-error .field-error").is_visible()
    assert page.locator("#delivery").is_hidden()  # only the chosen way's fields show
    check_page(page)
    screenshot(page, "checkout-errors-1-contact")

    page.locator("input[name=phone]").fill("0912 345 678")
    page.locator("#pickup label.choice-point input").first.check()
    page.locator("form.form-card button[type=submit]").click()
    page.wait_for_url("**/checkout/confirm")
    check_page(page)
    screenshot(page, "checkout-errors-2-delivery")


def test_delivery_without_a_street_stays_on_the_step(live_server, page_at):
    page = page_at(PHONE, "en-US")
    _cart_with_one_item(page, live_server)
    page.goto(live_server + "/checkout")
    page.get_by_label("Full name").fill("Trần Văn Hùng")
    page.get_by_label("Mobile phone").fill("0912 345 678")
    page.get_by_role("radio", name="Delivery to an address").check()
    wards = page.get_by_label("Ward or commune in Quảng Ninh")
    wards.select_option(wards.locator("option").nth(1).get_attribute("value"))
    page.get_by_role("checkbox", name=re.compile("I agree that my name")).check()
    page.get_by_role("button", name="Continue to payment").click()
    page.wait_for_load_state()
    assert page.url.endswith("/checkout")
    assert page.locator(".has-error input[name=address_line]").is_visible()
    screenshot(page, "checkout-errors-3-no-street")
