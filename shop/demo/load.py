"""`flask seed-demo`: load the demo catalog of the TOML files beside this module, and top up benchmark products.

It runs in one transaction and a second run adds nothing: rows are found by their natural keys (sector
code, set number, slug, SKU, sales point code) and only missing ones are inserted; rows that exist are
never touched, so an operator's edits survive.

Products and prices follow the draft catalog in the domain notes (§7), but every producer is invented (and
flagged `is_fictional`) so that no estimated price stands beside a real business; brand names of real
businesses are left out of product names for the same reason.
"""
from __future__ import annotations

import datetime as dt
from decimal import Decimal

from sqlalchemy import func, insert, select

from shop.catalog.models import (
    Category, Certificate, Producer, ProducerKind, Product, ProductCertification, ProductStatus, Variant,
    certificate_expiry,
)
from shop.demo.scale import BENCH_PREFIX, seed_synthetic
from shop.demo.rows import (
    AREAS, CATALOG_DAY, CERTIFIED_FROM, CERTIFIED_TO, COLD_ROOM_POINTS, DISTRICTS_ENDED, PRODUCERS, PRODUCT_SETS,
    PRODUCTS, SALES_POINTS, SECTORS, SHOP_OPENED, SOLD_OUT_SKUS, SPIRIT_POINTS, ProductRow, SalesPointRow, address,
    at, certificate_issuer, certificate_no, day_between, rng, sku,
)
from shop.extensions import db
from shop.planner import analyze
from shop.inventory.models import Location, LocationKind, Stock
from shop.sales_points.models import SalesPoint, parse_opening_hours
from shop.text import nfc, slugify

#: Mobile prefixes in use (Viettel, Vinaphone, Mobifone); numbers are made up.
_MOBILE_PREFIXES = ("091", "094", "096", "097", "098", "090", "093", "088", "086", "083")
#: Legal-form prefixes dropped from slugs to make e-mail handles.
_FORM_PREFIXES = ("cong-ty-tnhh-", "cong-ty-cp-", "htx-", "ho-kinh-doanh-", "co-so-", "ho-trong-")


def seed_demo(scale: int = 0) -> str:
    """Load what is missing of the demo catalog, top up `scale` benchmark products, commit once, report."""
    try:
        added = _seed_categories()
        added += _seed_producers()
        added += _seed_products()
        added += _seed_sales_points()
        added += _seed_locations()
        added += _seed_stock()
        filled = _fill_translations()
        bench_added = seed_synthetic(scale)
        db.session.commit()
    except Exception:
        db.session.rollback()
        raise
    if added or bench_added:
        with db.engine.begin() as connection:  # thousands of new rows: the planner's statistics are out of date
            analyze(connection)
    return _report(added, bench_added, scale, filled)


def _report(added: int, bench_added: int, target: int, filled: int = 0) -> str:
    """Say how much of the catalog is there now and how many rows this run added."""
    is_bench = Product.slug.like(f"{BENCH_PREFIX}%")
    report = (f"Demo catalog: {_count(Producer)} producers, {_count(Product, ~is_bench)} products, "
              f"{_count(SalesPoint)} sales points ({added} added)")
    if filled:
        report += f"; {filled} missing translations filled in"
    if target:
        report += f"; benchmark: {_count(Product, is_bench)} synthetic products ({bench_added} added)"
    return report


def _count(model, *where) -> int:
    return db.session.scalar(select(func.count()).select_from(model).where(*where))


def _i18n(**fields_by_lang: dict[str, str]) -> dict:
    """Build an i18n value from {lang: {field: text}}, leaving out empty texts and languages."""
    value = {}
    for lang, fields in fields_by_lang.items():
        kept = {field: nfc(text) for field, text in fields.items() if text}
        if kept:
            value[lang] = kept
    return value


def _label_i18n(row: ProductRow, suffix: str) -> dict:
    return _i18n(**{lang: {"label": labels.get(suffix, "")} for lang, labels in row.labels.items()})


def ean13(first_twelve: str) -> str:
    """Append the EAN-13 check digit (weights 1,3,1,3… from the left)."""
    assert len(first_twelve) == 12 and first_twelve.isdigit(), first_twelve
    total = sum(int(d) * (3 if i % 2 else 1) for i, d in enumerate(first_twelve))
    return first_twelve + str((10 - total % 10) % 10)


def _gtin(producer_index: int, product_index: int, position: int) -> str:
    # 893 is Vietnam's GS1 prefix; the company and item numbers are invented.
    return ean13(f"893{8600 + producer_index:04d}{product_index:03d}{position:02d}")


