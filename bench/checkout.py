"""Checkout benchmark: add-to-cart against a bare insert, and complete checkouts/s on SQLite and PostgreSQL.

    .venv/bin/python bench/checkout.py [--quick] [--fresh]

(a) Add to cart. The shop's `POST /cart/add` (a new visitor's first item: new cart, new line) against
    the floor's `POST /insert` (bench/floor_app.py: one autocommit INSERT into a table of its own),
    both under `gunicorn -w 2 -k sync` on the same SQLite file (bench/.work/checkout-add.sqlite3), in
    short alternating wrk rounds. Each wrk request carries one of 32 prepared (session cookie, CSRF
    token) pairs, taken in turn by a Lua script that wrk_report.lua's figures are computed like.
    After each shop run, the new cart lines are counted: a 303 that added nothing is an error too.
(b) Checkouts. Python client threads, each playing one new customer after another (own cookies;
    product page → add 1–2 items → contact → pickup at a sales point → cash at pickup → review →
    place), against the shop under `gunicorn -w 2 -k sync` on a SQLite file
    (bench/.work/checkout-orders.sqlite3, WAL) and on PostgreSQL (database bench_checkout_orders,
    created and dropped here). Three variants get 1,000,000 units at their producer; one "scarce"
    variant gets 20 units in all, and a quarter of the customers want one. A customer told it is
    sold out removes it and places the rest. After the run the stock is checked against the orders.

Seeds bench/.work/checkout-seed.sqlite3 once (`flask db upgrade` + `flask seed-demo`, kept until the
seeder or a migration changes) and copies it for every run. Prints the tables and, for a full run,
records them in bench/RESULTS.md between this script's markers.
"""
from __future__ import annotations

import argparse
import base64
import contextlib
import html
import http.client
import json
import os
import random
import re
import shutil
import sqlite3
import statistics
import subprocess
import sys
import threading
import time
import zlib
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode, urlsplit

sys.path.insert(0, str(Path(__file__).resolve().parent))
from checkout_steps import steps_table  # noqa: E402
from catalog import (  # noqa: E402  (the catalog benchmark's helpers: same machine facts, same tables)
    RESULTS, ROOT, VENV_BIN, WORK, code_version, copy_db, free_port, gunicorn_options, machine, source_stamp,
    stop_server, table, worker_pids,
)

WORKERS = 2
WRK_THREADS = 1
WRK_CONNECTIONS = 4
#: Prepared (session, CSRF token) pairs the add-to-cart wrk script rotates through.
SESSIONS = 32
#: Concurrent simulated customers in (b).
CLIENTS = 8
PG_DSN = "postgresql://postgres@127.0.0.1:5432/{db}"
PG_URI = "postgresql+psycopg://postgres@127.0.0.1:5432/{db}"
PG_DB = "bench_checkout_orders"
#: Demo products (natural keys of shop/demo/products.toml): three with plenty of stock, one scarce.
PLENTY_SLUGS = ("mien-dong-binh-lieu", "mat-ong-rung-binh-lieu", "che-voi-binh-lieu")
SCARCE_SLUG = "tra-hoa-vang-ba-che"
PLENTY_UNITS = 1_000_000
SCARCE_UNITS = 20
#: Share of customers who also want one unit of the scarce variant (its 20 units go in the first seconds).
SCARCE_SHARE = 0.4
#: Targets from the issue.
ADD_RATIO_TARGET = 0.7
CHECKOUTS_TARGET = 50.0
MARK_START = "<!-- bench/checkout.py: start -->"
MARK_END = "<!-- bench/checkout.py: end -->"
#: Hand-written notes inside the section start at this line; a new run keeps them.
MARK_NOTES = "<!-- bench/checkout.py: notes kept by the script -->"
SEED_DB = WORK / "checkout-seed.sqlite3"
ADD_DB = WORK / "checkout-add.sqlite3"
ORDERS_DB = WORK / "checkout-orders.sqlite3"
INSTANCE = WORK / "checkout-instance"
WRK_POST_SCRIPT = WORK / "checkout-post.lua"
WRK_POST_LUA = r"""-- Written by bench/checkout.py. POSTs one prepared request after another (args[1]: a file of
-- "cookie<TAB>form body" lines) and counts answers whose status is not args[2].
local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  expected = tonumber(args[2])
  unexpected = 0
  prepared = {}
  for line in io.lines(args[1]) do
    local cookie, body = line:match("^(.-)\t(.*)$")
    local headers = {["Content-Type"] = "application/x-www-form-urlencoded"}
    if cookie ~= "" then headers["Cookie"] = cookie end
    table.insert(prepared, wrk.format("POST", nil, headers, body))
  end
  turn = 0
end

function request()
  turn = turn % #prepared + 1
  return prepared[turn]
end

function response(status, headers, body)
  if status ~= expected then unexpected = unexpected + 1 end
end

function done(summary, latency, requests)
  local wrong = 0
  for _, thread in ipairs(threads) do wrong = wrong + thread:get("unexpected") end
  local e = summary.errors
  io.write(string.format(
    'BENCH-JSON {"requests": %d, "duration_us": %d, "p50_us": %.1f, "p99_us": %.1f, ' ..
    '"socket_errors": %d, "unexpected_status": %d}\n',
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(99),
    e.connect + e.read + e.write + e.timeout, wrong))
end
"""


@dataclass(frozen=True)
class Settings:
    """How long each part loads the servers."""

    name: str
    add_rounds: int
    add_seconds: int
    add_warmup: int
    checkout_rounds: int
    checkout_seconds: int
    checkout_warmup: int


