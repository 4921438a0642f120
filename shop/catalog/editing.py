"""Editing the catalog: a producer's own products (texts, variants, pictures, new products for review, stock
lookups) and the OCOP office's review that publishes or returns them.

Each public function that changes something commits once. OCOP facts (stars, certificate, codes,
ABV, flags) are never written here after creation: the OCOP office owns them. Review moves go through
Product's own methods, which refuse what PRODUCT_TRANSITIONS does not allow.
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from flask_babel import lazy_gettext as _l
from sqlalchemy import case, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload

from shop.audit import record_change
from shop.catalog import media, rules
from shop.catalog.models import CERTIFICATE_MONTHS, Category, Certificate, Product, ProductImage, ProductStatus, Variant
from shop.clock import add_months, now, today
from shop.errors import InvalidTransition, ShopError
from shop.extensions import begin_write, db
from shop.inventory.models import Stock
from shop.money import parse_vnd
from shop.text import nfc, slugify

MIN_PRICE_VND = 1_000
MAX_PRICE_VND = 100_000_000
MAX_WEIGHT_G = 100_000
SKU = re.compile(r"^[A-Z0-9][A-Z0-9-]{1,39}$")
#: Pictures a product may have at most.
MAX_IMAGES = 12


class ProductError(ShopError):
    message = _l("This product could not be changed.")


class InvalidPrice(ProductError):
    message = _l("Prices are whole đồng from 1.000 ₫ to 100.000.000 ₫.")


class InvalidWeight(ProductError):
    message = _l("Please enter the weight in grams, from 0 to 100000.")


class InvalidSku(ProductError):
    message = _l("A SKU uses capital letters A–Z, digits and hyphens, 2 to 40 characters.")


class SkuTaken(ProductError):
    message = _l("The SKU %(sku)s is already used by another product.")


class MissingText(ProductError):
    message = _l("Please fill in: %(field)s.")


class TooManyImages(ProductError):
    message = _l("A product may have at most %(n)d pictures.")


class AltTooLong(ProductError):
    message = _l("Describe the picture in at most %(n)d characters.")


class ReviewError(ProductError):
    message = _l("This product is not waiting for review.")


class UnknownProduct(ProductError):
    """No product has this id (the view answers 404)."""


class InvalidAbv(ProductError):
    message = _l("The alcohol strength is a percentage from 0 to 100, like 40 or 13,5.")


class AbvRequired(ProductError):
    message = _l("A drink in an alcohol product set needs its alcohol strength (ABV).")


class FactsMissing(ProductError):
    message = _l("%(name)s cannot be published yet: %(missing)s.")


# ---- reading ---------------------------------------------------------------------------------

#: The producer's list: products not yet in the shop first, then published, then retired.
_LIST_ORDER = case({ProductStatus.PUBLISHED: 1, ProductStatus.RETIRED: 2}, value=Product.status, else_=0)


def own_products(producer_id: int) -> list[Product]:
    return db.session.scalars(
        select(Product).where(Product.producer_id == producer_id)
        .options(selectinload(Product.variants), selectinload(Product.images))
        .order_by(_LIST_ORDER, Product.name_folded, Product.id)
    ).all()


def own_product(producer_id: int, product_id: int) -> Product | None:
    """The product if it belongs to this producer; None for anybody else's (the view answers 404)."""
    return db.session.scalar(
        select(Product).where(Product.id == product_id, Product.producer_id == producer_id)
        .options(selectinload(Product.variants), selectinload(Product.images))
    )


def product_sets() -> list[Category]:
    """The 26 OCOP product sets a new product can belong to."""
    return db.session.scalars(
        select(Category).where(Category.parent_id.is_not(None)).order_by(Category.set_no, Category.position)
    ).all()


def changed_in_the_shop() -> list[Product]:
    """Products in the shop whose producer changed them since the office last looked, or with a price waiting."""
    pending = select(Variant.product_id).where(Variant.pending_price_vnd.is_not(None))
    return db.session.scalars(
        select(Product).where(Product.status == ProductStatus.PUBLISHED,
                              Product.changed_at.is_not(None) | Product.id.in_(pending))
        .options(selectinload(Product.variants), selectinload(Product.producer))
        .order_by(Product.changed_at, Product.id)
    ).all()


