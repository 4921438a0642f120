"""The ledger's cost on a checkout: SQL statements and milliseconds per checkout, with and without its writer.

    .venv/bin/python bench/ledger_cost.py [--checkouts N] [--quick]

A checkout here is what the issue's ledger touches: `place_order` (pickup at a sales point, paid by VietQR
transfer, 1–3 variants of 1–3 producers) and then the office recording the transfer (`record_transfer`, the
money event that posts the order's entry: bank ← goods to producers, commission, delivery fee). Both run in
this process against the shop's own code on SQLite (bench/.work/ledger-cost.sqlite3, WAL, rebuilt each run)
and PostgreSQL (database bench_ledger_cost at 127.0.0.1:5432, user postgres, created and dropped here), each
seeded with the demo catalog (`flask db upgrade` + `flask seed-demo`, done in-process).

"with ledger" is the shop as it is. "without" replaces the ledger's one writer, `shop.ledger.posting.post`,
by a no-op in every module that imported it, inside this process only: what a checkout cost before the
books. The commission rates read at placement (`shop.ledger.commission.rates_for`, frozen on each order
line) are kept in both modes and counted apart. The modes alternate in blocks of 10 checkouts so a busy
machine slows both alike. Statements are counted with SQLAlchemy's `before_cursor_execute` (BEGIN/COMMIT
issued by the driver itself are not statements there). A full run records its table in bench/RESULTS.md
between this script's markers; `--quick` (20 checkouts per mode) only prints.
"""
from __future__ import annotations

import argparse
import contextlib
import logging
import os
import platform
import re
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
WORK = BENCH / ".work"
RESULTS = BENCH / "RESULTS.md"
sys.path.insert(0, str(ROOT))
os.environ.setdefault("SHOP_INSTANCE_PATH", tempfile.mkdtemp(prefix="bench-ledger-instance-"))

PG_ADMIN = "postgresql://postgres@127.0.0.1:5432/postgres"
PG_URI = "postgresql+psycopg://postgres@127.0.0.1:5432/bench_ledger_cost"
SQLITE_DB = WORK / "ledger-cost.sqlite3"
#: Demo products (natural keys of shop/demo/products.toml) of three producers, given plenty of stock.
SLUGS = ("mien-dong-binh-lieu", "mat-ong-rung-binh-lieu", "che-voi-binh-lieu", "tra-hoa-vang-ba-che")
UNITS = 1_000_000
BLOCK = 10
FULL_CHECKOUTS = 200
QUICK_CHECKOUTS = 20
MARK_START = "<!-- bench/ledger_cost.py: start -->"
MARK_END = "<!-- bench/ledger_cost.py: end -->"


@dataclass
class Tally:
    """Statements and time of one mode's checkouts on one database."""

    place_statements: list[int] = field(default_factory=list)
    pay_statements: list[int] = field(default_factory=list)
    rates_statements: list[int] = field(default_factory=list)
    ledger_statements: list[int] = field(default_factory=list)
    place_ms: list[float] = field(default_factory=list)
    pay_ms: list[float] = field(default_factory=list)
    entries: int = 0

    def per_checkout(self) -> float:
        return (sum(self.place_statements) + sum(self.pay_statements)) / len(self.place_statements)

    def ms(self) -> float:
        return statistics.median(p + q for p, q in zip(self.place_ms, self.pay_ms))


class Counter:
    """Counts the statements sent to the database, and those sent while inside the ledger's code."""

    def __init__(self):
        self.total = 0
        self.inside: str | None = None
        self.by_scope: dict[str, int] = {}

    def __call__(self, _conn, _cursor, _statement, *_args):
        self.total += 1
        if self.inside:
            self.by_scope[self.inside] = self.by_scope.get(self.inside, 0) + 1

    @contextlib.contextmanager
    def scope(self, name: str):
        outer, self.inside = self.inside, self.inside or name
        try:
            yield
        finally:
            self.inside = outer


def build_app(uri: str):
    from flask_migrate import upgrade

    from shop import create_app
    from shop.demo.load import seed_demo
    from shop.extensions import db

    app = create_app({"ENV": "development", "SQLALCHEMY_DATABASE_URI": uri, "SERVER_NAME": None,
                      "PAGE_CACHE_SECONDS": 0, "FILTER_CACHE_SECONDS": 0, "DISPLAY_RATE_CACHE_SECONDS": 0})
    with app.app_context():
        logging.disable(logging.INFO)  # alembic's line per migration
        upgrade()
        logging.disable(logging.NOTSET)
        seed_demo()
        db.session.remove()
    return app


