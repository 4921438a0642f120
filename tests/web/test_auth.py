"""Accounts through the browser's eyes: register, log in and out, reset a password, the account pages."""
import datetime as dt
import re
from html import unescape
from urllib.parse import urlsplit

import pytest
from sqlalchemy import func, select

from shop.auth.models import Address, Role, User
from shop.cart.models import Cart
from shop.cart.services import add_item
from shop.extensions import db
from shop.notifications.models import OutboxMessage
from shop.orders.models import DeliveryMethod, Order
from tests.conftest import PASSWORD
from tests.web.helpers import csrf_token

NEW_PASSWORD = "a brand new passphrase"


@pytest.fixture
def visitor(client):
    """A test client reading the shop in English, so the assertions read the English messages."""
    client.set_cookie("lang", "en")
    return client


def text_of(response) -> str:
    return unescape(response.get_data(as_text=True))


def user_count() -> int:
    return db.session.scalar(select(func.count(User.id)))


def register(client, **fields):
    data = {"name": "Trần Văn Minh", "email": "Minh@Example.VN", "phone": "0912 345 678",
            "password": PASSWORD, "confirm": PASSWORD, "data_consent": "y", **fields}
    data = {k: v for k, v in data.items() if v is not None}
    return client.post("/register", data={"csrf_token": csrf_token(client, "/register"), **data})


def is_logged_in(client) -> bool:
    return client.get("/account").status_code == 200


# ---- register -----------------------------------------------------------------------------------

def registration_mails() -> list:
    return db.session.scalars(select(OutboxMessage).where(OutboxMessage.kind == "registration")
                              .order_by(OutboxMessage.id)).all()


def test_registering_creates_a_customer_with_normalised_email_and_phone_who_then_logs_in(visitor, app, login):
    response = register(visitor)

    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login")
    user = db.session.scalar(select(User))
    assert (user.email, user.phone, user.role, user.marketing_consent) == (
        "minh@example.vn", "+84912345678", Role.CUSTOMER, False)
    assert user.check_password(PASSWORD)
    assert "We have sent an e-mail to minh@example.vn" in text_of(visitor.get("/login"))
    (mail,) = registration_mails()
    assert (mail.recipient, mail.payload["already_registered"]) == ("minh@example.vn", False)
    assert login(visitor, "minh@example.vn").status_code == 302
    assert is_logged_in(visitor)


def test_registering_an_email_that_has_an_account_answers_the_same_and_tells_only_the_owner(visitor, app, make_user):
    owner = make_user(email="minh@example.vn", name="Chủ Tài Khoản")
    db.session.commit()
    password_hash = owner.password_hash

    stranger = app.test_client()
    stranger.set_cookie("lang", "en")
    fresh = register(stranger, email="someone-new@example.vn")
    taken = register(visitor, email="MINH@example.vn ")

    assert (taken.status_code, taken.headers["Location"]) == (fresh.status_code, fresh.headers["Location"])
    flashed = text_of(visitor.get("/login")).replace("minh@example.vn", "<address>")
    assert flashed.count("We have sent an e-mail to <address>") == 1
    assert "already exists" not in flashed
    assert user_count() == 2
    assert not is_logged_in(visitor)
    db.session.expire_all()
    assert db.session.get(User, owner.id).password_hash == password_hash
    mails = {m.recipient: m for m in registration_mails()}
    assert mails["minh@example.vn"].payload["already_registered"] is True
    assert mails["minh@example.vn"].payload["reset_url"].endswith("/account/password-reset")
    # Trying again within the hour does not flood the owner's inbox.
    register(visitor, email="minh@example.vn")
    assert len([m for m in registration_mails() if m.recipient == "minh@example.vn"]) == 1


@pytest.mark.parametrize(("fields", "message"), [
    ({"phone": "12345"}, "Please enter a Vietnamese phone number"),
    ({"data_consent": None}, "We need your consent to process your personal data"),
    ({"email": "not-an-email"}, "Please enter a valid email address"),
    ({"password": "short", "confirm": "short"}, "The password needs 10 to 200 characters"),
    ({"confirm": "something else entirely"}, "The two passwords are not the same"),
    ({"name": "  "}, "Please enter your name"),
], ids=["bad-phone", "no-consent", "bad-email", "short-password", "mismatch", "no-name"])
def test_an_invalid_registration_shows_the_error_next_to_the_field_and_creates_nothing(visitor, app, fields, message):
    response = register(visitor, **fields)

    assert response.status_code == 200
    html = text_of(response)
    assert re.search(r'class="field-error"[^>]*>[^<]*' + re.escape(message), html)
    assert user_count() == 0


