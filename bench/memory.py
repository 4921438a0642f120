"""Memory of a gunicorn worker: the shop after serving every page type, against the bare Flask floor.

    .venv/bin/python bench/memory.py [--fresh] [--no-record] [--rounds N]

Serves a copy of the demo catalogue (bench/.work/checkout-seed.sqlite3, `flask seed-demo` + `flask demo
accounts`) with gunicorn, 2 sync workers, started from the repository root so the repo's gunicorn.conf.py
applies (as in production), and the floor (bench/floor_app.py, plain gunicorn) on the same file. Then walks every
page type `--rounds` times (so that both workers serve each one): home, listing, search, product, producer, sales
points, English/Chinese and foreign-currency pages, cart with items, the checkout steps up to a placed order and
its page, sign-in, the customer's account, a producer workspace page, a desk page and an office page. Reports, per
worker, RSS (VmRSS, the issue's target: ≤ 64 MiB), PSS (shared pages split between the processes that map them)
and USS (pages only this worker holds) from /proc/PID/smaps_rollup, right after start and after the walk.

Also prints what each import costs: a fresh interpreter imports the shop's dependencies one after another
and reads its own VmRSS after each (cumulative order, so each row is what that package adds to the ones above).
Records both tables in bench/RESULTS.md between this script's markers (unless --no-record).
"""
from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import json
import os
import re
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from catalog import (  # noqa: E402
    RESULTS, ROOT, VENV_BIN, WORK, code_version, free_port, gunicorn_options, machine, stop_server, table,
    worker_pids,
)
from checkout import (  # noqa: E402
    INSTANCE, Browser, Server, fresh_copy, flask_cli, hidden, seeded_sqlite, shop_env, sqlite_uri, wait_ready,
)

WORKERS = 2
RSS_LIMIT_MIB = 64
DB = WORK / "memory.sqlite3"
PRODUCT_SLUG = "mien-dong-binh-lieu"
MARK_START = "<!-- bench/memory.py: start -->"
MARK_END = "<!-- bench/memory.py: end -->"
#: Imported one after another in a fresh interpreter, in the order create_app meets them.
IMPORTS = (
    "flask", "sqlalchemy", "sqlalchemy.orm", "flask_sqlalchemy", "sqlalchemy.dialects.sqlite",
    "flask_babel", "flask_wtf", "flask_login", "flask_limiter", "flask_compress", "whitenoise",
    "phonenumbers", "email_validator", "shop.models", "shop.messages", "shop", "wsgi",
)
#: Never imported by a web worker (checked in tests/unit/test_lazy_imports.py).
CLI_ONLY = ("alembic", "flask_migrate", "mako", "stripe", "vietnam_provinces")
DEMO_PASSWORD = "ocop-demo-2026"


def smaps(pid: int) -> dict[str, float]:
    """RSS, PSS and USS of one process in MiB (VmRSS from status; the rest from smaps_rollup)."""
    fields: dict[str, float] = {}
    for name in ("status", "smaps_rollup"):
        for line in Path(f"/proc/{pid}/{name}").read_text().splitlines():
            key, _, value = line.partition(":")
            if value.strip().endswith("kB"):
                fields[key.strip()] = int(value.split()[0]) / 1024
    return {"rss": fields["VmRSS"], "pss": fields["Pss"],
            "uss": fields["Private_Clean"] + fields["Private_Dirty"]}


def start(name: str, target: str, env: dict[str, str], cwd: Path) -> Server:
    """gunicorn -w 2 -k sync, started in cwd so that cwd's gunicorn.conf.py (if any) is read."""
    port, log = free_port(), WORK / f"gunicorn-memory-{name}.log"
    log.unlink(missing_ok=True)
    command = [str(VENV_BIN / "gunicorn"), "-w", str(WORKERS), "-k", "sync", "-b", f"127.0.0.1:{port}",
               "--log-level", "warning", "--error-logfile", str(log), *gunicorn_options(), target]
    process = subprocess.Popen(command, cwd=cwd, env=env, start_new_session=True, stdout=subprocess.DEVNULL,
                               stderr=subprocess.STDOUT)
    return Server(name, port, process, log)


def order_path(db: Path, last: bool = False) -> str:
    """The guest link (with its token) of the first demo order, or of the order placed last."""
    with contextlib.closing(sqlite3.connect(db)) as conn:
        number, token = conn.execute(f'SELECT number, access_token FROM "order" ORDER BY id {"DESC" if last else ""}'
                                     ' LIMIT 1').fetchone()
    return f"/orders/{number}?t={token}"


def get(browser: Browser, path: str, expected: tuple[int, ...] = (200,)):
    reply = browser.send("GET", path)
    if reply.status not in expected:
        raise RuntimeError(f"GET {path} answered {reply.status}")
    return reply


