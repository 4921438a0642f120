"""A short-lived cache of whole catalog pages for anonymous visitors.

A page is the same for every visitor without an account, a cart or a pending message, in one
language and currency: render it once every few seconds instead of on every request. Pages are filed
under the catalogue's version (shop/shared_cache.py): an edit that commits makes every host render
afresh on its next request. The store is Redis when CACHE_REDIS_URL is set (every worker and host
shares the pages), otherwise each worker's memory (other workers see a change within
PAGE_CACHE_SECONDS). The CSRF token in a cached page is swapped for the current visitor's on the way out.
"""
from __future__ import annotations

import json
from functools import wraps

from flask import Response, current_app, g, make_response, request, session
from flask_login import current_user
from flask_wtf.csrf import generate_csrf

from shop import shared_cache
from shop.currency.estimates import currency_preference
from shop.i18n import current_language

_TOKEN = "\x00csrf\x00"


def _cacheable() -> bool:
    return (request.method == "GET" and not current_user.is_authenticated
            and current_app.config["CART_COOKIE"] not in request.cookies and "_flashes" not in session)


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
    """Serve this GET view from the page cache when the visitor is anonymous and cart-less."""

    @wraps(view)
    def serve(*args, **kwargs):
        if not current_app.config["PAGE_CACHE_SECONDS"] or not _cacheable():
            return view(*args, **kwargs)
        key = (f"page:{shared_cache.version()}:{current_language()}:{currency_preference() or '-'}:"
               f"{request.full_path}")
        hit = _get(key)
        if hit is not None:
            body, headers = hit
            if _TOKEN.encode() in body:
                body = body.replace(_TOKEN.encode(), generate_csrf().encode())
            return Response(body, status=200, headers=headers)
        response = make_response(view(*args, **kwargs))
        if response.status_code == 200 and not response.direct_passthrough:
            body = response.get_data()
            token = g.get("csrf_token")
            if token:
                body = body.replace(token.encode(), _TOKEN.encode())
            _put(key, body, {"Content-Type": response.headers["Content-Type"]})
        return response

    return serve
