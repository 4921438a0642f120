"""Catalog benchmark: the shop against a bare Flask + Jinja floor, both under gunicorn, at several catalog sizes.

    .venv/bin/python bench/catalog.py [--scale 2000 10000 50000] [--rounds 3] [--seconds 4] [--quick] [--fresh]

Seeds bench/.work/catalog-N.sqlite3 for each size N (`flask seed-demo --scale N`, each topped up from the smaller
one and kept between runs until shop/demo/ or a migration changes) and serves each database twice on 127.0.0.1,
each `gunicorn -w 2 -k sync`: the shop as deployed and bench/floor_app.py. The shop is loaded two ways: "cached",
anonymous visitors on fixed URLs (page-cache hits), and "uncached+cart", with the cookies of a real cart (one
product added by POST /cart/add at the start) on URLs the page cache has never seen (wrk_report.lua adds a new
query parameter to every request), so every request renders its page as for a buyer, reusing what the shop
keeps below the page cache (product cards, filter choices, counts). wrk loads them in short alternating rounds,
so machine noise hits every side and size alike. Prints the tables and, for a full run, records them in
bench/RESULTS.md.
"""
from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import functools
import hashlib
import html
import http.cookiejar
import json
import os
import platform
import re
import shutil
import signal
import socket
import sqlite3
import statistics
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
WORK = BENCH / ".work"
RESULTS = BENCH / "RESULTS.md"
WRK_SCRIPT = BENCH / "wrk_report.lua"
VENV_BIN = ROOT / ".venv" / "bin"

#: Catalogue sizes (`--scale`): the smallest and the largest make the slowdown table.
SIZES = (2_000, 10_000, 50_000)
#: The sides measured for each size: the shop's page-cache hits, the shop rendering every page for a visitor with a
#: cart (same server, URLs the page cache has not seen), and the floor.
SIDES = ("shop", "uncached", "floor")
#: The gunicorn masters started for each size.
SERVED = ("shop", "floor")
WORKERS = 2
WRK_THREADS = 1
WRK_CONNECTIONS = 4
#: Targets from the issue.
RSS_LIMIT_MIB = 64
SLOWDOWN_LIMIT = 0.10
P99_RATIO_LIMIT = 1.5
CACHED_MIN_RATIO = 1.0
#: A common search (dozens to hundreds of matches) and a rare one (one demo product at any scale:
#: "Rượu nấm lim xanh Ba Chẽ"). "sa sung" is not rare here: the synthetic products repeat demo names.
COMMON_QUERY = "mien dong"
RARE_QUERY = "nam lim xanh"
MARK_START = "<!-- bench/catalog.py: start -->"
MARK_END = "<!-- bench/catalog.py: end -->"


@dataclass(frozen=True)
class Settings:
    """How long to load each URL, how often, and after how much warm-up."""

    name: str
    rounds: int
    seconds: int
    warmup: int


FULL = Settings("full", rounds=3, seconds=4, warmup=2)
QUICK = Settings("quick", rounds=1, seconds=2, warmup=1)


@dataclass(frozen=True)
class Scenario:
    """One shop URL measured against one floor URL, with the issue's requests/s target when the page is rendered."""

    key: str
    label: str
    shop_path: str
    floor_path: str
    #: Least shop/floor requests/s when rendered for a visitor with a cart (page cache missed).
    uncached_ratio: float

    @property
    def target(self) -> str:
        return (f"cached ≥ {CACHED_MIN_RATIO:g}×, uncached+cart ≥ {self.uncached_ratio:g}× req/s; "
                f"p99 ≤ {P99_RATIO_LIMIT:g}× floor's")


@dataclass(frozen=True)
class Sample:
    """One wrk run (or the median of several): throughput, latency percentiles, failed requests."""

    rps: float
    p50_ms: float
    p99_ms: float
    errors: int


@dataclass(frozen=True)
class Server:
    """A gunicorn master we started, in its own process group."""

    side: str
    size: int
    port: int
    process: subprocess.Popen
    log: Path

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"


