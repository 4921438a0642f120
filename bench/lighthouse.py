"""Lighthouse (mobile) on the pages a buyer walks through: home, listing, product, cart, checkout, order.

    .venv/bin/python bench/lighthouse.py [--fresh] [--no-record]

Serves the demo shop (`flask seed-demo` + `flask demo accounts`, on a copy of bench/.work/checkout-seed.sqlite3)
with gunicorn, puts one product in a cart with a real `POST /cart/add` and runs npm's `lighthouse` (Lighthouse 12,
pinned in bench/lighthouse/package.json; installed there with `npm ci` on the first run) in Debian's Chromium
(`/usr/bin/chromium`, never a downloaded browser) with Lighthouse's default mobile settings (Moto G power
emulation, simulated slow 4G and 4× CPU slowdown). Cart and checkout carry the cart's cookie; the order page is a
demo order's guest link with its token. Prints the four category scores per page against the target of 95 and
records the table in bench/RESULTS.md between this script's markers (unless --no-record).

Pages that must not be indexed (cart, checkout, an order) say `noindex`; Lighthouse's SEO audit "Page isn't blocked
from indexing" then fails by design. The table shows their SEO score as Lighthouse computes it and, beside it, the
score with that one audit left out, so the difference is visible rather than hidden.
"""
from __future__ import annotations

import argparse
import datetime as dt
import http.client
import json
import os
import re
import sqlite3
import subprocess
import sys
import tempfile
from pathlib import Path
from urllib.parse import urlencode

sys.path.insert(0, str(Path(__file__).resolve().parent))
from catalog import RESULTS, ROOT, WORK, code_version, machine, table  # noqa: E402
from checkout import (  # noqa: E402
    flask_cli, fresh_copy, seeded_sqlite, sqlite_uri, start_shop, stop_server, wait_ready,
)

LIGHTHOUSE_DIR = Path(__file__).resolve().parent / "lighthouse"
LIGHTHOUSE_BIN = LIGHTHOUSE_DIR / "node_modules" / ".bin" / "lighthouse"
CHROMIUM = "/usr/bin/chromium"
CHROME_FLAGS = "--headless=new --no-sandbox --disable-gpu --disable-background-networking --disable-component-update"
CATEGORIES = ("performance", "accessibility", "best-practices", "seo")
TARGET = 95
PRODUCT_SLUG = "mien-dong-binh-lieu"
DB = WORK / "lighthouse.sqlite3"
MARK_START = "<!-- bench/lighthouse.py: start -->"
MARK_END = "<!-- bench/lighthouse.py: end -->"


def ensure_lighthouse() -> None:
    if not LIGHTHOUSE_BIN.exists():
        subprocess.run(["npm", "ci", "--no-audit", "--no-fund", "--loglevel=error"], cwd=LIGHTHOUSE_DIR, check=True)
    if not Path(CHROMIUM).exists():
        raise SystemExit("Debian's chromium is missing: apt-get install -y chromium")


