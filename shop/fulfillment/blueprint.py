"""The producer workspace under /producer; parts.py and catalog.py attach their routes to `bp`."""
from __future__ import annotations

from flask import Blueprint

bp = Blueprint("producer", __name__, url_prefix="/producer")
