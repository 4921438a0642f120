"""The office's refunds owed on transfer orders: whom, how much, why, where to send it, and recording it as sent."""
from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from shop.admin.blueprint import bp
from shop.extensions import db
from shop.ledger.queries import refunds_owed_by_order
from shop.money import format_vnd, parse_vnd
from shop.orders.models import Order
from shop.payments import bank_refunds, vietqr
from shop.qr import qr_svg


@bp.get("/refunds-owed")
def refunds_owed():
    rows = bank_refunds.refunds_owed_rows()
    # Every other order the books say owes money back (a card awaiting its Stripe refund, cash…): listed, so the
    # count on /admin/money and this page agree.
    owed = refunds_owed_by_order()
    listed = {row.order.id for row in rows}
    others = db.session.scalars(select(Order).where(Order.id.in_([i for i in owed if i not in listed]))
                                .options(selectinload(Order.payments)).order_by(Order.id)).all()
    return render_template("admin/refunds_owed.html", rows=rows, banks=vietqr.BANKS, qr_svg=qr_svg,
                           others=[(order, owed[order.id]) for order in others])


@bp.post("/refunds-owed/<number>")
def record_refund(number: str):
    order_id = db.session.scalar(select(Order.id).where(Order.number == number))
    if order_id is None:
        abort(404)
    try:
        refund = bank_refunds.record_bank_refund(order_id, parse_vnd(request.form.get("amount")),
                                                 request.form.get("reference", ""), current_user)
    except bank_refunds.BankRefundError as error:
        flash(str(error), "error")
    else:
        flash(_("Refund of %(amount)s recorded for %(number)s; the customer is told.",
                amount=format_vnd(refund.amount_vnd), number=number), "success")
    return redirect(url_for("admin.refunds_owed"))
