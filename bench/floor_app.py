"""The benchmark's floor: bare Flask + Jinja over plain `sqlite3`, on the shop's own SQLite file.

It is what the shop's catalog pages would cost with no ORM, no extensions and no filters:
one query per page and small inline templates (a Jinja DictLoader). Database path: FLOOR_DB (a file path).

    FLOOR_DB=/abs/db.sqlite3 gunicorn -w 2 -k sync -b 127.0.0.1:8001 --chdir bench floor_app:app

Search is a plain `LIKE '%q%'` scan of `product.name_folded` (the accent-free name the shop
keeps beside `name`), so an unaccented query such as "mien dong" finds the same products the
shop finds; scanning `name` itself would find nothing for it and render an empty page.

`POST /insert` (form fields variant_id, quantity) is the floor of the shop's add-to-cart, used by
bench/checkout.py: it inserts one row into a table of its own (`bench_floor_insert`, created if
missing) in the same SQLite file, over one write connection per worker with the settings the shop
gives its own connections: WAL, synchronous=NORMAL, busy_timeout 10 s, one autocommit INSERT.
"""
from __future__ import annotations

import functools
import os
import sqlite3

from flask import Flask, abort, render_template, request
from jinja2 import DictLoader

PER_PAGE = 24

BASE = """<!doctype html>
<html lang="vi">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>{{ title }} · OCOP Quảng Ninh</title>
  <meta name="description" content="Sản phẩm OCOP được chứng nhận của các chủ thể Quảng Ninh.">
  <link rel="stylesheet" href="/static/css/shop.css">
</head>
<body>
  <header class="site-header">
    <a class="brand" href="/"><strong>OCOP</strong> Quảng Ninh</a>
    <form class="search-box" action="/search" method="get" role="search">
      <label for="q">Tìm sản phẩm</label>
      <input id="q" type="search" name="q" value="{{ request.args.get('q', '') }}" maxlength="100">
      <button type="submit">Tìm</button>
    </form>
    <nav><a href="/list">Sản phẩm</a> <a href="/producers">Chủ thể</a> <a href="/points">Điểm bán</a></nav>
  </header>
  <main id="main">
    <h1>{{ title }}</h1>
    {% block body %}{% endblock %}
  </main>
  <footer class="site-footer">
    <p>Trung tâm Xúc tiến thương mại OCOP Quảng Ninh (demo) · Đường Trần Quốc Nghiễn, Phường Hạ Long</p>
    <p>Điện thoại: 0203 3 000 000 · E-mail: lienhe@ocop-quangninh.example · MST: 5700000000</p>
  </footer>
</body>
</html>
"""

ROWS = """{% extends "base.html" %}{% block body %}<ul class="cards">
{%- for row in rows %}
  <li class="card"><a href="/item/{{ row.slug }}">{{ row.name }}</a>
    <span class="stars">{{ row.ocop_stars }}★</span>
    <span class="price">{{ "{:,}".format(row.price_from_vnd).replace(",", ".") }} ₫</span></li>
{%- else %}
  <li>Không tìm thấy sản phẩm.</li>
{%- endfor %}
</ul>{% endblock %}
"""

ITEM = """{% extends "base.html" %}{% block body %}<article class="product">
  <p class="summary">{{ row.summary }}</p>
  <dl>
    <dt>Giá từ</dt><dd>{{ "{:,}".format(row.price_from_vnd).replace(",", ".") }} ₫</dd>
    <dt>Sao OCOP</dt><dd>{{ row.ocop_stars }}★ · {{ row.ocop_certificate_no }}</dd>
    <dt>Hiệu lực</dt><dd>{{ row.ocop_certified_on }} – {{ row.ocop_expires_on }}</dd>
    <dt>Bảo quản</dt><dd>{{ row.storage }}</dd>
  </dl>
  <div class="description">{{ row.description }}</div>
</article>{% endblock %}
"""

LIST_SQL = "SELECT slug, name, ocop_stars, price_from_vnd FROM product ORDER BY id LIMIT ?"
ITEM_SQL = (
    "SELECT slug, name, summary, description, ocop_stars, ocop_certificate_no, ocop_certified_on,"
    " ocop_expires_on, storage, price_from_vnd FROM product WHERE slug = ?"
)
SEARCH_SQL = (
    "SELECT slug, name, ocop_stars, price_from_vnd FROM product"
    " WHERE name_folded LIKE '%' || ? || '%' LIMIT ?"
)


@functools.cache
def connection(path: str) -> sqlite3.Connection:
    """One read connection per worker process, opened on first use (after gunicorn forks)."""
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True, check_same_thread=False)
    conn.row_factory = sqlite3.Row
    return conn


def query(sql: str, *params) -> list[sqlite3.Row]:
    """Run one SELECT on the benchmark database."""
    return connection(os.environ["FLOOR_DB"]).execute(sql, params).fetchall()


INSERT_TABLE_SQL = (
    "CREATE TABLE IF NOT EXISTS bench_floor_insert (id INTEGER PRIMARY KEY, variant_id INTEGER NOT NULL,"
    " quantity INTEGER NOT NULL, created_at TEXT NOT NULL)"
)
INSERT_SQL = "INSERT INTO bench_floor_insert (variant_id, quantity, created_at) VALUES (?, ?, datetime('now'))"


@functools.cache
def write_connection(path: str) -> sqlite3.Connection:
    """One write connection per worker, tuned as the shop tunes its own (shop/extensions.py)."""
    conn = sqlite3.connect(path, isolation_level=None, check_same_thread=False, timeout=10)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA synchronous=NORMAL")
    conn.execute("PRAGMA busy_timeout=10000")
    conn.execute(INSERT_TABLE_SQL)
    return conn


TEMPLATES = {"base.html": BASE, "rows.html": ROWS, "item.html": ITEM}


def create_app() -> Flask:
    """The floor app: /list, /item/<slug>, /search?q=, and POST /insert."""
    app = Flask(__name__, static_folder=None, template_folder=None)
    app.jinja_loader = DictLoader(TEMPLATES)

    @app.get("/list")
    def listing():
        return render_template("rows.html", title="Sản phẩm OCOP", rows=query(LIST_SQL, PER_PAGE))

    @app.get("/item/<slug>")
    def item(slug: str):
        rows = query(ITEM_SQL, slug)
        if not rows:
            abort(404)
        return render_template("item.html", title=rows[0]["name"], row=rows[0])

    @app.get("/search")
    def search():
        q = " ".join(request.args.get("q", "").lower().split())[:100]
        return render_template("rows.html", title=f"Tìm: {q}", rows=query(SEARCH_SQL, q, PER_PAGE))

    @app.post("/insert")
    def insert():
        variant_id = request.form.get("variant_id", type=int)
        quantity = request.form.get("quantity", type=int)
        if not variant_id or not quantity or not 1 <= quantity <= 99:
            abort(400)
        write_connection(os.environ["FLOOR_DB"]).execute(INSERT_SQL, (variant_id, quantity))
        return "", 201

    return app


app = create_app()
