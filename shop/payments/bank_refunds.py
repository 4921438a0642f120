"""Refunds owed on transfer orders, given back by bank transfer: the customer says where to send the money, the
office pays it from its banking app (a VietQR code fills in the customer's account and the amount) and records
it with the bank's reference; the books move the money from refunds owed out of the bank in the same transaction.

Card refunds do not come here: they go back through Stripe (payments/refunds.py).
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from shop.audit import record_change
from shop.errors import ShopError
from shop.extensions import db
from shop.ledger.accounts import bank
from shop.ledger.orders import book_parts_gone, book_refund_paid
from shop.money import format_vnd
from shop.notifications.outbox import enqueue
from shop.orders.amounts import refund_owed_vnd
from shop.orders.lifecycle import lock_order, payment_changed
from shop.orders.models import Fulfillment, Order
from shop.orders.payment import PaymentMethod, PaymentStatus
from shop.payments import messages, vietqr
from shop.payments.models import Refund, RefundBankDetails, RefundStatus
from shop.payments.refunds import new_refund, tell_refund
from shop.payments.transfers import refunds_owed

_ACCOUNT = re.compile(r"[A-Za-z0-9]{4,19}")
#: What the office types as the bank's reference of the refund it sent.
_REFERENCE = re.compile(r"[A-Za-z0-9][A-Za-z0-9 ._/-]{2,59}")


class BankRefundError(ShopError):
    message = _l("This refund cannot be recorded.")


class NoRefundOwed(BankRefundError):
    message = _l("No refund is owed on this order.")


class RefundTooLarge(BankRefundError):
    message = _l("%(amount)s is more than the %(owed)s owed on this order; nothing was recorded.")


class RefundAmountInvalid(BankRefundError):
    message = _l("Please enter the amount sent back, in đồng.")


class ReferenceInvalid(BankRefundError):
    message = _l("Please enter the bank's reference of the refund (3 to 60 letters or digits).")


class RefundRecordedAlready(BankRefundError):
    message = _l("A refund with this bank reference is recorded already; nothing was recorded twice.")


class DetailsInvalid(BankRefundError):
    message = _l("Please choose your bank and enter the account number (digits and letters only) and the "
                 "account holder's name.")


def awaits_bank_refund(order: Order) -> bool:
    """A transfer order holding money the shop owes back (card money goes back through Stripe instead)."""
    payment = order.payment
    return (payment is not None and payment.method == PaymentMethod.VIETQR_TRANSFER
            and payment.status == PaymentStatus.PAID and refund_owed_vnd(order) > 0)


def tell_refund_owed(order: Order) -> None:
    """The (locked) order now owes the customer money back by transfer: ask them where to send it, once per amount.

    In the caller's transaction; nothing when nothing is owed or the money goes back to a card.
    """
    db.session.flush()
    if awaits_bank_refund(order):
        enqueue(messages.refund_owed(order, refund_owed_vnd(order)))


def details_of(order: Order) -> RefundBankDetails | None:
    return db.session.scalar(select(RefundBankDetails).where(RefundBankDetails.order_id == order.id))


def save_details(order_id: int, bank_bin: str, account_number: str, holder: str) -> RefundBankDetails:
    """The customer says where their refund goes (a bank of the VietQR list, an account, its holder)."""
    account_number = "".join((account_number or "").split())
    holder = " ".join((holder or "").split())[:80]
    if bank_bin not in vietqr.BANKS or not _ACCOUNT.fullmatch(account_number) or len(holder) < 2 \
            or any(not ch.isprintable() for ch in holder):
        raise DetailsInvalid()
    order = lock_order(order_id=order_id)
    if order is None or not awaits_bank_refund(order):
        db.session.rollback()
        raise NoRefundOwed()
    details = details_of(order)
    if details is None:
        details = RefundBankDetails(order_id=order.id)
        db.session.add(details)
    details.bank_bin, details.account_number, details.holder = bank_bin, account_number, holder
    db.session.commit()
    return details


def refund_qr(order: Order, details: RefundBankDetails, amount_vnd: int) -> str:
    """The VietQR payload the office scans to send the refund: the customer's account, the amount, the order."""
    account = vietqr.BankAccount(bin=details.bank_bin, account_number=details.account_number,
                                 account_name=details.holder, bank_name=vietqr.BANKS.get(details.bank_bin, ""))
    return vietqr.payload(account, amount_vnd, f"Hoan tien {order.number}")


def record_bank_refund(order_id: int, amount_vnd: int | None, reference: str, admin) -> Refund:
    """The office sent a refund owed by bank transfer: record it once, never for more than owed; the books move
    it from refunds owed out of the bank account; the customer is told. Audited. One transaction."""
    reference = " ".join((reference or "").split())
    if not amount_vnd or amount_vnd <= 0:
        raise RefundAmountInvalid()
    if not _REFERENCE.fullmatch(reference):
        raise ReferenceInvalid()
    order = lock_order(order_id=order_id)
    if order is None or not awaits_bank_refund(order):
        db.session.rollback()
        raise NoRefundOwed()
    owed = refund_owed_vnd(order)
    if amount_vnd > owed:
        db.session.rollback()
        raise RefundTooLarge(amount=format_vnd(amount_vnd), owed=format_vnd(owed))
    payment = order.payment
    key = f"bank-refund-{payment.id}-{reference.upper()}"[:120]
    if db.session.scalar(select(Refund.id).where(Refund.idempotency_key == key)) is not None:
        db.session.rollback()
        raise RefundRecordedAlready()
    refund = new_refund(payment, amount_vnd, key, "bank_transfer", admin)
    refund.status, refund.provider_reference = RefundStatus.SUCCEEDED, reference[:120]
    book_refund_paid(order, amount_vnd, bank(), key=f"refund-{refund.id}-paid")
    before = {"refunded_vnd": payment.refunded_vnd or 0, "refund_owed_vnd": owed}
    payment.record_refunded((payment.refunded_vnd or 0) + amount_vnd)
    tell_refund(order, payment, refund)
    payment_changed(order)
    record_change(admin, "order.refund_by_transfer", order, before=before,
                  after={"refunded_vnd": payment.refunded_vnd, "refund_owed_vnd": owed - amount_vnd,
                         "reference": reference})
    db.session.commit()
    return refund


@dataclass(frozen=True)
class OwedRow:
    """One line of the office's list of refunds owed."""

    order: Order
    amount_vnd: int
    gone: list[Fulfillment]
    details: RefundBankDetails | None
    qr_payload: str | None


def refunds_owed_rows() -> list[OwedRow]:
    """Every transfer order owing money back: how much, why (the parts that went, or money beyond the order's
    worth), and where the customer wants it sent (with the VietQR the office scans), oldest first."""
    owed = refunds_owed()
    details = {d.order_id: d for d in db.session.scalars(
        select(RefundBankDetails).where(RefundBankDetails.order_id.in_([row.order.id for row in owed])))}
    rows = []
    for row in owed:
        found = details.get(row.order.id)
        rows.append(OwedRow(row.order, row.amount_vnd, [p for p in row.order.parts if p.is_gone], found,
                            refund_qr(row.order, found, row.amount_vnd) if found else None))
    return rows


def goods_gone(order: Order, parts: list[Fulfillment]) -> None:
    """Paid goods will not reach the customer: the books owe their money back (ledger.orders.book_parts_gone), and
    a transfer customer is asked where to send it. In the caller's transaction; every path where goods go calls
    this (the customer's and the office's cancels, the producer's reject, an unclaimed pickup)."""
    book_parts_gone(order, parts)
    tell_refund_owed(order)
