"""A Korean visitor sends tea home: the honey in the cart is refused with its reason, the rest goes to Seoul."""
import re

import pytest

from tests.browser.conftest import PHONE, check_page, screenshot

pytestmark = pytest.mark.browser


def _add(page, live_server, query):
    box = page.get_by_role("searchbox").first
    box.fill(query)
    box.press("Enter")
    page.wait_for_url("**/search?q=*")
    page.locator("article.product-card h3").first.click()
    page.wait_for_url("**/products/**")
    name = page.locator("h1").inner_text().strip()
    form = page.locator("form.add-to-cart")
    form.locator("input[name=quantity]").fill("1")
    form.get_by_role("button").click()
    page.locator("#added .added-ok").wait_for()  # added without a reload
    return name


def _address_abroad(page):
    page.get_by_role("radio", name="Delivery to an address").check()
    page.get_by_label("Country").select_option("KR")
    abroad = page.locator("#address-abroad")
    abroad.get_by_label("Address line 1").fill("12 Sejong-daero")
    abroad.get_by_label("City or town").fill("Seoul")
    abroad.get_by_label("Postal code").fill("03154")
    abroad.get_by_label("Recipient's phone").fill("010-1234-5678")


def test_a_visitor_sends_tea_to_korea_after_the_honey_is_refused(live_server, page_at):
    page = page_at(PHONE, "en-US")
    page.goto(live_server + "/?lang=en")
    tea = _add(page, live_server, "tra hoa vang")
    honey = _add(page, live_server, "mat ong rung")

    page.goto(live_server + "/checkout")
    page.get_by_label("Full name").fill("Kim Min-jun")
    page.get_by_label("Email (optional)").fill("minjun@example.kr")
    page.get_by_label("Mobile phone").fill("+82 10 9876 5432")

    # Only the chosen country's address form shows.
    page.get_by_role("radio", name="Delivery to an address").check()
    assert page.locator("#address-vn").is_visible() and not page.locator("#address-abroad").is_visible()
    assert page.locator(".address-help").is_visible()  # how Vietnamese addresses work, for a foreigner
    _address_abroad(page)
    assert not page.locator("#address-vn").is_visible() and page.locator("#address-abroad").is_visible()
    warning = page.locator("#not-abroad")
    assert warning.is_visible() and honey in warning.inner_text() and tea not in warning.inner_text()
    check_page(page)
    screenshot(page, "checkout-abroad-1-delivery")
    page.get_by_role("checkbox", name=re.compile("I agree that my name")).check()
    page.get_by_role("button", name="Continue to payment").click()
    page.wait_for_load_state()
    assert page.url.endswith("/checkout")
    assert "cannot be sent abroad" in page.locator(".has-error .field-error").first.inner_text()

    page.goto(live_server + "/cart")
    page.get_by_role("button", name=re.compile(f"Remove {re.escape(honey)}")).click()
    page.wait_for_load_state()
    page.goto(live_server + "/checkout")
    _address_abroad(page)
    page.get_by_role("checkbox", name=re.compile("I agree that my name")).check()
    page.get_by_role("button", name="Continue to payment").click()

    page.wait_for_url("**/checkout/confirm")
    assert page.locator("input[name=method][value=cod]").count() == 0
    page.get_by_role("radio", name=re.compile("Bank transfer by VietQR")).check()
    check_page(page)
    assert "Seoul 03154" in page.locator(".review-facts").inner_text()
    assert "South Korea" in page.locator(".review-facts").inner_text()
    screenshot(page, "checkout-abroad-2-review")
    page.get_by_role("button", name=re.compile("Place order")).click()
    page.wait_for_url("**/orders/**")
    where = page.locator("section[aria-labelledby=h-where]").inner_text()
    assert "12 Sejong-daero" in where and "South Korea" in where and "+82 10-1234-5678" in where
