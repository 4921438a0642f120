"""Admin: answer a personal-data request for an e-mail address or a phone number: find, export, erase."""
from __future__ import annotations

import json

from flask import Response, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from shop.admin.blueprint import bp
from shop.audit import record_change
from shop.auth import services as accounts
from shop.extensions import begin_write, db
from shop.privacy import erasure
from shop.privacy.export import matching, request_data


def _subject() -> tuple[str, str, str | None]:
    """The e-mail and phone asked about (normalised), and what is wrong with them if anything."""
    source = request.form if request.method == "POST" else request.args
    email, phone = (source.get("email") or "").strip(), (source.get("phone") or "").strip()
    try:
        email = accounts.normalize_email(email) if email else ""
        phone = accounts.normalize_phone(phone) if phone else ""
    except accounts.AuthError as error:
        return email, phone, str(error)
    return email, phone, None


@bp.get("/privacy")
def privacy():
    email, phone, problem = _subject()
    users, orders = matching(email, phone) if (email or phone) and not problem else ([], [])
    if problem:
        flash(problem, "error")
    return render_template("admin/privacy.html", email=email, phone=phone, searched=bool(email or phone),
                           users=users, orders=orders, is_settled=erasure.is_settled)


@bp.post("/privacy/export")
def privacy_export():
    email, phone, problem = _subject()
    if problem or not (email or phone):
        flash(problem or _("Enter an e-mail address or a phone number."), "error")
        return redirect(url_for("admin.privacy"))
    data = request_data(email, phone)
    begin_write()
    # Who handed whose data out, and when; the entry names the request's counts, not the person.
    record_change(current_user, "privacy.data_exported", current_user,
                  note=f"{len(data['accounts'])} account(s), {len(data['orders'])} order(s)")
    db.session.commit()
    return Response(json.dumps(data, ensure_ascii=False, indent=2), mimetype="application/json", headers={
        "Content-Disposition": 'attachment; filename="ocop-quangninh-data-request.json"'})


@bp.post("/privacy/erase")
def privacy_erase():
    email, phone, problem = _subject()
    if problem or not (email or phone):
        flash(problem or _("Enter an e-mail address or a phone number."), "error")
        return redirect(url_for("admin.privacy"))
    if not request.form.get("confirm"):
        flash(_("Please tick the box to confirm."), "error")
        return redirect(url_for("admin.privacy", email=email, phone=phone))
    done = erasure.erase_for_request(current_user, email, phone)
    flash(_("Erased: %(accounts)d account(s) deleted, %(orders)d order(s) anonymised.",
            accounts=done.accounts, orders=len(done.orders)), "success")
    if done.still_open:
        flash(_("Still open, kept as they are until they are finished: %(numbers)s.",
                numbers=", ".join(done.still_open)), "error")
    return redirect(url_for("admin.privacy", email=email, phone=phone))
