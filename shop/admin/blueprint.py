"""The OCOP office's back office under /admin; its route modules attach to `bp`."""
from __future__ import annotations

from flask import Blueprint, request
from flask_babel import lazy_gettext as _l

from shop.auth.access import admin_required

bp = Blueprint("admin", __name__, url_prefix="/admin")


@bp.before_request
@admin_required
def _only_the_office():
    """Every /admin address is for the OCOP office only."""


#: The office's menu in groups: (group label, ((endpoint, label), …)); each page is marked under the entry of its
#: section. A phone shows the groups as one bar, each opening its entries; a desktop lists them all at the side.
OFFICE_MENU = (
    (_l("Orders"), (("admin.index", _l("Today")), ("admin.orders", _l("Orders")))),
    (_l("Money"), (("admin.transfers", _l("Bank transfers")), ("admin.bank_unmatched", _l("Transfers to review")),
                   ("admin.refunds_owed", _l("Refunds owed")), ("admin.card_payments", _l("Card payments")),
                   ("admin.money", _l("Money")), ("admin.commission_rules", _l("Commission")),
                   ("admin.payout_batches", _l("Payouts")), ("admin.rates", _l("Exchange rates")))),
    (_l("Catalogue"), (("admin.review_products", _l("Product review")), ("admin.reviews", _l("Buyers' reviews")),
                       ("admin.certificates", _l("Certificates")))),
    (_l("Network"), (("admin.producers", _l("Producers")), ("admin.points", _l("Sales points")))),
    (_l("People"), (("admin.people", _l("People")), ("admin.audit", _l("Audit log")),
                    ("admin.privacy", _l("Personal data")))),
    (_l("Reports"), (("admin.reports_home", _l("Reports")),)),
)
#: Pages that belong to another entry's section.
_SECTIONS = {"admin.order": "admin.orders", "admin.refund": "admin.card_payments", "admin.product_certificate": "admin.certificates",
             "admin.correct_certificate": "admin.certificates", "admin.record_certificate": "admin.certificates",
             "admin.producer": "admin.producers", "admin.new_producer": "admin.producers",
             "admin.create_producer": "admin.producers", "admin.save_producer": "admin.producers",
             "admin.person": "admin.people", "admin.invite": "admin.people",
             "admin.point": "admin.points", "admin.save_point": "admin.points", "admin.add_closure": "admin.points",
             "admin.set_point_active": "admin.points", "admin.move_point_orders": "admin.points",
             "admin.report": "admin.reports_home", "admin.bank_import": "admin.transfers",
             "admin.payout_batch": "admin.payout_batches"}


@bp.context_processor
def office_menu() -> dict:
    endpoint = request.endpoint or ""
    return {"office_menu": OFFICE_MENU, "office_section": _SECTIONS.get(endpoint, endpoint)}
