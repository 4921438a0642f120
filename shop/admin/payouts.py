"""/admin/payouts: what each producer is due, payout batches with a VietQR per payout and a bank CSV, marked
paid once (the books say so in the same transaction); every change audited."""
from __future__ import annotations

import csv
import io

from flask import abort, flash, make_response, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from shop.admin.blueprint import bp
from shop.catalog.models import Producer
from shop.extensions import db
from shop.ledger import payouts
from shop.money import format_vnd, parse_vnd
from shop.payments import vietqr
from shop.qr import qr_svg


def _qr_of(payout) -> str:
    """The VietQR the office scans with its banking app to send this payout (empty if the account is unusable)."""
    account = vietqr.BankAccount(bin=payout.bank_bin, account_number=payout.bank_account,
                                 account_name=payout.bank_account_name,
                                 bank_name=vietqr.BANKS.get(payout.bank_bin, payout.bank_bin))
    try:
        return qr_svg(vietqr.payload(account, payout.amount_vnd, payout.transfer_note), scale=4,
                      title=f"VietQR {payout.producer_name}")
    except ValueError:
        return ""


def _batch_or_404(batch_id: int):
    try:
        return payouts.batch(batch_id)
    except payouts.BatchNotFound:
        abort(404)


def _batches_page(status: int = 200):
    return render_template("admin/payouts.html", dues=payouts.dues(), batches=payouts.batches(),
                           open_batch=payouts.open_batch(), banks=vietqr.BANKS), status


@bp.post("/payouts/cod-cash/<int:producer_id>")
def receive_cod_cash(producer_id: int):
    """A producer handed the office COD cash it held: booked once per reference, at most what it holds."""
    producer = db.session.get(Producer, producer_id)
    if producer is None:
        abort(404)
    form = request.form
    try:
        payouts.receive_cod_cash(current_user, producer, parse_vnd(form.get("amount")), form.get("how", ""),
                                 form.get("reference", ""))
    except payouts.PayoutError as error:
        db.session.rollback()
        flash(str(error), "error")
        return _batches_page(400)
    flash(_("%(amount)s of COD cash received from %(producer)s.", amount=format_vnd(parse_vnd(form.get("amount"))),
            producer=producer.name), "success")
    return redirect(url_for("admin.payout_batches"))


def _batch_page(batch_id: int, status: int = 200):
    found = _batch_or_404(batch_id)
    return render_template("admin/payout_batch.html", batch=found, banks=vietqr.BANKS,
                           codes={p.id: _qr_of(p) for p in found.payouts} if found.status == "open" else {}), status


@bp.get("/payouts")
def payout_batches():
    return _batches_page()


@bp.post("/payouts")
def create_payout_batch():
    try:
        made = payouts.create_batch(current_user)
    except payouts.PayoutError as error:
        db.session.rollback()
        flash(str(error), "error")
        return _batches_page(422)
    flash(_("Payout batch made: send each transfer, then mark the batch paid."), "success")
    return redirect(url_for("admin.payout_batch", batch_id=made.id))


@bp.get("/payouts/<int:batch_id>")
def payout_batch(batch_id: int):
    return _batch_page(batch_id)


@bp.get("/payouts/<int:batch_id>.csv")
def payout_batch_csv(batch_id: int):
    """The batch as a bank bulk-transfer file: one row per payout (a generic layout most banks' import maps)."""
    found = _batch_or_404(batch_id)
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["STT", "So tai khoan", "Ten nguoi thu huong", "Ma ngan hang (BIN)", "Ngan hang", "So tien",
                     "Noi dung"])
    for number, payout in enumerate(found.payouts, start=1):
        writer.writerow([number, payout.bank_account, payout.bank_account_name, payout.bank_bin,
                         vietqr.BANKS.get(payout.bank_bin, ""), payout.amount_vnd, payout.transfer_note])
    response = make_response("\ufeff" + out.getvalue())
    response.mimetype = "text/csv"
    response.charset = "utf-8"
    response.headers["Content-Disposition"] = f'attachment; filename="ocop-{found.label.lower()}.csv"'
    return response


@bp.post("/payouts/<int:batch_id>/paid")
def mark_payout_batch_paid(batch_id: int):
    _batch_or_404(batch_id)
    try:
        payouts.mark_paid(current_user, batch_id, request.form.get("bank_reference", ""))
    except payouts.PayoutError as error:
        db.session.rollback()
        flash(str(error), "error")
        return _batch_page(batch_id, 422)
    flash(_("Batch marked paid: each producer's balance now shows its payout."), "success")
    return redirect(url_for("admin.payout_batch", batch_id=batch_id))


@bp.post("/payouts/<int:batch_id>/discard")
def discard_payout_batch(batch_id: int):
    _batch_or_404(batch_id)
    try:
        payouts.discard(current_user, batch_id)
    except payouts.PayoutError as error:
        db.session.rollback()
        flash(str(error), "error")
        return _batch_page(batch_id, 422)
    flash(_("Batch discarded: nothing was booked."), "success")
    return redirect(url_for("admin.payout_batches"))