FULL = Settings("full", add_rounds=3, add_seconds=5, add_warmup=2, checkout_rounds=2, checkout_seconds=15,
                checkout_warmup=3)
QUICK = Settings("quick", add_rounds=1, add_seconds=2, add_warmup=1, checkout_rounds=1, checkout_seconds=5,
                 checkout_warmup=1)


@dataclass(frozen=True)
class Server:
    """A gunicorn master we started, in its own process group."""

    name: str
    port: int
    process: subprocess.Popen
    log: Path

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"


@dataclass(frozen=True)
class Shop:
    """What the checkout clients need to know about one seeded database."""

    plenty: tuple[tuple[int, str], ...]  #: (variant id, product slug)
    scarce: tuple[int, str]
    scarce_name: str
    sales_point_id: int
    sales_point_code: str


# --- databases -----------------------------------------------------------------------------


def shop_env(uri: str) -> dict[str, str]:
    """Environment of the shop on a benchmark database, away from instance/."""
    return os.environ | {
        "SHOP_SQLALCHEMY_DATABASE_URI": uri,
        "SHOP_ENV": "development",
        "SHOP_INSTANCE_PATH": str(INSTANCE),
    }


def sqlite_uri(db: Path) -> str:
    return f"sqlite:///{db}"


def flask_cli(uri: str, *args: str) -> None:
    """Run `flask ARGS` for the shop on one database."""
    result = subprocess.run([str(VENV_BIN / "flask"), *args], cwd=ROOT, env=shop_env(uri) | {"FLASK_APP": "shop"},
                            capture_output=True, text=True)
    if result.returncode:
        raise RuntimeError(f"flask {' '.join(args)} failed:\n{result.stdout}{result.stderr}")


def seeded_sqlite(fresh: bool) -> Path:
    """The demo catalog in SQLite, seeded once and reused while the seeder is unchanged."""
    stamp, stamp_file = source_stamp(), WORK / "checkout-seed.stamp"
    if fresh or not SEED_DB.exists() or not stamp_file.exists() or stamp_file.read_text() != stamp:
        started = time.monotonic()
        stamp_file.unlink(missing_ok=True)
        for suffix in ("", "-wal", "-shm"):
            Path(f"{SEED_DB}{suffix}").unlink(missing_ok=True)
        flask_cli(sqlite_uri(SEED_DB), "db", "upgrade")
        flask_cli(sqlite_uri(SEED_DB), "seed-demo")
        stamp_file.write_text(stamp)
        print(f"seeded {SEED_DB.name} in {time.monotonic() - started:.0f} s", flush=True)
    return SEED_DB


def fresh_copy(source: Path, target: Path) -> Path:
    """A new copy of the seeded file, in WAL mode as the shop will open it."""
    for suffix in ("-wal", "-shm"):
        Path(f"{target}{suffix}").unlink(missing_ok=True)
    copy_db(source, target)
    with contextlib.closing(sqlite3.connect(target)) as conn:
        conn.execute("PRAGMA journal_mode=WAL")
    return target


def pg_admin(sql: str) -> None:
    """Run one statement on the server's `postgres` database (CREATE / DROP DATABASE)."""
    import psycopg

    with psycopg.connect(PG_DSN.format(db="postgres"), autocommit=True) as conn:
        conn.execute(sql)


def create_pg(db: str) -> str:
    """A new PostgreSQL database with the demo catalog; returns its SQLAlchemy URI."""
    started = time.monotonic()
    pg_admin(f"DROP DATABASE IF EXISTS {db} WITH (FORCE)")
    pg_admin(f"CREATE DATABASE {db}")
    uri = PG_URI.format(db=db)
    flask_cli(uri, "db", "upgrade")
    flask_cli(uri, "seed-demo")
    print(f"seeded PostgreSQL database {db} in {time.monotonic() - started:.0f} s", flush=True)
    return uri


class Database:
    """A plain DB-API connection to the SQLite file or the PostgreSQL database under test."""

    def __init__(self, uri: str):
        self.uri = uri
        if uri.startswith("sqlite:///"):
            self.conn = sqlite3.connect(uri.removeprefix("sqlite:///"), isolation_level=None, timeout=30)
            self.mark = "?"
        else:
            import psycopg

            self.conn = psycopg.connect(uri.replace("postgresql+psycopg://", "postgresql://"), autocommit=True)
            self.mark = "%s"

    def rows(self, sql: str, *params) -> list[tuple]:
        return list(self.conn.execute(sql.replace("?", self.mark), params).fetchall())

    def one(self, sql: str, *params):
        return self.rows(sql, *params)[0][0]

    def close(self) -> None:
        self.conn.close()


def prepare_stock(db: Database) -> Shop:
    """Plenty of stock for three variants at their producer, SCARCE_UNITS of the scarce one in all.

    Sales points keep their seeded stock of the three (a pickup order takes the point's own units first,
    then the producer's); the scarce variant is held by its producer only.
    """
    def first_variant(slug: str) -> tuple[int, str, int]:
        rows = db.rows(
            "SELECT v.id, p.name, l.id FROM variant v JOIN product p ON p.id = v.product_id"
            " JOIN location l ON l.producer_id = p.producer_id"
            " WHERE p.slug = ? AND p.status = 'published' AND p.sold_online AND v.is_active ORDER BY v.id LIMIT 1", slug)
        if not rows:
            raise SystemExit(f"demo product {slug} is missing, not sold online or has no producer location")
        return rows[0]

    plenty = []
    for slug in PLENTY_SLUGS:
        variant_id, _name, location_id = first_variant(slug)
        db.rows("UPDATE stock SET quantity = ? WHERE variant_id = ? AND location_id = ? RETURNING id",
                PLENTY_UNITS, variant_id, location_id)
        plenty.append((variant_id, slug))
    scarce_id, scarce_name, scarce_location = first_variant(SCARCE_SLUG)
    db.rows("UPDATE stock SET quantity = 0, allocated = 0 WHERE variant_id = ? RETURNING id", scarce_id)
    if not db.rows("UPDATE stock SET quantity = ? WHERE variant_id = ? AND location_id = ? RETURNING id",
                   SCARCE_UNITS, scarce_id, scarce_location):
        raise SystemExit(f"{SCARCE_SLUG} has no stock row at its producer")
    point = db.rows("SELECT id, code FROM sales_point WHERE pickup_mode = 'any_stock' AND is_active ORDER BY code LIMIT 1")
    if not point:
        raise SystemExit("no active sales point takes parcels (pickup_mode any_stock)")
    return Shop(tuple(plenty), (scarce_id, SCARCE_SLUG), scarce_name, *point[0])


