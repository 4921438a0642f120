"""The producer workspace under /producer; parts.py and catalog.py attach their routes to `bp`."""
from __future__ import annotations

from flask import Blueprint, flash, redirect, url_for
from flask_login import current_user

from shop.auth import sessions
from shop.auth.access import producer_required
from shop.auth.services import ProducerPaused, works_for_an_active_producer

bp = Blueprint("producer", __name__, url_prefix="/producer")


@bp.before_request
@producer_required
def _only_an_active_producer():
    """A deactivated producer's workspace is closed: a login still open ends here, with the reason."""
    if not works_for_an_active_producer(current_user):
        sessions.log_out()
        flash(str(ProducerPaused()), "error")
        return redirect(url_for("auth.login"))
    return None
