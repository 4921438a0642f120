"""Stripe's webhook, and the pages a card payer comes back to (paid, or left the payment page)."""
from __future__ import annotations

import logging

from flask import Blueprint, abort, flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from shop.errors import ShopError
from shop.extensions import csrf
from shop.orders.models import Order
from shop.orders.services import order_for_visitor
from shop.payments import card_attempts, stripe_events, stripe_gateway

bp = Blueprint("payments", __name__, url_prefix="/payments")
log = logging.getLogger(__name__)


def _order_for_payer(number: str, token: str) -> Order:
    """The order, if the visitor holds its token or owns it; 404 otherwise (nothing revealed)."""
    order = order_for_visitor(number, token, current_user)
    if order is None:
        abort(404)
    return order


def _order_page(order: Order, token: str | None):
    return redirect(url_for("orders.show", number=order.number, t=token or None), code=303)


@bp.post("/stripe/webhook")
@csrf.exempt  # Stripe cannot send a CSRF token: the signature on the raw body stands in for it
def stripe_webhook():
    try:
        event = stripe_gateway.construct_event(request.get_data(), request.headers.get("Stripe-Signature"))
    except stripe_gateway.SignatureError as error:
        log.warning("Stripe webhook refused: %s", error)
        return {"error": "invalid signature"}, 400
    try:
        outcome = stripe_events.handle_event(event)
    except stripe_events.MalformedEvent as error:
        log.warning("Stripe webhook refused: %s", error)
        return {"error": "unexpected event shape"}, 400
    log.info("Stripe event %s (%s): %s", event.get("id"), event.get("type"), outcome)
    return {"received": True, "outcome": outcome}, 200


@bp.get("/stripe/return")
def stripe_return():
    """Stripe sends the payer here after paying; the webhook may not have arrived yet, so ask Stripe."""
    token = request.args.get("t", "")
    order = _order_for_payer(request.args.get("order", ""), token)
    try:
        outcome = stripe_events.reconcile(order.id)
    except ShopError:
        flash(_("We could not check your payment with Stripe just now. If you paid, we will e-mail you as soon "
                "as it is confirmed."), "info")
        return _order_page(order, token)
    if outcome in ("paid", "already_paid"):
        flash(_("Thank you: your card payment was received."), "success")
    elif outcome == "processing":
        flash(_("Your payment is being processed. We will e-mail you as soon as it is confirmed."), "info")
    elif outcome == "late_payment":
        flash(_("Your payment arrived after the order had been cancelled, so it is refunded in full."), "error")
    else:
        flash(_("The card payment was not completed. You can try again, or cancel the order."), "info")
    return _order_page(order, token)


@bp.get("/stripe/cancel")
def stripe_cancel():
    """The payer left Stripe's page without paying: the order still waits, with the page still open."""
    token = request.args.get("t", "")
    order = _order_for_payer(request.args.get("order", ""), token)
    flash(_("The card payment was not completed. You can try again, or cancel the order."), "info")
    return _order_page(order, token)


@bp.post("/stripe/orders/<number>/pay")
def pay_by_card(number: str):
    """The order page's "Pay by card" button: back to the open payment page, or a new attempt."""
    token = request.form.get("t", "")
    order = _order_for_payer(number, token)
    try:
        retry_of = int(request.form.get("attempt", ""))
    except ValueError:
        retry_of = None
    try:
        url = card_attempts.start_card_payment(order.id, retry_of=retry_of)
    except ShopError as error:
        flash(str(error), "error")
        return _order_page(order, token)
    return redirect(url, code=303)
