"""Card payment through the fake Stripe: sessions in whole đồng, webhooks once each, expiry, late money."""
import datetime as dt
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import pytest
import requests
from sqlalchemy import func, select

from shop.extensions import db
from shop.inventory.models import Stock
from shop.notifications.models import OutboxMessage
from shop.orders.models import Order, OrderEvent, OrderStatus
from shop.account.cancelling import cancel_by_customer
from shop.payments import card_attempts, errors, refunds, stripe_events, stripe_gateway as gateway
from shop.orders.payment import PaymentStatus
from shop.payments.models import ProviderEvent, Refund, RefundStatus
from tests.fakes.stripe_fixtures import (card_order, fake_stripe_server, live_shop, pay_at,  # noqa: F401
                                         post_event, stripe_on)  # (fixtures)


def _fresh(order_id: int) -> Order:
    db.session.rollback()
    return db.session.get(Order, order_id)


def _count(model, *where) -> int:
    db.session.rollback()
    return db.session.scalar(select(func.count()).select_from(model).where(*where))


def _mails(kind: str) -> int:
    return _count(OutboxMessage, OutboxMessage.kind == kind)


def _stock(variant_id: int) -> tuple[int, int]:
    db.session.rollback()
    stock = db.session.scalar(select(Stock).where(Stock.variant_id == variant_id))
    return stock.quantity, stock.allocated


def _started(order) -> tuple[Order, str]:
    """The order after start_card_payment, and the session id the fake gave it."""
    with db.session.no_autoflush:
        url = card_attempts.start_card_payment(order.id)
    order = _fresh(order.id)
    assert url == order.payment.checkout_url
    return order, order.payment.provider_reference


# ---- the session -------------------------------------------------------------------------------------

def test_the_session_charges_the_order_total_in_whole_dong_with_the_attempts_key(app, card_order, stripe_on):
    order = card_order(quantity=2, price=125_000)
    assert order.status == OrderStatus.PENDING_PAYMENT and order.payment.due_by is not None
    order, session_id = _started(order)

    [create] = stripe_on.api_requests("POST", "/v1/checkout/sessions")
    line = create.params["line_items"][0]
    assert line["price_data"]["unit_amount"] == "125000"  # zero-decimal: never 12500000
    assert line["quantity"] == "2" and line["price_data"]["currency"] == "vnd"
    assert create.params["currency"] == "vnd" and create.params["mode"] == "payment"
    assert create.idempotency_key == f"order-{order.number}-payment-{order.payment.id}"
    assert create.params["client_reference_id"] == order.number and create.params["locale"] == "en"
    assert create.params["metadata"] == {"order_number": order.number, "payment_id": str(order.payment.id)}
    assert create.params["customer_email"] == "minjun@example.kr"
    assert int(create.params["expires_at"]) == int(order.payment.due_by.replace(tzinfo=dt.UTC).timestamp())
    assert stripe_on.sessions[session_id]["amount_total"] == order.total_vnd == 250_000


def test_delivery_is_one_more_line_and_the_lines_add_up_to_the_total(app, stripe_on, make_order):
    from shop.orders.payment import PaymentMethod

    with app.test_request_context():
        order = make_order(delivery=True, payment=PaymentMethod.STRIPE_CARD, language="vi")
    assert order.shipping_vnd > 0
    _started(order)
    params = stripe_on.api_requests("POST", "/v1/checkout/sessions")[0].params
    amounts = [(int(i["price_data"]["unit_amount"]), int(i["quantity"])) for i in params["line_items"]]
    assert amounts[-1] == (order.shipping_vnd, 1)
    assert sum(a * q for a, q in amounts) == order.total_vnd
    assert params["line_items"][-1]["price_data"]["product_data"]["name"] == "Phí giao hàng"
    assert params["locale"] == "vi"


def test_starting_the_same_attempt_five_times_at_once_opens_one_session(app, card_order, stripe_on):
    order_id = card_order().id
    barrier = threading.Barrier(5)

    def start(_):
        with app.app_context():
            barrier.wait()
            try:
                return card_attempts.start_card_payment(order_id)
            finally:
                db.session.remove()

    with ThreadPoolExecutor(max_workers=5) as pool:
        urls = set(pool.map(start, range(5)))
    assert len(urls) == 1
    assert len(stripe_on.sessions) == 1
    keys = {r.idempotency_key for r in stripe_on.api_requests("POST", "/v1/checkout/sessions")}
    assert len(keys) == 1


