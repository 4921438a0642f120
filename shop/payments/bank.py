"""Money seen on the shop's bank account (an imported statement or a bank notification), matched to orders.

Each line is stored once under its bank's transaction id (the same file imported twice, or a notification sent
five times at once, records nothing twice). The same money reported by both sources (notified, then on the
imported statement, or the other way round) is recorded once: the second report is kept as a DUPLICATE of the
first (`twin_of`). Money a notification says went into another account than the shop's receiving account
(VIETQR_ACCOUNT_NUMBER) never pays an order: it waits for the office, which can only set it aside. A line whose content names an order awaiting a transfer, for
exactly the amount due, is recorded through the same path as the office's own recording (payments/transfers.py:
same timeline event, ledger entry and e-mail). Money for a transfer order no longer waiting for any (paid
already; cancelled or expired unpaid) is recorded on it and owed back to the customer at once (`_owe_back`).
Anything else (no order, too little, too much, an order paid another way) waits in the office's queue, and never changes an order until the office assigns it (what is due pays
the order, the rest becomes a refund owed) or dismisses it with a reason.
"""
from __future__ import annotations

import datetime as dt
import enum
import re
from collections.abc import Callable
from dataclasses import dataclass

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select
from sqlalchemy.dialects import postgresql, sqlite

from shop.audit import record_change
from shop.clock import VIETNAM, now
from shop.errors import ShopError
from shop.extensions import begin_write, db
from shop.money import format_vnd
from shop.orders.amounts import amount_due
from shop.ledger.accounts import bank
from shop.ledger.orders import book_owed_back, book_payment
from shop.orders.lifecycle import lock_order, payment_changed, record_event
from shop.orders.models import Order, OrderEventKind
from shop.orders.payment import PaymentMethod, PaymentStatus
from shop.payments.bank_refunds import tell_refund_owed
from shop.payments.models import BankLine, BankLineStatus
from shop.payments.transfers import take_transfer, transfer_refusal

#: More than any one transfer to a shop of local products could be (10 billion đồng): refused as absurd.
MAX_LINE_VND = 10_000_000_000

#: An order number as banks pass the transfer note on: dashes and spaces dropped, upper case (QN26120001).
_ORDER_IN_NOTE = re.compile(r"QN(\d{4})(\d{4,6})")
_NOT_ALNUM = re.compile(r"[^A-Z0-9]")


class BankProblem(enum.StrEnum):
    """Why a line waits for the office."""

    NO_ORDER = "no_order"  #: its content names no order of the shop
    NOT_AWAITING = "not_awaiting"  #: the order is not waiting for a transfer (paid, cancelled, another method)
    SHORT = "short"  #: less than the amount due
    OVER = "over"  #: more than the amount due
    OTHER_ACCOUNT = "other_account"  #: paid into another account than the shop's: never pays an order
    NOT_A_TRANSFER_ORDER = "not_transfer"  #: the order is paid another way (cash, COD, card) or refunded already
    COUNTER_NOT_RECORDED = "counter_unknown"  #: names a counter sale not recorded at the desk as paid by transfer
    COUNTER_AMOUNT = "counter_amount"  #: not the amount of the counter sale it names
    COUNTER_PAID = "counter_paid"  #: the counter sale it names has its transfer already, or was voided


PROBLEM_LABELS = {
    BankProblem.NO_ORDER: _l("No order number in the transfer note"),
    BankProblem.NOT_AWAITING: _l("The order is not waiting for a transfer"),
    BankProblem.SHORT: _l("Less than the amount due"),
    BankProblem.OVER: _l("More than the amount due"),
    BankProblem.NOT_A_TRANSFER_ORDER: _l("The order is not paid by transfer, or its money went back already"),
    BankProblem.COUNTER_NOT_RECORDED: _l("Names a counter sale not recorded at the desk as paid by transfer"),
    BankProblem.COUNTER_AMOUNT: _l("Not the amount of the counter sale it names"),
    BankProblem.COUNTER_PAID: _l("The counter sale it names has its transfer already, or was voided"),
    BankProblem.OTHER_ACCOUNT: _l("Paid into another account, not the shop's: it cannot pay an order"),
}


class BankLineError(ShopError):
    message = _l("This bank line cannot be handled that way.")


