"""The OCOP catalog: sectors and product sets, producers, products and their variants."""
from __future__ import annotations

import datetime as dt
import enum
from decimal import Decimal

from sqlalchemy import CheckConstraint, Date, DateTime, ForeignKey, Index, Numeric, String, Text, UniqueConstraint, event, false, func
from sqlalchemy.orm import Mapped, mapped_column, relationship

from shop.catalog import rules
from shop.catalog.rules import ONLINE_ABV_LIMIT
from shop.clock import add_months, now, today
from shop.errors import InvalidTransition
from shop.extensions import db
from shop.i18n import Translated
from shop.places import ward
from shop.text import fold, search_document, sort_key

#: OCOP certificates are valid for 36 months from the decision date (QĐ 148/2023).
CERTIFICATE_MONTHS = 36


class ProducerKind(enum.StrEnum):
    COOPERATIVE = "cooperative"  #: hợp tác xã (HTX)
    HOUSEHOLD = "household"  #: hộ kinh doanh
    COMPANY = "company"  #: doanh nghiệp (công ty)


class ProductStatus(enum.StrEnum):
    DRAFT = "draft"  #: being written by its producer; the office has not seen it yet
    WAITING_REVIEW = "waiting_review"  #: sent to the OCOP office, which publishes it or returns it
    RETURNED = "returned"  #: sent back to its producer by the office, with a note saying what to change
    PUBLISHED = "published"  #: visible in the shop
    RETIRED = "retired"  #: no longer made; kept for old orders


#: Where a product may go from each status. Only the office publishes or returns, only the producer sends.
PRODUCT_TRANSITIONS: dict[ProductStatus, frozenset[ProductStatus]] = {
    ProductStatus.DRAFT: frozenset({ProductStatus.WAITING_REVIEW}),
    ProductStatus.WAITING_REVIEW: frozenset({ProductStatus.PUBLISHED, ProductStatus.RETURNED}),
    ProductStatus.RETURNED: frozenset({ProductStatus.WAITING_REVIEW}),
    ProductStatus.PUBLISHED: frozenset({ProductStatus.RETIRED}),
    ProductStatus.RETIRED: frozenset(),
}
#: Statuses whose products the public may see (a retired product's page stays for old orders).
SHOWN_STATUSES = (ProductStatus.PUBLISHED, ProductStatus.RETIRED)


class Certification(enum.StrEnum):
    VIETGAP = "vietgap"  #: Vietnamese Good Agricultural Practices
    ORGANIC = "organic"  #: organic (TCVN 11041 or a foreign standard)
    GLOBALGAP = "globalgap"  #: GlobalG.A.P.
    HACCP = "haccp"  #: hazard analysis for food plants
    ISO22000 = "iso22000"  #: food-safety management system


class Category(Translated, db.Model):
    """An OCOP sector (ngành I–VI) or one of its 26 product sets (bộ sản phẩm)."""
    #: A change to it is a catalogue change: cached pages and choices are stale (shop/shared_cache.py).
    __cache_scope__ = "catalog"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(80), unique=True)
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("category.id"), index=True)
    #: Roman numeral of a sector, e.g. "I"; empty for product sets.
    sector_code: Mapped[str | None] = mapped_column(String(4))
    #: Number 1–26 of a product set in the national list; empty for sectors.
    set_no: Mapped[int | None] = mapped_column(unique=True)
    name: Mapped[str] = mapped_column(String(160))
    #: Accent colour of the sector, used by the generated product artwork.
    colour: Mapped[str] = mapped_column(String(7), default="#2f6f4f")
    position: Mapped[int] = mapped_column(default=0)

    parent: Mapped[Category | None] = relationship(remote_side=[id], back_populates="children")
    children: Mapped[list[Category]] = relationship(back_populates="parent", order_by="Category.position")

    @property
    def is_sector(self) -> bool:
        return self.parent_id is None


