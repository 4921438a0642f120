"""Admin: card payments (Stripe) and their refunds, the whole order or the parts that were cancelled."""
from __future__ import annotations

import secrets

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from shop.admin.blueprint import bp
from shop.errors import ShopError
from shop.extensions import db
from shop.money import format_vnd
from shop.orders.models import Fulfillment, Order
from shop.payments.errors import NothingToRefund
from shop.payments.refunds import cancelled_parts_due_vnd, paid_card_payment, refund_order, refundable_vnd
from shop.orders.payment import Payment, PaymentMethod
from shop.payments.models import Refund, RefundStatus


@bp.get("/payments")
def card_payments():
    payments = db.session.scalars(
        select(Payment).where(Payment.method == PaymentMethod.STRIPE_CARD, Payment.received_vnd.is_not(None))
        .options(selectinload(Payment.order)).order_by(Payment.recorded_at.desc()).limit(50)
    ).all()
    pending = db.session.scalars(
        select(Refund).where(Refund.status == RefundStatus.PENDING)
        .options(selectinload(Refund.payment).selectinload(Payment.order)).order_by(Refund.id)
    ).all()
    return render_template("admin/payments.html", payments=payments, pending=pending)


def _order(number: str) -> Order:
    order = db.session.scalar(
        select(Order).where(Order.number == number)
        .options(selectinload(Order.parts).selectinload(Fulfillment.lines), selectinload(Order.payments))
    )
    if order is None:
        abort(404)
    return order


@bp.get("/orders/<number>/refund")
def refund(number: str):
    order = _order(number)
    payment = paid_card_payment(order)
    if payment is None:
        flash(str(NothingToRefund()), "error")
        return redirect(url_for("admin.card_payments"))
    refunds = db.session.scalars(select(Refund).where(Refund.payment_id == payment.id).order_by(Refund.id)).all()
    # A fresh key per page: the same form posted twice (double click) asks Stripe for one refund.
    return render_template("admin/refund.html", order=order, payment=payment, refunds=refunds,
                           refundable=refundable_vnd(payment),
                           parts_due=cancelled_parts_due_vnd(order, payment),
                           request_key=secrets.token_urlsafe(24))


@bp.post("/orders/<number>/refund")
def send_refund(number: str):
    order = _order(number)
    try:
        done = refund_order(order.id, request.form.get("scope", ""), current_user,
                            request.form.get("request_key", ""))
    except ShopError as error:
        flash(str(error), "error")
    else:
        flash(_("%(amount)s refunded on %(number)s; the customer is told.", amount=format_vnd(done.amount_vnd),
                number=number), "success")
    return redirect(url_for("admin.refund", number=number))
