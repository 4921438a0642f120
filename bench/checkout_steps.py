"""SQL statements and CPU per step of one checkout, in-process (Flask test client, no HTTP, no gunicorn).

    .venv/bin/python bench/checkout_steps.py [--db sqlite|postgresql|both] [-n 40] [--profile STEP]

Walks bench/checkout.py's journey (product page → add 2 items → who and where → pay and confirm → place)
on a copy of bench/.work/checkout-seed.sqlite3 (run bench/checkout.py once to seed it) and on a PostgreSQL
database (bench_checkout_steps, created and dropped). Prints, per step, the SQL statements sent
(SQLAlchemy `before_cursor_execute`) and the median CPU ms of the process over n journeys.
`--profile STEP` (e.g. place) prints cProfile's top functions for that step.
"""
from __future__ import annotations

import argparse
import cProfile
import contextlib
import html
import io
import os
import pstats
import re
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

STEPS = ("product page", "add (new cart)", "add (second item)", "who and where", "pay and confirm", "place")
PG_DB = "bench_checkout_steps"


def _hidden(body: bytes, name: str) -> str:
    for tag in re.findall(r"<input\b[^>]*>", body.decode("utf-8", "replace")):
        if re.search(rf'\bname="{re.escape(name)}"', tag):
            match = re.search(r'\bvalue="([^"]*)"', tag)
            if match:
                return html.unescape(match.group(1))
    raise RuntimeError(f"no {name} field in the page")


def measure(uri: str, journeys: int, profile_step: str | None = None) -> dict[str, tuple[float, float]]:
    """{step: (statements per request, median CPU ms)} over `journeys` checkouts on one database."""
    os.environ["SHOP_ENV"] = "development"
    os.environ.setdefault("SHOP_MIGRATIONS", "false")
    from sqlalchemy import event

    from checkout import INSTANCE, Database, prepare_stock
    from shop import create_app
    from shop.extensions import db

    os.environ["SHOP_INSTANCE_PATH"] = str(INSTANCE)
    with contextlib.closing(Database(uri)) as conn:
        shop = prepare_stock(conn)
    app = create_app({"SQLALCHEMY_DATABASE_URI": uri})
    counts = {"n": 0}
    with app.app_context():
        event.listen(db.engine, "before_cursor_execute", lambda *a: counts.__setitem__("n", counts["n"] + 1))
    statements: dict[str, list[int]] = {s: [] for s in STEPS}
    cpu: dict[str, list[float]] = {s: [] for s in STEPS}
    profiler = cProfile.Profile() if profile_step else None
    (first, first_slug), (second, _) = shop.plenty[0], shop.plenty[1]
    for number in range(journeys + 3):  # the first three warm imports and caches up
        client = app.test_client()
        measured = number >= 3

        def step(name, method, path, form=None):
            counts["n"] = 0
            if profiler and measured and name == profile_step:
                profiler.enable()
            started = time.process_time()
            reply = client.open(path, method=method, data=form)
            took = time.process_time() - started
            if profiler and measured and name == profile_step:
                profiler.disable()
            if measured:
                statements[name].append(counts["n"])
                cpu[name].append(took * 1000)
            if reply.status_code >= 400:
                raise RuntimeError(f"{name}: {reply.status_code}")
            return reply

        page = step("product page", "GET", f"/products/{first_slug}")
        token = _hidden(page.data, "csrf_token")
        step("add (new cart)", "POST", "/cart/add", {"csrf_token": token, "variant_id": first, "quantity": 1})
        step("add (second item)", "POST", "/cart/add", {"csrf_token": token, "variant_id": second, "quantity": 1})
        reply = step("who and where", "POST", "/checkout", {
            "csrf_token": token, "name": f"Khách {number}", "email": f"k{number}@ocop-bench.vn", "phone": "0912345678",
            "method": "pickup", "sales_point": shop.sales_point_id, "data_consent": "y"})
        if "/checkout/confirm" not in reply.headers.get("Location", ""):
            raise RuntimeError(f"who and where: {reply.status_code} {reply.headers.get('Location')}")
        review = step("pay and confirm", "GET", "/checkout/confirm")
        placed = step("place", "POST", "/checkout/place", {
            "csrf_token": _hidden(review.data, "csrf_token"), "checkout_key": _hidden(review.data, "checkout_key"),
            "expected_total": _hidden(review.data, "expected_total"), "method": "cash_at_pickup"})
        if "/orders/" not in placed.headers.get("Location", ""):
            raise RuntimeError(f"place: {placed.status_code} {placed.headers.get('Location')}")
    if profiler:
        out = io.StringIO()
        pstats.Stats(profiler, stream=out).sort_stats("cumulative").print_stats(45)
        print(out.getvalue())
    with app.app_context():
        db.engine.dispose()
    return {s: (statistics.mean(statements[s]), statistics.median(cpu[s])) for s in STEPS}


