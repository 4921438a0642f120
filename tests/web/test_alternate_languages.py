"""Search engines (and Lighthouse) read a page's other languages from absolute `hreflang` links."""
import re


def _alternates(html: str) -> dict[str, str]:
    return dict(re.findall(r'<link rel="alternate" hreflang="(\w+)" href="([^"]+)">', html))


def test_each_language_is_linked_by_an_absolute_address(client):
    links = _alternates(client.get("/products?q=mien").get_data(as_text=True))
    assert set(links) == {"vi", "en", "zh", "ko"}
    for lang, href in links.items():
        assert href.startswith("http://localhost/products?"), href
        assert f"lang={lang}" in href and "q=mien" in href


def test_the_public_address_wins_over_the_request_host(app, client, monkeypatch):
    monkeypatch.setitem(app.config, "PUBLIC_URL", "https://ocop.example.vn/")
    links = _alternates(client.get("/products").get_data(as_text=True))
    assert links["en"] == "https://ocop.example.vn/products?lang=en"
