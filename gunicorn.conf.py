"""gunicorn's settings for the shop, read from the working directory: `gunicorn -w 2 -b 127.0.0.1:8000 wsgi:app`.

Command-line options win over these. What they buy is measured by bench/memory.py (bench/RESULTS.md).
"""
from __future__ import annotations

import gc

#: Load the app once in the master and fork the workers from it: the code, templates' sources and
#: translations are then pages the workers share (PSS) instead of copies each worker builds.
preload_app = True

# What the master creates while loading the app lives as long as the workers: collections in between would only
# leave holes in its pages. pre_fork collects once and freezes the survivors, so that no worker's collector
# writes to (and so copies) the pages it shares with the master. Set as this file is read, before the app loads.
gc.disable()


_warmed = False


def pre_fork(server, worker) -> None:
    global _warmed
    if server.cfg.preload_app and not _warmed:
        from shop.preload import warm_up

        warm_up(server.app.wsgi())
        _warmed = True
    gc.collect()
    gc.freeze()


def post_fork(server, worker) -> None:
    gc.enable()
    if server.cfg.preload_app:
        from shop.extensions import forget_connections

        # A connection the master opened (none today) must never be shared by two processes.
        forget_connections(server.app.wsgi())
