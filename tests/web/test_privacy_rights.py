"""A person's rights over their data (Decree 13/2023): download it, delete the account (orders kept, anonymised),
erase a guest order by its token, the office answering a request for an e-mail or phone; the privacy page."""
from __future__ import annotations

import datetime as dt
import json
from types import SimpleNamespace

import pytest
from sqlalchemy import func, select

from shop.account.cancelling import cancel_by_customer
from shop.audit import AuditEntry
from shop.auth.consents import Consent, Purpose, Source, record
from shop.auth.models import Address, Login, Role, User
from shop.cart.models import Cart
from shop.extensions import db
from shop.notifications.models import OutboxMessage
from shop.orders.models import Order, OrderLine, OrderStatus
from tests.conftest import PASSWORD
from tests.web.helpers import csrf_token


@pytest.fixture(autouse=True)
def quick_passwords(monkeypatch):
    """Cheap password hashes: the matrix logs in many times, and hashing cost is not under test here."""
    from functools import partial

    from werkzeug.security import generate_password_hash

    monkeypatch.setattr("shop.auth.models.generate_password_hash", partial(generate_password_hash, method="pbkdf2:sha256:1"))


@pytest.fixture
def en(client):
    client.set_cookie("lang", "en")
    return client


def _own(order, user):
    order.user_id = user.id
    db.session.commit()
    return order


def _cancelled(order):
    cancel_by_customer(order.id)
    db.session.expire_all()
    return db.session.get(Order, order.id)


@pytest.fixture
def hoa(make_user, make_order):
    """A customer with an address, a consent, a cart, a finished (cancelled) order and its e-mails."""
    user = make_user(email="hoa@example.vn", name="Đỗ Thị Hoa", phone="+84911222333")
    user.addresses.append(Address(recipient_name="Đỗ Thị Hoa", phone="+84911222333", province_code="22",
                                  province_name="Quảng Ninh", ward_name="Phường Bãi Cháy", line="5 Hạ Long"))
    record(Purpose.PERSONAL_DATA, True, Source.REGISTRATION, email=user.email, user_id=user.id)
    db.session.add(Cart(token="hoa-cart", user_id=user.id))
    db.session.commit()
    order = _cancelled(_own(make_order(email="hoa@example.vn"), user))
    return SimpleNamespace(user=user, order=order, id=user.id)


def _log_in(client, login, user):
    assert login(client, user.email).status_code == 302
    return client


def _post(client, url, page, **data):
    return client.post(url, data={"csrf_token": csrf_token(client, page), **data})


# ---- the customer's own data ----------------------------------------------------------------------

def test_a_customer_downloads_all_their_data_as_json(en, login, hoa):
    _log_in(en, login, hoa.user)

    response = en.get("/account/privacy/export.json")

    assert response.status_code == 200 and response.mimetype == "application/json"
    assert "attachment" in response.headers["Content-Disposition"]
    assert "no-store" in response.headers["Cache-Control"]
    data = json.loads(response.get_data(as_text=True))
    assert data["profile"]["email"] == "hoa@example.vn" and data["profile"]["phone"] == "+84911222333"
    assert data["addresses"][0]["line"] == "5 Hạ Long"
    assert {(c["purpose"], c["source"]) for c in data["consents"]} >= {("personal_data", "registration"),
                                                                        ("personal_data", "checkout")}
    assert [o["number"] for o in data["orders"]] == [hoa.order.number]
    assert data["orders"][0]["lines"][0]["quantity"] == 2 and data["orders"][0]["total_vnd"] == 200_000
    assert len(data["sessions"]) == 1
    assert {m["kind"] for m in data["messages"]} >= {"order_placed", "order_cancelled"}


def test_the_privacy_page_of_the_account_shows_the_consents_and_both_actions(en, login, hoa):
    _log_in(en, login, hoa.user)

    page = en.get("/account/privacy").get_data(as_text=True)

    assert "Processing of my personal data for my account and orders" in page
    assert "/account/privacy/export.json" in page and "Delete my account" in page


