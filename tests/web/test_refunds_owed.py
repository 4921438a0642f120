"""Refunds owed on transfer orders: the customer is asked by e-mail where to send the money, says so on the order
page, and the office pays it (a VietQR of the customer's account) and records it once, never for more than owed."""
from __future__ import annotations

import re

import pytest
from sqlalchemy import func, select

from shop.audit.models import AuditEntry
from shop.auth.models import Role
from shop.extensions import db
from shop.ledger.check import check_books
from shop.ledger.models import Account
from shop.notifications.models import OutboxMessage
from shop.notifications.rendering import render
from shop.orders.models import Order
from shop.payments.models import Refund, RefundBankDetails
from tests.conftest import PASSWORD
from tests.web.helpers import alerts, csrf_token, notices


@pytest.fixture
def cancelled(client, paid_transfer_order):
    """The customer (a guest, khach@example.vn) cancelled the paid 250.000 ₫ transfer order from its token link."""
    order = paid_transfer_order
    url = f"/orders/{order.number}?t={order.access_token}&lang=en"
    token = csrf_token(client, url)
    client.post(f"/orders/{order.number}/cancel", data={"csrf_token": token, "t": order.access_token})
    db.session.expire_all()
    return db.session.get(Order, order.id)


def balance(code: str) -> int:
    db.session.expire_all()
    return db.session.scalar(select(Account.balance_vnd).where(Account.code == code)) or 0


def _text(html: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def save_details(client, order, **form):
    url = f"/orders/{order.number}?t={order.access_token}&lang=en"
    data = {"csrf_token": csrf_token(client, url), "t": order.access_token, "bank_bin": "970418",
            "account_number": "1234 5678 901", "holder": "TRAN THI KHACH", **form}
    return client.post(f"/orders/{order.number}/refund-details", data=data, follow_redirects=True)


def test_the_customer_is_asked_by_email_where_to_send_the_refund_and_says_so_on_the_order_page(client, cancelled):
    order = cancelled
    mail = db.session.scalar(select(OutboxMessage).where(OutboxMessage.kind == "refund_owed"))
    assert mail.recipient == "khach@example.vn" and mail.payload["amount_vnd"] == 250_000
    text = render(mail).get_body(("plain",)).get_content()
    assert f"t={order.access_token}" in text and "250.000" in text

    page = client.get(f"/orders/{order.number}?t={order.access_token}&lang=en").get_data(as_text=True)
    assert "Where should we send your refund?" in page and 'name="bank_bin"' in page and "BIDV" in page

    page = save_details(client, order).get_data(as_text=True)

    assert "Thank you: the OCOP office will send your refund to this account." in " ".join(notices(page))
    assert "We will send it to: BIDV, account 12345678901 (TRAN THI KHACH)." in _text(page)
    details = db.session.scalar(select(RefundBankDetails))
    assert (details.bank_bin, details.account_number, details.holder) == ("970418", "12345678901", "TRAN THI KHACH")
    save_details(client, order, bank_bin="970436", holder="Trần Thị Khách")
    db.session.expire_all()
    assert db.session.scalar(select(func.count(RefundBankDetails.id))) == 1
    assert db.session.scalar(select(RefundBankDetails.bank_bin)) == "970436"


@pytest.mark.parametrize("change", [{"bank_bin": "999999"}, {"bank_bin": ""}, {"account_number": "12-34"},
                                    {"account_number": "12"}, {"account_number": "1" * 30}, {"holder": " "},
                                    {"holder": "A"}])
def test_bank_details_that_cannot_be_paid_to_are_refused(client, cancelled, change):
    page = save_details(client, cancelled, **change).get_data(as_text=True)
    assert any("Please choose your bank and enter the account number" in a for a in alerts(page))
    assert db.session.scalar(select(func.count(RefundBankDetails.id))) == 0


def test_no_bank_details_are_asked_while_nothing_is_owed(client, paid_transfer_order):
    order = paid_transfer_order
    page = client.get(f"/orders/{order.number}?t={order.access_token}&lang=en").get_data(as_text=True)
    assert "Where should we send your refund?" not in page
    page = save_details(client, order).get_data(as_text=True)
    assert any("No refund is owed on this order." in a for a in alerts(page))
    assert db.session.scalar(select(func.count(RefundBankDetails.id))) == 0


def test_another_visitor_cannot_give_bank_details_for_the_order(client, cancelled):
    token = csrf_token(client, "/login")
    response = client.post(f"/orders/{cancelled.number}/refund-details",
                           data={"csrf_token": token, "t": "wrong", "bank_bin": "970418", "account_number": "123456",
                                 "holder": "KE GIAN"})
    assert response.status_code == 404
    assert db.session.scalar(select(func.count(RefundBankDetails.id))) == 0


# ---- the office ------------------------------------------------------------------------------------

@pytest.fixture
def office(client, login, cancelled):
    save_details(client, cancelled)
    office = client.application.test_client()
    assert login(office, "office@example.vn", PASSWORD).status_code == 302
    office.set_cookie("lang", "en")
    office.order = cancelled
    return office


def record(client, order, **form):
    token = csrf_token(client, "/admin/refunds-owed")
    return client.post(f"/admin/refunds-owed/{order.number}", data={"csrf_token": token, **form},
                       follow_redirects=True)


def test_the_office_sees_whom_to_pay_back_how_much_why_and_a_vietqr_of_the_customers_account(office):
    page = office.get("/admin/refunds-owed").get_data(as_text=True)
    row = _text(re.search(r'<tr class="refund-owed">(.*?)</tr>', page, re.S).group(1))
    assert office.order.number in row and "Removed: Hộ Mạnh Hải" in row and "250,000 ₫" in row
    assert "khach@example.vn" in row and "BIDV" in row and "12345678901" in row and "TRAN THI KHACH" in row
    assert "<svg" in page and "VietQR for the refund" in page
    money = office.get("/admin/money").get_data(as_text=True)
    assert "Refunds owed: 1 (250,000" in _text(money) and "Transfers to review: 0" in _text(money)


def test_the_office_records_the_refund_sent_once_and_the_books_follow(office):
    order = office.order
    assert balance("bank") == 250_000 and balance("refunds_owed") == -250_000

    page = record(office, order, amount="250.000", reference="FT26339REF1").get_data(as_text=True)

    assert f"Refund of 250,000\u00a0₫ recorded for {order.number}; the customer is told." in " ".join(notices(page))
    assert "No refund is owed right now." in page
    assert balance("bank") == 0 and balance("refunds_owed") == 0 and check_books() == []
    refund = db.session.scalar(select(Refund))
    assert (refund.amount_vnd, refund.provider_reference, refund.reason) == (250_000, "FT26339REF1", "bank_transfer")
    mail = db.session.scalar(select(OutboxMessage).where(OutboxMessage.kind == "payment_refunded"))
    assert mail.recipient == "khach@example.vn" and mail.payload["amount_vnd"] == 250_000
    audit = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "order.refund_by_transfer"))
    assert audit.target_label == order.number and audit.after["reference"] == "FT26339REF1"

    again = record(office, order, amount="250000", reference="FT26339REF1").get_data(as_text=True)
    assert any("No refund is owed on this order." in a for a in alerts(again))
    assert db.session.scalar(select(func.count(Refund.id))) == 1 and balance("bank") == 0


