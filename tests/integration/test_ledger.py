"""The books: one writer that refuses unbalanced entries, records each key once, and never edits a line;
every money event of an order writes balanced lines in its own transaction, and `flask ledger check` agrees."""
from __future__ import annotations

import datetime as dt
import threading

import pytest
from sqlalchemy import func, select, text

from shop.account.cancelling import cancel_by_customer
from shop.clock import now
from shop.desk import handover, hold, receiving
from shop.extensions import begin_write, db
from shop.fulfillment import services as producer
from shop.ledger import accounts
from shop.ledger.check import check_books
from shop.ledger.models import Account, AppendOnly, EntryKind, JournalEntry, JournalLine
from shop.ledger.posting import Line, Unbalanced, post
from shop.orders.payment import PaymentMethod
from shop.payments.transfers import record_transfer
from tests.readback import fresh_order


def balances() -> dict[str, int]:
    """Every account's balance by code, left out when zero."""
    db.session.rollback()
    return {code: int(balance) for code, balance in db.session.execute(select(Account.code, Account.balance_vnd))
            if balance}


def _count(model) -> int:
    db.session.rollback()
    return db.session.scalar(select(func.count()).select_from(model))


def _send(part, desk) -> None:
    user = desk.user_a if part.producer_id == desk.a.id else desk.user_b
    producer.accept_part(part.id, user)
    producer.mark_packed(part.id, user)
    producer.mark_sent_to_point(part.id, user, "Xe khách")


def _ready(desk, order):
    for part in list(order.parts):
        _send(part, desk)
        receiving.receive_parcel(order.sales_point_id, f"OCOP-PART:{part.id}", desk.staff_p)
    return fresh_order(order.id)


@pytest.fixture
def desk(two_producers_and_two_points):
    return two_producers_and_two_points


# ---- the one writer ---------------------------------------------------------------------------------

def test_an_unbalanced_entry_is_refused_and_nothing_is_written(app):
    begin_write()
    for lines in ([Line(accounts.bank(), 100_000), Line(accounts.commission(), -99_999)],
                  [], [Line(accounts.bank(), 0)], [Line(accounts.bank(), 1.5), Line(accounts.commission(), -1.5)]):
        with pytest.raises(Unbalanced):
            post(EntryKind.PAYMENT_RECEIVED, lines, key="k-1")
    db.session.commit()
    assert _count(JournalEntry) == 0 and _count(JournalLine) == 0 and balances() == {}


def test_a_balanced_entry_moves_both_balances_and_the_books_sum_to_zero(app):
    begin_write()
    post(EntryKind.PAYMENT_RECEIVED, [Line(accounts.bank(), 100_000), Line(accounts.commission(), -100_000)],
         key="k-1")
    db.session.commit()
    assert balances() == {"bank": 100_000, "commission": -100_000}
    assert check_books() == []


