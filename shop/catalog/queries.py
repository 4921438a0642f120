"""The one home of catalog reads: listings, filters, search, product and producer pages."""
from __future__ import annotations

import difflib
import hashlib
import math
import threading
import time
from collections import OrderedDict
from dataclasses import dataclass, field

from flask import current_app
from sqlalchemy import and_, case, func, select
from sqlalchemy.orm import joinedload, load_only, selectinload
from werkzeug.datastructures import MultiDict

from shop import shared_cache
from shop.catalog import ranking, search
from shop.catalog.models import Category, Certification, Producer, Product, ProductCertification, ProductStatus, SHOWN_STATUSES, Variant, today
from shop.extensions import db
from shop.input_guard import MAX_ID
from shop.inventory.models import Location, LocationKind, Stock
from shop.places import quang_ninh_wards
from shop.sales_points.models import SalesPoint
from shop.text import fold, search_terms

SORTS = ("relevance", "price_asc", "price_desc", "newest", "stars")
STAR_LEVELS = (5, 4, 3)
#: Longest query we look at; longer input is cut, not refused.
MAX_QUERY_LENGTH = 100


def _int_or_none(value: str | None, low: int = 0, high: int = MAX_ID) -> int | None:
    try:
        number = int(str(value).replace(".", "").replace(",", "").strip())
    except (TypeError, ValueError):
        return None
    return number if low <= number <= high else None


@dataclass
class ProductFilters:
    """What a listing URL asks for; unknown or malformed values are dropped, never fatal."""

    q: str = ""
    category: str | None = None
    stars: list[int] = field(default_factory=list)
    ward: str | None = None
    producer: str | None = None
    price_min: int | None = None
    price_max: int | None = None
    cert: list[str] = field(default_factory=list)
    sort: str = "relevance"
    page: int = 1

    @classmethod
    def from_args(cls, args: MultiDict) -> ProductFilters:
        q = " ".join((args.get("q") or "").split())[:MAX_QUERY_LENGTH]
        stars = sorted({s for s in (_int_or_none(v, 3, 5) for v in args.getlist("stars")) if s}, reverse=True)
        certs = [c for c in dict.fromkeys(args.getlist("cert")) if c in Certification._value2member_map_]
        ward_code = args.get("ward") if args.get("ward") in quang_ninh_wards() else None
        sort = args.get("sort") if args.get("sort") in SORTS else "relevance"
        price_min = _int_or_none(args.get("price_min"))
        price_max = _int_or_none(args.get("price_max"))
        if price_min is not None and price_max is not None and price_min > price_max:
            price_min, price_max = price_max, price_min
        return cls(
            q=q, category=(args.get("category") or None), stars=stars, ward=ward_code,
            producer=(args.get("producer") or None), price_min=price_min, price_max=price_max,
            cert=certs, sort=sort, page=_int_or_none(args.get("page"), 1, 10_000) or 1,
        )

    @property
    def where(self) -> tuple:
        """What decides which products match (not their order nor the page), hashable: a cache key."""
        return (tuple(search_terms(self.q)), self.category, tuple(self.stars), self.ward, self.producer,
                self.price_min, self.price_max, tuple(self.cert))

    @property
    def is_filtered(self) -> bool:
        return bool(self.category or self.stars or self.ward or self.producer or self.cert
                    or self.price_min is not None or self.price_max is not None)


@dataclass
class Page:
    items: list
    total: int
    page: int
    per_page: int

    @property
    def pages(self) -> int:
        return max(1, math.ceil(self.total / self.per_page))

    @property
    def has_prev(self) -> bool:
        return self.page > 1

    @property
    def has_next(self) -> bool:
        return self.page < self.pages

    def window(self, size: int = 2) -> list[int | None]:
        """Page numbers to show, with None for a gap: 1 … 4 5 6 … 20."""
        shown = {1, self.pages, *range(self.page - size, self.page + size + 1)}
        numbers, last = [], 0
        for n in sorted(p for p in shown if 1 <= p <= self.pages):
            if n - last > 1:
                numbers.append(None)
            numbers.append(n)
            last = n
        return numbers