def office_product(product_id: int) -> Product | None:
    return db.session.scalar(select(Product).where(Product.id == product_id)
                             .options(selectinload(Product.category), selectinload(Product.producer)))


def waiting_for_review() -> list[Product]:
    return db.session.scalars(
        select(Product).where(Product.status == ProductStatus.WAITING_REVIEW)
        .options(selectinload(Product.variants), selectinload(Product.producer), selectinload(Product.images),
                 selectinload(Product.category))
        .order_by(Product.submitted_at, Product.id)
    ).all()


# ---- parsing what people type ----------------------------------------------------------------

def parse_price(value) -> int:
    price = parse_vnd(value)
    if price is None or not MIN_PRICE_VND <= price <= MAX_PRICE_VND:
        raise InvalidPrice()
    return price


def parse_weight(value) -> int:
    text = str(value or "").strip() or "0"
    if not text.isdigit() or int(text) > MAX_WEIGHT_G:
        raise InvalidWeight()
    return int(text)


def parse_sku(value) -> str:
    sku = str(value or "").strip().upper()
    if not SKU.fullmatch(sku):
        raise InvalidSku()
    return sku


def _required(value, label) -> str:
    text = str(value or "").strip()
    if not text:
        raise MissingText(field=str(label))
    return text


# ---- a producer's changes --------------------------------------------------------------------

#: The languages a product is written in besides Vietnamese, and how long each translated text may be.
OTHER_LANGUAGES = ("en", "zh", "ko")
TRANSLATED = {"name": 200, "summary": 400, "description": None, "storage": 300}


@dataclass(frozen=True)
class Texts:
    """What a producer (or the office) may write. The Vietnamese name stays as the office approved it.

    None leaves a text as it is; "" removes a translation, so the shop shows the Vietnamese again.
    """

    summary_vi: str | None = None
    description_vi: str | None = None
    #: {"en" | "zh" | "ko": {"name" | "summary" | "description" | "storage": text}}
    translations: dict = field(default_factory=dict)
    #: {variant id: {"en" | "zh" | "ko": label}}
    labels: dict = field(default_factory=dict)

    @classmethod
    def read(cls, form, variant_ids=()) -> Texts:
        """Read the fields a form sent: summary_vi, <field>_<lang>, label_<lang>-<variant id>; absent ones stay None."""
        translations = {lang: {name: form[f"{name}_{lang}"] for name in TRANSLATED if f"{name}_{lang}" in form}
                        for lang in OTHER_LANGUAGES}
        labels = {vid: {lang: form[f"label_{lang}-{vid}"] for lang in OTHER_LANGUAGES if f"label_{lang}-{vid}" in form}
                  for vid in variant_ids}
        return cls(summary_vi=form.get("summary_vi"), description_vi=form.get("description_vi"),
                   translations={lang: texts for lang, texts in translations.items() if texts},
                   labels={vid: by_lang for vid, by_lang in labels.items() if by_lang})


def _set_translation(record, lang: str, name: str, text: str, limit: int | None) -> None:
    text = nfc(str(text).strip())[:limit] if limit else nfc(str(text).strip())
    i18n = {code: dict(fields) for code, fields in (record.i18n or {}).items()}
    if text:
        i18n.setdefault(lang, {})[name] = text
    elif name in i18n.get(lang, {}):
        del i18n[lang][name]
    record.i18n = {code: fields for code, fields in i18n.items() if fields}


def _apply_texts(product: Product, texts: Texts) -> None:
    if texts.summary_vi is not None:
        product.summary = nfc(texts.summary_vi.strip())[:400]
    if texts.description_vi is not None:
        product.description = nfc(texts.description_vi.strip())
    for lang, fields in texts.translations.items():
        if lang in OTHER_LANGUAGES:
            for name, text in fields.items():
                if name in TRANSLATED:
                    _set_translation(product, lang, name, text, TRANSLATED[name])
    by_id = {v.id: v for v in product.variants}
    for variant_id, by_lang in texts.labels.items():
        if variant_id in by_id:
            for lang, label in by_lang.items():
                if lang in OTHER_LANGUAGES:
                    _set_translation(by_id[variant_id], lang, "label", label, 120)


