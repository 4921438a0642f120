"""Catalog benchmark: the shop against a bare Flask + Jinja floor, both under gunicorn, at two catalog sizes.

    .venv/bin/python bench/catalog.py [--quick] [--fresh]

Seeds bench/.work/catalog-2000.sqlite3 and catalog-10000.sqlite3 (`flask seed-demo --scale N`, kept
between runs until shop/demo/ or a migration changes), serves each database twice on
127.0.0.1 (the shop's `wsgi:app` and bench/floor_app.py, each `gunicorn -w 2 -k sync`), and loads them
with wrk in short alternating rounds, so that machine noise hits every side and size alike.
Prints the tables and, for a full run, records them in bench/RESULTS.md.
"""
from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import functools
import hashlib
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
import urllib.request
from dataclasses import dataclass
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
WORK = BENCH / ".work"
RESULTS = BENCH / "RESULTS.md"
WRK_SCRIPT = BENCH / "wrk_report.lua"
VENV_BIN = ROOT / ".venv" / "bin"

SIZES = (2_000, 10_000)
WORKERS = 2
WRK_THREADS = 1
WRK_CONNECTIONS = 4
#: Targets from the issue.
RSS_LIMIT_MIB = 64
SLOWDOWN_LIMIT = 0.10
P99_RATIO_LIMIT = 1.5
SEARCH_P99_LIMIT_MS = 50.0
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
    """One shop URL measured against one floor URL, with its requests/s target."""

    key: str
    label: str
    shop_path: str
    floor_path: str
    min_ratio: float
    is_search: bool = False

    @property
    def target(self) -> str:
        extra = f", p99 < {SEARCH_P99_LIMIT_MS:.0f} ms" if self.is_search else ""
        return f"≥ {self.min_ratio:g}× req/s, p99 ≤ {P99_RATIO_LIMIT:g}×{extra}"


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


def prepare_databases(fresh: bool) -> dict[int, Path]:
    """One database per size, seeded with `--scale N`; reused while the seeder is unchanged."""
    stamp = source_stamp()
    paths, previous = {}, None
    for size in SIZES:
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
        Scenario("products", "/products", "/products", "/list", 0.5),
        Scenario("product", "product page", f"/products/{slug}", f"/item/{slug}", 0.6),
        Scenario("filtered", "filtered listing", "/products?stars=4&price_max=500000&sort=price_asc", "/list", 0.5),
        Scenario("search", f"search “{COMMON_QUERY}”", f"/search?q={common}", f"/search?q={common}", 1.0, True),
        Scenario("search_rare", f"search “{RARE_QUERY}”", f"/search?q={rare}", f"/search?q={rare}", 1.0, True),
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
    """Start gunicorn (2 sync workers) for the shop or the floor on one database."""
    port, log = free_port(), WORK / f"gunicorn-{side}-{size}.log"
    if side == "shop":
        chdir, target, env = ROOT, "wsgi:app", shop_env(db)
    else:
        chdir, target, env = BENCH, "floor_app:app", os.environ | {"FLOOR_DB": str(db)}
    command = [
        str(VENV_BIN / "gunicorn"), "-w", str(WORKERS), "-k", "sync", "-b", f"127.0.0.1:{port}",
        "--chdir", str(chdir), "--log-level", "warning", "--error-logfile", str(log), *gunicorn_options(), target,
    ]
    process = subprocess.Popen(command, env=env, start_new_session=True, stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT)
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


def fetch(url: str) -> tuple[int, int]:
    """Status and body size of one GET."""
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, len(response.read())
    except urllib.error.HTTPError as error:
        return error.code, len(error.read())


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
    """Shop and floor for every size, all up at once; stopped on the way out, error or not."""
    servers: dict[tuple[str, int], Server] = {}
    try:
        for size, db in databases.items():
            for side in ("shop", "floor"):
                servers[side, size] = start_server(side, size, db)
        for (side, _size), server in servers.items():
            wait_ready(server, "/products" if side == "shop" else "/list")
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


def run_wrk(url: str, seconds: int) -> Sample:
    """Load one URL with wrk (1 thread, 4 connections) and read its JSON summary."""
    command = [
        "wrk", f"-t{WRK_THREADS}", f"-c{WRK_CONNECTIONS}", f"-d{seconds}s", "--latency",
        "-s", str(WRK_SCRIPT), url,
    ]
    output = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    match = re.search(r"^BENCH-JSON (.*)$", output, re.M)
    if match is None:
        raise RuntimeError(f"unexpected wrk output for {url}:\n{output}")
    data = json.loads(match.group(1))
    return Sample(
        rps=data["requests"] / (data["duration_us"] / 1e6),
        p50_ms=data["p50_us"] / 1000, p99_ms=data["p99_us"] / 1000,
        errors=data["socket_errors"] + data["status_errors"],
    )


