"""Bank statement CSV files: which column is which (a preset per bank, or the office's remembered mapping), and
reading a file into incoming lines, all of it or nothing.

The presets' column headers are plausible ones written for this shop (Vietcombank, BIDV and Techcombank each
export statements from their business internet banking; the exact headers vary by channel and year): the
office adjusts the mapping on the import page, and the shop remembers it per bank.
"""
from __future__ import annotations

import csv
import datetime as dt
import io
import re
from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from shop.audit import record_change
from shop.clock import VIETNAM
from shop.errors import ShopError
from shop.extensions import begin_write, db
from shop.payments.bank import MAX_LINE_VND, IncomingLine, receive
from shop.payments.models import BankLineStatus, BankStatementFormat

#: A statement larger than this is not one day's or one month's statement of this shop.
MAX_FILE_BYTES = 2 * 1024 * 1024
MAX_ROWS = 5000
#: The date formats the office can pick (Vietnamese banks write dd/mm/yyyy, some with the time).
DATE_FORMATS = ("%d/%m/%Y", "%d/%m/%Y %H:%M:%S", "%d-%m-%Y", "%Y-%m-%d")


@dataclass(frozen=True)
class Mapping:
    date_column: str
    amount_column: str
    content_column: str
    transaction_id_column: str
    date_format: str = "%d/%m/%Y"

    @property
    def columns(self) -> tuple[str, ...]:
        return (self.date_column, self.amount_column, self.content_column, self.transaction_id_column)


#: bank code → (name, the columns of its statement export: date, money in, note, transaction id).
PRESETS: dict[str, tuple[str, Mapping]] = {
    "VCB": ("Vietcombank", Mapping("Ngày giao dịch", "Số tiền ghi có", "Mô tả", "Số tham chiếu")),
    "BIDV": ("BIDV", Mapping("Ngày hiệu lực", "Ghi có", "Mô tả giao dịch", "Mã giao dịch")),
    "TCB": ("Techcombank", Mapping("Transaction Date", "Credit", "Description", "Reference No.")),
}


class StatementError(ShopError):
    message = _l("This file cannot be read as a bank statement; nothing was recorded.")


class UnknownBank(StatementError):
    message = _l("Please choose the bank the statement comes from.")


class NotAStatement(StatementError):
    message = _l("This file is not a CSV text file (or it is empty); nothing was recorded.")


class TooLarge(StatementError):
    message = _l("The file is too large for one statement (at most 2 MB and 5000 lines); nothing was recorded.")


class MissingColumns(StatementError):
    message = _l("No header row with the columns %(columns)s was found; check the column names. Nothing was recorded.")


class BadRow(StatementError):
    message = _l("Line %(row)s: %(problem)s. Nothing was recorded.")


class BadMapping(StatementError):
    message = _l("Please name the four columns (date, money in, note, transaction id) and a date format.")


_PROBLEM_DATE = _l("the date %(value)s is not in the format %(format)s")
_PROBLEM_AMOUNT = _l("the amount %(value)s is not a whole number of đồng")
_PROBLEM_ABSURD = _l("the amount %(value)s is not a plausible transfer")
_PROBLEM_NO_ID = _l("the transaction id is empty")
_PROBLEM_TWICE = _l("the transaction id %(value)s appears twice in the file")


def mapping_for(bank_code: str) -> Mapping:
    """The office's remembered mapping for this bank, else the shop's preset."""
    if bank_code not in PRESETS:
        raise UnknownBank()
    row = db.session.scalar(select(BankStatementFormat).where(BankStatementFormat.bank_code == bank_code))
    if row is None:
        return PRESETS[bank_code][1]
    return Mapping(row.date_column, row.amount_column, row.content_column, row.transaction_id_column,
                   row.date_format)


def checked_mapping(date_column: str, amount_column: str, content_column: str, transaction_id_column: str,
                    date_format: str) -> Mapping:
    mapping = Mapping(*(" ".join((c or "").split())[:80] for c in
                        (date_column, amount_column, content_column, transaction_id_column)), date_format)
    if not all(mapping.columns) or date_format not in DATE_FORMATS or len(set(mapping.columns)) != 4:
        raise BadMapping()
    return mapping


def remember(bank_code: str, mapping: Mapping) -> None:
    """Keep the mapping for this bank's next statement (in the caller's transaction)."""
    row = db.session.scalar(select(BankStatementFormat).where(BankStatementFormat.bank_code == bank_code))
    if row is None:
        row = BankStatementFormat(bank_code=bank_code)
        db.session.add(row)
    row.date_column, row.amount_column, row.content_column = mapping.date_column, mapping.amount_column, \
        mapping.content_column
    row.transaction_id_column, row.date_format = mapping.transaction_id_column, mapping.date_format


