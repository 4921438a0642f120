"""Warm the app in gunicorn's master before it forks the workers (gunicorn.conf.py, `preload_app`).

What every worker would otherwise build for itself on its first pages (compiled templates, compiled SQL, each
language's Babel data and translations, Vietnam's holidays) is built once, before the fork, and shared by the
workers as long as none writes to it (gc.freeze keeps the collector from doing so). bench/memory.py measures it.
"""
from __future__ import annotations

import re

from flask import Flask

from shop.extensions import db

#: Public pages every visitor meets; the first product of the listing is added.
PAGES = ("/", "/products", "/producers", "/sales-points", "/search?q=tra")


def warm_up(app: Flask) -> int:
    """GET the public pages once in every language; return how many answered 200. Never raises: a cold worker works.

    Any other app (bench/floor_app.py, served from the same directory) is left alone.
    """
    if app.extensions.get("sqlalchemy") is not db:
        return 0
    client, served = app.test_client(), 0
    try:
        paths = list(PAGES)
        listing = client.get("/products")
        first = re.search(rb'href="(/products/[a-z0-9-]+)"', listing.data)
        if first:
            paths.append(first.group(1).decode())
        for language in app.config["LANGUAGES"]:
            for path in paths:
                joiner = "&" if "?" in path else "?"
                served += client.get(f"{path}{joiner}lang={language}").status_code == 200
        from shop.clock import is_working_day, today

        is_working_day(today())
    except Exception:  # noqa: BLE001  (a database not reachable yet: the workers connect when it is)
        app.logger.warning("warming the app before forking the workers failed; each worker warms up on its own",
                           exc_info=True)
    finally:
        with app.app_context():
            for engine in db.engines.values():
                engine.dispose()  # the master serves nothing: it keeps no connection for the workers to inherit
    return served