def test_deleting_the_account_needs_the_password_again(en, login, hoa):
    _log_in(en, login, hoa.user)

    response = _post(en, "/account/privacy/delete", "/account/privacy", password="not my password", confirm="y")

    assert response.status_code == 400 and "The password is not right" in response.get_data(as_text=True)
    assert db.session.get(User, hoa.id) is not None
    assert en.get("/account").status_code == 200


def test_deleting_the_account_keeps_the_orders_anonymised_and_tells_the_old_address(app, en, login, hoa):
    _log_in(en, login, hoa.user)
    number, total = hoa.order.number, hoa.order.total_vnd
    db.session.get(Order, hoa.order.id).buyer_birth_date = dt.date(1990, 5, 17)  # as an alcohol order keeps it
    db.session.commit()

    response = _post(en, "/account/privacy/delete", "/account/privacy", password=PASSWORD, confirm="y")

    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(User, hoa.id) is None
    assert db.session.scalar(select(func.count(Address.id))) == 0
    assert db.session.scalar(select(func.count(Cart.id)).where(Cart.token == "hoa-cart")) == 0
    assert db.session.scalar(select(func.count(Login.id))) == 0
    order = db.session.scalar(select(Order).where(Order.number == number))
    assert (order.total_vnd, order.user_id, order.contact_email, order.contact_phone) == (total, None, "", "")
    assert "Hoa" not in order.contact_name and order.erased_at is not None
    assert order.buyer_birth_date is None
    assert db.session.scalar(select(func.count(OrderLine.id)).where(OrderLine.order_id == order.id)) == 1
    assert set(db.session.scalars(select(Consent.email))) == {""}
    mails = db.session.execute(select(OutboxMessage.kind, OutboxMessage.recipient)).all()
    assert mails == [("account_erased", "hoa@example.vn")]  # the other e-mails to the address are gone
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "privacy.account_deleted"))
    assert "hoa@example.vn" not in entry.actor_label + entry.target_label
    assert en.get("/account").status_code == 302  # logged out


def test_an_open_order_holds_the_account_deletion_back(en, login, hoa, make_order):
    open_order = _own(make_order(email="hoa@example.vn"), hoa.user)
    _log_in(en, login, hoa.user)

    response = _post(en, "/account/privacy/delete", "/account/privacy", password=PASSWORD, confirm="y")

    assert response.status_code == 400 and open_order.number in response.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(User, hoa.id) is not None
    assert db.session.get(Order, hoa.order.id).contact_email == "hoa@example.vn"


def test_a_staff_account_is_closed_by_the_office_not_by_itself(en, login, make_user, make_sales_point):
    staff = make_user(email="desk@example.vn", role=Role.STAFF, sales_point_id=make_sales_point().id)
    db.session.commit()
    _log_in(en, login, staff)

    response = _post(en, "/account/privacy/delete", "/account/privacy", password=PASSWORD, confirm="y")

    assert response.status_code == 400 and "the OCOP office closes it" in response.get_data(as_text=True)
    assert db.session.get(User, staff.id) is not None


# ---- a guest's order --------------------------------------------------------------------------------

def _erase_guest(client, order, token=None):
    url = f"/orders/{order.number}?t={order.access_token}"
    return _post(client, f"/orders/{order.number}/erase", url, t=token or order.access_token)


def test_a_guest_erases_their_data_from_a_finished_order_by_its_token(en, make_order):
    order = _cancelled(make_order(delivery=True, email="guest@example.vn"))
    page = en.get(f"/orders/{order.number}?t={order.access_token}").get_data(as_text=True)
    assert "Erase my data from this order" in page

    response = _erase_guest(en, order)

    assert response.status_code == 302
    db.session.expire_all()
    order = db.session.get(Order, order.id)
    assert (order.contact_email, order.contact_phone, order.address_line, order.recipient_name) == ("", "", "", "")
    assert order.total_vnd == 220_000 and order.status == OrderStatus.CANCELLED  # the money stays
    page = en.get(f"/orders/{order.number}?t={order.access_token}").get_data(as_text=True)
    assert "Your personal data was erased from this order" in page and "Trần Văn Minh" not in page


def test_an_open_guest_order_cannot_be_erased(en, make_order):
    order = make_order(email="guest@example.vn")
    assert "Erase my data" not in en.get(f"/orders/{order.number}?t={order.access_token}").get_data(as_text=True)

    response = _erase_guest(en, order)

    assert response.status_code == 302
    assert "is still open" in en.get(response.headers["Location"]).get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Order, order.id).contact_email == "guest@example.vn"


