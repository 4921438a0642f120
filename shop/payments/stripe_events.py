"""What Stripe says about card payments: webhook events, the return page, the expiry job.

The webhook is the source of truth; the return page and the expiry job read the session and apply the same
idempotent steps. Each step locks the order first, so events arriving twice, at once, or out of order meet
one state: a paid payment never goes back, and money arriving for an attempt that is no longer waiting
(order cancelled or expired, attempt replaced) is refunded whole, once, and never takes stock.
"""
from __future__ import annotations

import datetime as dt
import logging

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from shop.clock import aware, now
from shop.extensions import begin_write, db
from shop.input_guard import has_control_characters, parse_id
from shop.ledger.accounts import stripe_balance
from shop.ledger.orders import book_payment
from shop.notifications.outbox import enqueue
from shop.orders.models import Order, OrderEventKind
from shop.orders.reasons import CancelReason
from shop.orders.lifecycle import lock_order, payment_changed, record_event
from shop.orders.services import cancel_unpaid
from shop.payments import messages, stripe_gateway as gateway
from shop.payments.card_attempts import latest_payment
from shop.payments.errors import CardError
from shop.orders.payment import Payment, PaymentMethod, PaymentStatus
from shop.payments.models import ProviderEvent
from shop.payments.refunds import new_refund, recount, record_charge_refunds, send_refund

log = logging.getLogger(__name__)

#: While Stripe cannot be reached, a lapsed card order waits this long for it before its stock is released anyway
#: (money that still arrives later is refunded automatically).
UNREACHABLE_GRACE = dt.timedelta(hours=24)


class MalformedEvent(ValueError):
    """A signed event whose shape is not what Stripe documents: refused (400), nothing written."""


def _check_shape(event) -> None:
    ok = (isinstance(event, dict) and _is_text(event.get("id")) and _is_text(event.get("type"))
          and isinstance(event.get("data"), dict) and isinstance(event["data"].get("object"), dict)
          and _is_text(event["data"]["object"].get("id"))
          and isinstance(event["data"]["object"].get("metadata") or {}, dict))
    if not ok:
        raise MalformedEvent("unexpected event shape")


def _is_text(value) -> bool:
    return isinstance(value, str) and 0 < len(value) <= 255 and not has_control_characters(value)


def handle_event(event: dict) -> str:
    """Apply one verified Stripe event once; return what happened (for logs and tests)."""
    _check_shape(event)
    handler = _HANDLERS.get(event.get("type"))
    if handler is None:
        return "ignored"
    return _apply(event["data"]["object"], handler, event)


def settle_session(session: dict) -> str:
    """Apply what a retrieved Checkout Session says, exactly as its webhook would."""
    if session.get("status") == "complete":
        return _apply(session, _session_completed)
    if session.get("status") == "expired":
        return _apply(session, _session_lapsed)
    return "open"


def reconcile(order_id: int) -> str:
    """The return page: ask Stripe about the order's current attempt and apply the answer."""
    payment = latest_payment(order_id)
    if payment is None or payment.method != PaymentMethod.STRIPE_CARD:
        return "not_card"
    if payment.status in (PaymentStatus.PAID, PaymentStatus.REFUNDED):
        return "already_paid"
    if not payment.provider_reference:
        return "open"
    session_id = payment.provider_reference
    db.session.rollback()
    return settle_session(gateway.retrieve_checkout_session(session_id))


def _apply(obj: dict, handler, event: dict | None = None) -> str:
    """Lock the order the Stripe object belongs to, remember the event, apply the handler, commit once."""
    order_id, payment_id = _find_payment(obj.get("metadata") or {})
    if order_id is None:
        begin_write()
        order = None
    else:
        order = lock_order(order_id=order_id)
    if event is not None and not _remember(event):
        db.session.rollback()
        return "duplicate"
    if order is None:
        db.session.commit()
        return "not_ours"
    payment = next(p for p in order.payments if p.id == payment_id)
    outcome, refund_id = handler(order, payment, obj)
    db.session.commit()
    if refund_id is not None:
        try:
            send_refund(refund_id)
        except (gateway.GatewayError, CardError):
            # Recorded as pending: `flask orders expire` asks again with the same key.
            log.warning("Refund %s not sent yet; it is retried later", refund_id)
    return outcome


def _find_payment(metadata: dict) -> tuple[int | None, int | None]:
    """The order and payment that a session or charge's metadata names, if they are this shop's."""
    payment_id, number = parse_id(metadata.get("payment_id")), metadata.get("order_number")
    if payment_id is None or not _is_text(number):
        return None, None
    row = db.session.execute(
        select(Payment.order_id).join(Order, Order.id == Payment.order_id)
        .where(Payment.id == payment_id, Payment.method == PaymentMethod.STRIPE_CARD,
               Order.number == number)
    ).first()
    return (row.order_id, payment_id) if row else (None, None)


def _remember(event: dict) -> bool:
    """Store the event's id in the current transaction; False when it was handled before."""
    if db.session.get(ProviderEvent, event["id"]) is not None:
        return False
    db.session.add(ProviderEvent(id=event["id"], type=event["type"][:80]))
    try:
        db.session.flush()
    except IntegrityError:
        # The same event, delivered twice at once, was stored by the other delivery first.
        return False
    return True


