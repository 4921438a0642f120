"""/admin/people: every account by role; disable, enable, send a reset link, change role, producer or point."""
from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from shop.admin import people_records as records
from shop.admin.blueprint import bp
from shop.admin.users import role_labels
from shop.auth.models import Role, User
from shop.catalog.models import Producer
from shop.extensions import db
from shop.input_guard import parse_id
from shop.sales_points.models import SalesPoint


def all_role_labels() -> dict[str, str]:
    return {Role.CUSTOMER: _("Customer"), **role_labels()}


@bp.get("/people")
def people():
    filters = records.PeopleFilters.read(request.args)
    found, total = records.find_people(filters)
    pages = max(1, -(-total // records.PAGE_SIZE))
    return render_template("admin/people.html", people=found, total=total, filters=filters, pages=pages,
                           roles=all_role_labels())


def _person_or_404(user_id: int) -> User:
    user = db.session.get(User, user_id)
    if user is None:
        abort(404)
    return user


@bp.get("/people/<int:user_id>")
def person(user_id: int):
    user = _person_or_404(user_id)
    producers = db.session.scalars(select(Producer).order_by(Producer.name_sort)).all()
    points = db.session.scalars(select(SalesPoint).order_by(SalesPoint.code)).all()
    return render_template("admin/person.html", person=user, roles=all_role_labels(), producers=producers,
                           points=points, is_me=user.id == current_user.id)


def _act(user_id: int, action, done: str):
    _person_or_404(user_id)
    try:
        user = action()
    except records.PersonError as error:
        flash(str(error), "error")
    else:
        flash(done % {"email": user.email}, "success")
    return redirect(url_for("admin.person", user_id=user_id))


@bp.post("/people/<int:user_id>/disable")
def disable_person(user_id: int):
    return _act(user_id, lambda: records.set_enabled(user_id, False, current_user, request.form.get("note", "")),
                _("%(email)s is disabled: every login of it has ended."))


@bp.post("/people/<int:user_id>/enable")
def enable_person(user_id: int):
    return _act(user_id, lambda: records.set_enabled(user_id, True, current_user, request.form.get("note", "")),
                _("%(email)s may log in again."))


@bp.post("/people/<int:user_id>/reset")
def reset_person(user_id: int):
    return _act(user_id, lambda: records.send_password_reset(user_id, current_user),
                _("A link to choose a new password is on its way to %(email)s."))


@bp.post("/people/<int:user_id>/role")
def change_person_role(user_id: int):
    form = request.form
    return _act(user_id, lambda: records.change_role(user_id, form.get("role", ""), parse_id(form.get("producer_id")),
                                                     parse_id(form.get("sales_point_id")), current_user),
                _("%(email)s has the new role; its logins ended, so it starts afresh."))
