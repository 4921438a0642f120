"""Card refunds: the whole order or its cancelled parts, asked of Stripe once per request, and Stripe's word on them."""
from __future__ import annotations

import logging
import re

from sqlalchemy import func, select

from shop.audit import record_change
from shop.auth.models import User
from shop.extensions import db
from shop.ledger.accounts import stripe_balance
from shop.ledger.orders import book_refund_paid, book_refund_reversed
from shop.notifications.outbox import enqueue
from shop.orders.models import Order, OrderEventKind
from shop.orders.lifecycle import lock_order, payment_changed, record_event
from shop.payments import messages, stripe_gateway as gateway
from shop.payments.errors import CardError, NothingToRefund, NotAwaitingCard, RefundRefused
from shop.orders.payment import Payment, PaymentMethod, PaymentStatus
from shop.payments.models import Refund, RefundStatus

log = logging.getLogger(__name__)

#: How Stripe's refund statuses read in the shop's books.
REFUND_STATUSES = {"succeeded": RefundStatus.SUCCEEDED, "failed": RefundStatus.FAILED,
                   "canceled": RefundStatus.FAILED}
_REQUEST_KEY = re.compile(r"[A-Za-z0-9_-]{16,64}")


def paid_card_payment(order: Order) -> Payment | None:
    """The card payment whose money the shop holds (the latest one paid), if any."""
    paid = [p for p in order.payments if p.method == PaymentMethod.STRIPE_CARD
            and p.status in (PaymentStatus.PAID, PaymentStatus.REFUNDED)]
    return paid[-1] if paid else None


def refunds_of(payment: Payment) -> list[Refund]:
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
    order = lock_order(order_id=order_id)
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
    refund = new_refund(payment, amount, key, scope, admin)
    record_change(admin, "payment.refund.requested", order, after={"refund_vnd": amount, "scope": scope})
    db.session.commit()
    return refund.id


def new_refund(payment: Payment, amount_vnd: int, key: str, reason: str, admin: User | None) -> Refund:
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
    lock_order(order_id=order_id)
    refund = db.session.get(Refund, refund_id)
    if refund.status == RefundStatus.PENDING and not refund.provider_reference:
        refund.status = RefundStatus.FAILED
    db.session.commit()


def _refund_answered(order_id: int, refund_id: int, answer: dict) -> Refund:
    order = lock_order(order_id=order_id)
    refund = db.session.get(Refund, refund_id)
    if refund.provider_reference:  # another request recorded the same answer first
        db.session.rollback()
        return refund
    refund.provider_reference = answer["id"]
    refund.status = REFUND_STATUSES.get(answer.get("status"), RefundStatus.PENDING)
    payment = db.session.get(Payment, refund.payment_id)
    if refund.status != RefundStatus.FAILED:
        tell_refund(order, payment, refund)
    recount(payment)
    payment_changed(order)
    db.session.commit()
    return refund


def record_charge_refunds(order: Order, payment: Payment, charge: dict):
    """Stripe confirms refunds on the payment's charge, including any made in Stripe's dashboard."""
    refunded = int(charge.get("amount_refunded") or 0)
    refunds = refunds_of(payment)
    asked = sum(r.amount_vnd for r in refunds if r.status != RefundStatus.FAILED)
    listed = {r.get("id"): r.get("status") for r in (charge.get("refunds") or {}).get("data", [])}
    for refund in refunds:
        if refund.status == RefundStatus.PENDING and refund.provider_reference:
            status = listed.get(refund.provider_reference, "succeeded" if refunded >= asked else "pending")
            refund.status = REFUND_STATUSES.get(status, RefundStatus.PENDING)
    if refunded > asked:
        # Given back outside the shop (Stripe's dashboard): recorded, so the books and the customer agree.
        outside = new_refund(payment, refunded - asked, f"{charge['id']}-refunded-{refunded}", "outside", None)
        outside.status, outside.provider_reference = RefundStatus.SUCCEEDED, charge["id"]
        tell_refund(order, payment, outside)
    recount(payment)
    payment_changed(order)
    return "refund_recorded", None


def tell_refund(order: Order, payment: Payment, refund: Refund) -> None:
    """The order's timeline and the customer's e-mail, in the caller's transaction."""
    admin = db.session.get(User, refund.created_by_id) if refund.created_by_id else None
    record_event(order, OrderEventKind.REFUNDED, admin, amount_vnd=refund.amount_vnd, reason=refund.reason)
    enqueue(messages.payment_refunded(order, payment, refund))


def recount(payment: Payment) -> None:
    """refunded_vnd is what Stripe accepted to give back; all of it makes the payment refunded.

    The books follow in the same transaction: money Stripe accepted to give back leaves the Stripe balance
    once, and a refund that failed after that is put back.
    """
    db.session.flush()
    order = db.session.get(Order, payment.order_id)
    given = 0
    for refund in refunds_of(payment):
        key = f"refund-{refund.id}-paid"
        if refund.status == RefundStatus.SUCCEEDED or (refund.status == RefundStatus.PENDING and refund.provider_reference):
            given += refund.amount_vnd
            book_refund_paid(order, refund.amount_vnd, stripe_balance(), key=key)
        elif refund.status == RefundStatus.FAILED:
            book_refund_reversed(order, key)
    payment.record_refunded(given)


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
