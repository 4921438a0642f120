"""Sessions that can be ended: a copied cookie stops working after logout, a password reset, "log out other
devices", a role change or a disabled account; remember-me cookies differ per login and end on the server."""
import datetime as dt

import pytest
from sqlalchemy import func, select

from shop.auth import services
from shop.auth.models import Login, Role, User
from shop.extensions import db
from tests.conftest import PASSWORD
from tests.web.helpers import csrf_token


@pytest.fixture
def lan(make_user):
    user = make_user(email="lan@example.vn")
    db.session.commit()
    return user


def device(app):
    client = app.test_client()
    client.set_cookie("lang", "en")
    return client


def copy_of(app, client, *names):
    """Another browser holding copies of these cookies only (what a thief takes from a shared computer)."""
    thief = device(app)
    for name in names:
        thief.set_cookie(name, client.get_cookie(name).value)
    return thief


def is_logged_in(client) -> bool:
    return client.get("/account").status_code == 200


def log_out(client):
    return client.post("/logout", data={"csrf_token": csrf_token(client, "/account")})


def test_a_copied_session_cookie_stops_working_after_logout(app, lan, login):
    phone = device(app)
    login(phone, "lan@example.vn")
    thief = copy_of(app, phone, "session")
    assert is_logged_in(thief)

    log_out(phone)

    assert not is_logged_in(phone)
    assert not is_logged_in(thief)


def test_logging_out_empties_the_whole_session(app, lan, login):
    phone = device(app)
    login(phone, "lan@example.vn")
    with phone.session_transaction() as session:
        session["checkout"] = {"name": "Lan", "phone": "0912345678"}

    log_out(phone)

    with phone.session_transaction() as session:
        assert "checkout" not in session and "_user_id" not in session


def test_a_copied_session_cookie_stops_working_after_a_password_reset(app, lan, login):
    phone = device(app)
    login(phone, "lan@example.vn")
    thief = copy_of(app, phone, "session")
    token = services.make_reset_token(lan)

    page = device(app)
    response = page.post(f"/account/password-reset/{token}",
                         data={"csrf_token": csrf_token(page, f"/account/password-reset/{token}"),
                               "password": "a brand new passphrase", "confirm": "a brand new passphrase"})

    assert response.status_code == 302
    assert not is_logged_in(thief)
    assert not is_logged_in(phone)
    assert db.session.scalar(select(func.count(Login.id)).where(Login.user_id == lan.id)) == 0


def test_log_out_other_devices_ends_every_other_session_and_keeps_this_one(app, lan, login):
    phone, laptop = device(app), device(app)
    login(phone, "lan@example.vn")
    login(laptop, "lan@example.vn", remember="y")
    thief = copy_of(app, laptop, "session")
    remembered = copy_of(app, laptop, "remember_token")
    page = phone.get("/account").get_data(as_text=True)
    assert 'action="/account/logout-other-devices"' in page and "Log out other devices" in page

    response = phone.post("/account/logout-other-devices", data={"csrf_token": csrf_token(phone, "/account")})

    assert response.status_code == 302
    assert "Your other devices are logged out" in phone.get("/account").get_data(as_text=True)
    assert is_logged_in(phone)
    assert not is_logged_in(laptop)
    assert not is_logged_in(thief)
    assert not is_logged_in(remembered)


def test_log_out_other_devices_needs_a_csrf_token_and_a_login(app, lan, login):
    phone, laptop = device(app), device(app)
    login(phone, "lan@example.vn")
    login(laptop, "lan@example.vn")

    assert phone.post("/account/logout-other-devices").status_code == 400
    assert is_logged_in(laptop)
    stranger = device(app)
    response = stranger.post("/account/logout-other-devices", data={"csrf_token": csrf_token(stranger, "/login")})
    assert response.status_code == 302 and response.headers["Location"].startswith("/login")
    assert is_logged_in(laptop)


def test_log_out_other_devices_keeps_this_devices_remember_me(app, lan, login):
    laptop = device(app)
    login(laptop, "lan@example.vn", remember="y")

    laptop.post("/account/logout-other-devices", data={"csrf_token": csrf_token(laptop, "/account")})

    assert is_logged_in(copy_of(app, laptop, "remember_token"))


def test_the_remember_me_cookie_differs_per_login_and_brings_the_session_back_alone(app, lan, login):
    first, second = device(app), device(app)
    login(first, "lan@example.vn", remember="y")
    login(second, "lan@example.vn", remember="y")

    assert first.get_cookie("remember_token").value != second.get_cookie("remember_token").value
    assert is_logged_in(copy_of(app, first, "remember_token"))


