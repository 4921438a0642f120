"""The customer's order page asks where to send a refund owed: usable on a 360 px phone, and it saves."""
from __future__ import annotations

import threading

import pytest
from werkzeug.serving import make_server

from shop.account.cancelling import cancel_by_customer
from shop.extensions import db
from shop.payments.models import RefundBankDetails
from shop.static_files import wrap_with_whitenoise
from tests.browser.conftest import DESKTOP, check_page, screenshot

pytestmark = pytest.mark.browser

SMALL_PHONE = {"width": 360, "height": 780}


@pytest.fixture
def owed_order(app, paid_transfer_order):
    cancel_by_customer(paid_transfer_order.id)
    url = f"/orders/{paid_transfer_order.number}?t={paid_transfer_order.access_token}"
    db.session.remove()
    server = make_server("127.0.0.1", 0, wrap_with_whitenoise(app), threaded=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_port}{url}"
    server.shutdown()


def test_a_customer_gives_their_bank_details_for_a_refund_on_a_phone(page_at, owed_order):
    page = page_at(SMALL_PHONE, locale="vi-VN")
    page.goto(owed_order)
    assert page.locator("#h-refund").is_visible()
    check_page(page)
    screenshot(page, "refund-details-phone")
    page.select_option("#refund-bank", "970436")
    page.fill("#refund-account", "0011 0012 3456")
    page.fill("#refund-holder", "Nguyễn Thị Lan")
    page.locator(".refund-form button[type=submit]").click()
    page.wait_for_selector(".refund-details")
    assert "Vietcombank" in page.locator(".refund-details").inner_text()
    check_page(page)
    screenshot(page, "refund-details-saved-phone")
    page.set_viewport_size(DESKTOP)
    screenshot(page, "refund-details-desktop")
    db.session.expire_all()
    assert db.session.scalar(db.select(RefundBankDetails.account_number)) == "001100123456"
