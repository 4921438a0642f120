"""Where one shop page spends its time: SQL statements and a cProfile of repeated requests.

    .venv/bin/python bench/profile_page.py DB_PATH URL [--repeat 50] [--top 25]
        [--visitor anonymous|cart|signed-in] [--cache full|cards|none] [--floor] [--no-profile]

Uses Flask's test client in this process (no gunicorn), after one warm-up request. `--visitor cart` first puts a
product in the client's cart (it then sends the cart cookie), `signed-in` logs in a customer (created once in the
database). `--cache cards` bypasses the page cache but keeps product cards and filter choices (a page nobody
asked for lately), `none` caches no page and no card. `--floor` also times the bare Flask floor
(bench/floor_app.py) on the same database in the same run, so the ratio survives a noisy machine.
"""
from __future__ import annotations

import argparse
import cProfile
import os
import pstats
import sqlite3
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def make_app(db: Path):
    """The shop on the given database, as the benchmark serves it."""
    os.environ.update(SHOP_SQLALCHEMY_DATABASE_URI=f"sqlite:///{db.resolve()}", SHOP_ENV="development",
                      SHOP_INSTANCE_PATH=str(ROOT / "bench/.work/instance"))
    sys.path.insert(0, str(ROOT))
    from wsgi import app

    return app


def sql_statements(app, url: str) -> list[tuple[str, tuple]]:
    """(statement, parameters) of every SQL statement one request runs."""
    from sqlalchemy import event

    from shop.extensions import db

    statements = []
    with app.app_context():
        engine = db.engine

    def record(conn, cursor, statement, params, context, executemany):
        statements.append((statement, tuple(params or ())))

    event.listen(engine, "before_cursor_execute", record)
    try:
        app.test_client().get(url)
    finally:
        event.remove(engine, "before_cursor_execute", record)
    return statements


def timed(db: Path, statements: list[tuple[str, tuple]], repeat: int = 5) -> list[tuple[float, str]]:
    """Best-of-N seconds of each SELECT replayed with plain sqlite3, execute and fetch included."""
    conn = sqlite3.connect(f"file:{db.resolve()}?mode=ro", uri=True, isolation_level=None)
    timings = []
    for statement, params in statements:
        if not statement.lstrip().upper().startswith(("SELECT", "WITH")):
            continue
        best = float("inf")
        for _ in range(repeat):
            started = time.perf_counter()
            conn.execute(statement, params).fetchall()
            best = min(best, time.perf_counter() - started)
        timings.append((best, " ".join(statement.split())))
    conn.close()
    return timings


PROFILE_USER = "bench-profile@example.vn"


def prepare_visitor(app, client, visitor: str) -> None:
    """Give the test client a cart, or log it in, as the visitor it plays."""
    import re

    if visitor == "cart":
        html = client.get("/products").get_data(as_text=True)
        slug = re.search(r'href="/products/([^"/?]+)"', html).group(1)
        html = client.get(f"/products/{slug}").get_data(as_text=True)
        token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html).group(1)
        variant = re.search(r'name="variant_id"[^>]*value="(\d+)"', html).group(1)
        assert client.post("/cart/add", data={"csrf_token": token, "variant_id": variant, "quantity": 2}).status_code == 303
    elif visitor == "signed-in":
        from sqlalchemy import select

        from shop.auth.models import User
        from shop.extensions import db

        with app.app_context():
            if db.session.scalar(select(User).where(User.email == PROFILE_USER)) is None:
                user = User(email=PROFILE_USER, name="Nguyễn Thị Lan", role="customer")
                user.set_password("profile-password-1")
                db.session.add(user)
                db.session.commit()
        html = client.get("/login").get_data(as_text=True)
        token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html).group(1)
        reply = client.post("/login", data={"csrf_token": token, "email": PROFILE_USER, "password": "profile-password-1"})
        assert reply.status_code == 302, reply.status_code


def set_cache(app, cache: str) -> None:
    if cache == "none":
        app.config["PAGE_CACHE_SECONDS"] = 0
    elif cache == "cards":
        from shop import page_cache

        page_cache._get = lambda key: None  # every page renders, with the cards and choices the store holds


def median_ms(client, url: str, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        client.get(url)
        times.append(time.perf_counter() - started)
    return sorted(times)[len(times) // 2] * 1000


def floor_ms(db: Path, url: str, repeat: int) -> tuple[str, float]:
    """Median ms of the bare Flask floor's page that matches URL (listing, item or search) on the same database."""
    import importlib.util

    spec = importlib.util.spec_from_file_location("floor_app", ROOT / "bench/floor_app.py")
    floor = importlib.util.module_from_spec(spec)
    os.environ["FLOOR_DB"] = str(db.resolve())
    spec.loader.exec_module(floor)
    client = floor.app.test_client()
    if url.startswith("/search"):
        path = url
    elif url.startswith("/products/"):
        path = "/item/" + url.split("/")[2].split("?")[0]
    else:
        path = "/list"
    client.get(path)
    return path, median_ms(client, path, repeat)


def main() -> None:
    """Print the SQL of one request, then the top functions over many."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("db", type=Path)
    parser.add_argument("url")
    parser.add_argument("--repeat", type=int, default=50)
    parser.add_argument("--top", type=int, default=25)
    parser.add_argument("--visitor", choices=("anonymous", "cart", "signed-in"), default="anonymous")
    parser.add_argument("--cache", choices=("full", "cards", "none"), default="full")
    parser.add_argument("--floor", action="store_true", help="time the bare Flask floor too")
    parser.add_argument("--no-profile", action="store_true", help="timings only: no SQL list, no cProfile")
    args = parser.parse_args()
    app = make_app(args.db)
    client = app.test_client()
    prepare_visitor(app, client, args.visitor)
    set_cache(app, args.cache)
    response = client.get(args.url)
    print(f"{args.url}: {response.status_code}, {len(response.data)} bytes ({args.visitor}, cache {args.cache})")
    shop = median_ms(client, args.url, args.repeat)
    print(f"{shop:.2f} ms per request (median of {args.repeat}, no profiler)")
    if args.floor:
        path, floor = floor_ms(args.db, args.url, args.repeat)
        print(f"floor {path}: {floor:.2f} ms per request; shop/floor speed {floor / shop:.2f}x")
    if args.no_profile:
        return

    statements = timed(args.db, sql_statements(app, args.url))
    print(f"\n{len(statements)} SQL statements, {sum(t for t, _ in statements) * 1000:.1f} ms in SQLite (replayed with sqlite3, fetch included):")
    for seconds, statement in sorted(statements, reverse=True):
        print(f"  {seconds * 1000:7.2f} ms  {statement[:160]}")
    repeated = Counter(s for _, s in statements)
    for statement, n in repeated.items():
        if n > 1:
            print(f"  ×{n}: {statement[:120]}")

    started = time.perf_counter()
    profile = cProfile.Profile()
    profile.enable()
    for _ in range(args.repeat):
        client.get(args.url)
    profile.disable()
    print(f"\n{(time.perf_counter() - started) / args.repeat * 1000:.1f} ms per request under cProfile")
    stats = pstats.Stats(profile)
    stats.sort_stats("cumulative").print_stats(args.top)
    stats.sort_stats("tottime").print_stats(args.top)


if __name__ == "__main__":
    main()