def test_the_remember_me_cookie_stops_working_after_logout(app, lan, login):
    laptop = device(app)
    login(laptop, "lan@example.vn", remember="y")
    stolen = laptop.get_cookie("remember_token").value

    response = log_out(laptop)

    assert "remember_token=;" in " ".join(response.headers.getlist("Set-Cookie"))
    thief = device(app)
    thief.set_cookie("remember_token", stolen)
    assert not is_logged_in(thief)


def test_the_server_ends_a_remembered_login_after_remember_cookie_duration(app, lan, login, monkeypatch):
    laptop = device(app)
    login(laptop, "lan@example.vn", remember="y")
    remembered = copy_of(app, laptop, "remember_token")
    later = dt.datetime.now(dt.UTC) + dt.timedelta(seconds=app.config["REMEMBER_COOKIE_DURATION"] + 60)
    monkeypatch.setattr("shop.auth.models.now", lambda: later)

    assert not is_logged_in(remembered)
    assert not is_logged_in(laptop)


def test_a_login_without_remember_me_ends_on_the_server_after_login_max_age(app, lan, login, monkeypatch):
    phone = device(app)
    login(phone, "lan@example.vn")
    thief = copy_of(app, phone, "session")
    later = dt.datetime.now(dt.UTC) + dt.timedelta(seconds=app.config["LOGIN_MAX_AGE"] + 60)
    monkeypatch.setattr("shop.auth.models.now", lambda: later)

    assert not is_logged_in(thief)


def test_a_new_role_or_a_disabled_account_ends_every_session(app, make_user, login):
    worker = make_user(email="worker@example.vn")
    other = make_user(email="other@example.vn")
    db.session.commit()
    phone, laptop = device(app), device(app)
    login(phone, "worker@example.vn")
    login(laptop, "other@example.vn")

    worker.role = Role.ADMIN
    other.is_active = False
    db.session.commit()

    assert not is_logged_in(phone)
    assert not is_logged_in(laptop)


def test_saving_the_same_role_ends_nothing(app, lan, login):
    phone = device(app)
    login(phone, "lan@example.vn")

    db.session.expire_all()
    user = db.session.get(User, lan.id)
    user.role = Role.CUSTOMER
    user.name = "Lan"
    db.session.commit()

    assert is_logged_in(phone)


@pytest.mark.parametrize("forged", ["1", "1:1", "1:1:1:short", "99999999999999999999:1:1:" + "a" * 43, ""])
def test_a_session_holding_only_an_id_or_a_forged_login_opens_nothing(app, lan, forged):
    client = device(app)
    with client.session_transaction() as session:
        session["_user_id"] = forged.replace("1", str(lan.id), 1) if forged.startswith("1") else forged

    assert not is_logged_in(client)


def test_logging_in_notes_the_time_and_clears_every_expired_login(app, lan, make_user, login, monkeypatch):
    make_user(email="gone@example.vn")
    db.session.commit()
    login(device(app), "gone@example.vn")  # and never comes back
    login(device(app), "lan@example.vn")
    later = dt.datetime.now(dt.UTC) + dt.timedelta(seconds=app.config["LOGIN_MAX_AGE"] + 60)
    monkeypatch.setattr("shop.auth.sessions.now", lambda: later)

    login(device(app), "lan@example.vn", PASSWORD)

    assert db.session.scalar(select(func.count(Login.id))) == 1
    db.session.refresh(lan)
    assert lan.last_login_at is not None


def test_the_office_can_end_every_login_of_an_account_from_the_command_line(app, lan, login):
    phone, laptop = device(app), device(app)
    login(phone, "lan@example.vn")
    login(laptop, "lan@example.vn", remember="y")
    remembered = copy_of(app, laptop, "remember_token")

    result = app.test_cli_runner().invoke(args=["users", "logout", "LAN@example.vn"])

    assert result.exit_code == 0 and "Every login of lan@example.vn has ended." in result.output
    assert not is_logged_in(phone) and not is_logged_in(laptop) and not is_logged_in(remembered)
    assert login(device(app), "lan@example.vn").status_code == 302  # the account itself still works


def test_the_command_line_can_also_disable_the_account(app, lan, login):
    phone = device(app)
    login(phone, "lan@example.vn")

    result = app.test_cli_runner().invoke(args=["users", "logout", "lan@example.vn", "--disable"])

    assert result.exit_code == 0 and "the account is disabled" in result.output
    assert not is_logged_in(phone)
    assert "This account is disabled" in login(device(app), "lan@example.vn").get_data(as_text=True)


def test_the_command_line_names_an_unknown_account(app):
    result = app.test_cli_runner().invoke(args=["users", "logout", "nobody@example.vn"])

    assert result.exit_code == 1 and "There is no account nobody@example.vn." in result.output