def check_pages(servers: dict, cases: list[Scenario]) -> dict[tuple[str, int, str], int]:
    """GET every page once; fail unless each answers 200. Returns body sizes."""
    sizes = {}
    for (side, size), server in servers.items():
        for case in cases:
            path = case.shop_path if side == "shop" else case.floor_path
            status, length = fetch(server.url(path))
            if status != 200:
                raise RuntimeError(f"{side} {path} answered {status} at {size} products")
            sizes[side, size, case.key] = length
    return sizes


def warm_up(servers: dict, cases: list[Scenario], seconds: int) -> None:
    """Load each page briefly so imports, template compiles and caches are done."""
    for (side, _size), server in servers.items():
        for path in dict.fromkeys(c.shop_path if side == "shop" else c.floor_path for c in cases):
            run_wrk(server.url(path), seconds)


def measure(servers: dict, cases: list[Scenario], settings: Settings) -> dict[tuple[str, int, str], list[Sample]]:
    """Rounds × scenarios × sizes, shop and floor back to back (order flipped every round)."""
    samples: dict[tuple[str, int, str], list[Sample]] = {}
    for round_no in range(settings.rounds):
        sides = ("shop", "floor") if round_no % 2 == 0 else ("floor", "shop")
        for case in cases:
            for size in SIZES:
                for side in sides:
                    path = case.shop_path if side == "shop" else case.floor_path
                    sample = run_wrk(servers[side, size].url(path), settings.seconds)
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


def verdict(case: Scenario, shop: Sample, floor: Sample) -> list[str]:
    """The targets this scenario misses (empty when all are met)."""
    misses = []
    if shop.rps < case.min_ratio * floor.rps:
        misses.append("req/s")
    if shop.p99_ms > P99_RATIO_LIMIT * floor.p99_ms:
        misses.append("p99 ratio")
    if case.is_search and shop.p99_ms >= SEARCH_P99_LIMIT_MS:
        misses.append("p99 ≥ 50 ms")
    if shop.errors or floor.errors:
        misses.append("errors")
    return misses


def table(header: list[str], rows: list[list[str]]) -> str:
    """A Markdown table (readable as plain text too)."""
    widths = [max(len(str(r[i])) for r in [header, *rows]) for i in range(len(header))]
    line = lambda cells: "| " + " | ".join(str(c).ljust(w) for c, w in zip(cells, widths)) + " |"  # noqa: E731
    return "\n".join([line(header), "|" + "|".join("-" * (w + 2) for w in widths) + "|", *map(line, rows)])


def comparison_table(size: int, cases: list[Scenario], samples: dict, body_sizes: dict) -> tuple[str, int]:
    """Shop against floor at one size; returns the table and the number of missed scenarios."""
    rows, missed = [], 0
    for case in cases:
        shop, floor = summarize(samples["shop", size, case.key]), summarize(samples["floor", size, case.key])
        per_round = [a.rps / b.rps for a, b in zip(samples["shop", size, case.key], samples["floor", size, case.key])]
        misses = verdict(case, shop, floor)
        missed += bool(misses)
        rows.append([
            case.label, f"{shop.rps:.0f}", f"{floor.rps:.0f}", f"{shop.rps / floor.rps:.2f}×",
            "/".join(f"{r:.2f}" for r in per_round),
            f"{shop.p50_ms:.1f} / {shop.p99_ms:.1f}", f"{floor.p50_ms:.1f} / {floor.p99_ms:.1f}",
            f"{shop.p99_ms / floor.p99_ms:.2f}×",
            f"{body_sizes['shop', size, case.key] // 1024} / {body_sizes['floor', size, case.key] // 1024}",
            case.target, "yes" if not misses else "NO: " + ", ".join(misses),
        ])
    header = ["scenario", "shop req/s", "floor req/s", "ratio", "ratio per round", "shop p50 / p99 ms",
              "floor p50 / p99 ms", "p99 ratio", "KiB shop / floor", "target", "met?"]
    return table(header, rows), missed


def slowdown_table(cases: list[Scenario], samples: dict) -> tuple[str, int]:
    """Shop req/s at the small and the large catalog, per scenario, with the floor's for scale."""
    small, large = SIZES
    rows, missed = [], 0
    for case in cases:
        shop_small, shop_large = (summarize(samples["shop", n, case.key]).rps for n in SIZES)
        floor_small, floor_large = (summarize(samples["floor", n, case.key]).rps for n in SIZES)
        slowdown = 1 - shop_large / shop_small
        met = slowdown < SLOWDOWN_LIMIT
        missed += not met
        rows.append([
            case.label, f"{shop_small:.0f}", f"{shop_large:.0f}", f"{slowdown:+.1%}",
            f"{1 - floor_large / floor_small:+.1%}", f"< {SLOWDOWN_LIMIT:.0%}", "yes" if met else "NO",
        ])
    header = ["scenario", f"shop req/s @{small:,}", f"shop req/s @{large:,}", "shop slowdown",
              "floor slowdown", "target", "met?"]
    return table(header, rows), missed


