"""The office's home: today's numbers, each a link to its list."""
from __future__ import annotations

from flask import render_template

from shop.admin import queries
from shop.admin.blueprint import bp
from shop.clock import today


@bp.get("/")
def index():
    return render_template("admin/home.html", numbers=queries.today_numbers(), today=today())