#: Most results one cached function keeps (one per database and argument list), the least recently used dropped.
CACHED_RESULTS = 256


def _cached(compute=None, *, decode=None):
    """Keep a small, slowly changing result (filter choices, a listing's count) in this worker for
    FILTER_CACHE_SECONDS, and only while the catalogue's version (shop/shared_cache.py) and Vietnam's day are the
    ones it was computed under: an edit on any host (with a shared store) or midnight makes the next request
    compute it again. One entry per database and arguments, at most CACHED_RESULTS of them. With Redis the result
    (JSON, turned back by `decode`) is also shared: computed once per change for every worker and host."""
    if compute is None:
        return lambda function: _cached(function, decode=decode)
    state: OrderedDict = OrderedDict()
    lock = threading.Lock()
    finish = decode or (lambda value: value)

    def get(*args):
        seconds = current_app.config["FILTER_CACHE_SECONDS"]
        if not seconds:
            return finish(compute(*args))
        now, day = time.monotonic(), today()
        version = (shared_cache.version(), day)
        key = (db.engine.url.render_as_string(), args)
        hit = state.get(key)
        if hit is None or hit[0] < now or hit[1] != version:
            name = ":".join([compute.__name__, day.isoformat(),
                             *([hashlib.sha1(repr(args).encode()).hexdigest()] if args else [])])
            hit = (now + seconds, version, finish(shared_cache.shared_value(name, lambda: compute(*args), seconds)))
        with lock:
            state[key] = hit
            state.move_to_end(key)
            while len(state) > CACHED_RESULTS:
                state.popitem(last=False)
        return hit[2]

    return get


#: A product the shop shows and sells: published, by a producer the office has not deactivated.
LISTED = and_(Product.status == ProductStatus.PUBLISHED,
              Product.producer_id.in_(select(Producer.id).where(Producer.is_active.is_(True))))


def _published():
    return select(Product).where(LISTED)


#: What a product card reads (templates/_macros.html product_card, and can_buy_online for the cart's suggestions):
#: the long texts (description, search text, storage…) of a ~1 KB row stay in the database.
CARD_COLUMNS = (
    Product.id, Product.slug, Product.producer_id, Product.category_id, Product.name, Product.i18n, Product.status,
    Product.ocop_stars, Product.listing_stars, Product.ocop_certified_on, Product.ocop_expires_on,
    Product.sold_when_expired, Product.origin_ward_code, Product.abv_percent, Product.cold_chain, Product.sold_online,
    Product.ships_abroad, Product.price_from_vnd, Product.rating_sum, Product.rating_count,
)


def _card_options():
    # A card shows the producer and "from" before the price of a product with several variants:
    # load them with the page, not one query per card.
    return (load_only(*CARD_COLUMNS),
            joinedload(Product.producer).load_only(Producer.id, Producer.slug, Producer.name, Producer.is_active),
            selectinload(Product.variants), selectinload(Product.images))


def current_stars_clause(stars: list[int]):
    """Products holding one of these star levels on a certificate valid today (the rank's index finds them; the
    dates still decide, so a rank left over from an ended certificate never counts)."""
    day = today()
    return and_(Product.listing_stars.in_(stars), Product.ocop_stars.in_(stars), Product.ocop_certified_on <= day,
                Product.ocop_expires_on >= day)


def _current_stars():
    """Stars that count today, an ended certificate's as 0: the stored rank (indexed) while every rank is current,
    the certificate dates themselves while a certificate has ended since the ranks were last moved."""
    return ranking.stars_on(today()) if _ranks_are_stale() else Product.listing_stars


def category_by_slug(slug: str | None) -> Category | None:
    if not slug:
        return None
    return db.session.scalar(select(Category).where(Category.slug == slug).options(selectinload(Category.children)))


def producer_by_slug(slug: str | None) -> Producer | None:
    if not slug:
        return None
    return db.session.scalar(select(Producer).where(Producer.slug == slug, Producer.is_active.is_(True)))