# --- databases -----------------------------------------------------------------------------


def source_stamp() -> str:
    """Hash of what decides the seeded data: the demo seeder and the migrations."""
    digest = hashlib.sha256()
    for path in [*sorted((ROOT / "shop/demo").glob("*.*")), *sorted((ROOT / "migrations/versions").glob("*.py"))]:
        digest.update(path.name.encode() + path.read_bytes())
    return digest.hexdigest()[:16]


def flask_cli(db: Path, *args: str) -> None:
    """Run `flask ARGS` for the shop on one benchmark database."""
    env = shop_env(db) | {"FLASK_APP": "shop"}
    result = subprocess.run([str(VENV_BIN / "flask"), *args], cwd=ROOT, env=env, capture_output=True, text=True)
    if result.returncode:
        raise RuntimeError(f"flask {' '.join(args)} failed:\n{result.stdout}{result.stderr}")


def copy_db(source: Path, target: Path) -> None:
    """Copy a SQLite database consistently (WAL included) with the backup API."""
    target.unlink(missing_ok=True)
    with contextlib.closing(sqlite3.connect(source)) as src, contextlib.closing(sqlite3.connect(target)) as dst:
        src.backup(dst)


def prepare_databases(fresh: bool, sizes: tuple[int, ...] = SIZES) -> dict[int, Path]:
    """One database per size, seeded with `--scale N` (in bulk: a minute for 50,000); reused while the seeder is
    unchanged."""
    stamp = source_stamp()
    paths, previous = {}, None
    for size in sizes:
        db, stamp_file = WORK / f"catalog-{size}.sqlite3", WORK / f"catalog-{size}.stamp"
        if fresh or not db.exists() or not stamp_file.exists() or stamp_file.read_text() != stamp:
            started = time.monotonic()
            stamp_file.unlink(missing_ok=True)
            if previous is not None:
                copy_db(previous, db)  # top the smaller catalog up instead of seeding from scratch
            else:
                for suffix in ("", "-wal", "-shm"):
                    Path(f"{db}{suffix}").unlink(missing_ok=True)
            flask_cli(db, "db", "upgrade")
            flask_cli(db, "seed-demo", "--scale", str(size))
            stamp_file.write_text(stamp)
            print(f"seeded {db.name} in {time.monotonic() - started:.0f} s", flush=True)
        paths[size], previous = db, db
    return paths


def catalog_facts(db: Path) -> dict:
    """Published products, a real product slug (Miến dong if there is one) and search match counts."""
    with contextlib.closing(sqlite3.connect(f"file:{db}?mode=ro", uri=True)) as conn:
        published = conn.execute("SELECT count(*) FROM product WHERE status = 'published'").fetchone()[0]
        row = conn.execute(
            "SELECT slug FROM product WHERE status = 'published' ORDER BY name_folded LIKE 'mien dong%' DESC, id LIMIT 1"
        ).fetchone()
        matches = {q: conn.execute("SELECT count(*) FROM product WHERE name_folded LIKE '%' || ? || '%'", (q,)).fetchone()[0]
                   for q in (COMMON_QUERY, RARE_QUERY)}
    if row is None:
        raise SystemExit(f"{db} has no published product")
    return {"published": published, "slug": row[0], "matches": matches}


def scenarios(slug: str) -> list[Scenario]:
    """The five measured pages; both listings are held against the floor's 24-row page."""
    common, rare = (q.replace(" ", "+") for q in (COMMON_QUERY, RARE_QUERY))
    return [
        Scenario("products", "/products", "/products", "/list", 0.3),
        Scenario("product", "product page", f"/products/{slug}", f"/item/{slug}", 0.5),
        Scenario("filtered", "filtered listing", "/products?stars=4&price_max=500000&sort=price_asc", "/list", 0.3),
        Scenario("search", f"search “{COMMON_QUERY}”", f"/search?q={common}", f"/search?q={common}", 0.5),
        Scenario("search_rare", f"search “{RARE_QUERY}”", f"/search?q={rare}", f"/search?q={rare}", 0.5),
    ]


