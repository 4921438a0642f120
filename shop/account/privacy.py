"""The customer's own data (Decree 13/2023): download it all as JSON, or delete the account."""
from __future__ import annotations

import json

from flask import Blueprint, Response, flash, redirect, render_template, session, url_for
from flask_babel import gettext as _, lazy_gettext as _l
from flask_login import current_user, login_required, logout_user
from flask_wtf import FlaskForm
from sqlalchemy import select
from wtforms import BooleanField, PasswordField
from wtforms.validators import DataRequired

from shop.auth.consents import Consent, Purpose
from shop.auth.models import Role
from shop.extensions import db
from shop.privacy import erasure
from shop.privacy.export import account_data

bp = Blueprint("account_privacy", __name__, url_prefix="/account/privacy")


class DeleteAccountForm(FlaskForm):
    password = PasswordField(_l("Your password"), validators=[DataRequired(message=_l("Please enter your password."))])
    confirm = BooleanField(_l("I understand that my account, my addresses and my saved cart are deleted for good."),
                           validators=[DataRequired(message=_l("Please tick the box to confirm."))])


def _current_answers() -> dict[Purpose, Consent]:
    """The newest answer per purpose of the logged-in user."""
    answers: dict[Purpose, Consent] = {}
    for consent in db.session.scalars(select(Consent).where(Consent.user_id == current_user.id).order_by(Consent.id)):
        answers[Purpose(consent.purpose)] = consent
    return answers


def _page(form: DeleteAccountForm, status: int = 200):
    return render_template("auth/privacy.html", form=form, answers=_current_answers(),
                           may_delete=current_user.role == Role.CUSTOMER), status


@bp.get("")
@login_required
def show():
    return _page(DeleteAccountForm())


@bp.get("/export.json")
@login_required
def export():
    body = json.dumps(account_data(current_user), ensure_ascii=False, indent=2)
    return Response(body, mimetype="application/json", headers={
        "Content-Disposition": 'attachment; filename="ocop-quangninh-my-data.json"'})


@bp.post("/delete")
@login_required
def delete():
    form = DeleteAccountForm()
    if not form.validate_on_submit():
        return _page(form, 400)
    try:
        erasure.delete_account(current_user, form.password.data)
    except erasure.PrivacyError as error:
        form.form_errors.append(str(error))
        return _page(form, 400)
    # The account and its logins are gone: only this browser's session and remember-me cookie are left.
    session.clear()
    logout_user()
    flash(_("Your account is deleted. We have sent a confirmation to your e-mail address."), "success")
    return redirect(url_for("catalog.home"))