def oversell_check(db: Database, shop: Shop) -> dict:
    """Stock against orders after a run: free units never below 0, allocations equal to order lines."""
    negative = db.rows("SELECT id, quantity, allocated FROM stock WHERE allocated > quantity OR allocated < 0")
    mismatched = db.rows(
        "SELECT s.id, s.allocated, COALESCE(x.units, 0) FROM stock s LEFT JOIN ("
        "  SELECT ol.variant_id, ol.source_location_id, SUM(ol.quantity) AS units FROM order_line ol"
        "  JOIN fulfillment f ON f.id = ol.part_id WHERE f.status <> 'cancelled'"
        "  GROUP BY ol.variant_id, ol.source_location_id"
        ") x ON x.variant_id = s.variant_id AND x.source_location_id = s.location_id"
        " WHERE s.allocated <> COALESCE(x.units, 0)")
    orphans = db.one(
        "SELECT count(*) FROM order_line ol LEFT JOIN stock s"
        " ON s.variant_id = ol.variant_id AND s.location_id = ol.source_location_id WHERE s.id IS NULL")
    scarce_sold = db.one("SELECT COALESCE(SUM(quantity), 0) FROM order_line WHERE variant_id = ?", shop.scarce[0])
    scarce_lines = db.one("SELECT count(*) FROM order_line WHERE variant_id = ?", shop.scarce[0])
    oversold = sum(allocated - quantity for _, quantity, allocated in negative if allocated > quantity)
    oversold = max(oversold, scarce_sold - SCARCE_UNITS, 0)
    return {
        "orders": db.one('SELECT count(*) FROM "order"'), "scarce_sold": scarce_sold, "scarce_lines": scarce_lines,
        "negative_rows": len(negative), "mismatched_rows": len(mismatched), "orphan_lines": orphans,
        "oversold": oversold, "ok": not negative and not mismatched and not orphans and scarce_sold <= SCARCE_UNITS,
    }


# --- servers -------------------------------------------------------------------------------


def start_server(name: str, target: str, env: dict[str, str], chdir: Path) -> Server:
    """gunicorn -w 2 -k sync for the shop (`wsgi:app`) or the floor (`floor_app:app`)."""
    port, log = free_port(), WORK / f"gunicorn-checkout-{name}.log"
    log.unlink(missing_ok=True)
    command = [
        str(VENV_BIN / "gunicorn"), "-w", str(WORKERS), "-k", "sync", "-b", f"127.0.0.1:{port}",
        "--chdir", str(chdir), "--log-level", "warning", "--error-logfile", str(log), *gunicorn_options(), target,
    ]
    process = subprocess.Popen(command, env=env, start_new_session=True, stdout=subprocess.DEVNULL,
                               stderr=subprocess.STDOUT)
    return Server(name, port, process, log)


def start_shop(name: str, uri: str) -> Server:
    return start_server(name, "wsgi:app", shop_env(uri), ROOT)


def start_floor(db: Path) -> Server:
    return start_server("floor", "floor_app:app", os.environ | {"FLOOR_DB": str(db)}, Path(__file__).resolve().parent)


def wait_ready(server: Server, path: str, timeout: float = 60) -> None:
    """Block until the server answers 200 on path, or fail with its log."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and server.process.poll() is None:
        with contextlib.suppress(OSError, http.client.HTTPException):
            if Browser(server.port).send("GET", path).status == 200:
                return
        time.sleep(0.3)
    log = server.log.read_text(errors="replace")[-3000:] if server.log.exists() else ""
    raise RuntimeError(f"{server.name} did not answer {path}:\n{log}")


def cpu_seconds(pids: list[int]) -> dict[int, float]:
    """User + system CPU time of each of these processes so far (gone ones left out)."""
    ticks, seconds = os.sysconf("SC_CLK_TCK"), {}
    for pid in pids:
        with contextlib.suppress(OSError, IndexError, ValueError):
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            seconds[pid] = (int(fields[11]) + int(fields[12])) / ticks
    return seconds


def cpu_used(before: dict[int, float], after: dict[int, float]) -> float:
    """CPU seconds spent between two readings by the processes alive at both."""
    return sum(after[pid] - before[pid] for pid in before if pid in after)


def machine_busy() -> float:
    """CPU seconds all processes on the machine have used so far (/proc/stat, steal included)."""
    fields = [int(x) for x in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:9]]
    user, nice, system, _idle, _iowait, irq, softirq, steal = fields
    return (user + nice + system + irq + softirq + steal) / os.sysconf("SC_CLK_TCK")


def log_errors(server: Server) -> Counter:
    """The exceptions a gunicorn error log ends its tracebacks with, counted."""
    text = server.log.read_text(errors="replace") if server.log.exists() else ""
    found = re.findall(r"^((?:[a-z_]+\.)*[A-Za-z]*(?:Error|Exception|Timeout)): (.*)$(?:\n\[SQL: (.{0,40}))?", text, re.M)
    return Counter(f"{kind}: {message[:80]}" + (f" (in `{sql.strip()}…`)" if sql else "")
                   for kind, message, sql in found if not kind.startswith("sqlite3."))


def pg_backend_pids(db: Database, name: str) -> list[int]:
    """Server processes of the shop's connections to one PostgreSQL database (not ours)."""
    return [r[0] for r in db.rows("SELECT pid FROM pg_stat_activity WHERE datname = ? AND pid <> pg_backend_pid()", name)]


