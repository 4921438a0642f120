"""`flask seed-demo --scale N`: top the catalog up to N synthetic products for benchmarks, inserted in bulk.

Each benchmark product is a demo product with a qualifier and a number (bench-00042-…), so listings,
search and the product page see realistic names, prices and facts at 10 000 products.
"""
from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import insert, select

from shop.catalog.models import (
    CERTIFICATE_MONTHS, Category, Producer, Product, ProductCertification, ProductStatus, Variant, listing_stars_on,
)
from shop.clock import add_months, today
from shop.demo.rows import (
    CATALOG_DAY, CERTIFIED_FROM, CERTIFIED_TO, PRODUCTS, SHOP_OPENED, ProductRow, at, certificate_no, day_between,
    rng,
)
from shop.extensions import db
from shop.inventory.models import Location, Stock
from shop.text import nfc, slugify

BENCH_PREFIX = "bench-"
BENCH_SKU_PREFIX = "QN-BENCH-"
#: Benchmark names: a demo product's name, a qualifier and a number.
BENCH_QUALIFIERS = (("loại 1", "grade 1"), ("loại đặc biệt", "premium grade"), ("hộp quà", "gift box"),
                    ("gói tiết kiệm", "value pack"), ("mùa mới", "new season"), ("chọn lọc", "select"))
BENCH_BATCH = 2_000


def _bench_number(slug: str) -> int | None:
    number = slug[len(BENCH_PREFIX):].split("-", 1)[0]
    return int(number) if number.isdigit() else None


def seed_synthetic(target: int) -> int:
    """Top the benchmark products up to `target` (numbers 1…target), inserted in bulk batches."""
    if target <= 0:
        return 0
    have = {_bench_number(s) for s in db.session.scalars(
        select(Product.slug).where(Product.slug.like(f"{BENCH_PREFIX}%")))}
    missing = [n for n in range(1, target + 1) if n not in have]
    if not missing:
        return 0
    context = _BenchContext.load()
    for start in range(0, len(missing), BENCH_BATCH):
        _insert_bench_batch(missing[start:start + BENCH_BATCH], context)
    return len(missing)


@dataclass
class _BenchContext:
    """What every benchmark row refers to, read once: producers, categories, locations, bases."""

    producers: dict[str, tuple[int, str]]  #: slug → (id, name)
    fallback: list[tuple[int, str]]  #: every active producer, for bases whose producer is gone
    categories: dict[int, tuple[int, str]]  #: set number → (id, name)
    producer_locations: dict[int, int]
    point_locations: list[int]
    bases: list[ProductRow]
    taken_skus: set[str]  #: benchmark SKUs already in use, never inserted twice

    @classmethod
    def load(cls) -> _BenchContext:
        rows = db.session.execute(
            select(Producer.id, Producer.slug, Producer.name).where(Producer.is_active.is_(True)).order_by(Producer.id))
        producers = {slug: (pid, name) for pid, slug, name in rows}
        if not producers:
            raise RuntimeError("Benchmark products need producers: load the demo catalog first.")
        categories = {n: (cid, name) for cid, n, name in db.session.execute(
            select(Category.id, Category.set_no, Category.name).where(Category.set_no.is_not(None)))}
        return cls(
            producers=producers, fallback=list(producers.values()), categories=categories,
            producer_locations=dict(db.session.execute(
                select(Location.producer_id, Location.id).where(Location.producer_id.is_not(None))).all()),
            point_locations=list(db.session.scalars(
                select(Location.id).where(Location.sales_point_id.is_not(None)).order_by(Location.id))),
            # Spirits are display-only and vouchers are not goods: neither makes a useful benchmark row.
            bases=[r for r in PRODUCTS if not r.is_spirit and not r.is_voucher and r.set_no in categories],
            taken_skus=set(db.session.scalars(select(Variant.sku).where(Variant.sku.like(f"{BENCH_SKU_PREFIX}%")))),
        )


