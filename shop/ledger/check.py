"""The books' invariants, checked against themselves and against the orders (`flask ledger check`)."""
from __future__ import annotations

from collections import defaultdict

from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from shop.extensions import db
from shop.ledger import accounts
from shop.ledger.models import Account, AccountKind, EntryKind, JournalEntry, JournalLine
from shop.ledger.orders import RECEIVED, fees_earned_vnd, goods_earned_vnd
from shop.orders.amounts import collected_vnd
from shop.orders.models import Fulfillment, Order
from shop.orders.payment import Payment, PaymentMethod


def check_books() -> list[str]:
    """Every broken invariant, one sentence each; an empty list when the books are right to the đồng."""
    return _entries_balance() + _balances_match() + _orders_reconcile()


def _entries_balance() -> list[str]:
    sums = db.session.execute(
        select(JournalEntry.id, JournalEntry.idempotency_key, func.coalesce(func.sum(JournalLine.amount_vnd), 0),
               func.count(JournalLine.id))
        .outerjoin(JournalLine, JournalLine.entry_id == JournalEntry.id).group_by(JournalEntry.id)
        .order_by(JournalEntry.id)).all()
    return [f"entry {entry_id} ({key}): its lines sum to {total}, not 0" if lines else
            f"entry {entry_id} ({key}): it has no lines"
            for entry_id, key, total, lines in sums if total != 0 or not lines]


def _balances_match() -> list[str]:
    sums = db.session.execute(
        select(Account.code, Account.balance_vnd, func.coalesce(func.sum(JournalLine.amount_vnd), 0))
        .outerjoin(JournalLine, JournalLine.account_id == Account.id).group_by(Account.id)
        .order_by(Account.code)).all()
    return [f"account {code}: balance {balance} but its lines sum to {total}"
            for code, balance, total in sums if balance != total]


def _orders_reconcile() -> list[str]:
    """For every order with money: received = producers' payables + commission + fees + refunds, and each of
    them is what the order says (live goods paid for, its delivery fee, the rest owed or given back)."""
    lines = db.session.execute(
        select(JournalEntry.order_id, JournalEntry.kind, JournalLine.part_id, Account.code, Account.kind,
               JournalLine.amount_vnd)
        .join(JournalLine, JournalLine.entry_id == JournalEntry.id).join(Account, Account.id == JournalLine.account_id)
        .where(JournalEntry.order_id.is_not(None))).all()
    books: dict[int, dict] = defaultdict(lambda: {"received": 0, "goods": defaultdict(int), "fees": 0,
                                                  "refunds": 0})
    for order_id, kind, part_id, code, account_kind, amount in lines:
        book = books[order_id]
        if account_kind == AccountKind.ASSET and kind == EntryKind.PAYMENT_RECEIVED:
            book["received"] += amount
        elif code.startswith("producer_payable:") or code == accounts.commission().code:
            book["goods"][part_id] -= amount
        elif code == accounts.delivery_fees().code:
            book["fees"] -= amount
        elif code == accounts.refunds_owed().code and kind in (EntryKind.PAYMENT_RECEIVED, EntryKind.PARTS_GONE):
            book["refunds"] -= amount
    paid_ids = select(Payment.order_id).where(Payment.status.in_(RECEIVED))
    orders = db.session.scalars(
        select(Order).where(Order.id.in_(paid_ids) | Order.id.in_(list(books)))
        .options(selectinload(Order.parts).selectinload(Fulfillment.lines), selectinload(Order.payments))
        .order_by(Order.id)).all()
    problems = []
    for order in orders:
        problems += [f"order {order.number}: {problem}" for problem in _order_problems(order, books[order.id])]
    return problems


def _order_problems(order: Order, book: dict) -> list[str]:
    problems = []
    if order.payment is not None and order.payment.method == PaymentMethod.COD:
        received = collected_vnd(order)  # parcel by parcel, before the payment as a whole is paid
    else:
        received = sum(p.received_vnd or 0 for p in order.payments if p.status in RECEIVED)
    if book["received"] != received:
        problems.append(f"the payments received {received} but the books {book['received']}")
    for part in order.parts:
        expected = goods_earned_vnd(part)
        if book["goods"].get(part.id, 0) != expected:
            problems.append(f"part {part.id}: goods {expected} but payables and commission {book['goods'].get(part.id, 0)}")
    fees = fees_earned_vnd(order)
    if book["fees"] != fees:
        problems.append(f"delivery fee {fees} but the books {book['fees']}")
    shared = sum(book["goods"].values()) + book["fees"] + book["refunds"]
    if book["received"] != shared:
        problems.append(f"received {book['received']} ≠ payables + commission + fees + refunds {shared}")
    return problems