# --- the simulated customer ----------------------------------------------------------------


class ServerError(Exception):
    """A 5xx, a refused or broken connection, or an answer the flow cannot go on from."""


@dataclass
class Reply:
    status: int
    location: str
    body: bytes


class Browser:
    """One visitor: its own cookies, a new connection per request (gunicorn's sync workers close them)."""

    def __init__(self, port: int):
        self.port = port
        self.cookies: dict[str, str] = {}
        self.requests = 0

    def send(self, method: str, path: str, form: dict | None = None) -> Reply:
        headers = {"Accept": "text/html", "User-Agent": "bench/checkout.py"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = urlencode(form) if form is not None else None
        if body is not None:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        try:
            conn.request(method, path, body=body, headers=headers)
            response = conn.getresponse()
            data = response.read()
        finally:
            conn.close()
        self.requests += 1
        for value in response.headers.get_all("Set-Cookie") or []:
            name, _, rest = value.partition("=")
            cookie_value, _, attributes = rest.partition(";")
            if re.search(r"(?i)max-age=0\b|expires=thu, 01 jan 1970", attributes):
                self.cookies.pop(name.strip(), None)
            else:
                self.cookies[name.strip()] = cookie_value
        location = urlsplit(response.getheader("Location", "")).path
        return Reply(response.status, location, data)

    def flashes(self) -> str:
        """The flashed messages waiting in the (signed, not encrypted) Flask session cookie."""
        value = self.cookies.get("session", "")
        compressed, payload = value.startswith("."), value.lstrip(".").split(".")[0]
        with contextlib.suppress(ValueError, zlib.error):
            raw = base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4))
            data = json.loads(zlib.decompress(raw) if compressed else raw)
            # Flask tags tuples: each flash is {" t": [category, message]}.
            return " / ".join(str(item.get(" t", item)[-1]) for item in data.get("_flashes", []))
        return ""


def hidden(body: bytes, name: str) -> str:
    """The value of a form field `name` in an HTML page."""
    text = body.decode("utf-8", "replace")
    for tag in re.findall(r"<input\b[^>]*>", text):
        if re.search(rf'\bname="{re.escape(name)}"', tag):
            match = re.search(r'\bvalue="([^"]*)"', tag)
            if match:
                return html.unescape(match.group(1))
    raise ServerError(f"no {name} field in the page")


@dataclass
class Tally:
    """What the clients saw during one measured window (or a warm-up)."""

    checkouts: int = 0
    sold_out: int = 0
    requests: int = 0
    seconds: list[float] = field(default_factory=list)
    errors: Counter = field(default_factory=Counter)
    lock: threading.Lock = field(default_factory=threading.Lock)


def expect(reply: Reply, status: int, location: str | None = None, what: str = "") -> Reply:
    """Raise ServerError unless the answer is the status (and redirect path) the flow needs."""
    if reply.status >= 500:
        raise ServerError(f"{what}: {reply.status}")
    if reply.status != status or (location is not None and reply.location != location):
        raise ServerError(f"{what}: {reply.status} {reply.location or ''}".strip())
    return reply


def checkout(browser: Browser, shop: Shop, rng: random.Random, number: int, scarce_ok: bool) -> int:
    """One new customer from the product page to the placed order; returns how often it met "sold out"."""
    first_id, first_slug = rng.choice(shop.plenty)
    page = expect(browser.send("GET", f"/products/{first_slug}"), 200, what="product page")
    token = hidden(page.body, "csrf_token")
    items = [(first_id, rng.randint(1, 3))]
    if scarce_ok and rng.random() < SCARCE_SHARE:
        items.append((shop.scarce[0], 1))
    elif rng.random() < 0.5:
        items.append((rng.choice([v for v, _ in shop.plenty if v != first_id]), 1))
    for variant_id, quantity in items:
        expect(browser.send("POST", "/cart/add", {"csrf_token": token, "variant_id": variant_id, "quantity": quantity}),
               303, "/cart", "add to cart")
    if "cart" not in browser.cookies:
        raise ServerError("add to cart: no cart cookie")
    expect(browser.send("POST", "/checkout", {"csrf_token": token, "name": f"Khách thử {number}",
                                              "email": f"khach{number}@ocop-bench.vn", "phone": "0912345678",
                                              "method": "pickup", "sales_point": shop.sales_point_id,
                                              "data_consent": "y"}),
           302, "/checkout/confirm", "who and where")
    sold_out = 0
    while True:
        review = expect(browser.send("GET", "/checkout/confirm"), 200, what="pay and confirm")
        placed = browser.send("POST", "/checkout/place", {
            "csrf_token": hidden(review.body, "csrf_token"), "checkout_key": hidden(review.body, "checkout_key"),
            "expected_total": hidden(review.body, "expected_total"), "method": "cash_at_pickup"})
        if placed.status == 302 and placed.location.startswith("/orders/"):
            return sold_out
        expect(placed, 302, what="place")
        message = browser.flashes()
        if placed.location not in ("/checkout/confirm", "/cart") or shop.scarce_name not in message or sold_out:
            raise ServerError(f"place refused: {message or placed.location}")
        # Sold out: like a customer would, drop the scarce item and place the rest.
        sold_out += 1
        expect(browser.send("POST", "/cart/remove", {"csrf_token": token, "variant_id": shop.scarce[0]}),
               302, "/cart", "remove sold-out item")