def test_stripe_failing_leaves_the_order_waiting_and_a_new_attempt_gets_a_new_key(app, card_order, stripe_on):
    order = card_order()
    stripe_on.fail_next(1, 500)
    with pytest.raises(gateway.GatewayError) as failed:
        card_attempts.start_card_payment(order.id)
    assert str(failed.value) == str(gateway.GatewayError.message) and failed.value.answered
    order = _fresh(order.id)
    assert order.status == OrderStatus.PENDING_PAYMENT and order.payment.checkout_url == ""
    first = order.payment.id
    # The same attempt asked again gets Stripe's stored answer: still the error.
    with pytest.raises(gateway.GatewayError):
        card_attempts.start_card_payment(order.id)
    url = card_attempts.start_card_payment(order.id, retry_of=first)
    order = _fresh(order.id)
    assert [p.status for p in order.payments] == [PaymentStatus.FAILED, PaymentStatus.PENDING]
    assert url == order.payment.checkout_url and len(stripe_on.sessions) == 1
    keys = [r.idempotency_key for r in stripe_on.api_requests("POST", "/v1/checkout/sessions")]
    assert keys == [f"order-{order.number}-payment-{first}"] * 2 + [f"order-{order.number}-payment-{order.payment.id}"]
    # A second click on the old "try again" button reuses the new attempt.
    assert card_attempts.start_card_payment(order.id, retry_of=first) == url
    assert len(_fresh(order.id).payments) == 2


def test_a_key_used_again_with_other_parameters_is_refused_as_stripe_does(app, card_order, stripe_on):
    order, _ = _started(card_order())
    payment = order.payment
    payment.due_by = payment.due_by + dt.timedelta(minutes=5)  # never committed: only the request differs
    with pytest.raises(gateway.GatewayError) as refused:
        gateway.create_checkout_session(order, payment, "http://localhost/ok", "http://localhost/back",
                                             card_attempts.idempotency_key(order.number, payment.id))
    assert refused.value.status == 400 and refused.value.answered
    assert stripe_on.requests[-1].status == 400 and len(stripe_on.sessions) == 1
    db.session.rollback()


def test_a_timeout_at_stripe_is_a_clear_error_and_expiry_later_releases_the_stock(app, card_order, stripe_on,
                                                                                monkeypatch):
    monkeypatch.setitem(app.config, "STRIPE_TIMEOUT", 0.5)
    order = card_order(quantity=3)
    variant_id = order.lines[0].variant_id
    stripe_on.hang_next(1, seconds=2)
    started = time.monotonic()
    with pytest.raises(gateway.GatewayError) as failed:
        card_attempts.start_card_payment(order.id)
    assert time.monotonic() - started < 2 and failed.value.answered is False
    assert _stock(variant_id) == (10, 3)
    order = _fresh(order.id)
    assert stripe_events.expire_unpaid_card_payments(at=order.payment.due_by - dt.timedelta(minutes=1)) == []
    assert stripe_events.expire_unpaid_card_payments(at=order.payment.due_by + dt.timedelta(minutes=1)) == [order.number]
    assert _stock(variant_id) == (10, 0)
    assert _fresh(order.id).status == OrderStatus.CANCELLED
    with pytest.raises(errors.NotAwaitingCard):
        card_attempts.start_card_payment(order.id, retry_of=order.payment.id)


# ---- webhooks ------------------------------------------------------------------------------------------

def test_a_good_event_marks_the_order_paid_once_and_tells_the_customer(app, card_order, stripe_on, post_event):
    order, session_id = _started(card_order())
    event = stripe_on.complete(session_id, deliver=False)
    response = post_event(event)
    assert response.status_code == 200 and response.json["outcome"] == "paid"
    order = _fresh(order.id)
    assert order.payment.status == PaymentStatus.PAID and order.payment.received_vnd == order.total_vnd
    assert order.status == OrderStatus.CONFIRMED and order.payment.checkout_url == ""
    assert _mails("payment_received") == 1 and _count(ProviderEvent) == 1


