"""The office's money page: balances by account, in đồng, and the ledger check status; the office's only."""
from __future__ import annotations

from shop.auth.models import Role
from shop.extensions import db
from shop.ledger.models import JournalEntry, JournalLine
from tests.conftest import PASSWORD


def test_the_office_sees_who_holds_and_who_is_owed_what(client, login, make_user, paid_transfer_order):
    login(client, "office@example.vn", PASSWORD)
    page = client.get("/admin/money?lang=en").get_data(as_text=True)
    assert "The books balance" in page
    assert "Bank account" in page and "Payable to producer" in page and "Hộ Mạnh Hải" in page
    assert page.count("250,000\u00a0₫") == 2  # held in the bank, owed to producer B


def test_books_that_do_not_balance_are_shown_with_what_is_wrong(client, login, paid_transfer_order):
    entry = db.session.scalar(db.select(JournalEntry))
    db.session.execute(JournalLine.__table__.insert().values(entry_id=entry.id, account_id=entry.lines[0].account_id,
                                                            amount_vnd=1000))
    db.session.commit()
    login(client, "office@example.vn", PASSWORD)
    page = client.get("/admin/money?lang=vi").get_data(as_text=True)
    assert "Sổ sách không cân" in page and entry.idempotency_key in page


def test_only_the_office_opens_the_money_page(client, login, make_user, two_producers_and_two_points):
    assert client.get("/admin/money").status_code == 302  # to the login page
    for email in ("thu@diem-hl07.vn", "an@htx.vn"):
        other = client.application.test_client()
        login(other, email, PASSWORD)
        assert other.get("/admin/money").status_code == 403
    make_user(email="khach@example.vn", role=Role.CUSTOMER)
    db.session.commit()
    customer = client.application.test_client()
    login(customer, "khach@example.vn", PASSWORD)
    assert customer.get("/admin/money").status_code == 403