def _text_match(terms: list[str]):
    return search.matches(terms)


def _relevance(terms: list[str]):
    """0: the whole phrase is in the name; 1: every word is; 2: found elsewhere (producer, place…)."""
    phrase = " ".join(terms)
    return case(
        (Product.name_folded.contains(phrase, autoescape=True), 0),
        (and_(*(Product.name_folded.contains(t, autoescape=True) for t in terms)), 1),
        else_=2,
    )


def _matching(where: tuple):
    """Published products matching a listing's filters (ProductFilters.where), in no order."""
    terms, category_slug, stars, ward, producer, price_min, price_max, certs = where
    stmt = _published()
    if terms:
        stmt = stmt.where(_text_match(list(terms)))
    category = category_by_slug(category_slug)
    if category is not None:
        ids = [category.id] + [c.id for c in category.children]
        stmt = stmt.where(Product.category_id.in_(ids))
    if stars:
        stmt = stmt.where(current_stars_clause(list(stars)))
    if ward:
        stmt = stmt.where(Product.origin_ward_code == ward)
    if producer:
        stmt = stmt.where(Product.producer_id == select(Producer.id).where(Producer.slug == producer).scalar_subquery())
    if price_min is not None:
        stmt = stmt.where(Product.price_from_vnd >= price_min)
    if price_max is not None:
        stmt = stmt.where(Product.price_from_vnd <= price_max)
    for code in certs:
        stmt = stmt.where(Product.certifications.any(ProductCertification.code == code))
    return stmt


@_cached
def _total(where: tuple) -> int:
    # Counting every match is the one read that grows with the catalogue: once per filters, version and day.
    return db.session.scalar(select(func.count()).select_from(_matching(where).with_only_columns(Product.id).subquery()))


def list_products(filters: ProductFilters, per_page: int, ids_only: bool = False) -> Page:
    """One page of published products matching the filters, in the asked order (their ids only, for cached cards:
    shop/catalog/cards.py)."""
    terms = search_terms(filters.q)
    where = filters.where
    stmt = _matching(where)
    total = _total(where)
    # Each order walks an index in its own directions (models.py), so a page reads its 24 rows and stops.
    if filters.sort == "price_asc":
        order = (Product.price_from_vnd.asc(), Product.id.asc())
    elif filters.sort == "price_desc":
        order = (Product.price_from_vnd.desc(), Product.id.asc())
    elif filters.sort == "newest":
        order = (Product.created_at.desc(), Product.id.desc())
    elif filters.sort == "stars":
        order = (_current_stars().desc(), Product.ocop_expires_on.desc(), Product.id.asc())
    else:  # relevance: name matches first, then the best-rated on a valid certificate
        order = ((_relevance(terms),) if terms else ()) + (_current_stars().desc(), Product.id.asc())
    page_no = min(filters.page, max(1, math.ceil(total / per_page)))
    stmt = stmt.with_only_columns(Product.id) if ids_only else stmt.options(*_card_options())
    items = db.session.scalars(stmt.order_by(*order).limit(per_page).offset((page_no - 1) * per_page)).all()
    return Page(items=list(items), total=total, page=page_no, per_page=per_page)


def products_for_cards(ids: list[int]) -> list[Product]:
    """The listed products among these ids, loaded with what their cards show (in no particular order)."""
    return list(db.session.scalars(_published().where(Product.id.in_(ids)).options(*_card_options())))


def suggest(query: str, limit: int = 3) -> list[str]:
    """Spellings close to a query that found nothing, built from the words of product names."""
    terms = search_terms(query)
    if not terms:
        return []
    vocabulary = set()
    for name in db.session.scalars(select(Product.name_folded).where(LISTED).limit(20_000)):
        vocabulary.update(name.split())
    fixed = []
    for term in terms:
        close = difflib.get_close_matches(term, vocabulary, n=1, cutoff=0.7)
        fixed.append(close[0] if close else term)
    suggestions = []
    if fixed != terms:
        candidate = " ".join(fixed)
        if db.session.scalar(select(func.count()).select_from(_published().where(_text_match(fixed)).subquery())):
            suggestions.append(candidate)
    if len(terms) > 1:  # fewer words often find something
        for term in sorted(terms, key=len, reverse=True):
            if term not in suggestions and db.session.scalar(
                select(func.count()).select_from(_published().where(_text_match([term])).subquery())
            ):
                suggestions.append(term)
    return suggestions[:limit]