def test_marketing_consent_is_off_unless_ticked(visitor, app):
    html = visitor.get("/register").get_data(as_text=True)
    marketing = re.search(r'<input[^>]*name="marketing_consent"[^>]*>', html).group(0)
    assert "checked" not in marketing

    register(visitor, marketing_consent="y")
    assert db.session.scalar(select(User.marketing_consent)) is True


def test_registration_errors_are_in_the_visitors_language(client, app):
    client.set_cookie("lang", "vi")
    response = register(client, phone="12345")
    assert '<html lang="vi">' in response.get_data(as_text=True)
    assert user_count() == 0


# ---- log in -------------------------------------------------------------------------------------

def test_a_wrong_password_and_an_unknown_email_get_the_same_generic_message(visitor, make_user, login):
    make_user(email="lan@example.vn")
    db.session.commit()

    wrong_password = login(visitor, "lan@example.vn", "not the password")
    unknown_email = login(visitor, "nobody@example.vn", "not the password")

    for response in (wrong_password, unknown_email):
        assert response.status_code == 200
        assert "Email or password is incorrect." in text_of(response)
    assert _without_tokens(text_of(wrong_password)) == _without_tokens(text_of(unknown_email)).replace(
        "nobody@example.vn", "lan@example.vn")
    assert not is_logged_in(visitor)


def _without_tokens(html: str) -> str:
    return re.sub(r'value="[^"]*"', "", re.sub(r'name="csrf_token"[^>]*>', "", html))


def test_a_customer_logs_in_with_any_letter_case_lands_on_the_account_and_the_login_is_noted(visitor, make_user,
                                                                                              login):
    user = make_user(email="lan@example.vn")
    db.session.commit()
    assert user.last_login_at is None

    response = login(visitor, "  LAN@Example.vn", PASSWORD)

    assert response.status_code == 302
    assert response.headers["Location"] == "/account"
    db.session.refresh(user)
    assert user.last_login_at is not None
    assert is_logged_in(visitor)


def test_remember_me_sets_a_lasting_cookie_only_when_ticked(visitor, make_user, login):
    make_user(email="lan@example.vn")
    db.session.commit()

    plain = login(visitor, "lan@example.vn")
    visitor.post("/logout", data={"csrf_token": csrf_token(visitor, "/account")})
    remembered = login(visitor, "lan@example.vn", remember="y")

    assert "remember_token=" not in " ".join(plain.headers.getlist("Set-Cookie"))
    cookie = next(c for c in remembered.headers.getlist("Set-Cookie") if c.startswith("remember_token="))
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie


def test_an_inactive_user_cannot_log_in(visitor, make_user, login):
    make_user(email="gone@example.vn", is_active=False)
    db.session.commit()

    response = login(visitor, "gone@example.vn", PASSWORD)

    assert response.status_code == 200
    assert "This account is disabled" in text_of(response)
    assert not is_logged_in(visitor)


def test_login_returns_to_a_local_next_page(visitor, make_user):
    make_user(email="lan@example.vn")
    db.session.commit()
    token = csrf_token(visitor, "/login?next=/products%3Fstars%3D5")

    response = visitor.post("/login?next=/products%3Fstars%3D5",
                            data={"csrf_token": token, "email": "lan@example.vn", "password": PASSWORD})

    assert response.headers["Location"] == "/products?stars=5"


@pytest.mark.parametrize("target", [
    "//evil.example/", "http://evil.example/", "https:evil.example", "/\\evil.example", "\\\\evil.example",
    "javascript:alert(1)", "/\r\n/evil.example", "/\t/evil.example", "evil.example",
])
def test_login_refuses_to_send_anyone_off_site(visitor, make_user, target):
    make_user(email="lan@example.vn")
    db.session.commit()
    token = csrf_token(visitor, "/login")

    response = visitor.post("/login", query_string={"next": target},
                            data={"csrf_token": token, "email": "lan@example.vn", "password": PASSWORD})

    assert response.status_code == 302
    location = urlsplit(response.headers["Location"])
    assert not location.netloc and location.path == "/account"


def test_the_login_form_keeps_only_a_safe_next(visitor, app):
    assert "next=%2F%2Fevil" not in visitor.get("/login?next=//evil.example").get_data(as_text=True)
    assert 'action="/login?next=/cart"' in visitor.get("/login?next=/cart").get_data(as_text=True)


