"""OCOP recognition decisions, owned by the office: record one (a renewal keeps the history), mark a
re-evaluation, allow selling after expiry, keep the scanned decision outside the static tree.

Each public function that changes something records it in the audit log and commits once.
"""
from __future__ import annotations

import datetime as dt
import os
import re
import secrets
from dataclasses import dataclass

from flask import current_app, send_file
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from shop.audit import record_change
from shop.catalog.models import Certificate, Product, certificate_expiry
from shop.clock import today
from shop.errors import ShopError
from shop.extensions import db

#: The first bytes of every PDF file; anything else is refused whatever its name or content type.
PDF_MAGIC = b"%PDF-"
#: <32 hex>.pdf: the only names the scan routes serve.
SCAN_NAME = re.compile(r"^[0-9a-f]{32}\.pdf$")
#: The OCOP programme began in 2018: an earlier decision date is a typo.
FIRST_DECISION_DAY = dt.date(2018, 1, 1)


class CertificateError(ShopError):
    message = _l("This certificate could not be recorded.")


class NotAPdf(CertificateError):
    message = _l("Please upload the scanned decision as a PDF file.")


class ScanTooLarge(CertificateError):
    message = _l("This file is too large: a scanned decision may be at most %(mb)s MB.")


@dataclass(frozen=True)
class CertificateInput:
    """A recognition decision as printed on it; the shop never fills in what it does not say."""

    stars: int
    decision_no: str
    decided_on: dt.date | None
    issuer: str
    growing_area_code: str = ""
    traceability_code: str = ""


def scan_dir() -> str:
    """Where scanned decisions live: instance/media/certificates, outside the static tree (no public URL)."""
    return os.path.join(current_app.instance_path, "media", "certificates")


def scan_path(certificate: Certificate) -> str | None:
    """The stored scan's file, or None when there is none (or its name is not one the shop wrote)."""
    if not certificate.scan_name or not SCAN_NAME.match(certificate.scan_name):
        return None
    path = os.path.join(scan_dir(), certificate.scan_name)
    return path if os.path.isfile(path) else None


def scan_response(certificate: Certificate | None):
    """The scan as a download (never shown inline from the shop's origin, never kept by caches), or None."""
    path = scan_path(certificate) if certificate is not None else None
    if path is None:
        return None
    response = send_file(path, mimetype="application/pdf", as_attachment=True, max_age=0,
                         download_name=f"OCOP-{certificate.product_id}-{certificate.id}.pdf")
    response.headers["Cache-Control"] = "private, no-store"
    return response


