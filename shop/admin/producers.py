"""/admin/producers: the office finds, adds and edits producers, their contact people and bank account."""
from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _, ngettext
from flask_login import current_user

from shop import page_cache
from shop.admin import producer_records as records
from shop.admin.blueprint import bp
from shop.catalog.models import ProducerKind
from shop.places import quang_ninh_wards
from shop.text import fold


def kind_labels() -> dict[str, str]:
    return {ProducerKind.COOPERATIVE: _("Cooperative"), ProducerKind.HOUSEHOLD: _("Household business"),
            ProducerKind.COMPANY: _("Company")}


def _wards() -> list:
    return sorted(quang_ninh_wards().values(), key=lambda w: fold(w.short_name))


@bp.get("/producers")
def producers():
    filters = records.ProducerFilters.read(request.args)
    found, total = records.find_producers(filters)
    pages = max(1, -(-total // records.PAGE_SIZE))
    return render_template("admin/producers.html", producers=found, total=total, filters=filters, pages=pages,
                           wards=_wards(), kinds=kind_labels(), wards_by_code=quang_ninh_wards(),
                           banks=dict(records.bank_choices()), masked=records.masked)


def _form_page(producer, form, status: int = 200):
    contacts = [{"name": c.name, "title": c.title, "phone": c.phone, "email": c.email}
                for c in (producer.contacts if producer is not None else [])]
    if form:  # typed values win over the stored ones after a refusal
        typed = ({f: form.get(f"contact-{i}-{f}", "") for f in ("name", "title", "phone", "email")}
                 for i in range(records.MAX_CONTACTS))
        contacts = [row for row in typed if any(row.values())]
    if len(contacts) < records.MAX_CONTACTS:
        contacts.append({})  # one empty row for the next person
    open_parts = records.open_parts_count(producer.id) if producer is not None else 0
    return render_template("admin/producer.html", producer=producer, form=form, contacts=contacts,
                           kinds=kind_labels(), wards=_wards(), banks=records.bank_choices(),
                           masked=records.masked, open_parts=open_parts), status


def _loaded(producer_id: int):
    producer = records.producer_in_full(producer_id)
    if producer is None:
        abort(404)
    return producer


@bp.get("/producers/new")
def new_producer():
    return _form_page(None, {})


@bp.post("/producers/new")
def create_producer():
    try:
        producer = records.create_producer(records.ProducerInput.read(request.form), current_user)
    except records.ProducerError as error:
        flash(str(error), "error")
        return _form_page(None, request.form, 422)
    flash(_("%(name)s is added.", name=producer.name), "success")
    return redirect(url_for("admin.producer", producer_id=producer.id))


@bp.get("/producers/<int:producer_id>")
def producer(producer_id: int):
    return _form_page(_loaded(producer_id), {})


@bp.post("/producers/<int:producer_id>")
def save_producer(producer_id: int):
    producer = _loaded(producer_id)
    try:
        records.update_producer(producer.id, records.ProducerInput.read(request.form), current_user)
    except records.ProducerError as error:
        flash(str(error), "error")
        return _form_page(_loaded(producer_id), request.form, 422)
    page_cache.clear()  # the public producer page shows the name, address and story
    flash(_("%(name)s is saved.", name=producer.name), "success")
    return redirect(url_for("admin.producer", producer_id=producer_id))


@bp.post("/producers/<int:producer_id>/deactivate")
def deactivate_producer(producer_id: int):
    _loaded(producer_id)
    try:
        producer, open_parts = records.set_producer_active(producer_id, False, current_user, request.form.get("note", ""))
    except records.ProducerError as error:
        flash(str(error), "error")
        return redirect(url_for("admin.producer", producer_id=producer_id))
    # Its products leave the shop now, not when this worker's cached pages run out.
    page_cache.clear()
    flash(_("%(name)s is deactivated: its products have left the shop.", name=producer.name), "success")
    if open_parts:
        flash(ngettext("It still holds %(num)d open order part: see to it on the orders board.",
                       "It still holds %(num)d open order parts: see to them on the orders board.", open_parts),
              "error")
        return redirect(url_for("admin.orders", stage="inactive_producer"))
    return redirect(url_for("admin.producer", producer_id=producer_id))


@bp.post("/producers/<int:producer_id>/reactivate")
def reactivate_producer(producer_id: int):
    _loaded(producer_id)
    try:
        producer, _parts = records.set_producer_active(producer_id, True, current_user, request.form.get("note", ""))
    except records.ProducerError as error:
        flash(str(error), "error")
    else:
        page_cache.clear()
        flash(_("%(name)s is active again: its published products are back in the shop.", name=producer.name),
              "success")
    return redirect(url_for("admin.producer", producer_id=producer_id))