@pytest.mark.parametrize("form, message", [
    ({"amount": "300.000", "reference": "FT1"}, "300,000 ₫ is more than the 250,000 ₫ owed on this order"),
    ({"amount": "0", "reference": "FT1"}, "Please enter the amount sent back"),
    ({"amount": "-5", "reference": "FT1"}, "Please enter the amount sent back"),
    ({"amount": "abc", "reference": "FT1"}, "Please enter the amount sent back"),
    ({"amount": "250000", "reference": ""}, "Please enter the bank's reference"),
    ({"amount": "250000", "reference": "<script>"}, "Please enter the bank's reference"),
])
def test_a_refund_that_is_wrong_is_refused_and_changes_nothing(office, form, message):
    page = record(office, office.order, **form).get_data(as_text=True)
    assert any(message.replace(" ₫", "\u00a0₫") in a for a in alerts(page)), alerts(page)
    assert db.session.scalar(select(func.count(Refund.id))) == 0
    assert balance("bank") == 250_000 and balance("refunds_owed") == -250_000


def test_a_partial_refund_leaves_the_rest_owed_and_its_reference_is_not_taken_twice(office):
    order = office.order
    record(office, order, amount="100.000", reference="FT-A")
    page = office.get("/admin/refunds-owed").get_data(as_text=True)
    assert "150,000" in _text(re.search(r'<tr class="refund-owed">(.*?)</tr>', page, re.S).group(1))
    page = record(office, order, amount="100.000", reference="ft-a").get_data(as_text=True)
    assert any("A refund with this bank reference is recorded already" in a for a in alerts(page))
    record(office, order, amount="150.000", reference="FT-B")
    assert balance("bank") == 0 and balance("refunds_owed") == 0 and check_books() == []
    assert db.session.scalar(select(func.count(Refund.id))) == 2


def test_an_unknown_order_is_not_found(office):
    token = csrf_token(office, "/admin/refunds-owed")
    assert office.post("/admin/refunds-owed/QN-0000-0000", data={"csrf_token": token, "amount": "1",
                                                                 "reference": "FT1"}).status_code == 404


@pytest.mark.parametrize("role", ["anonymous", "customer", "producer", "staff"])
def test_only_the_office_sees_or_records_refunds_owed(client, login, make_user, cancelled,
                                                      two_producers_and_two_points, role):
    world = two_producers_and_two_points
    user = {"customer": lambda: make_user(email="other@example.vn", role=Role.CUSTOMER),
            "producer": lambda: world.user_b, "staff": lambda: world.staff_p}.get(role, lambda: None)()
    db.session.commit()
    visitor = client.application.test_client()
    if user is not None:
        assert login(visitor, user.email, PASSWORD).status_code == 302
    expected = 302 if role == "anonymous" else 403
    assert visitor.get("/admin/refunds-owed").status_code == expected
    token = csrf_token(visitor, "/login" if user is None else "/sales-points")
    response = visitor.post(f"/admin/refunds-owed/{cancelled.number}",
                            data={"csrf_token": token, "amount": "250000", "reference": "FT1"})
    assert response.status_code == expected
    assert db.session.scalar(select(func.count(Refund.id))) == 0 and balance("bank") == 250_000


def test_recording_a_refund_without_the_csrf_token_is_refused(office):
    response = office.post(f"/admin/refunds-owed/{office.order.number}", data={"amount": "250000", "reference": "FT1"})
    assert response.status_code == 400 and db.session.scalar(select(func.count(Refund.id))) == 0
