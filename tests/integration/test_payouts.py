"""Payout batches: who is paid what (owed less COD cash held, only when positive, only with a bank account),
amounts and accounts frozen when the batch is made, booked once even when two office users click at once."""
from __future__ import annotations

import threading

import pytest
from sqlalchemy import func, select

from shop.auth.models import User
from shop.extensions import db
from shop.ledger import commission, payouts
from shop.ledger.check import check_books
from shop.ledger.models import EntryKind, JournalEntry, PayoutBatch
from shop.orders.payment import PaymentMethod
from shop.payments.transfers import record_transfer
from tests.integration.test_commission import office  # noqa: F401  (a fixture)
from tests.integration.test_ledger import _deliver, balances, desk  # noqa: F401  (a fixture)


def _bank(producer, number="0011001234567"):
    producer.bank_bin, producer.bank_account, producer.bank_account_name = "970436", number, "NGUYEN VAN A"


@pytest.fixture
def month(app, desk, make_order, office):
    """A sold noodles by transfer (100.000 ₫ owed) and delivered one COD parcel (it holds its cash); B sold squid
    by transfer (250.000 ₫ owed). Both have bank accounts."""
    paid = make_order((desk.noodles, 1), (desk.squid, 1), point=desk.p, payment=PaymentMethod.VIETQR_TRANSFER)
    record_transfer(paid.id, paid.total_vnd, "FT1", office)
    with app.test_request_context():
        cod = make_order((desk.noodles, 1), delivery=True)
    _deliver(cod.parts[0], desk.user_a, cod.total_vnd)
    _bank(desk.a)
    _bank(desk.b, "0022002345678")
    db.session.commit()
    return cod


def test_a_producer_holding_more_cash_than_it_is_owed_is_not_paid_and_keeps_its_debt(app, desk, make_order,
                                                                                      office):
    commission.set_rule(office, producer_id=desk.a.id, category_id=None, typed_percent="10")
    with app.test_request_context():
        cod = make_order((desk.noodles, 1), delivery=True)
    _deliver(cod.parts[0], desk.user_a, cod.total_vnd)
    paid = make_order((desk.squid, 1), point=desk.p, payment=PaymentMethod.VIETQR_TRANSFER)
    record_transfer(paid.id, paid.total_vnd, "FT1", office)
    _bank(desk.a)
    _bank(desk.b, "0022002345678")
    db.session.commit()

    dues = {due.producer.id: due for due in payouts.dues()}
    # A is owed 90.000 ₫ for its goods (10 % commission) but holds the parcel's cash, delivery fee included.
    assert (dues[desk.a.id].owed_vnd, dues[desk.a.id].held_vnd) == (90_000, cod.total_vnd)
    assert dues[desk.a.id].due_vnd == 90_000 - cod.total_vnd < 0
    batch = payouts.create_batch(office)
    assert [(p.producer_id, p.owed_vnd, p.held_vnd, p.amount_vnd) for p in batch.payouts] == [
        (desk.b.id, 250_000, 0, 250_000)]
    payouts.mark_paid(office, batch.id, "FT 2026/12 01")
    books = balances()
    assert f"producer_payable:{desk.b.id}" not in books  # settled to the đồng
    assert books[f"producer_cash:{desk.a.id}"] == cod.total_vnd  # A's debt stays on its balance
    assert check_books() == []


def test_the_cash_a_producer_holds_is_netted_from_what_it_is_paid(app, desk, make_order, office):
    with app.test_request_context():
        cod = make_order((desk.squid, 1), delivery=True)
    _deliver(cod.parts[0], desk.user_b, cod.total_vnd)
    paid = make_order((desk.squid, 2), point=desk.p, payment=PaymentMethod.VIETQR_TRANSFER)
    record_transfer(paid.id, paid.total_vnd, "FT1", office)
    _bank(desk.b)
    db.session.commit()

    batch = payouts.create_batch(office)
    assert [(p.owed_vnd, p.held_vnd, p.amount_vnd) for p in batch.payouts] == [
        (750_000, cod.total_vnd, 750_000 - cod.total_vnd)]
    payouts.mark_paid(office, batch.id, "FT9")
    books = balances()
    assert f"producer_payable:{desk.b.id}" not in books and f"producer_cash:{desk.b.id}" not in books
    assert books["bank"] == paid.total_vnd - (750_000 - cod.total_vnd)
    assert check_books() == []


def test_producers_without_a_bank_account_are_skipped_and_the_account_is_frozen_in_the_batch(
        app, desk, month, office):
    desk.a.bank_account = ""
    db.session.commit()
    batch = payouts.create_batch(office)
    desk.b.bank_account = "9999999999"  # changed after the batch was made
    db.session.commit()
    assert [(p.producer_id, p.bank_account) for p in payouts.batch(batch.id).payouts] == [
        (desk.b.id, "0022002345678")]


def test_nothing_to_pay_makes_no_batch(app, desk, office):
    with pytest.raises(payouts.NothingToPay):
        payouts.create_batch(office)
    db.session.rollback()
    assert db.session.scalar(select(func.count(PayoutBatch.id))) == 0


def test_two_office_users_marking_the_same_batch_paid_book_it_once(app, desk, month, office):
    batch = payouts.create_batch(office)
    batch_id, office_id, producers = batch.id, office.id, len(batch.payouts)
    assert producers == 2
    db.session.remove()
    barrier = threading.Barrier(4)
    outcomes = []

    def pay():
        with app.app_context():
            try:
                barrier.wait()
                payouts.mark_paid(db.session.get(User, office_id), batch_id, "FT-SAME")
                outcomes.append("paid")
            except payouts.BatchClosed:
                outcomes.append("closed")
            except Exception as error:  # noqa: BLE001 — any other failure fails the test below
                outcomes.append(repr(error))
            finally:
                db.session.remove()

    threads = [threading.Thread(target=pay) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["closed", "closed", "closed", "paid"]
    assert db.session.scalar(select(func.count(JournalEntry.id)).where(JournalEntry.kind == EntryKind.PAYOUT)) == producers
    assert check_books() == []