class Producer(Translated, db.Model):
    """An OCOP subject (chủ thể OCOP): cooperative, household business or company."""
    #: A change to it is a catalogue change: cached pages and choices are stale (shop/shared_cache.py).
    __cache_scope__ = "catalog"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(120), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    kind: Mapped[ProducerKind] = mapped_column(String(20))
    ward_code: Mapped[str] = mapped_column(String(5), index=True)
    address: Mapped[str] = mapped_column(String(300), default="")
    phone: Mapped[str] = mapped_column(String(20), default="")
    email: Mapped[str] = mapped_column(String(200), default="")
    tax_code: Mapped[str] = mapped_column(String(20), default="")
    founded_year: Mapped[int | None]
    story: Mapped[str] = mapped_column(Text, default="")
    #: Demo producers have invented names, so invented prices never stand beside a real business.
    is_fictional: Mapped[bool] = mapped_column(default=False)
    is_active: Mapped[bool] = mapped_column(default=True)
    name_sort: Mapped[str] = mapped_column(String(800), default="", index=True)
    #: The name without marks, lower-case: the office finds "Hộ Mạnh Hải" by typing "manh hai".
    name_folded: Mapped[str] = mapped_column(String(200), default="", server_default="", index=True)
    #: Where the shop pays the producer: a NAPAS bank BIN (payments/vietqr.py BANKS), the account number and
    #: the holder's name as the bank writes it. Set only by the office, every change in the audit log.
    bank_bin: Mapped[str] = mapped_column(String(6), default="", server_default="")
    bank_account: Mapped[str] = mapped_column(String(19), default="", server_default="")
    bank_account_name: Mapped[str] = mapped_column(String(70), default="", server_default="")
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())

    products: Mapped[list[Product]] = relationship(back_populates="producer")
    contacts: Mapped[list[ProducerContact]] = relationship(back_populates="producer", cascade="all, delete-orphan",
                                                           order_by="ProducerContact.id")

    @property
    def ward(self):
        return ward(self.ward_code)

    @property
    def has_bank_account(self) -> bool:
        return bool(self.bank_bin and self.bank_account and self.bank_account_name)

    def refresh_sort_key(self) -> None:
        self.name_sort = sort_key(self.name)
        self.name_folded = fold(self.name)[:200]


