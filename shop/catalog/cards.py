"""Product cards rendered once and reused by every page that shows them.

A card (templates/_macros.html: product_card) is the same wherever it appears, the listing, search, the home
page, a producer's page or "more from this producer", for every visitor in one language and currency. It is kept
in the pages' store (shop/shared_cache.py: Redis with CACHE_REDIS_URL, else the worker's memory) under the
catalogue's version, the day (a certificate's stars count until it expires) and the language and currency; every
edit of what a card shows (name, price, picture, stars, rating, producer) raises the version. So a page the page
cache does not hold, page 37 or a rare filter, still reuses cards: a listing asks the database for the ids of its
products and loads only the products whose card is missing, with one round trip to the store for all of them.
"""
from __future__ import annotations

from flask import current_app
from markupsafe import Markup

from shop import shared_cache
from shop.catalog import queries
from shop.catalog.models import Product, today
from shop.currency.estimates import currency_preference
from shop.i18n import current_language


def seconds() -> float:
    """How long a card is kept (0: cards are not cached, and a listing had better load its products at once)."""
    config = current_app.config
    if not config["PAGE_CACHE_SECONDS"]:
        return 0
    return (config["CARD_CACHE_SECONDS"] if shared_cache.store().shared else 0) or config["PAGE_CACHE_SECONDS"]


def _render(product: Product) -> str:
    return str(current_app.jinja_env.get_template("_macros.html").module.product_card(product))


def product_cards(items: list[Product | int]) -> Markup:
    """The cards of these products (loaded products or ids), in their order, from the store when it has them."""
    store, ids = shared_cache.store(), _ids(items)
    keep = seconds()
    prefix = (f"card:{shared_cache.version()}:{today().isoformat()}:{current_language()}:"
              f"{currency_preference() or '-'}:")
    cards = dict(zip(ids, store.get_many([prefix + str(i) for i in ids]))) if keep else dict.fromkeys(ids)
    missing = {i for i, card in cards.items() if card is None}
    if missing:
        for product_id, product in _load([item for item in items if _id(item) in missing]).items():
            cards[product_id] = card = _render(product).encode()
            if keep:
                store.set(prefix + str(product_id), card, keep)
    # A product gone between the id query and its loading (unpublished just now) has no card.
    return Markup(b"".join(cards[i] for i in ids if cards[i] is not None).decode())


def _id(item: Product | int) -> int:
    return item if isinstance(item, int) else item.id


def _ids(items: list[Product | int]) -> list[int]:
    return [_id(item) for item in items]


def _load(items: list[Product | int]) -> dict[int, Product]:
    """The products of these items: those given as loaded products as they are, the others in one query."""
    loaded = {item.id: item for item in items if not isinstance(item, int)}
    wanted = [item for item in items if isinstance(item, int)]
    if wanted:
        loaded.update((p.id, p) for p in queries.products_for_cards(wanted))
    return loaded