def highlights(stars: int, limit: int) -> list[Product]:
    """Published products holding a current certificate at this star level."""
    return list(db.session.scalars(
        _published().where(current_stars_clause([stars])).options(*_card_options())
        .order_by(Product.ocop_certified_on.desc(), Product.id).limit(limit)
    ))


def sectors() -> list[Category]:
    """The six OCOP sectors with their product sets, in the national order."""
    return list(db.session.scalars(
        select(Category).where(Category.parent_id.is_(None)).options(selectinload(Category.children))
        .order_by(Category.position)
    ))


@_cached(decode=lambda counts: {int(sector): n for sector, n in counts.items()})  # JSON keys are text
def product_counts_by_sector() -> dict[int, int]:
    """Published products per OCOP sector (a product belongs to a product set of one sector)."""
    sector_id = func.coalesce(Category.parent_id, Category.id)
    rows = db.session.execute(
        select(sector_id, func.count(Product.id)).join(Product, Product.category_id == Category.id)
        .where(LISTED).group_by(sector_id)
    )
    return dict(rows.all())


@_cached
def _ranks_are_stale() -> bool:
    # Ranks go stale only by the calendar (every write sets them for the day): once per day and version is enough.
    return ranking.has_stale_ranks()


def _wards(codes: list[str]) -> list:
    wards = quang_ninh_wards()
    return [wards[code] for code in codes]


@_cached(decode=_wards)
def wards_with_products() -> list:
    codes = db.session.scalars(select(Product.origin_ward_code).where(LISTED).distinct())
    wards = quang_ninh_wards()
    return [w.code for w in sorted((wards[c] for c in codes if c in wards), key=lambda w: fold(w.short_name))]


@_cached(decode=lambda rows: [tuple(row) for row in rows])
def producers_for_filter() -> list[tuple[str, str]]:
    rows = db.session.execute(
        select(Producer.slug, Producer.name).where(Producer.is_active.is_(True)).order_by(Producer.name_sort)
    )
    return [(slug, name) for slug, name in rows]


def product_by_slug(slug: str) -> Product | None:
    """A published product with everything its page shows (its OCOP decisions joined in), in four queries."""
    return db.session.scalars(
        _published().where(Product.slug == slug).options(
            joinedload(Product.producer), joinedload(Product.category).joinedload(Category.parent),
            joinedload(Product.certificates),
            selectinload(Product.variants), selectinload(Product.certifications), selectinload(Product.images),
        )
    ).unique().first()


@dataclass
class PointStock:
    sales_point: SalesPoint
    available: int


def availability(product: Product) -> tuple[list[PointStock], int]:
    """Sales points holding the product now, and how many the producer can send."""
    variant_ids = [v.id for v in product.active_variants]
    if not variant_ids:
        return [], 0
    free = func.sum(Stock.quantity - Stock.allocated)
    rows = db.session.execute(
        select(Location.kind, Location.sales_point_id, free)
        .join(Stock, Stock.location_id == Location.id)
        .where(Stock.variant_id.in_(variant_ids))
        .group_by(Location.kind, Location.sales_point_id)
    ).all()
    at_points = {sp_id: n for kind, sp_id, n in rows if kind == LocationKind.SALES_POINT and n > 0}
    at_producer = sum(n for kind, _, n in rows if kind == LocationKind.PRODUCER)
    points = db.session.scalars(
        select(SalesPoint).where(SalesPoint.id.in_(at_points), SalesPoint.is_active.is_(True)).order_by(SalesPoint.code)
    ) if at_points else []
    return [PointStock(p, at_points[p.id]) for p in points], max(at_producer, 0)


