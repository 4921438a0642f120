"""`flask ledger backfill`: a database whose orders were paid before the books existed gets the books the live
code would have written, once."""
from __future__ import annotations

import datetime as dt

from sqlalchemy import func, select, text, update

from shop.extensions import db
from shop.ledger.models import JournalEntry, JournalLine
from shop.orders.payment import Payment
from tests.conftest import _set_triggers_aside
from shop.payments import card_attempts, stripe_events
from tests.fakes.stripe_fixtures import (card_order, fake_stripe_server, live_shop, pay_at, post_event,  # noqa: F401
                                        stripe_on)
from tests.integration.test_ledger import balances
from tests.integration.test_ledger_cards import admin  # noqa: F401  (a fixture)
from tests.integration.test_ledger_month import live_month
from tests.readback import fresh_order

LEDGER = ("journal_line", "journal_entry", "account")


def _forget_the_books() -> None:
    """What migration 0015 left on an instance that held orders: no entries, no lines, no accounts."""
    db.session.remove()
    with db.engine.begin() as conn:
        restore = _set_triggers_aside(conn, set(LEDGER))
        for table in LEDGER:
            conn.execute(text(f'DELETE FROM "{table}"'))
        restore()


def _rows() -> int:
    db.session.rollback()
    return sum(db.session.scalar(select(func.count()).select_from(model)) for model in (JournalEntry, JournalLine))


def test_backfill_writes_the_books_the_live_code_wrote_and_only_once(
        app, two_producers_and_two_points, make_product, make_producer, producer_user, put_stock, stripe_on,
        post_event, admin, monkeypatch):
    # Cash at the desk, COD delivered, transfers, cards paid and refunded, orders cancelled or rejected after
    # payment, parcels never collected.
    live_month(app, two_producers_and_two_points, make_product, make_producer, producer_user, put_stock, stripe_on,
               post_event, admin, monkeypatch)
    runner = app.test_cli_runner()
    live_books, live_rows = balances(), _rows()
    assert live_books and live_rows

    _forget_the_books()
    assert _rows() == 0
    failed = runner.invoke(args=["ledger", "check"])
    assert failed.exit_code == 1 and "the payments received" in failed.output

    result = runner.invoke(args=["ledger", "backfill"])
    assert result.exit_code == 0, result.output
    assert "Backfilled the books of" in result.output
    checked = runner.invoke(args=["ledger", "check"])
    assert checked.exit_code == 0, checked.output
    assert balances() == live_books
    assert sum(balances().values()) == 0
    rows = _rows()

    again = runner.invoke(args=["ledger", "backfill"])
    assert again.exit_code == 0, again.output
    assert "Backfilled the books of 0 order(s)." in again.output
    assert _rows() == rows
    assert balances() == live_books


def test_backfill_after_the_live_code_posted_records_nothing(
        app, two_producers_and_two_points, make_product, make_producer, producer_user, put_stock, stripe_on,
        post_event, admin, monkeypatch):
    live_month(app, two_producers_and_two_points, make_product, make_producer, producer_user, put_stock, stripe_on,
               post_event, admin, monkeypatch)
    live_books, live_rows = balances(), _rows()

    result = app.test_cli_runner().invoke(args=["ledger", "backfill"])

    assert result.exit_code == 0, result.output
    assert "Backfilled the books of 0 order(s)." in result.output
    assert _rows() == live_rows and balances() == live_books


def test_backfill_books_money_that_came_after_the_order_lapsed_as_owed_back_then_refunded(app, card_order,
                                                                                          stripe_on, pay_at):
    order = card_order(quantity=1, stock=1)
    with db.session.no_autoflush:
        card_attempts.start_card_payment(order.id)
    order = fresh_order(order.id)
    stripe_on.fail_next(1, 503)  # Stripe could not close the page: the customer still pays on it
    stripe_events.expire_unpaid_card_payments(at=order.payment.due_by + dt.timedelta(hours=25))
    number = order.number
    pay_at(order.payment.checkout_url)  # Stripe takes the money, the shop gives it all back
    live_rows = _rows()
    _forget_the_books()

    result = app.test_cli_runner().invoke(args=["ledger", "backfill"])

    assert result.exit_code == 0, result.output
    assert number in result.output
    assert _rows() == live_rows
    assert balances() == {}  # received into Stripe's balance, owed back whole, given back whole
    assert app.test_cli_runner().invoke(args=["ledger", "check"]).exit_code == 0


def test_an_order_whose_money_does_not_cover_its_goods_is_named_and_nothing_is_recorded(app, paid_transfer_order):
    number = paid_transfer_order.number
    _forget_the_books()
    db.session.execute(update(Payment).values(received_vnd=200_000))  # 250.000 ₫ of goods
    db.session.commit()

    result = app.test_cli_runner().invoke(args=["ledger", "backfill"])

    assert result.exit_code == 1
    assert f"order {number}: its money does not cover its goods and fee; nothing was recorded" in result.output
    assert _rows() == 0 and balances() == {}
