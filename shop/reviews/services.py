"""Reviews from verified buyers: write and edit (the order's holder), publish and hide (the office), answer
once (the product's producer). Each use case locks what it changes, checks who may, and commits once."""
from __future__ import annotations

import re
from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from sqlalchemy import case, select
from sqlalchemy.orm import selectinload

from shop.audit.record import record_change
from shop.catalog import media
from shop.catalog.models import Product, Variant
from shop.catalog.reviews import ANSWER_MAX_CHARS, REVIEW_MAX_CHARS, Review, ReviewStatus, count_rating, short_name
from shop.clock import now
from shop.errors import InvalidTransition, ShopError
from shop.extensions import begin_write, db
from shop.orders.lifecycle import RECEIVED, lock_order
from shop.orders.models import Order, OrderLine

#: Text that looks like a link or an address: such a review waits for the office.
_LINK = re.compile(r"(https?://|www\.|\b[\w-]+\.(com|vn|net|org|info|io|me|xyz|shop)\b)", re.I)


class ReviewError(ShopError):
    """A review the shop refuses; str(error) is safe to show."""

    message = _l("This review could not be saved.")


class ReviewNotFound(ReviewError):
    message = _l("This review was not found.")


class NotReceivedYet(ReviewError):
    message = _l("You can review a product once you have collected it or it has been delivered to you.")


class AlreadyReviewed(ReviewError):
    message = _l("You have already reviewed this product from this order. You can change your review instead.")


class BadRating(ReviewError):
    message = _l("Please choose a rating from 1 to 5 stars.")


class TextTooLong(ReviewError):
    message = _l("Please keep it to %(n)s characters or fewer.")


class ReasonRequired(ReviewError):
    message = _l("Please say why the review is hidden.")


class AnswerRequired(ReviewError):
    message = _l("Please write your answer.")


class AlreadyAnswered(ReviewError):
    message = _l("This review already has your answer. Only the OCOP office can change it.")


class CannotMove(ReviewError):
    message = _l("This review is already in that state.")


def read_rating(raw) -> int:
    """The stars the buyer chose, 1 to 5; anything else is BadRating."""
    try:
        rating = int(str(raw or "").strip())
    except ValueError:
        raise BadRating() from None
    if not 1 <= rating <= 5:
        raise BadRating()
    return rating


def _text(raw, limit: int) -> str:
    text = (raw or "").replace("\r\n", "\n").strip()
    if len(text) > limit:
        raise TextTooLong(n=limit)
    return text


def has_link(text: str) -> bool:
    return bool(_LINK.search(text or ""))


@dataclass(frozen=True)
class ReviewRow:
    """One line of an order as its review page shows it: may it be reviewed yet, and the review if written."""

    line: OrderLine
    received: bool
    review: Review | None


def order_review_rows(order: Order) -> list[ReviewRow]:
    """Each product line of the order, once per product, with its review if the buyer wrote one."""
    lines = [line for line in order.lines]
    reviews = {r.order_line_id: r for r in db.session.scalars(
        select(Review).where(Review.order_line_id.in_([line.id for line in lines])))} if lines else {}
    return [ReviewRow(line, line.part.status in RECEIVED, reviews.get(line.id)) for line in lines]


def may_review(order: Order) -> bool:
    """Some line of the order reached its buyer and still has no review."""
    return any(row.received and row.review is None for row in order_review_rows(order))


def _line_of(order: Order, line_id: int) -> OrderLine:
    line = next((line for line in order.lines if line.id == line_id), None)
    if line is None:
        raise ReviewNotFound()
    if line.part.status not in RECEIVED:
        raise NotReceivedYet()
    return line


def _product_id(line: OrderLine) -> int:
    if line.variant_id is not None:
        product_id = db.session.scalar(select(Variant.product_id).where(Variant.id == line.variant_id))
        if product_id:
            return product_id
    product_id = db.session.scalar(select(Product.id).where(Product.slug == line.product_slug))
    if product_id is None:
        raise ReviewNotFound()
    return product_id


def _store_photo(photo: bytes | None):
    """The checked, re-encoded photo (catalog/media.py), or None; MediaError when it is not a usable picture."""
    if photo is None:
        return None
    return media.store_upload(photo)


def write_review(order_id: int, line_id: int, *, rating, body: str, photo: bytes | None, language: str,
                 author_name: str) -> Review:
    """A buyer's first review of one line they received; published at once unless it has a photo or a link."""
    stars, text = read_rating(rating), _text(body, REVIEW_MAX_CHARS)
    order = lock_order(order_id=order_id)
    if order is None:
        raise ReviewNotFound()
    try:
        line = _line_of(order, line_id)
        if db.session.scalar(select(Review.id).where(Review.order_line_id == line.id)):
            raise AlreadyReviewed()
        stored = _store_photo(photo)
    except ShopError:
        db.session.rollback()
        raise
    review = Review(product_id=_product_id(line), order_line_id=line.id, user_id=order.user_id,
                    author_name=short_name(author_name or order.contact_name), rating=stars, body=text,
                    language=language, status=ReviewStatus.PENDING, created_at=now(), updated_at=now())
    if stored is not None:
        review.photo_stem, review.photo_width, review.photo_height = stored.stem, stored.width, stored.height
    db.session.add(review)
    if stored is None and not has_link(text):
        review.move_to(ReviewStatus.PUBLISHED)
    db.session.commit()
    return review