@pytest.mark.parametrize("breakage", ["wrong secret", "stale timestamp", "tampered body", "no header", "garbage"])
def test_a_bad_signature_is_refused_with_400_and_changes_nothing(app, card_order, stripe_on, client, breakage):
    order, session_id = _started(card_order())
    event = stripe_on.complete(session_id, deliver=False)
    body, header = stripe_on.signed(event)
    if breakage == "wrong secret":
        body, header = stripe_on.signed(event, secret="whsec_someone_else")
    elif breakage == "stale timestamp":
        body, header = stripe_on.signed(event, timestamp=int(time.time()) - 600)
    elif breakage == "tampered body":
        body = body.replace(b'"amount_total": 250000', b'"amount_total": 1')
    elif breakage == "no header":
        header = ""
    else:
        body = b"not json at all"
    response = client.post("/payments/stripe/webhook", data=body, headers={"Stripe-Signature": header})
    assert response.status_code == 400
    assert _fresh(order.id).payment.status == PaymentStatus.PENDING
    assert _count(ProviderEvent) == 0 and _mails("payment_received") == 0


def test_the_same_event_three_times_takes_effect_once(app, card_order, stripe_on, post_event):
    order, session_id = _started(card_order())
    event = stripe_on.complete(session_id, deliver=False)
    outcomes = [post_event(event).json["outcome"] for _ in range(3)]
    assert outcomes == ["paid", "duplicate", "duplicate"]
    assert _mails("payment_received") == 1 and _count(ProviderEvent) == 1
    assert _count(OrderEvent, OrderEvent.kind == "payment_received") == 1


def test_the_same_event_ten_times_at_once_on_the_live_webhook_takes_effect_once(app, card_order, stripe_on):
    order, session_id = _started(card_order())
    event = stripe_on.complete(session_id, deliver=False)
    body, header = stripe_on.signed(event)
    barrier = threading.Barrier(10)

    def deliver(_):
        barrier.wait()
        return requests.post(stripe_on.webhook_url, data=body, timeout=60,
                             headers={"Stripe-Signature": header, "Content-Type": "application/json"})

    with ThreadPoolExecutor(max_workers=10) as pool:
        answers = list(pool.map(deliver, range(10)))
    assert [a.status_code for a in answers] == [200] * 10
    assert sorted(a.json()["outcome"] for a in answers) == ["duplicate"] * 9 + ["paid"]
    assert _mails("payment_received") == 1 and _count(ProviderEvent) == 1
    assert _fresh(order.id).payment.status == PaymentStatus.PAID


def test_an_unknown_event_type_is_acknowledged_and_ignored(app, stripe_on, post_event):
    response = post_event(stripe_on.event("customer.created", {"id": "cus_1", "object": "customer"}))
    assert response.status_code == 200 and response.json["outcome"] == "ignored"
    assert _count(ProviderEvent) == 0


def test_expired_after_completed_leaves_the_order_paid(app, card_order, stripe_on, post_event):
    order, session_id = _started(card_order())
    completed = stripe_on.complete(session_id, deliver=False)
    expired = stripe_on.event("checkout.session.expired", {**completed["data"]["object"], "status": "expired"})
    assert post_event(completed).json["outcome"] == "paid"
    assert post_event(expired).json["outcome"] == "stale"
    order = _fresh(order.id)
    assert order.status == OrderStatus.CONFIRMED and order.payment.status == PaymentStatus.PAID
    assert _mails("order_cancelled") == 0


def test_a_delayed_payment_waits_for_its_outcome_in_whatever_order_events_come(app, card_order, stripe_on,
                                                                               post_event):
    order, session_id = _started(card_order())
    completed = stripe_on.complete(session_id, deliver=False, delayed=True)
    succeeded = stripe_on.settle_delayed(session_id, succeeded=True, deliver=False)
    failed = stripe_on.event("checkout.session.async_payment_failed", succeeded["data"]["object"])
    # The outcome overtakes the completion; a contradicting failure afterwards changes nothing.
    assert post_event(succeeded).json["outcome"] == "paid"
    assert post_event(completed).json["outcome"] == "already_paid"
    assert post_event(failed).json["outcome"] == "stale"
    assert _fresh(order.id).payment.status == PaymentStatus.PAID and _mails("payment_received") == 1


