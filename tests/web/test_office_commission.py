"""/admin/commission: only the office sets commission rules; bad input is refused with a message and changes nothing."""
from __future__ import annotations

from types import SimpleNamespace

import pytest
from sqlalchemy import func, select

from shop.audit.models import AuditEntry
from shop.auth.models import Role
from shop.extensions import db
from shop.ledger.models import CommissionRule
from tests.web.helpers import alerts
from tests.web.test_office_orders import as_user, en, post, quick_passwords  # noqa: F401  (fixtures)


@pytest.fixture
def world(two_producers_and_two_points, make_user):
    state = two_producers_and_two_points
    rule = CommissionRule(producer_id=state.b.id, percent_bps=1000)
    db.session.add(rule)
    users = SimpleNamespace(customer=make_user(email="khach@example.vn"), producer=state.user_a, staff=state.staff_p,
                            admin=make_user(email="boss@example.vn", name="Văn Phòng", role=Role.ADMIN))
    db.session.commit()
    return SimpleNamespace(state=state, rule=rule, users=users)


def rules_now() -> tuple:
    db.session.rollback()
    return (tuple(db.session.execute(select(CommissionRule.producer_id, CommissionRule.category_id,
                                            CommissionRule.percent_bps).order_by(CommissionRule.id)).all()),
            db.session.scalar(select(func.count(AuditEntry.id))))


ROUTES = [("GET", "/admin/commission", {}),
          ("POST", "/admin/commission", {"owner": "producer:{a}", "percent": "6,5"}),
          ("POST", "/admin/commission/{rule}/remove", {})]


def _fill(world, text: str) -> str:
    return text.format(a=world.state.a.id, rule=world.rule.id)


@pytest.mark.parametrize("method, pattern, form", ROUTES, ids=[f"{m} {p}" for m, p, _ in ROUTES])
@pytest.mark.parametrize("role", ["anonymous", "customer", "producer", "staff", "admin"])
def test_authorization_matrix(en, login, world, role, method, pattern, form):
    as_user(en, login, getattr(world.users, role, None))
    before = rules_now()
    url = _fill(world, pattern)
    response = en.get(url) if method == "GET" else post(en, url, **{k: _fill(world, v) for k, v in form.items()})
    after = rules_now()
    if role == "anonymous":
        assert response.status_code == 302 and response.headers["Location"].startswith("/login")
    elif role != "admin":
        assert response.status_code == 403
    else:
        assert response.status_code == (200 if method == "GET" else 302)
        assert (after != before) == (method == "POST")
    if role != "admin":
        assert after == before


@pytest.mark.parametrize("method, pattern, form", [r for r in ROUTES if r[0] == "POST"], ids=["set", "remove"])
def test_commission_changes_without_the_csrf_token_are_refused(en, login, world, method, pattern, form):
    as_user(en, login, world.users.admin)
    before = rules_now()
    response = en.post(_fill(world, pattern), data={k: _fill(world, v) for k, v in form.items()})
    assert response.status_code == 400
    assert rules_now() == before


def test_the_office_sets_a_producers_rate_and_sees_it_listed(en, login, world):
    as_user(en, login, world.users.admin)
    response = post(en, "/admin/commission", owner=f"producer:{world.state.a.id}", percent="6,5")
    assert response.status_code == 302
    page = en.get("/admin/commission").get_data(as_text=True)
    assert "Orders placed from now on use it" in page
    assert "HTX Miến dong Bình Liêu" in page and "6.5 %" in page
    assert rules_now()[0] == ((world.state.b.id, None, 1000), (world.state.a.id, None, 650))


@pytest.mark.parametrize("percent", ["-5", "51", "1000000000", "abc", "7.555", ""])
def test_a_negative_or_absurd_percent_is_refused_with_a_message(en, login, world, percent):
    as_user(en, login, world.users.admin)
    before = rules_now()
    response = post(en, "/admin/commission", owner=f"producer:{world.state.a.id}", percent=percent)
    assert response.status_code == 422
    assert "Enter a commission between 0 and 50 percent" in " ".join(alerts(response.get_data(as_text=True)))
    assert rules_now() == before


@pytest.mark.parametrize("owner", ["producer:999999", "set:abc", "", "producer:99999999999999999999", "user:1"])
def test_an_unknown_producer_or_set_is_refused_with_a_message(en, login, world, owner):
    as_user(en, login, world.users.admin)
    before = rules_now()
    response = post(en, "/admin/commission", owner=owner, percent="8")
    assert response.status_code == 422
    assert "Choose a producer or a product set." in " ".join(alerts(response.get_data(as_text=True)))
    assert rules_now() == before


def test_removing_an_unknown_rule_is_not_found(en, login, world):
    as_user(en, login, world.users.admin)
    assert post(en, "/admin/commission/999999/remove").status_code == 404
    assert post(en, "/admin/commission/99999999999999999999/remove").status_code == 404
