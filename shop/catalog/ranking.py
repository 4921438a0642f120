"""The stars listings rank products by (`Product.listing_stars`), kept right as certificates end by the calendar.

Every ORM write of a product sets its rank for Vietnam's day (catalog/models.py). A certificate also ends with no
write at all, at midnight after its expiry day: `flask certificates rank` (daily, after midnight in Vietnam; also
run by `flask certificates remind`) moves those products to 0 stars. Until it has run, the listings see the
left-over rank (`has_stale_ranks`, three index look-ups) and rank by the certificate dates instead: slower, never
wrong. An ended certificate never ranks as starred.
"""
from __future__ import annotations

import datetime as dt

from sqlalchemy import and_, case, select, update

from shop import shared_cache
from shop.catalog.models import Product, ProductStatus
from shop.clock import today
from shop.extensions import db

#: The star levels a rank can hold besides 0 (the `ocop_stars` CHECK).
RANKED_LEVELS = (3, 4, 5)


def stars_on(day: dt.date):
    """SQL: the stars that count on `day`, 0 outside the certificate's validity (as `listing_stars_on`)."""
    valid = and_(Product.ocop_certified_on <= day, Product.ocop_expires_on >= day)
    return case((valid, Product.ocop_stars), else_=0)


def has_stale_ranks(day: dt.date | None = None) -> bool:
    """Whether a published product still ranks as starred on a certificate that ended before `day` (three look-ups
    in ix_product_status_stars_expiry; a product that is not listed is ranked again when it is published)."""
    day = day or today()
    return db.session.scalar(
        select(Product.id).where(Product.status == ProductStatus.PUBLISHED, Product.listing_stars.in_(RANKED_LEVELS),
                                 Product.ocop_expires_on < day).limit(1)
    ) is not None


def refresh_ranks(day: dt.date | None = None) -> int:
    """Set every product's rank for Vietnam's `day` (today by default); commit once; return how many moved.

    Cached pages and filter choices go stale with it (the catalogue's version), on every host.
    """
    day = day or today()
    ranked = stars_on(day)
    moved = db.session.execute(
        update(Product).where(Product.listing_stars != ranked).values(listing_stars=ranked)
        .execution_options(synchronize_session=False)
    ).rowcount
    db.session.commit()
    if moved:
        shared_cache.bump()
    return moved