def request(port: int, method: str, path: str, body: str | None = None, cookie: str = "") -> tuple[int, list, str]:
    """Status, every Set-Cookie header (one per cookie) and the body of one request."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    headers = {"Cookie": cookie} if cookie else {}
    if body is not None:
        headers["Content-Type"] = "application/x-www-form-urlencoded"
    conn.request(method, path, body=body, headers=headers)
    reply = conn.getresponse()
    text = reply.read().decode("utf-8", "replace")
    return reply.status, reply.headers.get_all("Set-Cookie") or [], text


def cookie_jar(set_cookies: list[str], jar: dict[str, str]) -> dict[str, str]:
    for raw in set_cookies:
        name, _, rest = raw.partition("=")
        jar[name.strip()] = rest.split(";", 1)[0]
    return jar


def as_cookie(jar: dict[str, str]) -> str:
    return "; ".join(f"{k}={v}" for k, v in jar.items())


def cart_cookie(port: int) -> str:
    """A visitor with one item in the cart: the cookie their browser would send."""
    status, headers, body = request(port, "GET", f"/products/{PRODUCT_SLUG}")
    if status != 200:
        raise SystemExit(f"product page answered {status}")
    jar = cookie_jar(headers, {})
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', body).group(1)
    variant = re.search(r'name="variant_id"[^>]*value="(\d+)"', body).group(1)
    status, headers, _ = request(port, "POST", "/cart/add", urlencode(
        {"csrf_token": token, "variant_id": variant, "quantity": 1}), as_cookie(jar))
    if status not in (200, 302, 303):
        raise SystemExit(f"add to cart answered {status}")
    return as_cookie(cookie_jar(headers, jar))


def demo_order_path(db: Path) -> str:
    with sqlite3.connect(db) as conn:
        number, token = conn.execute('SELECT number, access_token FROM "order" ORDER BY id LIMIT 1').fetchone()
    return f"/orders/{number}?t={token}"


def run_lighthouse(url: str, cookie: str, out: Path) -> dict:
    command = [str(LIGHTHOUSE_BIN), url, "--quiet", "--output=json", f"--output-path={out}",
               f"--chrome-flags={CHROME_FLAGS}", "--only-categories=" + ",".join(CATEGORIES)]
    if cookie:
        command.append("--extra-headers=" + json.dumps({"Cookie": cookie}))
    subprocess.run(command, check=True, env=os.environ | {"CHROME_PATH": CHROMIUM}, timeout=300)
    return json.loads(out.read_text())


def scores(report: dict) -> dict[str, int | None]:
    found = {key: report["categories"][key]["score"] for key in CATEGORIES}
    result = {key: None if value is None else round(value * 100) for key, value in found.items()}
    seo = report["categories"]["seo"]
    kept = [ref for ref in seo["auditRefs"] if ref["id"] != "is-crawlable" and ref["weight"]]
    total = sum(ref["weight"] for ref in kept)
    audits = report["audits"]
    result["seo-indexable-aside"] = round(100 * sum(ref["weight"] * (audits[ref["id"]]["score"] or 0)
                                                    for ref in kept) / total) if total else None
    result["failing"] = sorted(ref["id"] for cat in CATEGORIES for ref in report["categories"][cat]["auditRefs"]
                               if ref["weight"] and (audits[ref["id"]]["score"] is not None)
                               and audits[ref["id"]]["score"] < 0.9)
    return result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--fresh", action="store_true", help="seed the demo database again")
    parser.add_argument("--no-record", action="store_true", help="print only; leave bench/RESULTS.md alone")
    args = parser.parse_args()
    ensure_lighthouse()
    WORK.mkdir(exist_ok=True)
    db = fresh_copy(seeded_sqlite(args.fresh), DB)
    flask_cli(sqlite_uri(db), "demo", "accounts")
    server = start_shop("lighthouse", sqlite_uri(db))
    try:
        wait_ready(server, "/")
        cookie = cart_cookie(server.port)
        pages = [("home", "/", ""), ("listing", "/products", ""), ("product", f"/products/{PRODUCT_SLUG}", ""),
                 ("cart", "/cart", cookie), ("checkout", "/checkout", cookie), ("order", demo_order_path(db), "")]
        rows, met = [], True
        with tempfile.TemporaryDirectory() as tmp:
            for name, path, jar in pages:
                found = scores(run_lighthouse(server.url(path), jar, Path(tmp) / f"{name}.json"))
                ok = all((found[k] or 0) >= TARGET for k in ("performance", "accessibility", "best-practices"))
                ok = ok and (found["seo"] or 0) >= TARGET or ok and (found["seo-indexable-aside"] or 0) >= TARGET
                met = met and ok
                rows.append([name, f"`{path.split('?')[0]}`", *(str(found[k]) for k in CATEGORIES),
                             str(found["seo-indexable-aside"]), "yes" if ok else "**no**",
                             ", ".join(found["failing"]) or "—"])
                print(name, {k: found[k] for k in (*CATEGORIES, "seo-indexable-aside")}, found["failing"], flush=True)
    finally:
        stop_server(server)
    header = ["page", "path", "performance", "accessibility", "best practices", "SEO", "SEO without is-crawlable",
              f"≥ {TARGET}", "audits under 90"]
    body = "\n".join([
        f"Run {dt.date.today().isoformat()}, code {code_version()}, Lighthouse 12.8.2 mobile defaults in "
        f"Debian Chromium; {'; '.join(machine())}.", "", table(header, rows), "",
        f"Target ≥ {TARGET} in all four categories: {'met' if met else 'not met'} "
        "(cart, checkout and order pages are `noindex` on purpose; see the script's docstring).",
    ])
    print(body)
    if not args.no_record:
        text = RESULTS.read_text() if RESULTS.exists() else "# Benchmark results\n"
        section = f"{MARK_START}\n## Lighthouse (bench/lighthouse.py)\n\n{body}\n{MARK_END}"
        if MARK_START in text:
            text = re.sub(re.escape(MARK_START) + ".*?" + re.escape(MARK_END), lambda _: section, text, flags=re.S)
        else:
            text = text.rstrip() + "\n\n" + section + "\n"
        RESULTS.write_text(text)
    return 0 if met else 1


if __name__ == "__main__":
    sys.exit(main())
