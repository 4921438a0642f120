"""The customer's order page: timeline, parts, pickup code, VietQR, cancel (with a card refund).

It lives above orders and payments because cancelling meets both: the order's parts go, the card money comes back.
"""
from __future__ import annotations

from flask import Blueprint, abort, current_app, flash, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy.orm import selectinload

from shop.account.cancelling import cancel_by_customer
from shop.auth.services import AuthError, normalize_phone
from shop.auth.throttle import network_of
from shop.extensions import limiter
from shop.money import format_vnd
from shop.orders import services
from shop.orders.amounts import amount_due, refund_owed_vnd, value_vnd
from shop.orders.models import Fulfillment, Order, OrderStatus
from shop.payments import bank_refunds, vietqr
from shop.payments.card_attempts import close_order_checkout
from shop.payments.refunds import refund_after_customer_cancel
from shop.orders.payment import PaymentMethod, PaymentStatus
from shop.orders.pickup import pickup_day
from shop.payments.services import TransferInstructions, transfer_instructions
from shop.privacy import erasure
from shop.qr import qr_svg
from shop.reviews.services import may_review

bp = Blueprint("orders", __name__)


_WHOLE_ORDER = (selectinload(Order.parts).selectinload(Fulfillment.lines), selectinload(Order.payments),
                selectinload(Order.events))


def _order_for_visitor(number: str, options=_WHOLE_ORDER) -> Order:
    """The order, if the visitor holds its token or owns it; 404 otherwise (nothing revealed)."""
    token = request.args.get("t") or request.form.get("t") or ""
    order = services.order_for_visitor(number, token, current_user, *options)
    if order is None:
        abort(404)
    return order


def _transfer_due(order: Order, due_vnd: int) -> TransferInstructions | None:
    """The VietQR transfer the customer still has to make, if any."""
    payment = order.payment
    # The QR asks for what is due now: goods that went since the order was placed are not paid for.
    if payment and payment.method == PaymentMethod.VIETQR_TRANSFER and payment.status == PaymentStatus.PENDING \
            and order.status != OrderStatus.CANCELLED and due_vnd:
        return transfer_instructions(order.number, due_vnd)
    return None


_PRIVATE = {"Cache-Control": "private, no-store", "Referrer-Policy": "no-referrer"}


# ---- a guest finds an order again ---------------------------------------------------------------------

def _lookup_key() -> str:
    # Per network, as logins are counted: guessing numbers and phones is slow from anywhere one tries.
    return f"order-lookup:{network_of(request.remote_addr or '')}"


_lookup_budget = limiter.limit(lambda: current_app.config["ORDER_LOOKUP_RATE_LIMIT"], key_func=_lookup_key,
                               deduct_when=lambda response: response.status_code == 404)


@bp.get("/orders/lookup")
def lookup():
    return render_template("orders/lookup.html", number=request.args.get("number", ""), phone=""), 200, _PRIVATE


@bp.post("/orders/lookup")
@_lookup_budget
def find():
    """Order number + the phone given with it → the order page with its token; one answer for every miss."""
    number, phone = request.form.get("number", "").strip()[:40], request.form.get("phone", "").strip()[:40]
    try:
        e164 = normalize_phone(phone)
    except AuthError:
        e164 = ""
    order = services.order_for_lookup(number, e164)
    if order is None:
        error = _("We found no order with this number and phone. Check both: the number is in your confirmation, "
                  "like QN-2612-0001, and the phone is the one you gave when ordering.")
        return render_template("orders/lookup.html", number=number, phone=phone, error=error), 404, _PRIVATE
    return redirect(url_for("orders.show", number=order.number, t=order.access_token), code=303)


