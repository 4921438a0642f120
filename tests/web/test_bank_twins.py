"""Money reported twice or into the wrong account: the same transfer notified by the bank service and found
again in an imported statement (either order) is recorded once; a notification for another account than the
shop's receiving account never pays an order."""
from __future__ import annotations

import pytest
from sqlalchemy import func, select

from shop.extensions import db
from shop.ledger.check import check_books
from shop.orders.models import OrderEvent
from shop.orders.payment import PaymentStatus
from shop.payments.models import BankLine, BankLineStatus
from tests.web.helpers import alerts, notices
from tests.web.test_bank_transfers import (  # noqa: F401  (fixtures: shop, office, webhook_secret, quick_passwords)
    _money, bank_balance, fresh, note, notify, office, queue_form, quick_passwords, shop, state_of, upload,
    vcb_statement, webhook_secret,
)


def payments_received(order) -> int:
    db.session.expire_all()
    return db.session.scalar(select(func.count(OrderEvent.id)).where(OrderEvent.order_id == order.id,
                                                                     OrderEvent.kind == "payment_received"))


def lines() -> list[tuple]:
    db.session.rollback()
    db.session.expire_all()
    return list(db.session.execute(select(BankLine.bank_code, BankLine.status, BankLine.problem)
                                   .order_by(BankLine.id)).all())


def queue_page(client) -> str:
    return client.get("/admin/bank/unmatched").get_data(as_text=True)


# ---- another account -------------------------------------------------------------------------------

def test_money_into_another_account_never_pays_the_order_and_waits_with_its_reason(office):
    shop = office.shop
    before = state_of(shop.minh, shop.lan)

    answer = notify(office, amount=shop.minh.total_vnd, content=note(shop.minh), account="1903 5555 8888 01")

    assert answer.status_code == 200 and answer.json["status"] == "unmatched"
    assert state_of(shop.minh, shop.lan) == before and bank_balance() == 0
    line = db.session.scalar(select(BankLine))
    assert (line.problem, line.order_id, line.account) == ("other_account", None, "1903 5555 8888 01")
    page = queue_page(office)
    assert "Paid into another account, not the shop" in page and "into account 1903 5555 8888 01" in page

    page = queue_form(office, line.id, "assign", order_number=shop.minh.number).get_data(as_text=True)

    assert any("came into another account" in a for a in alerts(page))
    assert state_of(shop.minh, shop.lan) == before
    assert db.session.get(BankLine, line.id).status == BankLineStatus.UNMATCHED
    page = queue_form(office, line.id, "dismiss", reason="Tài khoản khác của trung tâm").get_data(as_text=True)
    assert "The line is set aside, with its reason." in " ".join(notices(page))
    assert check_books() == []


@pytest.mark.parametrize("account", ["0011 000 123456", "0011000123456", ""])
def test_the_shops_own_account_however_written_or_left_out_pays_the_order(client, shop, account):
    assert notify(client, amount=shop.minh.total_vnd, content=note(shop.minh), account=account).json["status"] \
        == "matched"
    assert fresh(shop.minh).payment.status == PaymentStatus.PAID and check_books() == []


# ---- one transfer, two reports ---------------------------------------------------------------------

def test_notified_then_found_in_the_statement_is_recorded_once(office):
    shop = office.shop
    due = shop.minh.total_vnd
    assert notify(office, id="CASSO-77", amount=due, content=note(shop.minh)).json["status"] == "matched"
    before = state_of(shop.minh, shop.lan)

    page = upload(office, vcb_statement(("04/12/2026", "5213.1", "", _money(due), note(shop.minh)))) \
        .get_data(as_text=True)

    said = " ".join(notices(page))
    assert "1 lines of money in: 1 new, 0 recorded on their orders, 0 to review." in said
    assert "1 of the new lines the bank had notified already: recorded once, not again." in said
    assert state_of(shop.minh, shop.lan) == before
    assert payments_received(shop.minh) == 1 and bank_balance() == due
    assert lines() == [("webhook", "matched", ""), ("VCB", "duplicate", "")]
    assert "Every transfer that came in is accounted for." in queue_page(office)
    assert check_books() == []


def test_found_in_the_statement_then_notified_with_the_banks_reference_is_recorded_once(office):
    shop = office.shop
    due = shop.lan.total_vnd
    upload(office, vcb_statement(("04/12/2026", "5213.1", "", _money(due), f"{shop.lan.number} OCOP")))
    assert fresh(shop.lan).payment.status == PaymentStatus.PAID
    before = state_of(shop.minh, shop.lan)

    # The service passes the note on in its own words, but names the bank's reference.
    answer = notify(office, id="SEPAY-9", amount=due, content=f"{shop.lan.number}", reference="5213.1")

    assert answer.status_code == 200 and answer.json == {"received": True, "recorded": True, "status": "duplicate"}
    assert state_of(shop.minh, shop.lan) == before
    assert payments_received(shop.lan) == 1 and bank_balance() == due
    assert lines() == [("VCB", "matched", ""), ("webhook", "duplicate", "")]
    assert check_books() == []


def test_a_short_transfer_reported_twice_waits_in_the_queue_once(office):
    shop = office.shop
    notify(office, id="CASSO-1", amount=100_000, content=note(shop.minh))

    upload(office, vcb_statement(("04/12/2026", "5213.1", "", "100.000", note(shop.minh))))

    assert lines() == [("webhook", "unmatched", "short"), ("VCB", "duplicate", "")]
    assert queue_page(office).count('class="bank-line"') == 1


def test_two_real_transfers_alike_are_two_and_each_statement_line_repeats_one_notification(office):
    """Same amount, note and day twice (a customer who paid twice): the statement's two lines pair with the two
    notifications one to one; nothing is counted twice, and nothing is lost."""
    shop = office.shop
    due = shop.minh.total_vnd
    notify(office, id="CASSO-1", amount=due, content=note(shop.minh))
    notify(office, id="CASSO-2", amount=due, content=note(shop.minh), date="2026-12-04 10:16:00")

    upload(office, vcb_statement(("04/12/2026", "5213.1", "", _money(due), note(shop.minh)),
                                 ("04/12/2026", "5213.2", "", _money(due), note(shop.minh))))

    assert [status for _b, status, _p in lines()] == ["matched", "owed_back", "duplicate", "duplicate"]
    assert fresh(shop.minh).payment.received_vnd == 2 * due and bank_balance() == 2 * due
    assert "Every transfer that came in is accounted for." in queue_page(office) and check_books() == []


def test_different_bank_references_are_different_money(office):
    shop = office.shop
    due = shop.minh.total_vnd
    notify(office, id="CASSO-1", amount=due, content=note(shop.minh), reference="FT26338000001")

    upload(office, vcb_statement(("04/12/2026", "FT26338000002", "", _money(due), note(shop.minh))))

    assert [(b, s) for b, s, _p in lines()] == [("webhook", "matched"), ("VCB", "owed_back")]
