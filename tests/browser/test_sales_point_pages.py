"""The office's sales point pages and a closed point seen by a customer, at 360 px and on a desktop."""
from __future__ import annotations

import datetime as dt
import re
import threading

import pytest
from werkzeug.serving import make_server

from shop.clock import today
from shop.extensions import db
from shop.sales_points.models import Closure
from shop.static_files import wrap_with_whitenoise
from tests.browser.conftest import DESKTOP, PHONE, check_page, screenshot
from tests.conftest import PASSWORD

pytestmark = pytest.mark.browser
OFFICE_EMAIL = "vanphong@ocop-quangninh.example"


@pytest.fixture
def office_and_points(app, two_producers_and_two_points, order_with_two_parcels_for_point, make_user):
    """Points P (Lan's order waits there; closed for three days from today) and Q; served live."""
    from shop.auth.models import Role

    state = two_producers_and_two_points
    db.session.add(Closure(sales_point=state.p, starts_on=today(), ends_on=today() + dt.timedelta(days=3),
                           reason="Sửa chữa mái nhà"))
    db.session.add(Closure(sales_point=state.q, starts_on=today() + dt.timedelta(days=20),
                           ends_on=today() + dt.timedelta(days=22), reason="Kiểm kê cuối năm"))
    make_user(email=OFFICE_EMAIL, role=Role.ADMIN, name="Đặng Thị Hoa")
    db.session.commit()
    ids = state.p.id, state.q.id
    db.session.remove()
    server = make_server("127.0.0.1", 0, wrap_with_whitenoise(app), threaded=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_port}", ids
    server.shutdown()


def test_points_pages_fit_a_phone_have_no_serious_axe_violation_and_a_closure_shows(page_at, office_and_points):
    base, (p, q) = office_and_points
    page = page_at(PHONE, locale="vi-VN")
    for path, name in (("/sales-points/HL07", "point-closed-public"), ("/sales-points/UB02", "point-closure-ahead")):
        page.goto(f"{base}{path}")
        check_page(page)
        for size, label in ((PHONE, "phone"), (DESKTOP, "desktop")):
            page.set_viewport_size(size)
            screenshot(page, f"{name}-{label}")
        page.set_viewport_size(PHONE)
    assert "Đóng cửa đến" in page.goto(f"{base}/sales-points/HL07").text()

    page.goto(f"{base}/login?next=/admin/points")
    page.fill("input[name=email]", OFFICE_EMAIL)
    page.fill("input[name=password]", PASSWORD)
    page.locator("main button[type=submit]").click()
    page.wait_for_url(re.compile(r"/admin/points$"))
    for path, name in (("/admin/points", "office-points"), (f"/admin/points/{p}", "office-point-edit")):
        page.goto(f"{base}{path}")
        check_page(page)
        for size, label in ((PHONE, "phone"), (DESKTOP, "desktop")):
            page.set_viewport_size(size)
            assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), (name, label)
            screenshot(page, f"{name}-{label}")
        page.set_viewport_size(PHONE)

    # The office tries to close P for good: refused, with Lan's order listed.
    page.goto(f"{base}/admin/points/{p}")
    page.get_by_role("button", name="Ngừng hoạt động điểm này").click()
    assert page.locator("#h-blocking").is_visible()
    check_page(page)
    screenshot(page, "office-point-refused-phone")
