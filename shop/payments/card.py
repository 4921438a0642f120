"""Card payment through Stripe Checkout: attempts, Stripe's events, expiry and refunds.

An order paid by card has one Payment row per *attempt*. An attempt's idempotency key is
``order-<number>-payment-<payment id>``, so repeating a request (a double click, the SDK's own retry after a
timeout) gives the same Checkout Session. When creating the session failed, Stripe keeps that answer for
the key, so "try again" opens a new attempt (a new Payment row; the old one fails). The latest attempt is
``order.payment``. The webhook is the source of truth; the return page and the expiry job read the session
and apply the same idempotent steps. Each step locks the order first, so events arriving twice, at once, or
out of order meet one state: a paid payment never goes back, and money arriving for an attempt that is no
longer waiting (order cancelled or expired, attempt replaced) is refunded whole, once, and never takes stock.
"""
from __future__ import annotations

import datetime as dt
import logging
import re
from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError

from shop.auth.models import User
from shop.clock import aware, now
from shop.errors import ShopError
from shop.extensions import begin_write, db
from shop.notifications.outbox import enqueue
from shop.orders.models import Order, OrderStatus
from shop.orders.reasons import CancelReason
from shop.orders.services import cancel_unpaid, load_for_update, record_event, refresh_status
from shop.payments import stripe_gateway as gateway
from shop.payments.models import (Payment, PaymentMethod, PaymentStatus, ProviderEvent, Refund,
                                  RefundStatus)
from shop.payments.services import card_due_by
from shop.links import order_url, stripe_cancel_url, stripe_return_url

log = logging.getLogger(__name__)

#: While Stripe cannot be reached, a lapsed card order waits this long for it before its stock is released anyway
#: (money that still arrives later is refunded automatically).
UNREACHABLE_GRACE = dt.timedelta(hours=24)
#: Parts whose goods the customer will not get: what a "cancelled parts" refund gives back.
_REFUND_STATUSES = {"succeeded": RefundStatus.SUCCEEDED, "failed": RefundStatus.FAILED,
                    "canceled": RefundStatus.FAILED}
_REQUEST_KEY = re.compile(r"[A-Za-z0-9_-]{16,64}")


class CardError(ShopError):
    """A card payment action the shop refuses; str(error) is safe to show."""

    message = _l("Card payment is not possible for this order.")


class NotAwaitingCard(CardError):
    message = _l("This order is not waiting for a card payment.")


class TimeToPayOver(CardError):
    message = _l("The time to pay for this order has run out.")


class NothingToRefund(CardError):
    message = _l("There is nothing left to refund on this order.")


class RefundRefused(CardError):
    message = _l("Stripe refused the refund, so nothing was refunded. Check the payment in Stripe's dashboard.")


# ---- paying: attempts and sessions -----------------------------------------------------------------

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
    order = load_for_update(order_id)
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
        payment.status = PaymentStatus.FAILED
        payment = Payment(method=PaymentMethod.STRIPE_CARD, amount_vnd=payment.amount_vnd, due_by=card_due_by(now()))
        order.payments.append(payment)
        db.session.flush()
        refresh_status(order)
    elif payment.due_by is None:
        payment.due_by = card_due_by(now())
    db.session.commit()
    return _Attempt(payment.id, "")


def _keep_session(order_id: int, payment_id: int, session: gateway.CheckoutSession) -> str:
    order = load_for_update(order_id)
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


def _latest_payment(order_id: int) -> Payment | None:
    return db.session.scalar(select(Payment).where(Payment.order_id == order_id).order_by(Payment.id.desc()).limit(1))


def close_order_checkout(order_id: int) -> None:
    """After an order was cancelled: close the payment page of its card attempt, if one is open."""
    payment = _latest_payment(order_id)
    if payment is not None and payment.method == PaymentMethod.STRIPE_CARD and payment.checkout_url \
            and payment.status == PaymentStatus.FAILED:
        session_id = payment.provider_reference
        db.session.rollback()
        close_checkout(session_id)


# ---- what Stripe says: webhook events, the return page, the expiry job ----------------------------

