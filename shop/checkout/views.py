"""Checkout in steps that work without JavaScript: contact → delivery → payment → review → place."""
from __future__ import annotations

from flask import Blueprint

bp = Blueprint("checkout", __name__)