def test_a_delayed_payment_that_fails_cancels_the_order_and_releases_its_stock(app, card_order, stripe_on,
                                                                              post_event):
    order, session_id = _started(card_order(quantity=4))
    variant_id = order.lines[0].variant_id
    assert post_event(stripe_on.complete(session_id, deliver=False, delayed=True)).json["outcome"] == "processing"
    assert _fresh(order.id).status == OrderStatus.PENDING_PAYMENT and _stock(variant_id) == (10, 4)
    assert post_event(stripe_on.settle_delayed(session_id, succeeded=False, deliver=False)).json["outcome"] == \
        "cancelled"
    assert _fresh(order.id).status == OrderStatus.CANCELLED and _stock(variant_id) == (10, 0)
    message = db.session.scalar(select(OutboxMessage).where(OutboxMessage.kind == "order_cancelled"))
    assert message.payload["reason"] == "unpaid_card"


def test_an_event_for_a_session_of_another_shop_is_acknowledged(app, stripe_on, post_event):
    foreign = {"id": "cs_test_other", "object": "checkout.session", "status": "complete", "payment_status": "paid",
               "amount_total": 1000, "currency": "vnd", "metadata": {"order_number": "X-1", "payment_id": "9999"}}
    response = post_event(stripe_on.event("checkout.session.completed", foreign))
    assert response.status_code == 200 and response.json["outcome"] == "not_ours"


def test_an_amount_that_does_not_match_is_not_recorded_as_paid(app, card_order, stripe_on, post_event):
    order, session_id = _started(card_order())
    event = stripe_on.complete(session_id, deliver=False)
    event["data"]["object"]["amount_total"] = 1_000
    assert post_event(event).json["outcome"] == "mismatch"
    order = _fresh(order.id)
    assert order.payment.status == PaymentStatus.PENDING and order.events[-1].kind == "card_amount_mismatch"


# ---- expiry and reconciliation ---------------------------------------------------------------------------

def test_an_unpaid_session_expires_the_order_once_and_gives_its_stock_back(app, card_order, stripe_on):
    order, session_id = _started(card_order(quantity=2))
    variant_id = order.lines[0].variant_id
    due = order.payment.due_by
    stripe_on.deliver_webhooks = False  # Stripe's own checkout.session.expired comes later, below
    assert stripe_events.expire_unpaid_card_payments(at=due + dt.timedelta(minutes=1)) == [order.number]
    assert stripe_on.sessions[session_id]["status"] == "expired"  # nobody can pay it any more
    assert _stock(variant_id) == (10, 0)
    assert stripe_events.expire_unpaid_card_payments(at=due + dt.timedelta(hours=1)) == []
    stripe_on.wait_for_webhooks()
    stripe_on.deliver_webhooks = True
    [expired] = stripe_on.undelivered
    assert stripe_on.send(expired) == 200  # handled, and changes nothing more
    assert _stock(variant_id) == (10, 0) and _mails("order_cancelled") == 1
    assert _fresh(order.id).status == OrderStatus.CANCELLED


def test_the_expired_webhook_alone_cancels_the_order(app, card_order, stripe_on, post_event):
    order, session_id = _started(card_order(quantity=2))
    stripe_on.expire(session_id)
    stripe_on.wait_for_webhooks()
    assert _fresh(order.id).status == OrderStatus.CANCELLED
    assert _stock(order.lines[0].variant_id) == (10, 0)


def test_expiry_finds_a_payment_whose_webhook_was_lost(app, card_order, stripe_on):
    order, session_id = _started(card_order())
    stripe_on.complete(session_id, deliver=False)
    at = order.payment.due_by + dt.timedelta(minutes=5)
    assert stripe_events.expire_unpaid_card_payments(at=at) == []
    assert _fresh(order.id).payment.status == PaymentStatus.PAID and _mails("payment_received") == 1
    assert stripe_events.expire_unpaid_card_payments(at=at) == []
    assert _mails("payment_received") == 1


