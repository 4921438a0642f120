"""A producer's statement for a period, read from the books: what the shop owes it, and why it changed.

The balance a producer sees is what the shop owes it net: its payable account (goods sold less commission)
less the COD cash it collected and holds for the shop. Every journal line on those two accounts, and every
commission line on its parts, lands in exactly one column, so opening + the period's lines = closing, to the
đồng, whatever happened (the generated month checks it).
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from sqlalchemy import or_, select

from shop.clock import VIETNAM, add_months
from shop.extensions import db
from shop.ledger import accounts
from shop.ledger.models import Account, EntryKind, JournalEntry, JournalLine
from shop.orders.models import Fulfillment, Order

#: The statement's columns, in the order they are shown: each is a change in what the shop owes the producer.
#: Entries whose goods lines are sales: an order paid, a parcel's cash, a sale at a point's counter.
_SALES = (EntryKind.PAYMENT_RECEIVED, EntryKind.COUNTER_SALE)
#: Entries that take goods sold earlier back: parts gone, a counter sale voided.
_GONE = (EntryKind.PARTS_GONE, EntryKind.COUNTER_SALE_VOIDED)
COLUMNS = ("sales_vnd", "commission_vnd", "refunds_vnd", "cod_cash_vnd", "payouts_vnd", "other_vnd")


@dataclass
class StatementLine:
    """One money event of the producer's: an order paid, a parcel's cash, goods gone, a payout."""

    entry_id: int
    at: dt.datetime
    kind: EntryKind
    order_number: str
    sales_vnd: int = 0  #: goods sold (before commission)
    commission_vnd: int = 0  #: the shop's commission (negative), or commission given back on goods gone
    refunds_vnd: int = 0  #: goods sold earlier that did not reach the customer (negative)
    cod_cash_vnd: int = 0  #: cash on delivery the producer collected and holds for the shop (negative)
    payouts_vnd: int = 0  #: money the office sent to the producer's bank account (negative)
    other_vnd: int = 0  #: anything else the books say (never expected; shown so totals always add up)

    @property
    def net_vnd(self) -> int:
        return sum(getattr(self, column) for column in COLUMNS)


@dataclass
class Statement:
    producer_id: int
    month: dt.date
    opening_vnd: int
    lines: list[StatementLine] = field(default_factory=list)
    #: At the end of the period: what the shop owes for goods, and the COD cash the producer holds.
    payable_vnd: int = 0
    held_vnd: int = 0

    @property
    def closing_vnd(self) -> int:
        return self.opening_vnd + sum(line.net_vnd for line in self.lines)

    def total(self, column: str) -> int:
        return sum(getattr(line, column) for line in self.lines)


def period(month: dt.date) -> tuple[dt.datetime, dt.datetime]:
    """The month in Vietnam time, as UTC bounds [start, end)."""
    start = dt.datetime.combine(month.replace(day=1), dt.time(), VIETNAM).astimezone(dt.UTC)
    end = dt.datetime.combine(add_months(month.replace(day=1), 1), dt.time(), VIETNAM).astimezone(dt.UTC)
    return start, end


def _lines_of(producer_id: int, *where):
    """(entry id, created at, kind, order number, account code, amount) of every line that is this producer's."""
    payable, cash = accounts.producer_payable(producer_id).code, accounts.producer_cash(producer_id).code
    return db.session.execute(
        select(JournalEntry.id, JournalEntry.created_at, JournalEntry.kind, Order.number, Account.code,
               JournalLine.amount_vnd)
        .join(JournalLine, JournalLine.entry_id == JournalEntry.id)
        .join(Account, Account.id == JournalLine.account_id)
        .outerjoin(Order, Order.id == JournalEntry.order_id)
        .outerjoin(Fulfillment, Fulfillment.id == JournalLine.part_id)
        .where(or_(Account.code.in_((payable, cash)),
                   (Account.code == accounts.commission().code) & (Fulfillment.producer_id == producer_id)),
               *where)
        .order_by(JournalEntry.id, JournalLine.id)).all()


def _columns(kind: str, code: str, amount: int) -> list[tuple[str, int]]:
    """Where one line lands on the statement, as changes to what the shop owes the producer."""
    if code == accounts.commission().code:
        # The goods column shows the goods gross; the commission column takes the shop's share off (or gives
        # it back on goods gone). The two cancel out: commission never changes the producer's balance by itself.
        gross = ("sales_vnd" if kind in _SALES else
                 "refunds_vnd" if kind in _GONE else "other_vnd")
        return [(gross, -amount), ("commission_vnd", amount)]
    if code.startswith("producer_cash:"):
        # Cash the producer collected lowers what it is owed; the payout that nets it against the goods raises
        # it back (and takes as much off the goods owed, so a payout's net is what reached the bank account).
        column = ("cod_cash_vnd" if kind in (EntryKind.PAYMENT_RECEIVED, EntryKind.COD_CASH_RECEIVED) else
                  "payouts_vnd" if kind == EntryKind.PAYOUT else "other_vnd")
        return [(column, -amount)]
    column = ("sales_vnd" if kind in _SALES else "refunds_vnd" if kind in _GONE
              else "payouts_vnd" if kind == EntryKind.PAYOUT else "other_vnd")
    return [(column, -amount)]


def statement(producer_id: int, month: dt.date) -> Statement:
    """The producer's statement for a month (Vietnam time): opening balance, each event, closing balance."""
    start, end = period(month)
    payable, held = _split(_lines_of(producer_id, JournalEntry.created_at < start))
    found = Statement(producer_id, month.replace(day=1), payable - held)
    rows = _lines_of(producer_id, JournalEntry.created_at >= start, JournalEntry.created_at < end)
    by_entry: dict[int, StatementLine] = {}
    for entry_id, at, kind, number, code, amount in rows:
        line = by_entry.get(entry_id)
        if line is None:
            line = by_entry[entry_id] = StatementLine(entry_id, at, EntryKind(kind), number or "")
            found.lines.append(line)
        for column, change in _columns(kind, code, amount):
            setattr(line, column, getattr(line, column) + change)
    more_payable, more_held = _split(rows)
    found.payable_vnd, found.held_vnd = payable + more_payable, held + more_held
    return found


def _split(rows) -> tuple[int, int]:
    """What the shop owes the producer for goods after these lines, and the COD cash the producer holds."""
    payable = -sum(amount for *_r, code, amount in rows if code.startswith("producer_payable:"))
    held = sum(amount for *_r, code, amount in rows if code.startswith("producer_cash:"))
    return payable, held
