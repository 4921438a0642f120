"""The office's producers: who may open them, finding one, adding and editing it, its bank account, deactivating it."""
from __future__ import annotations

from types import SimpleNamespace

import pytest
from sqlalchemy import func, select

from shop.audit import AuditEntry
from shop.auth.models import Role
from shop.catalog.models import Producer, ProducerContact
from shop.extensions import db
from shop.inventory.models import Location
from tests.web.helpers import alerts, card_titles, csrf_token, notices
from tests.web.test_office_orders import as_user, post, quick_passwords  # noqa: F401  (an autouse fixture)

ROLES = ["anonymous", "customer", "producer_a", "producer_b", "staff_p", "staff_q", "admin"]


@pytest.fixture
def world(two_producers_and_two_points, make_user):
    """Producers A and B of the shared state, B with a bank account; every role; the office's user."""
    state = two_producers_and_two_points
    state.b.tax_code, state.b.ward_code = "5701234567", "07090"
    state.b.bank_bin, state.b.bank_account, state.b.bank_account_name = "970436", "0011001234567", "VU BINH"
    users = SimpleNamespace(customer=make_user(email="khach@example.vn", name="Khách Hàng"),
                            producer_a=state.user_a, producer_b=state.user_b, staff_p=state.staff_p,
                            staff_q=state.staff_q,
                            admin=make_user(email="boss@example.vn", name="Văn Phòng", role=Role.ADMIN))
    db.session.commit()
    return SimpleNamespace(state=state, a=state.a, b=state.b, users=users)


@pytest.fixture
def en(client):
    client.set_cookie("lang", "en")
    return client


@pytest.fixture
def office(en, login, world):
    as_user(en, login, world.users.admin)
    en.world = world
    return en


def valid_form(**changes) -> dict[str, str]:
    form = {"name": "HTX Chè Đường Hoa", "kind": "cooperative", "ward_code": "06856", "address": "Thôn Khe Vằn",
            "phone": "0912 345 678", "email": "che@duonghoa.vn", "tax_code": "5701999888", "story": "Chè xanh.",
            "bank_bin": "970418", "bank_account": "1234 5678 9012", "bank_account_name": "HTX Chè Đường Hoa",
            "contact-0-name": "Nguyễn Văn Chè", "contact-0-title": "Giám đốc", "contact-0-phone": "0987 654 321"}
    form.update(changes)
    return form


def snapshot(world) -> tuple:
    db.session.rollback()
    db.session.expire_all()
    producers = db.session.execute(select(Producer.id, Producer.name, Producer.is_active, Producer.bank_account,
                                          Producer.phone).order_by(Producer.id)).all()
    contacts = db.session.scalar(select(func.count(ProducerContact.id)))
    audit = db.session.scalar(select(func.count(AuditEntry.id)))
    return tuple(producers), contacts, audit


# ---- the authorization matrix ---------------------------------------------------------------------

ROUTES = [
    ("GET", "/admin/producers", {}),
    ("GET", "/admin/producers/new", {}),
    ("POST", "/admin/producers/new", valid_form()),
    ("GET", "/admin/producers/{a}", {}),
    ("POST", "/admin/producers/{a}", valid_form(name="HTX Miến dong Bình Liêu", phone="0913 111 222")),
    ("POST", "/admin/producers/{a}/deactivate", {"note": "Ngừng sản xuất"}),
    ("POST", "/admin/producers/{b}/reactivate", {}),
]
POSTS = [r for r in ROUTES if r[0] == "POST"]


def _url(world, pattern: str) -> str:
    return pattern.format(a=world.a.id, b=world.b.id)


@pytest.mark.parametrize("method, pattern, form", ROUTES, ids=[f"{m} {p}" for m, p, _ in ROUTES])
@pytest.mark.parametrize("role", ROLES)
def test_authorization_matrix(en, login, world, role, method, pattern, form):
    as_user(en, login, getattr(world.users, role, None))  # B's own users sign in while B is still active
    if pattern.endswith("reactivate"):
        world.b.is_active = False
        db.session.commit()
    before = snapshot(world)

    response = en.get(_url(world, pattern)) if method == "GET" else post(en, _url(world, pattern), **form)
    after = snapshot(world)

    if role == "anonymous":
        assert response.status_code == 302 and response.headers["Location"].startswith("/login")
    elif role != "admin":
        assert response.status_code == 403
        body = response.get_data(as_text=True)
        assert "5701234567" not in body and "0011001234567" not in body
    else:
        assert response.status_code == (200 if method == "GET" else 302)
        assert (after != before) == (method == "POST")
    if role != "admin":
        assert after == before


