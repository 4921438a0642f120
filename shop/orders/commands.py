"""`flask orders …`: scheduled order housekeeping."""
from __future__ import annotations

from flask.cli import AppGroup

orders_cli = AppGroup("orders", help="Order housekeeping (expire unpaid transfers).")
