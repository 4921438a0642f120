"""No server error on odd input: huge ids, far dates and NUL bytes, on every route, as every role."""
from __future__ import annotations

import pathlib
import re

import pytest

from shop.auth.models import Role
from shop.extensions import db, limiter
from tests.web.helpers import csrf_token

ROOT = pathlib.Path(__file__).resolve().parents[2]
HUGE = "99999999999999999999"  # beyond SQLite's 2⁶³ and PostgreSQL's 2³¹
PAST_POSTGRES = str(2**31)
FAR_DATE = "9999-12-31"
NUL = "a\x00b"


def _field_names() -> list[str]:
    """Every form field and query argument the shop reads: names in templates and in the views' code."""
    names = set()
    for path in (ROOT / "templates").rglob("*.html"):
        names |= set(re.findall(r'\bname="([a-z_][a-z0-9_]*)"', path.read_text(encoding="utf-8")))
    for path in (ROOT / "shop").rglob("*.py"):
        names |= set(re.findall(r'(?:form|args)\.get(?:list)?\("([a-z_][a-z0-9_]*)"', path.read_text(encoding="utf-8")))
    return sorted(names - {"csrf_token"})


FIELDS = _field_names()
ROLE_OF_PREFIX = {"/producer": "producer", "/desk": "staff", "/admin": "admin"}


@pytest.fixture
def world(app, two_producers_and_two_points, make_order, make_user):
    """Data behind small ids (1), so routes reach their forms; a user of every role."""
    state = two_producers_and_two_points
    make_order((state.noodles, 1), point=state.p)
    users = {"customer": make_user(email="khach@example.vn"), "producer": state.user_a, "staff": state.staff_p,
             "admin": make_user(email="office@example.vn", role=Role.ADMIN)}
    db.session.commit()
    return users


def _rules(app):
    for rule in sorted(app.url_map.iter_rules(), key=lambda r: r.rule):
        if rule.endpoint == "static":
            continue
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            yield method, rule


def _path(rule, kind: str) -> str:
    values = {}
    for name, converter in rule._converters.items():
        is_int = type(converter).__name__ == "IdConverter"
        if kind == "nul":
            values[name] = "1" if is_int else "x\x00y"
        elif kind == "huge":
            values[name] = HUGE if not is_int else HUGE
        elif kind == "past_postgres":
            values[name] = PAST_POSTGRES
        else:
            values[name] = "1"
    path = rule.rule
    for name, value in values.items():
        path = re.sub(r"<(?:[a-z]+:)?%s>" % name, value, path)
    return path


def _is_id_or_date(name: str) -> bool:
    return name == "id" or name.endswith(("_id", "_on", "date", "day", "month")) or name in {"day", "month", "code"}


def _walk(app, clients, kind: str, value: str) -> list[str]:
    """Every route with every field odd, then with only the ids and dates odd and the rest plausible."""
    failures = []
    for data in ({name: value for name in FIELDS},
                 {name: value if _is_id_or_date(name) else "1" for name in FIELDS}):
        failures += _walk_once(app, clients, kind, data)
    return failures


def _walk_once(app, clients, kind: str, data: dict) -> list[str]:
    failures = []
    for method, rule in _rules(app):
        role = next((r for prefix, r in ROLE_OF_PREFIX.items() if rule.rule.startswith(prefix)), "customer")
        for who in dict.fromkeys([role, "anonymous"]):
            client = clients[who]
            path = _path(rule, kind)
            try:
                if method == "GET":
                    response = client.get(path, query_string=data)
                else:
                    response = client.post(path, data=data, query_string=data)
            except Exception as error:  # the test app propagates a server error instead of answering 500
                failures.append(f"{method} {path!r} as {who}: {type(error).__name__}: {str(error)[:120]}")
                db.session.rollback()
                continue
            if response.status_code >= 500:
                failures.append(f"{method} {path!r} as {who}: {response.status_code}")
    return failures


@pytest.fixture
def clients(app, world, login, monkeypatch):
    clients = {"anonymous": app.test_client()}
    for role, user in world.items():
        clients[role] = app.test_client()
        assert login(clients[role], user.email).status_code == 302
    # Odd values, not forged requests, are under test here: CSRF and rate limits have tests of their own.
    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", False)
    monkeypatch.setattr(limiter, "enabled", False)
    return clients


@pytest.mark.parametrize("kind, value", [("huge", HUGE), ("past_postgres", PAST_POSTGRES), ("small", FAR_DATE),
                                         ("nul", NUL)])
def test_no_route_answers_a_server_error_to_odd_input(app, clients, kind, value):
    failures = _walk(app, clients, kind, value)
    assert failures == [], "\n".join(failures)


def test_a_huge_id_in_a_url_is_not_found(client):
    assert client.get(f"/producer/parts/{HUGE}").status_code in (302, 404)
    assert client.get(f"/producer/parts/{PAST_POSTGRES}").status_code in (302, 404)


def test_a_nul_byte_is_refused_with_a_clear_message(client):
    for url in ("/products?category=%00", "/products/che%00", "/sales-points/HL%0007", "/orders/X%00?t=1"):
        response = client.get(url, headers={"Accept-Language": "en"})
        assert response.status_code == 400, url
        assert "invisible control character" in response.get_data(as_text=True)


def test_adding_a_variant_id_beyond_any_database_says_the_product_is_unavailable(client):
    token = csrf_token(client, "/login")
    response = client.post("/cart/add", data={"csrf_token": token, "variant_id": HUGE, "quantity": "1"},
                           headers={"Accept-Language": "en"}, follow_redirects=True)
    assert response.status_code == 200
    assert "no longer available" in response.get_data(as_text=True)


def test_a_certificate_dated_in_year_9999_is_refused_and_nothing_is_created(client, login, two_producers_and_two_points,
                                                                            make_category):
    from sqlalchemy import func, select

    from shop.catalog.models import Product

    category = make_category()
    db.session.commit()
    login(client, two_producers_and_two_points.user_a.email)
    before = db.session.scalar(select(func.count(Product.id)))
    page = client.post("/producer/products/new?lang=en", follow_redirects=True, data={
        "csrf_token": csrf_token(client, "/producer/products/new"), "name_vi": "Chả mực", "category_id": category.id,
        "ocop_stars": "5", "certificate_no": "QĐ 1/QĐ-UBND", "certified_on": FAR_DATE, "variant_label": "Hộp",
        "sku": "CHA-MUC-9", "price_vnd": "380000", "weight_g": "500"})
    assert page.status_code == 200
    assert "Please enter the date of the OCOP certificate." in page.get_data(as_text=True)
    assert db.session.scalar(select(func.count(Product.id))) == before