# --- servers -------------------------------------------------------------------------------


def shop_env(db: Path) -> dict[str, str]:
    """Environment of the shop on a benchmark database, away from instance/."""
    return os.environ | {
        "SHOP_SQLALCHEMY_DATABASE_URI": f"sqlite:///{db}",
        "SHOP_ENV": "development",
        "SHOP_INSTANCE_PATH": str(WORK / "instance"),
    }


def free_port() -> int:
    """A TCP port nobody listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@functools.cache
def gunicorn_options() -> tuple[str, ...]:
    """Gunicorn ≥ 25 opens a control socket at one fixed path per user: ours open none."""
    help_text = subprocess.run([str(VENV_BIN / "gunicorn"), "--help"], capture_output=True, text=True).stdout
    return ("--no-control-socket",) if "--no-control-socket" in help_text else ()


def start_server(side: str, size: int, db: Path) -> Server:
    """Start gunicorn (2 sync workers) for the shop, the shop without page cache, or the floor on one database.

    The shop's gunicorn starts in the repository's root, so it reads ./gunicorn.conf.py as a deployment would
    (the command line's workers and address win over it)."""
    assert side in SERVED
    port, log = free_port(), WORK / f"gunicorn-{side}-{size}.log"
    if side == "shop":
        chdir, target, env = ROOT, "wsgi:app", shop_env(db)
    else:
        chdir, target, env = BENCH, "floor_app:app", os.environ | {"FLOOR_DB": str(db)}
    command = [
        str(VENV_BIN / "gunicorn"), "-w", str(WORKERS), "-k", "sync", "-b", f"127.0.0.1:{port}",
        "--chdir", str(chdir), "--log-level", "warning", "--error-logfile", str(log), *gunicorn_options(), target,
    ]
    process = subprocess.Popen(command, env=env, cwd=chdir, start_new_session=True, stdout=subprocess.DEVNULL,
                               stderr=subprocess.STDOUT)
    return Server(side, size, port, process, log)


def stop_server(server: Server) -> None:
    """Stop a gunicorn master and its workers (the whole process group)."""
    if server.process.poll() is not None:
        return
    with contextlib.suppress(ProcessLookupError):
        os.killpg(server.process.pid, signal.SIGTERM)
    try:
        server.process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(server.process.pid, signal.SIGKILL)
        server.process.wait()


def fetch(url: str, cookie: str = "") -> tuple[int, int, bytes]:
    """Status, body size and body of one GET (with a Cookie header when given)."""
    request = urllib.request.Request(url, headers={"Cookie": cookie} if cookie else {})
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            body = response.read()
            return response.status, len(body), body
    except urllib.error.HTTPError as error:
        body = error.read()
        return error.code, len(body), body


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def cart_cookie(server: Server, product_path: str) -> str:
    """The Cookie header of a visitor who put the product in the cart (GET its page, POST /cart/add with the form's
    CSRF token, as a browser does); checked: the listing then shows 1 item in the cart."""
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar), _NoRedirect)
    page = opener.open(server.url(product_path), timeout=10).read().decode()
    fields = {name: re.search(rf'<input[^>]*name="{name}"[^>]*value="([^"]*)"', page) for name in ("csrf_token", "variant_id")}
    if not all(fields.values()):
        raise RuntimeError(f"no add-to-cart form on {product_path}")
    form = urllib.parse.urlencode({"csrf_token": html.unescape(fields["csrf_token"].group(1)),
                                   "variant_id": fields["variant_id"].group(1), "quantity": 1}).encode()
    with contextlib.suppress(urllib.error.HTTPError):  # the 303 to the cart is raised, not followed
        opener.open(urllib.request.Request(server.url("/cart/add"), data=form), timeout=10)
    cookie = "; ".join(f"{c.name}={c.value}" for c in jar)
    listing = fetch(server.url("/products"), cookie)[2].decode()
    if not re.search(r'class="cart-count">1\b', listing):
        raise RuntimeError(f"adding to the cart did not give a cart cookie ({cookie!r})")
    return cookie


