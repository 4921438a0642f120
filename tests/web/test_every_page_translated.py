"""In Chinese and Korean, no page shows an English UI sentence: a missing translation fails here.

Every page is rendered for the role that sees it; its visible text must not contain any
English source sentence of the catalogue (the translation would have replaced it).
"""
import os
import re
from html import unescape

import pytest
from babel.messages.pofile import read_po

from shop.auth.models import Role
from shop.extensions import db
from tests.conftest import PASSWORD

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def _english_sentences() -> list[str]:
    """Source strings long enough to be unmistakable, without placeholders or markup."""
    with open(os.path.join(ROOT, "shop", "translations", "zh", "LC_MESSAGES", "messages.po"), "rb") as f:
        catalog = read_po(f)
    return sorted({m.id for m in catalog if isinstance(m.id, str) and len(m.id) >= 14 and " " in m.id
                   and "%" not in m.id and "{" not in m.id and "<" not in m.id})


SENTENCES = _english_sentences()


def _visible_text(html: str) -> str:
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S)
    html = re.sub(r"<[^>]+>", " ", html)
    return re.sub(r"\s+", " ", unescape(html))


@pytest.fixture
def world(two_producers_and_two_points, make_user, make_order):
    """An order at point P for producer A's noodles; a user of every role (A's, P's staff, the office, a customer)."""
    state = two_producers_and_two_points
    order = make_order((state.noodles, 1), point=state.p)
    users = {"customer": make_user(email="khach@example.vn"), "producer": state.user_a, "staff": state.staff_p,
             "admin": make_user(email="office@example.vn", role=Role.ADMIN)}
    db.session.commit()
    return {"product": state.noodles.product, "point": state.p, "order": order, "part": order.parts[0],
            "users": users}


def _pages(w) -> dict[str | None, list[str]]:
    order, product, users = w["order"], w["product"], w["users"]
    return {
        None: ["/", "/products", f"/products/{product.slug}", "/producers", f"/producers/{product.producer.slug}",
               "/sales-points", f"/sales-points/{w['point'].code}", "/search?q=mien", "/about", "/cart", "/login",
               "/register", "/account/password-reset", f"/orders/{order.number}?t={order.access_token}", "/policies/shipping",
               f"/orders/{order.number}/reviews?t={order.access_token}"],
        users["customer"].email: ["/account"],
        users["producer"].email: ["/producer/", f"/producer/parts/{w['part'].id}", "/producer/products",
                                  "/producer/stock", "/producer/report", "/producer/reviews"],
        users["staff"].email: ["/desk/", "/desk/receive", "/desk/pickup", "/desk/stock", "/desk/cash",
                               f"/desk/orders/{order.number}"],
        users["admin"].email: ["/admin/", "/admin/orders", f"/admin/orders/{order.number}", "/admin/certificates",
                               "/admin/transfers", "/admin/payments", "/admin/rates", "/admin/products/review",
                               "/admin/users/invite", "/admin/money", "/admin/reviews"],
    }


@pytest.mark.parametrize("lang", ["zh", "ko"])
def test_no_page_shows_an_untranslated_english_sentence(app, login, world, lang):
    problems = []
    for email, urls in _pages(world).items():
        client = app.test_client()
        if email:
            assert login(client, email, PASSWORD).status_code == 302
        for url in urls:
            response = client.get(url + ("&" if "?" in url else "?") + f"lang={lang}")
            assert response.status_code == 200, (url, response.status_code)
            text = _visible_text(response.get_data(as_text=True))
            problems += [(url, s) for s in SENTENCES if s in text]
    assert problems == []


def test_the_check_would_see_an_english_sentence(app, world):
    """The test above is not vacuous: English pages do show the catalogue's sentences."""
    text = _visible_text(app.test_client().get("/cart?lang=en").get_data(as_text=True))
    assert any(s in text for s in SENTENCES)