def _session_completed(order: Order, payment: Payment, session: dict):
    if session.get("payment_status") != "paid":
        if payment.status in (PaymentStatus.PAID, PaymentStatus.REFUNDED):  # its outcome came first
            return "already_paid", None
        # A delayed method (bank debit…): its outcome comes with async_payment_succeeded or _failed.
        return "processing", None
    return _record_payment(order, payment, session)


def _session_lapsed(order: Order, payment: Payment, session: dict):
    """The session expired or its delayed payment failed: cancel the order if this attempt still waits."""
    current = order.payment is payment and payment.status == PaymentStatus.PENDING
    if not current or payment.provider_reference not in ("", session["id"]):
        # Out of order or an old attempt: a paid payment never goes back, a replaced attempt changes nothing.
        return "stale", None
    cancel_unpaid(order, CancelReason.UNPAID_CARD)
    return "cancelled", None


def _record_payment(order: Order, payment: Payment, session: dict):
    amount = session.get("amount_total")
    if session.get("currency") != gateway.CURRENCY or amount != payment.amount_vnd:
        log.error("Stripe session %s of %s: %s %s, expected %s vnd", session.get("id"), order.number, amount,
                  session.get("currency"), payment.amount_vnd)
        record_event(order, OrderEventKind.CARD_AMOUNT_MISMATCH, None, amount=amount, currency=session.get("currency"))
        return "mismatch", None
    if payment.status in (PaymentStatus.PAID, PaymentStatus.REFUNDED):
        return "already_paid", None
    was = payment.status
    # Conditional, so that of two deliveries only one records the money.
    if not payment.claim_paid(amount, reference=session["id"]):
        return "already_paid", None
    if was == PaymentStatus.PENDING:
        record_event(order, OrderEventKind.PAYMENT_RECEIVED, None, amount_vnd=amount, method=str(payment.method))
        book_payment(order, payment, amount, stripe_balance())
        recount(payment)
        payment_changed(order)
        enqueue(messages.payment_received(order, payment, amount))
        return "paid", None
    # The money came for an attempt no longer waiting (order cancelled or expired, attempt replaced): its
    # stock may belong to someone else now, so the whole amount goes back, once per payment.
    book_payment(order, payment, amount, stripe_balance(), all_owed=True)
    refund = new_refund(payment, amount, f"order-{order.number}-payment-{payment.id}-late", "late_payment", None)
    record_event(order, OrderEventKind.LATE_PAYMENT, None, amount_vnd=amount)
    payment_changed(order)
    return "late_payment", refund.id


_HANDLERS = {
    "checkout.session.completed": _session_completed,
    "checkout.session.async_payment_succeeded": _session_completed,
    "checkout.session.async_payment_failed": _session_lapsed,
    "checkout.session.expired": _session_lapsed,
    "charge.refunded": record_charge_refunds,
}


def expire_unpaid_card_payments(at: dt.datetime | None = None) -> list[str]:
    """Cancel card orders whose payment page lapsed unpaid (stock released); settle the ones Stripe says are paid."""
    at = aware(at or now())
    due = db.session.execute(
        select(Payment.id, Payment.order_id, Payment.provider_reference, Payment.due_by)
        .where(Payment.method == PaymentMethod.STRIPE_CARD, Payment.status == PaymentStatus.PENDING,
               Payment.due_by < at).order_by(Payment.order_id)
    ).all()
    db.session.rollback()
    expired = []
    for payment_id, order_id, session_id, due_by in due:
        if session_id and not _lapsed_at_stripe(session_id, aware(due_by), at):
            continue
        number = _cancel_lapsed(order_id, payment_id, at)
        if number:
            expired.append(number)
    return expired


def _lapsed_at_stripe(session_id: str, due_by: dt.datetime, at: dt.datetime) -> bool:
    """Close the session at Stripe and say whether nobody paid it; a paid one is recorded instead."""
    try:
        session = gateway.retrieve_checkout_session(session_id)
        if session["status"] == "open":
            try:
                session = gateway.expire_checkout_session(session_id)
            except gateway.GatewayError:
                session = gateway.retrieve_checkout_session(session_id)  # completed meanwhile?
    except gateway.GatewayError:
        # Stripe is unreachable: wait for it a while, since a lost webhook may hide a payment.
        return at - due_by > UNREACHABLE_GRACE
    if session["status"] == "complete":
        settle_session(session)  # paid: recorded now; a delayed method still processing: its event decides
        return False
    return True


def _cancel_lapsed(order_id: int, payment_id: int, at: dt.datetime) -> str | None:
    order = lock_order(order_id=order_id)
    payment = order.payment if order else None
    # Re-checked under the lock: the webhook or a new attempt may have changed it meanwhile.
    if payment is None or payment.id != payment_id or payment.status != PaymentStatus.PENDING \
            or aware(payment.due_by) >= at:
        db.session.rollback()
        return None
    cancel_unpaid(order, CancelReason.UNPAID_CARD)
    db.session.commit()
    return order.number
