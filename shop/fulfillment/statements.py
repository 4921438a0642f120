"""/producer/statements: the producer's balance and monthly statement from the books (page, print, CSV) and
its payouts. A producer sees only its own: another producer's payout is "not found"."""
from __future__ import annotations

import csv
import datetime as dt
import io

from flask import abort, make_response, render_template, request
from flask_babel import gettext as _, lazy_gettext as _l
from flask_login import current_user
from sqlalchemy import select

from shop.auth.access import producer_required
from shop.catalog.models import Producer
from shop.clock import VIETNAM, add_months
from shop.extensions import db
from shop.fulfillment.blueprint import bp
from shop.fulfillment.reports import parse_month
from shop.ledger import statements
from shop.ledger.models import EntryKind, Payout, PayoutBatch, PayoutBatchStatus
from shop.payments.vietqr import BANKS

#: What each kind of money event reads as on a producer's statement.
EVENT_LABELS = {EntryKind.PAYMENT_RECEIVED: _l("Order paid"), EntryKind.PARTS_GONE: _l("Goods cancelled or not collected"),
                EntryKind.PAYOUT: _l("Payout to your bank account"), EntryKind.REFUND_PAID: _l("Adjustment"),
                EntryKind.REFUND_REVERSED: _l("Adjustment"),
                EntryKind.COUNTER_SALE: _l("Sold at a sales point's counter"),
                EntryKind.COUNTER_SALE_VOIDED: _l("Counter sale voided"),
                EntryKind.COD_CASH_RECEIVED: _l("COD cash you handed to the office")}
#: The statement's columns and their headings, in order.
COLUMN_LABELS = (("sales_vnd", _l("Goods sold")), ("commission_vnd", _l("Commission")),
                 ("refunds_vnd", _l("Cancelled or refunded")), ("cod_cash_vnd", _l("COD cash you hold")),
                 ("payouts_vnd", _l("Payouts")), ("other_vnd", _l("Other")))


def _payouts(producer_id: int) -> list[Payout]:
    return db.session.scalars(
        select(Payout).join(PayoutBatch).where(Payout.producer_id == producer_id,
                                               PayoutBatch.status != PayoutBatchStatus.DISCARDED)
        .order_by(Payout.id.desc()).limit(24)).all()


def _statement():
    month = parse_month(request.args.get("month"))
    return statements.statement(current_user.producer_id, month)


@bp.get("/statements")
@producer_required
def statements_page():
    found = _statement()
    return render_template("producer/statements.html", statement=found, producer=db.session.get(
        Producer, current_user.producer_id), previous=add_months(found.month, -1), following=add_months(found.month, 1),
        columns=COLUMN_LABELS, events=EVENT_LABELS, payouts=_payouts(current_user.producer_id), banks=BANKS)


@bp.get("/statements.csv")
@producer_required
def statements_csv():
    found = _statement()
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([_("Date (GMT+7)"), _("Order"), _("Event"), *[str(label) for _c, label in COLUMN_LABELS],
                     _("Change (VND)")])
    writer.writerow(["", "", _("Opening balance"), *[""] * len(COLUMN_LABELS), found.opening_vnd])
    for line in found.lines:
        at = line.at if line.at.tzinfo else line.at.replace(tzinfo=dt.UTC)
        writer.writerow([at.astimezone(VIETNAM).strftime("%Y-%m-%d %H:%M"), line.order_number,
                         str(EVENT_LABELS.get(line.kind, line.kind)),
                         *[getattr(line, column) for column, _label in COLUMN_LABELS], line.net_vnd])
    writer.writerow(["", "", _("Total"), *[found.total(column) for column, _label in COLUMN_LABELS],
                     found.closing_vnd - found.opening_vnd])
    writer.writerow(["", "", _("Closing balance"), *[""] * len(COLUMN_LABELS), found.closing_vnd])
    # The byte-order mark lets Excel read the file as UTF-8, so Vietnamese names stay readable.
    response = make_response("\ufeff" + out.getvalue())
    response.mimetype = "text/csv"
    response.charset = "utf-8"
    response.headers["Content-Disposition"] = f'attachment; filename="ocop-statement-{found.month:%Y-%m}.csv"'
    return response


@bp.get("/payouts/<int:payout_id>")
@producer_required
def payout(payout_id: int):
    found = db.session.get(Payout, payout_id)
    if found is None or found.producer_id != current_user.producer_id \
            or found.batch.status == PayoutBatchStatus.DISCARDED:
        abort(404)
    return render_template("producer/payout.html", payout=found, banks=BANKS)
