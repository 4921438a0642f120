"""Card money in the books: paid into the Stripe balance, owed back when its goods go, paid back by refunds."""
from __future__ import annotations

import datetime as dt

import pytest

from shop.account.cancelling import cancel_by_customer
from shop.extensions import db
from shop.ledger.check import check_books
from shop.payments import card_attempts, refunds, stripe_events
from tests.fakes.stripe_fixtures import (card_order, fake_stripe_server, live_shop, pay_at,  # noqa: F401
                                         post_event, stripe_on)  # (fixtures)
from tests.integration.test_ledger import balances
from tests.readback import fresh_order


@pytest.fixture
def admin(make_user):
    from shop.auth.models import Role

    user = make_user(role=Role.ADMIN, email="office@example.vn")
    db.session.commit()
    return user


def _paid(order, stripe_on, post_event):
    with db.session.no_autoflush:
        card_attempts.start_card_payment(order.id)
    order = fresh_order(order.id)
    assert post_event(stripe_on.complete(order.payment.provider_reference, deliver=False)).json["outcome"] == "paid"
    return fresh_order(order.id)


def test_a_card_payment_is_in_the_stripe_balance_and_owed_to_the_producer(app, card_order, stripe_on, post_event):
    order = _paid(card_order(quantity=2, price=125_000), stripe_on, post_event)
    producer_id = order.parts[0].producer_id
    assert balances() == {"stripe": 250_000, f"producer_payable:{producer_id}": -250_000}
    assert check_books() == []


def test_a_cancelled_card_order_is_owed_back_then_paid_back_by_the_refund(app, card_order, stripe_on, post_event,
                                                                          admin):
    order = _paid(card_order(quantity=2, price=125_000), stripe_on, post_event)
    cancel_by_customer(order.id)
    assert balances() == {"stripe": 250_000, "refunds_owed": -250_000}
    refunds.refund_order(order.id, "whole", admin, "k" * 20)
    refunds.refund_order(order.id, "whole", admin, "k" * 20)  # the same form posted twice
    assert balances() == {}
    assert check_books() == []


def test_a_whole_refund_of_goods_the_customer_keeps_is_the_shops_expense(app, card_order, stripe_on, post_event,
                                                                         admin):
    order = _paid(card_order(quantity=1, price=125_000), stripe_on, post_event)
    refunds.refund_order(order.id, "whole", admin, "k" * 20)
    producer_id = order.parts[0].producer_id
    assert balances() == {f"producer_payable:{producer_id}": -125_000, "refunds_beyond_owed": 125_000}
    assert check_books() == []


def test_money_for_an_expired_attempt_is_owed_back_whole_and_refunded(app, card_order, stripe_on, pay_at):
    first = card_order(quantity=1, stock=1)
    with db.session.no_autoflush:
        card_attempts.start_card_payment(first.id)
    first = fresh_order(first.id)
    stripe_on.fail_next(1, 503)
    assert stripe_events.expire_unpaid_card_payments(at=first.payment.due_by + dt.timedelta(hours=25)) == [first.number]
    pay_at(first.payment.checkout_url)
    assert stripe_on.webhooks[-1][2] == 200
    assert len(stripe_on.refunds) == 1
    assert balances() == {}
    assert check_books() == []
