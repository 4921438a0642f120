"""Counter sales after the fact: a VietQR sale's transfer, reported by the bank with the sale's reference in the
note, is matched to the sale (exact amount) instead of waiting in the office's queue; a cash sale is voided at
the desk the same day before the till is closed (reason, stock back, books reversed, receipt says VOID,
audited), and not after."""
from __future__ import annotations

import datetime as dt

import pytest
from flask import current_app
from sqlalchemy import func, select, update

from shop.audit.models import AuditEntry
from shop.clock import now
from shop.desk.models import CashCloseout, CounterSale
from shop.extensions import db
from shop.ledger import accounts
from shop.ledger.check import check_books
from shop.ledger.models import Account
from shop.payments.models import BankLine
from tests.readback import stock_of
from tests.web.helpers import alerts, csrf_token, notices
from tests.web.test_bank_transfers import notify, webhook_secret  # noqa: F401  (fixture: webhook_secret)
from tests.web.test_desk_counter import _form, client_as, desk, shop  # noqa: F401  (fixtures: shop, desk)
from tests.web.test_desk_journey import client_for, quick_passwords  # noqa: F401


def balance(ref) -> int:
    db.session.expire_all()
    return db.session.scalar(select(Account.balance_vnd).where(Account.code == ref.code)) or 0


def sell(desk, shop, method="cash", units=1, form=None) -> CounterSale:
    """One squid (250.000 ₫ each) sold at P's counter, in cash or by VietQR (staff saw the transfer)."""
    form = form or _form(desk)
    data = {**form, f"qty-{shop.squid.id}": str(units), "method": method}
    if method == "vietqr":
        data |= {"received": "1", "expected_total": str(250_000 * units)}
    assert desk.post("/desk/counter", data=data).status_code == 302
    db.session.expire_all()
    return db.session.scalar(select(CounterSale).where(CounterSale.reference == form["reference"]))


def bank_note(reference: str) -> str:
    """The sale's reference as banks pass the note on: no dash, other words around it."""
    return f"MBVCB.8812345.{reference.replace('-', '')}.CT tu 0912345678 NGUYEN VAN A"


def line_state() -> list[tuple]:
    db.session.rollback()
    db.session.expire_all()
    return list(db.session.execute(select(BankLine.status, BankLine.problem).order_by(BankLine.id)).all())


# ---- a VietQR counter sale's transfer, seen by the bank --------------------------------------------

def test_the_banks_report_of_a_counter_sales_transfer_is_matched_to_the_sale_not_queued(shop, desk):
    sale = sell(desk, shop, "vietqr", units=2)
    assert balance(accounts.bank()) == 500_000

    answer = notify(desk, amount=500_000, content=bank_note(sale.reference))

    assert answer.json["status"] == "matched" and line_state() == [("matched", "")]
    sale = db.session.get(CounterSale, sale.id)
    line = db.session.scalar(select(BankLine))
    assert sale.bank_line_id == line.id and line.order_id is None
    assert balance(accounts.bank()) == 500_000 and check_books() == []  # booked once, at the sale


def test_a_transfer_seen_before_staff_record_the_sale_is_taken_when_they_do(shop, desk):
    form = _form(desk)
    assert notify(desk, amount=250_000, content=bank_note(form["reference"])).json["status"] == "unmatched"
    assert line_state() == [("unmatched", "counter_unknown")]

    sale = sell(desk, shop, "vietqr", form=form)

    assert line_state() == [("matched", "")]
    assert db.session.get(CounterSale, sale.id).bank_line_id == db.session.scalar(select(BankLine.id))
    assert check_books() == []


def test_counter_transfers_that_do_not_fit_wait_with_their_reason(shop, desk):
    paid = sell(desk, shop, "vietqr")
    cash = sell(desk, shop, "cash")
    notify(desk, id="FT1", amount=200_000, content=bank_note(paid.reference))  # not the sale's amount
    notify(desk, id="FT2", amount=250_000, content=bank_note(paid.reference))  # the right one
    notify(desk, id="FT3", amount=250_000, content=bank_note(paid.reference))  # the same sale again
    notify(desk, id="FT4", amount=250_000, content=bank_note(cash.reference))  # a cash sale
    notify(desk, id="FT5", amount=250_000, content="QUA TANG SINH NHAT")  # no point's sale at all

    assert line_state() == [("unmatched", "counter_amount"), ("matched", ""), ("unmatched", "counter_paid"),
                            ("unmatched", "counter_unknown"), ("unmatched", "no_order")]
    assert balance(accounts.bank()) == 250_000 and check_books() == []


def test_the_office_reads_why_a_counter_transfer_waits(shop, desk, login, make_user):
    from shop.auth.models import Role

    form = _form(desk)
    notify(desk, amount=250_000, content=bank_note(form["reference"]))
    office = make_user(email="office@example.vn", role=Role.ADMIN)
    db.session.commit()
    page = client_for(current_app, login, office).get("/admin/bank/unmatched").get_data(as_text=True)
    assert "Names a counter sale not recorded at the desk as paid by transfer" in page


# ---- voiding a cash sale -----------------------------------------------------------------------------

