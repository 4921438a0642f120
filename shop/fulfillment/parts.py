"""Producer screens for order parts: dashboard, part page, actions, label and slip."""
from __future__ import annotations

import datetime as dt

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _, lazy_gettext as _l
from flask_login import current_user
from sqlalchemy import select

from shop.auth.access import producer_required
from shop.catalog.models import Producer
from shop.extensions import db
from shop.fulfillment import services
from shop.fulfillment.services import PartError, PartNotFound
from shop.fulfillment.blueprint import bp
from shop.orders.codes import part_label_code
from shop.orders.models import OrderEvent, OrderEventKind, PartStatus
from shop.payments.errors import CashError
from shop.money import parse_vnd
from shop import qr

#: The workspace's menu: (endpoint, label); entries whose screens are not there yet are left out.
WORKSPACE_MENU = (("producer.dashboard", _l("Order parts")), ("producer.products", _l("Products")),
                  ("producer.stock", _l("Stock")), ("producer.report", _l("Sales report")),
                  ("producer.statements_page", _l("Statements")), ("producer.reviews", _l("Reviews")))


@bp.context_processor
def workspace_menu() -> dict:
    return {"workspace_menu": [(endpoint, label) for endpoint, label in WORKSPACE_MENU
                               if endpoint in current_app.view_functions]}


def _part_or_404(part_id: int):
    try:
        return services.part_for(part_id, current_user)
    except PartNotFound:
        abort(404)


@bp.get("/")
@producer_required
def dashboard():
    """What to do today: parts to accept, pack, send; and what happened lately."""
    lists = services.dashboard(current_user.producer_id)
    deadlines = {p.id: services.response_deadline(p) for p in lists["to_accept"]}
    producer = db.session.get(Producer, current_user.producer_id)
    return render_template("producer/dashboard.html", lists=lists, deadlines=deadlines, producer=producer,
                           now=dt.datetime.now(dt.UTC))


@bp.get("/parts/<int:part_id>")
@producer_required
def part(part_id: int):
    """One part: its lines, where it goes, how it is paid, its timeline and the next steps."""
    part = _part_or_404(part_id)
    order = part.order
    events = db.session.scalars(
        select(OrderEvent).where(OrderEvent.order_id == order.id)
        .where((OrderEvent.part_id == part.id) | (OrderEvent.kind == OrderEventKind.PLACED)).order_by(OrderEvent.id)
    ).all()
    deadline = services.response_deadline(part) if part.status == PartStatus.NEW else None
    return render_template("producer/part.html", part=part, order=order, events=events, moves=part.producer_moves,
                           can_reject=part.producer_may_reject, deadline=deadline, now=dt.datetime.now(dt.UTC),
                           cash_due=services.cash_to_collect(part), S=PartStatus)


@bp.get("/parts/<int:part_id>/label")
@producer_required
def label(part_id: int):
    """The packing slip and parcel label, to print from the browser."""
    part = _part_or_404(part_id)
    code = qr.qr_svg(part_label_code(part.id), scale=4, title=part_label_code(part.id))
    return render_template("producer/label.html", part=part, order=part.order, qr=code,
                           cash_due=services.cash_to_collect(part))


def _act(part_id: int, action, *args, done: str):
    """Run one use case for the current user; 404 for others' parts, a clear message when refused."""
    try:
        action(part_id, current_user, *args)
    except PartNotFound:
        abort(404)
    except (PartError, CashError) as error:
        flash(str(error), "error")
    else:
        flash(done, "success")
    return redirect(url_for("producer.part", part_id=part_id))


@bp.post("/parts/<int:part_id>/accept")
@producer_required
def accept(part_id: int):
    return _act(part_id, services.accept_part, done=_("Part accepted. Pack it next."))


@bp.post("/parts/<int:part_id>/reject")
@producer_required
def reject(part_id: int):
    return _act(part_id, services.reject_part, request.form.get("reason", ""),
                done=_("Part rejected. The customer and the OCOP office have been told."))


@bp.post("/parts/<int:part_id>/packed")
@producer_required
def packed(part_id: int):
    return _act(part_id, services.mark_packed, done=_("Marked as packed. Print the label and stick it on the parcel."))


@bp.post("/parts/<int:part_id>/sent")
@producer_required
def sent(part_id: int):
    return _act(part_id, services.mark_sent_to_point, request.form.get("handover_note", ""),
                done=_("Marked as sent to the sales point."))


@bp.post("/parts/<int:part_id>/shipped")
@producer_required
def shipped(part_id: int):
    return _act(part_id, services.mark_shipped, request.form.get("carrier", ""),
                request.form.get("tracking_number", ""), done=_("Marked as shipped."))


@bp.post("/parts/<int:part_id>/delivered")
@producer_required
def delivered(part_id: int):
    raw = request.form.get("cod_received_vnd", "").strip()
    amount = parse_vnd(raw)
    if raw and amount is None:
        _part_or_404(part_id)
        flash(_("Enter the cash received as a whole number of đồng, e.g. 250000."), "error")
        return redirect(url_for("producer.part", part_id=part_id))
    return _act(part_id, services.mark_delivered, amount, done=_("Marked as delivered."))
