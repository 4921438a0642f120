"""A short-lived cache of whole catalog pages for anonymous visitors, one per worker.

A page is the same for every visitor without an account, a cart or a pending message, in one
language: render it once every few seconds instead of on every request. Each worker keeps its
own copy (nothing another worker needs), so a change shows everywhere within PAGE_CACHE_SECONDS.
The CSRF token in a cached page is swapped for the current visitor's on the way out.
"""
from __future__ import annotations

import threading
import time
from collections import OrderedDict
from functools import wraps

from flask import Response, current_app, g, make_response, request, session
from flask_login import current_user
from flask_wtf.csrf import generate_csrf

from shop.currency.estimates import currency_preference
from shop.i18n import current_language

_TOKEN = "\x00csrf\x00"
_lock = threading.Lock()
_pages: OrderedDict[tuple[str, str], tuple[float, bytes, dict]] = OrderedDict()


def _cacheable() -> bool:
    return (request.method == "GET" and not current_user.is_authenticated
            and current_app.config["CART_COOKIE"] not in request.cookies and "_flashes" not in session)


def _get(key) -> tuple[bytes, dict] | None:
    with _lock:
        entry = _pages.get(key)
        if entry is None:
            return None
        expires, body, headers = entry
        if expires < time.monotonic():
            del _pages[key]
            return None
        _pages.move_to_end(key)
        return body, headers


def _put(key, body: bytes, headers: dict) -> None:
    limit = current_app.config["PAGE_CACHE_ENTRIES"]
    with _lock:
        _pages[key] = (time.monotonic() + current_app.config["PAGE_CACHE_SECONDS"], body, headers)
        _pages.move_to_end(key)
        while len(_pages) > limit:
            _pages.popitem(last=False)


def clear() -> None:
    with _lock:
        _pages.clear()


def cached_page(view):
    """Serve this GET view from the page cache when the visitor is anonymous and cart-less."""

    @wraps(view)
    def serve(*args, **kwargs):
        if not current_app.config["PAGE_CACHE_SECONDS"] or not _cacheable():
            return view(*args, **kwargs)
        key = (request.full_path, current_language(), currency_preference())
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