def _unique_slug(text: str, taken: set[str], limit: int = 80) -> str:
    """Slugify text, cut at a word boundary to fit the column, and add -2, -3… until unused."""
    base = slugify(text)
    if len(base) > limit:
        base = base[:limit].rsplit("-", 1)[0]
    slug, n = base, 2
    while slug in taken:
        suffix = f"-{n}"
        slug, n = base[: limit - len(suffix)] + suffix, n + 1
    taken.add(slug)
    return slug


def _phone(index: int, landline: bool) -> str:
    """Return a made-up Quảng Ninh landline (0203 3xx xxxx) or a 10-digit mobile number."""
    draw = rng("phone", index)
    if landline:
        return f"0203 3{draw.randint(10, 99)} {draw.randint(0, 9999):04d}"
    return (f"{draw.choice(_MOBILE_PREFIXES)}{draw.randint(0, 9)} {draw.randint(0, 999):03d} "
            f"{draw.randint(0, 999):03d}")


def _email(slug: str) -> str:
    for prefix in _FORM_PREFIXES:
        if slug.startswith(prefix):
            slug = slug[len(prefix):]
            break
    return slug.replace("-", "") + "@example.vn"


def _listed_on(draw, certified: dt.date) -> dt.date:
    """Return when a product went on sale: soon after its certificate, not before the shop opened."""
    return min(max(certified, SHOP_OPENED) + dt.timedelta(days=draw.randint(3, 75)), CATALOG_DAY)


def _seed_categories() -> int:
    """Add the sectors and product sets that are missing; product sets take their sector's colour."""
    sectors = {c.sector_code: c for c in db.session.scalars(
        select(Category).where(Category.parent_id.is_(None), Category.sector_code.is_not(None)))}
    have_sets = set(db.session.scalars(select(Category.set_no).where(Category.set_no.is_not(None))))
    taken = set(db.session.scalars(select(Category.slug)))
    added = 0
    for position, (code, name, en, zh, ko, colour) in enumerate(SECTORS, start=1):
        if code not in sectors:
            sectors[code] = Category(slug=_unique_slug(name, taken), sector_code=code, name=nfc(name), colour=colour,
                                     position=position, i18n=_i18n(en={"name": en}, zh={"name": zh}, ko={"name": ko}))
            db.session.add(sectors[code])
            added += 1
    for set_no, code, name, en, zh, ko in PRODUCT_SETS:
        if set_no in have_sets:
            continue
        sector = sectors[code]
        db.session.add(Category(slug=_unique_slug(name, taken), parent=sector, set_no=set_no, name=nfc(name),
                                colour=sector.colour, position=set_no,
                                i18n=_i18n(en={"name": en}, zh={"name": zh}, ko={"name": ko})))
        added += 1
    db.session.flush()
    return added


def _seed_producers() -> int:
    """Add the fictional producers that are missing."""
    existing = set(db.session.scalars(select(Producer.slug).where(Producer.slug.in_([p.slug for p in PRODUCERS]))))
    added = 0
    for index, row in enumerate(PRODUCERS):
        if row.slug in existing:
            continue
        producer = Producer(
            slug=row.slug, name=nfc(row.name), kind=row.kind, ward_code=row.ward,
            address=nfc(address(row.street, row.ward)), phone=_phone(index, landline=row.kind == ProducerKind.COMPANY),
            email=_email(row.slug), founded_year=row.founded, story=nfc(row.story),
            i18n=_i18n(en={"story": row.story_en}, zh={"story": row.story_zh}, ko={"story": row.story_ko}),
            is_fictional=True, is_active=True, created_at=at(SHOP_OPENED - dt.timedelta(days=60 - index)),
        )
        producer.refresh_sort_key()
        db.session.add(producer)
        added += 1
    db.session.flush()
    return added


