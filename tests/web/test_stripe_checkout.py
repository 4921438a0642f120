"""A customer pays by card on the (fake) Stripe page, or cannot, and the office refunds: through the pages."""
import datetime as dt
import re
from urllib.parse import urlsplit

import pytest
from sqlalchemy import func, select

from shop.auth.models import Role
from shop.extensions import db
from shop.inventory.models import Stock
from shop.notifications.models import OutboxMessage
from shop.orders.models import Order, OrderStatus
from shop.payments import stripe_events
from shop.orders.payment import Payment, PaymentStatus
from tests.fakes.stripe_fixtures import (card_order, fake_stripe_server, live_shop, pay_at,  # noqa: F401
                                         post_event, stripe_on)  # (fixtures)
from tests.web.helpers import checkout_details, confirm_page, csrf_token, place_order_form


@pytest.fixture
def shop(make_product, make_producer, make_sales_point, put_stock):
    tea = make_product(name="Trà hoa vàng Ba Chẽ", prices=(125_000,), producer=make_producer(name="HTX Trà"))
    put_stock(tea.variants[0], tea.producer, 5)
    point = make_sales_point(code="HL01", name="Điểm bán OCOP Bãi Cháy")
    db.session.commit()
    return {"tea": tea, "point": point}


def _checkout(client, shop, payment="stripe_card", quantity=2):
    """Fill the cart and checkout's first step; return the fields "Place order" posts."""
    from shop.catalog.models import Product

    slug = db.session.scalar(select(Product.slug).order_by(Product.id))
    client.post("/cart/add", data={"csrf_token": csrf_token(client, f"/products/{slug}"),
                                   "variant_id": shop["tea"].variants[0].id, "quantity": quantity})
    checkout_details(client, name="Kim Min-jun", email="minjun@example.kr", sales_point=str(shop["point"].id))
    return {**confirm_page(client)[1], "method": payment}


def _local(url: str) -> str:
    """A shop URL (as Stripe redirects to it) as the test client wants it: path and query."""
    parts = urlsplit(url)
    return f"{parts.path}?{parts.query}"


def _order() -> Order:
    db.session.rollback()
    return db.session.scalar(select(Order))


def _allocated() -> int:
    db.session.rollback()
    return db.session.scalar(select(func.sum(Stock.allocated)))


def test_card_is_offered_only_when_stripe_is_configured(client, shop):
    _checkout(client, shop, payment="cash_at_pickup")
    assert 'value="stripe_card"' not in client.get("/checkout/confirm").get_data(as_text=True)
    refused = place_order_form(client, "stripe_card")
    assert refused.headers["Location"].endswith("/checkout/confirm")  # the same step again, with its error
    assert db.session.scalar(select(func.count(Order.id))) == 0


def test_card_appears_with_stripe_configured(client, shop, stripe_on):
    _checkout(client, shop, payment="cash_at_pickup")
    assert 'value="stripe_card"' in client.get("/checkout/confirm?lang=en").get_data(as_text=True)


def test_a_guest_pays_by_card_on_stripes_page_and_comes_back_to_a_paid_order(client, shop, stripe_on, pay_at):
    response = client.post("/checkout/place", data=_checkout(client, shop))
    assert response.status_code == 303
    order = _order()
    assert response.headers["Location"] == order.payment.checkout_url
    assert response.headers["Location"].startswith(f"{stripe_on.url}/pay/cs_test_")
    back = pay_at(response.headers["Location"])
    assert stripe_on.webhooks[-1][1:] == ("checkout.session.completed", 200)
    assert urlsplit(back).path == "/payments/stripe/return"
    landing = client.get(_local(back) + "&lang=en")
    assert landing.status_code == 303 and f"/orders/{order.number}" in landing.headers["Location"]
    page = client.get(landing.headers["Location"]).get_data(as_text=True)
    assert "Thank you: your card payment was received." in page
    order = _order()
    assert order.payment.status == PaymentStatus.PAID and order.status == OrderStatus.CONFIRMED
    assert db.session.scalar(select(func.count()).where(OutboxMessage.kind == "payment_received")) == 1


