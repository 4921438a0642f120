"""The OCOP office's back office under /admin; its route modules attach to `bp`."""
from __future__ import annotations

from flask import Blueprint

from shop.auth.access import admin_required

bp = Blueprint("admin", __name__, url_prefix="/admin")


@bp.before_request
@admin_required
def _only_the_office():
    """Every /admin address is for the OCOP office only."""