def _seed_products() -> int:
    """Add the demo products that are missing, with their variants and certifications."""
    existing = set(db.session.scalars(select(Product.slug).where(Product.slug.in_([r.slug for r in PRODUCTS]))))
    wanted = [(index, row) for index, row in enumerate(PRODUCTS) if row.slug not in existing]
    if not wanted:
        return 0
    all_skus = [sku(row.code, v.suffix) for _, row in wanted for v in row.variants]
    taken_skus = set(db.session.scalars(select(Variant.sku).where(Variant.sku.in_(all_skus))))
    producers = {p.slug: p for p in db.session.scalars(
        select(Producer).where(Producer.slug.in_({row.producer for _, row in wanted})))}
    categories = {c.set_no: c for c in db.session.scalars(select(Category).where(Category.set_no.is_not(None)))}
    producer_index = {p.slug: i for i, p in enumerate(PRODUCERS)}
    new = []
    for index, row in wanted:
        producer, category = producers.get(row.producer), categories.get(row.set_no)
        if producer is None or category is None:
            continue  # an operator removed or renamed it: leave the product out rather than guess
        draw = rng("product", row.code)
        certified = row.certified_on or day_between(
            draw, max(CERTIFIED_FROM, DISTRICTS_ENDED) if row.stars == 3 else CERTIFIED_FROM, CERTIFIED_TO)
        listed = _listed_on(draw, certified)
        product = Product(
            slug=row.slug, name=nfc(row.name), summary=nfc(row.summary), description=nfc(row.description),
            status=ProductStatus.PUBLISHED, producer=producer, category=category,
            ocop_stars=row.stars, ocop_certificate_no=row.certificate_no or certificate_no(draw, row.stars, certified),
            ocop_certified_on=certified, ocop_expires_on=certificate_expiry(certified),
            # The two lapsed demo certificates stay on sale, labelled, as the office may allow.
            sold_when_expired=certificate_expiry(certified) < CATALOG_DAY,
            origin_ward_code=row.ward,
            growing_area_code=f"VN-QNI-{row.code}-{draw.randint(1, 60):04d}" if row.plant else "",
            traceability_code=f"QN-TX-{certified.year}-{draw.randint(1, 999_999):06d}",
            storage=nfc(row.storage), shelf_life_days=row.shelf_life_days,
            abv_percent=Decimal(row.abv) if row.abv else None, cold_chain=row.cold_chain,
            # Decree 105/2017: spirits of 15 % or more are shown but never sold online.
            sold_online=not row.is_spirit, ships_abroad=row.ships_abroad,
            created_at=at(listed, hour=draw.randint(8, 16)), published_at=at(listed, hour=17),
            facts_checked_at=at(listed, hour=17),
            i18n=_i18n(**row.texts),
        )
        # is_active is set here, not left to the column default: refresh_derived reads it before any flush.
        product.variants = [
            Variant(label=nfc(v.label), sku=sku(row.code, v.suffix), price_vnd=v.price_vnd, weight_g=v.weight_g,
                    position=position, is_active=True, i18n=_label_i18n(row, v.suffix),
                    gtin=_gtin(producer_index[row.producer], index, position) if row.barcode else "")
            for position, v in enumerate(row.variants)
            if sku(row.code, v.suffix) not in taken_skus
        ]
        product.certifications = [ProductCertification(code=code) for code in row.certs]
        product.certificates = [Certificate(
            stars=row.stars, decision_no=product.ocop_certificate_no, decided_on=certified,
            issuer=certificate_issuer(row.stars, certified, row.issuer), expires_on=product.ocop_expires_on)]
        db.session.add(product)
        new.append(product)
    db.session.flush()
    for product in new:
        product.refresh_derived()
    db.session.flush()
    return len(new) + sum(len(p.variants) + len(p.certifications) for p in new)


def _fill_translations() -> int:
    """Give demo products already in the database the translations they lack (a database seeded before the
    demo had them); a text that is there, the operator's or the producer's, is never replaced."""
    rows = {row.slug: row for row in PRODUCTS}
    products = db.session.scalars(select(Product).where(Product.slug.in_(list(rows)))).all()
    filled = 0
    for product in products:
        row = rows[product.slug]
        count = _fill(product, _i18n(**row.texts))
        for variant in product.variants:
            suffix = variant.sku.removeprefix(f"QN-{row.code}-")
            if variant.sku != suffix:
                count += _fill(variant, _label_i18n(row, suffix))
        if count:
            product.refresh_derived()
            filled += count
    db.session.flush()
    return filled


def _fill(record, wanted: dict) -> int:
    """Add the texts of `wanted` that record.i18n lacks; return how many."""
    i18n, count = {lang: dict(fields) for lang, fields in (record.i18n or {}).items()}, 0
    for lang, fields in wanted.items():
        for name, text in fields.items():
            if not i18n.get(lang, {}).get(name):
                i18n.setdefault(lang, {})[name] = text
                count += 1
    if count:
        record.i18n = i18n
    return count