def test_expiry_waits_for_an_unreachable_stripe_then_gives_up_on_the_order(app, card_order, stripe_on):
    order, session_id = _started(card_order())
    due = order.payment.due_by
    stripe_on.fail_next(10, 503)
    assert stripe_events.expire_unpaid_card_payments(at=due + dt.timedelta(hours=1)) == []
    assert stripe_events.expire_unpaid_card_payments(at=due + dt.timedelta(hours=25)) == [order.number]


def test_money_for_an_expired_order_whose_stock_was_sold_again_is_refunded_once(
        app, card_order, stripe_on, pay_at, make_sales_point, post_event):
    first, session_id = _started(card_order(quantity=1, stock=1))
    variant_id = first.lines[0].variant_id
    # Stripe was unreachable at expiry time: the shop gave the last unit back after waiting a day.
    stripe_on.fail_next(1, 503)
    assert stripe_events.expire_unpaid_card_payments(at=first.payment.due_by + dt.timedelta(hours=25)) == [first.number]
    product = first.lines[0]
    from shop.catalog.models import Variant

    second = card_order(quantity=1, product=db.session.get(Variant, product.variant_id).product)
    assert _stock(variant_id) == (1, 1)
    # Meanwhile the first customer still had Stripe's page open, and pays.
    pay_at(first.payment.checkout_url)
    assert stripe_on.webhooks[-1][2] == 200
    first = _fresh(first.id)
    assert first.payment.status == PaymentStatus.REFUNDED and first.status == OrderStatus.REFUNDED
    assert len(stripe_on.refunds) == 1
    [refund] = stripe_on.refunds.values()
    assert refund["amount"] == first.total_vnd
    completed = next(e for e in stripe_on.events if e["type"] == "checkout.session.completed")
    assert [post_event(completed).json["outcome"] for _ in range(2)] == ["duplicate", "duplicate"]
    again = stripe_on.event("checkout.session.completed", completed["data"]["object"])
    assert post_event(again).json["outcome"] == "already_paid"
    assert len(stripe_on.refunds) == 1 and _count(Refund) == 1
    assert _stock(variant_id) == (1, 1)  # the unit stays the second customer's: never sold twice
    assert _fresh(second.id).status == OrderStatus.PENDING_PAYMENT
    message = db.session.scalar(select(OutboxMessage).where(OutboxMessage.kind == "payment_refunded"))
    assert message.payload["reason"] == "late_payment" and message.payload["amount_vnd"] == first.total_vnd
    assert _mails("payment_received") == 0


# ---- refunds ---------------------------------------------------------------------------------------------

@pytest.fixture
def admin(make_user):
    from shop.auth.models import Role

    user = make_user(role=Role.ADMIN, email="office@example.vn")
    db.session.commit()
    return user


def _paid(order, stripe_on, post_event):
    order, session_id = _started(order)
    assert post_event(stripe_on.complete(session_id, deliver=False)).json["outcome"] == "paid"
    return _fresh(order.id)


def test_a_cancelled_paid_order_is_refunded_whole_once_and_the_customer_told(app, card_order, stripe_on,
                                                                            post_event, admin):
    order = _paid(card_order(), stripe_on, post_event)
    cancel_by_customer(order.id)
    assert _fresh(order.id).status == OrderStatus.CANCELLED
    refund = refunds.refund_order(order.id, "whole", admin, "k" * 20)
    again = refunds.refund_order(order.id, "whole", admin, "k" * 20)  # the same form posted twice
    assert refund.id == again.id and len(stripe_on.refunds) == 1
    [sent] = stripe_on.api_requests("POST", "/v1/refunds")
    assert sent.idempotency_key == f"order-{order.number}-refund-whole-{'k' * 20}"
    assert sent.params["amount"] == str(order.total_vnd)
    order = _fresh(order.id)
    assert order.payment.status == PaymentStatus.REFUNDED and order.payment.refunded_vnd == order.total_vnd
    assert order.status == OrderStatus.REFUNDED
    assert _mails("payment_refunded") == 1
    with pytest.raises(errors.NothingToRefund):
        refunds.refund_order(order.id, "whole", admin, "another-key-1234")


