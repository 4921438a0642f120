"""The chips above a listing's results: one per active filter, each naming it and the query that removes it."""
from __future__ import annotations

from dataclasses import dataclass

from flask_babel import gettext as _

from shop.catalog.queries import ProductFilters
from shop.labels import certification_label
from shop.money import format_vnd
from shop.places import ward


@dataclass(frozen=True)
class Chip:
    label: str
    #: The query arguments to change so that this filter goes (for `url_with`): a key to drop, or a shorter list.
    without: dict


def active_filters(filters: ProductFilters, category=None, producers: list[tuple[str, str]] = ()) -> list[Chip]:
    """The filters the listing applies, in the order of the filter form."""
    chips = []
    if filters.category:
        chips.append(Chip(category.t("name") if category else filters.category, {"category": None}))
    for stars in filters.stars:
        chips.append(Chip(_("%(n)s stars", n=stars), {"stars": [s for s in filters.stars if s != stars]}))
    if filters.ward:
        place = ward(filters.ward)
        chips.append(Chip(place.name if place else filters.ward, {"ward": None}))
    if filters.producer:
        chips.append(Chip(dict(producers).get(filters.producer, filters.producer), {"producer": None}))
    if filters.price_min is not None:
        chips.append(Chip(_("From %(price)s", price=format_vnd(filters.price_min)), {"price_min": None}))
    if filters.price_max is not None:
        chips.append(Chip(_("Up to %(price)s", price=format_vnd(filters.price_max)), {"price_max": None}))
    for cert in filters.cert:
        chips.append(Chip(certification_label(cert), {"cert": [c for c in filters.cert if c != cert]}))
    return chips