def edit_review(order_id: int, review_id: int, *, rating, body: str, photo: bytes | None,
                remove_photo: bool = False) -> Review:
    """The author changes their review; a new photo or a new link sends a published review back to the office."""
    stars, text = read_rating(rating), _text(body, REVIEW_MAX_CHARS)
    order = lock_order(order_id=order_id)
    review = None
    if order is not None:
        review = db.session.scalar(select(Review).where(
            Review.id == review_id, Review.order_line_id.in_([line.id for line in order.lines])).with_for_update())
    try:
        if review is None:
            raise ReviewNotFound()
        stored = _store_photo(photo)
    except ShopError:
        db.session.rollback()
        raise
    again = stored is not None or (has_link(text) and not has_link(review.body))
    if review.status == ReviewStatus.PUBLISHED and again:
        review.move_to(ReviewStatus.PENDING)
    elif review.status == ReviewStatus.PUBLISHED and stars != review.rating:
        count_rating(review.product_id, stars - review.rating, 0)
    old_photo = (review.photo_stem, review.photo_width) if (stored is not None or remove_photo) else None
    review.rating, review.body, review.updated_at = stars, text, now()
    if stored is not None:
        review.photo_stem, review.photo_width, review.photo_height = stored.stem, stored.width, stored.height
    elif remove_photo:
        review.photo_stem = review.photo_width = review.photo_height = None
    db.session.commit()
    if old_photo and old_photo[0]:
        media.delete_files(*old_photo)
    return review


# ---- the office -----------------------------------------------------------------------------------

def _locked(review_id: int) -> Review:
    begin_write()
    review = db.session.scalar(select(Review).where(Review.id == review_id).with_for_update()
                               .execution_options(populate_existing=True))
    if review is None:
        db.session.rollback()
        raise ReviewNotFound()
    return review


def _move(review: Review, status: ReviewStatus) -> ReviewStatus:
    try:
        return review.move_to(status)
    except InvalidTransition:
        db.session.rollback()
        raise CannotMove() from None


def publish(review_id: int, office) -> Review:
    """The office shows a review on its product page (and counts it in the rating); audited."""
    review = _locked(review_id)
    previous = _move(review, ReviewStatus.PUBLISHED)
    review.hidden_reason = ""
    record_change(office, "review.published", review, before={"status": str(previous)},
                  after={"status": str(review.status)})
    db.session.commit()
    return review


def hide(review_id: int, office, reason: str) -> Review:
    """The office takes a review down, saying why; audited."""
    reason = (reason or "").strip()
    if not reason:
        raise ReasonRequired()
    if len(reason) > 300:
        raise TextTooLong(n=300)
    review = _locked(review_id)
    previous = _move(review, ReviewStatus.HIDDEN)
    review.hidden_reason = reason
    record_change(office, "review.hidden", review, before={"status": str(previous)},
                  after={"status": str(review.status)}, note=reason)
    db.session.commit()
    return review


def change_answer(review_id: int, office, text: str) -> Review:
    """The office corrects or removes a producer's answer; audited."""
    text = _text(text, ANSWER_MAX_CHARS)
    review = _locked(review_id)
    before = review.answer
    review.answer = text
    if not text:
        review.answered_at = None
    record_change(office, "review.answer.changed", review, before={"answer": before}, after={"answer": text})
    db.session.commit()
    return review


def office_reviews(status: str | None = None, limit: int = 200) -> list[Review]:
    """The office's list: pending first, then newest; optionally one status."""
    query = select(Review).options(selectinload(Review.product).selectinload(Product.producer))
    if status in set(ReviewStatus):
        query = query.where(Review.status == status)
    pending_first = case((Review.status == ReviewStatus.PENDING, 0), else_=1)
    return list(db.session.scalars(query.order_by(pending_first, Review.created_at.desc(), Review.id.desc())
                                   .limit(limit)))


# ---- the producer ---------------------------------------------------------------------------------

def producer_reviews(producer_id: int, limit: int = 200) -> list[Review]:
    """Reviews of this producer's products the office has not hidden, newest first."""
    return list(db.session.scalars(
        select(Review).join(Product, Product.id == Review.product_id)
        .where(Product.producer_id == producer_id, Review.status != ReviewStatus.HIDDEN)
        .options(selectinload(Review.product))
        .order_by(Review.created_at.desc(), Review.id.desc()).limit(limit)))


def answer(review_id: int, user, text: str) -> Review:
    """The producer answers a review of its own product, once; another producer's review is not found."""
    text = _text(text, ANSWER_MAX_CHARS)
    if not text:
        raise AnswerRequired()
    review = _locked(review_id)
    producer_id = db.session.scalar(select(Product.producer_id).where(Product.id == review.product_id))
    if user.producer_id is None or producer_id != user.producer_id or review.status == ReviewStatus.HIDDEN:
        db.session.rollback()
        raise ReviewNotFound()
    if review.answer:
        db.session.rollback()
        raise AlreadyAnswered()
    review.answer, review.answered_at, review.answered_by_id = text, now(), user.id
    db.session.commit()
    return review
