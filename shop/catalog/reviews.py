"""Buyers' reviews of a product: the record, its states, the published list and the product's rating totals.

The record lives with the catalogue because product pages and cards show it; who may write one (a buyer
whose part was collected or delivered) is decided above orders, in `shop/reviews/`. A review points at the
order line it comes from by its id only, so the catalogue never imports orders.
"""
from __future__ import annotations

import datetime as dt
import enum

from sqlalchemy import CheckConstraint, DateTime, ForeignKey, Index, String, Text, func, select, update
from sqlalchemy.orm import Mapped, mapped_column, relationship

from shop.catalog.models import Product
from shop.errors import InvalidTransition
from shop.extensions import db

#: The longest review text and producer's answer, in characters.
REVIEW_MAX_CHARS = 2000
ANSWER_MAX_CHARS = 1000
#: How many published reviews a product page lists (newest first).
REVIEWS_ON_PAGE = 20


class ReviewStatus(enum.StrEnum):
    PENDING = "pending"  #: waits for the office (it has a photo or a link); not shown
    PUBLISHED = "published"  #: shown on the product page and counted in its rating
    HIDDEN = "hidden"  #: taken down by the office, with a reason; not shown, not counted


#: Where a review may go from each status; the office publishes and hides, an author's edit may send it back
#: to pending (a photo or a link added).
REVIEW_TRANSITIONS: dict[ReviewStatus, frozenset[ReviewStatus]] = {
    ReviewStatus.PENDING: frozenset({ReviewStatus.PUBLISHED, ReviewStatus.HIDDEN}),
    ReviewStatus.PUBLISHED: frozenset({ReviewStatus.HIDDEN, ReviewStatus.PENDING}),
    ReviewStatus.HIDDEN: frozenset({ReviewStatus.PUBLISHED}),
}


class Review(db.Model):
    """One buyer's rating (1–5) and words about a product, from one order line they received."""
    #: A change to it changes product pages and cards: cached pages are stale (shop/shared_cache.py).
    __cache_scope__ = "catalog"

    __table_args__ = (
        CheckConstraint("rating BETWEEN 1 AND 5", name="rating_range"),
        Index("ix_review_product_status", "product_id", "status", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    product_id: Mapped[int] = mapped_column(ForeignKey("product.id", ondelete="CASCADE"))
    #: The purchase it proves: one review per order line.
    order_line_id: Mapped[int] = mapped_column(ForeignKey("order_line.id", ondelete="CASCADE"), unique=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"), index=True)
    #: The name shown ("Lan N."): never the buyer's full name.
    author_name: Mapped[str] = mapped_column(String(60))
    rating: Mapped[int]
    body: Mapped[str] = mapped_column(Text, default="", server_default="")
    #: The language the buyer wrote in (the page's language when they wrote it).
    language: Mapped[str] = mapped_column(String(5), default="vi")
    # An optional photo, stored like product pictures (catalog/media.py): <stem>-<width>.webp.
    photo_stem: Mapped[str | None] = mapped_column(String(64))
    photo_width: Mapped[int | None]
    photo_height: Mapped[int | None]
    status: Mapped[ReviewStatus] = mapped_column(String(20), default=ReviewStatus.PENDING, index=True)
    #: Why the office hid it (shown to the office only).
    hidden_reason: Mapped[str] = mapped_column(String(300), default="", server_default="")
    #: The producer's one answer, and when it was given.
    answer: Mapped[str] = mapped_column(Text, default="", server_default="")
    answered_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    answered_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())

    product = relationship("Product")

    @property
    def is_published(self) -> bool:
        return self.status == ReviewStatus.PUBLISHED

    @property
    def photo(self):
        """The photo as catalog/media.py's image_url reads it (stem and width), or None."""
        if not self.photo_stem:
            return None
        return _Photo(self.photo_stem, self.photo_width or 0, self.photo_height or 0)

    def move_to(self, status: ReviewStatus) -> ReviewStatus:
        """Change status along REVIEW_TRANSITIONS and keep the product's totals; raise InvalidTransition otherwise."""
        status = ReviewStatus(status)
        if status not in REVIEW_TRANSITIONS[ReviewStatus(self.status)]:
            raise InvalidTransition(f"review: {self.status} → {status}")
        previous = ReviewStatus(self.status)
        self.status = status
        if previous == ReviewStatus.PUBLISHED:
            count_rating(self.product_id, -self.rating, -1)
        if status == ReviewStatus.PUBLISHED:
            count_rating(self.product_id, self.rating, 1)
        return previous


class _Photo:
    __slots__ = ("stem", "width", "height")

    def __init__(self, stem: str, width: int, height: int) -> None:
        self.stem, self.width, self.height = stem, width, height


def count_rating(product_id: int, points: int, reviews: int) -> None:
    """Add to a product's rating totals in the caller's transaction.

    An UPDATE that adds, not a value read and written back: two reviews published at once both count.
    """
    db.session.execute(update(Product).where(Product.id == product_id).values(
        rating_sum=Product.rating_sum + points, rating_count=Product.rating_count + reviews)
        .execution_options(synchronize_session=False))


def published_reviews(product_id: int, limit: int = REVIEWS_ON_PAGE) -> list[Review]:
    """A product's published reviews, newest first."""
    return list(db.session.scalars(
        select(Review).where(Review.product_id == product_id, Review.status == ReviewStatus.PUBLISHED)
        .order_by(Review.created_at.desc(), Review.id.desc()).limit(limit)))


def short_name(full_name: str) -> str:
    """The name a review shows: the given name and the family name's initial ("Nguyễn Thị Lan" → "Lan N.").

    Vietnamese names put the family name first and the given name last.
    """
    words = (full_name or "").split()
    if not words:
        return "—"
    if len(words) == 1:
        return words[0][:40]
    return f"{words[-1][:40]} {words[0][0].upper()}."