def check_scan(data: bytes) -> None:
    """Refuse anything but a PDF within the size limit, judged by its bytes, never by its name."""
    limit = current_app.config["CERTIFICATE_SCAN_MAX_BYTES"]
    if len(data) > limit:
        raise ScanTooLarge(mb=limit // (1024 * 1024))
    if not data.startswith(PDF_MAGIC):
        raise NotAPdf()


def _store_scan(data: bytes) -> str:
    os.makedirs(scan_dir(), exist_ok=True)
    name = f"{secrets.token_hex(16)}.pdf"
    with open(os.path.join(scan_dir(), name), "xb") as file:
        file.write(data)
    return name


def _checked(new: CertificateInput) -> CertificateInput:
    if new.stars not in (3, 4, 5):
        raise CertificateError(_l("OCOP stars are 3, 4 or 5."))
    if new.decided_on is None or not FIRST_DECISION_DAY <= new.decided_on <= today():
        raise CertificateError(_l("Please enter the date of the decision (not in the future)."))
    decision_no = " ".join(new.decision_no.split())
    if not decision_no or len(decision_no) > 80:
        raise CertificateError(_l("Please enter the decision number as printed (at most 80 characters)."))
    issuer = " ".join(new.issuer.split())
    if not issuer or len(issuer) > 200:
        raise CertificateError(_l("Please enter the body that signed the decision, as printed on it."))
    growing, trace = new.growing_area_code.strip(), new.traceability_code.strip()
    if len(growing) > 40 or len(trace) > 60:
        raise CertificateError(_l("The growing-area code may have at most 40 characters, the traceability code 60."))
    return CertificateInput(new.stars, decision_no, new.decided_on, issuer, growing, trace)


def _facts(product: Product) -> dict:
    return {"stars": product.ocop_stars, "decision_no": product.ocop_certificate_no,
            "decided_on": product.ocop_certified_on.isoformat(), "expires_on": product.ocop_expires_on.isoformat(),
            "reevaluation": product.ocop_reevaluation, "growing_area_code": product.growing_area_code,
            "traceability_code": product.traceability_code}


def _locked_product(product_id: int) -> Product | None:
    return db.session.scalar(select(Product).where(Product.id == product_id).with_for_update())


def record_certificate(product_id: int, actor, new: CertificateInput, scan: bytes | None = None) -> Certificate:
    """Record a recognition decision (a first one, a renewal or a correction) with its scan; commit once.

    The newest decision becomes the product's current certificate: its stars and dates are copied to the
    product for the listings, and a pending re-evaluation ends. An older one only joins the history.
    """
    new = _checked(new)
    if scan is not None:
        check_scan(scan)
    product = _locked_product(product_id)
    if product is None:
        raise LookupError(product_id)
    before, current = _facts(product), product.current_certificate
    certificate = Certificate(product=product, stars=new.stars, decision_no=new.decision_no,
                              decided_on=new.decided_on, issuer=new.issuer,
                              expires_on=certificate_expiry(new.decided_on),
                              recorded_by_id=getattr(actor, "id", None))
    if scan is not None:
        # Written before the commit: a failed commit leaves an unreferenced file, never a row without its file.
        certificate.scan_name, certificate.scan_bytes = _store_scan(scan), len(scan)
    db.session.add(certificate)
    if current is None or (certificate.decided_on, 1) >= (current.decided_on, 0):
        product.ocop_stars, product.ocop_certificate_no = certificate.stars, certificate.decision_no
        product.ocop_certified_on, product.ocop_expires_on = certificate.decided_on, certificate.expires_on
        product.ocop_reevaluation = False
    product.growing_area_code = new.growing_area_code
    product.traceability_code = new.traceability_code
    db.session.flush()
    record_change(actor, "certificate.recorded", product, before=before,
                  after={**_facts(product), "issuer": certificate.issuer, "scan": bool(certificate.scan_name)},
                  note=f"{certificate.decision_no} ({certificate.issuer})")
    db.session.commit()
    return certificate


def correct_certificate(product_id: int, actor, *, decision_no: str, decided_on: dt.date | None, issuer: str,
                        reason: str) -> Certificate:
    """Correct a typo in the current decision's number, date or issuer, with the reason; audited before → after.

    The decision stays one row (a correction is not a renewal); its expiry follows the corrected date, and the
    product's copy of it too. Raise CertificateError and change nothing when the input is not good.
    """
    reason = " ".join((reason or "").split())
    if not reason or len(reason) > 300:
        raise CertificateError(_l("Please say why the decision is corrected (at most 300 characters)."))
    product = _locked_product(product_id)
    if product is None:
        raise LookupError(product_id)
    current = product.current_certificate
    if current is None:
        db.session.rollback()
        raise CertificateError(_l("This product has no decision to correct yet: record one."))
    try:
        new = _checked(CertificateInput(current.stars, decision_no, decided_on, issuer))
    except CertificateError:
        db.session.rollback()
        raise
    if any(other.decided_on > new.decided_on for other in product.certificates[1:]):
        db.session.rollback()
        raise CertificateError(_l("An earlier decision of this product is dated after that day: check the date."))
    fields = ("decision_no", "decided_on", "issuer", "expires_on")
    before = {f: getattr(current, f) for f in fields}
    current.decision_no, current.decided_on, current.issuer = new.decision_no, new.decided_on, new.issuer
    current.expires_on = certificate_expiry(new.decided_on)
    after = {f: getattr(current, f) for f in fields}
    changed = [f for f in fields if before[f] != after[f]]
    if not changed:
        db.session.rollback()
        raise CertificateError(_l("Nothing to correct: the decision already reads so."))
    product.ocop_certificate_no, product.ocop_certified_on = current.decision_no, current.decided_on
    product.ocop_expires_on = current.expires_on
    db.session.flush()
    record_change(actor, "certificate.corrected", product, before={f: str(before[f]) for f in changed},
                  after={f: str(after[f]) for f in changed}, note=reason)
    db.session.commit()
    return current


def set_certificate_flags(product_id: int, actor, *, reevaluation: bool, sold_when_expired: bool) -> Product:
    """Mark or clear "re-evaluation pending" and whether it may be sold after expiry; commit once."""
    product = _locked_product(product_id)
    if product is None:
        raise LookupError(product_id)
    before = {"reevaluation": product.ocop_reevaluation, "sold_when_expired": product.sold_when_expired}
    product.ocop_reevaluation, product.sold_when_expired = reevaluation, sold_when_expired
    record_change(actor, "certificate.flags", product, before=before,
                  after={"reevaluation": reevaluation, "sold_when_expired": sold_when_expired})
    db.session.commit()
    return product
