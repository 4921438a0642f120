"""Card attempts: open (or reopen) the Stripe Checkout page where a customer pays an order.

An order paid by card has one Payment row per *attempt*. An attempt's idempotency key is
``order-<number>-payment-<payment id>``, so repeating a request (a double click, the SDK's own retry after a
timeout) gives the same Checkout Session. When creating the session failed, Stripe keeps that answer for
the key, so "try again" opens a new attempt (a new Payment row; the old one fails). The latest attempt is
``order.payment``. What Stripe says afterwards is applied by payments/stripe_events.py.
"""
from __future__ import annotations

import logging
from dataclasses import dataclass

from sqlalchemy import select

from shop.clock import aware, now
from shop.extensions import db
from shop.links import stripe_cancel_url, stripe_return_url
from shop.orders.models import Order, OrderStatus
from shop.orders.lifecycle import lock_order, payment_changed
from shop.payments import stripe_gateway as gateway
from shop.payments.errors import NotAwaitingCard, TimeToPayOver
from shop.orders.payment import Payment, PaymentMethod, PaymentStatus
from shop.payments.services import card_due_by

log = logging.getLogger(__name__)


def idempotency_key(order_number: str, payment_id: int) -> str:
    return f"order-{order_number}-payment-{payment_id}"


@dataclass(frozen=True)
class _Attempt:
    payment_id: int
    checkout_url: str


def start_card_payment(order_id: int, retry_of: int | None = None) -> str:
    """Return the Stripe page where the customer pays the order; open it first when needed.

    retry_of is the attempt the customer saw fail ("try card payment again"): if it is still the current one
    and never got a page, a new attempt starts. Raise CardError, or GatewayError when Stripe fails.
    """
    attempt = _current_attempt(order_id, retry_of)
    if attempt.checkout_url:
        return attempt.checkout_url
    order = db.session.get(Order, order_id)
    payment = db.session.get(Payment, attempt.payment_id)
    session = gateway.create_checkout_session(
        order, payment,
        success_url=stripe_return_url(order),
        cancel_url=stripe_cancel_url(order),
        idempotency_key=idempotency_key(order.number, payment.id))
    return _keep_session(order_id, attempt.payment_id, session)


def _current_attempt(order_id: int, retry_of: int | None) -> _Attempt:
    order = lock_order(order_id=order_id)
    payment = order.payment if order else None
    if payment is None or payment.method != PaymentMethod.STRIPE_CARD or payment.status != PaymentStatus.PENDING \
            or order.status != OrderStatus.PENDING_PAYMENT:
        db.session.rollback()
        raise NotAwaitingCard()
    if payment.checkout_url:
        attempt = _Attempt(payment.id, payment.checkout_url)
        lapsed = payment.due_by is not None and aware(payment.due_by) <= now()
        db.session.rollback()
        if lapsed:
            raise TimeToPayOver()
        return attempt
    if retry_of == payment.id:
        # Stripe stores a failed answer under its key: only a new attempt, with a new key, can succeed.
        payment.mark_failed()
        payment = Payment(method=PaymentMethod.STRIPE_CARD, amount_vnd=payment.amount_vnd, due_by=card_due_by(now()))
        order.payments.append(payment)
        db.session.flush()
        payment_changed(order)
    elif payment.due_by is None:
        payment.due_by = card_due_by(now())
    db.session.commit()
    return _Attempt(payment.id, "")


def _keep_session(order_id: int, payment_id: int, session: gateway.CheckoutSession) -> str:
    order = lock_order(order_id=order_id)
    payment = next(p for p in order.payments if p.id == payment_id)
    if payment.status != PaymentStatus.PENDING:
        # The order was cancelled or expired while Stripe answered: close the page so nobody pays it.
        db.session.rollback()
        close_checkout(session.id)
        raise NotAwaitingCard()
    payment.provider_reference, payment.checkout_url, payment.due_by = session.id, session.url, session.expires_at
    db.session.commit()
    return session.url


def close_checkout(session_id: str) -> None:
    """Expire a Checkout Session nobody should pay any more; a failure only means Stripe expires it later."""
    if not session_id:
        return
    try:
        gateway.expire_checkout_session(session_id)
    except gateway.GatewayError:
        log.info("Checkout Session %s not expired now; it lapses on its own", session_id)


def latest_payment(order_id: int) -> Payment | None:
    return db.session.scalar(select(Payment).where(Payment.order_id == order_id).order_by(Payment.id.desc()).limit(1))


def close_order_checkout(order_id: int) -> None:
    """After an order was cancelled: close the payment page of its card attempt, if one is open."""
    payment = latest_payment(order_id)
    if payment is not None and payment.method == PaymentMethod.STRIPE_CARD and payment.checkout_url \
            and payment.status == PaymentStatus.FAILED:
        session_id = payment.provider_reference
        db.session.rollback()
        close_checkout(session_id)