def test_the_return_page_records_the_payment_when_the_webhook_never_came(client, shop, stripe_on, pay_at):
    location = client.post("/checkout/place", data=_checkout(client, shop)).headers["Location"]
    stripe_on.deliver_webhooks = False
    back = pay_at(location)
    assert stripe_on.webhooks == [] and len(stripe_on.undelivered) == 1
    assert _order().payment.status == PaymentStatus.PENDING
    landing = client.get(_local(back) + "&lang=en")
    assert "Thank you: your card payment was received." in client.get(landing.headers["Location"]).get_data(
        as_text=True)
    assert _order().payment.status == PaymentStatus.PAID
    # The webhook arriving late finds the work done.
    stripe_on.deliver_webhooks = True
    assert stripe_on.send(stripe_on.undelivered[0]) == 200
    assert db.session.scalar(select(func.count()).where(OutboxMessage.kind == "payment_received")) == 1


def test_leaving_stripes_page_keeps_the_order_waiting_with_a_pay_by_card_button(client, shop, stripe_on, pay_at):
    location = client.post("/checkout/place", data=_checkout(client, shop)).headers["Location"]
    back = pay_at(location, button="cancel")
    landing = client.get(_local(back) + "&lang=en")
    page = client.get(landing.headers["Location"]).get_data(as_text=True)
    assert "The card payment was not completed. You can try again, or cancel the order." in page
    assert "Pay by card" in page and "Cancel this order" in page
    order = _order()
    token = csrf_token(client, landing.headers["Location"])
    again = client.post(f"/payments/stripe/orders/{order.number}/pay",
                        data={"csrf_token": token, "t": order.access_token, "attempt": order.payment.id})
    assert again.status_code == 303 and again.headers["Location"] == location
    assert len(stripe_on.sessions) == 1


def test_placing_the_same_checkout_twice_opens_one_stripe_session(client, shop, stripe_on):
    fields = _checkout(client, shop)
    first = client.post("/checkout/place", data=fields)
    second = client.post("/checkout/place", data=fields)
    assert first.headers["Location"] == second.headers["Location"]
    assert len(stripe_on.sessions) == 1
    assert db.session.scalar(select(func.count(Order.id))) == 1


@pytest.mark.parametrize("outage", ["500", "timeout"])
def test_stripe_down_at_checkout_says_so_and_the_order_can_be_paid_later_or_expires(client, app, shop, stripe_on,
                                                                                    monkeypatch, outage):
    if outage == "500":
        stripe_on.fail_next(1, 500)
    else:
        monkeypatch.setitem(app.config, "STRIPE_TIMEOUT", 0.5)
        stripe_on.hang_next(1, seconds=1.5)
    response = client.post("/checkout/place?lang=en", data=_checkout(client, shop))
    order = _order()
    assert response.status_code == 302 and f"/orders/{order.number}" in response.headers["Location"]
    page = client.get(response.headers["Location"] + "&lang=en").get_data(as_text=True)
    assert "Card payment is not available right now. Your order is saved" in page
    assert "Try card payment again" in page and "Cancel this order" in page
    assert order.status == OrderStatus.PENDING_PAYMENT and _allocated() == 2
    # Nobody comes back: the expiry job gives the stock back.
    assert stripe_events.expire_unpaid_card_payments(at=order.payment.due_by + dt.timedelta(minutes=1)) == [order.number]
    assert _allocated() == 0 and _order().status == OrderStatus.CANCELLED


def test_try_again_after_stripe_failed_opens_a_new_attempt(client, shop, stripe_on):
    stripe_on.fail_next(1, 500)
    location = client.post("/checkout/place", data=_checkout(client, shop)).headers["Location"]
    order = _order()
    token = csrf_token(client, location)
    retry = client.post(f"/payments/stripe/orders/{order.number}/pay",
                        data={"csrf_token": token, "t": order.access_token, "attempt": order.payment.id})
    assert retry.status_code == 303 and retry.headers["Location"].startswith(f"{stripe_on.url}/pay/")
    assert db.session.scalar(select(func.count(Payment.id))) == 2
    keys = [r.idempotency_key for r in stripe_on.api_requests("POST", "/v1/checkout/sessions")]
    assert len(keys) == 2 and keys[0] != keys[1]


def test_pay_by_card_needs_the_orders_token(client, shop, stripe_on):
    stripe_on.fail_next(1, 500)
    location = client.post("/checkout/place", data=_checkout(client, shop)).headers["Location"]
    order = _order()
    token = csrf_token(client, location)
    response = client.post(f"/payments/stripe/orders/{order.number}/pay",
                           data={"csrf_token": token, "t": "wrong", "attempt": order.payment.id})
    assert response.status_code == 404
    assert client.get(f"/payments/stripe/return?order={order.number}&t=wrong").status_code == 404


