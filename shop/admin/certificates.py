"""The office's OCOP certificates: the lists (ending soon, ended, being re-evaluated), one product's
decisions with their scans, recording a new decision, and the product's certificate flags."""
from __future__ import annotations

import datetime as dt

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from shop.admin import queries
from shop.admin.blueprint import bp
from shop.catalog import certificates as records
from shop.catalog.models import Certificate, Product
from shop.clock import today
from shop.extensions import db


@bp.get("/certificates")
def certificates():
    show = request.args.get("show", "expiring")
    if show not in queries.CERTIFICATE_LISTS:
        show = "expiring"
    return render_template("admin/certificates.html", products=queries.certificate_list(show), show=show,
                           counts=queries.certificate_counts(), today=today(), days=queries.CERTIFICATE_WARNING_DAYS)


def _page(product_id: int, form=None, status: int = 200, correction=None):
    product = queries.product_with_certificates(product_id)
    if product is None:
        abort(404)
    return render_template("admin/certificate.html", product=product, today=today(), form=form or {},
                           correction=correction,
                           max_mb=current_app.config["CERTIFICATE_SCAN_MAX_BYTES"] // 2**20), status


@bp.get("/products/<int:product_id>/certificate")
def product_certificate(product_id: int):
    return _page(product_id)


def _read_input(form) -> records.CertificateInput:
    try:
        decided_on = dt.date.fromisoformat(form.get("decided_on", "").strip())
    except ValueError:
        decided_on = None
    stars = form.get("stars", "")
    return records.CertificateInput(
        # Only ASCII 3–5: int() would also read other scripts' digits.
        stars=int(stars) if stars in ("3", "4", "5") else 0, decision_no=form.get("decision_no", ""),
        decided_on=decided_on, issuer=form.get("issuer", ""), growing_area_code=form.get("growing_area_code", ""),
        traceability_code=form.get("traceability_code", ""))


@bp.post("/products/<int:product_id>/certificate")
def record_certificate(product_id: int):
    if db.session.get(Product, product_id) is None:
        abort(404)
    upload = request.files.get("scan")
    scan = upload.read(current_app.config["CERTIFICATE_SCAN_MAX_BYTES"] + 1) if upload and upload.filename else None
    try:
        certificate = records.record_certificate(product_id, current_user, _read_input(request.form), scan)
    except records.CertificateError as error:
        flash(str(error), "error")
        return _page(product_id, form=request.form, status=400)
    flash(_("Decision %(number)s is recorded.", number=certificate.decision_no), "success")
    return redirect(url_for("admin.product_certificate", product_id=product_id))


@bp.post("/products/<int:product_id>/certificate/correct")
def correct_certificate(product_id: int):
    if db.session.get(Product, product_id) is None:
        abort(404)
    typed = _read_input(request.form)
    try:
        certificate = records.correct_certificate(product_id, current_user, decision_no=typed.decision_no,
                                                  decided_on=typed.decided_on, issuer=typed.issuer,
                                                  reason=request.form.get("reason", ""))
    except records.CertificateError as error:
        flash(str(error), "error")
        return _page(product_id, correction=request.form, status=400)
    flash(_("Decision %(number)s is corrected.", number=certificate.decision_no), "success")
    return redirect(url_for("admin.product_certificate", product_id=product_id))


@bp.post("/products/<int:product_id>/certificate/flags")
def certificate_flags(product_id: int):
    try:
        records.set_certificate_flags(product_id, current_user,
                                           reevaluation=request.form.get("reevaluation") == "1",
                                           sold_when_expired=request.form.get("sold_when_expired") == "1")
    except LookupError:
        abort(404)
    flash(_("Saved."), "success")
    return redirect(url_for("admin.product_certificate", product_id=product_id))


@bp.get("/certificates/<int:certificate_id>/scan")
def certificate_scan(certificate_id: int):
    response = records.scan_response(db.session.get(Certificate, certificate_id))
    if response is None:
        abort(404)
    return response