def _texts_of(product: Product) -> dict:
    """Every text the edit forms write, flat, as the audit log keeps them."""
    texts = {"summary": product.summary, "description": product.description}
    for lang in OTHER_LANGUAGES:
        texts.update({f"{name}_{lang}": (product.i18n or {}).get(lang, {}).get(name, "") for name in TRANSLATED})
        texts.update({f"{v.sku}.label_{lang}": (v.i18n or {}).get(lang, {}).get("label", "") for v in product.variants})
    return texts


def update_texts(product: Product, texts: Texts, actor=None, *, by_office: bool = False) -> None:
    """Change the summary and description, and the texts and variant labels in English, Chinese and Korean.

    In the shop a producer's change is live at once and the office sees it among the changes to check;
    both that and any change by the office are audited.
    """
    before = _texts_of(product)
    _apply_texts(product, texts)
    after = _texts_of(product)
    if after != before and (by_office or product.status == ProductStatus.PUBLISHED):
        if not by_office:
            product.changed_at = now()
        record_change(actor, "product.texts_changed", product, before=before, after=after)
    product.refresh_derived()
    db.session.commit()


def price_waits_for_review(current_vnd: int, new_vnd: int, live_percent: int) -> bool:
    """A published variant's new price further than live_percent % from the current one waits for the office."""
    return abs(new_vnd - current_vnd) * 100 > current_vnd * live_percent


@dataclass(frozen=True)
class VariantChange:
    variant_id: int
    label: str
    price_vnd: int
    weight_g: int
    is_active: bool


def update_variants(product: Product, changes: list[VariantChange], actor=None, live_percent: int = 100) -> list[Variant]:
    """Change label, price, weight and whether each variant is sold; unknown ids are ignored.

    A product not in the shop takes every change. In the shop, a price within `live_percent` % of the
    current one goes live; a larger change is kept as the variant's pending price until the office
    accepts it (typing the current price again withdraws it). Changes in the shop are audited and
    shown to the office. Returns the variants whose new price waits.
    """
    published = product.status == ProductStatus.PUBLISHED
    by_id = {v.id: v for v in product.variants}
    waiting, before, after = [], {}, {}
    for change in changes:
        variant = by_id.get(change.variant_id)
        if variant is None:
            continue
        old = {"label": variant.label, "price_vnd": variant.price_vnd, "pending_price_vnd": variant.pending_price_vnd,
               "weight_g": variant.weight_g, "is_active": variant.is_active}
        variant.label = _required(change.label, _l("Variant"))[:120]
        if not published or change.price_vnd == variant.price_vnd:
            variant.price_vnd, variant.pending_price_vnd = change.price_vnd, None
        elif price_waits_for_review(variant.price_vnd, change.price_vnd, live_percent):
            variant.pending_price_vnd = change.price_vnd
            waiting.append(variant)
        else:
            variant.price_vnd, variant.pending_price_vnd = change.price_vnd, None
        variant.weight_g = change.weight_g
        variant.is_active = change.is_active
        new = {"label": variant.label, "price_vnd": variant.price_vnd, "pending_price_vnd": variant.pending_price_vnd,
               "weight_g": variant.weight_g, "is_active": variant.is_active}
        for key in old:
            if old[key] != new[key]:
                before[f"{variant.sku}.{key}"], after[f"{variant.sku}.{key}"] = old[key], new[key]
    if published and after:
        product.changed_at = now()
        record_change(actor, "product.variants_changed", product, before=before, after=after)
    product.refresh_derived()
    db.session.commit()
    return waiting


def _check_sku_free(sku: str) -> None:
    if db.session.scalar(select(Variant.id).where(Variant.sku == sku)) is not None:
        raise SkuTaken(sku=sku)


