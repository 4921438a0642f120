"""Site-wide addresses: health check, robots.txt, sitemap.xml, policy pages."""
from __future__ import annotations

from flask import Blueprint, Response, abort, current_app, render_template
from sqlalchemy import text

from shop.catalog import queries
from shop.extensions import db
from shop.links import external_url

bp = Blueprint("site", __name__)


@bp.get("/healthz")
def healthz():
    """Tell a load balancer whether this worker can reach its database."""
    try:
        db.session.execute(text("SELECT 1"))
    except Exception as error:  # any database failure means "unhealthy", with the reason
        db.session.rollback()
        return {"status": "error", "database": type(error).__name__}, 503
    return {"status": "ok", "database": "ok"}


@bp.get("/robots.txt")
def robots():
    lines = [
        "User-agent: *",
        "Disallow: /cart", "Disallow: /checkout", "Disallow: /orders/", "Disallow: /account",
        "Disallow: /producer/", "Disallow: /desk/", "Disallow: /admin/",
        f"Sitemap: {external_url('site.sitemap')}",
    ]
    return Response("\n".join(lines) + "\n", mimetype="text/plain")


@bp.get("/sitemap.xml")
def sitemap():
    entries = queries.sitemap_entries()
    urls = [external_url("catalog.home"), external_url("catalog.products"), external_url("catalog.producers"),
            external_url("catalog.sales_points")]
    urls += [external_url("catalog.product", slug=s) for s in entries["products"]]
    urls += [external_url("catalog.producer", slug=s) for s in entries["producers"]]
    urls += [external_url("catalog.sales_point", code=c) for c in entries["sales_points"]]
    xml = render_template("site/sitemap.xml", urls=urls, languages=current_app.config["LANGUAGES"])
    return Response(xml, mimetype="application/xml")


@bp.get("/about")
def about():
    """What the shop is, who runs it, and why the demo data is illustrative."""
    return render_template("site/about.html")


#: The policies a Vietnamese e-commerce site must publish (Decree 52/2013 as amended by Decree 85/2021:
#: general terms, delivery, payment, returns, complaints; Decree 13/2023: privacy).
POLICIES = ("terms", "shipping", "payment", "returns", "complaints", "privacy")


@bp.get("/privacy")
def privacy():
    """What personal data is processed, why, by whom, how long, and the visitor's rights (Decree 13/2023)."""
    return render_template("site/policy_privacy.html", policies=POLICIES)


@bp.get("/policies/<name>")
def policy(name: str):
    if name not in POLICIES:
        abort(404)
    return render_template(f"site/policy_{name}.html", policies=POLICIES)