def run_customers(port: int, shop: Shop, seconds: float, clients: int, scarce_ok: bool, seed: int) -> tuple[Tally, float]:
    """CLIENTS threads, each one customer after another, for `seconds`; returns the tally and the CPU the clients used."""
    tally = Tally()
    deadline = time.monotonic() + seconds
    counter = iter(range(seed * 1_000_000, (seed + 1) * 1_000_000))

    def client(index: int) -> None:
        rng = random.Random(f"{seed}:{index}")
        while time.monotonic() < deadline:
            started = time.monotonic()
            with tally.lock:
                number = next(counter)
            browser = Browser(port)
            try:
                sold_out = checkout(browser, shop, rng, number, scarce_ok)
            except (ServerError, OSError, http.client.HTTPException) as error:
                with tally.lock:
                    tally.requests += browser.requests
                    tally.errors[str(error) or type(error).__name__] += 1
                continue
            finished = time.monotonic()
            with tally.lock:
                tally.requests += browser.requests
                tally.sold_out += sold_out
                if finished <= deadline:  # a checkout still running at the end is placed but not counted
                    tally.checkouts += 1
                    tally.seconds.append(finished - started)

    cpu_before = time.process_time()
    threads = [threading.Thread(target=client, args=(i,), daemon=True) for i in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return tally, time.process_time() - cpu_before


# --- (a) add to cart -----------------------------------------------------------------------


@dataclass(frozen=True)
class Sample:
    """One wrk run: throughput, latency percentiles, failed requests (wrong status, socket errors, no row)."""

    rps: float
    p50_ms: float
    p99_ms: float
    requests: int
    errors: int
    rows: int
    cpu_ms: float  #: CPU of the two gunicorn workers per request


def prepare_sessions(server: Server, shop: Shop, path: Path) -> None:
    """SESSIONS visitors' (session cookie, CSRF token) pairs and form bodies, one per line, for wrk."""
    lines = []
    variants = [v for v, _ in shop.plenty]
    for i in range(SESSIONS):
        browser = Browser(server.port)
        page = expect(browser.send("GET", f"/products/{shop.plenty[i % len(shop.plenty)][1]}"), 200, what="product page")
        token = hidden(page.body, "csrf_token")
        body = urlencode({"csrf_token": token, "variant_id": variants[i % len(variants)], "quantity": 1})
        lines.append(f"session={browser.cookies['session']}\t{body}")
    path.write_text("\n".join(lines) + "\n")


def floor_bodies(shop: Shop, path: Path) -> None:
    variants = [v for v, _ in shop.plenty]
    path.write_text("".join(f"\tvariant_id={v}&quantity=1\n" for v in variants))


def run_wrk(url: str, seconds: int, bodies: Path, status: int) -> dict:
    """Load one URL with wrk POSTs (1 thread, 4 connections) and read its JSON summary."""
    command = ["wrk", f"-t{WRK_THREADS}", f"-c{WRK_CONNECTIONS}", f"-d{seconds}s", "--latency",
               "-s", str(WRK_POST_SCRIPT), url, "--", str(bodies), str(status)]
    output = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    match = re.search(r"^BENCH-JSON (.*)$", output, re.M)
    if match is None:
        raise RuntimeError(f"unexpected wrk output for {url}:\n{output}")
    return json.loads(match.group(1))


def count_rows(db: Path, table_name: str) -> int:
    with contextlib.closing(sqlite3.connect(db, timeout=30)) as conn:
        try:
            return conn.execute(f"SELECT count(*) FROM {table_name}").fetchone()[0]
        except sqlite3.OperationalError:  # the floor creates its table on its first POST
            return 0


def measure_add(server: Server, side: str, db: Path, seconds: int, bodies: Path) -> Sample:
    """One wrk run on one side; a 303/201 whose row is missing from the database counts as an error."""
    table_name, status = ("cart_line", 303) if side == "shop" else ("bench_floor_insert", 201)
    before = count_rows(db, table_name)
    path = "/cart/add" if side == "shop" else "/insert"
    workers = worker_pids(server.process.pid)
    cpu_before = cpu_seconds(workers)
    data = run_wrk(server.url(path), seconds, bodies, status)
    cpu = cpu_used(cpu_before, cpu_seconds(workers))
    rows = count_rows(db, table_name) - before
    answered = data["requests"] - data["unexpected_status"]
    # wrk stops counting at the deadline while up to WRK_CONNECTIONS requests are still being served:
    # those may add rows wrk never sees, never the other way round.
    missing = max(answered - rows, 0)
    return Sample(rps=data["requests"] / (data["duration_us"] / 1e6), p50_ms=data["p50_us"] / 1000,
                  p99_ms=data["p99_us"] / 1000, requests=data["requests"],
                  errors=data["socket_errors"] + data["unexpected_status"] + missing, rows=rows,
                  cpu_ms=cpu / max(data["requests"], 1) * 1000)


def part_add(seed_db: Path, settings: Settings, servers: list[Server]) -> dict:
    """Shop `POST /cart/add` against floor `POST /insert` on one SQLite file, alternating rounds."""
    db = fresh_copy(seed_db, ADD_DB)
    with contextlib.closing(Database(sqlite_uri(db))) as conn:
        shop = prepare_stock(conn)
    shop_server, floor_server = start_shop("add-shop", sqlite_uri(db)), start_floor(db)
    servers += [shop_server, floor_server]
    wait_ready(shop_server, f"/products/{shop.plenty[0][1]}")
    wait_ready(floor_server, "/list")
    shop_bodies, floor_body = WORK / "checkout-add-shop.tsv", WORK / "checkout-add-floor.tsv"
    prepare_sessions(shop_server, shop, shop_bodies)
    floor_bodies(shop, floor_body)
    sides = {"shop": (shop_server, shop_bodies), "floor": (floor_server, floor_body)}
    for side, (server, bodies) in sides.items():
        measure_add(server, side, db, settings.add_warmup, bodies)
    samples: dict[str, list[Sample]] = {"shop": [], "floor": []}
    for round_no in range(settings.add_rounds):
        for side in (("shop", "floor") if round_no % 2 == 0 else ("floor", "shop")):
            server, bodies = sides[side]
            samples[side].append(measure_add(server, side, db, settings.add_seconds, bodies))
        print(f"add to cart: round {round_no + 1}/{settings.add_rounds} done", flush=True)
    for server in (shop_server, floor_server):
        stop_server(server)
    return {"samples": samples, "db": db, "log": log_errors(shop_server) + log_errors(floor_server)}


def add_table(result: dict) -> tuple[str, bool]:
    samples = result["samples"]

    def median(side: str, key: str) -> float:
        return statistics.median(getattr(s, key) for s in samples[side])

    shop_rps, floor_rps = median("shop", "rps"), median("floor", "rps")
    errors = {side: sum(s.errors for s in samples[side]) for side in samples}
    ratio = shop_rps / floor_rps
    per_round = "/".join(f"{a.rps / b.rps:.2f}" for a, b in zip(samples["shop"], samples["floor"]))
    met = ratio >= ADD_RATIO_TARGET and not errors["shop"] and not errors["floor"]
    misses = [m for m, bad in (("req/s", ratio < ADD_RATIO_TARGET), ("errors", errors["shop"] or errors["floor"])) if bad]
    rows = [[
        "POST /cart/add vs POST /insert", f"{shop_rps:.0f}", f"{floor_rps:.0f}", f"{ratio:.2f}×", per_round,
        f"{median('shop', 'p50_ms'):.1f} / {median('shop', 'p99_ms'):.1f}",
        f"{median('floor', 'p50_ms'):.1f} / {median('floor', 'p99_ms'):.1f}",
        f"{errors['shop']} / {errors['floor']}",
        f"{sum(s.rows for s in samples['shop']):,} / {sum(s.rows for s in samples['floor']):,}",
        f"{median('shop', 'cpu_ms'):.1f} / {median('floor', 'cpu_ms'):.1f}",
        f"≥ {ADD_RATIO_TARGET:g}× req/s, 0 errors", "yes" if met else "NO: " + ", ".join(misses),
    ]]
    header = ["scenario", "shop req/s", "floor req/s", "ratio", "ratio per round", "shop p50 / p99 ms",
              "floor p50 / p99 ms", "errors shop / floor", "rows added shop / floor", "worker CPU ms per request shop / floor", "target", "met?"]
    return table(header, rows), met


# --- (b) checkouts -------------------------------------------------------------------------


@dataclass
class Target:
    """One database under test: its shop server and what is needed to read it."""

    label: str
    uri: str
    server: Server
    shop: Shop
    pg_name: str | None = None
    rounds: list[dict] = field(default_factory=list)
    check: dict = field(default_factory=dict)
    log: Counter = field(default_factory=Counter)
    warmup_errors: Counter = field(default_factory=Counter)


def measure_checkouts(target: Target, seconds: int, seed: int) -> dict:
    """One measured window on one database: client tally, server CPU."""
    workers = worker_pids(target.server.process.pid)
    with contextlib.closing(Database(target.uri)) as db:
        backends = pg_backend_pids(db, target.pg_name) if target.pg_name else []
        before = cpu_seconds(workers), cpu_seconds(backends)
        busy_before, started = machine_busy(), time.monotonic()
        tally, client_cpu = run_customers(target.server.port, target.shop, seconds, CLIENTS, True, seed)
        wall, busy = time.monotonic() - started, machine_busy() - busy_before
        after = cpu_seconds(workers), cpu_seconds(backends)
    worker_cpu = cpu_used(before[0], after[0])
    db_cpu = cpu_used(before[1], after[1]) if target.pg_name else None
    return {"tally": tally, "seconds": seconds, "wall": wall, "client_cpu": client_cpu, "worker_cpu": worker_cpu,
            "db_cpu": db_cpu, "load": os.getloadavg()[0],
            "others_cpu": max(busy - worker_cpu - client_cpu - (db_cpu or 0), 0.0)}


def part_checkouts(seed_db: Path, settings: Settings, servers: list[Server]) -> list[Target]:
    """Checkouts/s on SQLite and PostgreSQL, both servers up, measured in alternating rounds."""
    targets = []
    sqlite_db = fresh_copy(seed_db, ORDERS_DB)
    for label, uri, pg_name in (("SQLite (WAL)", sqlite_uri(sqlite_db), None), ("PostgreSQL", None, PG_DB)):
        uri = uri or create_pg(pg_name)
        with contextlib.closing(Database(uri)) as db:
            shop = prepare_stock(db)
            if pg_name:
                label = "PostgreSQL " + db.one("SHOW server_version").split()[0]
                db.conn.execute("ANALYZE")  # what autovacuum would do a minute after seeding; done now, not mid-run
        server = start_shop(f"orders-{'pg' if pg_name else 'sqlite'}", uri)
        servers.append(server)
        targets.append(Target(label, uri, server, shop, pg_name))
    for target in targets:
        wait_ready(target.server, f"/products/{target.shop.plenty[0][1]}")
        # Warm-up: imports, templates, connection pools; plenty-stock items only, so the scarce units stay.
        warm, _ = run_customers(target.server.port, target.shop, settings.checkout_warmup, CLIENTS, False, seed=99)
        if warm.errors and not warm.checkouts:
            raise RuntimeError(f"warm-up on {target.label} failed: {dict(warm.errors)}")
        target.warmup_errors = warm.errors
    for round_no in range(settings.checkout_rounds):
        for target in (targets if round_no % 2 == 0 else targets[::-1]):
            target.rounds.append(measure_checkouts(target, settings.checkout_seconds, seed=round_no))
            tally = target.rounds[-1]["tally"]
            print(f"checkouts on {target.label}, round {round_no + 1}/{settings.checkout_rounds}: "
                  f"{tally.checkouts / settings.checkout_seconds:.1f}/s, {tally.sold_out} sold out, "
                  f"{sum(tally.errors.values())} errors", flush=True)
    for target in targets:
        stop_server(target.server)
        target.log = log_errors(target.server)
        with contextlib.closing(Database(target.uri)) as db:
            target.check = oversell_check(db, target.shop)
    return targets


def percentile(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q / 100 * len(ordered)))]