def _insert_bench_batch(numbers: list[int], context: _BenchContext) -> None:
    """Insert one batch of benchmark products with their variants, certifications and stock."""
    products, variants, certifications = [], [], []
    stub_producers, stub_categories = {}, {}
    for n in numbers:
        draw = rng("bench", n)
        base = context.bases[n % len(context.bases)]
        qualifier, qualifier_en = BENCH_QUALIFIERS[(n // len(context.bases)) % len(BENCH_QUALIFIERS)]
        producer_id, producer_name = context.producers.get(base.producer) or context.fallback[n % len(context.fallback)]
        category_id, category_name = context.categories[base.set_no]
        name = nfc(f"{base.name} {qualifier} #{n:05d}")
        certified = day_between(draw, CERTIFIED_FROM, CERTIFIED_TO)
        listed = day_between(draw, SHOP_OPENED, CATALOG_DAY)
        i18n = {"en": {"name": f"{base.en[0]} {qualifier_en} #{n:05d}", "summary": base.en[1]}}
        chosen = [
            {"label": nfc(v.label), "sku": f"{BENCH_SKU_PREFIX}{n:05d}-{position + 1}", "gtin": "",
             "price_vnd": max(1_000, int(round(v.price_vnd * draw.uniform(0.85, 1.3), -3))), "weight_g": v.weight_g,
             "position": position, "is_active": True}
            for position, v in enumerate(base.variants[:draw.randint(1, 2)])
        ]
        chosen = [v for v in chosen if v["sku"] not in context.taken_skus]
        # The listing columns come from Product.refresh_derived itself, run on a throwaway copy that is never
        # added to the session, so benchmark rows match what the shop would compute.
        if producer_id not in stub_producers:
            stub_producers[producer_id] = Producer(name=producer_name)
        if category_id not in stub_categories:
            stub_categories[category_id] = Category(name=category_name)
        stand_in = Product(name=name, summary=nfc(base.summary), origin_ward_code=base.ward, i18n=i18n,
                           producer=stub_producers[producer_id], category=stub_categories[category_id],
                           variants=[Variant(label=v["label"], sku=v["sku"], price_vnd=v["price_vnd"],
                                             is_active=True) for v in chosen])
        stand_in.refresh_derived()
        products.append({
            "slug": f"{BENCH_PREFIX}{n:05d}-{slugify(f'{base.name} {qualifier}')}"[:160],
            "producer_id": producer_id, "category_id": category_id, "name": name,
            "summary": nfc(base.summary), "description": nfc(base.description), "status": ProductStatus.PUBLISHED,
            "ocop_stars": min(base.stars, 4), "ocop_certificate_no": certificate_no(draw, 4, certified),
            "ocop_certified_on": certified, "ocop_expires_on": add_months(certified, CERTIFICATE_MONTHS),
            # A bulk insert passes the ORM's events by: the rank is computed here, as models.py would.
            "listing_stars": listing_stars_on(min(base.stars, 4), certified, add_months(certified, CERTIFICATE_MONTHS),
                                              today()),
            "origin_ward_code": base.ward,
            "growing_area_code": f"VN-QNI-{base.code}-{draw.randint(1, 60):04d}" if base.plant else "",
            "traceability_code": f"QN-TX-{certified.year}-{n:06d}", "storage": nfc(base.storage),
            "shelf_life_days": base.shelf_life_days, "abv_percent": Decimal(base.abv) if base.abv else None,
            "cold_chain": base.cold_chain, "sold_online": True, "ships_abroad": base.ships_abroad,
            "price_from_vnd": stand_in.price_from_vnd, "search_text": stand_in.search_text,
            "name_folded": stand_in.name_folded, "created_at": at(listed, hour=draw.randint(8, 16)),
            "published_at": at(listed, hour=17), "facts_checked_at": at(listed, hour=17), "i18n": i18n,
        })
        variants.append(chosen)
        certifications.append(base.certs)
    # Plain executemany inserts, then one query for the new ids: far faster on SQLite than RETURNING,
    # which SQLAlchemy has to split into many small statements there.
    db.session.execute(insert(Product), products)
    ids = dict(db.session.execute(
        select(Product.slug, Product.id).where(Product.slug.in_([p["slug"] for p in products]))).all())
    product_ids = [ids[p["slug"]] for p in products]
    variant_rows = [dict(v, product_id=pid) for pid, chosen in zip(product_ids, variants) for v in chosen]
    db.session.execute(insert(Variant), variant_rows)
    ids = dict(db.session.execute(
        select(Variant.sku, Variant.id).where(Variant.sku.in_([v["sku"] for v in variant_rows]))).all())
    variant_ids = [ids[v["sku"]] for v in variant_rows]
    cert_rows = [{"product_id": pid, "code": code} for pid, codes in zip(product_ids, certifications) for code in codes]
    if cert_rows:
        db.session.execute(insert(ProductCertification), cert_rows)
    producer_of = {pid: p["producer_id"] for pid, p in zip(product_ids, products)}
    _insert_bench_stock(variant_rows, variant_ids, producer_of, context)


def _insert_bench_stock(variant_rows: list[dict], variant_ids: list[int], producer_of: dict[int, int],
                        context: _BenchContext) -> None:
    """Stock every benchmark variant at its producer, and about a third of them at one or two sales points."""
    stock = []
    for row, variant_id in zip(variant_rows, variant_ids):
        draw = rng("bench-stock", row["sku"])
        held = {context.producer_locations.get(producer_of[row["product_id"]]): draw.randint(20, 300)}
        if context.point_locations and draw.random() < 0.3:
            for location in draw.sample(context.point_locations,
                                        k=min(draw.randint(1, 2), len(context.point_locations))):
                held[location] = draw.randint(2, 40)
        stock += [{"variant_id": variant_id, "location_id": location, "quantity": quantity, "allocated": 0}
                  for location, quantity in held.items() if location is not None]
    if stock:
        db.session.execute(insert(Stock), stock)