def test_the_parts_a_producer_rejected_are_refunded_and_the_rest_stays_paid(app, stripe_on, post_event, admin,
                                                                           make_product, make_producer,
                                                                           make_sales_point, put_stock, card_order,
                                                                           producer_user):
    from shop.fulfillment.services import reject_part

    tea = make_product(name="Trà hoa vàng", prices=(650_000,), producer=make_producer(name="HTX Trà"))
    noodles = make_product(name="Miến dong", prices=(90_000,), producer=make_producer(name="HTX Miến"))
    for product in (tea, noodles):
        put_stock(product.variants[0], product.producer, 5)
    from shop.cart.models import Cart, CartLine
    from shop.checkout.services import CheckoutData, place_order
    from shop.orders.models import DeliveryMethod
    from shop.orders.payment import PaymentMethod

    cart = Cart(token="two-producers", lines=[CartLine(variant_id=tea.variants[0].id, quantity=1),
                                              CartLine(variant_id=noodles.variants[0].id, quantity=2)])
    db.session.add(cart)
    db.session.commit()
    data = CheckoutData(name="Lan", email="lan@example.vn", phone="+84912345678", language="vi",
                        delivery=DeliveryMethod.PICKUP, payment=PaymentMethod.STRIPE_CARD,
                        sales_point_id=make_sales_point().id, data_consent=True)
    with app.test_request_context():
        order = place_order(cart.id, data, "two-producers", None)
    order = _paid(order, stripe_on, post_event)
    noodle_part = next(p for p in order.parts if p.producer_name == "HTX Miến")
    maker = producer_user(noodles.producer)
    db.session.commit()
    with app.test_request_context():
        reject_part(noodle_part.id, maker, "Hết hàng")
    order = _fresh(order.id)
    assert refunds.cancelled_parts_due_vnd(order, refunds.paid_card_payment(order)) == 180_000
    refunds.refund_order(order.id, "cancelled_parts", admin, "parts-key-000001")
    order = _fresh(order.id)
    assert [r["amount"] for r in stripe_on.refunds.values()] == [180_000]
    assert order.payment.status == PaymentStatus.PAID and order.payment.refunded_vnd == 180_000
    assert order.status == OrderStatus.CONFIRMED
    assert refunds.cancelled_parts_due_vnd(order, order.payment) == 0
    with pytest.raises(errors.NothingToRefund):
        refunds.refund_order(order.id, "cancelled_parts", admin, "parts-key-000002")
    assert refunds.refundable_vnd(order.payment) == 650_000


def test_a_double_click_on_refund_at_once_refunds_once(app, card_order, stripe_on, post_event, admin):
    order = _paid(card_order(), stripe_on, post_event)
    cancel_by_customer(order.id)
    order_id, admin_id = order.id, admin.id
    barrier = threading.Barrier(2)

    def click(_):
        from shop.auth.models import User

        with app.app_context():
            me = db.session.get(User, admin_id)
            barrier.wait()
            try:
                return refunds.refund_order(order_id, "whole", me, "double-click-key-01").id
            finally:
                db.session.remove()

    with ThreadPoolExecutor(max_workers=2) as pool:
        ids = set(pool.map(click, range(2)))
    assert len(ids) == 1 and len(stripe_on.refunds) == 1 and _count(Refund) == 1
    assert _mails("payment_refunded") == 1


def test_a_refund_stripe_refuses_is_recorded_failed_and_can_be_asked_again(app, card_order, stripe_on,
                                                                          post_event, admin):
    order = _paid(card_order(), stripe_on, post_event)
    cancel_by_customer(order.id)
    stripe_on.fail_next(1, 500, path="/v1/refunds")
    with pytest.raises(errors.RefundRefused):
        refunds.refund_order(order.id, "whole", admin, "first-try-key-0001")
    assert db.session.scalar(select(Refund.status)) == RefundStatus.FAILED
    # The same form again: Stripe keeps its answer for that key, so the shop says so without asking.
    with pytest.raises(errors.RefundRefused):
        refunds.refund_order(order.id, "whole", admin, "first-try-key-0001")
    assert _mails("payment_refunded") == 0 and _fresh(order.id).payment.refunded_vnd == 0
    refunds.refund_order(order.id, "whole", admin, "second-try-key-001")  # a fresh page: a new key
    assert len(stripe_on.refunds) == 1 and _fresh(order.id).status == OrderStatus.REFUNDED


