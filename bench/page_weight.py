"""What a page costs to download: its HTML and the CSS and JS it loads, raw, gzip and brotli, as the shop serves them.

    .venv/bin/python bench/page_weight.py [--fresh] [--no-record]

Serves the demo shop (`flask seed-demo` + `flask demo accounts`, on a copy of bench/.work/checkout-seed.sqlite3)
in-process through WhiteNoise and Flask-Compress (the same stack as `gunicorn wsgi:app`, with Werkzeug's test
client instead of sockets), fetches home, listing, the demo pearl product page and a typical product page, cart
and checkout (with one product in the cart, added by a real `POST /cart/add`) and the office's home (signed in
as the demo office account). For each page it fetches the HTML and every stylesheet and script the HTML links
(`<link rel="stylesheet">`, `<script src>`) three times: without Accept-Encoding, with `gzip` and with
`br, gzip`, and counts the bytes on the wire. Target (issue 15): a product page's HTML + CSS + JS under 60 KB
raw and under 20 KB brotli. It also prints the cache headers of each static file (fingerprinted name,
`immutable`, the precompressed variant served) and records the tables in bench/RESULTS.md between this
script's markers (unless --no-record).

Byte counts do not depend on the machine's load: the numbers are exact, run to run.
"""
from __future__ import annotations

import argparse
import datetime as dt
import os
import re
import sys
from pathlib import Path
from urllib.parse import urlencode

sys.path.insert(0, str(Path(__file__).resolve().parent))
from catalog import RESULTS, ROOT, WORK, code_version, machine, table  # noqa: E402
from checkout import INSTANCE, flask_cli, fresh_copy, seeded_sqlite, sqlite_uri  # noqa: E402

DB = WORK / "page-weight.sqlite3"
PEARL_SLUG = "ngoc-trai-akoya-ha-long"
TYPICAL_SLUG = "mien-dong-binh-lieu"
OFFICE_EMAIL = "office@demo.example.vn"
DEMO_PASSWORD = "ocop-demo-2026"
#: Issue 15: a product page's HTML + CSS + JS.
TARGET_RAW = 60 * 1024
TARGET_BR = 20 * 1024
ENCODINGS = (("raw", ""), ("gzip", "gzip"), ("br", "br, gzip"))
MARK_START = "<!-- bench/page_weight.py: start -->"
MARK_END = "<!-- bench/page_weight.py: end -->"

_STYLESHEET = re.compile(r'<link rel="stylesheet" href="([^"]+)"')
_SCRIPT = re.compile(r'<script[^>]*\ssrc="([^"]+)"')
_CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')
_VARIANT = re.compile(r'name="variant_id"[^>]*value="(\d+)"')


def make_app(db: Path):
    """The shop on the bench database, wrapped as wsgi.py wraps it (WhiteNoise in front of Flask)."""
    os.environ.update({"SHOP_SQLALCHEMY_DATABASE_URI": sqlite_uri(db), "SHOP_ENV": "development",
                       "SHOP_INSTANCE_PATH": str(INSTANCE)})
    from werkzeug.test import Client

    from shop import create_app
    from shop.static_files import wrap_with_whitenoise

    app = create_app()
    app.wsgi_app = wrap_with_whitenoise(app)
    return app


def fetch(client, path: str) -> dict[str, object]:
    """The bytes of one URL as sent for each Accept-Encoding, and the headers of the brotli answer."""
    sizes, headers = {}, None
    for name, accept in ENCODINGS:
        reply = client.get(path, headers={"Accept-Encoding": accept} if accept else {})
        if reply.status_code != 200:
            raise SystemExit(f"{path} answered {reply.status_code}")
        wanted = name if name != "raw" else None
        got = reply.headers.get("Content-Encoding")
        if got != wanted:
            raise SystemExit(f"{path} with Accept-Encoding {accept!r} came as {got!r}")
        sizes[name] = len(reply.get_data())
        if name == "br":
            headers = reply.headers
    return {"sizes": sizes, "headers": headers}


def page_weight(client, path: str, statics: dict) -> dict[str, dict[str, int]]:
    """HTML, CSS and JS bytes (raw, gzip, br) of one page and the static files it links."""
    html = client.get(path).get_data(as_text=True)
    found = {"html": fetch(client, path)["sizes"]}
    for kind, pattern in (("css", _STYLESHEET), ("js", _SCRIPT)):
        total = dict.fromkeys(("raw", "gzip", "br"), 0)
        for url in pattern.findall(html):
            if url not in statics:
                statics[url] = fetch(client, url)
            for name in total:
                total[name] += statics[url]["sizes"][name]
        found[kind] = total
    found["total"] = {name: sum(found[kind][name] for kind in ("html", "css", "js")) for name in found["html"]}
    return found


def add_to_cart(client, slug: str) -> None:
    page = client.get(f"/products/{slug}").get_data(as_text=True)
    reply = client.post("/cart/add", data={"csrf_token": _CSRF.search(page).group(1),
                                           "variant_id": _VARIANT.search(page).group(1), "quantity": 1})
    if reply.status_code not in (302, 303):
        raise SystemExit(f"add to cart answered {reply.status_code}")