def void(client, sale, reason="Khách đổi ý, đã trả lại tiền"):
    token = csrf_token(client, f"/desk/counter/{sale.id}")
    return client.post(f"/desk/counter/{sale.id}/void", data={"csrf_token": token, "reason": reason})


def state(shop) -> tuple:
    db.session.rollback()
    db.session.expire_all()
    return (stock_of(shop.squid, shop.p), balance(accounts.point_cash(shop.p.id)),
            balance(accounts.producer_payable(shop.b.id)),
            tuple(db.session.execute(select(CounterSale.id, CounterSale.voided_at)).all()),
            db.session.scalar(select(func.count(AuditEntry.id))))


def test_a_cash_sale_is_voided_the_same_day_stock_back_books_reversed_receipt_says_so(shop, desk):
    before_sale = state(shop)[:3]
    sale = sell(desk, shop, units=2)
    assert stock_of(shop.squid, shop.p) == (1, 0) and balance(accounts.point_cash(shop.p.id)) == 500_000

    response = void(desk, sale)

    assert response.status_code == 302
    receipt = desk.get(response.headers["Location"]).get_data(as_text=True)
    assert "The sale is void: 500,000" in " ".join(notices(receipt))
    assert "VOID" in receipt and "Khách đổi ý, đã trả lại tiền" in receipt and "Void this sale" not in receipt
    assert state(shop)[:3] == before_sale  # 3 squid at P again, the till and B's payable back to 0
    assert check_books() == []
    audit = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "counter_sale.voided"))
    assert audit is not None and audit.note == "Khách đổi ý, đã trả lại tiền"
    assert sale.reference not in desk.get("/desk/cash").get_data(as_text=True)  # its cash went back
    closeout = desk.get("/desk/closeout").get_data(as_text=True)
    assert "500.000" not in closeout


def test_a_void_needs_a_reason_and_happens_once(shop, desk):
    sale = sell(desk, shop)
    before = state(shop)

    refused = void(desk, sale, reason="   ")

    assert refused.status_code == 400 and any("Please say why the sale is voided" in a
                                              for a in alerts(refused.get_data(as_text=True)))
    assert state(shop) == before
    assert void(desk, sale).status_code == 302
    after = state(shop)
    again = void(desk, sale)
    assert again.status_code == 400 and "voided already" in again.get_data(as_text=True)
    assert state(shop) == after and check_books() == []


def test_no_void_after_the_till_is_closed_or_on_another_day_or_for_a_transfer(shop, desk):
    closed = sell(desk, shop)
    token = csrf_token(desk, "/desk/closeout")
    assert desk.post("/desk/closeout", data={"csrf_token": token, "counted": "250.000",
                                             "expected": "250000"}).status_code == 302
    old = sell(desk, shop)
    db.session.execute(update(CounterSale).where(CounterSale.id == old.id)
                       .values(created_at=now() - dt.timedelta(days=2)))
    db.session.commit()
    by_transfer = sell(desk, shop, "vietqr")
    before = state(shop)

    for sale, message in ((closed, "before the till is closed"), (old, "sales can be voided, before the till is closed"),
                          (by_transfer, "given back by the office")):
        assert "Void this sale" not in desk.get(f"/desk/counter/{sale.id}").get_data(as_text=True) or sale is closed
        response = void(desk, sale)
        assert response.status_code == 400 and message in response.get_data(as_text=True)

    assert state(shop) == before and check_books() == []
    assert db.session.scalar(select(func.count(CashCloseout.id))) == 1


@pytest.mark.parametrize("who", ["anonymous", "customer", "producer", "admin", "other_point"])
def test_only_the_points_own_staff_void_its_sales(shop, desk, login, make_user, who):
    sale = sell(desk, shop)
    before = state(shop)
    client = client_as(who, shop, login, make_user)
    token = csrf_token(client, "/login" if who == "anonymous" else "/sales-points")
    response = client.post(f"/desk/counter/{sale.id}/void", data={"csrf_token": token, "reason": "thử"})

    assert response.status_code == {"anonymous": 302, "other_point": 404}.get(who, 403)
    assert state(shop)[:4] == before[:4]


def test_an_unknown_sale_is_not_found_and_the_void_needs_its_csrf_token(shop, desk):
    sale = sell(desk, shop)
    token = csrf_token(desk, "/desk/counter")
    assert desk.post("/desk/counter/999999/void", data={"csrf_token": token, "reason": "x"}).status_code == 404
    before = state(shop)
    assert desk.post(f"/desk/counter/{sale.id}/void", data={"reason": "x"}).status_code == 400
    assert state(shop) == before


def test_yesterdays_sale_cannot_be_voided_even_with_the_till_still_open(shop, desk):
    sale = sell(desk, shop)
    db.session.execute(update(CounterSale).where(CounterSale.id == sale.id)
                       .values(created_at=now() - dt.timedelta(days=1)))
    db.session.commit()
    before = state(shop)

    assert "Void this sale" not in desk.get(f"/desk/counter/{sale.id}").get_data(as_text=True)
    response = void(desk, sale)

    assert response.status_code == 400 and "sales can be voided" in response.get_data(as_text=True)
    assert state(shop) == before
