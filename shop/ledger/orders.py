"""What an order's money events mean in the books: who the money is for once it comes, and when it is owed back.

Money received for an order is shared out at once: each live part's goods (frozen on the part) become
payable to its producer (less the shop's commission), the delivery fee shares the live parts carry are the
shop's, and whatever pays for goods that are already gone is owed back to the customer. A parcel's cash on
delivery is shared out the same way, for that parcel alone. When paid goods go later, their share is reversed line by line (the
lines carry their part) into refunds owed; a refund given pays that debt first.
"""
from __future__ import annotations

from sqlalchemy import func, select

from shop.extensions import db
from shop.ledger import accounts
from shop.ledger.accounts import AccountRef
from shop.ledger.commission import part_commission_vnd
from shop.ledger.models import Account, AccountKind, EntryKind, JournalEntry, JournalLine
from shop.ledger.posting import Line, Unbalanced, post
from shop.orders.models import Fulfillment, Order
from shop.orders.payment import Payment, PaymentMethod, PaymentStatus

#: Payment states in which the money arrived (some may have gone back since).
RECEIVED = (PaymentStatus.PAID, PaymentStatus.REFUNDED)


def goods_earned_vnd(part: Fulfillment) -> int:
    """The part's goods the customer has paid for and keeps: a live part of a paid order, or a parcel whose
    cash on delivery is in; 0 otherwise."""
    payment = part.order.payment
    if part.is_gone or payment is None:
        return 0
    if payment.method == PaymentMethod.COD:
        return part.goods_vnd if part.collected_vnd is not None else 0
    return part.goods_vnd if payment.status in RECEIVED else 0


def fees_earned_vnd(order: Order) -> int:
    """The delivery fee the shop has earned on the order: the shares its paid, live parts carry now."""
    payment = order.payment
    if payment is None:
        return 0
    if payment.method == PaymentMethod.COD:
        return sum(p.delivery_fee_vnd for p in order.live_parts if p.collected_vnd is not None)
    return sum(p.delivery_fee_vnd for p in order.live_parts) if payment.status in RECEIVED else 0


def _goods_lines(part: Fulfillment) -> list[Line]:
    """The part's goods: the commission at its lines' frozen rates is the shop's, the rest its producer's."""
    cut = part_commission_vnd(part)
    return [Line(accounts.producer_payable(part.producer_id), cut - part.goods_vnd, part.id),
            Line(accounts.commission(), -cut, part.id)]


def book_payment(order: Order, payment: Payment, amount_vnd: int, into: AccountRef, *,
                 all_owed: bool = False) -> JournalEntry:
    """Money came in for the whole order: share it out (goods → producers and commission, fees → the shop, the
    rest owed back). With `all_owed` (money for an attempt the shop no longer waited for) all of it is owed."""
    lines = [Line(into, amount_vnd)]
    shared = 0
    if not all_owed:
        for part in order.live_parts:
            lines += _goods_lines(part)
            shared += part.goods_vnd
        fees = sum(part.delivery_fee_vnd for part in order.live_parts)
        lines.append(Line(accounts.delivery_fees(), -fees))
        shared += fees
    if amount_vnd < shared:
        raise Unbalanced()  # less money than the goods and fee it must pay for: the books refuse to guess
    lines.append(Line(accounts.refunds_owed(), shared - amount_vnd))
    return post(EntryKind.PAYMENT_RECEIVED, lines, order=order, key=f"payment-{payment.id}-received",
                memo=f"{order.number} {payment.method}")


def book_owed_back(order: Order, amount_vnd: int, into: AccountRef, *, key: str) -> JournalEntry:
    """More money came in for an order already paid: all of it is the customer's, owed back."""
    return post(EntryKind.PAYMENT_RECEIVED, [Line(into, amount_vnd), Line(accounts.refunds_owed(), -amount_vnd)],
                order=order, key=key, memo=f"{order.number} {PaymentMethod.VIETQR_TRANSFER}")


