"""The orders board: find an order when a customer phones, see it whole, and act on it.

Every action goes through the orders' own doors (orders.office, fulfillment.services, payments) and leaves a
line in the order's timeline naming the office user.
"""
from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from shop.admin import cancelling, queries
from shop.admin.blueprint import bp
from shop.catalog.models import Producer
from shop.errors import ShopError
from shop.extensions import db
from shop.fulfillment import services as producer_steps
from shop.money import format_vnd
from shop.orders import office
from shop.notifications.messages import InvalidMessage, load
from shop.orders.models import FINAL, OrderStatus, PartStatus
from shop.orders.payment import PaymentMethod, PaymentStatus
from shop.payments.card_attempts import close_order_checkout
from shop.payments.refunds import paid_card_payment, refund_order
from shop.sales_points.models import SalesPoint

#: Steps the office may take for a producer, in order: (form value, the part status it leads to).
ON_BEHALF_STEPS = {"accept": PartStatus.ACCEPTED, "pack": PartStatus.PACKED, "send": PartStatus.SENT_TO_POINT,
                   "ship": PartStatus.SHIPPED}


def _filter_label(field: str) -> str:
    return {"from": _("From"), "to": _("To"), "point": _("Pickup point"), "producer": _("Producer"),
            "status": _("Status"), "method": _("Payment method"), "page": _("Page")}.get(field, field)


@bp.get("/orders")
def orders():
    try:
        filters = queries.Filters.read(request.args)
    except queries.BadFilter as error:
        message = _("Please check “%(field)s”: dates are written 2026-12-31, and “to” is not before “from”.",
                    field=_filter_label(error.field)) if error.field in ("from", "to") else \
            _("Please check “%(field)s”: this value is not one the board knows.", field=_filter_label(error.field))
        flash(message, "error")
        filters, found, total, status = queries.Filters(), [], 0, 422
    else:
        (found, total), status = queries.board(filters), 200
    points = db.session.scalars(select(SalesPoint).order_by(SalesPoint.code)).all()
    producers = db.session.scalars(select(Producer).order_by(Producer.name_sort)).all()
    pages = max((total + queries.PAGE_SIZE - 1) // queries.PAGE_SIZE, 1)
    return render_template("admin/orders.html", filters=filters, orders=found, total=total, pages=pages,
                           points=points, producers=producers, statuses=list(OrderStatus),
                           methods=list(PaymentMethod)), status


def _order_or_404(number: str):
    order = queries.order_in_full(number)
    if order is None:
        abort(404)
    return order


@bp.get("/orders/<number>")
def order(number: str):
    order = _order_or_404(number)
    payment = order.payment
    steps = {part.id: [step for step, status in ON_BEHALF_STEPS.items() if status in part.producer_moves]
             for part in order.parts}
    return render_template(
        "admin/order.html", order=order, refunds=queries.refunds_of(order), steps=steps,
        cancellable=[part for part in order.parts if part.status not in FINAL],
        messages=_subjects(office.customer_messages(order)),
        transfer_due=payment is not None and payment.method == PaymentMethod.VIETQR_TRANSFER
        and payment.status == PaymentStatus.PENDING and order.status == OrderStatus.PENDING_PAYMENT)


def _subjects(rows) -> list[tuple[str, str]]:
    """(kind, subject in the office user's language) of each e-mail the order's customer got."""
    shown = []
    for row in rows:
        try:
            shown.append((row.kind, load(row.kind, row.payload).subject()))
        except InvalidMessage:  # written by older code and no longer readable: it cannot be sent again either
            continue
    return shown


def _back(number: str):
    return redirect(url_for("admin.order", number=number))


def _refund_card(order_id: int, scope: str, key: str) -> str | None:
    """After an office cancel: send the card money of what was cancelled back; say what happened."""
    try:
        refund = refund_order(order_id, scope, current_user, key)
    except ShopError as error:  # Stripe refused or did not answer: the card payments page shows the refund owed
        return str(error)
    return _("%(amount)s go back to the customer's card.", amount=format_vnd(refund.amount_vnd))


@bp.post("/orders/<number>/cancel")
def cancel_order(number: str):
    order = _order_or_404(number)
    try:
        cancelling.cancel_by_office(order.id, current_user, request.form.get("note", ""))
    except ShopError as error:
        flash(str(error), "error")
        return _back(number)
    close_order_checkout(order.id)  # a Stripe page left open must not take money for a cancelled order
    said = [_("Order %(number)s is cancelled; the customer and the producers are told.", number=number)]
    if paid_card_payment(order) is not None:
        said.append(_refund_card(order.id, "whole", f"office-cancel-{order.number}"))
    flash(" ".join(filter(None, said)), "success")
    return _back(number)


@bp.post("/orders/<number>/parts/<int:part_id>/cancel")
def cancel_part(number: str, part_id: int):
    order = _order_or_404(number)
    if order.part(part_id) is None:
        abort(404)
    try:
        cancelling.cancel_part_by_office(part_id, current_user, request.form.get("note", ""))
    except ShopError as error:
        flash(str(error), "error")
        return _back(number)
    said = [_("Part #%(id)s is cancelled; its producer is told.", id=part_id)]
    if paid_card_payment(order) is not None:
        said.append(_refund_card(order.id, "cancelled_parts", f"office-cancel-part-{part_id}"))
    flash(" ".join(filter(None, said)), "success")
    return _back(number)


@bp.post("/orders/<number>/parts/<int:part_id>/on-behalf")
def act_on_behalf(number: str, part_id: int):
    order = _order_or_404(number)
    part = order.part(part_id)
    if part is None:
        abort(404)
    step, form = request.form.get("step", ""), request.form
    try:
        if step == "accept":
            producer_steps.accept_part(part_id, current_user, on_behalf=True)
        elif step == "pack":
            producer_steps.mark_packed(part_id, current_user, on_behalf=True)
        elif step == "send":
            producer_steps.mark_sent_to_point(part_id, current_user, form.get("note", ""), on_behalf=True)
        elif step == "ship":
            producer_steps.mark_shipped(part_id, current_user, form.get("carrier", ""), form.get("tracking_number", ""),
                                        on_behalf=True)
        else:
            raise producer_steps.PartError()
    except ShopError as error:
        flash(str(error), "error")
    else:
        flash(_("Done for %(producer)s: the timeline names you and the producer.", producer=part.producer_name),
              "success")
    return _back(number)


@bp.post("/orders/<number>/resend")
def resend(number: str):
    order = _order_or_404(number)
    try:
        office.resend_message(order.id, request.form.get("kind", ""), current_user)
    except ShopError as error:
        flash(str(error), "error")
    else:
        flash(_("The e-mail is queued again for %(email)s.", email=order.contact_email), "success")
    return _back(number)
