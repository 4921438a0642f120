"""Cash taken for an order: at the sales point's desk when the customer collects, or on delivery."""
from __future__ import annotations

import datetime as dt

from shop.clock import now
from shop.extensions import db
from shop.money import format_vnd
from shop.orders.models import Fulfillment, Order, OrderEventKind
from shop.orders.lifecycle import record_event
from shop.orders.services import cash_left
from shop.payments.errors import CashError, CashMismatch, CashMissing, CashTooLittle
from shop.orders.payment import PaymentMethod


def record_cash_payment(order: Order, cash_vnd: int | None, actor, *, part: Fulfillment | None = None,
                        at: dt.datetime | None = None) -> int:
    """Take the cash still due on an order paid in cash; return what was kept (0 when nothing was due).

    At the desk the customer may hand over more and get change back; a courier hands over exactly what was
    to collect, so on delivery the cash must match. Refused cash rolls back the caller's use case and raises
    a CashError. The caller commits.
    """
    payment = order.payment
    method = payment.method if payment is not None else None
    due = cash_left(order, method) if method in (PaymentMethod.CASH_AT_PICKUP, PaymentMethod.COD) else 0
    if not due:
        return 0
    if method == PaymentMethod.CASH_AT_PICKUP:
        if cash_vnd is None:
            _refuse(CashMissing(due=format_vnd(due)))
        if cash_vnd < due:
            _refuse(CashTooLittle(received=format_vnd(cash_vnd), due=format_vnd(due)))
        payment.mark_paid(due, by=actor, at=at or now(), tendered_vnd=cash_vnd)
        record_event(order, OrderEventKind.PAYMENT_RECEIVED, actor, amount_vnd=due, method=str(method),
                     tendered_vnd=cash_vnd, change_vnd=cash_vnd - due)
    else:
        if cash_vnd != due:
            received = format_vnd(cash_vnd) if cash_vnd is not None else "—"
            _refuse(CashMismatch(received=received, due=format_vnd(due)))
        payment.mark_paid(due, by=actor, at=at or now())
        record_event(order, OrderEventKind.PAYMENT_RECEIVED, actor, part=part, amount_vnd=due, method=str(method))
    return due


def _refuse(error: CashError):
    db.session.rollback()
    raise error