class ProducerContact(db.Model):
    """A person the office calls at a producer: the director, the bookkeeper, the one who packs."""

    id: Mapped[int] = mapped_column(primary_key=True)
    producer_id: Mapped[int] = mapped_column(ForeignKey("producer.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(120))
    #: What they do there, as the office writes it ("Giám đốc", "Kế toán").
    title: Mapped[str] = mapped_column(String(120), default="")
    phone: Mapped[str] = mapped_column(String(20), default="")
    email: Mapped[str] = mapped_column(String(200), default="")

    producer: Mapped[Producer] = relationship(back_populates="contacts")


class Product(Translated, db.Model):
    """A product with its OCOP facts; what is bought is one of its variants."""
    #: A change to it is a catalogue change: cached pages and choices are stale (shop/shared_cache.py).
    __cache_scope__ = "catalog"

    __table_args__ = (
        CheckConstraint("ocop_stars BETWEEN 3 AND 5", name="ocop_stars_range"),
        # Each listing order and filter has an index in the order's own directions, so a page of 24 stops after
        # 24 rows instead of sorting every published product (catalog/queries.py list_products).
        Index("ix_product_status_price", "status", "price_from_vnd", "id"),
        Index("ix_product_status_newest", "status", "created_at", "id"),
        # Covering: the filter's ward list reads the index alone.
        Index("ix_product_status_ward", "status", "origin_ward_code", "producer_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(160), unique=True)
    producer_id: Mapped[int] = mapped_column(ForeignKey("producer.id"), index=True)
    category_id: Mapped[int] = mapped_column(ForeignKey("category.id"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    summary: Mapped[str] = mapped_column(String(400), default="")
    description: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[ProductStatus] = mapped_column(String(20), default=ProductStatus.DRAFT)

    # OCOP recognition: stars, the decision that granted them, and its 36-month validity.
    ocop_stars: Mapped[int]
    ocop_certificate_no: Mapped[str] = mapped_column(String(80), default="")
    ocop_certified_on: Mapped[dt.date] = mapped_column(Date)
    ocop_expires_on: Mapped[dt.date] = mapped_column(Date, index=True)
    #: The office marked the product as being re-evaluated: shown as "đang đánh giá lại". It never
    #: extends the validity: stars still show only while the current certificate is valid.
    ocop_reevaluation: Mapped[bool] = mapped_column(default=False, server_default=false())
    #: The stars the listings rank it by: `ocop_stars` while the certificate is valid, 0 once it has ended (or
    #: before it starts), so an ended certificate never ranks as starred. Set on every insert and update from
    #: Vietnam's date; `flask certificates rank` moves it when a certificate ends by the calendar alone, and
    #: until it has, the listings rank by the dates themselves (catalog/ranking.py).
    listing_stars: Mapped[int] = mapped_column(default=0, server_default="0")
    #: The office lets it be sold online after its certificate ended, labelled as no longer certified.
    sold_when_expired: Mapped[bool] = mapped_column(default=False, server_default=false())

    origin_ward_code: Mapped[str] = mapped_column(String(5), index=True)
    growing_area_code: Mapped[str] = mapped_column(String(40), default="")
    traceability_code: Mapped[str] = mapped_column(String(60), default="")
    storage: Mapped[str] = mapped_column(String(300), default="")
    shelf_life_days: Mapped[int | None]
    #: Alcohol by volume in %, for drinks; None for everything else.
    abv_percent: Mapped[Decimal | None] = mapped_column(Numeric(4, 1))
    cold_chain: Mapped[bool] = mapped_column(default=False)
    sold_online: Mapped[bool] = mapped_column(default=True)
    ships_abroad: Mapped[bool] = mapped_column(default=False)

    # Kept in step with the variants by refresh_derived(): listings sort and filter on them
    # without touching every variant row of 10 000 products.
    price_from_vnd: Mapped[int] = mapped_column(default=0, index=True)
    search_text: Mapped[str] = mapped_column(Text, default="")
    name_folded: Mapped[str] = mapped_column(String(400), default="")

    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), server_default=func.now(), index=True)
    published_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    #: When the producer last sent it to the OCOP office (the review queue's order); cleared by the review.
    submitted_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    #: The office's comment when it returns a product to its producer; cleared when it publishes.
    review_note: Mapped[str] = mapped_column(Text, default="", server_default="")
    #: When the office last set the legal facts (ABV, cold chain, sold online, ships abroad); None: never.
    #: Alcohol and fresh food cannot be published before (catalog/rules.py).
    facts_checked_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    #: When its producer last changed it while it was in the shop (texts, prices, variants) and the office
    #: has not looked at it since; None: nothing to look at.
    changed_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    # Buyers' ratings of the published reviews, kept by catalog/reviews.py in the transaction that publishes
    # or hides a review, so a card shows the average without reading the reviews.
    rating_sum: Mapped[int] = mapped_column(default=0, server_default="0")
    rating_count: Mapped[int] = mapped_column(default=0, server_default="0")

    producer: Mapped[Producer] = relationship(back_populates="products")
    category: Mapped[Category] = relationship()
    variants: Mapped[list[Variant]] = relationship(
        back_populates="product", order_by="Variant.position", cascade="all, delete-orphan"
    )
    certifications: Mapped[list[ProductCertification]] = relationship(cascade="all, delete-orphan")
    images: Mapped[list[ProductImage]] = relationship(back_populates="product", cascade="all, delete-orphan",
                                                      order_by="ProductImage.position")
    #: Every recognition decision recorded for it, newest first; the first is the current one.
    certificates: Mapped[list[Certificate]] = relationship(
        back_populates="product", cascade="all, delete-orphan",
        order_by="(Certificate.decided_on.desc(), Certificate.id.desc())")

    @property
    def rating_average(self) -> float | None:
        """The buyers' average rating (1–5) of the published reviews, to one decimal; None without any."""
        return round(self.rating_sum / self.rating_count, 1) if self.rating_count else None

    @property
    def origin_ward(self):
        return ward(self.origin_ward_code)

    def certificate_valid_on(self, day: dt.date) -> bool:
        """Whether the OCOP stars may be shown as current on that (Vietnamese) day: through the expiry day."""
        return certificate_valid_on(self.ocop_certified_on, self.ocop_expires_on, day)

    @property
    def certificate_is_valid(self) -> bool:
        return self.certificate_valid_on(today())

    @property
    def current_certificate(self) -> Certificate | None:
        return self.certificates[0] if self.certificates else None

    @property
    def is_spirit(self) -> bool:
        """Spirits of 15 % ABV or more: shown, sold only at sales points (Decree 105/2017)."""
        return self.abv_percent is not None and self.abv_percent >= ONLINE_ABV_LIMIT

    @property
    def is_alcohol(self) -> bool:
        return rules.is_alcohol(self)

    @property
    def abv_unknown(self) -> bool:
        """Alcohol whose strength nobody has recorded: treated as a spirit (never sold online)."""
        return self.abv_percent is None and self.is_alcohol

    @property
    def online_sale_forbidden(self) -> bool:
        return rules.online_sale_forbidden(self)

    @property
    def can_buy_online(self) -> bool:
        # A deactivated producer's products leave the shop at once, carts and checkouts included.
        # An ended OCOP certificate stops online sales unless the office allowed them (labelled, no stars).
        return (self.status == ProductStatus.PUBLISHED and self.sold_online and not self.online_sale_forbidden
                and self.producer.is_active and (self.sold_when_expired or self.certificate_is_valid))

    @property
    def active_variants(self) -> list[Variant]:
        # `is not False`: a variant not yet flushed has is_active None until its column default applies.
        return [v for v in self.variants if v.is_active is not False]

    @property
    def certification_codes(self) -> list[str]:
        return [c.code for c in self.certifications]

    def move_to(self, status: ProductStatus) -> None:
        """Change status along PRODUCT_TRANSITIONS; raise InvalidTransition otherwise."""
        if status not in PRODUCT_TRANSITIONS[self.status]:
            raise InvalidTransition(f"product {self.id}: {self.status} → {status}")
        self.status = status

    def send_for_review(self) -> None:
        """The producer asks the OCOP office to publish it (a new product, or one the office returned)."""
        self.move_to(ProductStatus.WAITING_REVIEW)
        self.submitted_at = now()

    def publish(self) -> None:
        """The office approves it: shown in the shop from now on."""
        self.move_to(ProductStatus.PUBLISHED)
        self.published_at = now()
        self.submitted_at = None
        self.review_note = ""

    def return_to_producer(self, note: str) -> None:
        """The office sends it back with a note saying what to change."""
        self.move_to(ProductStatus.RETURNED)
        self.submitted_at = None
        self.review_note = note

    def refresh_derived(self) -> None:
        """Recompute the listing columns from the name, translations, producer and variants."""
        prices = [v.price_vnd for v in self.active_variants]
        self.price_from_vnd = min(prices) if prices else 0
        self.name_folded = search_document(self.name)
        place = self.origin_ward
        parts = [self.name, self.summary, self.producer.name if self.producer else "",
                 place.name if place else "", self.category.name if self.category else ""]
        parts += [(self.i18n or {}).get(lang, {}).get(field, "") for lang in ("en", "zh", "ko")
                  for field in ("name", "summary")]
        parts += [v.label for v in self.variants] + [v.sku for v in self.variants]
        parts += [(v.i18n or {}).get(lang, {}).get("label", "") for v in self.variants for lang in ("en", "zh", "ko")]
        self.search_text = search_document(*parts)


def certificate_valid_on(decided_on: dt.date, expires_on: dt.date, day: dt.date) -> bool:
    """A recognition counts from its decision day through its expiry day; a re-evaluation never extends it."""
    return decided_on <= day <= expires_on


# The listings rank by stars high to low, then id low to high: these indexes run in those directions (declared
# here, where the columns exist, because `listing_stars DESC` is not a plain column name).
Index("ix_product_listing", Product.status, Product.listing_stars.desc(), Product.id)
Index("ix_product_status_stars_expiry", Product.status, Product.listing_stars.desc(), Product.ocop_expires_on.desc(),
      Product.id)
Index("ix_product_producer_listing", Product.producer_id, Product.status, Product.listing_stars.desc(), Product.id)
# The home page's newest certificates of one star level.
Index("ix_product_status_stars_certified", Product.status, Product.listing_stars, Product.ocop_certified_on.desc(),
      Product.id)


def listing_stars_on(stars: int | None, decided_on: dt.date | None, expires_on: dt.date | None, day: dt.date) -> int:
    """The stars a listing ranks a product by on `day`: its stars while the certificate is valid, else 0."""
    if not stars or decided_on is None or expires_on is None:
        return 0
    return stars if certificate_valid_on(decided_on, expires_on, day) else 0


@event.listens_for(Product, "before_insert")
@event.listens_for(Product, "before_update")
def _rank_for_listings(_mapper, _connection, product: Product) -> None:
    # Every ORM write of a product, whichever service or form made it, leaves its rank right for today.
    product.listing_stars = listing_stars_on(product.ocop_stars, product.ocop_certified_on, product.ocop_expires_on,
                                             today())


def certificate_expiry(decided_on: dt.date) -> dt.date:
    """The last valid day: 36 months after the decision (29 Feb + 36 months → 28 Feb)."""
    return add_months(decided_on, CERTIFICATE_MONTHS)


class Certificate(db.Model):
    """One OCOP recognition decision of a product, as the office recorded it; renewals add rows (history kept).

    The product keeps a copy of its current one's stars and dates (`Product.ocop_*`), because every
    listing filters and sorts on them; only `catalog.certificates.record_certificate` writes both.
    """
    #: A change to it is a catalogue change: cached pages and choices are stale (shop/shared_cache.py).
    __cache_scope__ = "catalog"

    __table_args__ = (CheckConstraint("stars BETWEEN 3 AND 5", name="stars_range"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    product_id: Mapped[int] = mapped_column(ForeignKey("product.id", ondelete="CASCADE"), index=True)
    stars: Mapped[int]
    #: As printed on the decision ("Quyết định số …"); never invented by the shop.
    decision_no: Mapped[str] = mapped_column(String(80))
    decided_on: Mapped[dt.date] = mapped_column(Date)
    #: The body that signed it, as recorded (a district or provincial People's Committee, the Ministry…);
    #: empty when nobody recorded it. Never derived from the stars: who certifies changed in 2025.
    issuer: Mapped[str] = mapped_column(String(200), default="", server_default="")
    expires_on: Mapped[dt.date] = mapped_column(Date)
    #: The scanned decision: <32 hex>.pdf under instance/media/certificates, served only to the office
    #: and the product's producer.
    scan_name: Mapped[str | None] = mapped_column(String(40))
    scan_bytes: Mapped[int | None]
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())

    product: Mapped[Product] = relationship(back_populates="certificates")

    def valid_on(self, day: dt.date) -> bool:
        return certificate_valid_on(self.decided_on, self.expires_on, day)


class ProductCertification(db.Model):
    """A quality certification a product holds (VietGAP, organic, …)."""
    #: A change to it is a catalogue change: cached pages and choices are stale (shop/shared_cache.py).
    __cache_scope__ = "catalog"

    product_id: Mapped[int] = mapped_column(ForeignKey("product.id", ondelete="CASCADE"), primary_key=True)
    code: Mapped[Certification] = mapped_column(String(20), primary_key=True, index=True)


class ProductImage(db.Model):
    """An uploaded picture, re-encoded to WebP in several widths under instance/media/ (no metadata)."""

    __cache_scope__ = "catalog"  # a new, deleted or reordered picture changes the product's cached pages
    #: A change to it is a catalogue change: cached pages and choices are stale (shop/shared_cache.py).
    __cache_scope__ = "catalog"

    id: Mapped[int] = mapped_column(primary_key=True)
    product_id: Mapped[int] = mapped_column(ForeignKey("product.id", ondelete="CASCADE"), index=True)
    #: Random file stem: <stem>-<width>.webp for each width in MEDIA_IMAGE_WIDTHS.
    stem: Mapped[str] = mapped_column(String(64), unique=True)
    width: Mapped[int]
    height: Mapped[int]
    position: Mapped[int] = mapped_column(default=0)
    #: What the picture shows, for people who cannot see it ("Hộp quà 3 chai, mặt trước"); empty: the page says
    #: "<name>, picture n of N".
    alt: Mapped[str] = mapped_column(String(200), default="", server_default="")
    uploaded_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())

    product: Mapped[Product] = relationship(back_populates="images")


class Variant(Translated, db.Model):
    """One buyable form of a product, e.g. "Gói 500 g", with its SKU and price; i18n holds its label in other languages."""
    #: A change to it is a catalogue change: cached pages and choices are stale (shop/shared_cache.py).
    __cache_scope__ = "catalog"

    __table_args__ = (
        CheckConstraint("price_vnd >= 0", name="price_not_negative"),
        CheckConstraint("weight_g >= 0", name="weight_not_negative"),
        UniqueConstraint("sku"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    product_id: Mapped[int] = mapped_column(ForeignKey("product.id", ondelete="CASCADE"), index=True)
    label: Mapped[str] = mapped_column(String(120))
    sku: Mapped[str] = mapped_column(String(40))
    gtin: Mapped[str] = mapped_column(String(14), default="")
    price_vnd: Mapped[int]
    #: A new price its producer asked for that is too far from the current one to go live at once;
    #: the shop sells at price_vnd until the office accepts it (catalog/editing.py).
    pending_price_vnd: Mapped[int | None]
    weight_g: Mapped[int] = mapped_column(default=0)
    position: Mapped[int] = mapped_column(default=0)
    is_active: Mapped[bool] = mapped_column(default=True)

    product: Mapped[Product] = relationship(back_populates="variants")





__all__ = [
    "Category", "Certificate", "Certification", "Producer", "ProducerKind", "Product", "ProductCertification",
    "ProductStatus", "PRODUCT_TRANSITIONS", "ONLINE_ABV_LIMIT", "SHOWN_STATUSES", "Variant", "today", "CERTIFICATE_MONTHS",
]
