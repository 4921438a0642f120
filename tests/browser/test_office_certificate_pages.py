"""The office records a renewed OCOP decision with its scan, on a phone and on a desktop."""
from __future__ import annotations

import datetime as dt
import re
import threading

import pytest
from werkzeug.serving import make_server

from shop.catalog import certificates as records
from shop.clock import today
from shop.extensions import db
from shop.static_files import wrap_with_whitenoise
from tests.browser.conftest import DESKTOP, check_page, screenshot
from tests.conftest import PASSWORD

pytestmark = pytest.mark.browser

SMALL_PHONE = {"width": 360, "height": 780}
OFFICE_EMAIL = "vanphong@ocop-quangninh.example"
PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


@pytest.fixture
def office_shop(app, two_producers_and_two_points, make_user, tmp_path):
    """Noodles with a 4★ decision of the province ending in 30 days; squid ended yesterday; served live."""
    from shop.auth.models import Role

    state = two_producers_and_two_points
    office = make_user(email=OFFICE_EMAIL, role=Role.ADMIN, name="Đặng Thị Hoa")
    db.session.commit()
    noodles = state.noodles.product
    with app.test_request_context():
        records.record_certificate(noodles.id, office, records.CertificateInput(
            stars=4, decision_no="1234/QĐ-UBND", decided_on=today() - dt.timedelta(days=3 * 365 - 31),
            issuer="Ủy ban nhân dân tỉnh Quảng Ninh", growing_area_code="VN-QNI-0042"), PDF)
    squid = state.squid.product
    squid.ocop_expires_on = today() - dt.timedelta(days=1)
    db.session.commit()
    product_id = noodles.id
    db.session.remove()
    scan = tmp_path / "quyet-dinh.pdf"
    scan.write_bytes(PDF)
    server = make_server("127.0.0.1", 0, wrap_with_whitenoise(app), threaded=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_port}", product_id, str(scan)
    server.shutdown()


def test_the_office_renews_a_certificate_with_its_scan_at_phone_and_desktop_sizes(page_at, office_shop):
    base, product_id, scan = office_shop
    page = page_at(SMALL_PHONE, locale="vi-VN")
    page.goto(f"{base}/login?next=/admin/certificates")
    page.fill("input[name=email]", OFFICE_EMAIL)
    page.fill("input[name=password]", PASSWORD)
    page.locator("main button[type=submit]").click()
    page.wait_for_url(re.compile(r"/admin/certificates"))
    assert "Miến dong Bình Liêu" in page.locator("main table").inner_text()
    check_page(page)
    screenshot(page, "office-certificates-phone")
    page.goto(f"{base}/admin/certificates?show=expired")
    assert "Chả mực Hạ Long" in page.locator("main table").inner_text()

    page.goto(f"{base}/admin/products/{product_id}/certificate")
    check_page(page)
    page.fill("#decision_no", "DEMO 88/QĐ-UBND")
    page.fill("#decided_on", (today() - dt.timedelta(days=2)).isoformat())
    page.fill("#issuer", "Ủy ban nhân dân tỉnh Quảng Ninh")
    page.set_input_files("#scan", scan)
    page.locator("form[enctype] button[type=submit]").click()
    page.wait_for_load_state()
    assert "Đã ghi nhận quyết định DEMO 88/QĐ-UBND." in page.locator("main").inner_text()
    rows = page.locator("main table tbody tr")
    assert rows.count() == 2 and "DEMO 88/QĐ-UBND" in rows.first.inner_text()
    check_page(page)
    screenshot(page, "office-certificate-phone")
    page.set_viewport_size(DESKTOP)
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    screenshot(page, "office-certificate-desktop")
    page.goto(f"{base}/admin/certificates")
    screenshot(page, "office-certificates-desktop")