# ---- log out ------------------------------------------------------------------------------------

def test_logging_out_takes_a_post_with_a_csrf_token(visitor, make_user, login):
    make_user(email="lan@example.vn")
    db.session.commit()
    login(visitor, "lan@example.vn")

    assert visitor.get("/logout").status_code == 405
    assert visitor.post("/logout").status_code == 400
    assert is_logged_in(visitor)

    response = visitor.post("/logout", data={"csrf_token": csrf_token(visitor, "/account")})

    assert response.status_code == 302
    assert not is_logged_in(visitor)


def test_the_account_link_offers_login_to_visitors_and_logout_to_users(app, make_user):
    from flask import render_template
    from flask_login import login_user

    user = make_user(email="lan@example.vn")
    db.session.commit()
    with app.test_request_context("/products?stars=5"):
        anonymous = render_template("auth/_account_link.html")
    with app.test_request_context("/products"):
        login_user(user)
        logged_in = render_template("auth/_account_link.html")

    assert 'href="/login?next=/products?stars%3D5"' in anonymous and "logout" not in anonymous
    assert 'href="/account"' in logged_in
    assert 'action="/logout"' in logged_in and 'name="csrf_token"' in logged_in


# ---- the guest cart follows the customer ----------------------------------------------------------

def test_the_guest_cart_becomes_the_users_cart_at_login(visitor, make_user, make_product, login):
    user = make_user(email="lan@example.vn")
    variant = make_product().variants[0]
    db.session.commit()
    guest = add_item(None, variant.id, 2)
    visitor.set_cookie("cart", guest.token)

    login(visitor, "lan@example.vn")

    cart = db.session.scalar(select(Cart).where(Cart.user_id == user.id))
    assert [(line.variant_id, line.quantity) for line in cart.lines] == [(variant.id, 2)]


def test_guest_quantities_add_up_with_the_users_existing_cart(visitor, make_user, make_product, login):
    user = make_user(email="lan@example.vn")
    shared, mine_only = make_product().variants[0], make_product().variants[0]
    db.session.commit()
    mine = add_item(None, shared.id, 1, user=user)
    add_item(mine, mine_only.id, 4)
    guest = add_item(None, shared.id, 2)
    guest_id = guest.id
    visitor.set_cookie("cart", guest.token)

    login(visitor, "lan@example.vn")

    db.session.expire_all()
    cart = db.session.scalar(select(Cart).where(Cart.user_id == user.id))
    assert sorted((line.variant_id, line.quantity) for line in cart.lines) == sorted(
        [(shared.id, 3), (mine_only.id, 4)])
    assert db.session.get(Cart, guest_id) is None


def test_registering_then_logging_in_keeps_the_guest_cart(visitor, make_product, login):
    variant = make_product().variants[0]
    db.session.commit()
    guest = add_item(None, variant.id, 1)
    visitor.set_cookie("cart", guest.token)

    register(visitor)
    login(visitor, "minh@example.vn")

    user = db.session.scalar(select(User))
    cart = db.session.scalar(select(Cart).where(Cart.user_id == user.id))
    assert [line.variant_id for line in cart.lines] == [variant.id]


# ---- password reset -------------------------------------------------------------------------------

def request_reset(client, email):
    token = csrf_token(client, "/account/password-reset")
    return client.post("/account/password-reset", data={"csrf_token": token, "email": email},
                       follow_redirects=True)


def reset_messages():
    return db.session.scalars(select(OutboxMessage).where(OutboxMessage.kind == "password_reset")).all()


def test_an_unknown_email_gets_the_same_answer_and_nothing_is_queued(visitor, make_user):
    make_user(email="lan@example.vn")
    db.session.commit()

    unknown = request_reset(visitor, "nobody@example.vn")
    known = request_reset(visitor, "lan@example.vn")

    assert unknown.status_code == known.status_code == 200
    assert "If an account exists for nobody@example.vn" in text_of(unknown)
    assert "If an account exists for lan@example.vn" in text_of(known)
    assert len(reset_messages()) == 1


def test_a_known_email_queues_exactly_one_reset_message_with_a_working_link(visitor, make_user):
    make_user(email="lan@example.vn", name="Lan", language="en")
    db.session.commit()

    request_reset(visitor, "LAN@example.vn")

    [message] = reset_messages()
    assert (message.recipient, message.language) == ("lan@example.vn", "en")
    assert message.payload["name"] == "Lan" and message.payload["expires_minutes"] == 60
    url = message.payload["reset_url"]
    assert url.startswith("http://localhost/account/password-reset/")
    assert visitor.get(urlsplit(url).path).status_code == 200


