"""What a browser downloads besides the HTML: each page links only the stylesheets its kind of page uses, served
minified under fingerprinted names with a year's immutable cache and compressed ahead of time, so a product page
stays small on a cheap phone (issue 15: HTML + CSS + JS under 60 KB, under 20 KB compressed)."""
from __future__ import annotations

import gzip
import os
import re

import brotli
import pytest
from werkzeug.test import Client

from shop.auth.models import Role
from shop.extensions import db
from shop.static_files import CACHE_DIR, minified, wrap_with_whitenoise

_STYLESHEET = re.compile(r'<link rel="stylesheet" href="([^"]+)"')
_SCRIPT = re.compile(r'<script[^>]*\ssrc="([^"]+)"')
_FINGERPRINTED = re.compile(r"^/static/(css|js)/[\w-]+\.[0-9a-f]{12}\.(css|js)$")


def stylesheets(html: str) -> list[str]:
    """The stylesheet names a page links, in order, without their fingerprints: ['shop.css', 'buy.css']."""
    return [re.sub(r"\.[0-9a-f]{12}\.", ".", url.rsplit("/", 1)[-1]) for url in _STYLESHEET.findall(html)]


def test_storefront_pages_link_the_shop_stylesheet_and_not_the_workspaces_one(client, make_product, make_order):
    product = make_product()
    order = make_order()
    for url in ("/", "/products", f"/products/{product.slug}", "/producers", "/sales-points", "/login", "/about",
                "/no-such-page"):
        assert stylesheets(client.get(url).get_data(as_text=True)) == ["shop.css"], url
    # The pages of buying add their own sheet, after the shop's.
    for url in ("/cart", "/orders/lookup", f"/orders/{order.number}?t={order.access_token}"):
        assert stylesheets(client.get(url).get_data(as_text=True)) == ["shop.css", "buy.css"], url


@pytest.mark.parametrize("role, url", [(Role.ADMIN, "/admin/"), (Role.STAFF, "/desk/"), (Role.PRODUCER, "/producer/")])
def test_workspace_screens_add_the_workspace_stylesheet(client, login, make_user, make_producer, make_sales_point,
                                                       role, url):
    place = {"producer_id": make_producer().id} if role == Role.PRODUCER else (
        {"sales_point_id": make_sales_point().id} if role == Role.STAFF else {})
    make_user(email="worker@example.vn", role=role, **place)
    db.session.commit()
    assert login(client, "worker@example.vn").status_code == 302
    reply = client.get(url)
    assert reply.status_code == 200
    assert stylesheets(reply.get_data(as_text=True)) == ["shop.css", "workspace.css"]


def served_assets(html: str) -> list[str]:
    return _STYLESHEET.findall(html) + _SCRIPT.findall(html)


def test_css_and_js_come_fingerprinted_minified_precompressed_and_cached_for_a_year(app, client, make_order):
    order = make_order()
    served = Client(wrap_with_whitenoise(app))
    urls = set()
    for url in ("/products", "/cart", f"/orders/{order.number}?t={order.access_token}"):
        urls |= set(served_assets(client.get(url).get_data(as_text=True)))
    assert {u.rsplit("/", 1)[-1].split(".")[0] for u in urls} >= {"shop", "buy", "page", "listing", "cart"}
    for url in urls:
        assert _FINGERPRINTED.match(url), url
        source_name = re.sub(r"\.[0-9a-f]{12}\.", ".", url.removeprefix("/static/"))
        with open(os.path.join(app.static_folder, source_name), "rb") as f:
            source = f.read()
        expected = minified(source_name, source)
        assert len(expected) < len(source) * 0.9, f"{source_name} is not smaller minified"
        for accept, encoding, unpack in (("br, gzip", "br", brotli.decompress), ("gzip", "gzip", gzip.decompress),
                                         ("", None, lambda data: data)):
            reply = served.get(url, headers={"Accept-Encoding": accept} if accept else {})
            assert reply.status_code == 200
            assert reply.headers.get("Content-Encoding") == encoding
            assert "immutable" in reply.headers["Cache-Control"] and "max-age=315360000" in reply.headers["Cache-Control"]
            assert unpack(reply.get_data()) == expected, (url, encoding)


