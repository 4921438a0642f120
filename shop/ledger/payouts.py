"""Paying producers: what each is due, payout batches the office makes and marks paid (audited, booked once).

A producer is due what the shop owes it for goods (its payable) less the COD cash it collected and still
holds for the shop. Only a positive amount is paid, and only to a producer whose bank account the office has
entered; the others are listed with the reason. A producer that holds more cash than it is owed owes the shop
the difference: it is never paid, and the debt stays on its balance, netted against its next sales.

A batch freezes each payout's amounts and bank account when it is made; marking it paid books, in the same
transaction, one entry per payout: the goods owed are settled by the cash the producer held and by the
transfer from the bank. Only one batch is open at a time, so no amount is in two batches; a batch is paid
once (its row is locked and its status checked; each entry's key is the payout's).

A producer may also hand the COD cash it holds to the office (by transfer, or in cash at the office):
`receive_cod_cash` books it (cash held by the producer → the bank or cash in transit), once per reference,
never more than it holds, and not while an open batch froze what it held; the next batch nets what is left.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload

from shop.audit import record_change
from shop.catalog.models import Producer
from shop.clock import now
from shop.errors import ShopError
from shop.extensions import begin_write, db
from shop.ledger import accounts
from shop.ledger.models import Account, EntryKind, JournalEntry, Payout, PayoutBatch, PayoutBatchStatus
from shop.ledger.posting import Line, post
from shop.money import format_vnd

_REFERENCE = re.compile(r"[A-Za-z0-9][A-Za-z0-9 ./_-]{0,79}")


class PayoutError(ShopError):
    message = _l("This payout batch could not be changed.")


class BatchNotFound(PayoutError):
    message = _l("There is no such payout batch.")


class BatchAlreadyOpen(PayoutError):
    message = _l("A payout batch is already open: mark it paid or discard it before making another.")


class NothingToPay(PayoutError):
    message = _l("No producer with a bank account is owed anything now: no batch was made.")


class BatchClosed(PayoutError):
    message = _l("This payout batch is already paid or discarded: nothing was changed.")


class BadReference(PayoutError):
    message = _l("Enter the bank's reference of the transfers (letters, digits, spaces, . / _ -; up to 80).")


@dataclass(frozen=True)
class Due:
    """What the shop owes one producer now, from its accounts' balances."""

    producer: Producer
    owed_vnd: int  #: for goods sold, after commission
    held_vnd: int  #: COD cash the producer collected and holds for the shop

    @property
    def due_vnd(self) -> int:
        """What the office would transfer: owed less held; negative when the producer owes the shop."""
        return self.owed_vnd - self.held_vnd

    @property
    def has_bank_account(self) -> bool:
        return self.producer.has_bank_account


def dues() -> list[Due]:
    """Every producer with money on its accounts, by name (one query for balances, one for producers)."""
    balances: dict[int, list[int]] = {}
    for producer_id, code, balance in db.session.execute(
            select(Account.producer_id, Account.code, Account.balance_vnd).where(Account.producer_id.is_not(None))):
        owed_held = balances.setdefault(producer_id, [0, 0])
        if code.startswith("producer_payable:"):
            owed_held[0] -= int(balance)
        elif code.startswith("producer_cash:"):
            owed_held[1] += int(balance)
    producers = db.session.scalars(select(Producer).where(Producer.id.in_(list(balances)))).all()
    found = [Due(p, *balances[p.id]) for p in producers if any(balances[p.id])]
    return sorted(found, key=lambda d: (d.producer.name_sort, d.producer.id))


def open_batch() -> PayoutBatch | None:
    return db.session.scalar(select(PayoutBatch).where(PayoutBatch.status == PayoutBatchStatus.OPEN))


def batches(limit: int = 50) -> list[PayoutBatch]:
    return db.session.scalars(select(PayoutBatch).options(selectinload(PayoutBatch.payouts))
                              .order_by(PayoutBatch.id.desc()).limit(limit)).all()


def batch(batch_id: int) -> PayoutBatch:
    found = db.session.scalar(select(PayoutBatch).where(PayoutBatch.id == batch_id)
                              .options(selectinload(PayoutBatch.payouts)))
    if found is None:
        raise BatchNotFound()
    return found


def create_batch(actor) -> PayoutBatch:
    """Freeze a payout for every producer due a positive amount that has a bank account; audited."""
    begin_write()
    if open_batch() is not None:
        db.session.rollback()
        raise BatchAlreadyOpen()
    payable = [due for due in dues() if due.due_vnd > 0 and due.has_bank_account]
    if not payable:
        db.session.rollback()
        raise NothingToPay()
    made = PayoutBatch(created_by_id=getattr(actor, "id", None), payouts=[
        Payout(producer_id=due.producer.id, owed_vnd=due.owed_vnd, held_vnd=due.held_vnd, amount_vnd=due.due_vnd,
               producer_name=due.producer.name, bank_bin=due.producer.bank_bin,
               bank_account=due.producer.bank_account, bank_account_name=due.producer.bank_account_name)
        for due in payable])
    db.session.add(made)
    try:
        db.session.flush()  # the one-open-batch index: a batch made at the same moment elsewhere wins
    except IntegrityError:
        db.session.rollback()
        raise BatchAlreadyOpen() from None
    record_change(actor, "payout_batch.created", made,
                  after={"producers": len(made.payouts), "total_vnd": made.total_vnd})
    db.session.commit()
    return made