def checkout_tables(targets: list[Target]) -> tuple[str, str, list[str], int]:
    """The throughput table, the stock-check table, notes, and how many targets were missed."""
    rows, check_rows, notes, missed = [], [], [], 0
    for target in targets:
        tallies = [r["tally"] for r in target.rounds]
        seconds = sum(r["seconds"] for r in target.rounds)
        checkouts = sum(t.checkouts for t in tallies)
        durations = [s for t in tallies for s in t.seconds]
        errors = sum((t.errors for t in tallies), Counter())
        requests = sum(t.requests for t in tallies)
        rate = checkouts / seconds
        worker_cpu = sum(r["worker_cpu"] for r in target.rounds)
        client_cpu = sum(r["client_cpu"] for r in target.rounds)
        db_cpu = sum(r["db_cpu"] or 0 for r in target.rounds) if target.pg_name else None
        met = rate >= CHECKOUTS_TARGET
        missed += not met
        rows.append([
            target.label, f"{rate:.1f}", "/".join(f"{r['tally'].checkouts / r['seconds']:.1f}" for r in target.rounds),
            f"{checkouts:,}", f"{sum(t.sold_out for t in tallies)}", f"{sum(errors.values())}",
            f"{percentile(durations, 50) * 1000:.0f} / {percentile(durations, 99) * 1000:.0f}",
            f"{worker_cpu / max(checkouts, 1) * 1000:.0f}"
            + (f" + {db_cpu / max(checkouts, 1) * 1000:.0f}" if db_cpu is not None else ""),
            f"{WORKERS * checkouts / (worker_cpu + (db_cpu or 0) + client_cpu):.1f}" if checkouts else "–",
            f"≥ {CHECKOUTS_TARGET:g}/s", "yes" if met else "NO",
        ])
        check = target.check
        ok = check["ok"] and check["oversold"] == 0
        missed += not ok
        check_rows.append([
            target.label, f"{check['orders']:,}", f"{check['scarce_sold']} in {check['scarce_lines']} lines",
            str(check["negative_rows"]), str(check["mismatched_rows"]), str(check["orphan_lines"]),
            str(check["oversold"]), "0 oversold units", "yes" if ok else "NO",
        ])
        if errors:
            notes.append(f"- Failed checkouts on {target.label}: "
                         + "; ".join(f"{k} ×{v}" for k, v in errors.most_common(5)) + ".")
        if target.warmup_errors:
            notes.append(f"- Failed checkouts on {target.label} during warm-up (not in the table): "
                         + "; ".join(f"{k} ×{v}" for k, v in target.warmup_errors.most_common(5)) + ".")
        if target.log:
            notes.append(f"- Server log of {target.label} (warm-up included): "
                         + "; ".join(f"{k} ×{v}" for k, v in target.log.most_common(5)) + ".")
        notes.append(f"- {target.label}: {requests:,} HTTP requests ({requests / seconds:.0f}/s); client threads used {client_cpu:.1f} CPU-s and the two shop workers "
                     f"{worker_cpu:.1f} CPU-s in {seconds} s of wall time"
                     + (f"; the shop's PostgreSQL backends {db_cpu:.1f} CPU-s" if db_cpu is not None else "")
                     + f"; all other processes on the machine (other users' jobs, PostgreSQL's background processes) "
                     + f"{sum(r['others_cpu'] for r in target.rounds):.1f} CPU-s; load average (1 min) after each round: "
                     + "/".join(f"{r['load']:.1f}" for r in target.rounds) + ".")
    header = ["database", "checkouts/s", "per round", "checkouts", "sold out (then retried)", "errors",
              "checkout p50 / p99 ms", "CPU ms per checkout (workers + DB)", "CPU-bound ceiling /s", "target", "met?"]
    check_header = ["database", "orders in DB", "scarce units sold", "rows free < 0", "rows allocated ≠ order lines",
                    "lines without stock row", "oversold units", "target", "met?"]
    return table(header, rows), table(check_header, check_rows), notes, missed


