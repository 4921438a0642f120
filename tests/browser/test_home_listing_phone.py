"""Home and listing on a 360 × 640 phone: a product on the first screen, filters as a sheet with chips that remove
them, filters and sort applied as soon as they change."""
from __future__ import annotations

import re

import pytest

from tests.browser.conftest import DESKTOP, check_page, screenshot

pytestmark = pytest.mark.browser
SMALL_PHONE = {"width": 360, "height": 640}


def first_screen_shows_a_product(page) -> bool:
    box = page.locator(".product-card").first.bounding_box()
    return box is not None and box["y"] + 100 <= SMALL_PHONE["height"]


def chips(page) -> list[str]:
    """The active filters' chips as a screen reader says them (the × mark is hidden from it)."""
    return [" ".join(re.sub(r"×\s*$", "", text).split())
            for text in page.locator("ul.filter-chips a.filter-chip").all_inner_texts()]


def count(page) -> int:
    return int(re.match(r"\d+", page.locator(".results-bar .count").inner_text()).group(0))


def test_the_home_page_shows_a_product_on_the_first_phone_screen(page_at, live_server):
    page = page_at(SMALL_PHONE)
    page.goto(f"{live_server}/?lang=vi")
    assert first_screen_shows_a_product(page)
    check_page(page)
    screenshot(page, "home-phone")
    page.set_viewport_size(DESKTOP)
    screenshot(page, "home-desktop")


def test_a_chip_removes_its_filter_and_results_start_on_the_first_screen(page_at, live_server):
    page = page_at(SMALL_PHONE)
    page.goto(f"{live_server}/products?lang=vi&stars=4&cert=vietgap")
    assert chips(page) == ["Bỏ lọc: 4 sao", "Bỏ lọc: VietGAP"]
    both = count(page)
    assert first_screen_shows_a_product(page)
    check_page(page)
    screenshot(page, "listing-chips-phone")

    page.get_by_role("link", name="Bỏ lọc: 4 sao").click()
    page.wait_for_url(lambda url: "stars=" not in url)
    assert "cert=vietgap" in page.url
    assert chips(page) == ["Bỏ lọc: VietGAP"]
    assert count(page) > both

    page.get_by_role("link", name="Bỏ lọc: VietGAP").click()
    page.wait_for_url(lambda url: "cert=" not in url)
    assert page.locator("ul.filter-chips").count() == 0


def test_filters_open_as_a_sheet_and_apply_on_change_and_sort_needs_no_button(page_at, live_server):
    page = page_at(SMALL_PHONE)
    page.goto(f"{live_server}/products?lang=vi")
    everything = count(page)
    assert page.get_by_role("button", name="Sắp xếp").count() == 0  # JavaScript applies the sort on change
    assert not page.locator(".filter-form button[type=submit]").is_visible()

    page.locator("details.filters > summary").click()
    sheet = page.locator("details.filters").bounding_box()
    assert sheet["y"] + sheet["height"] >= SMALL_PHONE["height"] - 1  # docked at the bottom of the screen
    check_page(page)
    screenshot(page, "listing-filter-sheet-phone")
    page.get_by_role("checkbox", name="5 sao", exact=True).check()
    page.wait_for_url(lambda url: "stars=5" in url)
    assert 0 < count(page) < everything
    assert first_screen_shows_a_product(page)

    page.select_option("#sort", "price_asc")
    page.wait_for_url(lambda url: "sort=price_asc" in url)
    assert "stars=5" in page.url
    prices = [int(re.sub(r"\D", "", p)) for p in page.locator(".product-card .price").all_inner_texts()]
    assert prices == sorted(prices)
    page.set_viewport_size(DESKTOP)
    screenshot(page, "listing-filtered-desktop")


def test_without_javascript_the_buttons_apply_filters_and_sort(browser, live_server):
    context = browser.new_context(viewport=SMALL_PHONE, locale="vi-VN", java_script_enabled=False)
    page = context.new_page()
    page.goto(f"{live_server}/products?lang=vi")
    page.locator("details.filters > summary").click()
    page.get_by_role("checkbox", name="5 sao", exact=True).check()
    page.get_by_role("button", name="Áp dụng").click()
    page.wait_for_url(lambda url: "stars=5" in url)
    page.select_option("#sort", "price_desc")
    page.get_by_role("button", name="Sắp xếp").click()
    page.wait_for_url(lambda url: "sort=price_desc" in url and "stars=5" in url)
    assert chips(page) == ["Bỏ lọc: 5 sao"]
    context.close()