def post(browser: Browser, path: str, form: dict, expected: tuple[int, ...] = (302, 303)):
    reply = browser.send("POST", path, form)
    if reply.status not in expected:
        raise RuntimeError(f"POST {path} answered {reply.status}")
    return reply


def signed_in(port: int, email: str) -> Browser:
    browser = Browser(port)
    page = get(browser, "/login")
    post(browser, "/login", {"csrf_token": hidden(page.body, "csrf_token"), "email": email,
                             "password": DEMO_PASSWORD})
    return browser


def walk(port: int, db: Path, number: int) -> int:
    """Every page type once; returns the number of requests made."""
    visitor = Browser(port)
    for path in ("/", "/products", "/search?q=mien+dong", "/producers", "/sales-points", "/about",
                 "/?lang=en", "/products?lang=zh", f"/products/{PRODUCT_SLUG}?lang=ko",
                 f"/products/{PRODUCT_SLUG}?lang=en&cur=USD", f"/products/{PRODUCT_SLUG}?lang=vi&cur=VND"):
        get(visitor, path)
    product = get(visitor, f"/products/{PRODUCT_SLUG}")
    producer = re.search(rb'href="(/producers/[^"?#]+)"', product.body)
    point = re.search(rb'href="(/sales-points/[^"?#]+)"', get(visitor, "/sales-points").body)
    for found in (producer, point):
        if found:
            get(visitor, found.group(1).decode())
    token = hidden(product.body, "csrf_token")
    post(visitor, "/cart/add", {"csrf_token": token, "variant_id": hidden(product.body, "variant_id"), "quantity": 1})
    get(visitor, "/cart")
    checkout = get(visitor, "/checkout")
    point_id = re.search(rb'name="sales_point"[^>]*value="(\d+)"', checkout.body)
    post(visitor, "/checkout", {"csrf_token": token, "name": f"Khách đo {number}", "email": f"m{number}@ocop-bench.vn",
                                "phone": "0912345678", "method": "pickup", "data_consent": "y",
                                "sales_point": point_id.group(1).decode() if point_id else ""})
    review = get(visitor, "/checkout/confirm")
    placed = post(visitor, "/checkout/place", {
        "csrf_token": hidden(review.body, "csrf_token"), "checkout_key": hidden(review.body, "checkout_key"),
        "expected_total": hidden(review.body, "expected_total"), "method": "vietqr_transfer"})
    if not placed.location.startswith("/orders/"):
        raise RuntimeError(f"placing the order led to {placed.location}")
    get(visitor, order_path(db, last=True))
    get(Browser(port), order_path(db))
    customer = signed_in(port, "customer@demo.example.vn")
    get(customer, "/account")
    for email, paths in (("producer@demo.example.vn", ("/producer/", "/producer/products", "/producer/stock")),
                         ("desk@demo.example.vn", ("/desk/", "/desk/pickup", "/desk/stock")),
                         ("office@demo.example.vn", ("/admin/", "/admin/transfers"))):
        staff = signed_in(port, email)
        for path in paths:
            get(staff, path)
    return visitor.requests + customer.requests + 8


def floor_walk(port: int) -> None:
    browser = Browser(port)
    for path in ("/list", "/search?q=mien+dong", f"/item/{PRODUCT_SLUG}"):
        browser.send("GET", path)


def import_table() -> list[list[str]]:
    """What each import adds to a fresh interpreter's VmRSS, in IMPORTS order."""
    probe = (
        "import importlib, json, sys\n"
        "def rss():\n"
        "    return int(next(l for l in open('/proc/self/status') if l.startswith('VmRSS')).split()[1]) / 1024\n"
        "rows, prev = [['python itself', rss(), 0]], rss()\n"
        "for name in sys.argv[1:]:\n"
        "    before = len(sys.modules); importlib.import_module(name); now = rss()\n"
        "    rows.append([name, now - prev, len(sys.modules) - before]); prev = now\n"
        "rows.append(['total', prev, len(sys.modules)])\n"
        "rows.append(['cli-only loaded', [m for m in %r if m in sys.modules], 0])\n"
        "print(json.dumps(rows))\n" % (CLI_ONLY,)
    )
    env = shop_env(sqlite_uri(DB)) | {"PYTHONPATH": str(ROOT)}
    out = subprocess.run([str(VENV_BIN / "python"), "-c", probe, *IMPORTS], cwd=ROOT, env=env, check=True,
                         capture_output=True, text=True).stdout
    rows = json.loads(out.strip().splitlines()[-1])
    cli_only = rows.pop()[1]
    table_rows = [[f"`{name}`", f"+{mib:.1f}" if name not in ("python itself", "total") else f"{mib:.1f}",
                   str(count)] for name, mib, count in rows]
    table_rows.append(["CLI-only packages loaded", ", ".join(cli_only) or "none", ""])
    return table_rows