# --- report --------------------------------------------------------------------------------


def report(add: dict, targets: list[Target], settings: Settings, load: tuple[float, float],
           steps: str) -> tuple[str, int]:
    add_text, add_met = add_table(add)
    checkout_text, check_text, notes, missed = checkout_tables(targets)
    missed += not add_met
    shop = targets[0].shop
    lines = [
        "### (a) Add to cart against a bare insert, SQLite", "", add_text, "",
        f"### (b) Complete checkouts, {CLIENTS} concurrent clients, gunicorn -w {WORKERS} -k sync", "", checkout_text, "",
        "### Stock check after (b)", "", check_text, "",
        "### SQL statements and CPU per step (bench/checkout_steps.py: in-process, Flask test client, medians of 20)",
        "", steps, "",
        f"- (a) {settings.add_rounds} round(s) × {settings.add_seconds} s per side, medians shown, after "
        f"{settings.add_warmup} s of warm-up each; wrk -t{WRK_THREADS} -c{WRK_CONNECTIONS} with a Lua script rotating "
        f"{SESSIONS} prepared (session cookie, CSRF token) pairs; shop and floor on one SQLite file with the shop's "
        "default settings (WAL, synchronous=NORMAL, busy_timeout 10 s); each shop request is a new visitor's first "
        "item (new cart + line). Errors: wrong status (shop ≠ 303, floor ≠ 201), socket errors, and answers "
        "without a new row in the database.",
        f"- (b) {CLIENTS} Python threads in this process (http.client, one connection per request, as gunicorn's "
        "sync workers close them), each one new customer after another: GET product page, POST /cart/add ×1–2, "
        "POST /checkout (contact, pickup, consent), GET /checkout/confirm, "
        "POST /checkout/place: 5–6 requests, redirects not followed (a browser would also GET /cart, /checkout "
        "and the order page). "
        f"{settings.checkout_rounds} round(s) × {settings.checkout_seconds} s per database, alternated, after "
        f"{settings.checkout_warmup} s of warm-up; a checkout counts when `POST /checkout/place` redirects to "
        "/orders/ before the window ends; p50/p99 are whole checkouts. The clients share the 2 cores with the "
        "servers (their CPU is given below). \"CPU-bound ceiling\": 2 cores divided by the CPU one checkout took "
        "(shop workers + PostgreSQL backends + clients), i.e. what the same code could reach with the machine to "
        "itself; SQLite's work runs inside the workers.",
        f"- Stock: variants {', '.join(str(v) for v, _ in shop.plenty)} ({', '.join(PLENTY_SLUGS)}) have "
        f"{PLENTY_UNITS:,} units at their producer; variant {shop.scarce[0]} ({SCARCE_SLUG}) has {SCARCE_UNITS} units "
        f"in all, wanted by ~{SCARCE_SHARE:.0%} of the customers, who drop it when told it is sold out and place "
        f"the rest. Every order is a pickup at sales point {shop.sales_point_code} (it takes parcels from producers; "
        "its own seeded units of the three go first). Checked after the run: free units ≥ 0 per stock row, `allocated` equal to the order lines' units "
        "from that row (non-cancelled parts), scarce units sold ≤ stock.",
        *([f"- Server log in (a) (warm-up included): " + "; ".join(f"{k} ×{v}" for k, v in add["log"].most_common(5)) + "."]
          if add["log"] else []),
        *notes,
        f"- Load average (1 min) before → after: {load[0]:.2f} → {load[1]:.2f} (the machine may be shared).",
        f"- Targets missed: {missed}.",
    ]
    return "\n".join(lines), missed