def memory_table(memory: dict[tuple[str, int], list[tuple[float, float]]]) -> tuple[str, int]:
    """Resident memory (VmRSS, the target) and proportional set size of each gunicorn worker."""
    rows, missed = [], 0
    for (side, size), workers in memory.items():
        rss = [r for r, _ in workers]
        met = side != "shop" or max(rss) <= RSS_LIMIT_MIB
        missed += not met
        rows.append([side, f"{size:,}", " / ".join(f"{r:.1f}" for r in rss), " / ".join(f"{p:.1f}" for _, p in workers),
                     f"RSS ≤ {RSS_LIMIT_MIB} MiB" if side == "shop" else "(reference)",
                     ("yes" if met else "NO") if side == "shop" else ""])
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


def notes(facts: dict, settings: Settings, load: tuple[float, float]) -> list[str]:
    """How the tables were measured, as Markdown bullets."""
    small, large = SIZES
    matches = "; ".join(f"“{q}” {facts[small]['matches'][q]} / {facts[large]['matches'][q]}"
                        for q in (COMMON_QUERY, RARE_QUERY))
    return [
        f"- {settings.rounds} round(s) × {settings.seconds} s per page, side and size, medians shown; "
        f"{settings.warmup} s of warm-up per URL; wrk -t{WRK_THREADS} -c{WRK_CONNECTIONS}; gunicorn -w {WORKERS} -k sync "
        "on 127.0.0.1 (shop `wsgi:app`, floor `bench/floor_app.py`); all four servers up at once, alternated.",
        f"- Product page: `/products/{facts[large]['slug']}`. Products whose folded name contains the query "
        f"at {small:,} / {large:,}: {matches}.",
        f"- Load average (1 min) before → after: {load[0]:.2f} → {load[1]:.2f} (the machine may be shared).",
    ]


def report(cases: list[Scenario], samples: dict, body_sizes: dict, memory: dict, facts: dict, settings: Settings,
           load: tuple[float, float]) -> tuple[str, int]:
    """The whole result as Markdown, and how many targets were missed."""
    parts, missed = [], 0
    for size in SIZES:
        text, n = comparison_table(size, cases, samples, body_sizes)
        parts += [f"### {facts[size]['published']:,} published products (`--scale {size}`)", "", text, ""]
        missed += n
    for title, (text, n) in [(f"### Slowdown from {SIZES[0]:,} to {SIZES[1]:,} products", slowdown_table(cases, samples)),
                             ("### Memory of each gunicorn worker after the run", memory_table(memory))]:
        parts += [title, "", text, ""]
        missed += n
    parts += notes(facts, settings, load) + [f"- Targets missed: {missed}."]
    return "\n".join(parts), missed


def write_results(body: str, settings: Settings) -> None:
    """Replace the generated part of bench/RESULTS.md, keeping any notes written around it."""
    stamp = dt.datetime.now(dt.timezone.utc).strftime("%a %d %b %Y %H:%M:%S UTC")
    generated = "\n".join([
        MARK_START, "", f"Measured {stamp} with `.venv/bin/python bench/catalog.py"
        f"{' --quick' if settings is QUICK else ''}` on {code_version()}, on:", "", *machine(), "", body, "", MARK_END,
    ])
    old = RESULTS.read_text() if RESULTS.exists() else "# Catalog benchmark results\n\n" + MARK_START + MARK_END + "\n"
    head, _, rest = old.partition(MARK_START)
    _, _, tail = rest.partition(MARK_END)
    RESULTS.write_text(head + generated + tail)


def main() -> int:
    """Seed, serve, load, report; exit 1 when a target is missed."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="1 short round: a smoke test, not recorded in RESULTS.md")
    parser.add_argument("--fresh", action="store_true", help="seed the databases again even if unchanged")
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        sys.exit("wrk is needed: apt-get install -y wrk")
    settings = QUICK if args.quick else FULL
    started = time.monotonic()
    WORK.mkdir(parents=True, exist_ok=True)
    databases = prepare_databases(args.fresh)
    facts = {size: catalog_facts(db) for size, db in databases.items()}
    cases = scenarios(facts[SIZES[-1]]["slug"])
    load_before = os.getloadavg()[0]
    with running_servers(databases) as servers:
        body_sizes = check_pages(servers, cases)
        warm_up(servers, cases, settings.warmup)
        samples = measure(servers, cases, settings)
        memory = {key: [memory_mib(pid) for pid in worker_pids(s.process.pid)] for key, s in servers.items()}
    load = (load_before, os.getloadavg()[0])
    body, missed = report(cases, samples, body_sizes, memory, facts, settings, load)
    print("\n" + body)
    if settings is FULL:
        write_results(body, settings)
        print(f"\nrecorded in {RESULTS.relative_to(ROOT)}")
    print(f"took {time.monotonic() - started:.0f} s")
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