def fmt(values: list[dict[str, float]], key: str) -> str:
    return " / ".join(f"{v[key]:.1f}" for v in values)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--fresh", action="store_true", help="seed the demo database again")
    parser.add_argument("--no-record", action="store_true", help="print only; leave bench/RESULTS.md alone")
    parser.add_argument("--rounds", type=int, default=6, help="walks over every page type (default 6)")
    args = parser.parse_args()
    WORK.mkdir(exist_ok=True)
    load_before = os.getloadavg()[0]
    db = fresh_copy(seeded_sqlite(args.fresh), DB)
    flask_cli(sqlite_uri(db), "demo", "accounts")
    INSTANCE.mkdir(exist_ok=True)
    shop = start("shop", "wsgi:app", shop_env(sqlite_uri(db)), ROOT)
    floor = start("floor", "floor_app:app", os.environ | {"FLOOR_DB": str(db)}, Path(__file__).resolve().parent)
    rows = []
    try:
        wait_ready(shop, "/healthz")
        wait_ready(floor, "/list")
        measured = {}
        for server in (shop, floor):
            deadline = time.monotonic() + 30
            while len(worker_pids(server.process.pid)) < WORKERS and time.monotonic() < deadline:
                time.sleep(0.2)  # with preload the master warms the app before forking the next worker
            time.sleep(1)
            pids = worker_pids(server.process.pid)
            measured[server.name] = {"master": smaps(server.process.pid), "start": [smaps(p) for p in pids]}
        requests = 0
        for number in range(args.rounds):
            requests += walk(shop.port, db, number)
            floor_walk(floor.port)
        for server in (shop, floor):
            pids = worker_pids(server.process.pid)
            measured[server.name]["served"] = [smaps(p) for p in pids]
            measured[server.name]["master"] = smaps(server.process.pid)
        errors = [line for line in shop.log.read_text(errors="replace").splitlines()
                  if "Traceback" in line or "Exception" in line] if shop.log.exists() else []
    finally:
        stop_server(shop)
        stop_server(floor)
    for side, data in measured.items():
        for when in ("start", "served"):
            met = "" if side == "floor" else ("yes" if max(v["rss"] for v in data[when]) <= RSS_LIMIT_MIB else "NO")
            rows.append([side, "after start" if when == "start" else f"after {args.rounds} walks",
                         fmt(data[when], "rss"), fmt(data[when], "pss"), fmt(data[when], "uss"),
                         f"{data['master']['rss']:.1f}", f"RSS ≤ {RSS_LIMIT_MIB} MiB" if side == "shop" else
                         "(reference)", met])
    shop_served = measured["shop"]["served"]
    met = max(v["rss"] for v in shop_served) <= RSS_LIMIT_MIB
    header = ["side", "when", "RSS per worker (MiB)", "PSS per worker", "USS per worker", "master RSS", "target",
              "met?"]
    imports = import_table()
    body = "\n".join([
        f"Run {dt.datetime.now(dt.timezone.utc):%Y-%m-%d %H:%M} UTC, code {code_version()}; "
        f"{'; '.join(line.lstrip('- ') for line in machine())}; load (1 min) {load_before:.2f} → "
        f"{os.getloadavg()[0]:.2f}.", "",
        f"gunicorn -w {WORKERS} -k sync; the shop from the repository root (its gunicorn.conf.py applies), the "
        f"floor (bench/floor_app.py) without one; demo catalogue on SQLite; {requests} shop requests over "
        f"{args.rounds} walks of every page type; errors in the shop's log: {len(errors)}.", "",
        table(header, rows), "",
        f"Target RSS ≤ {RSS_LIMIT_MIB} MiB per shop worker after serving every page type: {'met' if met else 'NOT met'}.",
        "", "What each import adds (fresh interpreter, VmRSS, imported one after another in this order):", "",
        table(["import", "MiB", "modules"], imports),
    ])
    print(body)
    if not args.no_record:
        text = RESULTS.read_text() if RESULTS.exists() else "# Benchmark results\n"
        section = f"{MARK_START}\n## Worker memory (bench/memory.py)\n\n{body}\n{MARK_END}"
        if MARK_START in text:
            text = re.sub(re.escape(MARK_START) + ".*?" + re.escape(MARK_END), lambda _: section, text, flags=re.S)
        else:
            text = text.rstrip() + "\n\n" + section + "\n"
        RESULTS.write_text(text)
    return 0 if met and not errors else 1


if __name__ == "__main__":
    sys.exit(main())
