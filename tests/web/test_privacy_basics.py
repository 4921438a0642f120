"""Personal data, the groundwork (Decree 13/2023): consents recorded per purpose with the notice version, the
checkout's contact and address kept off the cookie, retention by `flask privacy purge`, private file modes,
and no secret token in any log line."""
import datetime as dt
import logging
import os
import threading
import urllib.request

import pytest
from sqlalchemy import func, select
from werkzeug.serving import make_server

from shop.auth.consents import Consent, Purpose, Source
from shop.auth.models import Login, User
from shop.cart.models import Cart, CartLine
from shop.clock import now
from shop.extensions import db
from shop.notifications.models import OutboxMessage, OutboxStatus
from shop.orders.models import Order
from tests.web.helpers import checkout_details, csrf_token, place_order_form

ADDRESS = "12 đường Hạ Long"


@pytest.fixture
def noodles(make_product, make_producer, put_stock):
    product = make_product(name="Miến dong Bình Liêu", prices=(90_000,), producer=make_producer())
    put_stock(product.variants[0], product.producer, 10)
    db.session.commit()
    return product


def _fill_cart(client, product):
    token = csrf_token(client, f"/products/{product.slug}")
    client.post("/cart/add", data={"csrf_token": token, "variant_id": product.variants[0].id, "quantity": 1})


def _contact_and_address(client, marketing=False):
    checkout_details(client, name="Trần Văn Minh", email="minh@example.vn", phone="0987 654 321", method="delivery",
                     country="VN", province="22", ward_code="06673", address_line=ADDRESS,
                     marketing_consent="y" if marketing else None)


def _decoded_session(app, client) -> str:
    cookie = client.get_cookie("session")
    if cookie is None:
        return ""
    return repr(app.session_interface.get_signing_serializer(app).loads(cookie.value))


def _place(client):
    return place_order_form(client, "cod")


def test_the_checkout_keeps_phone_and_address_on_the_server_not_in_the_cookie(app, client, noodles):
    _fill_cart(client, noodles)
    _contact_and_address(client)

    decoded = _decoded_session(app, client)
    assert "987654321" not in decoded and "Hạ Long" not in decoded and "minh@example.vn" not in decoded
    review = client.get("/checkout/confirm").get_data(as_text=True)
    assert ADDRESS in review and "minh@example.vn" in review  # the server still has every answer

    _place(client)
    assert db.session.scalar(select(Cart.checkout)) is None  # gone from the cart with the order placed


def test_a_guest_order_records_each_purpose_with_the_notice_version(app, client, noodles):
    _fill_cart(client, noodles)
    _contact_and_address(client, marketing=True)
    _place(client)

    order = db.session.scalar(select(Order))
    rows = db.session.scalars(select(Consent).order_by(Consent.purpose)).all()
    assert [(c.purpose, c.granted, c.source, c.order_id, c.user_id, c.email) for c in rows] == [
        (Purpose.MARKETING_EMAIL, True, Source.CHECKOUT, order.id, None, "minh@example.vn"),
        (Purpose.PERSONAL_DATA, True, Source.CHECKOUT, order.id, None, "minh@example.vn"),
    ]
    assert {c.notice_version for c in rows} == {app.config["PRIVACY_NOTICE_VERSION"]}


def test_registration_records_consents_and_the_account_page_records_a_withdrawal(app, client, login):
    client.post("/register", data={"csrf_token": csrf_token(client, "/register"), "name": "Lê Thu Hà",
                                   "email": "ha@example.vn", "password": "a long passphrase", "confirm": "a long passphrase",
                                   "data_consent": "y", "marketing_consent": "y"})
    user = db.session.scalar(select(User).where(User.email == "ha@example.vn"))
    answers = lambda: [(c.purpose, c.granted, c.source) for c in  # noqa: E731
                       db.session.scalars(select(Consent).where(Consent.user_id == user.id).order_by(Consent.id))]
    assert answers() == [(Purpose.PERSONAL_DATA, True, Source.REGISTRATION),
                         (Purpose.MARKETING_EMAIL, True, Source.REGISTRATION)]

    login(client, "ha@example.vn", "a long passphrase")
    client.post("/account", data={"csrf_token": csrf_token(client, "/account"), "name": "Lê Thu Hà", "phone": "",
                                  "language": "vi"})  # the marketing box unticked

    assert answers()[-1] == (Purpose.MARKETING_EMAIL, False, Source.ACCOUNT)
    assert db.session.get(User, user.id).marketing_consent is False


