"""Reads of the books for the office's pages."""
from __future__ import annotations

from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from shop.catalog.models import Producer
from shop.extensions import db
from shop.ledger import accounts
from shop.ledger.accounts import ACCOUNT_LABELS
from shop.ledger.models import Account, AccountKind, JournalEntry, JournalLine
from shop.sales_points.models import SalesPoint

#: How each kind of account reads next to its amount (shown with the sign the office expects).
KIND_LABELS = {AccountKind.ASSET: _l("Held"), AccountKind.LIABILITY: _l("Owed"), AccountKind.REVENUE: _l("Earned"),
               AccountKind.EXPENSE: _l("Spent")}


@dataclass(frozen=True)
class AccountRow:
    code: str
    kind: AccountKind
    label: str
    owner: str
    #: The balance with the sign of the account's kind: positive for money held, owed, earned or spent.
    amount_vnd: int

    @property
    def kind_label(self) -> str:
        return str(KIND_LABELS[self.kind])


def account_balances() -> list[AccountRow]:
    """Every account with its owner's name, in the order of the chart (money held first)."""
    rows = db.session.execute(
        select(Account, Producer.name, SalesPoint.name)
        .outerjoin(Producer, Producer.id == Account.producer_id)
        .outerjoin(SalesPoint, SalesPoint.id == Account.sales_point_id)).all()
    found = []
    for account, producer_name, point_name in rows:
        kind = AccountKind(account.kind)
        sign = 1 if kind in (AccountKind.ASSET, AccountKind.EXPENSE) else -1
        found.append(AccountRow(account.code, kind, str(ACCOUNT_LABELS.get(account.code.split(":")[0], account.code)),
                                producer_name or point_name or "", sign * int(account.balance_vnd)))
    kinds = list(AccountKind)
    return sorted(found, key=lambda row: (kinds.index(row.kind), row.label, row.owner))


def refunds_owed_by_order() -> dict[int, int]:
    """What the books still owe back to each order's customer, by order id, whatever the payment method (a
    transfer, a card whose refund has not gone through yet, cash): only orders owing something."""
    owed = func.sum(JournalLine.amount_vnd)
    rows = db.session.execute(
        select(JournalEntry.order_id, owed)
        .join(JournalLine, JournalLine.entry_id == JournalEntry.id).join(Account, Account.id == JournalLine.account_id)
        .where(Account.code == accounts.refunds_owed().code, JournalEntry.order_id.is_not(None))
        .group_by(JournalEntry.order_id).having(owed < 0)).all()
    return {order_id: -int(amount) for order_id, amount in rows}