def prepare(db) -> tuple[list[int], int, object]:
    """Plenty of stock for the bench's variants at their producers only; a sales point; an office user."""
    from sqlalchemy import Integer, select, update

    from shop.auth.models import Role, User
    from shop.catalog.models import Product, Variant
    from shop.inventory.models import Location, Stock
    from shop.sales_points.models import PickupMode, SalesPoint

    variants = []
    for slug in SLUGS:
        product = db.session.scalar(select(Product).where(Product.slug == slug))
        if product is None:
            raise SystemExit(f"demo product {slug} is missing")
        variant = db.session.scalar(select(Variant).where(Variant.product_id == product.id, Variant.is_active)
                                    .order_by(Variant.id).limit(1))
        location = db.session.scalar(select(Location.id).where(Location.producer_id == product.producer_id))
        # All of it at the producer: the points' own units would make the first orders cheaper than the last.
        db.session.execute(update(Stock).where(Stock.variant_id == variant.id)
                           .values(quantity=UNITS * (Stock.location_id == location).cast(Integer), allocated=0))
        variants.append(variant.id)
    point = db.session.scalar(select(SalesPoint.id).where(SalesPoint.pickup_mode == PickupMode.ANY_STOCK,
                                                          SalesPoint.is_active).order_by(SalesPoint.code).limit(1))
    office = User(email=f"bench-{uuid.uuid4().hex[:8]}@example.vn", name="Bench office", role=Role.ADMIN)
    office.set_password(uuid.uuid4().hex)
    db.session.add(office)
    db.session.commit()
    return variants, point, office.id


@contextlib.contextmanager
def ledger_writer(enabled: bool):
    """The shop as it is, or with `post` a no-op wherever it was imported (this process only)."""
    from shop.ledger import posting

    real = posting.post
    holders = [m for name, m in list(sys.modules.items())
               if name.startswith("shop.") and getattr(m, "post", None) is real]
    if not enabled:
        for module in holders:
            module.post = lambda *args, **kwargs: None
    try:
        yield
    finally:
        for module in holders:
            module.post = real


@contextlib.contextmanager
def counted_ledger(counter: Counter):
    """Count the statements `post` and `rates_for` send, under their own names."""
    from shop.checkout import services as checkout
    from shop.ledger import posting

    holders = [m for name, m in list(sys.modules.items())
               if name.startswith("shop.") and getattr(m, "post", None) is posting.post]
    real_post, real_rates = posting.post, checkout.rates_for

    def post(*args, **kwargs):
        with counter.scope("ledger"):
            return real_post(*args, **kwargs)

    def rates_for(*args, **kwargs):
        with counter.scope("rates"):
            return real_rates(*args, **kwargs)

    for module in holders:
        module.post = post
    checkout.rates_for = rates_for
    try:
        yield
    finally:
        for module in holders:
            module.post = real_post
        checkout.rates_for = real_rates


def one_checkout(db, counter: Counter, tally: Tally, n: int, variants: list[int], point: int, office_id: int) -> None:
    from shop.auth.models import User
    from shop.cart.models import Cart, CartLine
    from shop.checkout.services import CheckoutData, place_order
    from shop.orders.amounts import amount_due
    from shop.orders.models import DeliveryMethod
    from shop.orders.payment import PaymentMethod
    from shop.payments.transfers import record_transfer

    # The i-th checkout of each mode buys the same things: the modes differ by the ledger only.
    shape = len(tally.place_ms)
    chosen = [variants[(shape + k) % len(variants)] for k in range(1 + shape % 3)]
    cart = Cart(token=uuid.uuid4().hex, lines=[CartLine(variant_id=v, quantity=1 + k) for k, v in enumerate(chosen)])
    db.session.add(cart)
    db.session.commit()
    data = CheckoutData(name="Nguyễn Thị Lan", email=f"khach{n}@example.vn", phone="+84912345678", language="vi",
                        delivery=DeliveryMethod.PICKUP, payment=PaymentMethod.VIETQR_TRANSFER,
                        sales_point_id=point, data_consent=True)
    db.session.expire_all()
    before, scopes = counter.total, dict(counter.by_scope)
    started = time.perf_counter()
    order = place_order(cart.id, data, uuid.uuid4().hex, expected_total_vnd=None)
    tally.place_ms.append((time.perf_counter() - started) * 1000)
    tally.place_statements.append(counter.total - before)
    order_id, due = order.id, None
    db.session.expire_all()
    due = amount_due(order)
    db.session.rollback()
    office = db.session.get(User, office_id)  # as a request's login would have loaded it
    middle = counter.total
    started = time.perf_counter()
    record_transfer(order_id, due, f"FT{n:08d}", office)
    tally.pay_ms.append((time.perf_counter() - started) * 1000)
    tally.pay_statements.append(counter.total - middle)
    tally.rates_statements.append(counter.by_scope.get("rates", 0) - scopes.get("rates", 0))
    tally.ledger_statements.append(counter.by_scope.get("ledger", 0) - scopes.get("ledger", 0))
    db.session.remove()


