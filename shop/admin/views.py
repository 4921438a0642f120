"""The bank transfers awaiting payment, and recording one."""
from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from shop.admin.blueprint import bp
from shop.extensions import db
from shop.money import parse_vnd
from shop.orders.amounts import amount_due
from shop.orders.models import Order
from shop.payments import transfers as bank_transfers
from shop.payments.errors import TransferError
from shop.orders.payment import Payment, PaymentMethod, PaymentStatus


@bp.get("/transfers")
def transfers():
    awaiting = db.session.scalars(
        select(Order).join(Payment, Payment.order_id == Order.id)
        .where(Payment.method == PaymentMethod.VIETQR_TRANSFER, Payment.status == PaymentStatus.PENDING,
               Order.status == "pending_payment")
        .options(selectinload(Order.payments), selectinload(Order.parts)).order_by(Payment.due_by)
    ).all()
    recent = db.session.scalars(
        select(Payment).where(Payment.method == PaymentMethod.VIETQR_TRANSFER, Payment.status == PaymentStatus.PAID)
        .options(selectinload(Payment.order), selectinload(Payment.recorded_by))
        .order_by(Payment.recorded_at.desc()).limit(20)
    ).all()
    return render_template("admin/transfers.html", awaiting=awaiting, recent=recent, amount_due=amount_due,
                           refunds_owed=bank_transfers.refunds_owed())


@bp.post("/transfers/<number>")
def record_transfer(number: str):
    order = db.session.scalar(select(Order).where(Order.number == number))
    if order is None:
        flash(_("No order %(number)s.", number=number), "error")
        return redirect(url_for("admin.transfers"))
    # Recorded from the order's own page, the office goes back there.
    back = url_for("admin.order", number=number) if request.form.get("back") == "order" else url_for("admin.transfers")
    amount = parse_vnd(request.form.get("amount"))
    if amount is None:
        flash(_("Please enter the amount received, in đồng."), "error")
        return redirect(back)
    try:
        bank_transfers.record_transfer(order.id, amount, request.form.get("reference", "").strip(), current_user)
    except TransferError as error:
        flash(str(error), "error")
    else:
        flash(_("Payment recorded for %(number)s; the customer is told.", number=number), "success")
    return redirect(back)