def test_cancelling_a_card_order_closes_its_stripe_page(client, shop, stripe_on):
    location = client.post("/checkout/place", data=_checkout(client, shop)).headers["Location"]
    order = _order()
    page = f"/orders/{order.number}?t={order.access_token}"
    client.post(f"/orders/{order.number}/cancel", data={"csrf_token": csrf_token(client, page),
                                                        "t": order.access_token})
    session_id = location.rsplit("/", 1)[1]
    assert stripe_on.sessions[session_id]["status"] == "expired"
    assert _order().status == OrderStatus.CANCELLED and _allocated() == 0


# ---- the office --------------------------------------------------------------------------------------

@pytest.fixture
def paid_order(client, shop, stripe_on, pay_at):
    location = client.post("/checkout/place", data=_checkout(client, shop)).headers["Location"]
    pay_at(location)
    order = _order()
    assert order.payment.status == PaymentStatus.PAID
    return order


def test_the_office_refunds_a_cancelled_card_order_once_even_when_the_form_is_sent_twice(
        client, paid_order, stripe_on, make_user, login):
    from shop.account.cancelling import cancel_by_customer

    cancel_by_customer(paid_order.id)
    make_user(role=Role.ADMIN, email="office@example.vn")
    db.session.commit()
    login(client, "office@example.vn")
    listing = client.get("/admin/payments?lang=en").get_data(as_text=True)
    assert paid_order.number in listing and "to refund" in listing
    url = f"/admin/orders/{paid_order.number}/refund"
    page = client.get(url + "?lang=en").get_data(as_text=True)
    assert "250,000" in page and "Refund everything left" in page
    forms = re.findall(r'<form method="post".*?</form>', page, re.S)
    whole = next(f for f in forms if 'value="whole"' in f)
    fields = dict(re.findall(r'name="(csrf_token|request_key|scope)" value="([^"]*)"', whole))
    first = client.post(url, data=fields)
    second = client.post(url, data=fields)
    assert first.status_code == second.status_code == 302
    assert len(stripe_on.refunds) == 1
    after = client.get(url + "?lang=en").get_data(as_text=True)
    assert "250,000\xa0₫ refunded on" in after
    db.session.rollback()
    assert db.session.get(Order, paid_order.id).status == OrderStatus.REFUNDED
    assert db.session.scalar(select(func.count()).where(OutboxMessage.kind == "payment_refunded")) == 1


def test_a_customer_who_cancels_a_paid_card_order_gets_the_money_back_once(client, paid_order, stripe_on):
    page = f"/orders/{paid_order.number}?t={paid_order.access_token}&lang=en"
    form = {"csrf_token": csrf_token(client, page), "t": paid_order.access_token}
    response = client.post(f"/orders/{paid_order.number}/cancel", data=form, follow_redirects=True)
    assert "The 250,000\xa0₫ you paid goes back to your card" in response.get_data(as_text=True)
    assert [r["amount"] for r in stripe_on.refunds.values()] == [250_000]
    db.session.rollback()
    assert db.session.get(Order, paid_order.id).status == OrderStatus.REFUNDED
    assert db.session.scalar(select(func.count()).where(OutboxMessage.kind == "payment_refunded")) == 1
    # A second cancel (double click) is refused and refunds nothing more.
    again = client.post(f"/orders/{paid_order.number}/cancel", data=form, follow_redirects=True)
    assert "can no longer be cancelled" in again.get_data(as_text=True)
    assert len(stripe_on.refunds) == 1


def test_refunds_are_for_the_office_only_and_need_the_csrf_token(client, paid_order, stripe_on, make_user, login):
    url = f"/admin/orders/{paid_order.number}/refund"
    assert client.get(url).status_code == 302  # to the login page
    make_user(email="buyer@example.vn")
    make_user(role=Role.ADMIN, email="office@example.vn")
    db.session.commit()
    login(client, "buyer@example.vn")
    assert client.get(url).status_code == 403
    token = csrf_token(client, "/account")
    assert client.post(url, data={"csrf_token": token, "scope": "whole", "request_key": "x" * 20}).status_code == 403
    client.post("/logout", data={"csrf_token": csrf_token(client, "/account")})
    login(client, "office@example.vn")
    assert client.post(url, data={"scope": "whole", "request_key": "x" * 20}).status_code == 400
    assert stripe_on.refunds == {}