def test_a_wrong_token_erases_nothing(en, make_order):
    order = _cancelled(make_order(email="guest@example.vn"))

    response = _erase_guest(en, order, token="x" * 32)

    assert response.status_code == 404
    db.session.expire_all()
    assert db.session.get(Order, order.id).contact_email == "guest@example.vn"


# ---- the office answers a request -------------------------------------------------------------------

@pytest.fixture
def office(en, login, make_user):
    boss = make_user(email="boss@example.vn", name="Văn Phòng", role=Role.ADMIN)
    db.session.commit()
    return _log_in(en, login, boss)


def test_the_office_finds_everything_for_a_phone_and_exports_it_audited(office, hoa, make_order):
    guest = _cancelled(make_order(email="other@example.vn"))  # the same phone, another address

    page = office.get("/admin/privacy?phone=0912 345 678").get_data(as_text=True)
    assert hoa.order.number in page and guest.number in page

    response = _post(office, "/admin/privacy/export", "/admin/privacy", phone="0912 345 678")

    data = json.loads(response.get_data(as_text=True))
    assert sorted(o["number"] for o in data["orders"]) == sorted([hoa.order.number, guest.number])
    assert db.session.scalar(select(AuditEntry.action).where(AuditEntry.action == "privacy.data_exported"))


def test_the_office_erases_for_an_email_leaving_open_orders_and_their_account(office, hoa, make_order):
    still_open = _own(make_order(email="hoa@example.vn"), hoa.user)
    old_guest = _cancelled(make_order(email="hoa@example.vn"))

    response = _post(office, "/admin/privacy/erase", "/admin/privacy", email="HOA@example.vn", confirm="y")

    assert response.status_code == 302
    page = office.get(response.headers["Location"]).get_data(as_text=True)
    assert "0 account(s) deleted, 2 order(s) anonymised" in page and still_open.number in page
    db.session.expire_all()
    assert db.session.get(User, hoa.id) is not None  # one of its orders still moves
    assert db.session.get(Order, old_guest.id).erased_at is not None
    assert db.session.get(Order, hoa.order.id).erased_at is not None  # finished: erased, though the account stays
    assert db.session.get(Order, still_open.id).contact_email == "hoa@example.vn"
    actions = db.session.scalars(select(AuditEntry.action)).all()
    assert actions.count("privacy.order_anonymised") == 2


def test_the_office_erase_deletes_a_customer_whose_orders_are_finished(office, hoa):
    response = _post(office, "/admin/privacy/erase", "/admin/privacy", email="hoa@example.vn", confirm="y")

    page = office.get(response.headers["Location"]).get_data(as_text=True)
    assert "1 account(s) deleted, 1 order(s) anonymised" in page
    db.session.expire_all()
    assert db.session.get(User, hoa.id) is None
    assert db.session.get(Order, hoa.order.id).contact_email == ""
    assert db.session.scalar(select(AuditEntry.action).where(AuditEntry.action == "privacy.account_deleted"))


def test_the_office_erase_needs_the_confirmation_box(office, hoa):
    _post(office, "/admin/privacy/erase", "/admin/privacy", email="hoa@example.vn")

    db.session.expire_all()
    assert db.session.get(User, hoa.id) is not None


# ---- who may do what ------------------------------------------------------------------------------

ROUTES = [
    ("GET", "/account/privacy", {}, "customer"),
    ("GET", "/account/privacy/export.json", {}, "customer"),
    ("POST", "/account/privacy/delete", {"password": PASSWORD, "confirm": "y"}, "customer"),
    ("GET", "/admin/privacy?email=hoa@example.vn", {}, "admin"),
    ("POST", "/admin/privacy/export", {"email": "hoa@example.vn"}, "admin"),
    ("POST", "/admin/privacy/erase", {"email": "hoa@example.vn", "confirm": "y"}, "admin"),
]


def _state(hoa):
    db.session.expire_all()
    return (db.session.scalar(select(func.count(User.id))), db.session.get(Order, hoa.order.id).contact_email,
            db.session.scalar(select(func.count(AuditEntry.id))))


