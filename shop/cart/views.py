"""The cart page and its add / change / remove actions."""
from __future__ import annotations

from flask import Blueprint

bp = Blueprint("cart", __name__)