class LineHandled(BankLineError):
    message = _l("This bank line was handled already.")


class AssignShort(BankLineError):
    message = _l("%(amount)s is less than the %(due)s due on %(number)s: the order cannot be paid with it.")


class OrderNotWaiting(BankLineError):
    message = _l("Order %(number)s is not waiting for a bank transfer.")


class NoSuchOrder(BankLineError):
    message = _l("No order %(number)s.")


class NotOurAccount(BankLineError):
    message = _l("This money came into another account, not the shop's: it cannot pay an order. Set it aside.")


class ReasonRequired(BankLineError):
    message = _l("Please say why the line is set aside: the reason is kept with it.")


#: Other money the shop expects by transfer, found by what the note names: a desk's counter sales (desk/counter.py
#: registers here, as payments sits below the desk). Each is given the stored line of a note naming no order,
#: inside the write transaction, and answers None (not mine), "" (accounted for) or the BankProblem to queue with.
NOTE_MATCHERS: list[Callable[[BankLine], str | None]] = []


@dataclass(frozen=True)
class IncomingLine:
    """One credit on the shop's account, as a statement or a notification tells it (already checked)."""

    bank_code: str
    transaction_id: str
    amount_vnd: int
    content: str
    booked_at: dt.datetime
    account: str = ""
    #: The bank's own reference, when a notification carries it (a statement's transaction id is that already).
    bank_reference: str = ""


def normalise(text: str) -> str:
    """The note as banks pass it on: upper case, letters and digits only (QN-2612-0001 → QN26120001)."""
    return _NOT_ALNUM.sub("", (text or "").upper())


def order_numbers_in(content: str) -> list[str]:
    """The order numbers a transfer note may name, as the shop writes them (QN-YYMM-NNNN), longest counter last."""
    found = []
    for match in _ORDER_IN_NOTE.finditer(normalise(content)):
        period, digits = match.groups()
        # The note's digits run on into whatever followed the number: try each counter length the shop uses.
        found += [f"QN-{period}-{digits[:n]}" for n in range(4, len(digits) + 1)]
    return list(dict.fromkeys(found))


def named_order_id(content: str) -> int | None:
    """The one order the note names; None for none or more than one."""
    numbers = order_numbers_in(content)
    if not numbers:
        return None
    ids = db.session.scalars(select(Order.id).where(Order.number.in_(numbers))).all()
    return ids[0] if len(ids) == 1 else None


def _insert_line(line: IncomingLine) -> int | None:
    """Store the line (in a write transaction); None when this bank's transaction id is stored already."""
    dialect = db.session.get_bind().dialect.name
    insert = (postgresql.insert if dialect == "postgresql" else sqlite.insert)(BankLine).values(
        bank_code=line.bank_code, transaction_id=line.transaction_id, amount_vnd=line.amount_vnd,
        content=line.content[:500], booked_at=line.booked_at, account=line.account[:40],
        bank_reference=line.bank_reference[:120], status=BankLineStatus.UNMATCHED, problem="", note="")
    return db.session.scalar(insert.on_conflict_do_nothing(index_elements=["bank_code", "transaction_id"])
                             .returning(BankLine.id))


def _digits(text: str) -> str:
    return re.sub(r"\D", "", text or "")


def into_other_account(line: IncomingLine) -> bool:
    """The line names the account the money went into, and it is not the shop's receiving account."""
    ours = _digits(current_app.config.get("VIETQR_ACCOUNT_NUMBER", ""))
    return bool(_digits(line.account)) and _digits(line.account) != ours


#: Lines reported by the bank-notification service; every other bank code is an imported statement.
WEBHOOK = "webhook"


def _reference(line) -> str:
    """The bank's own reference of a stored or incoming line: a statement's transaction id, a notification's
    bank_reference (empty when the service sent none)."""
    return (line.bank_reference if line.bank_code == WEBHOOK else line.transaction_id).strip()