def book_parcel_cash(order: Order, part: Fulfillment, amount_vnd: int) -> JournalEntry:
    """A parcel's cash on delivery is in: its producer holds it; its goods are payable, its fee share earned."""
    if amount_vnd != part.amount_vnd:
        raise Unbalanced()
    lines = [Line(accounts.producer_cash(part.producer_id), amount_vnd), *_goods_lines(part),
             Line(accounts.delivery_fees(), -part.delivery_fee_vnd)]
    return post(EntryKind.PAYMENT_RECEIVED, lines, order=order, key=f"part-{part.id}-cash",
                memo=f"{order.number} {PaymentMethod.COD}")


def _shares(order: Order, *where):
    """The order's lines summed per account and part, as (account, part id, amount) with the amount not zero."""
    rows = db.session.execute(
        select(Account, JournalLine.part_id, func.sum(JournalLine.amount_vnd))
        .join(JournalLine, JournalLine.account_id == Account.id)
        .join(JournalEntry, JournalEntry.id == JournalLine.entry_id)
        .where(JournalEntry.order_id == order.id, *where)
        .group_by(Account.id, JournalLine.part_id).order_by(Account.id, JournalLine.part_id)).all()
    return [(account, part_id, int(amount)) for account, part_id, amount in rows if amount]


def ref(account: Account) -> AccountRef:
    return AccountRef(account.code, AccountKind(account.kind), account.producer_id, account.sales_point_id)


def book_parts_gone(order: Order, parts: list[Fulfillment]) -> JournalEntry | None:
    """Paid goods will not reach the customer: reverse their share, and any fee no longer earned, into refunds
    owed. Nothing is written when the goods were never paid for."""
    part_ids = {part.id for part in parts}
    if not part_ids:
        return None
    lines = [Line(ref(account), -amount, part_id)
             for account, part_id, amount in _shares(order, JournalLine.part_id.in_(part_ids))]
    booked_fees = -sum(amount for _a, _p, amount in _shares(order, Account.code == accounts.delivery_fees().code))
    lines.append(Line(accounts.delivery_fees(), max(booked_fees - fees_earned_vnd(order), 0)))
    reversed_vnd = sum(line.amount_vnd for line in lines)
    if not reversed_vnd:
        return None
    lines.append(Line(accounts.refunds_owed(), -reversed_vnd))
    return post(EntryKind.PARTS_GONE, lines, order=order, key=f"order-{order.id}-part-{min(part_ids)}-gone",
                memo=order.number)


def refunds_owed_vnd(order: Order) -> int:
    """What the books say is still owed back to the order's customer."""
    return -sum(amount for _a, _p, amount in _shares(order, Account.code == accounts.refunds_owed().code))


def book_refund_paid(order: Order, amount_vnd: int, out_of: AccountRef, *, key: str) -> JournalEntry:
    """Money went back to the customer: it pays what was owed first; anything beyond is the shop's expense."""
    existing = db.session.scalar(select(JournalEntry).where(JournalEntry.idempotency_key == key))
    if existing is not None:
        return existing
    owed = min(amount_vnd, max(refunds_owed_vnd(order), 0))
    return post(EntryKind.REFUND_PAID, [Line(out_of, -amount_vnd), Line(accounts.refunds_owed(), owed),
                                        Line(accounts.refunds_beyond_owed(), amount_vnd - owed)],
                order=order, key=key, memo=order.number)


def book_refund_reversed(order: Order, paid_key: str) -> JournalEntry | None:
    """A refund booked as paid did not go through: its entry is reversed, line by line, once."""
    paid = db.session.scalar(select(JournalEntry).where(JournalEntry.idempotency_key == paid_key))
    if paid is None:
        return None
    lines = [Line(ref(line.account), -line.amount_vnd, line.part_id) for line in paid.lines]
    return post(EntryKind.REFUND_REVERSED, lines, order=order, key=f"{paid_key}-reversed"[:120], memo=order.number)