def sqlite_copy() -> str:
    from checkout import SEED_DB, WORK, fresh_copy, sqlite_uri

    if not SEED_DB.exists():
        raise SystemExit("run bench/checkout.py --quick once first: it seeds bench/.work/checkout-seed.sqlite3")
    return sqlite_uri(fresh_copy(SEED_DB, WORK / "checkout-steps.sqlite3"))


def table(results: dict[str, dict[str, tuple[float, float]]]) -> str:
    """A markdown table: one row per step, statements and CPU ms per database."""
    names = list(results)
    header = "| step | " + " | ".join(f"{n} statements | {n} CPU ms" for n in names) + " |"
    lines = [header, "|---|" + "---:|---:|" * len(names)]
    for step_name in STEPS:
        cells = " | ".join(f"{results[n][step_name][0]:.0f} | {results[n][step_name][1]:.1f}" for n in names)
        lines.append(f"| {step_name} | {cells} |")
    totals = " | ".join(f"**{sum(v[0] for v in results[n].values()):.0f}** | **{sum(v[1] for v in results[n].values()):.1f}**"
                        for n in names)
    lines.append(f"| **whole checkout** | {totals} |")
    return "\n".join(lines)


def steps_table(databases: tuple[str, ...] = ("sqlite", "postgresql"), journeys: int = 20) -> str:
    """Measure each database in a child process (one app per process) and return the table."""
    import json
    import subprocess

    results = {}
    for name in databases:
        out = subprocess.run([sys.executable, __file__, "--db", name, "-n", str(journeys), "--json"],
                             capture_output=True, text=True)
        if out.returncode:
            raise RuntimeError(f"checkout_steps on {name} failed:\n{out.stderr[-3000:]}")
        results["SQLite" if name == "sqlite" else "PostgreSQL"] = {
            k: tuple(v) for k, v in json.loads(out.stdout.strip().splitlines()[-1]).items()}
    return table(results)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", choices=("sqlite", "postgresql", "both"), default="both")
    parser.add_argument("-n", type=int, default=40, help="measured journeys per database")
    parser.add_argument("--profile", choices=STEPS, help="cProfile one step")
    parser.add_argument("--json", action="store_true", help="print one database's figures as JSON (used by checkout.py)")
    args = parser.parse_args()
    if args.db == "both" and not args.profile and not args.json:
        print(steps_table(journeys=args.n))
        return 0
    from checkout import PG_URI, create_pg, pg_admin

    name = "sqlite" if args.db == "both" else args.db
    if name == "sqlite":
        uri = sqlite_copy()
    else:
        with contextlib.redirect_stdout(sys.stderr):
            uri = create_pg(PG_DB)
    try:
        result = measure(uri, args.n, args.profile)
    finally:
        if name == "postgresql":
            pg_admin(f"DROP DATABASE IF EXISTS {PG_DB} WITH (FORCE)")
    if args.json:
        import json

        print(json.dumps(result))
    else:
        print(table({name: result}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
