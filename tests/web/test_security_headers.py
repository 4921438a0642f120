"""Security headers: a strict CSP, no framing, no Referer leaving the site, personal pages never cached."""
from __future__ import annotations

import json
import pathlib
import re

import pytest

from shop.auth.models import Role

TEMPLATES = pathlib.Path(__file__).resolve().parents[2] / "templates"
INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*application/ld\+json)[^>]*>", re.I)
EVENT_HANDLER = re.compile(r"\son[a-z]+\s*=", re.I)


def directives(response) -> dict[str, str]:
    policy = response.headers["Content-Security-Policy"]
    return {part.split()[0]: part.strip() for part in policy.split(";") if part.strip()}


def test_every_page_forbids_inline_script_and_framing(client, make_product):
    make_product(slug="che-hoa-vang")
    for url in ("/", "/products/che-hoa-vang", "/login", "/products"):
        response = client.get(url)
        csp = directives(response)
        assert csp["script-src"] == "script-src 'self'", url
        assert csp["frame-ancestors"] == "frame-ancestors 'none'", url
        assert csp["object-src"] == "object-src 'none'", url
        assert response.headers["X-Frame-Options"] == "DENY"
        assert response.headers["X-Content-Type-Options"] == "nosniff"
        assert response.headers["Referrer-Policy"] in {"same-origin", "no-referrer"}


def test_no_template_has_inline_script_or_event_handlers():
    offenders = []
    for path in TEMPLATES.rglob("*.html"):
        if "notifications" in path.parts:
            continue  # e-mails are not served under the CSP
        text = path.read_text(encoding="utf-8")
        if INLINE_SCRIPT.search(text) or EVENT_HANDLER.search(text):
            offenders.append(str(path.relative_to(TEMPLATES)))
    assert offenders == []


def test_hsts_only_in_production(app, client, monkeypatch):
    assert "Strict-Transport-Security" not in client.get("/").headers
    monkeypatch.setitem(app.config, "ENV", "production")
    assert client.get("/").headers["Strict-Transport-Security"].startswith("max-age=")


def test_production_marks_login_cookies_secure():
    from shop import create_app
    from tests.unit.test_config import SAFE

    app = create_app(SAFE)
    assert app.config["SESSION_COOKIE_SECURE"] is True
    assert app.config["REMEMBER_COOKIE_SECURE"] is True


def test_personal_pages_are_never_stored(client, make_user, login, two_producers_and_two_points):
    assert "no-store" in client.get("/cart").headers["Cache-Control"]
    assert "no-store" in client.get("/login").headers["Cache-Control"]
    make_user(email="lan@example.vn")
    login(client, "lan@example.vn")
    for url in ("/account", "/cart", "/"):
        assert "no-store" in client.get(url).headers.get("Cache-Control", ""), url


def test_staff_pages_are_never_stored(client, make_user, login):
    make_user(email="office@example.vn", role=Role.ADMIN)
    login(client, "office@example.vn")
    response = client.get("/admin/rates")
    assert response.status_code == 200
    assert "no-store" in response.headers["Cache-Control"]


def test_public_pictures_stay_cacheable(client, make_product):
    make_product(slug="che-hoa-vang")
    response = client.get("/products/che-hoa-vang/image.svg")
    assert response.status_code == 200
    assert "no-store" not in response.headers.get("Cache-Control", "")


def test_product_json_ld_links_come_from_public_url_not_the_host_header(app, client, make_product, monkeypatch):
    make_product(slug="che-hoa-vang")
    monkeypatch.setitem(app.config, "PUBLIC_URL", "https://ocop.example")
    html = client.get("/products/che-hoa-vang", headers={"Host": "evil.example"}).get_data(as_text=True)
    data = json.loads(re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S).group(1))
    assert data["url"] == "https://ocop.example/products/che-hoa-vang"
    assert data["image"].startswith("https://ocop.example/")


def test_forms_post_only_to_the_shop_and_to_stripes_page_when_cards_are_on(app, client, monkeypatch):
    # Chromium applies form-action to the redirect answering a form: "Pay by card" posts to us, then 303s to
    # Stripe, so Stripe's origin is allowed exactly when card payments are on.
    assert directives(client.get("/"))["form-action"] == "form-action 'self'"
    monkeypatch.setitem(app.config, "STRIPE_SECRET_KEY", "sk_test_x")
    assert directives(client.get("/login"))["form-action"] == "form-action 'self' https://checkout.stripe.com"


def test_production_marks_the_language_and_currency_cookies_secure():
    from shop import create_app
    from tests.unit.test_config import SAFE

    client = create_app(SAFE).test_client()
    # Pages set the language cookie (a 404 is a page); /healthz and drawings do not.
    language = client.get("/no-such-page?lang=en").headers.get("Set-Cookie", "")
    assert language.startswith("lang=en") and "Secure" in language
    currency = client.get("/healthz?cur=none").headers.get("Set-Cookie", "")
    assert currency.startswith("cur=none") and "Secure" in currency


def test_development_cookies_over_plain_http_are_not_secure(client):
    assert "Secure" not in client.get("/no-such-page?lang=en").headers.get("Set-Cookie", "")


@pytest.mark.parametrize("header", ["Host", "X-Forwarded-Host", "X-Forwarded-For", "Accept-Language", "User-Agent"])
def test_a_control_character_in_a_header_value_is_refused(client, header):
    response = client.get("/?lang=en", headers={header: "shop\x00.example"})
    assert response.status_code == 400
    assert "invisible control character" in response.get_data(as_text=True)
