"""A generated month of orders through the real services: the books balance and agree with every order."""
from __future__ import annotations

import datetime as dt
import os
import random
import uuid

import pytest

from shop.account.cancelling import cancel_by_customer
from shop.cart.models import Cart, CartLine
from shop.checkout.services import CheckoutData, place_order
from shop.clock import now, today
from shop.desk import handover, hold, receiving
from shop.extensions import db
from shop.fulfillment import services as producer
from shop.ledger import commission, payouts, statements
from shop.ledger.models import EntryKind, JournalEntry
from shop.orders.models import DeliveryMethod, PartStatus
from shop.orders.payment import Payment, PaymentMethod, PaymentStatus
from shop.payments import refunds
from shop.payments.transfers import record_transfer
from tests.fakes.stripe_fixtures import (fake_stripe_server, live_shop, post_event, stripe_on)  # noqa: F401
from tests.integration.test_ledger import balances
from tests.integration.test_ledger_cards import _paid, admin  # noqa: F401  (a fixture)
from tests.readback import fresh_order

ORDERS = int(os.environ.get("SHOP_MONTH_ORDERS", "200"))  # a few hundred by default; more for a soak
PICKUP_METHODS = (PaymentMethod.CASH_AT_PICKUP, PaymentMethod.VIETQR_TRANSFER, PaymentMethod.STRIPE_CARD)
DELIVERY_METHODS = (PaymentMethod.COD, PaymentMethod.VIETQR_TRANSFER, PaymentMethod.STRIPE_CARD)


def live_month(app, world, make_product, make_producer, producer_user, put_stock, stripe_on, post_event, admin,
               monkeypatch) -> list[str]:
    """ORDERS orders of every kind through the real services (the books written as they go); their fates."""
    monkeypatch.setitem(app.config, "COMMISSION_PERCENT", 8)
    c = make_producer(name="HTX Nấm Đầm Hà")
    db.session.commit()
    commission.set_rule(admin, producer_id=c.id, category_id=None, typed_percent="12,5")  # the others at 8 %
    makers = {world.a.id: world.user_a, world.b.id: world.user_b, c.id: producer_user(c, email="nam@damha.vn")}
    goods = []
    for maker, price in ((world.a, 95_000), (world.b, 240_000), (c, 133_333)):
        variant = make_product(name=f"Hàng của {maker.name}", producer=maker, prices=(price,)).variants[0]
        put_stock(variant, maker, 500)
        goods.append(variant)
    staff = {world.p.id: world.staff_p, world.q.id: world.staff_q}
    db.session.commit()
    rng = random.Random(11)
    fates = []
    for n in range(ORDERS):
        delivery = rng.random() < 0.4
        method = rng.choice(DELIVERY_METHODS if delivery else PICKUP_METHODS)
        point = rng.choice((world.p, world.q))
        chosen = rng.sample(goods, rng.randint(1, 3))
        cart = Cart(token=uuid.uuid4().hex, lines=[CartLine(variant_id=v.id, quantity=rng.randint(1, 2)) for v in chosen])
        db.session.add(cart)
        db.session.commit()
        data = CheckoutData(name="Khách thử", email=f"khach{n}@example.vn", phone="+84912345678", language="vi",
                            delivery=DeliveryMethod.DELIVERY if delivery else DeliveryMethod.PICKUP, payment=method,
                            data_consent=True,
                            **({"province_code": "22", "ward_code": "06673", "ward_name": "Phường Bãi Cháy",
                                "address_line": "12 đường Hạ Long"} if delivery else {"sales_point_id": point.id}))
        with app.test_request_context():
            order = place_order(cart.id, data, uuid.uuid4().hex, expected_total_vnd=None)
        fate = rng.choice(("complete", "complete", "reject", "cancel", "unpaid") + (() if delivery else ("unclaimed",)))
        fates.append(fate)
        prepaid = method in (PaymentMethod.VIETQR_TRANSFER, PaymentMethod.STRIPE_CARD)
        if prepaid and fate == "unpaid":
            continue
        if method == PaymentMethod.VIETQR_TRANSFER:
            record_transfer(order.id, order.total_vnd, f"FT{n}", admin)
        elif method == PaymentMethod.STRIPE_CARD:
            _paid(order, stripe_on, post_event)
        if fate == "cancel":
            cancel_by_customer(order.id)
            if method == PaymentMethod.STRIPE_CARD:
                refunds.refund_order(order.id, "whole", admin, f"cancel-refund-{n:08d}")
            continue
        order = fresh_order(order.id)
        if fate == "reject":
            part = order.parts[0]
            with app.test_request_context():
                producer.reject_part(part.id, makers[part.producer_id], "Hết hàng")
            if method == PaymentMethod.STRIPE_CARD:
                refunds.refund_order(order.id, "cancelled_parts", admin, f"parts-refund-{n:08d}")
        order = fresh_order(order.id)
        for part in [p for p in order.parts if p.status != PartStatus.CANCELLED]:
            maker = makers[part.producer_id]
            producer.accept_part(part.id, maker)
            producer.mark_packed(part.id, maker)
            if delivery:
                producer.mark_shipped(part.id, maker, "Viettel Post", f"VTP{part.id}")
                due = producer.cash_to_collect(fresh_order(order.id).part(part.id))
                producer.mark_delivered(part.id, maker, due or None)
            else:
                producer.mark_sent_to_point(part.id, maker, "Xe khách")
                receiving.receive_parcel(order.sales_point_id, f"OCOP-PART:{part.id}", staff[order.sales_point_id])
        order = fresh_order(order.id)
        if not delivery and order.live_parts:
            if fate == "unclaimed":
                hold.expire_pickups(now() + dt.timedelta(days=60))
                if method == PaymentMethod.STRIPE_CARD:
                    refunds.refund_order(order.id, "cancelled_parts", admin, f"unclaimed-refund-{n:08d}")
            else:
                handover.hand_over(order.sales_point_id, order.pickup_code, staff[order.sales_point_id],
                                   identity_checked=True, tendered_vnd=order.total_vnd + 50_000)
    return fates


