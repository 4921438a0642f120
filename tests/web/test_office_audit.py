"""The audit log page, and the office's existing actions writing to it."""
from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

import pytest
from sqlalchemy import select

from shop.audit import AuditEntry, record_change
from shop.auth.models import Role
from shop.extensions import db
from shop.orders.payment import PaymentMethod
from tests.web.helpers import alerts
from tests.web.test_office_orders import as_user, post, quick_passwords  # noqa: F401  (an autouse fixture)

ROLES = ["anonymous", "customer", "producer_a", "producer_b", "staff_p", "staff_q", "admin"]


@pytest.fixture
def world(two_producers_and_two_points, make_user):
    state = two_producers_and_two_points
    users = SimpleNamespace(customer=make_user(email="khach@example.vn", name="Khách Hàng"),
                            producer_a=state.user_a, producer_b=state.user_b, staff_p=state.staff_p,
                            staff_q=state.staff_q,
                            admin=make_user(email="boss@example.vn", name="Văn Phòng", role=Role.ADMIN))
    db.session.commit()
    return SimpleNamespace(state=state, users=users)


@pytest.fixture
def en(client):
    client.set_cookie("lang", "en")
    return client


@pytest.fixture
def office(en, login, world):
    as_user(en, login, world.users.admin)
    en.world = world
    return en


def _entry(actor, action, target, at, **kw):
    entry = record_change(actor, action, target, **kw)
    entry.at = at
    return entry


@pytest.fixture
def logged(world):
    """Three entries on three days: a bank account change, a disabled account, an approved product."""
    u, s = world.users, world.state
    day = dt.datetime(2026, 11, 20, 3, 0, tzinfo=dt.UTC)
    _entry(u.admin, "producer.bank_account.changed", s.b, day, before={"bank_account": "••••1111"},
           after={"bank_account": "••••2222"})
    _entry(u.admin, "user.disabled", u.staff_q, day + dt.timedelta(days=1), before={"is_active": True},
           after={"is_active": False}, note="Mất máy tính bảng")
    _entry(None, "product.approved", s.noodles.product, day + dt.timedelta(days=2), before={"status": "waiting_review"},
           after={"status": "published"})
    db.session.commit()


def test_only_the_office_reads_the_audit_log(en, login, world, logged):
    for role in ROLES:
        client = en.application.test_client()
        as_user(client, login, getattr(world.users, role, None))
        response = client.get("/admin/audit")
        if role == "anonymous":
            assert response.status_code == 302
        elif role == "admin":
            assert response.status_code == 200
        else:
            assert response.status_code == 403 and "Mất máy tính bảng" not in response.get_data(as_text=True)


def _actions(client, query: str = "") -> list[str]:
    html = client.get("/admin/audit" + query).get_data(as_text=True)
    labels = {"Producer's bank account changed": "bank", "Account disabled": "disabled", "Product approved": "approved"}
    found = [(html.find(f"<strong>{label}</strong>"), key) for label, key in labels.items()]
    return [key for position, key in sorted(found) if position >= 0]


def test_newest_first_with_before_and_after(office, logged):
    assert _actions(office) == ["approved", "disabled", "bank"]
    html = office.get("/admin/audit").get_data(as_text=True)
    assert "<del>••••1111</del> → <ins>••••2222</ins>" in html
    assert "the system" in html  # the approval had no user


@pytest.mark.parametrize("query, expected", [
    ("?actor=boss@", ["disabled", "bank"]),
    ("?action=user.disabled", ["disabled"]),
    ("?target=Hộ Mạnh", ["bank"]),
    ("?q=máy tính bảng", ["disabled"]),
    ("?q=published", ["approved"]),
    ("?from=2026-11-21&to=2026-11-21", ["disabled"]),
    ("?from=2026-11-22", ["approved"]),
])
def test_the_log_is_searched_by_actor_action_target_words_and_dates(office, logged, query, expected):
    assert _actions(office, query) == expected


def test_a_date_that_makes_no_sense_is_left_out_with_a_message(office, logged):
    html = office.get("/admin/audit?from=2026-13-45").get_data(as_text=True)
    assert any("could not be read" in a for a in alerts(html))
    assert _actions(office, "?from=2026-13-45") == ["approved", "disabled", "bank"]


def test_the_log_has_pages(office, world, monkeypatch):
    monkeypatch.setattr("shop.admin.audit_log.PAGE_SIZE", 2)
    for n in range(5):
        record_change(world.users.admin, "user.enabled", world.users.customer, note=f"lần {n}")
    db.session.commit()

    html = office.get("/admin/audit?page=3").get_data(as_text=True)
    assert "3 / 3" in html and "lần 0" in html and "lần 4" not in html


# ---- the office's existing actions write entries --------------------------------------------------

def _logged_actions() -> list[str]:
    db.session.expire_all()
    return [e.action for e in db.session.scalars(select(AuditEntry).order_by(AuditEntry.id))]


def test_approving_and_returning_a_product_are_logged(office, world, make_product):
    from shop.catalog.models import ProductStatus

    waiting = make_product(name="Trà hoa vàng", producer=world.state.a, status=ProductStatus.WAITING_REVIEW)
    other = make_product(name="Rượu ba kích", producer=world.state.a, status=ProductStatus.WAITING_REVIEW)
    db.session.commit()

    post(office, f"/admin/products/{waiting.id}/approve")
    post(office, f"/admin/products/{other.id}/return", note="Thiếu nồng độ cồn")

    entries = db.session.scalars(select(AuditEntry).order_by(AuditEntry.id)).all()
    assert [(e.action, e.target_label, e.after) for e in entries] == [
        ("product.approved", "Trà hoa vàng", {"status": "published"}),
        ("product.returned", "Rượu ba kích", {"status": "returned"})]
    assert entries[1].note == "Thiếu nồng độ cồn"


def test_changing_exchange_rates_is_logged(office, app):
    currency = app.config["DISPLAY_CURRENCIES"][0]

    post(office, "/admin/rates", **{currency: "25400"})

    entry = db.session.scalars(select(AuditEntry)).one()
    assert (entry.action, entry.after) == ("rates.changed", {currency: "25400"})


def test_the_office_order_actions_are_logged(office, world, make_order, order_with_two_parcels_for_point):
    lan = order_with_two_parcels_for_point
    minh = make_order((world.state.squid, 1), delivery=True, payment=PaymentMethod.VIETQR_TRANSFER,
                      email="minh@example.vn")
    noodles, squid = lan.parts

    post(office, f"/admin/orders/{lan.number}/parts/{noodles.id}/on-behalf", step="accept")
    post(office, f"/admin/orders/{lan.number}/resend", kind="order_placed")
    post(office, f"/admin/orders/{lan.number}/parts/{squid.id}/cancel", note="Hết hàng")
    post(office, f"/admin/transfers/{minh.number}", amount=str(minh.total_vnd), reference="FT123")
    post(office, f"/admin/orders/{lan.number}/cancel", note="Khách gọi điện hủy")

    assert _logged_actions() == ["order.part.moved_on_behalf", "order.message.resent", "order.part.cancelled",
                                 "payment.transfer.recorded", "order.cancelled"]
    entries = db.session.scalars(select(AuditEntry).order_by(AuditEntry.id)).all()
    assert all(e.actor_label == "Văn Phòng <boss@example.vn>" for e in entries)
    assert entries[0].target_label == lan.number and entries[0].after == {"part_status": "accepted"}
    assert entries[3].after["amount_vnd"] == minh.total_vnd and entries[3].after["reference"] == "FT123"
    assert "Khách gọi điện hủy" == entries[4].note
