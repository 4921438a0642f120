"""`flask seed-demo`: a complete, fictional, deterministic catalog that a second run leaves alone."""
from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
import unicodedata
from collections import Counter, defaultdict
from decimal import Decimal

from sqlalchemy import func, select

from shop.catalog.models import Category, Certification, Producer, Product, ProductCertification, Variant, today
from shop.clock import add_months
from shop.demo.load import ean13, seed_demo, stock_plan
from shop.demo.rows import (
    AREAS, CERTIFIED_FROM, PRODUCERS, PRODUCT_SETS, PRODUCTS, SALES_POINTS, SECTORS, SOLD_OUT_SKUS, sku,
)
from shop.extensions import db
from shop.inventory.models import Location, Stock
from shop.places import quang_ninh_wards
from shop.sales_points.models import PickupMode, SalesPoint

# ---- the tables themselves (no database) ---------------------------------------------------------


def _texts(value):
    """Every string inside a row, however deeply nested."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, (tuple, list)):
        for item in value:
            yield from _texts(item)
    elif isinstance(value, dict):
        for item in value.values():
            yield from _texts(item)
    elif hasattr(value, "__dataclass_fields__"):
        for name in value.__dataclass_fields__:
            yield from _texts(getattr(value, name))


def test_every_demo_text_is_nfc():
    for row in (*SECTORS, *PRODUCT_SETS, *PRODUCERS, *PRODUCTS, *SALES_POINTS):
        for text in _texts(row):
            assert unicodedata.is_normalized("NFC", text), text


def test_add_months_keeps_the_day_or_clamps_it_to_the_month_end():
    assert add_months(dt.date(2024, 5, 16), 36) == dt.date(2027, 5, 16)
    assert add_months(dt.date(2024, 1, 31), 1) == dt.date(2024, 2, 29)
    assert add_months(dt.date(2023, 1, 31), 1) == dt.date(2023, 2, 28)
    assert add_months(dt.date(2024, 12, 15), 1) == dt.date(2025, 1, 15)
    assert add_months(dt.date(2024, 2, 29), 36) == dt.date(2027, 2, 28)


def test_ean13_check_digit():
    assert ean13("400638133393") == "4006381333931"
    assert ean13("590123412345") == "5901234123457"


def test_the_catalog_covers_every_sector_and_product_set():
    assert [s[0] for s in SECTORS] == ["I", "II", "III", "IV", "V", "VI"]
    assert [s[0] for s in PRODUCT_SETS] == list(range(1, 27))
    assert {s[1] for s in PRODUCT_SETS} == {s[0] for s in SECTORS}


def _luminance(colour: str) -> float:
    def channel(c: int) -> float:
        c = c / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4
    r, g, b = (int(colour[i:i + 2], 16) for i in (1, 3, 5))
    return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)


def test_sector_colours_are_distinct_and_readable_under_white_text():
    colours = [s[5] for s in SECTORS]
    assert len(set(colours)) == 6
    for colour in colours:
        assert re.fullmatch(r"#[0-9a-f]{6}", colour)
        assert 1.05 / (_luminance(colour) + 0.05) >= 4.5, colour


def test_producers_are_many_fictional_and_spread_over_the_province():
    wards = quang_ninh_wards()
    assert len(PRODUCERS) >= 28
    assert len({p.slug for p in PRODUCERS}) == len(PRODUCERS)
    assert all(p.ward in wards for p in PRODUCERS)
    assert len({p.ward for p in PRODUCERS}) >= 20
    assert all(p.story and p.story_en for p in PRODUCERS)
    used = {p.producer for p in PRODUCTS}
    assert used == {p.slug for p in PRODUCERS}, "every producer makes something, every product has a producer"


#: Businesses named as real in the domain notes (§1.5, §7), and their brands.
REAL_PRODUCERS = ("Ngọc trai Hạ Long", "Quy Hoa", "Đạp Thanh", "Thương mại và Dịch vụ Bình Liêu", "Phát triển Xanh",
                  "Mạnh Hà", "Phúc Long", "Long Hải", "Thuấn Quỳnh", "Quang Vinh", "Việt Hoàng", "Thanh Tùng",
                  "Newstar", "Thiên Thuận Tường", "Đồng Tiến", "Lê Minh", "Phương Thùy", "Việt Tú",
                  "Dược liệu Đông Bắc", "Nước khoáng Quang Hanh", "Nước mắm Cái Rồng", "Hải sản Vân Đồn",
                  "Lâm sản ngoài gỗ Ba Chẽ", "Bia – Rượu", "Thủy sản Quảng Ninh")
#: Place names (Quang Hanh, Cái Rồng) may name a product; these brands may not.
REAL_BRANDS = ("Quy Hoa", "Vietcor", "Quý Chuẩn", "Phương Thùy", "Việt Tú", "Quang Vinh", "Bavabi", "Fresh")


def test_no_real_business_or_brand_name_appears():
    for producer in PRODUCERS:
        assert not any(real in producer.name for real in REAL_PRODUCERS), producer.name
    for product in PRODUCTS:
        assert not any(brand in product.name for brand in REAL_BRANDS), product.name


def test_products_follow_the_draft_catalog_and_its_rules():
    wards = quang_ninh_wards()
    assert len(PRODUCTS) >= 54
    assert len({p.slug for p in PRODUCTS}) == len(PRODUCTS)
    skus = [sku(p.code, v.suffix) for p in PRODUCTS for v in p.variants]
    assert len(set(skus)) == len(skus)
    assert all(re.fullmatch(r"QN-[A-Z0-9]+-[A-Z0-9]+", sku) for sku in skus)
    for p in PRODUCTS:
        assert p.ward in wards and 3 <= p.stars <= 5 and 1 <= len(p.variants) <= 3
        assert all(len(text) > 20 for text in (p.summary, p.description, *p.en[1:])), p.name
        assert all(price % 1000 == 0 and price > 0 for _, _, price, _ in p.variants), p.name
        # Nothing of animal origin, no honey, no alcohol and nothing chilled goes abroad.
        if p.ships_abroad:
            assert not p.cold_chain and p.abv is None and p.set_no not in (2, 4, 8, 9), p.name
    spirits = [p for p in PRODUCTS if p.is_spirit]
    assert len(spirits) >= 5 and all(15 <= float(p.abv) <= 40 for p in spirits)
    assert sum(p.cold_chain for p in PRODUCTS) >= 10
    assert sum(p.is_voucher for p in PRODUCTS) == 2
    certs = Counter(c for p in PRODUCTS for c in p.certs)
    assert certs[Certification.VIETGAP] >= 8 and certs[Certification.ORGANIC] >= 4


def test_exactly_two_certificates_are_left_to_expire():
    expired = [p for p in PRODUCTS if p.certified_on and add_months(p.certified_on, 36) < dt.date(2026, 1, 1)]
    assert len(expired) == 2
    # Every other certificate was granted recently enough to be current until 2027.
    assert CERTIFIED_FROM >= dt.date(2024, 1, 1)


def test_the_23_sales_points_sit_in_quang_ninh_with_hours_and_pickup_modes():
    wards = quang_ninh_wards()
    assert len(SALES_POINTS) == 23 and len({s.code for s in SALES_POINTS}) == 23
    modes = Counter(s.mode for s in SALES_POINTS)
    # The cruise port and the airport, where tourists are, take pickups too (issue 14): no point is counter-only.
    assert modes[PickupMode.OFF] == 0 and 4 <= modes[PickupMode.OWN_STOCK] <= 5
    for point in SALES_POINTS:
        assert re.fullmatch(r"[A-Z]{2}\d{2}", point.code) and point.code[:2] in AREAS
        assert point.ward in wards and point.ward in AREAS[point.code[:2]]
        assert 20.6 < point.lat < 21.7 and 106.4 < point.lng < 108.1, point.code
        assert all(re.fullmatch(r"(Mo|Tu|We|Th|Fr|Sa|Su)(-(Mo|Tu|We|Th|Fr|Sa|Su))? \d\d:\d\d-\d\d:\d\d", line)
                   for line in point.hours.splitlines()), point.hours
        assert "&" not in point.street and "'" not in point.street  # shown verbatim, never escaped


def test_areas_group_all_54_wards_once():
    codes = [c for group in AREAS.values() for c in group]
    assert sorted(codes) == sorted(quang_ninh_wards())


def test_stock_plan_holds_spirits_at_three_points_and_never_holds_sold_out_variants():
    points_by_sku = defaultdict(set)
    for code, (kind, owner), quantity in stock_plan():
        if kind == "point":
            points_by_sku[code].add(owner)
            assert 2 <= quantity <= 40
        else:
            assert quantity == 0 if code in SOLD_OUT_SKUS else 20 <= quantity <= 300
    for p in PRODUCTS:
        if p.is_spirit:
            assert len(points_by_sku[sku(p.code, p.variants[0].suffix)]) >= 3, p.name
    assert not SOLD_OUT_SKUS & set(points_by_sku)
    assert len({point for points in points_by_sku.values() for point in points}) >= 10
    assert stock_plan() == stock_plan()  # deterministic


# ---- loading into a database ---------------------------------------------------------------------


def _count(model, *where) -> int:
    return db.session.scalar(select(func.count()).select_from(model).where(*where))


def test_seed_loads_the_catalog_and_a_second_run_adds_nothing(app):
    first = seed_demo()
    assert first.startswith(f"Demo catalog: {len(PRODUCERS)} producers, {len(PRODUCTS)} products, 23 sales points (")
    counts = {m: _count(m) for m in (Category, Producer, Product, Variant, ProductCertification, SalesPoint,
                                     Location, Stock)}
    assert counts[Category] == 32 and counts[Location] == len(PRODUCERS) + 23

    assert seed_demo().endswith("(0 added)")
    assert {m: _count(m) for m in counts} == counts

    assert _count(Producer, Producer.is_fictional.is_(False)) == 0
    assert _count(Product, Product.ocop_expires_on < today()) == 2
    assert _count(Product, Product.abv_percent >= 15, Product.sold_online.is_(True)) == 0
    assert _count(Stock, Stock.quantity == 0) == len(SOLD_OUT_SKUS)
    assert _count(Variant, Variant.gtin != "") > 80


def test_seeded_products_carry_the_listing_columns_refresh_derived_computes(app):
    seed_demo(scale=12)
    for product in db.session.scalars(select(Product)):
        stored = (product.price_from_vnd, product.search_text, product.name_folded)
        product.refresh_derived()
        assert (product.price_from_vnd, product.search_text, product.name_folded) == stored, product.slug
        assert product.price_from_vnd > 0
        assert all(len(v.gtin) == 0 or (v.gtin.startswith("893") and ean13(v.gtin[:12]) == v.gtin)
                   for v in product.variants)
    db.session.rollback()


def test_a_second_run_never_overwrites_what_an_operator_changed_and_restores_what_is_missing(app):
    seed_demo()
    noodles = db.session.scalar(select(Product).where(Product.slug == "mien-dong-binh-lieu"))
    noodles.name = "Miến dong Bình Liêu (vụ mới)"
    noodles.variants[0].price_vnd = 95_000
    stock = db.session.scalar(select(Stock).where(Stock.variant_id == noodles.variants[0].id).limit(1))
    stock.quantity = 7
    honey = db.session.scalar(select(Product).where(Product.slug == "mat-ong-rung-binh-lieu"))
    db.session.delete(honey)
    db.session.commit()

    report = seed_demo()
    assert not report.endswith("(0 added)")
    db.session.expire_all()
    assert noodles.name == "Miến dong Bình Liêu (vụ mới)" and noodles.variants[0].price_vnd == 95_000
    assert stock.quantity == 7
    honey = db.session.scalar(select(Product).where(Product.slug == "mat-ong-rung-binh-lieu"))
    assert honey is not None and len(honey.variants) == 2
    assert _count(Stock, Stock.variant_id.in_([v.id for v in honey.variants])) >= 2
    assert seed_demo().endswith("(0 added)")


def test_scale_tops_up_synthetic_products_without_duplicates(app):
    seed_demo(scale=30)
    report = seed_demo(scale=50)
    assert report.endswith("benchmark: 50 synthetic products (20 added)")
    assert seed_demo(scale=10).endswith("benchmark: 50 synthetic products (0 added)")
    bench = Product.slug.like("bench-%")
    assert _count(Product, bench) == 50
    slugs = db.session.scalars(select(Product.slug).where(bench).order_by(Product.slug)).all()
    assert [s[:11] for s in slugs] == [f"bench-{n:05d}" for n in range(1, 51)]
    # Every synthetic variant is held by its producer.
    unstocked = select(Variant.id).join(Product).where(bench).except_(
        select(Stock.variant_id).join(Location).where(Location.producer_id.is_not(None)))
    assert db.session.execute(unstocked).all() == []


def test_the_demo_search_finds_synthetic_products_too(app):
    from shop.catalog.queries import ProductFilters, list_products
    from werkzeug.datastructures import MultiDict

    seed_demo(scale=60)
    page = list_products(ProductFilters.from_args(MultiDict({"q": "mien dong loai 1"})), per_page=50)
    assert any(p.slug.startswith("bench-") for p in page.items)



#: What the demo loaded before its rows moved from Python into TOML files: a digest of every row of the tables
#: below, in id order. Changing the demo data on purpose changes it; loading the same data differently must not.
#: Changed on purpose when decision numbers became DEMO-… and 3★ dates moved after July 2025 (issue 12 item 11),
#: and when every product got its storage note and variant labels in en/zh/ko (issue 14 item 8: only
#: product.i18n, product.search_text and variant.i18n changed), and when the cruise port and Vân Đồn airport took
#: pickups with travellers' hours and points got short names in every language (issue 14 item 6).
FINGERPRINT = "b1dc737ad02b0866b43bc4ffdf05e313325ba45f79fc6f1d291a9592a1c0414f"
FINGERPRINT_SCALE_40 = "56181e9ee954e7c17f79a2e3d1ec02ad3d6be94d9f49726da5c0c63536a72819"
#: Columns added since, which the demo leaves empty or derives from the rows above (name_folded from name;
#: listing_stars from the stars, the certificate dates and today's date).
LATER_COLUMNS = {"producer": {"name_folded", "bank_bin", "bank_account", "bank_account_name"},
                 "sales_point": {"short_name", "weekly_hours", "town"},
                 "product": {"rating_sum", "rating_count", "listing_stars"}}
FINGERPRINTED = ("category", "producer", "sales_point", "location", "product", "product_certification", "variant",
                 "stock")


def _plain(value):
    """A stored value as the same text on SQLite and PostgreSQL."""
    if isinstance(value, dt.datetime):
        return (value if value.tzinfo else value.replace(tzinfo=dt.UTC)).astimezone(dt.UTC).isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value.normalize())
    if isinstance(value, float):
        return repr(round(value, 6))
    return value


def _fingerprint() -> str:
    tables = {t.name: t for t in db.Model.metadata.sorted_tables if t.name in FINGERPRINTED}
    dump = {}
    for name, table in tables.items():
        columns = sorted(c.name for c in table.columns if c.name not in LATER_COLUMNS.get(name, ()))
        rows = db.session.execute(select(table).order_by(*table.primary_key.columns)).mappings()
        dump[name] = [[_plain(row[c]) for c in columns] for row in rows]
    text = json.dumps(dump, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(text.encode()).hexdigest()


def test_the_loaded_catalog_is_row_for_row_what_it_always_was(app):
    seed_demo()
    assert _fingerprint() == FINGERPRINT
    seed_demo(scale=40)
    assert _fingerprint() == FINGERPRINT_SCALE_40


def test_seeded_products_rank_by_their_current_stars_the_bulk_ones_too(app):
    """The demo's products go in through the ORM, the benchmark's in bulk: both get the rank the models would give."""
    from shop.catalog.models import Product, listing_stars_on
    from shop.clock import today

    seed_demo(scale=40)
    rows = db.session.execute(select(Product.slug, Product.ocop_stars, Product.ocop_certified_on,
                                     Product.ocop_expires_on, Product.listing_stars)).all()
    assert any(r.slug.startswith("bench-") for r in rows)
    assert all(r.listing_stars == listing_stars_on(r.ocop_stars, r.ocop_certified_on, r.ocop_expires_on, today())
               for r in rows)
    assert {r.listing_stars for r in rows} >= {0, 3, 4, 5}
