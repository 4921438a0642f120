"""Money the bank reports for an order that no longer waits for it (paid already, cancelled, expired) is the
customer's: recorded on the order and owed back (listed at /admin/refunds-owed), never left in the queue; the
office's money page counts refunds owed of every payment method."""
from __future__ import annotations

import datetime as dt

from sqlalchemy import select

from shop.account.cancelling import cancel_by_customer
from shop.clock import now
from shop.extensions import db
from shop.ledger.check import check_books
from shop.money import format_vnd
from shop.notifications.models import OutboxMessage
from shop.orders.payment import PaymentStatus
from shop.payments.models import BankLine
from shop.payments.transfers import expire_unpaid_transfers, refunds_owed
from tests.fakes.stripe_fixtures import (card_order, fake_stripe_server, live_shop, post_event,  # noqa: F401
                                         stripe_on)  # (fixtures)
from tests.web.test_bank_transfers import (  # noqa: F401  (fixtures: shop, office, webhook_secret, quick_passwords)
    _money, bank_balance, fresh, note, notify, office, quick_passwords, shop, state_of, upload, vcb_statement,
    webhook_secret,
)
from tests.web.test_bank_twins import lines, queue_page


def owed() -> list[tuple[str, int]]:
    db.session.rollback()
    db.session.expire_all()
    return [(row.order.number, row.amount_vnd) for row in refunds_owed()]


def refund_mails(email: str) -> int:
    return len(db.session.scalars(select(OutboxMessage.id).where(OutboxMessage.recipient == email,
                                                                 OutboxMessage.kind == "refund_owed")).all())


def test_a_second_transfer_for_a_paid_order_is_owed_back_not_queued(office):
    shop = office.shop
    due = shop.lan.total_vnd
    assert notify(office, id="FT-1", amount=due, content=note(shop.lan)).json["status"] == "matched"

    answer = notify(office, id="FT-again", amount=due, content=note(shop.lan))

    assert answer.json == {"received": True, "recorded": True, "status": "owed_back"}
    order = fresh(shop.lan)
    assert order.payment.status == PaymentStatus.PAID and order.payment.received_vnd == 2 * due
    assert owed() == [(shop.lan.number, due)] and bank_balance() == 2 * due
    assert refund_mails("lan@example.vn") == 1
    assert "Every transfer that came in is accounted for." in queue_page(office)
    page = office.get("/admin/refunds-owed").get_data(as_text=True)
    assert shop.lan.number in page and format_vnd(due, "en") in page  # the office reads English
    money = office.get("/admin/money").get_data(as_text=True)
    assert f"Refunds owed: 1 ({format_vnd(due, 'en')})" in money and "The books balance" in money
    assert check_books() == []


def test_money_for_an_expired_order_is_owed_back_whole(office):
    shop = office.shop
    assert expire_unpaid_transfers(now() + dt.timedelta(days=30)) == sorted([shop.minh.number, shop.lan.number])
    due = shop.minh.total_vnd

    upload(office, vcb_statement(("04/12/2026", "5213.1", "", _money(due), note(shop.minh))))

    assert lines() == [("VCB", "owed_back", "")]
    order = fresh(shop.minh)
    assert order.status == "cancelled" and not order.live_parts
    assert order.payment.status == PaymentStatus.PAID and order.payment.received_vnd == due
    assert owed() == [(shop.minh.number, due)] and refund_mails("minh@example.vn") == 1
    assert check_books() == []


def test_money_for_an_order_the_customer_cancelled_unpaid_is_owed_back(office):
    shop = office.shop
    cancel_by_customer(shop.lan.id)

    assert notify(office, amount=shop.lan.total_vnd, content=note(shop.lan)).json["status"] == "owed_back"

    assert owed() == [(shop.lan.number, shop.lan.total_vnd)] and check_books() == []


def test_a_transfer_naming_an_order_paid_another_way_waits_with_a_clear_reason(office, make_order):
    shop = office.shop
    cash = make_order((shop.state.noodles, 1), point=shop.state.p, email="tien@example.vn")
    before = state_of(cash)

    assert notify(office, amount=cash.total_vnd, content=note(cash)).json["status"] == "unmatched"

    assert state_of(cash) == before and owed() == []
    assert db.session.scalar(select(BankLine.problem)) == "not_transfer"
    assert "The order is not paid by transfer, or its money went back already" in queue_page(office)


def test_the_money_page_counts_refunds_owed_on_card_orders_too(office, card_order, stripe_on, post_event):
    from shop.payments import card_attempts

    order = card_order(quantity=2, price=125_000)
    with db.session.no_autoflush:
        card_attempts.start_card_payment(order.id)
    order = fresh(order)
    assert post_event(stripe_on.complete(order.payment.provider_reference, deliver=False)).json["outcome"] == "paid"
    cancel_by_customer(order.id)

    money = office.get("/admin/money").get_data(as_text=True)

    assert f"Refunds owed: 1 ({format_vnd(250_000, 'en')})" in money and check_books() == []
    listed = office.get("/admin/refunds-owed").get_data(as_text=True)
    assert "Owed back another way" in listed and order.number in listed and format_vnd(250_000, "en") in listed