_AMOUNT = re.compile(r"(\d{1,3}(?:([.,\s])\d{3})*|\d+)(?:[.,]0{1,2})?")


def parse_amount(text: str) -> int | None:
    """Money in as statements write it: 1.250.000, 1,250,000, 1250000, 1.250.000,00 or "1 250 000 VND";
    None for anything else (cents that are not zero, letters, signs)."""
    text = (text or "").strip().upper().removesuffix("VND").removesuffix("₫").removesuffix("Đ").strip()
    match = _AMOUNT.fullmatch(text)
    if not match:
        return None
    return int(re.sub(r"\D", "", match.group(1)))


def _decode(data: bytes) -> str:
    if not data.strip():
        raise NotAStatement()
    if len(data) > MAX_FILE_BYTES:
        raise TooLarge()
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise NotAStatement() from None


def _rows(text: str) -> list[list[str]]:
    try:
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    try:
        rows = list(csv.reader(io.StringIO(text), dialect))
    except csv.Error:
        raise NotAStatement() from None
    if len(rows) > MAX_ROWS:
        raise TooLarge()
    return rows


def read_statement(bank_code: str, data: bytes, mapping: Mapping) -> list[IncomingLine]:
    """Every money-in line of the file; raise StatementError (naming the line) on the first thing that is wrong.

    Banks put a title and the account's details above the table: the header is the first row holding all four
    mapped columns. Lines without money in (outgoing transfers, fees) and the totals under the table are skipped.
    """
    if bank_code not in PRESETS:
        raise UnknownBank()
    rows = _rows(_decode(data))
    wanted = [c.casefold() for c in mapping.columns]
    header_at = next((i for i, row in enumerate(rows)
                      if all(w in [" ".join(cell.split()).casefold() for cell in row] for w in wanted)), None)
    if header_at is None:
        raise MissingColumns(columns=", ".join(f"“{c}”" for c in mapping.columns))
    header = [" ".join(cell.split()).casefold() for cell in rows[header_at]]
    at = {w: header.index(w) for w in wanted}
    lines, seen = [], set()
    for number, row in enumerate(rows[header_at + 1:], start=header_at + 2):
        cells = {w: (row[i].strip() if i < len(row) else "") for w, i in at.items()}
        date_text, amount_text, content, transaction_id = (cells[w] for w in wanted)
        if not amount_text or not date_text:
            continue  # money out, or the totals under the table
        amount = parse_amount(amount_text)
        if amount is None:
            raise BadRow(row=number, problem=_PROBLEM_AMOUNT % {"value": amount_text[:30]})
        if amount == 0:
            continue
        if amount > MAX_LINE_VND:
            raise BadRow(row=number, problem=_PROBLEM_ABSURD % {"value": amount_text[:30]})
        try:
            day = dt.datetime.strptime(date_text, mapping.date_format)
        except ValueError:
            raise BadRow(row=number, problem=_PROBLEM_DATE % {"value": date_text[:30],
                                                              "format": mapping.date_format}) from None
        if not transaction_id:
            raise BadRow(row=number, problem=_PROBLEM_NO_ID)
        if transaction_id in seen:
            raise BadRow(row=number, problem=_PROBLEM_TWICE % {"value": transaction_id[:60]})
        seen.add(transaction_id)
        lines.append(IncomingLine(bank_code=bank_code, transaction_id=transaction_id[:120], amount_vnd=amount,
                                  content=content[:500], booked_at=day.replace(tzinfo=VIETNAM).astimezone(dt.UTC)))
    return lines


@dataclass(frozen=True)
class ImportResult:
    lines: int  #: money-in lines in the file
    new: int  #: stored now (the rest were imported before)
    matched: int  #: paid an order on their own
    to_review: int  #: wait in the office's queue
    #: the bank had notified already (recorded then, kept now as duplicates only)
    duplicates: int = 0


def import_statement(bank_code: str, data: bytes, mapping: Mapping, admin) -> ImportResult:
    """Read the whole file first (one bad line and nothing is recorded), remember the mapping for the bank, then
    store each new line and match it (payments/bank.receive: one transaction per line, replay-safe). Audited."""
    lines = read_statement(bank_code, data, mapping)
    begin_write()
    remember(bank_code, mapping)
    db.session.flush()
    row = db.session.scalar(select(BankStatementFormat).where(BankStatementFormat.bank_code == bank_code))
    record_change(admin, "bank_statement.import", row, after={"bank": bank_code, "lines": len(lines)})
    db.session.commit()
    stored = [line for line in (receive(line) for line in lines) if line is not None]
    matched = sum(line.status == BankLineStatus.MATCHED for line in stored)
    duplicates = sum(line.status == BankLineStatus.DUPLICATE for line in stored)
    return ImportResult(len(lines), len(stored), matched, len(stored) - matched - duplicates, duplicates)
