"""Selling at the counter and closing the till: the desk's money use cases.

A counter sale takes the point's own free stock (never units set aside for online orders), prices each
line from the variant on the server, freezes the commission rate, and writes the sale, the stock and the
books in one transaction. VietQR sales show the code first and are recorded when staff see the transfer.
A close-out compares the cash staff counted with what the books say the till holds, records the
difference with a reason, and hands everything counted to the office.

The bank's report of a VietQR sale's transfer (a statement line or a notification whose note carries the
sale's reference, QHL01-7F3K9P or QHL017F3K9P) is matched to the sale for its exact amount
(`match_counter_transfer`, registered with payments/bank.py), whichever comes first: a line that arrived
before staff recorded the sale is taken when they do. A cash sale can be voided at the desk the same day,
before the till is closed: the units go back, the books are reversed, the receipt says so.
"""
from __future__ import annotations

import re
import secrets
from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select
from sqlalchemy.orm import joinedload

from shop.audit.record import record_change
from shop.catalog.models import Product, Variant
from shop.clock import VIETNAM, aware, now, today
from shop.desk.models import CashCloseout, CounterMethod, CounterSale, CounterSaleLine
from shop.errors import ShopError
from shop.extensions import begin_write, db
from shop.input_guard import parse_id
from shop.inventory import services as inventory
from shop.inventory.models import Stock
from shop.ledger import accounts
from shop.ledger.commission import rates_for
from shop.ledger.counter import SoldGoods, book_cash_closeout, book_counter_sale, book_counter_void
from shop.ledger.models import Account
from shop.money import format_vnd
from shop.payments import bank
from shop.payments.models import BankLine
from shop.payments.services import TransferInstructions, transfer_instructions
from shop.sales_points.models import SalesPoint

#: Letters and digits without look-alikes (0/O, 1/I/L), as in pickup codes.
_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
_REFERENCE = re.compile(r"Q[A-Z0-9]{1,10}-[A-Z0-9]{6}")
#: Units of one variant in one sale, at most.
MAX_UNITS = 999


class CounterError(ShopError):
    message = _l("The sale could not be recorded.")


class NothingSold(CounterError):
    message = _l("Please enter how many of at least one product the customer takes.")


class BadQuantity(CounterError):
    message = _l("Please enter whole numbers of units, up to 999 of each product.")


class NotHeldHere(CounterError):
    message = _l("One of the products is not held at this point.")


class BadMethod(CounterError):
    message = _l("Please choose cash or VietQR.")


class CashShort(CounterError):
    message = _l("The customer gave %(given)s, less than the total of %(total)s.")


class TotalChanged(CounterError):
    message = _l("A price changed since the code was shown: the total is now %(total)s. Please show the new code.")


class BadReference(CounterError):
    message = _l("This sale form has expired. Please start the sale again.")


class BadTendered(CounterError):
    message = _l("Please enter the cash the customer gave as a whole number of đồng, or leave it empty.")


class TillEmpty(CounterError):
    message = _l("The till holds no cash by the books, and none was counted: there is nothing to hand over.")


class ReasonNeeded(CounterError):
    message = _l("Counted cash differs from the expected amount by %(difference)s: please say why.")


class BadAmount(CounterError):
    message = _l("Please enter the counted cash as a whole number of đồng.")


class VoidReasonNeeded(CounterError):
    message = _l("Please say why the sale is voided: the reason is kept with it.")


class VoidedAlready(CounterError):
    message = _l("This sale was voided already; nothing changed.")


class VoidTooLate(CounterError):
    message = _l("Only today's sales can be voided, before the till is closed; nothing changed.")


class VoidByTransfer(CounterError):
    message = _l("A sale paid by transfer is given back by the office, not voided at the desk; nothing changed.")


def _prefix(point_code: str) -> str:
    """Q and the point's code in plain letters and digits: how every sale reference of the point starts."""
    return "Q" + (re.sub(r"[^A-Z0-9]", "", point_code.upper())[:10] or "P") + "-"