def more_from_producer(product: Product, limit: int = 4) -> list[Product]:
    return list(db.session.scalars(
        _published().where(Product.producer_id == product.producer_id, Product.id != product.id)
        .options(*_card_options()).order_by(_current_stars().desc(), Product.id).limit(limit)
    ))


def suggestions_for_cart(in_cart: list[Product], limit: int = 4) -> list[Product]:
    """Products to offer beside a cart: the same product sets first, one per producer, other producers before the
    cart's own; none already in it, only what can be bought online."""
    if not in_cart:
        return []
    same_set = case((Product.category_id.in_({p.category_id for p in in_cart}), 0), else_=1)
    same_producer = case((Product.producer_id.in_({p.producer_id for p in in_cart}), 1), else_=0)
    rows = db.session.scalars(
        _published().where(Product.id.not_in({p.id for p in in_cart})).options(*_card_options())
        .order_by(same_set, same_producer, _current_stars().desc(), Product.id).limit(limit * 6)
    ).all()
    chosen, producers = [], set()
    for product in rows:
        if product.producer_id not in producers and product.can_buy_online and product.active_variants:
            chosen.append(product)
            producers.add(product.producer_id)
    return chosen[:limit]


def producers_with_counts() -> list[tuple[Producer, int]]:
    count = (
        select(func.count(Product.id))
        .where(Product.producer_id == Producer.id, Product.status == ProductStatus.PUBLISHED)
        .correlate(Producer).scalar_subquery()
    )
    rows = db.session.execute(
        select(Producer, count).where(Producer.is_active.is_(True)).order_by(Producer.name_sort)
    )
    return [(p, n) for p, n in rows]


def products_of_producer(producer: Producer) -> list[Product]:
    return list(db.session.scalars(
        _published().where(Product.producer_id == producer.id).options(*_card_options())
        .order_by(_current_stars().desc(), Product.name_folded)
    ))


def products_at_sales_point(point: SalesPoint, limit: int = 200) -> list[tuple[Product, int]]:
    """Products the point holds now (free stock > 0), with how many."""
    held = (
        select(Variant.product_id, func.sum(Stock.quantity - Stock.allocated).label("free"))
        .join(Stock, Stock.variant_id == Variant.id)
        .join(Location, Location.id == Stock.location_id)
        .where(Location.sales_point_id == point.id, Variant.is_active.is_(True))
        .group_by(Variant.product_id)
        .having(func.sum(Stock.quantity - Stock.allocated) > 0)
        .subquery()
    )
    rows = db.session.execute(
        _published().add_columns(held.c.free).join(held, held.c.product_id == Product.id)
        .options(*_card_options()).order_by(_current_stars().desc(), Product.id).limit(limit)
    ).all()
    return [(p, n) for p, n in rows]


def sitemap_entries() -> dict[str, list[str]]:
    """Slugs and codes of every public page that sitemap.xml lists."""
    return {
        "products": list(db.session.scalars(select(Product.slug).where(LISTED).order_by(Product.id))),
        "producers": list(db.session.scalars(select(Producer.slug).where(Producer.is_active.is_(True)).order_by(Producer.id))),
        "sales_points": list(db.session.scalars(select(SalesPoint.code).where(SalesPoint.is_active.is_(True)).order_by(SalesPoint.code))),
    }



def sales_points_overview() -> list[SalesPoint]:
    return list(db.session.scalars(select(SalesPoint).where(SalesPoint.is_active.is_(True))
                                   .options(selectinload(SalesPoint.closures)).order_by(SalesPoint.code)))


def sales_point_by_code(code: str) -> SalesPoint | None:
    return db.session.scalar(select(SalesPoint).where(SalesPoint.code == code.upper(), SalesPoint.is_active.is_(True)))


def product_for_artwork(slug: str) -> Product | None:
    return db.session.scalar(
        select(Product).where(Product.slug == slug, Product.status.in_(SHOWN_STATUSES))
        .options(joinedload(Product.category).joinedload(Category.parent))
    )