def add_variant(product: Product, *, label: str, sku: str, price_vnd: int, weight_g: int, actor=None) -> Variant:
    """Add a variant with a new, shop-wide unique SKU."""
    label = _required(label, _l("Variant"))[:120]
    _check_sku_free(sku)
    position = max((v.position for v in product.variants), default=-1) + 1
    variant = Variant(label=label, sku=sku, price_vnd=price_vnd, weight_g=weight_g, position=position)
    product.variants.append(variant)
    db.session.flush()
    if product.status == ProductStatus.PUBLISHED:
        product.changed_at = now()
        record_change(actor, "product.variant_added", product, after={"sku": sku, "label": label, "price_vnd": price_vnd})
    product.refresh_derived()
    try:
        db.session.commit()
    except IntegrityError:  # the same SKU added at the same moment elsewhere
        db.session.rollback()
        raise SkuTaken(sku=sku) from None
    return variant


@dataclass(frozen=True)
class NewProduct:
    name_vi: str
    name_en: str
    category_id: int
    variant_label: str
    sku: str
    price_vnd: int
    weight_g: int
    #: As printed on the OCOP certificate; the office checks them before it approves.
    ocop_stars: int
    certificate_no: str
    certified_on: dt.date
    texts: Texts = field(default_factory=Texts)


def create_product(producer, new: NewProduct) -> Product:
    """Create a draft that waits for the OCOP office's review; it is not shown until approved."""
    name = _required(new.name_vi, _l("Name (Vietnamese)"))[:200]
    category = db.session.get(Category, new.category_id)
    if category is None or category.parent_id is None:
        raise ProductError(_l("Please choose the product set."))
    if new.ocop_stars not in (3, 4, 5):
        raise ProductError(_l("OCOP stars are 3, 4 or 5."))
    # A certificate is dated in the past; the OCOP programme began in 2018 (a year 9999 date is a typo).
    if not dt.date(2018, 1, 1) <= new.certified_on <= today():
        raise ProductError(_l("Please enter the date of the OCOP certificate."))
    certificate_no = _required(new.certificate_no, _l("OCOP certificate number"))[:80]
    label = _required(new.variant_label, _l("Variant"))[:120]
    _check_sku_free(new.sku)
    base = slugify(name)[:140] or "san-pham"
    slug, n = base, 1
    while db.session.scalar(select(Product.id).where(Product.slug == slug)) is not None:
        n += 1
        slug = f"{base}-{n}"
    product = Product(
        slug=slug, producer=producer, category=category, name=name, status=ProductStatus.DRAFT,
        ocop_stars=new.ocop_stars, ocop_certificate_no=certificate_no, ocop_certified_on=new.certified_on,
        ocop_expires_on=add_months(new.certified_on, CERTIFICATE_MONTHS), origin_ward_code=producer.ward_code,
        summary="", description="", i18n={},
    )
    # As the producer declared it; the office records the issuer and the scan when it checks the decision.
    product.certificates = [Certificate(stars=new.ocop_stars, decision_no=certificate_no, decided_on=new.certified_on,
                                        expires_on=product.ocop_expires_on)]
    product.send_for_review()
    product.variants = [Variant(label=label, sku=new.sku, price_vnd=new.price_vnd, weight_g=new.weight_g, position=0)]
    _apply_texts(product, new.texts)
    if new.name_en.strip():
        product.i18n = {**product.i18n, "en": {**product.i18n.get("en", {}), "name": new.name_en.strip()[:200]}}
    db.session.add(product)
    db.session.flush()
    product.refresh_derived()
    try:
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        raise SkuTaken(sku=new.sku) from None
    return product


def submit_for_review(product: Product) -> None:
    """Send a draft or a returned product to the office; sending one that already waits changes nothing."""
    if product.status == ProductStatus.WAITING_REVIEW:
        return
    try:
        product.send_for_review()
    except InvalidTransition:
        db.session.rollback()
        raise ReviewError() from None
    db.session.commit()


def add_picture(product: Product, data: bytes, user_id: int | None) -> ProductImage:
    """Check, re-encode and store an uploaded picture; raise MediaError or ProductError, storing nothing."""
    if len(product.images) >= MAX_IMAGES:
        raise TooManyImages(n=MAX_IMAGES)
    stored = media.store_upload(data)
    position = max((i.position for i in product.images), default=-1) + 1
    image = ProductImage(stem=stored.stem, width=stored.width, height=stored.height, position=position,
                         uploaded_by_id=user_id)
    product.images.append(image)
    try:
        db.session.commit()
    except Exception:
        # The row did not make it: the files must not outlive it.
        db.session.rollback()
        media.delete_files(stored.stem, stored.width)
        raise
    return image


