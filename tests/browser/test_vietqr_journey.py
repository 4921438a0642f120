"""On a 360 px phone: copy the transfer's values, save the QR as a picture, and see the page update once paid."""
from __future__ import annotations

import threading

import pytest
from PIL import Image
from werkzeug.serving import make_server

from shop.auth.models import Role
from shop.extensions import db
from shop.orders.payment import PaymentMethod
from shop.payments.transfers import record_transfer
from shop.static_files import wrap_with_whitenoise
from tests.browser.conftest import DESKTOP, PHONE, check_page, screenshot

pytestmark = pytest.mark.browser


@pytest.fixture
def transfer_shop(app, make_order, make_user):
    """A VietQR order waiting for its transfer, served live; the page asks every second."""
    app.config["ORDER_PAGE_REFRESH_SECONDS"] = 1
    order = make_order(payment=PaymentMethod.VIETQR_TRANSFER, quantity=3)
    office = make_user(email="office@example.vn", role=Role.ADMIN)
    data = {"id": order.id, "number": order.number, "token": order.access_token, "total": order.total_vnd,
            "office": office}
    server = make_server("127.0.0.1", 0, wrap_with_whitenoise(app), threaded=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield {"url": f"http://127.0.0.1:{server.server_port}", **data}
    server.shutdown()
    app.config["ORDER_PAGE_REFRESH_SECONDS"] = 10


def test_a_phone_buyer_copies_the_amount_saves_the_qr_and_sees_the_order_confirmed(page_at, transfer_shop, tmp_path):
    base, number = transfer_shop["url"], transfer_shop["number"]
    page = page_at(PHONE, "en-US")
    page.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=base)
    page.goto(f"{base}/orders/{number}?t={transfer_shop['token']}&lang=en")

    transfer = page.locator("section.transfer")
    save = transfer.get_by_role("link", name="Save QR image")
    assert save.is_visible() and save.bounding_box()["y"] < 780 * 2  # within the second screen at most
    check_page(page)
    screenshot(page, "order-vietqr-phone-360")

    transfer.get_by_role("button", name="Copy amount").click()
    assert page.evaluate("navigator.clipboard.readText()") == str(transfer_shop["total"])
    assert transfer.get_by_role("button", name="Copy amount").inner_text() == "Copied"
    transfer.get_by_role("button", name="Copy transfer note").click()
    assert page.evaluate("navigator.clipboard.readText()") == f"{number} OCOP"
    account = transfer.locator("code.nowrap").first
    assert account.bounding_box()["height"] < 30  # one line: the number never wraps

    with page.expect_download() as download:
        save.click()
    saved = tmp_path / "qr.png"
    download.value.save_as(saved)
    assert download.value.suggested_filename == f"vietqr-{number}.png"
    assert Image.open(saved).format == "PNG"

    desktop = page.context.new_page()
    desktop.set_viewport_size(DESKTOP)
    desktop.goto(page.url)
    check_page(desktop)
    screenshot(desktop, "order-vietqr-desktop")
    desktop.close()

    record_transfer(transfer_shop["id"], transfer_shop["total"], "FT2612345", transfer_shop["office"])
    db.session.remove()
    page.wait_for_selector("section.transfer", state="detached", timeout=15_000)
    assert page.locator("h1").inner_text() != "Awaiting payment"
