"""The producer workspace under /producer: order parts (parts.py) and products, stock, reports (catalog.py)."""
from __future__ import annotations

from flask import Blueprint

bp = Blueprint("producer", __name__, url_prefix="/producer")

from shop.fulfillment import catalog, parts  # noqa: E402,F401  (their routes attach to bp)