def write_results(body: str) -> None:
    """Replace this script's section of bench/RESULTS.md, or add it at the end.

    Notes written by hand inside the section, from a line MARK_NOTES on, are kept.
    """
    stamp = subprocess.run(["date", "-u"], capture_output=True, text=True).stdout.strip()
    generated = "\n".join([
        MARK_START, "", "## Checkout benchmark", "",
        f"Measured {stamp} with `.venv/bin/python bench/checkout.py` on {code_version()}, on:", "",
        *machine(), "", body, "", MARK_END,
    ])
    old = RESULTS.read_text() if RESULTS.exists() else ""
    if MARK_START in old and MARK_END in old:
        head, _, rest = old.partition(MARK_START)
        inside, _, tail = rest.partition(MARK_END)
        if MARK_NOTES in inside:
            generated = generated.removesuffix(MARK_END) + MARK_NOTES + inside.partition(MARK_NOTES)[2] + MARK_END
        RESULTS.write_text(head + generated + tail)
    else:
        RESULTS.write_text(old.rstrip("\n") + "\n\n" + generated + "\n")


def main() -> int:
    """Seed, serve, load, check, report; exit 1 when a target is missed."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="short rounds: a smoke test, not recorded in RESULTS.md")
    parser.add_argument("--fresh", action="store_true", help="seed the SQLite template again even if unchanged")
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        sys.exit("wrk is needed: apt-get install -y wrk")
    settings = QUICK if args.quick else FULL
    started = time.monotonic()
    WORK.mkdir(parents=True, exist_ok=True)
    WRK_POST_SCRIPT.write_text(WRK_POST_LUA)
    servers: list[Server] = []
    load_before = os.getloadavg()[0]
    try:
        seed_db = seeded_sqlite(args.fresh)
        add = part_add(seed_db, settings, servers)
        targets = part_checkouts(seed_db, settings, servers)
        steps = steps_table(journeys=20)
    finally:
        for server in servers:
            stop_server(server)
        with contextlib.suppress(Exception):
            pg_admin(f"DROP DATABASE IF EXISTS {PG_DB} WITH (FORCE)")
    body, missed = report(add, targets, settings, (load_before, os.getloadavg()[0]), steps)
    print("\n" + body)
    if settings is FULL:
        write_results(body)
        print(f"\nrecorded in {RESULTS.relative_to(ROOT)}")
    print(f"took {time.monotonic() - started:.0f} s")
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
