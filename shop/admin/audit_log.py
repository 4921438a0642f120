"""/admin/audit: every office action, newest first; found by who, what, which record, words and dates."""
from __future__ import annotations

import dataclasses
import datetime as dt

from flask import flash, render_template, request
from flask_babel import gettext as _, lazy_gettext as _l
from sqlalchemy import String, cast, func, or_, select

from shop.admin.blueprint import bp
from shop.admin.queries import start_of
from shop.audit import AuditEntry
from shop.extensions import db

#: Entries on one page.
PAGE_SIZE = 40

#: What each action is called on the page; an action not named here shows as it is stored.
ACTION_LABELS = {
    "producer.created": _l("Producer added"),
    "producer.changed": _l("Producer changed"),
    "producer.bank_account.changed": _l("Producer's bank account changed"),
    "producer.deactivated": _l("Producer deactivated"),
    "producer.reactivated": _l("Producer reactivated"),
    "user.invited": _l("User invited"),
    "user.disabled": _l("Account disabled"),
    "user.enabled": _l("Account enabled"),
    "user.role.changed": _l("Role changed"),
    "user.password_reset.sent": _l("Password reset link sent"),
    "product.approved": _l("Product approved"),
    "certificate.corrected": _l("OCOP decision corrected"),
    "product.returned": _l("Product returned to its producer"),
    "product.texts_changed": _l("Product texts or translations changed"),
    "review.published": _l("Review published"),
    "review.hidden": _l("Review hidden"),
    "review.answer.changed": _l("Producer's answer to a review changed"),
    "rates.changed": _l("Exchange rates changed"),
    "order.cancelled": _l("Order cancelled"),
    "order.part.cancelled": _l("Order part cancelled"),
    "order.part.moved_on_behalf": _l("Order part moved for its producer"),
    "order.message.resent": _l("E-mail sent again"),
    "payment.transfer.recorded": _l("Bank transfer recorded"),
    "payment.refund.requested": _l("Card refund requested"),
}


@dataclasses.dataclass(frozen=True)
class AuditFilters:
    q: str = ""
    actor: str = ""
    action: str = ""
    target: str = ""
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    page: int = 1

    @classmethod
    def read(cls, args) -> tuple[AuditFilters, bool]:
        """The filters of the query string, and whether a date had to be ignored because it made no sense."""
        def text(key: str) -> str:
            return (args.get(key) or "").strip()[:100]

        bad = False

        def day(key: str) -> dt.date | None:
            nonlocal bad
            value = text(key)
            try:
                day = dt.date.fromisoformat(value) if value else None
            except ValueError:
                day = None
            # The shop's log starts this century; year 9999 would overflow the day after.
            if value and (day is None or not 2000 <= day.year <= 2999):
                bad = True
                return None
            return day

        page = text("page")
        filters = cls(q=text("q"), actor=text("actor"), action=text("action")[:80], target=text("target"),
                      date_from=day("from"), date_to=day("to"),
                      page=min(int(page), 10_000) if page.isdigit() and int(page) > 0 else 1)
        return filters, bad

    def args(self, **changes) -> dict[str, str]:
        values = dataclasses.replace(self, **changes)
        pairs = {"q": values.q, "actor": values.actor, "action": values.action, "target": values.target,
                 "from": values.date_from, "to": values.date_to, "page": values.page if values.page > 1 else None}
        return {k: str(v) for k, v in pairs.items() if v not in (None, "")}


def _like(column, text: str):
    return column.ilike(f"%{text}%")


def find_entries(filters: AuditFilters) -> tuple[list[AuditEntry], int]:
    """One page of entries matching the filters, newest first, and how many match in all."""
    query = select(AuditEntry)
    if filters.actor:
        query = query.where(_like(AuditEntry.actor_label, filters.actor))
    if filters.action:
        query = query.where(AuditEntry.action == filters.action)
    if filters.target:
        # "Order QN-2612-0001", "producer 12" or part of the record's name.
        kind, _sep, ident = filters.target.partition(" ")
        conditions = [_like(AuditEntry.target_label, filters.target)]
        if ident.strip().isdigit():
            conditions.append((AuditEntry.target_kind == kind.lower()) & (AuditEntry.target_id == ident.strip()))
        query = query.where(or_(*conditions))
    if filters.q:
        query = query.where(or_(*(_like(column, filters.q) for column in (
            AuditEntry.note, AuditEntry.actor_label, AuditEntry.target_label, AuditEntry.action,
            cast(AuditEntry.before, String), cast(AuditEntry.after, String)))))
    if filters.date_from:
        query = query.where(AuditEntry.at >= start_of(filters.date_from))
    if filters.date_to:
        query = query.where(AuditEntry.at < start_of(filters.date_to + dt.timedelta(days=1)))
    total = db.session.scalar(select(func.count()).select_from(query.with_only_columns(AuditEntry.id).subquery())) or 0
    entries = db.session.scalars(query.order_by(AuditEntry.at.desc(), AuditEntry.id.desc())
                                 .limit(PAGE_SIZE).offset((filters.page - 1) * PAGE_SIZE)).all()
    return list(entries), total


def changes(entry: AuditEntry) -> list[tuple[str, object, object]]:
    """Each changed field as (field, before, after); a side the entry does not hold is None."""
    before, after = entry.before or {}, entry.after or {}
    return [(key, before.get(key), after.get(key)) for key in sorted(before.keys() | after.keys())]


@bp.get("/audit")
def audit():
    filters, bad_date = AuditFilters.read(request.args)
    if bad_date:
        flash(_("A date could not be read and is left out: use the date picker."), "error")
    entries, total = find_entries(filters)
    actions = sorted(db.session.scalars(select(AuditEntry.action).distinct()).all())
    return render_template("admin/audit.html", entries=entries, total=total, filters=filters,
                           pages=max(1, -(-total // PAGE_SIZE)), actions=actions, labels=ACTION_LABELS,
                           changes=changes)