@pytest.mark.parametrize("method, pattern, form", POSTS, ids=[p for _, p, _ in POSTS])
def test_office_actions_without_the_csrf_token_are_refused(office, method, pattern, form):
    world = office.world
    world.b.is_active = False
    db.session.commit()
    before = snapshot(world)

    response = office.post(_url(world, pattern), data=form)

    assert response.status_code == 400
    assert snapshot(world) == before


@pytest.mark.parametrize("url", ["/admin/producers/999999", "/admin/producers/99999999999999999999"])
def test_an_unknown_producer_is_not_found(office, url):
    assert office.get(url).status_code == 404
    assert post(office, url + "/deactivate").status_code == 404


# ---- finding a producer ---------------------------------------------------------------------------

def _names(client, query: str) -> list[str]:
    html = client.get("/admin/producers" + query).get_data(as_text=True)
    return [p.name for p in (client.world.a, client.world.b) if f"<strong>{p.name}</strong>" in html]


@pytest.mark.parametrize("typed", ["mien dong", "MIẾN DONG", "binh lieu"])
def test_the_list_finds_a_producer_by_name_with_or_without_marks(office, typed):
    assert _names(office, f"?q={typed}") == ["HTX Miến dong Bình Liêu"]


def test_the_list_finds_a_producer_by_tax_code_and_by_ward(office):
    assert _names(office, "?q=5701234") == ["Hộ Mạnh Hải"]
    assert _names(office, "?q=an sinh") == ["Hộ Mạnh Hải"]  # its ward, typed without marks
    assert _names(office, "?ward=06856") == ["HTX Miến dong Bình Liêu"]
    assert _names(office, "") == ["HTX Miến dong Bình Liêu", "Hộ Mạnh Hải"]


def test_the_list_shows_the_bank_account_masked_and_flags_a_missing_one(office):
    html = office.get("/admin/producers").get_data(as_text=True)
    assert "Vietcombank ••••4567" in html and "0011001234567" not in html
    assert "Missing" in html  # producer A has no account yet


# ---- adding and editing ---------------------------------------------------------------------------

def test_the_office_adds_a_producer_with_its_contact_bank_account_and_stock_location(office):
    response = post(office, "/admin/producers/new", **valid_form())

    producer = db.session.scalar(select(Producer).where(Producer.name == "HTX Chè Đường Hoa"))
    assert response.status_code == 302 and response.headers["Location"].endswith(f"/admin/producers/{producer.id}")
    assert (producer.phone, producer.email, producer.slug) == ("+84912345678", "che@duonghoa.vn", "htx-che-duong-hoa")
    assert (producer.bank_bin, producer.bank_account, producer.bank_account_name) == (
        "970418", "123456789012", "HTX CHE DUONG HOA")
    assert [(c.name, c.title, c.phone) for c in producer.contacts] == [("Nguyễn Văn Chè", "Giám đốc", "+84987654321")]
    assert db.session.scalar(select(Location).where(Location.producer_id == producer.id)) is not None
    entries = db.session.scalars(select(AuditEntry).where(AuditEntry.target_id == str(producer.id))
                                 .order_by(AuditEntry.id)).all()
    assert [e.action for e in entries] == ["producer.created", "producer.bank_account.changed"]
    assert entries[1].after == {"bank_bin": "970418", "bank_account": "••••9012", "bank_account_name": "HTX CHE DUONG HOA"}
    assert entries[0].actor_label == "Văn Phòng <boss@example.vn>"


