"""Stripe, behind one module: Checkout Sessions, refunds, webhook signatures. Nothing else imports `stripe`.

Every function returns plain dicts (Stripe's JSON) and raises GatewayError or SignatureError only, so the
rest of the shop never sees the SDK's types. Configuration is read at each call: STRIPE_SECRET_KEY,
STRIPE_API_BASE (tests point it at the fake Stripe), STRIPE_TIMEOUT, STRIPE_MAX_NETWORK_RETRIES.
"""
from __future__ import annotations

import datetime as dt
import logging
import importlib
import threading
from dataclasses import dataclass
from typing import TYPE_CHECKING

from flask import current_app
from flask_babel import force_locale, gettext as _, lazy_gettext as _l

from shop.clock import aware
from shop.errors import ShopError

if TYPE_CHECKING:
    import stripe

log = logging.getLogger(__name__)


def _sdk():
    """The Stripe SDK, imported on the first card payment, refund or webhook: it brings `requests` and about
    20 MiB that a worker serving only the catalogue never needs."""
    return importlib.import_module("stripe")

#: VND is a zero-decimal currency for Stripe: amounts are whole đồng, never multiplied by 100.
CURRENCY = "vnd"
#: The shop's languages are all Stripe Checkout locales.
LOCALES = {"vi", "en", "zh", "ko"}
#: Stripe's default webhook tolerance: an event signed longer ago than this is refused (replay protection).
SIGNATURE_TOLERANCE_SECONDS = 300


class GatewayError(ShopError):
    """Stripe did not do what was asked; str(error) is safe to show the customer.

    `answered` is True when Stripe replied with an error (the request reached it and failed: a retry with
    the same idempotency key gets the same answer), False when no answer came (timeout, connection).
    """

    message = _l("Card payment is not available right now. Your order is saved: please try again in a few "
                 "minutes, or choose to cancel it.")

    def __init__(self, message=None, *, answered: bool = False, status: int | None = None, **values):
        super().__init__(message, **values)
        self.answered = answered
        self.status = status


class SignatureError(Exception):
    """A webhook whose Stripe-Signature does not verify (wrong secret, altered body, too old)."""


@dataclass(frozen=True)
class CheckoutSession:
    id: str
    url: str
    expires_at: dt.datetime


_clients: dict[tuple, stripe.StripeClient] = {}
_clients_lock = threading.Lock()


def _client() -> stripe.StripeClient:
    """One StripeClient per configuration; its HTTP client keeps a connection pool per thread."""
    config, stripe = current_app.config, _sdk()
    key = (config["STRIPE_SECRET_KEY"], config.get("STRIPE_API_BASE") or stripe.DEFAULT_API_BASE,
           float(config["STRIPE_TIMEOUT"]), int(config["STRIPE_MAX_NETWORK_RETRIES"]))
    with _clients_lock:
        if key not in _clients:
            secret, base, timeout, retries = key
            # The SDK retries connection errors, timeouts and 409s itself, always with the same idempotency key.
            _clients[key] = stripe.StripeClient(secret, base_addresses={"api": base}, max_network_retries=retries,
                                                http_client=stripe.RequestsClient(timeout=timeout))
        return _clients[key]


def _call(action: str, request):
    """Run one SDK request; translate every Stripe error into GatewayError."""
    stripe = _sdk()
    try:
        return request().to_dict()
    except stripe.APIConnectionError as error:
        log.warning("Stripe %s: no answer: %s", action, error.user_message or error)
        raise GatewayError(answered=False) from error
    except stripe.StripeError as error:
        log.warning("Stripe %s: HTTP %s %s: %s", action, error.http_status, error.code, error.user_message or error)
        raise GatewayError(answered=True, status=error.http_status) from error


def checkout_line_items(order) -> list[dict]:
    """The order's lines as Stripe line items in whole đồng, delivery as one more line; they add up to the total."""
    with force_locale(order.language):  # the names the customer read at checkout
        names = [f"{line.display_name} – {line.display_label}" for line in order.lines]
        delivery = _("Delivery fee")
    items = [{"quantity": line.quantity,
              "price_data": {"currency": CURRENCY, "unit_amount": line.unit_price_vnd,
                             "product_data": {"name": name[:250]}}}
             for line, name in zip(order.lines, names)]
    if order.shipping_vnd > 0:
        items.append({"quantity": 1, "price_data": {"currency": CURRENCY, "unit_amount": order.shipping_vnd,
                                                     "product_data": {"name": delivery}}})
    total = sum(item["quantity"] * item["price_data"]["unit_amount"] for item in items)
    if total != order.total_vnd:
        # A programming error, never the customer's: Stripe must charge exactly what the order says.
        raise ValueError(f"line items of {order.number} add up to {total}, the order total is {order.total_vnd}")
    return items


def create_checkout_session(order, payment, success_url: str, cancel_url: str,
                            idempotency_key: str) -> CheckoutSession:
    """Open a hosted Checkout page for this payment attempt; the same key always gives the same session."""
    metadata = {"order_number": order.number, "payment_id": str(payment.id)}
    params = {
        "mode": "payment",
        "currency": CURRENCY,
        "line_items": checkout_line_items(order),
        "client_reference_id": order.number,
        "metadata": metadata,
        # Copied onto the PaymentIntent, and by Stripe onto its charge: charge.refunded finds the payment by it.
        "payment_intent_data": {"metadata": metadata},
        "locale": order.language if order.language in LOCALES else "auto",
        # From the attempt's stored deadline, so a repeated request sends the very same parameters.
        "expires_at": int(aware(payment.due_by).timestamp()),
        "success_url": success_url,
        "cancel_url": cancel_url,
    }
    if order.contact_email:  # a phone is enough to order: Stripe then asks for the card holder's e-mail itself
        params["customer_email"] = order.contact_email
    session = _call("create session", lambda: _client().v1.checkout.sessions.create(
        params, options={"idempotency_key": idempotency_key}))
    return CheckoutSession(id=session["id"], url=session["url"],
                           expires_at=dt.datetime.fromtimestamp(session["expires_at"], dt.UTC))


def retrieve_checkout_session(session_id: str) -> dict:
    """The session as Stripe has it now: status open | complete | expired, payment_status, payment_intent."""
    return _call("retrieve session", lambda: _client().v1.checkout.sessions.retrieve(session_id))


def expire_checkout_session(session_id: str) -> dict:
    """Close an open session so that nobody can pay it any more."""
    return _call("expire session", lambda: _client().v1.checkout.sessions.expire(session_id))


def create_refund(payment_intent: str, amount_vnd: int, idempotency_key: str, metadata: dict) -> dict:
    """Give amount_vnd back on a payment; the same key never refunds twice."""
    params = {"payment_intent": payment_intent, "amount": amount_vnd, "metadata": metadata}
    return _call("refund", lambda: _client().v1.refunds.create(
        params, options={"idempotency_key": idempotency_key}))


def construct_event(raw_body: bytes, signature_header: str | None) -> dict:
    """Verify a webhook's signature on its raw body and return the event; raise SignatureError."""
    secret = current_app.config.get("STRIPE_WEBHOOK_SECRET")
    if not secret:
        raise SignatureError("no webhook secret configured")
    stripe = _sdk()
    try:
        event = stripe.Webhook.construct_event(raw_body, signature_header, secret,
                                               tolerance=SIGNATURE_TOLERANCE_SECONDS)
    except stripe.SignatureVerificationError as error:
        raise SignatureError(str(error)) from error
    except ValueError as error:  # not JSON, or not an event
        raise SignatureError(str(error)) from error
    return event.to_dict()
