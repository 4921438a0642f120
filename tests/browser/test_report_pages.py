"""The office's reports at 360 px and on a desktop: nothing scrolls sideways, the chart is an accessible SVG."""
from __future__ import annotations

import re
import threading

import pytest
from werkzeug.serving import make_server

from shop.extensions import db
from shop.orders.payment import PaymentMethod
from shop.static_files import wrap_with_whitenoise
from tests.browser.conftest import DESKTOP, PHONE, check_page, screenshot
from tests.conftest import PASSWORD

pytestmark = pytest.mark.browser
OFFICE_EMAIL = "vanphong@ocop-quangninh.example"


@pytest.fixture
def office_with_sales(app, two_producers_and_two_points, make_order, make_user):
    from shop.auth.models import Role

    state = two_producers_and_two_points
    make_order((state.noodles, 2), (state.squid, 1), point=state.p, email="lan@example.vn")
    make_order((state.squid, 3), delivery=True, email="minh@example.vn")
    make_order((state.noodles, 1), point=state.q, email="hoa@example.vn", payment=PaymentMethod.VIETQR_TRANSFER)
    make_user(email=OFFICE_EMAIL, role=Role.ADMIN, name="Đặng Thị Hoa")
    db.session.commit()
    db.session.remove()
    server = make_server("127.0.0.1", 0, wrap_with_whitenoise(app), threaded=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()


def test_reports_fit_a_phone_and_have_no_serious_axe_violation(page_at, office_with_sales):
    base = office_with_sales
    page = page_at(PHONE, locale="vi-VN")
    page.goto(f"{base}/login?next=/admin/reports")
    page.fill("input[name=email]", OFFICE_EMAIL)
    page.fill("input[name=password]", PASSWORD)
    page.locator("main button[type=submit]").click()
    page.wait_for_url(re.compile(r"/admin/reports/producers"))
    for kind in ("producers", "points", "pickup-delivery", "response-times"):
        page.set_viewport_size(PHONE)
        page.goto(f"{base}/admin/reports/{kind}")
        check_page(page)
        assert page.locator("svg[role=img] title").count() == 1
        for size, label in ((PHONE, "phone"), (DESKTOP, "desktop")):
            page.set_viewport_size(size)
            assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), (kind, label)
            screenshot(page, f"office-report-{kind}-{label}")