def _message(status, created_at, key):
    db.session.add(OutboxMessage(kind="order_placed", recipient="a@example.vn", payload={}, dedupe_key=key,
                                 status=status, created_at=created_at))


def test_purge_deletes_old_mail_carts_and_expired_logins_once(app, make_user, noodles, tmp_path):
    at = now() + dt.timedelta(days=200)
    old, recent = at - dt.timedelta(days=91), at - dt.timedelta(days=10)
    _message(OutboxStatus.SENT, old, "sent-old")
    _message(OutboxStatus.DEAD, old, "dead-old")
    _message(OutboxStatus.PENDING, old, "pending-old")  # not sent yet: kept whatever its age
    _message(OutboxStatus.SENT, recent, "sent-recent")
    abandoned = Cart(token="abandoned", updated_at=at - dt.timedelta(days=61))
    abandoned.lines = [CartLine(variant_id=noodles.variants[0].id, quantity=1)]
    db.session.add_all([abandoned, Cart(token="in-use", updated_at=at - dt.timedelta(days=3))])
    user = make_user()
    db.session.add_all([Login(user_id=user.id, secret_hash="x" * 64, created_at=at, expires_at=at - dt.timedelta(1)),
                        Login(user_id=user.id, secret_hash="y" * 64, created_at=at, expires_at=at + dt.timedelta(1))])
    db.session.commit()

    runner = app.test_cli_runner()
    first = runner.invoke(args=["privacy", "purge", "--now", at.isoformat()])
    second = runner.invoke(args=["privacy", "purge", "--now", at.isoformat()])

    assert first.exit_code == 0, first.output
    assert "Deleted 2 e-mail(s) from the outbox" in first.output and "1 abandoned cart(s)" in first.output
    assert "1 expired login(s)" in first.output
    assert "Deleted 0 e-mail(s) from the outbox" in second.output and "0 abandoned cart(s)" in second.output
    assert sorted(db.session.scalars(select(OutboxMessage.dedupe_key))) == ["pending-old", "sent-recent"]
    assert db.session.scalars(select(Cart.token)).all() == ["in-use"]
    assert db.session.scalar(select(func.count(CartLine.id))) == 0
    assert db.session.scalar(select(func.count(Login.id))) == 1


def test_files_and_directories_the_shop_creates_are_private(tmp_path, monkeypatch):
    from shop import create_app

    instance = tmp_path / "instance"
    instance.mkdir(mode=0o755)
    os.umask(0o022)  # as a shell would start the process
    monkeypatch.setenv("SHOP_INSTANCE_PATH", str(instance))
    create_app({"TESTING": True, "ENV": "testing", "SQLALCHEMY_DATABASE_URI": f"sqlite:///{instance}/shop.sqlite3"})

    (instance / "media").mkdir()
    (instance / "media" / "photo.webp").write_bytes(b"x")
    assert oct(instance.stat().st_mode & 0o777) == "0o700"
    assert oct((instance / "media").stat().st_mode & 0o777) == "0o700"
    assert oct((instance / "media" / "photo.webp").stat().st_mode & 0o777) == "0o600"


def test_a_guest_order_page_hit_leaves_no_token_in_the_access_log(app, make_order, caplog):
    order = make_order()
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    caplog.set_level(logging.INFO)
    thread.start()
    try:
        url = f"http://127.0.0.1:{server.server_port}/orders/{order.number}?t={order.access_token}&lang=en"
        with urllib.request.urlopen(url) as response:
            assert order.number in response.read().decode()
        logging.getLogger("gunicorn.access").info(
            '1.2.3.4 "GET /orders/%s?t=%s HTTP/1.1" 200', order.number, order.access_token)
        logging.getLogger("shop").warning("reset link /account/password-reset/%s sent", "abc.DEF-123")
        logging.getLogger("shop").warning("pickup code=%s typed", order.pickup_code)
    finally:
        server.shutdown()
    access = [record.getMessage() for record in caplog.records if record.name == "werkzeug"]
    assert any(f"/orders/{order.number}?t=***&lang=en" in line for line in access), access
    log = "\n".join(record.getMessage() for record in caplog.records)
    assert order.access_token not in log and order.pickup_code not in log and "abc.DEF-123" not in log
    assert "/account/password-reset/***" in log
