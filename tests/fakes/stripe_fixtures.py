"""Fixtures for card payments: the fake Stripe, the shop served on 127.0.0.1 for its webhooks, a card order.

Import the ones a test module uses from here (pytest finds fixtures among a module's names).
"""
from __future__ import annotations

import threading
import uuid

import pytest
import requests
from werkzeug.serving import make_server

from shop.extensions import db
from tests.fakes.stripe_server import FakeStripe

__all__ = ["SECRET_KEY", "WEBHOOK_SECRET", "fake_stripe_server", "live_shop", "stripe_on", "card_order", "pay_at",
           "post_event"]

SECRET_KEY = "sk_test_fake"
WEBHOOK_SECRET = "whsec_test"


@pytest.fixture(scope="session")
def fake_stripe_server():
    fake = FakeStripe(webhook_secret=WEBHOOK_SECRET)
    fake.start()
    yield fake
    fake.stop()


@pytest.fixture(scope="session")
def live_shop(_clean_app):
    """The test app served on a loopback port, so that the fake Stripe can deliver webhooks over HTTP."""
    server = make_server("127.0.0.1", 0, _clean_app, threaded=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()


@pytest.fixture
def stripe_on(app, fake_stripe_server, live_shop, monkeypatch):
    """Card payment on, the SDK pointed at the fake, the fake's webhooks sent to the live shop; yield the fake."""
    fake = fake_stripe_server
    fake.reset()
    for key, value in {"STRIPE_SECRET_KEY": SECRET_KEY, "STRIPE_WEBHOOK_SECRET": WEBHOOK_SECRET,
                       "STRIPE_API_BASE": fake.url, "STRIPE_TIMEOUT": 2, "STRIPE_MAX_NETWORK_RETRIES": 0,
                       "STRIPE_CHECKOUT_ORIGINS": [fake.url]}.items():
        monkeypatch.setitem(app.config, key, value)
    fake.webhook_url = f"{live_shop}/payments/stripe/webhook"
    yield fake
    fake.wait_for_webhooks()
    db.session.rollback()


@pytest.fixture
def card_order(app, stripe_on, make_product, make_sales_point, put_stock):
    """Place a pickup order paid by card (not yet sent to Stripe): `card_order(quantity=2, stock=10, price=…)`."""
    from shop.cart.models import Cart, CartLine
    from shop.checkout.services import CheckoutData, place_order
    from shop.orders.models import DeliveryMethod
    from shop.orders.payment import PaymentMethod

    def make(quantity: int = 2, stock: int = 10, price: int = 125_000, product=None, point=None, language="en"):
        if product is None:
            product = make_product(name="Trà hoa vàng Ba Chẽ", prices=(price,))
            put_stock(product.variants[0], product.producer, stock)
        point = point or make_sales_point()
        cart = Cart(token=uuid.uuid4().hex, lines=[CartLine(variant_id=product.variants[0].id, quantity=quantity)])
        db.session.add(cart)
        db.session.commit()
        data = CheckoutData(name="Kim Min-jun", email="minjun@example.kr", phone="+84912345678", language=language,
                            delivery=DeliveryMethod.PICKUP, payment=PaymentMethod.STRIPE_CARD,
                            sales_point_id=point.id, data_consent=True)
        with app.test_request_context():
            return place_order(cart.id, data, uuid.uuid4().hex, expected_total_vnd=None)

    return make


@pytest.fixture
def pay_at():
    """Be the customer on the fake's hosted page: press Pay (or Cancel); return where Stripe redirects."""

    def press(checkout_url: str, button: str = "pay", **form) -> str:
        db.session.rollback()  # the test's own transaction must not hold locks the webhook needs
        page = requests.get(checkout_url, timeout=10)
        assert page.status_code == 200, page.text
        answer = requests.post(f"{checkout_url}/{button}", data=form, allow_redirects=False, timeout=30)
        assert answer.status_code == 303, answer.text
        return answer.headers["Location"]

    return press


@pytest.fixture
def post_event(client, stripe_on):
    """POST a signed event to the webhook through the test client: `post_event(event, timestamp=…, secret=…)`."""

    def post(event: dict, **signing):
        body, header = stripe_on.signed(event, **signing)
        return client.post("/payments/stripe/webhook", data=body,
                           headers={"Stripe-Signature": header, "Content-Type": "application/json"})

    return post