def handle_event(event: dict) -> str:
    """Apply one verified Stripe event once; return what happened (for logs and tests)."""
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
    payment = _latest_payment(order_id)
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
        order = load_for_update(order_id)
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
    try:
        payment_id = int(metadata.get("payment_id", ""))
    except ValueError:
        return None, None
    row = db.session.execute(
        select(Payment.order_id).join(Order, Order.id == Payment.order_id)
        .where(Payment.id == payment_id, Payment.method == PaymentMethod.STRIPE_CARD,
               Order.number == metadata.get("order_number", ""))
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
        record_event(order, "card_amount_mismatch", None, amount=amount, currency=session.get("currency"))
        return "mismatch", None
    if payment.status in (PaymentStatus.PAID, PaymentStatus.REFUNDED):
        return "already_paid", None
    was = payment.status
    if not _mark_paid(payment, was, session):
        return "already_paid", None
    if was == PaymentStatus.PENDING:
        record_event(order, "payment_received", None, amount_vnd=amount, method=str(payment.method))
        _recount(payment)
        refresh_status(order)
        enqueue("payment_received", order.contact_email, order.language,
                {"order_number": order.number, "order_url": order_url(order), "customer_name": order.contact_name,
                 "amount_vnd": amount, "payment_method": str(payment.method)},
                dedupe_key=f"payment_received:{order.number}:{payment.id}")
        return "paid", None
    # The money came for an attempt no longer waiting (order cancelled or expired, attempt replaced): its
    # stock may belong to someone else now, so the whole amount goes back, once per payment.
    refund = _new_refund(payment, amount, f"order-{order.number}-payment-{payment.id}-late", "late_payment", None)
    record_event(order, "late_payment", None, amount_vnd=amount)
    refresh_status(order)
    return "late_payment", refund.id


def _mark_paid(payment: Payment, was: PaymentStatus, session: dict) -> bool:
    # Conditional, so that of two deliveries only one records the money.
    result = db.session.execute(
        update(Payment).where(Payment.id == payment.id, Payment.status == was)
        .values(status=PaymentStatus.PAID, received_vnd=session["amount_total"], recorded_at=now(),
                provider_reference=session["id"], checkout_url="")
        .execution_options(synchronize_session="fetch")
    )
    db.session.refresh(payment)
    return result.rowcount == 1


def _charge_refunded(order: Order, payment: Payment, charge: dict):
    """Stripe confirms refunds on the payment's charge, including any made in Stripe's dashboard."""
    refunded = int(charge.get("amount_refunded") or 0)
    refunds = _refunds_of(payment)
    asked = sum(r.amount_vnd for r in refunds if r.status != RefundStatus.FAILED)
    listed = {r.get("id"): r.get("status") for r in (charge.get("refunds") or {}).get("data", [])}
    for refund in refunds:
        if refund.status == RefundStatus.PENDING and refund.provider_reference:
            status = listed.get(refund.provider_reference, "succeeded" if refunded >= asked else "pending")
            refund.status = _REFUND_STATUSES.get(status, RefundStatus.PENDING)
    if refunded > asked:
        # Given back outside the shop (Stripe's dashboard): recorded, so the books and the customer agree.
        outside = _new_refund(payment, refunded - asked, f"{charge['id']}-refunded-{refunded}", "outside", None)
        outside.status, outside.provider_reference = RefundStatus.SUCCEEDED, charge["id"]
        _tell_refund(order, payment, outside)
    _recount(payment)
    refresh_status(order)
    return "refund_recorded", None


_HANDLERS = {
    "checkout.session.completed": _session_completed,
    "checkout.session.async_payment_succeeded": _session_completed,
    "checkout.session.async_payment_failed": _session_lapsed,
    "checkout.session.expired": _session_lapsed,
    "charge.refunded": _charge_refunded,
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
    order = load_for_update(order_id)
    payment = order.payment if order else None
    # Re-checked under the lock: the webhook or a new attempt may have changed it meanwhile.
    if payment is None or payment.id != payment_id or payment.status != PaymentStatus.PENDING \
            or aware(payment.due_by) >= at:
        db.session.rollback()
        return None
    cancel_unpaid(order, CancelReason.UNPAID_CARD)
    db.session.commit()
    return order.number


# ---- refunds ----------------------------------------------------------------------------------------

def paid_card_payment(order: Order) -> Payment | None:
    """The card payment whose money the shop holds (the latest one paid), if any."""
    paid = [p for p in order.payments if p.method == PaymentMethod.STRIPE_CARD
            and p.status in (PaymentStatus.PAID, PaymentStatus.REFUNDED)]
    return paid[-1] if paid else None


def _refunds_of(payment: Payment) -> list[Refund]:
    return list(db.session.scalars(select(Refund).where(Refund.payment_id == payment.id).order_by(Refund.id)))


def refundable_vnd(payment: Payment) -> int:
    """Received, less every refund given or on its way."""
    asked = db.session.scalar(select(func.coalesce(func.sum(Refund.amount_vnd), 0))
                              .where(Refund.payment_id == payment.id, Refund.status != RefundStatus.FAILED))
    return max((payment.received_vnd or 0) - asked, 0)


def gone_parts_vnd(order: Order) -> int:
    """What the cancelled (or uncollected) parts cost; with the delivery fee once no part is left."""
    if order.parts and not order.live_parts:
        return order.gone_vnd + order.shipping_vnd
    return order.gone_vnd


def cancelled_parts_due_vnd(order: Order, payment: Payment) -> int:
    """What a "cancelled parts" refund gives now: their cost, less what was refunded already."""
    already = (payment.received_vnd or 0) - refundable_vnd(payment)
    return max(min(gone_parts_vnd(order) - already, refundable_vnd(payment)), 0)


def refund_order(order_id: int, scope: str, admin: User, request_key: str) -> Refund:
    """Refund the whole remaining amount or the cancelled parts, through Stripe, once per request key."""
    if scope not in ("whole", "cancelled_parts") or not _REQUEST_KEY.fullmatch(request_key or ""):
        raise CardError()
    return send_refund(_plan_refund(order_id, scope, admin, request_key))


def refund_after_customer_cancel(order_id: int) -> int:
    """A customer cancelled an order paid by card: give it all back, once; return the amount asked of Stripe.

    When Stripe does not answer, the refund stays recorded and `flask orders expire` asks again.
    """
    order = db.session.get(Order, order_id)
    if order is None or paid_card_payment(order) is None:
        return 0
    try:
        refund = refund_order(order_id, "whole", None, f"customer-cancel-{order.number}")
    except NothingToRefund:
        return 0
    except gateway.GatewayError:
        refund = db.session.scalar(select(Refund).where(
            Refund.idempotency_key == f"order-{order.number}-refund-whole-customer-cancel-{order.number}"[:120]))
    except RefundRefused:
        return 0
    return refund.amount_vnd if refund is not None else 0


def _plan_refund(order_id: int, scope: str, admin: User, request_key: str) -> int:
    order = load_for_update(order_id)
    payment = paid_card_payment(order) if order else None
    if payment is None:
        db.session.rollback()
        raise NothingToRefund()
    key = f"order-{order.number}-refund-{scope}-{request_key}"
    existing = db.session.scalar(select(Refund.id).where(Refund.idempotency_key == key))
    if existing is not None:  # the same form posted twice: the same refund
        db.session.rollback()
        return existing
    amount = refundable_vnd(payment) if scope == "whole" else cancelled_parts_due_vnd(order, payment)
    if amount <= 0:
        db.session.rollback()
        raise NothingToRefund()
    # Committed before Stripe is asked: a crash in between leaves the key, and the next try reuses it.
    refund = _new_refund(payment, amount, key, scope, admin)
    db.session.commit()
    return refund.id


def _new_refund(payment: Payment, amount_vnd: int, key: str, reason: str, admin: User | None) -> Refund:
    refund = Refund(payment_id=payment.id, amount_vnd=amount_vnd, idempotency_key=key[:120], reason=reason,
                    status=RefundStatus.PENDING, created_by_id=admin.id if admin else None)
    db.session.add(refund)
    db.session.flush()
    return refund


def send_refund(refund_id: int) -> Refund:
    """Ask Stripe for a recorded refund (again, with its key) and record the answer; raise GatewayError."""
    refund = db.session.get(Refund, refund_id)
    if refund.status == RefundStatus.FAILED:
        raise RefundRefused()
    if refund.status != RefundStatus.PENDING or refund.provider_reference:
        return refund
    payment = db.session.get(Payment, refund.payment_id)
    order = db.session.get(Order, payment.order_id)
    amount, key, session_id = refund.amount_vnd, refund.idempotency_key, payment.provider_reference
    metadata = {"order_number": order.number, "payment_id": str(payment.id), "refund_id": str(refund.id)}
    db.session.rollback()
    payment_intent = gateway.retrieve_checkout_session(session_id).get("payment_intent")
    if not payment_intent:
        raise NotAwaitingCard()
    try:
        answer = gateway.create_refund(payment_intent, amount, key, metadata)
    except gateway.GatewayError as error:
        if error.answered:
            # Stripe said no (and keeps saying it for this key): free the amount for a new request.
            _refund_refused(payment.order_id, refund_id)
            raise RefundRefused() from error
        raise
    refund = _refund_answered(payment.order_id, refund_id, answer)
    if refund.status == RefundStatus.FAILED:
        raise RefundRefused()
    return refund


def _refund_refused(order_id: int, refund_id: int) -> None:
    load_for_update(order_id)
    refund = db.session.get(Refund, refund_id)
    if refund.status == RefundStatus.PENDING and not refund.provider_reference:
        refund.status = RefundStatus.FAILED
    db.session.commit()


def _refund_answered(order_id: int, refund_id: int, answer: dict) -> Refund:
    order = load_for_update(order_id)
    refund = db.session.get(Refund, refund_id)
    if refund.provider_reference:  # another request recorded the same answer first
        db.session.rollback()
        return refund
    refund.provider_reference = answer["id"]
    refund.status = _REFUND_STATUSES.get(answer.get("status"), RefundStatus.PENDING)
    payment = db.session.get(Payment, refund.payment_id)
    if refund.status != RefundStatus.FAILED:
        _tell_refund(order, payment, refund)
    _recount(payment)
    refresh_status(order)
    db.session.commit()
    return refund


def _tell_refund(order: Order, payment: Payment, refund: Refund) -> None:
    """The order's timeline and the customer's e-mail, in the caller's transaction."""
    admin = db.session.get(User, refund.created_by_id) if refund.created_by_id else None
    record_event(order, "refunded", admin, amount_vnd=refund.amount_vnd, reason=refund.reason)
    enqueue("payment_refunded", order.contact_email, order.language,
            {"order_number": order.number, "order_url": order_url(order), "customer_name": order.contact_name,
             "amount_vnd": refund.amount_vnd, "payment_method": str(payment.method), "reason": refund.reason},
            dedupe_key=f"payment_refunded:{refund.idempotency_key}")


def _recount(payment: Payment) -> None:
    """refunded_vnd is what Stripe accepted to give back; all of it makes the payment refunded."""
    db.session.flush()
    given = sum(r.amount_vnd for r in _refunds_of(payment)
                if r.status == RefundStatus.SUCCEEDED or (r.status == RefundStatus.PENDING and r.provider_reference))
    payment.refunded_vnd = given
    if payment.status == PaymentStatus.PAID and given >= (payment.received_vnd or payment.amount_vnd):
        payment.status = PaymentStatus.REFUNDED


def retry_pending_refunds() -> int:
    """Ask Stripe again for refunds recorded but never answered (Stripe was down); return how many went through."""
    pending = db.session.scalars(select(Refund.id).where(Refund.status == RefundStatus.PENDING,
                                                         Refund.provider_reference == "").order_by(Refund.id)).all()
    db.session.rollback()
    sent = 0
    for refund_id in pending:
        try:
            sent += bool(send_refund(refund_id).provider_reference)
        except (gateway.GatewayError, CardError):
            log.warning("Refund %s still not sent", refund_id)
    return sent
