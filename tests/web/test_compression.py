"""Pages travel compressed to browsers that accept it: a cheap phone on 3G waits for bytes."""
import gzip

import brotli


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