def test_a_changed_bank_account_is_audited_with_the_number_masked(office):
    b = office.world.b
    form = valid_form(name=b.name, kind="household", ward_code="07090", tax_code="5701234567", phone="", email="",
                      address="", story="", bank_bin="970436", bank_account="0011009999888",
                      bank_account_name="VU BINH", **{"contact-0-name": "", "contact-0-title": "", "contact-0-phone": ""})
    post(office, f"/admin/producers/{b.id}", **form)

    db.session.expire_all()
    assert db.session.get(Producer, b.id).bank_account == "0011009999888"
    entry = db.session.scalars(select(AuditEntry).where(AuditEntry.action == "producer.bank_account.changed")).one()
    assert (entry.before, entry.after) == ({"bank_account": "••••4567"}, {"bank_account": "••••9888"})
    assert "0011001234567" not in str(entry.before) + str(entry.after)


def test_an_edit_keeps_the_public_address_and_audits_only_what_changed(office):
    a = office.world.a
    slug = a.slug
    post(office, f"/admin/producers/{a.id}", **valid_form(name="HTX Miến dong Bình Liêu Mới", bank_bin="",
                                                            bank_account="", bank_account_name=""))

    db.session.expire_all()
    producer = db.session.get(Producer, a.id)
    assert (producer.name, producer.slug, producer.name_folded) == ("HTX Miến dong Bình Liêu Mới", slug,
                                                                  "htx mien dong binh lieu moi")
    entry = db.session.scalars(select(AuditEntry).where(AuditEntry.action == "producer.changed")).one()
    assert entry.before["name"] == "HTX Miến dong Bình Liêu" and entry.after["name"] == "HTX Miến dong Bình Liêu Mới"
    assert entry.after["contacts"] == ["Nguyễn Văn Chè · Giám đốc · +84987654321"]
    assert "bank_account" not in entry.after



def test_a_renamed_producers_products_are_found_by_the_new_name_and_no_longer_by_the_old(office, en, world):
    guest = en.application.test_client()
    guest.set_cookie("lang", "en")
    assert card_titles(guest.get("/search?q=htx").get_data(as_text=True)) == ["Miến dong Bình Liêu"]  # its producer

    post(office, f"/admin/producers/{world.a.id}", **valid_form(name="Hợp tác xã Khe Mạ", bank_bin="",
                                                                 bank_account="", bank_account_name=""))

    assert card_titles(guest.get("/search?q=htx").get_data(as_text=True)) == []
    assert card_titles(guest.get("/search?q=khe+ma").get_data(as_text=True)) == ["Miến dong Bình Liêu"]
    assert card_titles(guest.get("/search?q=hợp+tác").get_data(as_text=True)) == ["Miến dong Bình Liêu"]


@pytest.mark.parametrize("changes, message", [
    ({"name": " "}, "Please give the producer's name."),
    ({"kind": "partner"}, "Please choose the kind of producer"),
    ({"ward_code": "00001"}, "Please choose the ward or commune"),
    ({"tax_code": "12345"}, "A tax code has 10 digits"),
    ({"phone": "12"}, "not a Vietnamese number"),
    ({"email": "not-an-address"}, "This e-mail address is not valid"),
    ({"bank_account": ""}, "A bank account needs the bank, the account number and the holder's name"),
    ({"bank_bin": "999999"}, "Please choose the bank from the list."),
    ({"bank_account": "12"}, "An account number has 4 to 19 letters or digits."),
    ({"bank_account_name": "!!"}, "as the bank prints it"),
    ({"contact-0-name": ""}, "Each contact person needs a name"),
])
def test_bad_input_is_refused_with_a_message_and_changes_nothing(office, changes, message):
    a = office.world.a
    before = snapshot(office.world)

    response = post(office, f"/admin/producers/{a.id}", **valid_form(**changes))

    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert any(message in text for text in alerts(html))
    assert "HTX Chè Đường Hoa" in html  # the typed form comes back
    assert snapshot(office.world) == before
    assert post(office, "/admin/producers/new", **valid_form(**changes)).status_code == 422
    assert snapshot(office.world) == before


# ---- deactivating ---------------------------------------------------------------------------------

