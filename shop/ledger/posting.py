"""The one writer of the books: `post` records a balanced entry once, in the caller's transaction.

Like `inventory.services`, every write goes through here: the lines are checked to sum to zero before
anything is written, the entry's key makes a retried event a no-op, and the accounts' balances move in the
same transaction as their lines (one conditional UPDATE each, in account id order so writers never deadlock).
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from sqlalchemy import select, update
from sqlalchemy.dialects import postgresql, sqlite

from shop.errors import ShopError
from shop.extensions import db
from shop.ledger.accounts import AccountRef
from shop.ledger.models import Account, EntryKind, JournalEntry, JournalLine


class LedgerError(ShopError):
    message = _l("These books do not balance; nothing was recorded.")


class Unbalanced(LedgerError):
    """The lines of an entry do not sum to zero, are empty, or are not whole đồng."""


@dataclass(frozen=True)
class Line:
    account: AccountRef
    amount_vnd: int
    #: The order part whose goods the line is about.
    part_id: int | None = None


def _insert(dialect: str):
    return (postgresql.insert if dialect == "postgresql" else sqlite.insert)


def account_ids(refs: list[AccountRef]) -> dict[str, int]:
    """The accounts' ids by code, in one query when they are all open; the missing ones are opened first (two
    writers opening one at once open it once)."""
    codes = {ref.code: ref for ref in refs}
    found = dict(db.session.execute(select(Account.code, Account.id).where(Account.code.in_(codes))).all())
    missing = [ref for code, ref in codes.items() if code not in found]
    if missing:
        insert = _insert(db.session.get_bind().dialect.name)(Account).values(
            [{"code": ref.code, "kind": ref.kind, "producer_id": ref.producer_id, "sales_point_id": ref.sales_point_id,
              "balance_vnd": 0} for ref in missing])
        db.session.execute(insert.on_conflict_do_nothing(index_elements=["code"]))
        found |= dict(db.session.execute(select(Account.code, Account.id)
                                         .where(Account.code.in_([ref.code for ref in missing]))).all())
    return found


def post(kind: EntryKind, lines: list[Line], *, order=None, key: str, memo: str = "") -> JournalEntry:
    """Record one balanced entry under `key`, or return the entry already recorded under it.

    Refuses (LedgerError, nothing written) lines that are empty, not whole đồng or do not sum to zero.
    Writes in the caller's transaction and does not commit. A second writer of the same key waits for the
    first one's transaction (the key is unique) and then records nothing.
    """
    lines = [line for line in lines if line.amount_vnd != 0]
    if not lines or any(type(line.amount_vnd) is not int for line in lines) \
            or sum(line.amount_vnd for line in lines) != 0:
        raise Unbalanced()
    if not key or len(key) > 120:
        raise LedgerError()
    insert = _insert(db.session.get_bind().dialect.name)(JournalEntry).values(
        kind=EntryKind(kind), idempotency_key=key, order_id=order.id if order is not None else None, memo=memo[:300])
    entry_id = db.session.scalar(insert.on_conflict_do_nothing(index_elements=["idempotency_key"])
                                 .returning(JournalEntry.id))
    if entry_id is None:  # recorded before, under the same key
        return db.session.scalar(select(JournalEntry).where(JournalEntry.idempotency_key == key))
    moves: dict[int, int] = defaultdict(int)
    rows = []
    ids = account_ids([line.account for line in lines])
    for line in lines:
        account = ids[line.account.code]
        moves[account] += line.amount_vnd
        rows.append({"entry_id": entry_id, "account_id": account, "amount_vnd": line.amount_vnd,
                     "part_id": line.part_id})
    db.session.execute(JournalLine.__table__.insert(), rows)
    for account, amount in sorted(moves.items()):
        if amount:
            db.session.execute(update(Account).where(Account.id == account)
                               .values(balance_vnd=Account.balance_vnd + amount)
                               .execution_options(synchronize_session=False))
    return db.session.get(JournalEntry, entry_id)