@bp.get("/orders/<number>")
def show(number: str):
    order = _order_for_visitor(number)
    money = {"value": value_vnd(order), "due": amount_due(order), "refund_owed": refund_owed_vnd(order)}
    money["removed"] = order.total_vnd - money["value"] if order.live_parts else 0
    transfer = _transfer_due(order, money["due"])
    pickup_qr = qr_svg(order.pickup_code, scale=6, title=_("Pickup code")) if order.is_ready_for_pickup else None
    # Money owed back on a transfer: the customer says where to send it (card money goes back to the card).
    asks_details = bank_refunds.awaits_bank_refund(order)
    response = render_template("orders/show.html", order=order, transfer=transfer, can_cancel=order.customer_may_cancel,
                               pickup_qr=pickup_qr, token=request.args.get("t", ""), money=money,
                               first_day=pickup_day(order),
                               refund_banks=vietqr.BANKS if asks_details else None,
                               refund_details=bank_refunds.details_of(order) if asks_details else None,
                               can_erase=order.erased_at is None and erasure.is_settled(order),
                               can_review=may_review(order))
    return response, 200, _PRIVATE


@bp.get("/orders/<number>/vietqr.png")
def transfer_qr_png(number: str):
    """The VietQR code as a picture to save: a customer paying from this very phone opens it in the bank app."""
    order = _order_for_visitor(number)
    transfer = _transfer_due(order, amount_due(order))
    if transfer is None:
        abort(404)
    return transfer.qr_png(), 200, {**_PRIVATE, "Content-Type": "image/png",
                                     "Content-Disposition": f'inline; filename="vietqr-{order.number}.png"'}


@bp.get("/orders/<number>/status")
def status(number: str):
    """The order's status, for the order page to reload itself once a transfer is matched."""
    order = _order_for_visitor(number, options=(selectinload(Order.payments),))
    return jsonify(status=str(order.status)), 200, _PRIVATE


@bp.post("/orders/<number>/cancel")
def cancel(number: str):
    order = _order_for_visitor(number)
    try:
        cancel_by_customer(order.id)
    except services.OrderError as error:
        flash(str(error), "error")
    else:
        close_order_checkout(order.id)  # a Stripe page left open must not take money for a cancelled order
        refunded = refund_after_customer_cancel(order.id)
        if refunded:
            flash(_("Your order was cancelled. The %(amount)s you paid goes back to your card; depending on your "
                    "bank it takes 5 to 10 working days.", amount=format_vnd(refunded)), "success")
        elif order.payment and order.payment.status == PaymentStatus.PAID:
            flash(_("Your order was cancelled. The OCOP office will return the %(amount)s you paid and contact you.",
                    amount=format_vnd(order.payment.received_vnd or order.payment.amount_vnd)), "success")
        else:
            flash(_("Your order was cancelled. Nothing will be charged."), "success")
    return redirect(url_for("orders.show", number=number, t=request.form.get("t") or None))


@bp.post("/orders/<number>/refund-details")
def refund_details(number: str):
    """The customer says where their refund owed goes: a bank of the VietQR list, an account, its holder."""
    order = _order_for_visitor(number)
    form = request.form
    try:
        bank_refunds.save_details(order.id, form.get("bank_bin", ""), form.get("account_number", ""),
                                  form.get("holder", ""))
    except bank_refunds.BankRefundError as error:
        flash(str(error), "error")
    else:
        flash(_("Thank you: the OCOP office will send your refund to this account."), "success")
    return redirect(url_for("orders.show", number=number, t=form.get("t") or None, _anchor="refund"))


@bp.post("/orders/<number>/erase")
def erase(number: str):
    """The buyer (token holder or owner) erases their data from a finished order; the order stays, anonymised."""
    order = _order_for_visitor(number)
    try:
        erasure.erase_guest_order(number, order.id)
    except erasure.PrivacyError as error:
        flash(str(error), "error")
    else:
        flash(_("Your name, phone, e-mail and address are erased from this order. The order itself is kept, "
                "as the accounting law requires."), "success")
    return redirect(url_for("orders.show", number=number, t=request.form.get("t") or None))

