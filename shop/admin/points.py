"""/admin/points: the office's list of sales points and the page to edit one (facts, hours, closures, staff)."""
from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _, ngettext
from flask_login import current_user
from sqlalchemy import func, select

from shop.admin import point_edits
from shop.admin.blueprint import bp
from shop.auth.models import Role, User
from shop.clock import today
from shop.extensions import db
from shop.orders.models import Order
from shop.orders.services import OrderError
from shop.places import quang_ninh_wards
from shop.sales_points.models import DAYS, PickupMode, SalesPoint, parse_opening_hours
from shop.sales_points.towns import TOWNS


@bp.get("/points")
def points():
    rows = db.session.scalars(select(SalesPoint).order_by(SalesPoint.code)).all()
    waiting = dict(db.session.execute(
        select(Order.sales_point_id, func.count(Order.id))
        .where(Order.sales_point_id.is_not(None), Order.status.not_in(point_edits.CLOSED_ORDER_STATUSES))
        .group_by(Order.sales_point_id)).all())
    return render_template("admin/points.html", points=rows, waiting=waiting, today=today())


def _point_or_404(point_id: int) -> SalesPoint:
    point = db.session.get(SalesPoint, point_id)
    if point is None:
        abort(404)
    return point


def _page(point: SalesPoint, form: point_edits.PointForm, blocking=None, closure_form=None, status: int = 200):
    staff = db.session.scalars(select(User).where(User.role == Role.STAFF, User.sales_point_id == point.id)
                               .order_by(User.name, User.email)).all()
    return render_template(
        "admin/point.html", point=point, form=form, days=DAYS, modes=list(PickupMode), staff=staff, towns=TOWNS,
        wards=quang_ninh_wards().values(), open_orders=point_edits.open_orders(point.id), blocking=blocking,
        closures=point.closures_from(today()), closure_form=closure_form or {}, today=today(),
        targets=[p for p in db.session.scalars(select(SalesPoint).where(SalesPoint.is_active.is_(True),
                 SalesPoint.pickup_mode == PickupMode.ANY_STOCK, SalesPoint.id != point.id).order_by(SalesPoint.code))
                 if p.closed_until(today()) is None],
        unreadable_hours=not point.weekly_hours and parse_opening_hours(point.opening_hours) is None), status


@bp.get("/points/<int:point_id>")
def point(point_id: int):
    point = _point_or_404(point_id)
    return _page(point, point_edits.PointForm.of(point))


@bp.post("/points/<int:point_id>")
def save_point(point_id: int):
    point = _point_or_404(point_id)
    form = point_edits.PointForm.from_request(request.form)
    try:
        point_edits.save_point(point.id, form, current_user)
    except point_edits.PointError as error:
        db.session.rollback()
        flash(str(error), "error")
        return _page(point, form, status=422)
    flash(_("Sales point %(code)s saved.", code=point.code), "success")
    return redirect(url_for("admin.point", point_id=point.id))


@bp.post("/points/<int:point_id>/closures")
def add_closure(point_id: int):
    point = _point_or_404(point_id)
    typed = {key: request.form.get(key, "") for key in ("starts_on", "ends_on", "reason")}
    try:
        point_edits.add_closure(point.id, typed["starts_on"], typed["ends_on"], typed["reason"], current_user)
    except point_edits.PointError as error:
        db.session.rollback()
        flash(str(error), "error")
        return _page(point, point_edits.PointForm.of(point), closure_form=typed, status=422)
    flash(_("Closure added: customers see it, and checkout does not offer the point while it is closed."),
          "success")
    return redirect(url_for("admin.point", point_id=point.id) + "#closures")


@bp.post("/points/<int:point_id>/closures/<int:closure_id>/delete")
def remove_closure(point_id: int, closure_id: int):
    point = _point_or_404(point_id)
    try:
        point_edits.remove_closure(point.id, closure_id, current_user)
    except point_edits.NoSuchPoint:
        abort(404)
    flash(_("Closure removed."), "success")
    return redirect(url_for("admin.point", point_id=point.id) + "#closures")


@bp.post("/points/<int:point_id>/move-orders")
def move_point_orders(point_id: int):
    point = _point_or_404(point_id)
    try:
        to_point = int(request.form.get("to_point_id", ""))
    except ValueError:
        to_point = 0
    try:
        moved, left = point_edits.move_open_orders(point.id, to_point, current_user)
    except OrderError as error:
        db.session.rollback()
        flash(str(error), "error")
        return _page(point, point_edits.PointForm.of(point), status=422)
    if moved:
        flash(ngettext("%(num)d order moved: its customer was e-mailed the new sales point.",
                       "%(num)d orders moved: their customers were e-mailed the new sales point.", len(moved)),
              "success")
    if left:
        flash(_("Not moved, as their goods are at this point already: %(orders)s.",
                orders=", ".join(order.number for order in left)), "error" if not moved else "success")
    if not moved and not left:
        flash(_("No open order."), "success")
    return redirect(url_for("admin.point", point_id=point.id) + "#open-orders")


@bp.post("/points/<int:point_id>/active")
def set_point_active(point_id: int):
    point = _point_or_404(point_id)
    active = request.form.get("active") == "1"
    try:
        point_edits.set_active(point.id, active, current_user)
    except point_edits.PointHasOpenOrders as error:
        flash(str(error), "error")
        return _page(point, point_edits.PointForm.of(point), blocking=error.orders, status=409)
    flash(_("Sales point %(code)s is open again: checkout offers it.", code=point.code) if active else
          _("Sales point %(code)s is closed for good: the shop and checkout no longer show it.", code=point.code),
          "success")
    return redirect(url_for("admin.point", point_id=point.id))