def twin_of(line: IncomingLine) -> BankLine | None:
    """The earlier line of the other source that reports the same money, not yet repeated by another line.

    The key: the bank's reference when both lines carry one (a statement always does; a notification when the
    service sends it); otherwise the amount, the note (as banks pass it on) and the day in Vietnam.
    """
    other = BankLine.bank_code != WEBHOOK if line.bank_code == WEBHOOK else BankLine.bank_code == WEBHOOK
    repeated = select(BankLine.duplicate_of_id).where(BankLine.duplicate_of_id.is_not(None))
    candidates = db.session.scalars(
        select(BankLine).where(other, BankLine.amount_vnd == line.amount_vnd,
                               BankLine.status != BankLineStatus.DUPLICATE, BankLine.id.not_in(repeated))
        .order_by(BankLine.id)).all()
    reference, content = _reference(line), normalise(line.content)
    day = line.booked_at.astimezone(VIETNAM).date()
    for earlier in candidates:
        theirs = _reference(earlier)
        if reference and theirs:
            if reference == theirs:
                return earlier
        elif normalise(earlier.content) == content and earlier.booked_at.astimezone(VIETNAM).date() == day:
            return earlier
    return None


def receive(line: IncomingLine) -> BankLine | None:
    """Store one incoming line and pay its order when it is exactly the amount due; commit once.

    None when the line was stored before (a file imported again, a notification replayed): nothing changes.
    A line the other source reported already is stored as its DUPLICATE and changes nothing else.
    """
    if into_other_account(line):
        begin_write()
        line_id = _insert_line(line)
        if line_id is not None:
            stored = db.session.get(BankLine, line_id)
            stored.problem = BankProblem.OTHER_ACCOUNT
            db.session.commit()
            return stored
        db.session.rollback()
        return None
    order_id = named_order_id(line.content)
    # The order (when the note names one) is locked before the line is stored: replays of one line wait for
    # each other there, and the first one's key then stops the others before anything is written.
    if order_id is not None:
        order = lock_order(order_id=order_id)
    else:
        begin_write()
        order = None
    line_id = _insert_line(line)
    if line_id is None:
        db.session.rollback()
        return None
    stored = db.session.get(BankLine, line_id)
    stored.order_id = order.id if order is not None else None
    reference = f"{line.bank_code} {line.transaction_id}"
    twin = twin_of(line)
    if twin is not None:
        stored.status, stored.duplicate_of_id, stored.order_id = BankLineStatus.DUPLICATE, twin.id, twin.order_id
    elif order is None:
        stored.problem = _other_money(stored)
        if not stored.problem:
            stored.status = BankLineStatus.MATCHED
    elif transfer_refusal(order, line.amount_vnd) is None and take_transfer(order, line.amount_vnd, reference, None):
        stored.status = BankLineStatus.MATCHED
    elif _owe_back(order, stored):
        stored.status = BankLineStatus.OWED_BACK
    else:
        stored.problem = _problem(order, line.amount_vnd)
    db.session.commit()
    return stored


def _other_money(line: BankLine) -> str:
    """What the NOTE_MATCHERS make of a line naming no order: "" when one accounted for it, else why it waits."""
    for matcher in NOTE_MATCHERS:
        found = matcher(line)
        if found is not None:
            return found
    return BankProblem.NO_ORDER


def take_waiting_line(names: str, amount_vnd: int) -> BankLine | None:
    """A line that waited because the counter sale its note names was not recorded yet, now that it is: the
    first such line for exactly this amount is accounted for (in the caller's transaction), or None."""
    waiting = db.session.scalars(
        select(BankLine).where(BankLine.status == BankLineStatus.UNMATCHED, BankLine.amount_vnd == amount_vnd,
                               BankLine.problem == BankProblem.COUNTER_NOT_RECORDED)
        .order_by(BankLine.id).with_for_update()).all()
    line = next((line for line in waiting if normalise(names) in normalise(line.content)), None)
    if line is not None:
        line.status, line.problem = BankLineStatus.MATCHED, ""
    return line


def _owe_back(order: Order, line: BankLine) -> bool:
    """Money for a transfer order that no longer waits for any (paid already; or cancelled or expired unpaid, its
    goods all gone) is the customer's: recorded on the (locked) order as received and owed back at once, listed
    at /admin/refunds-owed, and the customer is asked where to send it. False (nothing written) otherwise."""
    payment = order.payment
    if payment is None or payment.method != PaymentMethod.VIETQR_TRANSFER:
        return False
    if payment.status == PaymentStatus.PAID:
        payment.add_received(line.amount_vnd)
        book_owed_back(order, line.amount_vnd, bank(), key=f"bank-line-{line.id}-owed")
    elif payment.status == PaymentStatus.FAILED and not order.live_parts:
        if not payment.claim_paid(line.amount_vnd, reference=line.label):
            return False
        book_payment(order, payment, line.amount_vnd, bank(), all_owed=True)
    else:
        return False
    record_event(order, OrderEventKind.PAYMENT_RECEIVED, None, amount_vnd=line.amount_vnd, method=str(payment.method))
    payment_changed(order)
    tell_refund_owed(order)
    return True