#: The longest description of a picture (ProductImage.alt).
MAX_ALT = 200


def describe_picture(product: Product, image_id: int, alt: str, first: bool = False) -> bool:
    """Save what one of the product's pictures shows, and put it first when asked; False when it has no such picture."""
    image = next((i for i in product.images if i.id == image_id), None)
    if image is None:
        return False
    alt = " ".join(nfc(alt or "").split())
    if len(alt) > MAX_ALT:
        raise AltTooLong(n=MAX_ALT)
    image.alt = alt
    if first:
        # Renumber from 0 in the new order: the first picture is the one the shop shows large and on cards.
        for position, other in enumerate([image] + [i for i in product.images if i is not image]):
            other.position = position
    db.session.commit()
    db.session.refresh(product, ["images"])
    return True


def delete_picture(product: Product, image_id: int) -> bool:
    """Delete one of the product's pictures and its files; False when it has no such picture."""
    image = next((i for i in product.images if i.id == image_id), None)
    if image is None:
        return False
    stem, width = image.stem, image.width
    product.images.remove(image)
    db.session.commit()
    # Files go after the commit: a failed commit must leave a row pointing at existing files.
    media.delete_files(stem, width)
    return True


# ---- the office's review ---------------------------------------------------------------------

@dataclass(frozen=True)
class LegalFacts:
    """What the office records about a product before it may be sold: the facts the law asks about."""

    abv_percent: Decimal | None
    cold_chain: bool
    sold_online: bool
    ships_abroad: bool


def parse_abv(value) -> Decimal | None:
    """ "40", "13,5", "13.5 %" → Decimal with one decimal; empty → None (not alcohol / unknown)."""
    text = str(value or "").strip().rstrip("%").strip().replace(",", ".")
    if not text:
        return None
    try:
        abv = Decimal(text)
    except InvalidOperation:
        raise InvalidAbv() from None
    if not abv.is_finite() or not 0 <= abv <= 100 or abv != abv.quantize(Decimal("0.1")):
        raise InvalidAbv()
    return abv.quantize(Decimal("0.1"))


_FACT_FIELDS = ("abv_percent", "cold_chain", "sold_online", "ships_abroad")


def _facts_of(product: Product) -> dict:
    return {name: (str(value) if isinstance(value := getattr(product, name), Decimal) else value)
            for name in _FACT_FIELDS}


def set_legal_facts(product_id: int, facts: LegalFacts, actor) -> Product:
    """The office sets a product's ABV, cold chain, online sale and abroad flags; audited, committed once.

    A drink in an alcohol product set needs its ABV. Spirits (≥ 15 %) are never sold online, whatever
    the form said: sold_online is stored off for them so the record says what the shop does.
    """
    begin_write()
    product = db.session.get(Product, product_id)
    if product is None:
        db.session.rollback()
        raise UnknownProduct()
    if facts.abv_percent is None and product.category.set_no in rules.ALCOHOL_SETS:
        db.session.rollback()
        raise AbvRequired()
    before = _facts_of(product)
    product.abv_percent = facts.abv_percent
    product.cold_chain = facts.cold_chain
    product.ships_abroad = facts.ships_abroad
    product.sold_online = facts.sold_online and not rules.online_sale_forbidden(product)
    product.facts_checked_at = now()
    after = _facts_of(product)
    record_change(actor, "product.legal_facts", product, before=before, after=after)
    db.session.commit()
    return product


def _review(product_id: int, decide, actor, action: str, note: str = "") -> Product:
    """Lock the product, apply the office's decision to it, audit it, commit; ReviewError unless it was waiting."""
    begin_write()
    product = db.session.get(Product, product_id)
    try:
        if product is None:
            raise InvalidTransition(f"product {product_id}: not found")
        status = product.status
        decide(product)
    except InvalidTransition:
        db.session.rollback()
        raise ReviewError() from None
    record_change(actor, action, product, before={"status": status}, after={"status": product.status}, note=note)
    db.session.commit()
    return product


