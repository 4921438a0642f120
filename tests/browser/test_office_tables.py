"""The office's tables on a phone: each row becomes a card, so no page scrolls sideways at 360 or 390 px."""
from __future__ import annotations

import datetime as dt
import re
import threading

import pytest
from werkzeug.serving import make_server

from shop.account.cancelling import cancel_by_customer
from shop.extensions import db
from shop.payments import card_attempts, transfers
from shop.payments.bank import IncomingLine, receive
from shop.payments.bank_refunds import save_details
from shop.static_files import wrap_with_whitenoise
from tests.browser.conftest import DESKTOP, screenshot
from tests.conftest import PASSWORD
from tests.fakes.stripe_fixtures import (card_order, fake_stripe_server, live_shop, post_event,  # noqa: F401
                                         stripe_on)  # (fixtures)
from tests.readback import fresh_order

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}
SMALL_PHONE = {"width": 360, "height": 780}
OFFICE_EMAIL = "vanphong@ocop-quangninh.example"
#: Each office page, and how many tables (each with rows) it shows with the fixture below.
PAGES = {"orders": ("/admin/orders", 1), "transfers": ("/admin/transfers", 1),
         "refunds-owed": ("/admin/refunds-owed", 1), "bank-unmatched": ("/admin/bank/unmatched", 1),
         "bank-import": ("/admin/bank/import", 0), "payments": ("/admin/payments", 1),
         "money": ("/admin/money", 1), "certificates": ("/admin/certificates", 1), "home": ("/admin/", 0),
         "rates": ("/admin/rates", 0), "review": ("/admin/products/review", 0), "invite": ("/admin/users/invite", 0)}

MEASURE = """() => ({
  page: document.documentElement.scrollWidth,
  wide: [...document.querySelectorAll('main table')].filter(
      t => t.getBoundingClientRect().right > window.innerWidth + 1 || t.scrollWidth > t.clientWidth + 1
           || (t.parentElement.scrollWidth > t.parentElement.clientWidth + 1)).length,
  rows: document.querySelectorAll('main table tbody tr').length,
  tables: document.querySelectorAll('main table').length,
})"""


@pytest.fixture
def office_with_money(app, two_producers_and_two_points, make_order, make_user, card_order, stripe_on,
                      post_event):
    """Lan's and Minh's orders, one awaiting its VietQR transfer, a transfer and a card payment each received
    then cancelled (refunds owed, money in the books; the transfer's customer gave their bank details), a bank
    line naming no order, a certificate ending next month; served live."""
    from shop.auth.models import Role
    from shop.orders.payment import PaymentMethod

    state = two_producers_and_two_points
    make_order((state.noodles, 2), (state.squid, 1), point=state.p, email="lan@example.vn")
    make_order((state.squid, 1), delivery=True, email="minh@example.vn")
    make_order((state.noodles, 1), point=state.q, email="hoa.nguyen@example.vn",
               payment=PaymentMethod.VIETQR_TRANSFER)
    office = make_user(email=OFFICE_EMAIL, role=Role.ADMIN, name="Đặng Thị Hoa")
    transferred = make_order((state.squid, 1), point=state.p, email="tuan@example.vn",
                             payment=PaymentMethod.VIETQR_TRANSFER)
    with app.test_request_context():
        transfers.record_transfer(transferred.id, transferred.total_vnd, "FT26338123456", office)
    cancel_by_customer(transferred.id)
    save_details(transferred.id, "970418", "12345678901", "NGUYEN VAN TUAN")
    receive(IncomingLine(bank_code="webhook", transaction_id="FT26338999001", amount_vnd=1_234_000,
                         content="MBVCB.5541.chuyen tien hang thang 12 cho co so 0987654321",
                         booked_at=dt.datetime.now(dt.UTC)))
    paid = card_order(quantity=2, price=125_000)
    with db.session.no_autoflush:
        card_attempts.start_card_payment(paid.id)
    paid = fresh_order(paid.id)
    assert post_event(stripe_on.complete(paid.payment.provider_reference, deliver=False)).json["outcome"] == "paid"
    cancel_by_customer(paid.id)
    product = state.noodles.product
    product.ocop_certificate_no = "1234/QĐ-UBND"
    product.ocop_expires_on = dt.date.today() + dt.timedelta(days=30)
    db.session.commit()
    card_number = paid.number
    db.session.remove()
    server = make_server("127.0.0.1", 0, wrap_with_whitenoise(app), threaded=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_port}", card_number
    server.shutdown()


def test_no_office_page_scrolls_sideways_on_a_phone_and_tables_stay_tables_on_a_desktop(page_at,
                                                                                       office_with_money):
    base, card_number = office_with_money
    pages = {**PAGES, "refund": (f"/admin/orders/{card_number}/refund", 0)}
    page = page_at(SMALL_PHONE, locale="vi-VN")
    page.goto(f"{base}/login?next=/admin/")
    page.fill("input[name=email]", OFFICE_EMAIL)
    page.fill("input[name=password]", PASSWORD)
    page.locator("main button[type=submit]").click()
    page.wait_for_url(re.compile(r"/admin/(\?.*)?$"))
    for name, (path, tables) in pages.items():
        page.set_viewport_size(SMALL_PHONE)
        page.goto(f"{base}{path}")
        seen = page.evaluate(MEASURE)
        assert seen["tables"] == tables and seen["rows"] >= tables, (name, seen)
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), (name, seen)
        assert seen["wide"] == 0, (name, seen)
        for size, label in ((PHONE, "phone"), (DESKTOP, "desktop")):
            page.set_viewport_size(size)
            assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), (name, label)
            screenshot(page, f"office-table-{name}-{label}")
        # On a desktop the headings are back and the rows are rows again.
        if tables:
            assert page.locator("main table thead").first.is_visible(), name
