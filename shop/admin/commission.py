"""/admin/commission: the office's commission rules, per product set and per producer (audited)."""
from __future__ import annotations

from decimal import Decimal

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from shop.admin.blueprint import bp
from shop.catalog.models import Category, Producer
from shop.extensions import db
from shop.ledger import commission


def _owner(typed: str) -> tuple[int | None, int | None]:
    """"producer:12" → (12, None); "set:3" → (None, 3); anything else → (None, None)."""
    kind, _sep, number = typed.partition(":")
    owner_id = int(number) if number.isdigit() and len(number) < 10 else None
    return (owner_id if kind == "producer" else None), (owner_id if kind == "set" else None)


def _page(typed: dict, status: int = 200):
    producers = db.session.scalars(select(Producer).order_by(Producer.name_sort, Producer.id)).all()
    sets = db.session.scalars(select(Category).order_by(Category.position, Category.id)).all()
    return render_template("admin/commission.html", rules=commission.rules(), producers=producers, sets=sets,
                           default_percent=Decimal(commission.default_bps()) / 100, max_percent=commission.MAX_BPS // 100,
                           typed=typed), status


@bp.get("/commission")
def commission_rules():
    return _page({})


@bp.post("/commission")
def set_commission_rule():
    typed = {"owner": request.form.get("owner", ""), "percent": request.form.get("percent", "")}
    producer_id, category_id = _owner(typed["owner"])
    try:
        commission.set_rule(current_user, producer_id=producer_id, category_id=category_id,
                            typed_percent=typed["percent"])
    except commission.CommissionError as error:
        db.session.rollback()
        flash(str(error), "error")
        return _page(typed, 422)
    flash(_("Commission saved. Orders placed from now on use it; orders already placed keep their rate."), "success")
    return redirect(url_for("admin.commission_rules"))


@bp.post("/commission/<int:rule_id>/remove")
def remove_commission_rule(rule_id: int):
    if not commission.remove_rule(current_user, rule_id):
        abort(404)
    flash(_("Rule removed. Orders placed from now on use the next rule up."), "success")
    return redirect(url_for("admin.commission_rules"))