def _locked_open(batch_id: int) -> PayoutBatch:
    begin_write()
    found = db.session.scalar(select(PayoutBatch).where(PayoutBatch.id == batch_id).with_for_update())
    if found is None:
        db.session.rollback()
        raise BatchNotFound()
    if found.status != PayoutBatchStatus.OPEN:
        db.session.rollback()
        raise BatchClosed()
    return found


def mark_paid(actor, batch_id: int, bank_reference: str) -> PayoutBatch:
    """The office sent the batch's transfers: book each payout (goods owed settled by cash held and the bank)."""
    reference = " ".join((bank_reference or "").split())
    if not _REFERENCE.fullmatch(reference):
        raise BadReference()
    paid = _locked_open(batch_id)
    for payout in paid.payouts:
        post(EntryKind.PAYOUT, [Line(accounts.producer_payable(payout.producer_id), payout.owed_vnd),
                                Line(accounts.producer_cash(payout.producer_id), -payout.held_vnd),
                                Line(accounts.bank(), -payout.amount_vnd)],
             key=f"payout-{payout.id}", memo=f"{paid.label} {payout.producer_name} {reference}")
    paid.status, paid.closed_at, paid.closed_by_id = PayoutBatchStatus.PAID, now(), getattr(actor, "id", None)
    paid.bank_reference = reference
    record_change(actor, "payout_batch.paid", paid, before={"status": "open"},
                  after={"status": "paid", "bank_reference": reference, "total_vnd": paid.total_vnd})
    db.session.commit()
    return paid


def discard(actor, batch_id: int) -> PayoutBatch:
    """Drop an open batch before paying it: nothing is booked, and a new batch may be made."""
    dropped = _locked_open(batch_id)
    dropped.status, dropped.closed_at, dropped.closed_by_id = PayoutBatchStatus.DISCARDED, now(), getattr(actor, "id", None)
    record_change(actor, "payout_batch.discarded", dropped, before={"status": "open"}, after={"status": "discarded"})
    db.session.commit()
    return dropped


class CodCashInvalid(PayoutError):
    message = _l("Enter the cash received as a whole number of đồng, more than 0 and at most the %(held)s the "
                 "producer holds; nothing was recorded.")


class CodCashHow(PayoutError):
    message = _l("Choose how the cash came: into the bank account or in cash at the office.")


class CodCashInBatch(PayoutError):
    message = _l("An open payout batch counts this producer's cash: mark it paid or discard it first; nothing "
                 "was recorded.")


class CodCashRecordedAlready(PayoutError):
    message = _l("Cash from this producer with this reference is recorded already; nothing was recorded twice.")


#: How a producer's COD cash reaches the office, and the account it goes into.
COD_CASH_INTO = {"bank": accounts.bank, "office": accounts.cash_in_transit}


def receive_cod_cash(actor, producer: Producer, amount_vnd: int | None, how: str, reference: str) -> JournalEntry:
    """The producer handed the office COD cash it held: cash held by the producer → the bank (or cash in
    transit), once per reference, at most what it holds; audited; one commit."""
    reference = " ".join((reference or "").split())
    if not _REFERENCE.fullmatch(reference):
        raise BadReference()
    if how not in COD_CASH_INTO:
        raise CodCashHow()
    held_account = accounts.producer_cash(producer.id)
    begin_write()
    held = int(db.session.scalar(select(Account.balance_vnd).where(Account.code == held_account.code)
                                 .with_for_update()) or 0)
    key = f"cod-cash-{producer.id}-{reference.upper()}"[:120]
    batch = open_batch()
    refusal = None
    if amount_vnd is None or not 0 < amount_vnd <= held:
        refusal = CodCashInvalid(held=format_vnd(max(held, 0)))
    elif batch is not None and any(payout.producer_id == producer.id for payout in batch.payouts):
        refusal = CodCashInBatch()  # its payout froze what the producer held: booking more would count it twice
    elif db.session.scalar(select(JournalEntry.id).where(JournalEntry.idempotency_key == key)) is not None:
        refusal = CodCashRecordedAlready()
    if refusal is not None:
        db.session.rollback()
        raise refusal
    entry = post(EntryKind.COD_CASH_RECEIVED, [Line(COD_CASH_INTO[how](), amount_vnd), Line(held_account, -amount_vnd)],
                 key=key, memo=f"{producer.name} {reference}")
    record_change(actor, "producer.cod_cash_received", producer, before={"held_vnd": held},
                  after={"held_vnd": held - amount_vnd, "amount_vnd": amount_vnd, "how": how,
                         "reference": reference})
    db.session.commit()
    return entry
