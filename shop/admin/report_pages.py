"""/admin/reports: the province's reports, each a table, a chart drawn on the server and a CSV download."""
from __future__ import annotations

import csv
import io

from flask import Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from shop.admin import reports
from shop.admin.blueprint import bp


@bp.get("/reports")
def reports_home():
    dates = {key: request.args[key] for key in ("from", "to") if request.args.get(key)}
    return redirect(url_for("admin.report", kind="producers", **dates))


def _range_or_default():
    try:
        return reports.Range.read(request.args), 200
    except reports.BadRange:
        flash(_("Please check the dates: written 2026-12-31, “to” not before “from”, at most ten years apart."),
              "error")
        return reports.Range.read({}), 422


@bp.get("/reports/<kind>")
def report(kind: str):
    build = reports.REPORTS.get(kind) or abort(404)
    period, status = _range_or_default()
    return render_template("admin/reports.html", report=build(period), period=period, kind=kind,
                           menu=reports.menu()), status


#: A cell a spreadsheet would run as a formula starts with one of these: it is written as text.
_FORMULA = ("=", "+", "-", "@", "\t", "\r")


def _cell(value) -> str | int | float:
    if value is None:
        return ""
    if isinstance(value, str) and value.startswith(_FORMULA):
        return "'" + value
    return value


@bp.get("/reports/<kind>.csv")
def report_csv(kind: str):
    build = reports.REPORTS.get(kind) or abort(404)
    try:
        period = reports.Range.read(request.args)
    except reports.BadRange:
        abort(400)
    result = build(period)
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(result.columns)
    for row in result.rows:
        writer.writerow([_cell(value) for value in row])
    name = f"ocop-{kind}-{period.first.isoformat()}-{period.last.isoformat()}.csv"
    # A byte-order mark, so that spreadsheet programs read the Vietnamese names as UTF-8.
    return Response("\ufeff" + out.getvalue(), mimetype="text/csv",
                    headers={"Content-Disposition": f'attachment; filename="{name}"'})
