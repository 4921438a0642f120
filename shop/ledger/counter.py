"""What a sales point's own money means in the books: counter sales, and the till handed to the office.

A counter sale's money is shared out at once, like an order's: each producer's goods become payable to it
less the commission (at the rate frozen on each line), and the money sits in the point's till (cash) or
the office's bank account (VietQR). A close-out brings the till to what staff counted (the difference is
the shop's cash over or short) and hands all of it to the office: till → cash in transit.
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from sqlalchemy import select

from shop.extensions import db
from shop.ledger import accounts
from shop.ledger.commission import line_commission_vnd
from shop.ledger.models import EntryKind, JournalEntry
from shop.ledger.orders import ref
from shop.ledger.posting import Line, LedgerError, Unbalanced, post


@dataclass(frozen=True)
class SoldGoods:
    """One line of a counter sale as the books see it."""

    producer_id: int
    line_total_vnd: int
    commission_bps: int


def book_counter_sale(sale_id: int, point_id: int, *, by_transfer: bool, goods: list[SoldGoods],
                      reference: str) -> JournalEntry:
    """Money for goods sold at a point's counter: the till (or the bank) against producers and commission."""
    total = sum(item.line_total_vnd for item in goods)
    if total <= 0:
        raise Unbalanced()
    into = accounts.bank() if by_transfer else accounts.point_cash(point_id)
    payable: dict[int, int] = defaultdict(int)
    cut = 0
    for item in goods:
        commission = line_commission_vnd(item.line_total_vnd, item.commission_bps)
        cut += commission
        payable[item.producer_id] += item.line_total_vnd - commission
    lines = [Line(into, total), Line(accounts.commission(), -cut)]
    lines += [Line(accounts.producer_payable(producer), -amount) for producer, amount in sorted(payable.items())]
    return post(EntryKind.COUNTER_SALE, lines, key=f"counter-sale-{sale_id}", memo=reference)


def book_counter_void(sale_id: int, reference: str) -> JournalEntry:
    """A counter sale undone: its entry reversed line by line (the till gives the cash back, producers and
    commission give their shares back), once. LedgerError when the sale was never booked."""
    sold = db.session.scalar(select(JournalEntry).where(JournalEntry.idempotency_key == f"counter-sale-{sale_id}"))
    if sold is None:
        raise LedgerError()
    lines = [Line(ref(line.account), -line.amount_vnd) for line in sold.lines]
    return post(EntryKind.COUNTER_SALE_VOIDED, lines, key=f"counter-sale-{sale_id}-voided", memo=reference)


def book_cash_closeout(closeout_id: int, point_id: int, *, expected_vnd: int, counted_vnd: int) -> JournalEntry:
    """The till is counted and handed to the office: over or short first, then everything counted leaves."""
    till = accounts.point_cash(point_id)
    lines = [Line(till, counted_vnd - expected_vnd), Line(accounts.cash_over_short(), expected_vnd - counted_vnd),
             Line(till, -counted_vnd), Line(accounts.cash_in_transit(), counted_vnd)]
    return post(EntryKind.CASH_CLOSEOUT, lines, key=f"cash-closeout-{closeout_id}", memo=f"point {point_id}")