@pytest.mark.parametrize("method, url, form, owner", ROUTES, ids=[f"{m} {u}" for m, u, _, _ in ROUTES])
@pytest.mark.parametrize("role", ["anonymous", "customer", "producer", "staff", "admin"])
def test_authorization_matrix(en, login, hoa, make_user, make_producer, make_sales_point, role, method, url, form,
                              owner):
    users = {"customer": hoa.user, "producer": make_user(role=Role.PRODUCER, producer_id=make_producer().id),
             "staff": make_user(role=Role.STAFF, sales_point_id=make_sales_point().id),
             "admin": make_user(role=Role.ADMIN)}
    db.session.commit()
    if role != "anonymous":
        _log_in(en, login, users[role])
    before = _state(hoa)

    if method == "GET":
        response = en.get(url)
    else:
        response = _post(en, url, "/login" if role == "anonymous" else "/sales-points", **form)

    if role == "anonymous":
        assert response.status_code == 302 and "/login" in response.headers["Location"]
    elif owner == "admin" and role != "admin":
        assert response.status_code == 403
    elif owner == "customer" and role != "customer" and url.endswith("/delete"):
        assert response.status_code == 400  # only a customer account deletes itself
    else:
        assert response.status_code == (302 if url.endswith(("/delete", "/erase")) else 200)
    if owner == "customer" and role not in ("anonymous", "customer"):
        assert "hoa@example.vn" not in response.get_data(as_text=True)  # only one's own data
    changes = (role == "customer" and url.endswith("/delete")) or (role == "admin" == owner and method == "POST")
    assert (_state(hoa) != before) == changes


@pytest.mark.parametrize("url, form", [("/account/privacy/delete", {"password": PASSWORD, "confirm": "y"}),
                                       ("/admin/privacy/erase", {"email": "hoa@example.vn", "confirm": "y"}),
                                       ("/admin/privacy/export", {"email": "hoa@example.vn"})])
def test_privacy_actions_without_the_csrf_token_are_refused(en, login, hoa, make_user, url, form):
    user = hoa.user if url.startswith("/account") else make_user(role=Role.ADMIN)
    db.session.commit()
    _log_in(en, login, user)
    before = _state(hoa)

    response = en.post(url, data=form)

    assert response.status_code == 400 and _state(hoa) == before


def test_the_guest_erase_route_without_token_or_ownership_is_404(en, login, hoa, make_user):
    stranger = make_user(email="stranger@example.vn")
    db.session.commit()
    _log_in(en, login, stranger)

    response = _post(en, f"/orders/{hoa.order.number}/erase", "/account")

    assert response.status_code == 404
    db.session.expire_all()
    assert db.session.get(Order, hoa.order.id).contact_email == "hoa@example.vn"


# ---- the privacy page -------------------------------------------------------------------------------

@pytest.mark.parametrize("language, heading", [("vi", "Ai xử lý dữ liệu cho chúng tôi"), ("en", "Who processes data for us"),
                                               ("zh", "谁为我们处理数据"), ("ko", "누가 우리를 위해 데이터를 처리하는지")])
def test_the_privacy_page_names_processors_and_retention_in_every_language(client, language, heading):
    page = client.get(f"/privacy?lang={language}").get_data(as_text=True)

    assert heading in page
    assert "Vietcombank" in page and "90" in page  # the bank; e-mails kept 90 days
    assert 'href="/privacy"' in page  # the footer links it


def test_stripe_and_sms_are_named_only_when_configured(app, client):
    assert "Stripe" not in client.get("/privacy?lang=en").get_data(as_text=True)
    app.config.update(STRIPE_SECRET_KEY="sk_test_x", SMS_PROVIDER="esms", ZALO_PROVIDER="zns")
    try:
        page = client.get("/privacy?lang=en").get_data(as_text=True)
    finally:
        app.config.update(STRIPE_SECRET_KEY=None, SMS_PROVIDER=None, ZALO_PROVIDER=None)
    assert "Stripe" in page and "transferred abroad" in page and "eSMS.vn" in page and "Zalo (Công ty Cổ phần VNG)" in page