def new_reference(point_code: str) -> str:
    """A reference for a sale about to be made: printed on the receipt and written in the transfer note."""
    return _prefix(point_code) + "".join(secrets.choice(_ALPHABET) for _ in range(6))


def parse_items(form) -> dict[int, int]:
    """{variant id: units} from the form's qty-<variant id> fields; empty and zero fields are skipped."""
    items: dict[int, int] = {}
    for key, value in form.items(multi=True):
        if not key.startswith("qty-") or not str(value).strip():
            continue
        variant_id = parse_id(key[4:])
        text = str(value).strip()
        if variant_id is None or not text.isdigit() or int(text) > MAX_UNITS:
            raise BadQuantity()
        if int(text):
            items[variant_id] = items.get(variant_id, 0) + int(text)
    if any(units > MAX_UNITS for units in items.values()):
        raise BadQuantity()
    return items


@dataclass(frozen=True)
class PricedLine:
    variant: Variant
    quantity: int

    @property
    def unit_price_vnd(self) -> int:
        return self.variant.price_vnd

    @property
    def line_total_vnd(self) -> int:
        return self.variant.price_vnd * self.quantity

    @property
    def name(self) -> str:
        return f"{self.variant.product.name} · {self.variant.label}"[:300]


def price(point_id: int, items: dict[int, int]) -> list[PricedLine]:
    """The lines at today's prices, for variants this point holds; NothingSold or NotHeldHere otherwise."""
    if not items:
        raise NothingSold()
    location = inventory.sales_point_location_id(point_id)
    variants = db.session.scalars(
        select(Variant).join(Stock, Stock.variant_id == Variant.id)
        .where(Variant.id.in_(items), Stock.location_id == location)
        .options(joinedload(Variant.product).joinedload(Product.producer)).order_by(Variant.id)
    ).unique().all() if location is not None else []
    if len(variants) != len(items):
        raise NotHeldHere()
    return [PricedLine(variant, items[variant.id]) for variant in variants]


def total_vnd(lines: list[PricedLine]) -> int:
    return sum(line.line_total_vnd for line in lines)


def qr_for(reference: str, amount_vnd: int) -> TransferInstructions:
    """The VietQR code the customer scans on the desk screen: the office's account, the amount, the reference."""
    return transfer_instructions(reference, amount_vnd)


def valid_reference(point_code: str, reference: str) -> bool:
    """A reference this point's sale form could have made."""
    return bool(_REFERENCE.fullmatch(reference or "")) and reference.startswith(_prefix(point_code))


def record_counter_sale(point_id: int, point_code: str, actor, items: dict[int, int], method: str, reference: str,
                        *, tendered_vnd: int | None = None, expected_total_vnd: int | None = None) -> CounterSale:
    """Record one counter sale: stock out of the point, the sale and its lines, the books, the audit; one commit.

    The same reference twice (a double click, a resent form) returns the sale already recorded.
    Raises a CounterError or an inventory.StockError; nothing is written then.
    """
    if method not in (CounterMethod.CASH, CounterMethod.VIETQR):
        raise BadMethod()
    if not valid_reference(point_code, reference):
        raise BadReference()
    existing = db.session.scalar(select(CounterSale).where(CounterSale.reference == reference))
    if existing is not None:
        if existing.sales_point_id != point_id:
            raise BadReference()
        return existing
    begin_write()
    try:
        lines = price(point_id, items)
        total = total_vnd(lines)
        if expected_total_vnd is not None and expected_total_vnd != total:
            raise TotalChanged(total=format_vnd(total))
        if method == CounterMethod.CASH:
            tendered_vnd = total if tendered_vnd is None else tendered_vnd
            if tendered_vnd < total:
                raise CashShort(given=format_vnd(tendered_vnd), total=format_vnd(total))
        else:
            tendered_vnd = None
        rates = rates_for({line.variant.product for line in lines})
        inventory.sell_from(inventory.sales_point_location_id(point_id),
                            [(line.variant.id, line.quantity, line.variant.sku) for line in lines],
                            note=reference, user_id=getattr(actor, "id", None))
        sale = CounterSale(reference=reference, sales_point_id=point_id, staff_id=getattr(actor, "id", None),
                           method=CounterMethod(method), total_vnd=total, tendered_vnd=tendered_vnd)
        sale.lines = [CounterSaleLine(variant_id=line.variant.id, producer_id=line.variant.product.producer_id,
                                      name=line.name, sku=line.variant.sku, quantity=line.quantity,
                                      unit_price_vnd=line.unit_price_vnd, line_total_vnd=line.line_total_vnd,
                                      commission_bps=rates[line.variant.product_id]) for line in lines]
        db.session.add(sale)
        db.session.flush()
        book_counter_sale(sale.id, point_id, by_transfer=method == CounterMethod.VIETQR, reference=reference,
                          goods=[SoldGoods(line.producer_id, line.line_total_vnd, line.commission_bps)
                                 for line in sale.lines])
        if method == CounterMethod.VIETQR:
            seen = bank.take_waiting_line(reference, total)  # the bank told of it before staff recorded it
            sale.bank_line_id = seen.id if seen is not None else None
        record_change(actor, "counter_sale.recorded", sale,
                      after={"reference": reference, "method": str(method), "total_vnd": total,
                             "lines": [[line.sku, line.quantity, line.line_total_vnd] for line in sale.lines]})
    except (CounterError, inventory.StockError):
        db.session.rollback()
        raise
    db.session.commit()
    return sale