def _problem(order: Order, amount_vnd: int) -> BankProblem:
    due = amount_due(order)
    payment = order.payment
    if payment is None or payment.method != PaymentMethod.VIETQR_TRANSFER or payment.status == PaymentStatus.REFUNDED:
        return BankProblem.NOT_A_TRANSFER_ORDER
    if transfer_refusal(order, due) is not None:
        return BankProblem.NOT_AWAITING
    return BankProblem.SHORT if amount_vnd < due else BankProblem.OVER


def _locked_unmatched(line_id: int) -> BankLine:
    """The line, locked in the write transaction already begun; refused unless it waits for the office."""
    line = db.session.scalar(select(BankLine).where(BankLine.id == line_id).with_for_update()
                             .execution_options(populate_existing=True))
    if line is None:
        db.session.rollback()
        raise BankLineError()
    if line.status != BankLineStatus.UNMATCHED:
        db.session.rollback()
        raise LineHandled()
    return line


def assign(line_id: int, order_number: str, admin) -> Order:
    """The office gives an unmatched line to an order awaiting a transfer: what is due pays the order, the rest
    becomes a refund owed (orders/amounts.refund_owed_vnd, and the ledger's refunds owed). Audited."""
    order_number = (order_number or "").strip().upper()
    order_id = db.session.scalar(select(Order.id).where(Order.number == order_number))
    if order_id is None:
        db.session.rollback()
        raise NoSuchOrder(number=order_number[:20])
    order = lock_order(order_id=order_id)  # begins the write transaction: the order first, then the line
    line = _locked_unmatched(line_id)
    if line.problem == BankProblem.OTHER_ACCOUNT:
        db.session.rollback()
        raise NotOurAccount()
    due = amount_due(order)
    if transfer_refusal(order, due) is not None:
        db.session.rollback()
        raise OrderNotWaiting(number=order.number)
    if line.amount_vnd < due:
        db.session.rollback()
        raise AssignShort(amount=format_vnd(line.amount_vnd), due=format_vnd(due), number=order.number)
    before = {"status": str(line.status), "order": line.order.number if line.order else ""}
    if not take_transfer(order, line.amount_vnd, f"{line.bank_code} {line.transaction_id}", admin):
        db.session.rollback()
        raise OrderNotWaiting(number=order.number)
    line.status, line.order_id = BankLineStatus.ASSIGNED, order.id
    line.handled_by_id, line.handled_at = admin.id, now()
    tell_refund_owed(order)  # the money beyond what was due is owed back: ask the customer where to send it
    record_change(admin, "bank_line.assign", line, before=before,
                  after={"status": str(line.status), "order": order.number, "paid_vnd": due,
                         "refund_owed_vnd": line.amount_vnd - due})
    db.session.commit()
    return order


def dismiss(line_id: int, reason: str, admin) -> BankLine:
    """The office sets an unmatched line aside with its reason (returned by hand, not for the shop…). Audited."""
    reason = (reason or "").strip()[:300]
    if not reason:
        raise ReasonRequired()
    begin_write()
    line = _locked_unmatched(line_id)
    line.status, line.note = BankLineStatus.DISMISSED, reason
    line.handled_by_id, line.handled_at = admin.id, now()
    record_change(admin, "bank_line.dismiss", line, before={"status": str(BankLineStatus.UNMATCHED)},
                  after={"status": str(line.status), "note": reason})
    db.session.commit()
    return line


def unmatched_lines() -> list[BankLine]:
    return list(db.session.scalars(select(BankLine).where(BankLine.status == BankLineStatus.UNMATCHED)
                                   .order_by(BankLine.booked_at, BankLine.id)))


def unmatched_count() -> int:
    return db.session.scalar(select(func.count(BankLine.id)).where(BankLine.status == BankLineStatus.UNMATCHED))