def test_a_refund_that_timed_out_is_sent_again_with_its_key_and_happens_once(app, card_order, stripe_on,
                                                                            post_event, admin, monkeypatch):
    order = _paid(card_order(), stripe_on, post_event)
    cancel_by_customer(order.id)
    monkeypatch.setitem(app.config, "STRIPE_TIMEOUT", 0.5)
    stripe_on.hang_next(1, seconds=1.5, path="/v1/refunds")  # Stripe refunds, but answers too late
    with pytest.raises(gateway.GatewayError):
        refunds.refund_order(order.id, "whole", admin, "timeout-key-00001")
    assert db.session.scalar(select(Refund)).status == RefundStatus.PENDING
    time.sleep(2)
    assert refunds.retry_pending_refunds() == 1
    assert refunds.retry_pending_refunds() == 0
    assert len(stripe_on.refunds) == 1
    assert _fresh(order.id).status == OrderStatus.REFUNDED


def test_charge_refunded_confirms_refunds_and_records_one_made_in_stripes_dashboard(app, card_order, stripe_on,
                                                                                   post_event, admin):
    order = _paid(card_order(), stripe_on, post_event)
    session_id = order.payment.provider_reference
    charge = stripe_on.charge_of(session_id)
    # 100.000 ₫ given back in Stripe's dashboard, then the same event delivered twice.
    refunded = stripe_on.event("charge.refunded", {**charge, "amount_refunded": 100_000})
    assert post_event(refunded).json["outcome"] == "refund_recorded"
    assert post_event(refunded).json["outcome"] == "duplicate"
    order = _fresh(order.id)
    assert order.payment.refunded_vnd == 100_000 and order.payment.status == PaymentStatus.PAID
    assert _mails("payment_refunded") == 1
    assert refunds.refundable_vnd(order.payment) == order.total_vnd - 100_000
    refunds.refund_order(order.id, "whole", admin, "rest-refund-key-01")
    order = _fresh(order.id)
    assert order.payment.status == PaymentStatus.REFUNDED
    everything = stripe_on.event("charge.refunded", {**stripe_on.charge_of(session_id),
                                                     "amount_refunded": order.total_vnd})
    assert post_event(everything).json["outcome"] == "refund_recorded"
    assert _count(Refund) == 2 and _fresh(order.id).payment.refunded_vnd == order.total_vnd


def test_the_expire_command_runs_the_card_expiry_and_resends_refunds(app, card_order, stripe_on):
    _started(card_order())
    result = app.test_cli_runner().invoke(args=["orders", "expire"])
    assert result.exit_code == 0, result.output
    assert "Expired 0 unpaid transfer order(s)." in result.output
    assert "Expired 0 unpaid card order(s)." in result.output


@pytest.mark.parametrize("shape", ["data is a list", "object without id", "metadata is a list", "no type",
                                   "payment id beyond any database", "nul in the order number"])
def test_a_signed_event_of_an_unexpected_shape_gets_400_or_is_not_ours_and_changes_nothing(
        app, card_order, stripe_on, post_event, shape):
    order, session_id = _started(card_order())
    event = stripe_on.complete(session_id, deliver=False)
    session = event["data"]["object"]
    if shape == "data is a list":
        event["data"] = [session]
    elif shape == "object without id":
        del session["id"]
    elif shape == "metadata is a list":
        session["metadata"] = ["payment_id", "1"]
    elif shape == "no type":
        del event["type"]
    elif shape == "payment id beyond any database":
        session["metadata"]["payment_id"] = "99999999999999999999"
    else:
        session["metadata"]["order_number"] = "OCOP\x00"
    response = post_event(event)
    assert response.status_code in (200, 400)
    assert response.status_code == 400 or response.json["outcome"] == "not_ours"
    assert _fresh(order.id).payment.status == PaymentStatus.PENDING
    assert _mails("payment_received") == 0
