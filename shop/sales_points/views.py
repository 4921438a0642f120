"""Public pages of the 23 OCOP sales points."""
from __future__ import annotations

from flask import Blueprint, abort, render_template

from shop.catalog import queries
from shop.page_cache import cached_page

bp = Blueprint("sales_points", __name__)


@bp.get("/sales-points")
@cached_page
def index():
    return render_template("sales_points/index.html", sales_points=queries.sales_points_overview())


@bp.get("/sales-points/<code>")
@cached_page
def show(code: str):
    point = queries.sales_point_by_code(code)
    if point is None:
        abort(404)
    return render_template("sales_points/show.html", point=point, stock=queries.products_at_sales_point(point))