def run_database(label: str, uri: str, checkouts: int) -> dict[str, Tally]:
    from sqlalchemy import event, func, select

    from shop.extensions import db
    from shop.ledger.check import check_books
    from shop.ledger.models import JournalEntry

    started = time.monotonic()
    app = build_app(uri)
    print(f"{label}: migrated and seeded in {time.monotonic() - started:.0f} s", flush=True)
    tallies = {"with ledger": Tally(), "without ledger": Tally()}
    with app.app_context():
        variants, point, office = prepare(db)
        counter = Counter()
        event.listen(db.engine, "before_cursor_execute", counter)
        try:
            with counted_ledger(counter):
                # One unmeasured checkout per mode first: compiled-statement caches filled alike.
                for mode in tallies:
                    with ledger_writer(mode == "with ledger"):
                        one_checkout(db, counter, Tally(), 0, variants, point, office)
                n = 1
                while len(tallies["without ledger"].place_ms) < checkouts:
                    for mode, tally in tallies.items():
                        with ledger_writer(mode == "with ledger"):
                            for _ in range(min(BLOCK, checkouts - len(tally.place_ms))):
                                entries = db.session.scalar(select(func.count()).select_from(JournalEntry))
                                one_checkout(db, counter, tally, n, variants, point, office)
                                tally.entries += db.session.scalar(
                                    select(func.count()).select_from(JournalEntry)) - entries
                                db.session.remove()
                                n += 1
        finally:
            event.remove(db.engine, "before_cursor_execute", counter)
        problems = check_books()
        db.session.remove()
        db.engine.dispose()
    # The orders paid without the writer have money the books never saw: the check must say so, and only that.
    print(f"{label}: {checkouts} checkouts per mode in {time.monotonic() - started:.0f} s; "
          f"ledger check afterwards: {len(problems)} problem(s) (expected: the orders paid without the ledger)",
          flush=True)
    return tallies


def fresh_sqlite() -> str:
    WORK.mkdir(parents=True, exist_ok=True)
    for suffix in ("", "-wal", "-shm"):
        Path(f"{SQLITE_DB}{suffix}").unlink(missing_ok=True)
    return f"sqlite:///{SQLITE_DB}"


def pg_admin(sql: str) -> None:
    import psycopg

    with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
        conn.execute(sql)


def pg_version() -> str:
    import psycopg

    with contextlib.suppress(Exception), psycopg.connect(PG_ADMIN, autocommit=True) as conn:
        return conn.execute("SHOW server_version").fetchone()[0].split()[0]
    return "?"


def table(header: list[str], rows: list[list[str]]) -> str:
    widths = [max(len(str(cell)) for cell in column) for column in zip(header, *rows)]
    line = lambda cells: "| " + " | ".join(str(c).ljust(w) for c, w in zip(cells, widths)) + " |"  # noqa: E731
    return "\n".join([line(header), "|" + "|".join("-" * (w + 2) for w in widths) + "|", *map(line, rows)])