def _seed_sales_points() -> int:
    """Add the sales points that are missing."""
    existing = set(db.session.scalars(select(SalesPoint.code)))
    added = 0
    for index, row in enumerate(SALES_POINTS):
        if row.code in existing:
            continue
        db.session.add(SalesPoint(
            code=row.code, name=nfc(row.name), short_name=nfc(row.short or row.place), town=row.town, ward_code=row.ward, address=nfc(address(row.street, row.ward)),
            lat=row.lat, lng=row.lng, opening_hours=row.hours, weekly_hours=parse_opening_hours(row.hours), phone=_phone(100 + index, landline=True),
            description=nfc(row.description), pickup_mode=row.mode, is_active=True,
            i18n=_i18n(
                en={"name": f"OCOP Showroom {row.place_en}", "description": row.description_en,
                    "short_name": row.short_en or row.place_en},
                zh={"name": f"{row.place_zh} OCOP 展销点", "short_name": row.place_zh},
                ko={"name": f"{row.place_ko} OCOP 전시판매장", "short_name": row.place_ko},
            ),
        ))
        added += 1
    db.session.flush()
    return added


def _seed_locations() -> int:
    """Give every demo producer and sales point its stock location, if it has none."""
    producer_ids = set(db.session.scalars(
        select(Producer.id).where(Producer.slug.in_([p.slug for p in PRODUCERS]))))
    point_ids = set(db.session.scalars(
        select(SalesPoint.id).where(SalesPoint.code.in_([s.code for s in SALES_POINTS]))))
    producer_ids -= set(db.session.scalars(select(Location.producer_id).where(Location.producer_id.is_not(None))))
    point_ids -= set(db.session.scalars(select(Location.sales_point_id).where(Location.sales_point_id.is_not(None))))
    db.session.add_all([Location(kind=LocationKind.PRODUCER, producer_id=i) for i in sorted(producer_ids)]
                       + [Location(kind=LocationKind.SALES_POINT, sales_point_id=i) for i in sorted(point_ids)])
    db.session.flush()
    return len(producer_ids) + len(point_ids)


def assortment(point: SalesPointRow) -> list[ProductRow]:
    """Return the demo products a sales point holds: its own area's, spirits at the big points, then a draw."""
    area = AREAS[point.code[:2]]
    eligible = [
        row for row in PRODUCTS
        if not row.is_voucher
        and not all(sku(row.code, v.suffix) in SOLD_OUT_SKUS for v in row.variants)
        and (not row.cold_chain or row.ward in area or point.code in COLD_ROOM_POINTS)
    ]
    chosen = dict.fromkeys(row for row in eligible if row.ward in area)
    if point.code in SPIRIT_POINTS:
        chosen.update(dict.fromkeys(row for row in eligible if row.is_spirit))
    # A weighted draw without replacement (Efraimidis–Spirakis): more stars, more likely on the shelf.
    draw = rng("assortment", point.code)
    rest = sorted((row for row in eligible if row not in chosen),
                  key=lambda row: draw.random() ** (1 / (row.stars - 2)), reverse=True)
    return list(chosen) + rest[:max(0, point.shelf - len(chosen))]


def stock_plan() -> list[tuple[str, tuple[str, str], int]]:
    """Return (SKU, (kind, producer slug or point code), quantity) for every demo stock row."""
    plan = []
    for row in PRODUCTS:
        draw = rng("stock", row.code)
        for v in row.variants:
            code = sku(row.code, v.suffix)
            plan.append((code, ("producer", row.producer), 0 if code in SOLD_OUT_SKUS else draw.randint(20, 300)))
    for point in SALES_POINTS:
        for row in assortment(point):
            draw = rng("stock", point.code, row.code)
            for v in row.variants:
                # Jewellery worth millions sits in a locked case, a few pieces at a time.
                quantity = draw.randint(2, 6) if v.price_vnd >= 5_000_000 else draw.randint(2, 40)
                plan.append((sku(row.code, v.suffix), ("point", point.code), quantity))
    return plan


def _seed_stock() -> int:
    """Add the planned stock rows that are missing; quantities already there are the operator's."""
    plan = stock_plan()
    variants = dict(db.session.execute(
        select(Variant.sku, Variant.id).where(Variant.sku.in_({code for code, _, _ in plan}))).all())
    locations = {("producer", slug): loc for slug, loc in db.session.execute(
        select(Producer.slug, Location.id).join(Location, Location.producer_id == Producer.id))}
    locations.update({("point", code): loc for code, loc in db.session.execute(
        select(SalesPoint.code, Location.id).join(Location, Location.sales_point_id == SalesPoint.id))})
    have = {(variant_id, location_id) for variant_id, location_id in db.session.execute(
        select(Stock.variant_id, Stock.location_id).where(Stock.variant_id.in_(list(variants.values()))))}
    rows = []
    for code, owner, quantity in plan:
        key = (variants.get(code), locations.get(owner))
        if None not in key and key not in have:
            have.add(key)
            rows.append({"variant_id": key[0], "location_id": key[1], "quantity": quantity, "allocated": 0})
    if rows:
        db.session.execute(insert(Stock), rows)
    return len(rows)
