"""The caches' store and the catalogue's version, shared by every worker and host when Redis is configured.

Catalog pages (with holes for each visitor's own parts: shop/page_cache.py), product cards
(shop/catalog/cards.py), filter choices and display rates are cached. Each cached thing is filed under the
catalogue's **version**, a number that goes up when a transaction that changed the catalogue commits (a product,
variant, producer, category, sales point, certificate, display rate or stock adjustment: any model class with
`__cache_scope__ = "catalog"`). A commit on one host raises the number in Redis, so every host's next request
looks for pages under the new number and renders afresh: an edit is visible everywhere at once, not after the
cache's seconds.

With `CACHE_REDIS_URL` unset (SQLite, one host) the store and the version live in each worker's memory, as before:
a worker sees its own edits at once and other workers' within the caches' seconds (PAGE_CACHE_SECONDS …).
Stock that orders allocate does not raise the version (it would empty the cache at every checkout); pages show
"in stock" for at most the cache's seconds after the last unit sold, and checkout checks the real stock.
"""
from __future__ import annotations

import json
import threading
import time
from collections import OrderedDict

from flask import current_app, has_app_context, has_request_context, request
from sqlalchemy import event
from sqlalchemy.orm import Session

CATALOG = "catalog"


class LocalStore:
    """One worker's memory: bytes under a key until they expire, the oldest dropped beyond `entries` or `max_bytes`."""

    #: Other workers never see what one keeps, nor its version: entries must expire soon (PAGE_CACHE_SECONDS).
    shared = False

    def __init__(self, entries: int, max_bytes: int | None = None):
        self.entries, self.max_bytes = entries, max_bytes
        self._lock = threading.Lock()
        self._items: OrderedDict[str, tuple[float, bytes]] = OrderedDict()
        self._bytes = 0
        self._counters: dict[str, int] = {}

    def _get(self, key: str) -> bytes | None:
        item = self._items.get(key)
        if item is None:
            return None
        if item[0] < time.monotonic():
            self._drop(key)
            return None
        self._items.move_to_end(key)
        return item[1]

    def _drop(self, key: str) -> None:
        self._bytes -= len(self._items.pop(key)[1])

    def get(self, key: str) -> bytes | None:
        with self._lock:
            return self._get(key)

    def get_many(self, keys: list[str]) -> list[bytes | None]:
        with self._lock:
            return [self._get(key) for key in keys]

    def set(self, key: str, value: bytes, seconds: float) -> None:
        with self._lock:
            if key in self._items:
                self._drop(key)
            self._items[key] = (time.monotonic() + seconds, value)
            self._bytes += len(value)
            while len(self._items) > self.entries or (self.max_bytes is not None and self._bytes > self.max_bytes):
                self._drop(next(iter(self._items)))

    def counter(self, key: str) -> int:
        return self._counters.get(key, 0)

    def incr(self, key: str) -> int:
        with self._lock:
            self._counters[key] = self._counters.get(key, 0) + 1
            return self._counters[key]

    def clear(self) -> None:
        with self._lock:
            self._items.clear()
            self._bytes = 0


class RedisStore:
    """Redis, shared by every worker and host; entries expire by Redis's own clock, memory bounded by maxmemory."""

    #: Every worker and host reads the same entries and the same version: entries may live long.
    shared = True

    def __init__(self, url: str, prefix: str):
        import redis

        self.prefix = prefix
        self.client = redis.Redis.from_url(url, socket_timeout=2, socket_connect_timeout=2)

    def get(self, key: str) -> bytes | None:
        return self.client.get(self.prefix + key)

    def get_many(self, keys: list[str]) -> list[bytes | None]:
        """Several entries in one round trip (the cards of a page)."""
        return self.client.mget([self.prefix + key for key in keys]) if keys else []

    def set(self, key: str, value: bytes, seconds: float) -> None:
        self.client.set(self.prefix + key, value, px=max(1, int(seconds * 1000)))

    def counter(self, key: str) -> int:
        return int(self.client.get(self.prefix + key) or 0)

    def incr(self, key: str) -> int:
        return int(self.client.incr(self.prefix + key))

    def clear(self) -> None:
        # Raising the version is the shared way to forget: old entries expire on their own.
        self.incr("v:" + CATALOG)


def init_app(app) -> None:
    url = app.config.get("CACHE_REDIS_URL")
    app.extensions["shared_cache"] = (RedisStore(url, app.config["CACHE_KEY_PREFIX"]) if url
                                      else LocalStore(app.config["PAGE_CACHE_ENTRIES"], app.config["PAGE_CACHE_BYTES"]))


def store():
    return current_app.extensions["shared_cache"]


def version(name: str = CATALOG) -> int:
    """The current version of `name`, read once per request."""
    if has_request_context():
        seen = request.environ.setdefault("shop.cache_versions", {})  # this request's, not the app context's
        if name not in seen:
            seen[name] = store().counter("v:" + name)
        return seen[name]
    return store().counter("v:" + name)


def shared_value(name: str, compute, seconds: float):
    """compute()'s value (JSON), worked out once per catalogue version by whichever worker or host asks first when
    the store is shared (Redis); with each worker's own store, compute() itself (the caller keeps it). A None
    result (a failure) is not kept."""
    shared = store()
    if not shared.shared:
        return compute()
    key = f"value:{name}:{version()}"
    raw = shared.get(key)
    if raw is not None:
        return json.loads(raw)
    value = compute()
    if value is not None:
        shared.set(key, json.dumps(value).encode(), seconds)
    return value


def bump(name: str = CATALOG) -> None:
    """Everything cached under `name` is stale from now on, on every host sharing the store."""
    store().incr("v:" + name)
    if has_request_context():
        request.environ.pop("shop.cache_versions", None)


@event.listens_for(Session, "after_flush")
def _note_catalog_changes(session, _flush_context) -> None:
    for obj in (*session.new, *session.dirty, *session.deleted):
        if getattr(type(obj), "__cache_scope__", None) == CATALOG:
            session.info["catalog_changed"] = True
            return


@event.listens_for(Session, "after_commit")
def _bump_after_commit(session) -> None:
    if session.info.pop("catalog_changed", False) and has_app_context() and "shared_cache" in current_app.extensions:
        bump(CATALOG)


@event.listens_for(Session, "after_rollback")
def _forget_rolled_back(session) -> None:
    session.info.pop("catalog_changed", None)