def test_a_deactivated_producers_products_leave_the_shop_at_once_and_come_back(office, en, world):
    noodles = world.state.noodles.product
    product_url = f"/products/{noodles.slug}"
    assert office.get(product_url).status_code == 200
    guest = en.application.test_client()
    guest.set_cookie("lang", "en")
    assert "Miến dong Bình Liêu" in guest.get("/products").get_data(as_text=True)

    response = post(office, f"/admin/producers/{world.a.id}/deactivate", note="Ngừng sản xuất")

    assert response.status_code == 302
    assert guest.get(product_url).status_code == 404
    listing = guest.get("/products").get_data(as_text=True)
    assert "Miến dong Bình Liêu" not in listing and "Chả mực Hạ Long" in listing
    assert card_titles(guest.get("/search?q=mien+dong").get_data(as_text=True)) == []
    entry = db.session.scalars(select(AuditEntry).where(AuditEntry.action == "producer.deactivated")).one()
    assert (entry.before, entry.after, entry.note) == ({"is_active": True}, {"is_active": False}, "Ngừng sản xuất")

    post(office, f"/admin/producers/{world.a.id}/reactivate")
    assert guest.get(product_url).status_code == 200


def test_a_cart_holding_a_deactivated_producers_product_cannot_check_out_nor_add_more(office, en, world):
    shopper = en.application.test_client()
    variant = world.state.noodles
    token = csrf_token(shopper, f"/products/{variant.product.slug}")
    assert shopper.post("/cart/add", data={"csrf_token": token, "variant_id": variant.id, "quantity": 1}).status_code == 303

    post(office, f"/admin/producers/{world.a.id}/deactivate")

    response = shopper.post("/cart/add", data={"csrf_token": token, "variant_id": variant.id, "quantity": 1},
                            follow_redirects=True)
    assert alerts(response.get_data(as_text=True))


def test_open_parts_of_a_deactivated_producer_are_flagged_on_the_home_and_the_board(
        office, world, order_with_two_parcels_for_point):
    order = order_with_two_parcels_for_point

    response = post(office, f"/admin/producers/{world.a.id}/deactivate")

    assert response.headers["Location"].endswith("/admin/orders?stage=inactive_producer")
    board = office.get("/admin/orders?stage=inactive_producer").get_data(as_text=True)
    assert f">{order.number}</strong>" in board
    assert any("open order part" in n for n in notices(board))
    home = office.get("/admin/").get_data(as_text=True)
    assert "open parts of deactivated producers" in home
    page = office.get(f"/admin/orders/{order.number}").get_data(as_text=True)
    assert "This producer is deactivated" in page


def test_deactivating_twice_says_so_and_writes_nothing(office, world):
    post(office, f"/admin/producers/{world.a.id}/deactivate")
    before = snapshot(world)

    response = post(office, f"/admin/producers/{world.a.id}/deactivate")

    assert response.status_code == 302
    assert any("already so" in a for a in alerts(office.get(f"/admin/producers/{world.a.id}").get_data(as_text=True)))
    assert snapshot(world) == before


def test_a_deactivated_producers_users_are_logged_out_and_cannot_sign_in_until_it_is_back(office, login, world):
    an, binh = office.application.test_client(), office.application.test_client()
    for client, user in ((an, world.users.producer_a), (binh, world.users.producer_b)):
        client.set_cookie("lang", "en")
        as_user(client, login, user)
        assert client.get("/producer/").status_code == 200

    post(office, f"/admin/producers/{world.a.id}/deactivate", note="Ngừng sản xuất")

    assert an.get("/producer/").status_code == 302  # the open login ended
    refused = login(an, world.users.producer_a.email)
    assert refused.status_code == 200 and "paused your producer" in refused.get_data(as_text=True)
    assert an.get("/producer/").status_code == 302
    assert binh.get("/producer/").status_code == 200  # the other producer works on

    post(office, f"/admin/producers/{world.a.id}/reactivate")
    assert as_user(an, login, world.users.producer_a).get("/producer/").status_code == 200


def test_a_login_still_open_when_its_producer_is_inactive_is_ended_at_the_workspace_door(office, login, world):
    an = office.application.test_client()
    an.set_cookie("lang", "en")
    as_user(an, login, world.users.producer_a)
    db.session.get(Producer, world.a.id).is_active = False  # deactivated elsewhere than the office's page
    db.session.commit()

    response = an.get("/producer/")

    assert response.status_code == 302 and response.headers["Location"].startswith("/login")
    assert any("paused your producer" in a for a in alerts(an.get("/login").get_data(as_text=True)))
    db.session.get(Producer, world.a.id).is_active = True
    db.session.commit()
    assert an.get("/producer/").status_code == 302  # that login is over: signing in again is needed