def wait_ready(server: Server, path: str, timeout: float = 60) -> None:
    """Block until the server answers 200 on path, or fail with its log."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            break
        with contextlib.suppress(OSError):
            if fetch(server.url(path))[0] == 200:
                return
        time.sleep(0.3)
    log = server.log.read_text(errors="replace")[-3000:] if server.log.exists() else ""
    raise RuntimeError(f"{server.side} ({server.size} products) did not answer {path}:\n{log}")


@contextlib.contextmanager
def running_servers(databases: dict[int, Path]):
    """Every side for every size, all up at once; stopped on the way out, error or not."""
    servers: dict[tuple[str, int], Server] = {}
    try:
        for size, db in databases.items():
            for side in SERVED:
                servers[side, size] = start_server(side, size, db)
        for (side, _size), server in servers.items():
            wait_ready(server, "/list" if side == "floor" else "/products")
        yield servers
    finally:
        for server in servers.values():
            stop_server(server)


def worker_pids(master: int) -> list[int]:
    """PIDs whose parent is master (gunicorn's workers)."""
    children = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            # A process may vanish, or be caught half-started, while /proc is read.
            with contextlib.suppress(OSError, IndexError, ValueError):
                stat = (entry / "stat").read_text()
                if int(stat.rsplit(")", 1)[1].split()[1]) == master:
                    children.append(int(entry.name))
    return sorted(children)


def memory_mib(pid: int) -> tuple[float, float]:
    """(RSS, PSS) of a process in MiB: VmRSS from /proc/PID/status, Pss from smaps_rollup."""
    def field(name: str, line_start: str) -> float:
        with contextlib.suppress(OSError):
            for line in Path(f"/proc/{pid}/{name}").read_text().splitlines():
                if line.startswith(line_start):
                    return int(line.split()[1]) / 1024
        return float("nan")

    return field("status", "VmRSS:"), field("smaps_rollup", "Pss:")


# --- load ----------------------------------------------------------------------------------


def run_wrk(url: str, seconds: int, cookie: str = "") -> Sample:
    """Load one URL with wrk (1 thread, 4 connections) and read its JSON summary. With a cookie (the uncached side)
    every request carries it and asks a URL the page cache has never seen (wrk_report.lua)."""
    command = [
        "wrk", f"-t{WRK_THREADS}", f"-c{WRK_CONNECTIONS}", f"-d{seconds}s", "--latency",
        *(["-H", f"Cookie: {cookie}"] if cookie else []), "-s", str(WRK_SCRIPT), url,
    ]
    env = os.environ | {"BENCH_MISS_PAGE_CACHE": "1" if cookie else "0"}
    output = subprocess.run(command, capture_output=True, text=True, check=True, env=env).stdout
    match = re.search(r"^BENCH-JSON (.*)$", output, re.M)
    if match is None:
        raise RuntimeError(f"unexpected wrk output for {url}:\n{output}")
    data = json.loads(match.group(1))
    return Sample(
        rps=data["requests"] / (data["duration_us"] / 1e6),
        p50_ms=data["p50_us"] / 1000, p99_ms=data["p99_us"] / 1000,
        errors=data["socket_errors"] + data["status_errors"],
    )


def path_of(side: str, case: Scenario) -> str:
    return case.floor_path if side == "floor" else case.shop_path


def server_of(servers: dict, side: str, size: int) -> Server:
    """The gunicorn a side is measured on (the uncached side on the shop's own)."""
    return servers["floor" if side == "floor" else "shop", size]


def check_pages(servers: dict, cases: list[Scenario], cookies: dict[int, str],
                sizes: tuple[int, ...]) -> dict[tuple[str, int, str], int]:
    """GET every page once as it will be loaded; fail unless each answers 200. Returns body sizes."""
    lengths = {}
    for size in sizes:
        for side in SIDES:
            for case in cases:
                cookie = cookies[size] if side == "uncached" else ""
                path = path_of(side, case) + (("&" if "?" in case.shop_path else "?") + "bench_miss=check" if cookie else "")
                status, length, _ = fetch(server_of(servers, side, size).url(path), cookie)
                if status != 200:
                    raise RuntimeError(f"{side} {path} answered {status} at {size} products")
                lengths[side, size, case.key] = length
    return lengths


def warm_up(servers: dict, cases: list[Scenario], seconds: int, cookies: dict[int, str], sizes: tuple[int, ...]) -> None:
    """Load each page briefly so imports, template compiles and caches (cards included) are done."""
    for size in sizes:
        for side in SIDES:
            for path in dict.fromkeys(path_of(side, c) for c in cases):
                run_wrk(server_of(servers, side, size).url(path), seconds, cookies[size] if side == "uncached" else "")


def measure(servers: dict, cases: list[Scenario], settings: Settings, sizes: tuple[int, ...],
            cookies: dict[int, str]) -> dict[tuple[str, int, str], list[Sample]]:
    """Rounds × scenarios × sizes, the three sides back to back (order turned every round)."""
    samples: dict[tuple[str, int, str], list[Sample]] = {}
    for round_no in range(settings.rounds):
        shift = round_no % len(SIDES)
        sides = SIDES[shift:] + SIDES[:shift]
        for case in cases:
            for size in sizes:
                for side in sides:
                    sample = run_wrk(server_of(servers, side, size).url(path_of(side, case)), settings.seconds,
                                     cookies[size] if side == "uncached" else "")
                    samples.setdefault((side, size, case.key), []).append(sample)
        print(f"round {round_no + 1}/{settings.rounds} done", flush=True)
    return samples


def summarize(runs: list[Sample]) -> Sample:
    """Median of each figure over the rounds; errors are summed."""
    return Sample(
        rps=statistics.median(s.rps for s in runs), p50_ms=statistics.median(s.p50_ms for s in runs),
        p99_ms=statistics.median(s.p99_ms for s in runs), errors=sum(s.errors for s in runs),
    )


# --- evaluation and report -----------------------------------------------------------------


def verdict(case: Scenario, cached: Sample, uncached: Sample, floor: Sample) -> list[str]:
    """The targets this scenario misses (empty when all are met)."""
    misses = []
    if cached.rps < CACHED_MIN_RATIO * floor.rps:
        misses.append("cached req/s")
    if uncached.rps < case.uncached_ratio * floor.rps:
        misses.append("uncached req/s")
    if cached.p99_ms > P99_RATIO_LIMIT * floor.p99_ms:
        misses.append("cached p99")
    if uncached.p99_ms > P99_RATIO_LIMIT * floor.p99_ms:
        misses.append("uncached p99")
    if cached.errors or uncached.errors or floor.errors:
        misses.append("errors")
    return misses


def table(header: list[str], rows: list[list[str]]) -> str:
    """A Markdown table (readable as plain text too)."""
    widths = [max(len(str(r[i])) for r in [header, *rows]) for i in range(len(header))]
    line = lambda cells: "| " + " | ".join(str(c).ljust(w) for c, w in zip(cells, widths)) + " |"  # noqa: E731
    return "\n".join([line(header), "|" + "|".join("-" * (w + 2) for w in widths) + "|", *map(line, rows)])


def comparison_table(size: int, cases: list[Scenario], samples: dict, body_sizes: dict) -> tuple[str, int]:
    """The shop cached and uncached (with a cart) against the floor at one size; the table and the missed count."""
    rows, missed = [], 0
    for case in cases:
        cached, uncached, floor = (summarize(samples[side, size, case.key]) for side in SIDES)
        per_round = [a.rps / b.rps for a, b in zip(samples["uncached", size, case.key], samples["floor", size, case.key])]
        misses = verdict(case, cached, uncached, floor)
        missed += bool(misses)
        rows.append([
            case.label, f"{cached.rps:.0f}", f"{uncached.rps:.0f}", f"{floor.rps:.0f}",
            f"{cached.rps / floor.rps:.2f}×", f"{uncached.rps / floor.rps:.2f}×", "/".join(f"{r:.2f}" for r in per_round),
            f"{cached.p50_ms:.1f} / {cached.p99_ms:.1f}", f"{uncached.p50_ms:.1f} / {uncached.p99_ms:.1f}",
            f"{floor.p50_ms:.1f} / {floor.p99_ms:.1f}",
            f"{cached.p99_ms / floor.p99_ms:.2f}× / {uncached.p99_ms / floor.p99_ms:.2f}×",
            " / ".join(str(body_sizes[side, size, case.key] // 1024) for side in SIDES),
            f"≥ {CACHED_MIN_RATIO:g}× / ≥ {case.uncached_ratio:g}×", "yes" if not misses else "NO: " + ", ".join(misses),
        ])
    header = ["page", "cached req/s", "uncached+cart req/s", "floor req/s", "cached / floor", "uncached / floor",
              "uncached / floor per round", "cached p50 / p99 ms", "uncached p50 / p99 ms", "floor p50 / p99 ms",
              "p99 / floor's (cached / uncached)", "KiB cached / uncached / floor", "target req/s", "met?"]
    return table(header, rows), missed


def slowdown_table(cases: list[Scenario], samples: dict, sizes: tuple[int, ...]) -> tuple[str, int]:
    """Requests/s of each side at every size, and the slowdown from the smallest to the largest catalogue."""
    small, large = sizes[0], sizes[-1]
    rows, missed = [], 0
    for case in cases:
        rps = {(side, n): summarize(samples[side, n, case.key]).rps for side in SIDES for n in sizes}
        slow = {side: 1 - rps[side, large] / rps[side, small] for side in SIDES}
        met = slow["shop"] <= SLOWDOWN_LIMIT and slow["uncached"] <= SLOWDOWN_LIMIT
        missed += not met
        rows.append([
            case.label, " / ".join(f"{rps['shop', n]:.0f}" for n in sizes),
            " / ".join(f"{rps['uncached', n]:.0f}" for n in sizes), " / ".join(f"{rps['floor', n]:.0f}" for n in sizes),
            f"{slow['shop']:+.1%}", f"{slow['uncached']:+.1%}", f"{slow['floor']:+.1%}", f"≤ {SLOWDOWN_LIMIT:.0%}",
            "yes" if met else "NO",
        ])
    at = " / ".join(f"{n // 1000}k" for n in sizes)
    header = ["page", f"cached req/s @{at}", f"uncached+cart req/s @{at}", f"floor req/s @{at}",
              "cached slowdown", "uncached slowdown", "floor slowdown", "target", "met?"]
    return table(header, rows), missed


def memory_table(memory: dict[tuple[str, int], list[tuple[float, float]]]) -> tuple[str, int]:
    """Resident memory (VmRSS, the target) and proportional set size of each gunicorn worker."""
    rows, missed = [], 0
    for (side, size), workers in memory.items():
        rss = [r for r, _ in workers]
        is_shop = side != "floor"
        met = not is_shop or max(rss) <= RSS_LIMIT_MIB
        missed += not met
        rows.append([side, f"{size:,}", " / ".join(f"{r:.1f}" for r in rss), " / ".join(f"{p:.1f}" for _, p in workers),
                     f"RSS ≤ {RSS_LIMIT_MIB} MiB" if is_shop else "(reference)",
                     ("yes" if met else "NO") if is_shop else ""])
    return table(["side", "products", "RSS per worker (MiB)", "PSS per worker (MiB)", "target", "met?"], rows), missed


def first_line(command: list[str]) -> str:
    """First line a command prints, or '?' when it cannot run."""
    with contextlib.suppress(OSError, subprocess.SubprocessError):
        result = subprocess.run(command, capture_output=True, text=True, timeout=10)
        return (result.stdout or result.stderr).strip().splitlines()[0]
    return "?"


def code_version() -> str:
    """The commit measured, and whether the work tree had uncommitted changes."""
    commit = first_line(["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"])
    dirty = subprocess.run(["git", "-C", str(ROOT), "status", "--porcelain", "--untracked-files=no"],
                           capture_output=True, text=True).stdout.strip()
    return f"commit {commit}" + (" plus uncommitted changes" if dirty else "")


def machine() -> list[str]:
    """What the numbers were measured on."""
    cpuinfo = Path("/proc/cpuinfo").read_text()
    model = re.search(r"^model name\s*:\s*(.*)$", cpuinfo, re.M)
    mem_kib = int(re.search(r"^MemTotal:\s*(\d+)", Path("/proc/meminfo").read_text(), re.M).group(1))
    return [
        f"- CPU: {len(os.sched_getaffinity(0))} cores (`nproc`), {model.group(1) if model else '?'}",
        f"- memory: {mem_kib / 1024 / 1024:.1f} GiB; kernel {platform.release()}",
        f"- Python {platform.python_version()}, SQLite {sqlite3.sqlite_version}, "
        f"{first_line([str(VENV_BIN / 'gunicorn'), '--version'])}, {first_line(['wrk', '--version']).split(' Copyright')[0]}",
    ]


def notes(facts: dict, settings: Settings, load: tuple[float, float], sizes: tuple[int, ...]) -> list[str]:
    """How the tables were measured, as Markdown bullets."""
    at = " / ".join(f"{n:,}" for n in sizes)
    matches = "; ".join(f"“{q}” " + " / ".join(str(facts[n]["matches"][q]) for n in sizes)
                        for q in (COMMON_QUERY, RARE_QUERY))
    return [
        f"- {settings.rounds} round(s) × {settings.seconds} s per page, side and size, medians shown; "
        f"{settings.warmup} s of warm-up per URL; wrk -t{WRK_THREADS} -c{WRK_CONNECTIONS}; gunicorn -w {WORKERS} -k sync "
        f"on 127.0.0.1; all {len(SERVED) * len(sizes)} servers up at once, alternated.",
        "- cached: the shop as deployed (`wsgi:app`), anonymous visitors on fixed URLs, so after the warm-up every "
        "request is a page-cache hit. uncached+cart: the same shop server, every request carrying the cookies of a "
        "real cart (one product put in it by GET product page + POST /cart/add with its CSRF token at the start; "
        "the listing was checked to show 1 item in the cart) and asking a URL the page cache has never seen "
        "(`bench_miss=<run>-<n>` added by wrk_report.lua, ignored by the pages): each request renders its page, "
        "as for a buyer on a page nobody asked for lately, reusing what the shop keeps below the page cache "
        "(product cards, filter choices, listing counts, per catalogue version). floor: `bench/floor_app.py`, "
        "bare Flask + Jinja + sqlite3, one query per page.",
        "- Targets (issue 15): cached ≥ 1× the floor's req/s; uncached+cart ≥ 0.3× for listings, ≥ 0.5× for the "
        "product page and search; p99 ≤ 1.5× the floor's p99; slowdown from the smallest to the largest catalogue "
        f"≤ {SLOWDOWN_LIMIT:.0%} on every page, cached and uncached. Add to cart against a bare INSERT is measured "
        "by bench/checkout.py.",
        f"- Product page: `/products/{facts[sizes[-1]]['slug']}`. Products whose folded name contains the query "
        f"at {at}: {matches}.",
        f"- Load average (1 min) before → after: {load[0]:.2f} → {load[1]:.2f} (the machine may be shared).",
    ]


def report(cases: list[Scenario], samples: dict, body_sizes: dict, memory: dict, facts: dict, settings: Settings,
           load: tuple[float, float], sizes: tuple[int, ...]) -> tuple[str, int]:
    """The whole result as Markdown, and how many targets were missed."""
    parts, missed = [], 0
    for size in sizes:
        text, n = comparison_table(size, cases, samples, body_sizes)
        parts += [f"### {facts[size]['published']:,} published products (`--scale {size}`)", "", text, ""]
        missed += n
    for title, (text, n) in [(f"### Slowdown from {sizes[0]:,} to {sizes[-1]:,} products",
                              slowdown_table(cases, samples, sizes)),
                             ("### Memory of each gunicorn worker after the run", memory_table(memory))]:
        parts += [title, "", text, ""]
        missed += n
    parts += notes(facts, settings, load, sizes) + [f"- Targets missed: {missed}."]
    return "\n".join(parts), missed


def write_results(body: str, command: str) -> None:
    """Replace the generated part of bench/RESULTS.md, keeping any notes written around it."""
    stamp = dt.datetime.now(dt.timezone.utc).strftime("%a %d %b %Y %H:%M:%S UTC")
    generated = "\n".join([
        MARK_START, "", f"Measured {stamp} with `{command}` on {code_version()}, on:", "", *machine(), "", body, "",
        MARK_END,
    ])
    old = RESULTS.read_text() if RESULTS.exists() else "# Catalog benchmark results\n\n" + MARK_START + MARK_END + "\n"
    head, _, rest = old.partition(MARK_START)
    _, _, tail = rest.partition(MARK_END)
    RESULTS.write_text(head + generated + tail)


def main() -> int:
    """Seed, serve, load, report; exit 1 when a target is missed."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=int, nargs="+", default=list(SIZES), metavar="N",
                        help="catalogue sizes (default: %(default)s); the slowdown is from the smallest to the largest")
    parser.add_argument("--rounds", type=int, help=f"rounds of every page, side and size (default {FULL.rounds})")
    parser.add_argument("--seconds", type=int, help=f"seconds of wrk per page, side, size and round (default {FULL.seconds})")
    parser.add_argument("--warmup", type=int, help=f"seconds of warm-up per URL (default {FULL.warmup})")
    parser.add_argument("--quick", action="store_true", help="1 short round: a smoke test, not recorded in RESULTS.md")
    parser.add_argument("--no-record", action="store_true", help="print only; leave RESULTS.md alone")
    parser.add_argument("--fresh", action="store_true", help="seed the databases again even if unchanged")
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        sys.exit("wrk is needed: apt-get install -y wrk")
    sizes = tuple(sorted(set(args.scale)))
    if len(sizes) < 2 or sizes[0] < 1:
        sys.exit("--scale needs at least two positive sizes")
    base = QUICK if args.quick else FULL
    settings = Settings(base.name, rounds=args.rounds or base.rounds, seconds=args.seconds or base.seconds,
                        warmup=args.warmup if args.warmup is not None else base.warmup)
    started = time.monotonic()
    WORK.mkdir(parents=True, exist_ok=True)
    databases = prepare_databases(args.fresh, sizes)
    facts = {size: catalog_facts(db) for size, db in databases.items()}
    cases = scenarios(facts[sizes[-1]]["slug"])
    load_before = os.getloadavg()[0]
    with running_servers(databases) as servers:
        cookies = {size: cart_cookie(servers["shop", size], cases[1].shop_path) for size in sizes}
        body_sizes = check_pages(servers, cases, cookies, sizes)
        warm_up(servers, cases, settings.warmup, cookies, sizes)
        samples = measure(servers, cases, settings, sizes, cookies)
        memory = {key: [memory_mib(pid) for pid in worker_pids(s.process.pid)] for key, s in servers.items()}
    load = (load_before, os.getloadavg()[0])
    body, missed = report(cases, samples, body_sizes, memory, facts, settings, load, sizes)
    print("\n" + body)
    if not args.quick and not args.no_record:
        write_results(body, " ".join([".venv/bin/python bench/catalog.py", *sys.argv[1:]]))
        print(f"\nrecorded in {RESULTS.relative_to(ROOT)}")
    print(f"took {time.monotonic() - started:.0f} s")
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