def log_in(client, email: str) -> None:
    page = client.get("/login").get_data(as_text=True)
    reply = client.post("/login", data={"csrf_token": _CSRF.search(page).group(1), "email": email,
                                        "password": DEMO_PASSWORD})
    if reply.status_code not in (302, 303):
        raise SystemExit(f"login as {email} answered {reply.status_code}")


def kb(n: int) -> str:
    return f"{n / 1024:.1f}"


def measure(app) -> tuple[list[tuple[str, str, dict]], dict]:
    from werkzeug.test import Client

    statics: dict = {}
    visitor, buyer, office = Client(app.wsgi_app), Client(app.wsgi_app), Client(app.wsgi_app)
    add_to_cart(buyer, TYPICAL_SLUG)
    log_in(office, OFFICE_EMAIL)
    pages = [("home", visitor, "/"), ("listing", visitor, "/products"),
             ("product (pearl)", visitor, f"/products/{PEARL_SLUG}"),
             ("product (typical)", visitor, f"/products/{TYPICAL_SLUG}"),
             ("cart", buyer, "/cart"), ("checkout", buyer, "/checkout"), ("office home", office, "/admin/")]
    return [(name, path, page_weight(client, path, statics)) for name, client, path in pages], statics


def weight_table(rows) -> str:
    header = ["page", "HTML raw/gz/br KB", "CSS raw/gz/br KB", "JS raw/gz/br KB", "total raw KB", "total gz KB",
              "total br KB", "target", "met?"]
    lines = []
    for name, _path, w in rows:
        cells = [name] + ["/".join(kb(w[kind][e]) for e in ("raw", "gzip", "br")) for kind in ("html", "css", "js")]
        cells += [kb(w["total"]["raw"]), kb(w["total"]["gzip"]), kb(w["total"]["br"])]
        if name.startswith("product"):
            met = w["total"]["raw"] < TARGET_RAW and w["total"]["br"] < TARGET_BR
            cells += [f"< {kb(TARGET_RAW)} raw, < {kb(TARGET_BR)} br", "yes" if met else "**no**"]
        else:
            cells += ["—", "—"]
        lines.append(cells)
    return table(header, lines)


def cache_table(statics: dict) -> str:
    header = ["static file", "raw B", "gzip B", "br B", "fingerprinted", "Cache-Control", "br served"]
    lines = []
    for url, found in sorted(statics.items()):
        name = url.rsplit("/", 1)[-1]
        h = found["headers"]
        lines.append([url, found["sizes"]["raw"], found["sizes"]["gzip"], found["sizes"]["br"],
                      "yes" if re.search(r"\.[0-9a-f]{12}\.\w+$", name) else "**no**",
                      h.get("Cache-Control", "—"), h.get("Content-Encoding") == "br" and "yes" or "**no**"])
    return table(header, lines)


def all_met(rows) -> bool:
    return all(w["total"]["raw"] < TARGET_RAW and w["total"]["br"] < TARGET_BR
               for name, _p, w in rows if name.startswith("product"))


def record(text: str) -> None:
    """Replace this script's part of bench/RESULTS.md (between its markers), or add it at the end."""
    results = RESULTS.read_text()
    block = f"{MARK_START}\n{text}\n{MARK_END}"
    if MARK_START in results:
        before, rest = results.split(MARK_START, 1)
        results = before + block + rest.split(MARK_END, 1)[1]
    else:
        results = results.rstrip("\n") + "\n\n" + block + "\n"
    RESULTS.write_text(results)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--fresh", action="store_true", help="seed the demo database again")
    parser.add_argument("--no-record", action="store_true", help="print only; leave bench/RESULTS.md alone")
    args = parser.parse_args()
    WORK.mkdir(exist_ok=True)
    db = fresh_copy(seeded_sqlite(args.fresh), DB)
    flask_cli(sqlite_uri(db), "demo", "accounts")
    rows, statics = measure(make_app(db))
    met = all_met(rows)
    text = "\n".join([
        f"## Page weight (bench/page_weight.py) — {dt.date.today().isoformat()}, {code_version()}",
        "",
        *machine(),
        "- bytes as served through WhiteNoise + Flask-Compress (HTML br 4 / gzip 6; static files precompressed"
        " br 11 / gzip 9); KB = 1,024 bytes; the JS counted is what the page's `<script src>` loads at once",
        "",
        weight_table(rows),
        "",
        f"Product pages under {kb(TARGET_RAW)} KB raw and {kb(TARGET_BR)} KB brotli: "
        + ("**met**." if met else "**not met**."),
        "",
        "Static files the pages above load (as served with `Accept-Encoding: br, gzip`):",
        "",
        cache_table(statics),
    ])
    print(text)
    if not args.no_record:
        record(text)
        print(f"\nrecorded in {RESULTS.relative_to(ROOT)}")
    return 0 if met else 1


if __name__ == "__main__":
    raise SystemExit(main())
