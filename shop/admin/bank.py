"""The office's bank pages: importing a statement CSV, and the queue of money that matched no order exactly."""
from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from shop.admin.blueprint import bp
from shop.errors import ShopError
from shop.extensions import db
from shop.orders.amounts import amount_due
from shop.payments import bank, bank_csv
from shop.payments.models import BankLine


@bp.get("/bank/import")
def bank_import():
    code = request.args.get("bank", "VCB")
    if code not in bank_csv.PRESETS:
        abort(404)
    return render_template("admin/bank_import.html", banks=bank_csv.PRESETS, code=code,
                           mapping=bank_csv.mapping_for(code), date_formats=bank_csv.DATE_FORMATS, result=None)


@bp.post("/bank/import")
def bank_import_post():
    code = request.form.get("bank", "")
    form = request.form
    upload = request.files.get("statement")
    try:
        mapping = bank_csv.checked_mapping(form.get("date_column"), form.get("amount_column"),
                                           form.get("content_column"), form.get("transaction_id_column"),
                                           form.get("date_format", ""))
        data = upload.stream.read(bank_csv.MAX_FILE_BYTES + 1) if upload else b""
        result = bank_csv.import_statement(code, data, mapping, current_user)
    except ShopError as error:
        db.session.rollback()
        flash(str(error), "error")
        return redirect(url_for("admin.bank_import", bank=code if code in bank_csv.PRESETS else None))
    flash(_("%(lines)s lines of money in: %(new)s new, %(matched)s recorded on their orders, %(review)s to review.",
            lines=result.lines, new=result.new, matched=result.matched, review=result.to_review), "success")
    if result.duplicates:
        flash(_("%(count)s of the new lines the bank had notified already: recorded once, not again.",
                count=result.duplicates), "success")
    return redirect(url_for("admin.bank_unmatched") if result.to_review else url_for("admin.bank_import", bank=code))


@bp.get("/bank/unmatched")
def bank_unmatched():
    return render_template("admin/bank_unmatched.html", lines=bank.unmatched_lines(), labels=bank.PROBLEM_LABELS,
                           amount_due=amount_due)


def _line_or_404(line_id: int) -> BankLine:
    line = db.session.get(BankLine, line_id)
    if line is None:
        abort(404)
    return line


@bp.post("/bank/lines/<int:line_id>/assign")
def bank_assign(line_id: int):
    line = _line_or_404(line_id)
    try:
        order = bank.assign(line.id, request.form.get("order_number", ""), current_user)
    except ShopError as error:
        flash(str(error), "error")
    else:
        flash(_("The transfer now pays order %(number)s.", number=order.number), "success")
    return redirect(url_for("admin.bank_unmatched"))


@bp.post("/bank/lines/<int:line_id>/dismiss")
def bank_dismiss(line_id: int):
    line = _line_or_404(line_id)
    try:
        bank.dismiss(line.id, request.form.get("reason", ""), current_user)
    except ShopError as error:
        flash(str(error), "error")
    else:
        flash(_("The line is set aside, with its reason."), "success")
    return redirect(url_for("admin.bank_unmatched"))