def test_the_minified_stylesheet_keeps_every_rule():
    css = b"/* a note */\n.a, .b > .c { color: red;  margin: 0 auto; }\n@media (min-width: 860px) {\n  .a { content: \"x  y\"; }\n}\n"
    assert minified("css/x.css", css) == b'.a,.b>.c{color:red;margin:0 auto}@media (min-width:860px){.a{content:"x  y"}}'
    js = b"// a note\nconst a = 'x  y';  /* more */\nif (a) { go(a); }\n"
    assert minified("js/x.js", js) == b"const a='x  y';if(a){go(a);}"
    assert minified("img/x.svg", b"<svg>  </svg>") == b"<svg>  </svg>"


def test_copies_left_by_an_older_shop_are_not_served(tmp_path):
    """Before minifying, the compressed copies sat in static/.cache/<hashed name>: an upgraded shop makes new ones."""
    from flask import Flask

    from shop import static_files

    static = tmp_path / "static"
    (static / "js").mkdir(parents=True)
    source = b"".join(b"// says hello, time %d\nconsole.log('hello', %d);\n" % (n, n) for n in range(40))
    (static / "js" / "hello.js").write_bytes(source)
    app = Flask(__name__, static_folder=str(static))
    static_files.init_app(app)
    hashed = app.extensions["static_manifest"]["js/hello.js"]
    old = static / ".cache" / hashed
    old.parent.mkdir(parents=True)
    for suffix, data in (("", source), (".gz", gzip.compress(source)), (".br", brotli.compress(source))):
        old.with_name(old.name + suffix).write_bytes(data)
    reply = Client(wrap_with_whitenoise(app)).get(f"/static/{hashed}", headers={"Accept-Encoding": "br"})
    assert reply.headers["Content-Encoding"] == "br"
    assert brotli.decompress(reply.get_data()) == b"".join(b"console.log('hello',%d);" % n for n in range(40))
    assert (static / CACHE_DIR / hashed).exists()


def page_bytes(served, html_reply, html: str) -> tuple[int, int]:
    """(raw, brotli) bytes of a page's HTML and every stylesheet and script it links."""
    raw, packed = len(brotli.decompress(html_reply.get_data())), len(html_reply.get_data())
    for url in served_assets(html):
        reply = served.get(url, headers={"Accept-Encoding": "br, gzip"})
        assert reply.headers["Content-Encoding"] == "br"
        raw += len(brotli.decompress(reply.get_data()))
        packed += len(reply.get_data())
    return raw, packed


def test_a_demo_product_page_with_its_css_and_js_weighs_under_60_kb_and_under_20_kb_compressed(demo_app):
    served = Client(wrap_with_whitenoise(demo_app))
    for slug in ("ngoc-trai-akoya-ha-long", "mien-dong-binh-lieu"):
        reply = served.get(f"/products/{slug}", headers={"Accept-Encoding": "br, gzip"})
        assert reply.status_code == 200 and reply.headers["Content-Encoding"] == "br"
        html = brotli.decompress(reply.get_data()).decode()
        assert "workspace" not in " ".join(stylesheets(html))
        raw, packed = page_bytes(served, reply, html)
        assert raw < 60 * 1024, f"{slug}: {raw} bytes"
        assert packed < 20 * 1024, f"{slug}: {packed} bytes compressed"


def _css_classes(text: str) -> set[str]:
    text = re.sub(r"/\*.*?\*/", "", text, flags=re.S)
    text = re.sub(r"\{[^{}]*\}", "{}", text)  # declarations out: "0.5em" or a colour is no class
    return set(re.findall(r"\.(-?[A-Za-z_][\w-]*)", text))


def test_every_class_the_stylesheets_style_is_used_by_a_template_or_a_script():
    """Dead rules are bytes every visitor downloads: a class no template, script or Python code names is removed."""
    root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    words, prefixes = set(), set()
    for folder, exts in (("templates", (".html",)), ("static/js", (".js",)), ("shop", (".py",))):
        for path, _dirs, files in os.walk(os.path.join(root, folder)):
            for name in files:
                if name.endswith(exts):
                    with open(os.path.join(path, name), encoding="utf-8") as f:
                        text = f.read()
                    words |= set(re.findall(r"[A-Za-z_][\w-]*", text))
                    # class="badge-{{ tone }}", `is-${state}`, 'step-' + n
                    prefixes |= set(re.findall(r"([A-Za-z][\w-]*-)(?:\{\{|\{%|\$\{|['\"]\s*\+)", text))
    unused = {}
    for name in ("shop.css", "buy.css", "workspace.css"):
        with open(os.path.join(root, "static", "css", name), encoding="utf-8") as f:
            classes = _css_classes(f.read())
        unused[name] = sorted(c for c in classes if c not in words and not c.startswith(tuple(prefixes)))
    assert unused == {"shop.css": [], "buy.css": [], "workspace.css": []}
