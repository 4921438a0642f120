"""Public catalog pages: home, product listing, search, product, producer and sales point pages."""
from __future__ import annotations

from flask import Blueprint, abort, current_app, make_response, render_template, request, send_from_directory

from shop.catalog import artwork, cards, queries, reviews, structured_data
from shop.catalog.chips import active_filters
from shop.catalog.media import FILE_NAME, media_dir
from shop.catalog.models import Certification
from shop.page_cache import cached_page
from shop.places import lowest_delivery_fee
from shop.clock import today
from shop.sales_points.province_map import province_map

bp = Blueprint("catalog", __name__)


@bp.get("/")
@cached_page
def home():
    return render_template(
        "catalog/home.html",
        five_stars=queries.highlights(5, 4),
        four_stars=queries.highlights(4, 8),
        sectors=queries.sectors(),
        sector_counts=queries.product_counts_by_sector(),
        producers=queries.producers_with_counts()[:8],
        sales_points=queries.sales_points_overview(),
    )


def _listing(template: str, filters=None, page=None, **extra):
    filters = filters or queries.ProductFilters.from_args(request.args)
    page = page or queries.list_products(filters, current_app.config["PRODUCTS_PER_PAGE"], ids_only=bool(cards.seconds()))
    category, producers = queries.category_by_slug(filters.category), queries.producers_for_filter()
    return render_template(
        template,
        filters=filters,
        page=page,
        category=category,
        chips=active_filters(filters, category, producers),
        sectors=queries.sectors(),
        wards=queries.wards_with_products(),
        producers=producers,
        certifications=list(Certification),
        star_levels=queries.STAR_LEVELS,
        sorts=queries.SORTS,
        **extra,
    )


@bp.get("/products")
@cached_page
def products():
    return _listing("catalog/products.html")


@bp.get("/search")
@cached_page
def search():
    filters = queries.ProductFilters.from_args(request.args)
    page = queries.list_products(filters, current_app.config["PRODUCTS_PER_PAGE"], ids_only=bool(cards.seconds()))
    nothing = bool(filters.q) and not page.total
    return _listing("catalog/search.html", filters, page, suggestions=queries.suggest(filters.q) if nothing else [],
                    fallback=queries.highlights(5, 4) if nothing else [])


@bp.get("/products/<slug>")
@cached_page
def product(slug: str):
    item = queries.product_by_slug(slug)
    if item is None:
        abort(404)
    points, producer_stock = queries.availability(item)
    weights = [v.weight_g or 0 for v in item.active_variants]
    # The same table checkout charges from: the lightest variant to the nearest zone is the honest "from".
    delivery_from = lowest_delivery_fee(current_app.config["SHIPPING_RATES"], min(weights)) if weights else None
    return render_template(
        "catalog/product.html", product=item, points=points, producer_stock=producer_stock, delivery_from=delivery_from,
        related=queries.more_from_producer(item),
        # The totals count the published reviews: without any, the list is not read.
        reviews=reviews.published_reviews(item.id) if item.rating_count else [],
        structured_data=structured_data.product(item, in_stock=producer_stock > 0 or bool(points)),
    )


@bp.get("/producers")
@cached_page
def producers():
    return render_template("catalog/producers.html", producers=queries.producers_with_counts())


@bp.get("/producers/<slug>")
@cached_page
def producer(slug: str):
    item = queries.producer_by_slug(slug)
    if item is None:
        abort(404)
    return render_template("catalog/producer.html", producer=item, products=queries.products_of_producer(item))


@bp.get("/products/<slug>/image.svg")
def product_image(slug: str):
    """The product's generated artwork, drawn after its product set or a word of its name, until photos come."""
    item = queries.product_for_artwork(slug)
    if item is None:
        abort(404)
    sector = item.category.parent or item.category
    place = item.origin_ward
    svg = artwork.product_svg(item.t("name"), sector.sector_code or "", item.category.colour,
                              subtitle=place.short_name if place else "", seed=item.slug,
                              subject=artwork.subject_of(item.category.set_no, item.name))
    response = make_response(svg)
    response.mimetype = "image/svg+xml"
    response.cache_control.public = True
    response.cache_control.max_age = current_app.config["ARTWORK_MAX_AGE"]
    response.headers["Content-Security-Policy"] = "default-src 'none'; style-src 'unsafe-inline'"
    response.add_etag()
    return response.make_conditional(request)


@bp.get("/sales-points")
@cached_page
def sales_points():
    points = queries.sales_points_overview()
    return render_template("catalog/sales_points.html", sales_points=points, drawing=province_map(points), today=today())


@bp.get("/sales-points/<code>")
@cached_page
def sales_point(code: str):
    point = queries.sales_point_by_code(code)
    if point is None:
        abort(404)
    return render_template("catalog/sales_point.html", point=point, stock=queries.products_at_sales_point(point),
                           today=today())


@bp.get("/media/products/<name>")
def media(name: str):
    """An uploaded product picture, re-encoded by us; its random name never changes, so cache it long."""
    if not FILE_NAME.fullmatch(name):
        abort(404)
    response = send_from_directory(media_dir(), name, mimetype="image/webp", max_age=365 * 24 * 3600)
    response.cache_control.public = True
    response.cache_control.immutable = True
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Content-Security-Policy"] = "default-src 'none'"
    return response
