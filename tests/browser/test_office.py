"""The OCOP office in a browser: today's numbers, finding an order by phone, acting for a producer."""
from __future__ import annotations

import re
import threading

import pytest
from werkzeug.serving import make_server

from shop.extensions import db
from shop.static_files import wrap_with_whitenoise
from tests.browser.conftest import DESKTOP, check_page, screenshot
from tests.conftest import PASSWORD

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}
SMALL_PHONE = {"width": 360, "height": 780}
OFFICE_EMAIL = "vanphong@ocop-quangninh.example"


@pytest.fixture
def office_shop(app, two_producers_and_two_points, make_order, make_user):
    """Point P with Lan's order from two producers, and an office user; served live from the test's database."""
    from shop.auth.models import Role

    state = two_producers_and_two_points
    order = make_order((state.noodles, 2), (state.squid, 1), point=state.p, email="lan@example.vn")
    make_order((state.squid, 1), delivery=True, email="minh@example.vn")
    make_user(email=OFFICE_EMAIL, role=Role.ADMIN, name="Đặng Thị Hoa")
    db.session.commit()
    data = {"number": order.number, "part": order.parts[0].id, "producer": order.parts[0].producer_name}
    db.session.remove()
    server = make_server("127.0.0.1", 0, wrap_with_whitenoise(app), threaded=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield {"url": f"http://127.0.0.1:{server.server_port}", **data}
    server.shutdown()


def _at_sizes(page, name: str) -> None:
    """Check and photograph the page on a desktop and on two phone sizes."""
    for size, label in ((DESKTOP, "desktop"), (PHONE, "phone"), (SMALL_PHONE, "phone-360")):
        page.set_viewport_size(size)
        check_page(page)
        screenshot(page, f"office-{name}-{label}")


def test_the_office_finds_an_order_by_phone_and_accepts_a_part_for_its_producer(page_at, office_shop):
    base, number, part = office_shop["url"], office_shop["number"], office_shop["part"]
    page = page_at(DESKTOP, locale="en-GB")

    page.goto(f"{base}/admin/?lang=en")
    page.wait_for_url("**/login?**")
    page.fill("input[name=email]", OFFICE_EMAIL)
    page.fill("input[name=password]", PASSWORD)
    page.locator("main button[type=submit]").click()
    page.wait_for_url(re.compile(r"/admin/(\?.*)?$"))
    assert page.locator(".office-name").inner_text() == "OCOP office"
    assert page.locator(".ws-nav a[aria-current=page]").get_attribute("href") == "/admin/"
    assert page.locator(".ws-counts li").count() == 9
    _at_sizes(page, "home")

    page.set_viewport_size(PHONE)
    page.fill("#home-q", "0912 345 678")
    page.locator("form.office-search button").click()
    page.wait_for_url("**/admin/orders?q=*")
    assert page.locator(".office-orders tbody tr").count() == 1
    assert page.locator(".ws-nav a[aria-current=page]").get_attribute("href") == "/admin/orders"
    _at_sizes(page, "orders-search")

    page.locator(f"a:has-text('{number}')").click()
    page.wait_for_url(f"**/admin/orders/{number}")
    card = page.locator(f"#part-{part}")
    card.get_by_role("button", name="Accept for the producer").click()
    page.wait_for_url(f"**/admin/orders/{number}")
    assert "the timeline names you and the producer" in page.locator("p.notice[role=status]").inner_text()
    first = page.locator(".timeline li").first.inner_text()
    assert f"(by the OCOP office for {office_shop['producer']})" in first and OFFICE_EMAIL in first
    _at_sizes(page, "order")


def _inside_the_screen(link) -> bool:
    box = link.bounding_box()
    return box is not None and box["x"] >= 0 and box["x"] + box["width"] <= SMALL_PHONE["width"]


def test_the_office_menu_takes_two_lines_on_a_small_phone_and_every_entry_opens_from_its_group(page_at, office_shop):
    page = page_at(SMALL_PHONE, locale="vi-VN")
    page.goto(f"{office_shop['url']}/login?next=/admin/")
    page.fill("input[name=email]", OFFICE_EMAIL)
    page.fill("input[name=password]", PASSWORD)
    page.locator("main button[type=submit]").click()
    page.wait_for_url(re.compile(r"/admin/(\?.*)?$"))

    assert page.locator(".office-menu").bounding_box()["height"] <= 100  # one or two lines of groups, not ~350 px
    reached = {link.get_attribute("href") for link in page.locator(".office-nav > a").all() if _inside_the_screen(link)}
    for summary in page.locator(".office-nav summary").all():
        summary.click()  # opening a group closes the one open before
        links = page.locator(".office-nav details[open] a").all()
        assert links and all(_inside_the_screen(link) for link in links)
        reached |= {link.get_attribute("href") for link in links}
    check_page(page)
    assert reached == {link.get_attribute("href") for link in page.locator(".ws-nav a").all()}
    assert len(reached) >= 19