def test_an_inactive_account_gets_no_reset_message(visitor, make_user):
    make_user(email="gone@example.vn", is_active=False)
    db.session.commit()
    request_reset(visitor, "gone@example.vn")
    assert reset_messages() == []


def test_the_reset_link_uses_the_public_url_not_the_request_host(visitor, app, make_user, monkeypatch):
    monkeypatch.setitem(app.config, "PUBLIC_URL", "https://ocop.example")
    make_user(email="lan@example.vn")
    db.session.commit()

    attacker = "http://attacker.example"
    html = visitor.get("/account/password-reset", base_url=attacker).get_data(as_text=True)
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html).group(1)
    visitor.post("/account/password-reset", base_url=attacker, data={"csrf_token": token, "email": "lan@example.vn"})

    [message] = reset_messages()
    assert message.payload["reset_url"].startswith("https://ocop.example/account/password-reset/")


def reset_path(user) -> str:
    from shop.auth.services import make_reset_token

    return f"/account/password-reset/{make_reset_token(user)}"


def post_new_password(client, path, password=NEW_PASSWORD):
    return client.post(path, data={"csrf_token": csrf_token(client, "/account/password-reset"),
                                   "password": password, "confirm": password})


def test_a_reset_link_sets_the_password_once(visitor, make_user, login):
    user = make_user(email="lan@example.vn")
    db.session.commit()
    path = reset_path(user)

    first = post_new_password(visitor, path)
    assert first.status_code == 302 and first.headers["Location"] == "/login"
    assert login(visitor, "lan@example.vn", NEW_PASSWORD).status_code == 302

    second = post_new_password(visitor, path, "yet another passphrase")
    assert second.status_code == 400
    assert "invalid, has expired or has already been used" in text_of(second)
    db.session.refresh(user)
    assert user.check_password(NEW_PASSWORD)
    assert visitor.get(path).status_code == 400


def test_an_expired_reset_link_changes_nothing(visitor, app, make_user, monkeypatch):
    user = make_user(email="lan@example.vn")
    db.session.commit()
    path = reset_path(user)
    monkeypatch.setitem(app.config, "PASSWORD_RESET_MAX_AGE", -1)

    assert visitor.get(path).status_code == 400
    response = post_new_password(visitor, path)

    assert response.status_code == 400
    assert "This link does not work" in text_of(response)
    db.session.refresh(user)
    assert user.check_password(PASSWORD)


def test_a_tampered_reset_link_changes_nothing(visitor, make_user):
    user = make_user(email="lan@example.vn")
    db.session.commit()
    path = reset_path(user)

    response = post_new_password(visitor, path[:-2] + ("AA" if not path.endswith("AA") else "BB"))

    assert response.status_code == 400
    db.session.refresh(user)
    assert user.check_password(PASSWORD)


def test_the_reset_page_keeps_its_token_out_of_referrers(visitor, make_user):
    user = make_user(email="lan@example.vn")
    db.session.commit()
    response = visitor.get(reset_path(user))
    assert response.headers["Referrer-Policy"] == "no-referrer"
    assert "no-store" in response.headers["Cache-Control"]


def test_a_short_new_password_is_refused_and_the_link_still_works(visitor, make_user):
    user = make_user(email="lan@example.vn")
    db.session.commit()
    path = reset_path(user)

    response = post_new_password(visitor, path, "short")

    assert response.status_code == 200
    assert "The password needs 10 to 200 characters" in text_of(response)
    assert visitor.get(path).status_code == 200


# ---- rate limits ----------------------------------------------------------------------------------

def test_the_sixth_reset_request_from_one_ip_is_refused(visitor, app):
    token = csrf_token(visitor, "/account/password-reset")
    codes = [visitor.post("/account/password-reset",
                          data={"csrf_token": token, "email": f"x{n}@example.vn"}).status_code for n in range(6)]
    assert codes == [302] * 5 + [429]


# ---- the account page ------------------------------------------------------------------------------

@pytest.fixture
def customer(visitor, make_user, login):
    user = make_user(email="lan@example.vn", phone="+84912345678")
    db.session.commit()
    login(visitor, "lan@example.vn")
    return user


def test_the_account_needs_a_login(visitor, app):
    response = visitor.get("/account")
    assert response.status_code == 302
    assert response.headers["Location"] == "/login?next=%2Faccount"
    assert "Please log in to open this page." in text_of(visitor.get(response.headers["Location"]))


