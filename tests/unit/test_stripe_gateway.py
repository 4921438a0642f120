"""Stripe without a network: the production checks, and line items that must add up to the order total."""
from types import SimpleNamespace

import pytest

from shop import create_app
from shop.config import UnsafeConfig
from shop.payments import stripe_gateway

PRODUCTION = {"ENV": "production", "SECRET_KEY": "k" * 40, "SQLALCHEMY_DATABASE_URI": "sqlite://",
              "PUBLIC_URL": "https://ocop.example", "RATELIMIT_STORAGE_URI": "redis://127.0.0.1:6379",
              "MAIL_SMTP_HOST": "smtp.ocop.example", "MAIL_FROM": "OCOP <no-reply@ocop.vn>"}


@pytest.mark.parametrize("keys", [{"STRIPE_SECRET_KEY": "sk_live_x"}, {"STRIPE_WEBHOOK_SECRET": "whsec_x"}])
def test_production_refuses_half_a_stripe_setup(keys):
    with pytest.raises(UnsafeConfig, match="SHOP_STRIPE_SECRET_KEY and SHOP_STRIPE_WEBHOOK_SECRET"):
        create_app({**PRODUCTION, **keys})


def test_production_refuses_a_session_length_stripe_would_refuse():
    with pytest.raises(UnsafeConfig, match="SHOP_STRIPE_SESSION_MINUTES"):
        create_app({**PRODUCTION, "STRIPE_SECRET_KEY": "sk_live_x", "STRIPE_WEBHOOK_SECRET": "whsec_x",
                    "STRIPE_SESSION_MINUTES": 10})


def test_production_starts_with_both_stripe_keys_or_none():
    assert create_app(PRODUCTION).config["STRIPE_SECRET_KEY"] is None
    app = create_app({**PRODUCTION, "STRIPE_SECRET_KEY": "sk_live_x", "STRIPE_WEBHOOK_SECRET": "whsec_x"})
    assert app.config["STRIPE_TIMEOUT"] == 10


def _order(shipping_vnd=0, total_vnd=None):
    lines = [SimpleNamespace(display_name="Binh Lieu glass noodles", display_label="Pack 500 g", unit_price_vnd=45_000,
                             quantity=3)]
    return SimpleNamespace(number="QN-2612-0001", language="en", lines=lines, shipping_vnd=shipping_vnd,
                           total_vnd=total_vnd if total_vnd is not None else 135_000 + shipping_vnd)


def test_line_items_are_whole_dong_with_delivery_as_a_line():
    app = create_app({"ENV": "testing", "SQLALCHEMY_DATABASE_URI": "sqlite://"})
    with app.app_context():
        items = stripe_gateway.checkout_line_items(_order(shipping_vnd=20_000))
    assert items[0] == {"quantity": 3, "price_data": {"currency": "vnd", "unit_amount": 45_000,
                                                      "product_data": {"name": "Binh Lieu glass noodles – Pack 500 g"}}}
    assert items[1]["price_data"]["unit_amount"] == 20_000
    assert items[1]["price_data"]["product_data"]["name"] == "Delivery fee"


def test_line_items_that_do_not_add_up_to_the_total_are_never_sent():
    app = create_app({"ENV": "testing", "SQLALCHEMY_DATABASE_URI": "sqlite://"})
    with app.app_context(), pytest.raises(ValueError, match="add up to 135000"):
        stripe_gateway.checkout_line_items(_order(total_vnd=140_000))


def test_a_refunded_card_order_is_not_waiting_for_payment():
    from shop.orders.models import OrderStatus, PartStatus
    from shop.orders.status import derive_status
    from shop.orders.payment import PaymentMethod, PaymentStatus

    card = PaymentMethod.STRIPE_CARD
    assert derive_status([PartStatus.NEW], card, PaymentStatus.PENDING) == OrderStatus.PENDING_PAYMENT
    assert derive_status([PartStatus.DELIVERED], card, PaymentStatus.REFUNDED) == OrderStatus.COMPLETED
    assert derive_status([PartStatus.CANCELLED], card, PaymentStatus.REFUNDED) == OrderStatus.REFUNDED
    assert derive_status([PartStatus.CANCELLED], card, PaymentStatus.PAID) == OrderStatus.CANCELLED
