"""Admin: invite users (producer, staff, admin) who set their password from an e-mailed link."""
from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import force_locale, gettext as _
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from shop.admin.blueprint import bp
from shop.admin.people_records import place_of
from shop.audit import record_change
from shop.auth import messages, services as accounts
from shop.auth.models import Role, User
from shop.catalog.models import Producer
from shop.extensions import begin_write, db
from shop.input_guard import parse_id
from shop.notifications.outbox import enqueue
from shop.sales_points.models import SalesPoint

#: Roles an invitation may give; customers register themselves.
INVITED_ROLES = (Role.PRODUCER, Role.STAFF, Role.ADMIN)


def role_labels() -> dict[str, str]:
    return {Role.PRODUCER: _("Producer"), Role.STAFF: _("Sales-point staff"), Role.ADMIN: _("OCOP office (admin)")}


def invite_user(*, email: str, name: str, role: str, producer_id: int | None, sales_point_id: int | None,
                language: str = "vi", actor=None) -> User:
    """Create an account without a password and queue the e-mail whose link sets it; raise AuthError."""
    if role not in {r.value for r in INVITED_ROLES}:
        raise accounts.RoleMismatch()
    role = Role(role)
    producer_id = producer_id if role == Role.PRODUCER else None
    sales_point_id = sales_point_id if role == Role.STAFF else None
    if (role == Role.PRODUCER) != (producer_id is not None) or (role == Role.STAFF) != (sales_point_id is not None):
        raise accounts.RoleMismatch()
    email = accounts.normalize_email(email)
    begin_write()
    if (producer_id is not None and db.session.get(Producer, producer_id) is None) or (
            sales_point_id is not None and db.session.get(SalesPoint, sales_point_id) is None):
        db.session.rollback()
        raise accounts.RoleMismatch()
    if db.session.scalar(select(User.id).where(User.email == email)) is not None:
        db.session.rollback()
        raise accounts.EmailTaken()
    user = User(email=email, name=name.strip()[:120], role=role, language=language,
                producer_id=producer_id, sales_point_id=sales_point_id)
    db.session.add(user)
    try:
        db.session.flush()
    except IntegrityError:
        db.session.rollback()
        raise accounts.EmailTaken() from None
    # The reset token is tied to the (empty) password hash: it stops working once a password is set.
    with force_locale(user.language):  # the invitee's language, not the admin's
        role_label = role_labels()[role]
    enqueue(messages.user_invite(user, role_label, accounts.reset_link(user)))
    record_change(actor, "user.invited", user, after={k: v for k, v in place_of(user).items() if v})
    db.session.commit()
    return user


@bp.route("/users/invite", methods=["GET", "POST"])
def invite():
    form = request.form
    if request.method == "POST":
        try:
            user = invite_user(email=form.get("email", ""), name=form.get("name", ""), role=form.get("role", ""),
                               producer_id=parse_id(form.get("producer_id")),
                               sales_point_id=parse_id(form.get("sales_point_id")),
                               language=form.get("language") if form.get("language") in ("vi", "en") else "vi",
                               actor=current_user)
        except accounts.AuthError as error:
            flash(str(error), "error")
        else:
            flash(_("%(email)s is invited: the e-mail with the link to set a password is on its way.",
                    email=user.email), "success")
            return redirect(url_for("admin.invite"))
    producers = db.session.scalars(select(Producer).where(Producer.is_active).order_by(Producer.name_sort)).all()
    points = db.session.scalars(select(SalesPoint).order_by(SalesPoint.code)).all()
    return render_template("admin/users_invite.html", form=form, producers=producers, points=points,
                           roles=role_labels())
