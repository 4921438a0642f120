"""The shop's chart of accounts: which account holds or owes which money, named by a stable code."""
from __future__ import annotations

from dataclasses import dataclass

from flask_babel import lazy_gettext as _l

from shop.ledger.models import AccountKind


@dataclass(frozen=True)
class AccountRef:
    """An account by its code; `post` finds or opens it."""

    code: str
    kind: AccountKind
    producer_id: int | None = None
    sales_point_id: int | None = None


def bank() -> AccountRef:
    """The office's bank account, where VietQR transfers arrive."""
    return AccountRef("bank", AccountKind.ASSET)


def stripe_balance() -> AccountRef:
    """Card money Stripe holds for the shop until it pays out."""
    return AccountRef("stripe", AccountKind.ASSET)


def point_cash(point_id: int) -> AccountRef:
    """Cash in a sales point's till."""
    return AccountRef(f"point_cash:{point_id}", AccountKind.ASSET, sales_point_id=point_id)


def producer_cash(producer_id: int) -> AccountRef:
    """Cash a producer collected on delivery for the shop (it holds it, and owes it back)."""
    return AccountRef(f"producer_cash:{producer_id}", AccountKind.ASSET, producer_id=producer_id)


def producer_payable(producer_id: int) -> AccountRef:
    """What the shop owes a producer for goods sold, after commission."""
    return AccountRef(f"producer_payable:{producer_id}", AccountKind.LIABILITY, producer_id=producer_id)


def commission() -> AccountRef:
    return AccountRef("commission", AccountKind.REVENUE)


def delivery_fees() -> AccountRef:
    return AccountRef("delivery_fees", AccountKind.REVENUE)


def refunds_owed() -> AccountRef:
    """Money received for goods that will not reach the customer, until it is given back."""
    return AccountRef("refunds_owed", AccountKind.LIABILITY)


def refunds_beyond_owed() -> AccountRef:
    """Refunds the office chose to give for goods that did reach the customer."""
    return AccountRef("refunds_beyond_owed", AccountKind.EXPENSE)


def cash_in_transit() -> AccountRef:
    """Cash handed to the office (points at close-out, producers' COD cash), on its way to the bank account."""
    return AccountRef("cash_in_transit", AccountKind.ASSET)


def cash_over_short() -> AccountRef:
    """What the tills held more (negative) or less (positive) than the books expected at close-out."""
    return AccountRef("cash_over_short", AccountKind.EXPENSE)


#: How each account reads on the office's pages, by the part of its code before the owner.
ACCOUNT_LABELS = {
    "bank": _l("Bank account"),
    "stripe": _l("Stripe balance"),
    "point_cash": _l("Cash at sales point"),
    "producer_cash": _l("Cash held by producer (COD)"),
    "producer_payable": _l("Payable to producer"),
    "commission": _l("Commission revenue"),
    "delivery_fees": _l("Delivery-fee revenue"),
    "refunds_owed": _l("Refunds owed to customers"),
    "refunds_beyond_owed": _l("Refunds beyond what was owed"),
    "cash_in_transit": _l("Cash handed to the office (in transit to the bank)"),
    "cash_over_short": _l("Cash over or short at points"),
}