def make_order(user, number, created_at, total=150_000):
    order = Order(number=number, access_token=f"tok-{number}", checkout_key=f"key-{number}",
                  pickup_code=f"P{number[-4:]}", user_id=user.id if user else None, contact_name="Lan",
                  contact_email="lan@example.vn", contact_phone="+84912345678",
                  delivery_method=DeliveryMethod.DELIVERY, subtotal_vnd=total, shipping_vnd=0, total_vnd=total,
                  data_consent_at=created_at, created_at=created_at)
    db.session.add(order)
    return order


def test_the_account_lists_only_the_users_orders_newest_first_with_their_links(visitor, customer, make_user):
    stranger = make_user(email="other@example.vn")
    make_order(customer, "QN-2601-0001", dt.datetime(2026, 1, 5, 3, tzinfo=dt.UTC), total=125_000)
    make_order(customer, "QN-2602-0007", dt.datetime(2026, 2, 9, 3, tzinfo=dt.UTC))
    make_order(stranger, "QN-2602-0008", dt.datetime(2026, 2, 10, 3, tzinfo=dt.UTC))
    db.session.commit()

    html = visitor.get("/account").get_data(as_text=True)

    numbers = re.findall(r">(QN-\d{4}-\d{4})<", html)
    assert numbers == ["QN-2602-0007", "QN-2601-0001"]
    assert 'href="/orders/QN-2601-0001?t=tok-QN-2601-0001"' in html
    assert "125,000\u00a0₫" in html
    assert "Order confirmed" in html


def test_saving_the_profile_normalises_the_phone_and_switches_the_language(visitor, customer):
    token = csrf_token(visitor, "/account")
    response = visitor.post("/account", data={"csrf_token": token, "name": "Lan Nguyễn", "phone": "0987 654 321",
                                              "language": "ko", "marketing_consent": "y"})

    assert response.status_code == 302
    assert response.headers["Location"] == "/account?lang=ko"
    db.session.refresh(customer)
    assert (customer.name, customer.phone, customer.language, customer.marketing_consent) == (
        "Lan Nguyễn", "+84987654321", "ko", True)


def test_a_bad_phone_in_the_profile_changes_nothing(visitor, customer):
    token = csrf_token(visitor, "/account")
    response = visitor.post("/account", data={"csrf_token": token, "name": "Lan", "phone": "abc",
                                              "language": "vi"})

    assert response.status_code == 200
    assert "Please enter a Vietnamese phone number" in text_of(response)
    db.session.refresh(customer)
    assert customer.phone == "+84912345678"


# ---- saved addresses ----------------------------------------------------------------------------------

def address_data(**fields):
    from shop.places import quang_ninh_wards

    ward = fields.pop("ward_code", next(iter(quang_ninh_wards())))
    return {"recipient_name": "Lan", "phone": "0912345678", "province_code": "22", "ward_code": ward,
            "ward_name": "", "line": "Số 5 đường Trần Hưng Đạo", **fields}


def post_address(client, url="/account/addresses/new", **fields):
    return client.post(url, data={"csrf_token": csrf_token(client, "/account"), **address_data(**fields)})


def test_a_quang_ninh_address_takes_its_ward_from_the_list(visitor, customer):
    from shop.places import quang_ninh_wards

    code, ward = next(iter(quang_ninh_wards().items()))
    response = post_address(visitor, ward_code=code)

    assert response.status_code == 302
    [address] = db.session.scalars(select(Address)).all()
    assert (address.province_code, address.province_name, address.ward_code, address.ward_name) == (
        "22", "Quảng Ninh", code, ward.name)
    assert address.phone == "+84912345678" and address.is_default
    assert ward.name in visitor.get("/account").get_data(as_text=True)


@pytest.mark.parametrize("ward_code", ["", "99999", "00001"])
def test_a_quang_ninh_ward_must_be_one_of_the_54(visitor, customer, ward_code):
    response = post_address(visitor, ward_code=ward_code, ward_name="Phường Bịa Đặt")

    assert response.status_code == 200
    assert "Please choose a ward or commune of Quảng Ninh from the list." in text_of(response)
    assert db.session.scalar(select(func.count(Address.id))) == 0


