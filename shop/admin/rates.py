"""/admin/rates: the exchange rates behind the price estimates foreign visitors see."""
from __future__ import annotations

from flask import current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from shop.admin.blueprint import bp
from shop.audit import record_change
from shop.currency import estimates
from shop.currency.models import DisplayRate
from shop.extensions import db


class ExchangeRates:
    """The display rates as one record of the audit log."""

    id = "display"
    label = "Exchange rates"


def change_rates(typed: dict[str, str], user) -> None:
    """Save the typed rates and, when any changed, the audit entry saying which; one commit."""
    before, after = estimates.set_rates(typed, user)
    if before != after:
        record_change(user, "rates.changed", ExchangeRates(), before=before, after=after)
    db.session.commit()
    estimates.forget_rates()


def _page(typed: dict[str, str]):
    current = {r.currency: r for r in db.session.scalars(select(DisplayRate))}
    # 25400.0000 → "25400", 18.3500 → "18.35"
    shown = {code: format(row.vnd_per_unit.normalize(), "f") for code, row in current.items()}
    return render_template("admin/rates.html", current=current, typed={**shown, **typed},
                           currencies=current_app.config["DISPLAY_CURRENCIES"])


@bp.get("/rates")
def rates():
    return _page({})


@bp.post("/rates")
def save_rates():
    typed = {code: request.form.get(code, "") for code in current_app.config["DISPLAY_CURRENCIES"]}
    try:
        change_rates(typed, current_user)
    except estimates.BadRate as error:
        db.session.rollback()
        flash(str(error), "error")
        return _page(typed), 422
    flash(_("Exchange rates saved. Visitors see the new estimates within a minute."), "success")
    return redirect(url_for("admin.rates"))
