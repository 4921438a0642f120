"""Pages and static files travel compressed to browsers that accept it: a cheap phone on 3G waits for bytes."""
import gzip
import os

import brotli
from werkzeug.test import Client

from shop.static_files import wrap_with_whitenoise


def test_a_page_comes_brotli_compressed_to_a_browser_that_accepts_it(client, make_product):
    make_product()
    plain = client.get("/products")
    packed = client.get("/products", headers={"Accept-Encoding": "gzip, deflate, br"})
    assert "Content-Encoding" not in plain.headers
    assert packed.headers["Content-Encoding"] == "br"
    assert "Accept-Encoding" in packed.headers["Vary"]
    body = brotli.decompress(packed.get_data())
    assert body == plain.get_data() and "Miến dong Bình Liêu".encode() in body
    assert len(packed.get_data()) * 3 < len(body)


def test_an_older_client_gets_gzip(client):
    packed = client.get("/", headers={"Accept-Encoding": "gzip"})
    assert packed.headers["Content-Encoding"] == "gzip"
    assert b"<html" in gzip.decompress(packed.get_data())


def test_static_files_are_served_compressed_ahead_of_time_and_cached_for_a_year(app):
    served = Client(wrap_with_whitenoise(app))
    with app.test_request_context():
        url = app.jinja_env.globals["asset"]("css/shop.css")
    with open(os.path.join(app.static_folder, "css", "shop.css"), "rb") as f:
        source = f.read()
    for accept, encoding, unpack in (("br, gzip", "br", brotli.decompress), ("gzip", "gzip", gzip.decompress)):
        reply = served.get(url, headers={"Accept-Encoding": accept})
        assert reply.status_code == 200
        assert reply.headers["Content-Encoding"] == encoding
        assert "immutable" in reply.headers["Cache-Control"] and "max-age=315360000" in reply.headers["Cache-Control"]
        assert unpack(reply.get_data()) == source
    plain = served.get(url)
    assert "Content-Encoding" not in plain.headers and plain.get_data() == source
