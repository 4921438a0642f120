"""Cash taken for an order: at the sales point's desk when the customer collects, or on delivery, per parcel."""
from __future__ import annotations

import datetime as dt

from shop.clock import now
from shop.extensions import db
from shop.ledger.accounts import point_cash
from shop.ledger.orders import book_parcel_cash, book_payment
from shop.money import format_vnd
from shop.orders.amounts import cash_due, collected_vnd, every_live_part_collected, part_cash_due
from shop.orders.lifecycle import record_event
from shop.orders.models import Fulfillment, Order, OrderEventKind
from shop.orders.payment import PaymentMethod, PaymentStatus
from shop.payments.errors import CashError, CashMismatch, CashMissing, CashTooLittle


def record_cash_payment(order: Order, cash_vnd: int | None, actor, *, part: Fulfillment | None = None,
                        at: dt.datetime | None = None) -> int:
    """Take the cash still due on an order paid in cash; return what was kept (0 when nothing was due).

    At the desk the customer pays what the order is worth now, may hand over more and gets change back.
    On delivery each parcel collects its own amount (orders/amounts.py), exactly, and the cash is recorded
    against that part: whoever delivered it holds that money. Refused cash rolls back the caller's use case
    and raises a CashError. The caller commits.
    """
    payment = order.payment
    method = payment.method if payment is not None else None
    if method == PaymentMethod.CASH_AT_PICKUP:
        due = cash_due(order, method)
        if not due:
            return 0
        if cash_vnd is None:
            _refuse(CashMissing(due=format_vnd(due)))
        if cash_vnd < due:
            _refuse(CashTooLittle(received=format_vnd(cash_vnd), due=format_vnd(due)))
        payment.mark_paid(due, by=actor, at=at or now(), tendered_vnd=cash_vnd)
        record_event(order, OrderEventKind.PAYMENT_RECEIVED, actor, amount_vnd=due, method=str(method),
                     tendered_vnd=cash_vnd, change_vnd=cash_vnd - due)
        book_payment(order, payment, due, point_cash(order.sales_point_id))
        return due
    if method != PaymentMethod.COD or part is None:
        return 0
    due = part_cash_due(part)
    if not due:
        return 0
    if cash_vnd != due:
        received = format_vnd(cash_vnd) if cash_vnd is not None else "—"
        _refuse(CashMismatch(received=received, due=format_vnd(due)))
    part.collected_vnd = due
    record_event(order, OrderEventKind.PAYMENT_RECEIVED, actor, part=part, amount_vnd=due, method=str(method))
    book_parcel_cash(order, part, due)
    settle_cash_on_delivery(order, actor, at=at)
    return due


def settle_cash_on_delivery(order: Order, actor, *, at: dt.datetime | None = None) -> bool:
    """The order's COD payment becomes paid once every live parcel's cash is in; True when it did now.

    Called after a parcel's cash is taken and after a part goes (the parts left may all be paid already).
    A gone part's money is never asked. The caller derives the order's status and commits.
    """
    payment = order.payment
    if payment is None or payment.method != PaymentMethod.COD or payment.status != PaymentStatus.PENDING \
            or not every_live_part_collected(order):
        return False
    payment.mark_paid(collected_vnd(order), by=actor, at=at or now())
    return True


def _refuse(error: CashError):
    db.session.rollback()
    raise error
