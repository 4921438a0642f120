"""The points page on a 360 px phone: an offline map, the points grouped by town, and "Gần tôi" sorting them by
the distance from a fixed fake position, computed in the browser."""
from __future__ import annotations

import math

import pytest

from shop.demo.rows import SALES_POINTS
from tests.browser.conftest import DESKTOP, PHONE, check_page, screenshot

pytestmark = pytest.mark.browser
TRA_CO_BEACH = {"latitude": 21.46, "longitude": 108.03}


def km(lat1, lng1, lat2, lng2) -> float:
    dlat, dlng = math.radians(lat2 - lat1), math.radians(lng2 - lng1)
    a = math.sin(dlat / 2) ** 2 + math.cos(math.radians(lat1)) * math.cos(math.radians(lat2)) * math.sin(dlng / 2) ** 2
    return 2 * 6371.0088 * math.asin(math.sqrt(a))


@pytest.fixture
def phone_here(browser):
    context = browser.new_context(viewport=PHONE, locale="vi-VN", geolocation=TRA_CO_BEACH,
                                  permissions=["geolocation"])
    yield context.new_page()
    context.close()


def test_near_me_sorts_the_points_by_distance_from_the_visitor(phone_here, live_server):
    page = phone_here
    page.goto(f"{live_server}/sales-points?lang=vi")
    names = page.locator("[data-town-group] .point-row-name")
    assert names.count() == len(SALES_POINTS)
    grouped = names.all_inner_texts()
    assert page.locator("[data-town-group] h2").first.inner_text().startswith("Ba Chẽ")
    assert page.locator("svg a.map-dot").count() == len(SALES_POINTS)
    check_page(page)
    screenshot(page, "points-by-town-phone")

    page.get_by_role("button", name="Gần tôi").click()
    page.locator(".points-by-distance .point-row").first.wait_for()
    nearest = sorted(SALES_POINTS, key=lambda r: km(TRA_CO_BEACH["latitude"], TRA_CO_BEACH["longitude"], r.lat, r.lng))
    shown = page.locator(".points-by-distance .point-row-name").all_inner_texts()
    assert shown == [row.short or row.place for row in nearest]
    first = km(TRA_CO_BEACH["latitude"], TRA_CO_BEACH["longitude"], nearest[0].lat, nearest[0].lng)
    distance = page.locator(".points-by-distance .point-row .distance").first.inner_text()
    assert distance == f"{first:.1f} km".replace(".", ",")  # "2,3 km" in Vietnamese
    assert "Đã xếp theo khoảng cách" in page.locator("[data-near-me-status]").inner_text()
    assert page.locator("[data-town-group]:visible").count() == 0
    check_page(page)
    screenshot(page, "points-near-me-phone")

    page.get_by_role("button", name="Theo địa phương").click()
    assert page.locator("[data-town-group] .point-row-name").all_inner_texts() == grouped
    page.set_viewport_size(DESKTOP)
    screenshot(page, "points-by-town-desktop")


def test_without_permission_the_points_stay_grouped_by_town(browser, live_server):
    context = browser.new_context(viewport=PHONE, locale="vi-VN")  # no geolocation permission
    page = context.new_page()
    page.goto(f"{live_server}/sales-points?lang=vi")
    before = page.locator(".point-row-name").all_inner_texts()
    page.get_by_role("button", name="Gần tôi").click()
    page.get_by_text("Không lấy được vị trí của bạn").wait_for()
    assert page.locator(".point-row-name").all_inner_texts() == before
    context.close()