def test_an_address_in_another_province_takes_a_typed_ward(visitor, customer):
    response = post_address(visitor, province_code="01", ward_code="", ward_name="Phường Hoàn Kiếm")

    assert response.status_code == 302
    address = db.session.scalar(select(Address))
    assert (address.province_name, address.ward_code, address.ward_name) == (
        "Thành phố Hà Nội", "", "Phường Hoàn Kiếm")


def test_an_address_in_another_province_needs_its_ward(visitor, customer):
    response = post_address(visitor, province_code="01", ward_code="")
    assert response.status_code == 200
    assert "Please enter the ward or commune." in text_of(response)
    assert db.session.scalar(select(func.count(Address.id))) == 0


def test_the_province_must_be_one_of_the_34(visitor, customer):
    response = post_address(visitor, province_code="99")
    assert "Please choose a province." in text_of(response)
    assert db.session.scalar(select(func.count(Address.id))) == 0


def test_the_address_form_offers_34_provinces_and_54_wards(visitor, customer):
    html = visitor.get("/account/addresses/new").get_data(as_text=True)
    province_select = re.search(r'<select[^>]*name="province_code".*?</select>', html, re.S).group(0)
    ward_select = re.search(r'<select[^>]*name="ward_code".*?</select>', html, re.S).group(0)
    assert province_select.count("<option") == 34
    assert ward_select.count('<option value="0') == 54
    assert '<label for="ward_name"' in html


def own_address(user, **kw):
    address = Address(user=user, recipient_name="Lan", phone="+84912345678", province_code="22",
                      province_name="Quảng Ninh", ward_code="06673", ward_name="Phường Bãi Cháy",
                      line="Số 1", **kw)
    db.session.add(address)
    db.session.commit()
    return address


def test_editing_an_address_keeps_it_the_users(visitor, customer):
    address = own_address(customer, is_default=True)
    assert visitor.get(f"/account/addresses/{address.id}/edit").status_code == 200

    response = post_address(visitor, f"/account/addresses/{address.id}/edit", line="Số 99 đường Mới")

    assert response.status_code == 302
    db.session.refresh(address)
    assert address.line == "Số 99 đường Mới" and address.user_id == customer.id


def test_a_user_cannot_see_change_or_delete_another_users_address(visitor, customer, make_user):
    stranger = make_user(email="other@example.vn")
    theirs = own_address(stranger)
    token = csrf_token(visitor, "/account")

    assert visitor.get(f"/account/addresses/{theirs.id}/edit").status_code == 404
    assert post_address(visitor, f"/account/addresses/{theirs.id}/edit", line="Hijacked").status_code == 404
    assert visitor.post(f"/account/addresses/{theirs.id}/delete", data={"csrf_token": token}).status_code == 404
    assert visitor.post(f"/account/addresses/{theirs.id}/default", data={"csrf_token": token}).status_code == 404

    db.session.expire_all()
    kept = db.session.get(Address, theirs.id)
    assert kept is not None and kept.line == "Số 1" and kept.user_id == stranger.id


def test_deleting_the_default_address_makes_the_next_one_default(visitor, customer):
    first = own_address(customer, is_default=True)
    second = own_address(customer)
    token = csrf_token(visitor, "/account")

    response = visitor.post(f"/account/addresses/{first.id}/delete", data={"csrf_token": token})

    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(Address, first.id) is None
    assert db.session.get(Address, second.id).is_default


def test_making_an_address_the_default_unsets_the_previous_one(visitor, customer):
    first = own_address(customer, is_default=True)
    second = own_address(customer)
    token = csrf_token(visitor, "/account")

    visitor.post(f"/account/addresses/{second.id}/default", data={"csrf_token": token})

    db.session.expire_all()
    assert not db.session.get(Address, first.id).is_default
    assert db.session.get(Address, second.id).is_default


def test_logging_in_to_an_invited_account_without_a_password_costs_a_password_check(app, make_user, monkeypatch):
    from shop.auth import services

    invited = make_user(email="invited@example.vn")
    invited.password_hash = ""  # invited: the password is chosen through the e-mailed link
    make_user(email="known@example.vn")
    db.session.commit()
    checks = []
    real = services.check_password_hash
    for module in ("shop.auth.services", "shop.auth.models"):
        monkeypatch.setattr(f"{module}.check_password_hash", lambda *a: checks.append(a) or real(*a))

    # Each answer costs one hash check, whether the account is unknown, has a password, or has none yet.
    for email in ("invited@example.vn", "known@example.vn", "nobody@example.vn"):
        checks.clear()
        assert services.authenticate(email, "a wrong password") is None
        assert len(checks) == 1, email