def test_five_posts_of_one_key_at_once_record_it_once(app):
    errors = []
    barrier = threading.Barrier(5)

    def write():
        with app.app_context():
            try:
                barrier.wait()
                begin_write()
                post(EntryKind.PAYMENT_RECEIVED, [Line(accounts.bank(), 90_000), Line(accounts.commission(), -90_000)],
                     key="bank-FT42")
                db.session.commit()
            except Exception as error:  # noqa: BLE001 — any failure fails the test below
                errors.append(error)
            finally:
                db.session.remove()

    threads = [threading.Thread(target=write) for _ in range(5)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert _count(JournalEntry) == 1 and _count(JournalLine) == 2
    assert balances() == {"bank": 90_000, "commission": -90_000}


def test_lines_and_entries_are_never_updated_or_deleted(app):
    begin_write()
    entry = post(EntryKind.PAYMENT_RECEIVED, [Line(accounts.bank(), 5_000), Line(accounts.commission(), -5_000)],
                 key="k-1")
    db.session.commit()
    for statement in ("UPDATE journal_line SET amount_vnd = amount_vnd * 2", "DELETE FROM journal_line",
                      "UPDATE journal_entry SET memo = 'x'", "DELETE FROM journal_entry"):
        with pytest.raises(Exception, match="append-only"):
            db.session.execute(text(statement))
        db.session.rollback()
    entry = db.session.get(JournalEntry, entry.id)
    entry.memo = "changed"
    with pytest.raises(AppendOnly):
        db.session.flush()
    db.session.rollback()
    db.session.delete(db.session.get(JournalLine, entry.lines[0].id))
    with pytest.raises(AppendOnly):
        db.session.flush()
    db.session.rollback()
    assert _count(JournalLine) == 2 and check_books() == []


def test_the_check_command_fails_and_names_what_is_wrong(app):
    runner = app.test_cli_runner()
    begin_write()
    entry = post(EntryKind.PAYMENT_RECEIVED, [Line(accounts.bank(), 5_000), Line(accounts.commission(), -5_000)],
                 key="bank-FT7")
    db.session.commit()
    assert runner.invoke(args=["ledger", "check"]).exit_code == 0
    # A line slipped in around the one writer: the entry no longer sums to zero, the balance is not its lines.
    db.session.execute(JournalLine.__table__.insert().values(entry_id=entry.id, account_id=entry.lines[0].account_id,
                                                            amount_vnd=1))
    db.session.commit()
    result = runner.invoke(args=["ledger", "check"])
    assert result.exit_code == 1
    assert "bank-FT7" in result.output and "sum to 1" in result.output
    assert "account bank: balance 5000 but its lines sum to 5001" in result.output


# ---- every money event of an order -------------------------------------------------------------------

def test_a_transfer_recorded_by_the_office_is_in_the_bank_and_owed_to_the_producer(app, paid_transfer_order, desk):
    assert balances() == {"bank": 250_000, f"producer_payable:{desk.b.id}": -250_000}
    assert check_books() == []


def test_the_commission_percent_is_the_shops_and_the_rest_the_producers(app, desk, make_order, make_user,
                                                                        monkeypatch):
    from shop.auth.models import Role

    monkeypatch.setitem(app.config, "COMMISSION_PERCENT", 7.5)
    office = make_user(email="office@example.vn", role=Role.ADMIN)
    order = make_order((desk.noodles, 1), (desk.squid, 1), point=desk.p, payment=PaymentMethod.VIETQR_TRANSFER)
    record_transfer(order.id, 350_000, "FT1", office)
    # 7.5 % of 100.000 is 7.500; of 250.000 it is 18.750.
    assert balances() == {"bank": 350_000, "commission": -26_250, f"producer_payable:{desk.a.id}": -92_500,
                          f"producer_payable:{desk.b.id}": -231_250}
    assert check_books() == []


def test_cash_at_pickup_is_in_the_points_till_and_owed_to_each_producer(app, desk, order_with_two_parcels_for_point):
    order = _ready(desk, order_with_two_parcels_for_point)
    handover.hand_over(desk.p.id, order.pickup_code, desk.staff_p, identity_checked=True, tendered_vnd=500_000)
    assert balances() == {f"point_cash:{desk.p.id}": 450_000, f"producer_payable:{desk.a.id}": -200_000,
                          f"producer_payable:{desk.b.id}": -250_000}
    assert check_books() == []


def test_cash_on_delivery_is_held_by_the_producer_and_the_fee_is_the_shops(app, desk, make_order):
    with app.test_request_context():
        order = make_order((desk.noodles, 2), delivery=True)
    _deliver(order.parts[0], desk.user_a, order.total_vnd)
    assert order.shipping_vnd > 0
    assert balances() == {f"producer_cash:{desk.a.id}": order.total_vnd, f"producer_payable:{desk.a.id}": -200_000,
                          "delivery_fees": -order.shipping_vnd}
    assert check_books() == []


def test_a_rejected_part_after_a_transfer_becomes_a_refund_owed(app, desk, make_order, make_user):
    from shop.auth.models import Role

    office = make_user(email="office@example.vn", role=Role.ADMIN)
    order = make_order((desk.noodles, 1), (desk.squid, 1), point=desk.p, payment=PaymentMethod.VIETQR_TRANSFER)
    record_transfer(order.id, 350_000, "FT1", office)
    squid_part = next(p for p in order.parts if p.producer_id == desk.b.id)
    producer.reject_part(squid_part.id, desk.user_b, "Hết hàng")
    assert balances() == {"bank": 350_000, f"producer_payable:{desk.a.id}": -100_000, "refunds_owed": -250_000}
    assert check_books() == []


def test_a_paid_order_cancelled_by_its_customer_is_owed_back_whole(app, paid_transfer_order, desk):
    cancel_by_customer(paid_transfer_order.id)
    assert balances() == {"bank": 250_000, "refunds_owed": -250_000}
    assert check_books() == []


def test_a_paid_order_never_collected_is_owed_back(app, paid_transfer_order, desk):
    _ready(desk, paid_transfer_order)
    hold.expire_pickups(now() + dt.timedelta(days=60))
    assert fresh_order(paid_transfer_order.id).parts[0].status == "unclaimed"
    assert balances() == {"bank": 250_000, "refunds_owed": -250_000}
    assert check_books() == []


def test_an_unpaid_order_cancelled_writes_nothing(app, desk, order_with_two_parcels_for_point):
    cancel_by_customer(order_with_two_parcels_for_point.id)
    assert _count(JournalEntry) == 0 and check_books() == []


def test_a_payment_the_books_were_not_told_of_fails_the_check(app, desk, make_order, make_user):
    order = make_order((desk.noodles, 1), point=desk.p, payment=PaymentMethod.VIETQR_TRANSFER)
    begin_write()
    fresh_order(order.id).payment.mark_paid(100_000)  # around record_transfer: no entry
    db.session.commit()
    assert check_books() == [f"order {order.number}: the payments received 100000 but the books 0",
                             f"order {order.number}: part {order.parts[0].id}: goods 100000 but payables and "
                             "commission 0"]


def _deliver(part, user, cash):
    producer.accept_part(part.id, user)
    producer.mark_packed(part.id, user)
    producer.mark_shipped(part.id, user, "Viettel Post", f"VTP{part.id}")
    producer.mark_delivered(part.id, user, cash)


def test_each_cod_parcel_puts_its_own_cash_in_its_producers_hands(app, desk, make_order):
    with app.test_request_context():
        order = make_order((desk.noodles, 1), (desk.squid, 1), delivery=True)
    noodles, squid = sorted(order.parts, key=lambda p: p.id)
    fee = order.shipping_vnd
    _deliver(squid, desk.user_b, 250_000)
    assert check_books() == []  # half delivered: the books agree with the parcel whose cash is in
    _deliver(noodles, desk.user_a, 100_000 + fee)  # the first parcel carries the fee
    assert balances() == {f"producer_cash:{desk.a.id}": 100_000 + fee, f"producer_cash:{desk.b.id}": 250_000,
                          f"producer_payable:{desk.a.id}": -100_000, f"producer_payable:{desk.b.id}": -250_000,
                          "delivery_fees": -fee}
    assert check_books() == []


def test_a_rejected_cod_parcel_hands_its_fee_to_the_parcel_still_to_come(app, desk, make_order):
    with app.test_request_context():
        order = make_order((desk.noodles, 1), (desk.squid, 1), delivery=True)
        noodles, squid = sorted(order.parts, key=lambda p: p.id)
        producer.reject_part(noodles.id, desk.user_a, "Hết hàng")
    _deliver(squid, desk.user_b, 250_000 + order.shipping_vnd)
    assert balances() == {f"producer_cash:{desk.b.id}": 250_000 + order.shipping_vnd,
                          f"producer_payable:{desk.b.id}": -250_000, "delivery_fees": -order.shipping_vnd}
    assert check_books() == []


def test_a_paid_delivery_whose_fee_parcel_goes_keeps_the_fee_on_the_next(app, desk, make_order, make_user):
    from shop.auth.models import Role

    office = make_user(email="office@example.vn", role=Role.ADMIN)
    with app.test_request_context():
        order = make_order((desk.noodles, 1), (desk.squid, 1), delivery=True, payment=PaymentMethod.VIETQR_TRANSFER)
    record_transfer(order.id, order.total_vnd, "FT9", office)
    noodles = min(order.parts, key=lambda p: p.id)
    with app.test_request_context():
        producer.reject_part(noodles.id, desk.user_a, "Hết hàng")
    # The customer still gets the squid delivered: only the noodles' 100.000 ₫ are owed back.
    assert balances() == {"bank": order.total_vnd, f"producer_payable:{desk.b.id}": -250_000,
                          "delivery_fees": -order.shipping_vnd, "refunds_owed": -100_000}
    assert check_books() == []