def sale_at(point_id: int, sale_id: int) -> CounterSale | None:
    """One of this point's counter sales with its lines; None for another point's or an unknown id."""
    return db.session.scalar(
        select(CounterSale).where(CounterSale.id == sale_id, CounterSale.sales_point_id == point_id)
        .options(joinedload(CounterSale.lines), joinedload(CounterSale.staff))
    )


def void_sale(point_id: int, sale_id: int, actor, reason: str) -> CounterSale:
    """Undo one of this point's cash sales of today, before the till was closed: units back on the shelf, the
    books reversed (the till gives the cash back), the sale marked void with its reason; audited; one commit.
    Raises a CounterError (nothing changed); None-safe callers check `sale_at` first for a 404."""
    reason = " ".join((reason or "").split())[:300]
    if not reason:
        raise VoidReasonNeeded()
    begin_write()
    try:
        sale = db.session.scalar(select(CounterSale).where(CounterSale.id == sale_id,
                                                           CounterSale.sales_point_id == point_id)
                                 .with_for_update().execution_options(populate_existing=True))
        if sale is None:
            raise BadReference()
        if sale.voided_at is not None:
            raise VoidedAlready()
        if sale.method != CounterMethod.CASH:
            raise VoidByTransfer()
        # Compared here, not in SQL: SQLite keeps whole seconds, and a close-out in the sale's second counts.
        last_closed = db.session.scalar(select(func.max(CashCloseout.created_at))
                                        .where(CashCloseout.sales_point_id == point_id))
        sold_at = aware(sale.created_at)
        if sold_at.astimezone(VIETNAM).date() != today() or (last_closed and aware(last_closed) >= sold_at):
            raise VoidTooLate()
        inventory.return_to(inventory.sales_point_location_id(point_id),
                            [(line.variant_id, line.quantity, line.sku) for line in sale.lines],
                            note=f"void {sale.reference}", user_id=getattr(actor, "id", None))
        book_counter_void(sale.id, sale.reference)
        sale.voided_at, sale.void_reason, sale.voided_by_id = now(), reason, getattr(actor, "id", None)
        record_change(actor, "counter_sale.voided", sale, before={"voided": False},
                      after={"voided": True, "total_vnd": sale.total_vnd}, note=reason)
    except (CounterError, inventory.StockError):
        db.session.rollback()
        raise
    db.session.commit()
    return sale


def may_void(sale: CounterSale) -> bool:
    """Whether the receipt offers a void: a cash sale of today not voided (the till check happens on voiding)."""
    return (sale.method == CounterMethod.CASH and sale.voided_at is None
            and aware(sale.created_at).astimezone(VIETNAM).date() == today())


# ---- the bank's report of a counter sale's transfer ----------------------------------------------------