def approve_product(product_id: int, actor=None) -> Product:
    """Publish a product waiting for review; alcohol and fresh food only once the office set their legal facts."""

    def publish(product: Product) -> None:
        missing = rules.missing_legal_facts(product)
        if missing:
            db.session.rollback()
            raise FactsMissing(name=product.name, missing="; ".join(missing))
        product.publish()
        product.refresh_derived()

    return _review(product_id, publish, actor, "product.approved")


class ChangeAction(ProductError):
    message = _l("This change could not be handled.")


def check_changes(product_id: int, action: str, actor) -> Product:
    """The office accepts or refuses a published product's waiting prices, or marks its changes as seen.

    "accept": every waiting price goes live; "refuse": they are dropped and the current prices stay;
    both also mark the changes seen. "seen": only that. Audited, committed once.
    """
    if action not in ("accept", "refuse", "seen"):
        raise ChangeAction()
    begin_write()
    product = db.session.get(Product, product_id)
    if product is None:
        db.session.rollback()
        raise UnknownProduct()
    before, after = {}, {}
    for variant in product.variants:
        if variant.pending_price_vnd is None or action == "seen":
            continue
        before[f"{variant.sku}.price_vnd"] = variant.price_vnd
        before[f"{variant.sku}.pending_price_vnd"] = variant.pending_price_vnd
        if action == "accept":
            variant.price_vnd = variant.pending_price_vnd
        variant.pending_price_vnd = None
        after[f"{variant.sku}.price_vnd"] = variant.price_vnd
        after[f"{variant.sku}.pending_price_vnd"] = None
    before["changed_at"], after["changed_at"] = product.changed_at.isoformat() if product.changed_at else None, None
    product.changed_at = None
    product.refresh_derived()
    record_change(actor, f"product.changes_{'accepted' if action == 'accept' else 'refused' if action == 'refuse' else 'seen'}",
                  product, before=before, after=after)
    db.session.commit()
    return product


def return_product(product_id: int, note: str, actor=None) -> Product:
    """Send a product back to its producer with the office's comment."""
    note = (note or "").strip()
    if not note:
        raise ProductError(_l("Please write what the producer should change."))
    return _review(product_id, lambda product: product.return_to_producer(note[:2000]), actor, "product.returned",
                   note[:500])


# ---- stock at the producer's own location ------------------------------------------------------

@dataclass(frozen=True)
class StockRow:
    variant: Variant
    product: Product
    quantity: int
    allocated: int

    @property
    def free(self) -> int:
        return self.quantity - self.allocated


def stock_rows(producer_id: int, location_id: int) -> list[StockRow]:
    """Every variant of this producer with what its own location holds (zero where no row yet)."""
    rows = db.session.execute(
        select(Variant, Product, Stock.quantity, Stock.allocated)
        .join(Product, Product.id == Variant.product_id)
        .outerjoin(Stock, (Stock.variant_id == Variant.id) & (Stock.location_id == location_id))
        .where(Product.producer_id == producer_id)
        .order_by(Product.name_folded, Product.id, Variant.position, Variant.id)
    ).all()
    return [StockRow(v, p, q or 0, a or 0) for v, p, q, a in rows]


def sku_lookup(producer_id: int):
    """A lookup for the CSV import: sku → (variant id, whether this producer owns it)."""

    def lookup(skus: set[str]) -> dict[str, tuple[int, bool]]:
        if not skus:
            return {}
        rows = db.session.execute(
            select(Variant.sku, Variant.id, Product.producer_id).join(Product, Product.id == Variant.product_id)
            .where(Variant.sku.in_(skus))
        ).all()
        return {sku: (vid, pid == producer_id) for sku, vid, pid in rows}

    return lookup


def own_variant(producer_id: int, variant_id: int) -> Variant | None:
    return db.session.scalar(
        select(Variant).join(Product, Product.id == Variant.product_id)
        .where(Variant.id == variant_id, Product.producer_id == producer_id)
    )
