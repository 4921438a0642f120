"""Where one shop page spends its time: SQL statements and a cProfile of repeated requests.

    .venv/bin/python bench/profile_page.py DB_PATH URL [--repeat 50] [--top 25]

Uses Flask's test client in this process (no gunicorn), after one warm-up request.
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


def main() -> None:
    """Print the SQL of one request, then the top functions over many."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("db", type=Path)
    parser.add_argument("url")
    parser.add_argument("--repeat", type=int, default=50)
    parser.add_argument("--top", type=int, default=25)
    args = parser.parse_args()
    app = make_app(args.db)
    client = app.test_client()
    response = client.get(args.url)
    print(f"{args.url}: {response.status_code}, {len(response.data)} bytes")

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
