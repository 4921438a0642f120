"""A short-lived cache of whole catalog pages, the same for every visitor; the personal parts are holes.

A catalog page is the same for every visitor in one language and currency, except a few personal parts: the
header's cart count and account link, pending messages ("added to your cart") and the CSRF token of the forms.
Those are **holes**: while a `@cached_page` view renders, `personal("template.html")` writes a marker instead of
the part, and the CSRF token is swapped for a marker; the body with its markers is what the cache keeps, and on
the way out each visitor's own parts are rendered into it (one small query for the cart count, the user's own
row when signed in). So visitors with a cart or an account get cached pages too, and never see another's parts.
The page as a plain visitor sees it (no account, no cart, no message) is kept as well, ready to send.

Pages are filed under the catalogue's version (shop/shared_cache.py): an edit that commits makes every host render
afresh on its next request. The store is Redis when CACHE_REDIS_URL is set (every worker and host shares the
pages), otherwise each worker's memory (other workers see a change within PAGE_CACHE_SECONDS).
"""
from __future__ import annotations

import json
import re
from functools import wraps

from flask import Response, current_app, g, make_response, render_template, request, session
from flask.globals import request_ctx
from flask_login import current_user
from flask_wtf.csrf import generate_csrf
from markupsafe import Markup

from shop import shared_cache
from shop.currency.estimates import currency_preference
from shop.i18n import current_language

_TOKEN = b"\x00csrf\x00"
#: The personal parts a cached page may leave open, each a template rendered for the visitor on the way out.
HOLES = frozenset({"_cart_count.html", "auth/_account_link.html", "_flashes.html", "catalog/_added.html"})
_MESSAGES = frozenset({"_flashes.html", "catalog/_added.html"})  # empty unless a message waits
# Visitors' text is HTML-escaped, so no product name or review can forge a marker.
_HOLE = re.compile(rb"<!--personal:([\w/.]+)-->")


def personal(template: str) -> Markup:
    """A personal part of a page: a hole while a cached page renders, else the part itself."""
    if g.get("shop.punching_holes"):
        return Markup(f"<!--personal:{template}-->")
    return Markup(render_template(template))


def _fill_holes(body: bytes) -> bytes:
    """This visitor's own parts in the holes of a page body (the CSRF marker stays)."""

    context: dict = {}
    current_app.update_template_context(context)  # once for all the parts: it costs more than they do

    def part(match: re.Match) -> bytes:
        name = match.group(1).decode()
        if name not in HOLES or name in _MESSAGES and "_flashes" not in session and not request_ctx.flashes:
            return b""
        return current_app.jinja_env.get_template(name).render(context).encode()

    body = _HOLE.sub(part, body)
    token = g.get("csrf_token")  # a part may have drawn the token
    return body.replace(token.encode(), _TOKEN) if token else body


def _with_token(body: bytes) -> bytes:
    return body.replace(_TOKEN, generate_csrf().encode()) if _TOKEN in body else body


def _plain_visitor() -> bool:
    """A visitor whose parts are everybody's: no account, no cart, no message waiting."""
    return (not current_user.is_authenticated and current_app.config["CART_COOKIE"] not in request.cookies
            and "_flashes" not in session)


def _key() -> str:
    # The host too: without PUBLIC_URL the hreflang links name the host the page was asked on.
    return (f"page:{shared_cache.version()}:{current_language()}:{currency_preference() or '-'}:"
            f"{request.host}:{request.full_path}")


def _get(key: str) -> tuple[bytes, dict] | None:
    stored = shared_cache.store().get(key)
    if stored is None:
        return None
    head, _, body = stored.partition(b"\n")
    return body, json.loads(head)


def _put(key: str, body: bytes, headers: dict) -> None:
    shared_cache.store().set(key, json.dumps(headers).encode() + b"\n" + body, current_app.config["PAGE_CACHE_SECONDS"])


def clear() -> None:
    """Forget every cached page (in every worker and host when the store is shared)."""
    shared_cache.store().clear()


def cached_page(view):
    """Serve this GET view from the page cache, with the visitor's own parts filled in."""

    @wraps(view)
    def serve(*args, **kwargs):
        key = _key() if current_app.config["PAGE_CACHE_SECONDS"] and request.method == "GET" else None
        # Most visitors are plain: their filled page is kept too, so serving them renders no part at all.
        plain = key + ":plain" if key and _plain_visitor() else None
        hit = _get(plain) if plain else None
        if hit is not None:
            return Response(_with_token(hit[0]), status=200, headers=hit[1])
        hit = _get(key) if key else None
        if hit is not None:
            body, headers = hit
            filled = _fill_holes(body)
            if plain:
                _put(plain, filled, headers)
            return Response(_with_token(filled), status=200, headers=headers)
        g.setdefault("shop.punching_holes", True)
        try:
            response = make_response(view(*args, **kwargs))
        finally:
            g.pop("shop.punching_holes", None)
        if response.direct_passthrough or response.mimetype != "text/html":
            return response
        body = response.get_data()
        token = g.get("csrf_token")
        if token:
            body = body.replace(token.encode(), _TOKEN)
        filled = _fill_holes(body)
        if key and response.status_code == 200:
            headers = {"Content-Type": response.headers["Content-Type"]}
            _put(key, body, headers)
            if plain:
                _put(plain, filled, headers)
        response.set_data(_with_token(filled))
        return response

    return serve