def counter_references_in(content: str) -> list[str]:
    """The counter-sale references a transfer note may carry (banks drop the dash: QHL017F3K9P → QHL01-7F3K9P)."""
    note, found = bank.normalise(content), []
    for start in (i for i, ch in enumerate(note) if ch == "Q"):
        for size in range(8, 18):  # Q, 1–10 letters of the point's code, 6 of the sale's
            piece = note[start:start + size]
            if len(piece) == size:
                found.append(f"{piece[:-6]}-{piece[-6:]}")
    return list(dict.fromkeys(found))


def match_counter_transfer(line: BankLine) -> str | None:
    """A bank line (naming no order) whose note names a counter sale: the VietQR sale's transfer for exactly its
    amount is accounted for; anything else waits with its reason. None when the note names no sale or point."""
    references = counter_references_in(line.content)
    if not references:
        return None
    sale = db.session.scalar(select(CounterSale).where(CounterSale.reference.in_(references))
                             .order_by(CounterSale.id).limit(1).with_for_update())
    if sale is None:
        prefixes = {_prefix(code) for code in db.session.scalars(select(SalesPoint.code))}
        named = any(reference.startswith(prefix) for reference in references for prefix in prefixes)
        return bank.BankProblem.COUNTER_NOT_RECORDED if named else None
    if sale.method != CounterMethod.VIETQR:
        return bank.BankProblem.COUNTER_NOT_RECORDED
    if sale.bank_line_id is not None or sale.voided_at is not None:
        return bank.BankProblem.COUNTER_PAID
    if line.amount_vnd != sale.total_vnd:
        return bank.BankProblem.COUNTER_AMOUNT
    sale.bank_line_id = line.id
    return ""


if match_counter_transfer not in bank.NOTE_MATCHERS:
    bank.NOTE_MATCHERS.append(match_counter_transfer)


# ---- closing the till ---------------------------------------------------------------------------------

def expected_cash_vnd(point_id: int) -> int:
    """What the books say the point's till holds now: cash taken since the last hand-over."""
    return db.session.scalar(select(Account.balance_vnd).where(Account.code == accounts.point_cash(point_id).code)) or 0


def close_out(point_id: int, actor, counted_vnd: int | None, reason: str, *, expected_vnd: int) -> CashCloseout:
    """Record the counted till and hand it to the office, in one transaction.

    `expected_vnd` is what the page showed: if the till moved since (a sale meanwhile), the difference is
    measured against the books as they are now, under lock.
    """
    if counted_vnd is None or counted_vnd < 0:
        raise BadAmount()
    reason = (reason or "").strip()[:500]
    begin_write()
    try:
        till = accounts.point_cash(point_id)
        # Lock the till's account row: a sale recorded meanwhile waits, and is in the next close-out.
        expected = db.session.scalar(
            select(Account.balance_vnd).where(Account.code == till.code).with_for_update()) or 0
        if expected == 0 and counted_vnd == 0:
            raise TillEmpty()
        if counted_vnd != expected and not reason:
            raise ReasonNeeded(difference=format_vnd(counted_vnd - expected))
        closeout = CashCloseout(sales_point_id=point_id, staff_id=getattr(actor, "id", None),
                                expected_vnd=expected, counted_vnd=counted_vnd, reason=reason)
        db.session.add(closeout)
        db.session.flush()
        book_cash_closeout(closeout.id, point_id, expected_vnd=expected, counted_vnd=counted_vnd)
        record_change(actor, "cash.closed_out", closeout,
                      after={"expected_vnd": expected, "counted_vnd": counted_vnd,
                             "difference_vnd": counted_vnd - expected, "shown_vnd": expected_vnd},
                      note=reason)
    except CounterError:
        db.session.rollback()
        raise
    db.session.commit()
    return closeout


def recent_closeouts(point_id: int, limit: int = 10) -> list[CashCloseout]:
    return list(db.session.scalars(
        select(CashCloseout).where(CashCloseout.sales_point_id == point_id)
        .options(joinedload(CashCloseout.staff)).order_by(CashCloseout.id.desc()).limit(limit)))