def test_a_month_of_orders_leaves_books_that_balance_and_agree_with_every_order(
        app, two_producers_and_two_points, make_product, make_producer, producer_user, put_stock, stripe_on,
        post_event, admin, monkeypatch):
    world = two_producers_and_two_points
    fates = live_month(app, world, make_product, make_producer, producer_user, put_stock, stripe_on, post_event,
                       admin, monkeypatch)
    # The desk's own money: counter sales in cash at P (commission at the month's 8 %), then the till closed
    # out a little short and handed to the office.
    from shop.desk import counter

    put_stock(world.noodles, world.p, 20)
    put_stock(world.squid, world.p, 20)
    db.session.commit()
    for n, items in enumerate(({world.noodles.id: 3}, {world.noodles.id: 1, world.squid.id: 2})):
        counter.record_counter_sale(world.p.id, world.p.code, world.staff_p, items, "cash", f"QHL07-MONTH{n}")
    # A sale the customer changed their mind about, voided before the till is closed: its cash is not counted.
    voided = counter.record_counter_sale(world.p.id, world.p.code, world.staff_p, {world.squid.id: 1}, "cash",
                                         "QHL07-MONTH2")
    counter.void_sale(world.p.id, voided.id, world.staff_p, "khách đổi ý")
    expected = counter.expected_cash_vnd(world.p.id)
    counter.close_out(world.p.id, world.staff_p, expected - 5_000, "short by a note", expected_vnd=expected)
    assert counter.expected_cash_vnd(world.p.id) == 0
    counter.record_counter_sale(world.p.id, world.p.code, world.staff_p, {world.squid.id: 1}, "cash", "QHL07-MONTH9")
    result = app.test_cli_runner().invoke(args=["ledger", "check"])
    assert result.exit_code == 0, result.output
    books = balances()
    assert sum(books.values()) == 0
    db.session.rollback()
    # A producer brings part of the COD cash it holds to the office before the producers are paid.
    holder = next(due for due in payouts.dues() if due.held_vnd > 0)
    payouts.receive_cod_cash(admin, holder.producer, min(holder.held_vnd, 10_000), "office", "PT-MONTH-1")
    _pay_the_producers_and_check_their_statements(world, admin)
    result = app.test_cli_runner().invoke(args=["ledger", "check"])
    assert result.exit_code == 0, result.output
    assert sum(balances().values()) == 0
    kinds = set(db.session.scalars(db.select(JournalEntry.kind)))
    # The month did exercise every kind of money event the shop has today.
    assert kinds == set(EntryKind) - {EntryKind.REFUND_REVERSED}, (kinds, fates)
    assert {"bank", "stripe", "commission", "delivery_fees", "refunds_owed", f"point_cash:{world.p.id}"} <= set(books)
    assert any(code.startswith("producer_cash:") for code in books)
    paid = [p for p in db.session.scalars(db.select(Payment))
            if p.status in (PaymentStatus.PAID, PaymentStatus.REFUNDED)]
    assert books["bank"] == sum(p.received_vnd for p in paid if p.method == PaymentMethod.VIETQR_TRANSFER)



def _pay_the_producers_and_check_their_statements(world, admin) -> None:
    """A payout batch after the month: every producer's statement total (goods less commission and goods gone)
    is what the office paid it plus the COD cash it collected and kept plus what is still due (0 once paid)."""
    makers = [due.producer for due in payouts.dues()]
    for n, maker in enumerate(makers):
        if maker.id != world.b.id:  # B has no bank account yet: listed, skipped, still due
            maker.bank_bin, maker.bank_account, maker.bank_account_name = "970436", f"00110012345{n}", f"NCC {n}"
    db.session.commit()
    before = {due.producer.id: due for due in payouts.dues()}
    batch = payouts.create_batch(admin)
    paid = {payout.producer_id: payout.amount_vnd for payout in batch.payouts}
    assert set(paid) == {pid for pid, due in before.items() if due.due_vnd > 0 and pid != world.b.id}
    payouts.mark_paid(admin, batch.id, "FT-PAYOUT-1")
    with pytest.raises(payouts.BatchClosed):
        payouts.mark_paid(admin, batch.id, "FT-PAYOUT-1")
    db.session.rollback()
    for producer_id, due in before.items():
        statement = statements.statement(producer_id, today())
        earned = statement.total("sales_vnd") + statement.total("commission_vnd") + statement.total("refunds_vnd")
        collected = -statement.total("cod_cash_vnd")
        assert statement.opening_vnd == 0
        assert earned == paid.get(producer_id, 0) + collected + statement.closing_vnd, producer_id
        assert statement.closing_vnd == (0 if producer_id in paid else due.due_vnd)
        assert -statement.total("payouts_vnd") == paid.get(producer_id, 0)