def report(results: dict[str, dict[str, Tally]], checkouts: int) -> str:
    rows = []
    for label, tallies in results.items():
        on, off = tallies["with ledger"], tallies["without ledger"]
        mean = lambda values: sum(values) / len(values)  # noqa: E731
        rows.append([
            label,
            f"{off.per_checkout():.1f}", f"{on.per_checkout():.1f}", f"{on.per_checkout() / off.per_checkout():.2f}×",
            f"{mean(off.place_statements):.1f} / {mean(on.place_statements):.1f}",
            f"{mean(off.pay_statements):.1f} / {mean(on.pay_statements):.1f}",
            f"{mean(on.ledger_statements):.1f}", f"{mean(on.rates_statements):.1f}",
            f"{off.ms():.1f}", f"{on.ms():.1f}", f"{on.ms() / off.ms():.2f}×",
            f"{off.entries} / {on.entries}",
        ])
    header = ["database", "statements/checkout before", "after", "ratio", "place_order before / after",
              "transfer recorded before / after", "of which post()", "commission rates (both)",
              "ms/checkout before", "after", "ratio", "journal entries before / after"]
    return "\n".join([
        table(header, rows), "",
        f"- {checkouts} checkouts per mode and database, alternating in blocks of {BLOCK}, after one unmeasured "
        "checkout per mode; one process, no HTTP. A checkout: `place_order` (pickup, VietQR transfer, 1–3 variants "
        "of up to 3 producers, a new cart each) then `record_transfer` of the amount due (the office's recording, "
        "which books the payment). Statements are means; ms are medians of place + record.",
        "- before = `shop.ledger.posting.post` replaced by a no-op in this process (nothing else changed); after = "
        "the shop as it is. \"of which post()\": statements the writer sent (entry insert, account look-ups and "
        "openings, line insert, balance updates); \"commission rates\": `rates_for` at placement, run in both modes.",
    ])


def machine() -> list[str]:
    cpuinfo = Path("/proc/cpuinfo").read_text()
    model = re.search(r"^model name\s*:\s*(.*)$", cpuinfo, re.M)
    return [
        f"- CPU: {len(os.sched_getaffinity(0))} cores, {model.group(1) if model else '?'}, shared with other jobs "
        f"(load average before the run {os.getloadavg()[0]:.1f})",
        f"- Python {platform.python_version()}, SQLite {sqlite3.sqlite_version}, PostgreSQL {pg_version()}",
    ]


def code_version() -> str:
    commit = subprocess.run(["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"], capture_output=True,
                            text=True).stdout.strip() or "?"
    dirty = subprocess.run(["git", "-C", str(ROOT), "status", "--porcelain", "--untracked-files=no"],
                           capture_output=True, text=True).stdout.strip()
    return f"commit {commit}" + (" plus uncommitted changes" if dirty else "")


def write_results(body: str, facts: list[str]) -> None:
    """Replace this script's section of bench/RESULTS.md, or add it at the end."""
    stamp = time.strftime("%a %d %b %Y %H:%M:%S UTC", time.gmtime())
    section = "\n".join([MARK_START, "", "## The ledger's cost on a checkout", "",
                         f"Measured {stamp} with `.venv/bin/python bench/ledger_cost.py` on {code_version()}, on:",
                         "", *facts, "", body, "", MARK_END])
    old = RESULTS.read_text() if RESULTS.exists() else ""
    if MARK_START in old and MARK_END in old:
        head, _, rest = old.partition(MARK_START)
        RESULTS.write_text(head + section + rest.partition(MARK_END)[2])
    else:
        RESULTS.write_text(old.rstrip("\n") + "\n\n" + section + "\n")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--checkouts", type=int, help=f"checkouts per mode and database (default {FULL_CHECKOUTS})")
    parser.add_argument("--quick", action="store_true", help=f"{QUICK_CHECKOUTS} checkouts per mode, not recorded")
    parser.add_argument("--sqlite-only", action="store_true", help="skip PostgreSQL (not recorded)")
    args = parser.parse_args()
    checkouts = args.checkouts or (QUICK_CHECKOUTS if args.quick else FULL_CHECKOUTS)
    facts = machine()
    started = time.monotonic()
    results = {"SQLite": run_database("SQLite", fresh_sqlite(), checkouts)}
    if not args.sqlite_only:
        pg_admin("DROP DATABASE IF EXISTS bench_ledger_cost WITH (FORCE)")
        pg_admin("CREATE DATABASE bench_ledger_cost")
        try:
            results["PostgreSQL"] = run_database("PostgreSQL", PG_URI, checkouts)
        finally:
            pg_admin("DROP DATABASE IF EXISTS bench_ledger_cost WITH (FORCE)")
    body = report(results, checkouts)
    print("\n" + body)
    if not (args.quick or args.sqlite_only or args.checkouts):
        write_results(body, facts)
        print(f"\nrecorded in {RESULTS.relative_to(ROOT)}")
    print(f"took {time.monotonic() - started:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
