"""Who may use the sales-point desk, and what staff of one point learn about another's: nothing."""
from __future__ import annotations

import datetime as dt
import re
import time as real_time
from types import SimpleNamespace

import pytest
from sqlalchemy import select

from shop.auth.models import Role
from shop.orders.codes import CODE_ALPHABET
from shop.clock import now
from shop.desk import hold, receiving
from shop.extensions import db
from shop.fulfillment import services as producer
from shop.inventory.models import Location, Stock
from shop.orders.models import Fulfillment, Order, OrderStatus, PartStatus
from shop.orders.payment import Payment
from tests.web.helpers import csrf_token


@pytest.fixture(autouse=True)
def quick_passwords(monkeypatch):
    """Cheap password hashes: the matrix logs in hundreds of times, and hashing cost is not under test here."""
    from functools import partial

    from werkzeug.security import generate_password_hash

    monkeypatch.setattr("shop.auth.models.generate_password_hash", partial(generate_password_hash, method="pbkdf2:sha256:1"))


def _send(part_id: int, user) -> None:
    producer.accept_part(part_id, user)
    producer.mark_packed(part_id, user)
    producer.mark_sent_to_point(part_id, user)


@pytest.fixture
def world(two_producers_and_two_points, put_stock, make_user, make_order):
    """Point A with an order in every state the desk acts on; point B next door; one user of every role."""
    state = two_producers_and_two_points
    noodles, squid, a, b = state.noodles, state.squid, state.p, state.q
    put_stock(noodles, a, 5)
    users = SimpleNamespace(
        customer=make_user(email="khach@example.vn", name="Khách Hàng"), producer=state.user_b,
        staff_a=state.staff_p, colleague_a=state.colleague_p, staff_b=state.staff_q,
        admin=make_user(email="boss@example.vn", name="Văn Phòng", role=Role.ADMIN),
    )
    db.session.commit()

    # A parcel left unclaimed (to be given back), then a parcel on its way, goods to put aside, an order ready.
    gone = make_order((squid, 1), point=a)
    _send(gone.parts[0].id, users.producer)
    receiving.receive_parcel(a.id, str(gone.parts[0].id), users.staff_a)
    assert hold.expire_pickups(at=now() + dt.timedelta(days=8)) == [gone.number]
    parcel = make_order((squid, 1), point=a)
    _send(parcel.parts[0].id, users.producer)
    shelf = make_order((noodles, 2), point=a)
    ready = make_order((squid, 2), point=a)
    _send(ready.parts[0].id, users.producer)
    receiving.receive_parcel(a.id, str(ready.parts[0].id), users.staff_a)
    db.session.expire_all()
    assert db.session.get(Order, ready.id).status == OrderStatus.READY_FOR_PICKUP
    return SimpleNamespace(a=a, b=b, users=users, noodles=noodles, squid=squid, gone=gone, parcel=parcel,
                           shelf=shelf, ready=ready, orders=[gone, parcel, shelf, ready])


def snapshot(world) -> tuple:
    """Everything of point A's that a desk action could change."""
    db.session.rollback()
    db.session.expire_all()
    ids = [o.id for o in world.orders]
    parts = db.session.execute(select(Fulfillment.id, Fulfillment.status, Fulfillment.returned_at)
                               .where(Fulfillment.order_id.in_(ids)).order_by(Fulfillment.id)).all()
    payments = db.session.execute(select(Payment.id, Payment.status, Payment.received_vnd)
                                  .where(Payment.order_id.in_(ids)).order_by(Payment.id)).all()
    stock = db.session.execute(select(Stock.variant_id, Stock.quantity, Stock.allocated).join(Location)
                               .where(Location.sales_point_id == world.a.id).order_by(Stock.variant_id)).all()
    return tuple(parts), tuple(payments), tuple(stock)


@pytest.fixture
def en(client):
    client.set_cookie("lang", "en")
    return client


def as_user(client, login, user):
    if user is not None:
        assert login(client, user.email).status_code == 302
    return client


def token(client) -> str:
    logged_in = "/logout" in client.get("/sales-points").get_data(as_text=True)
    return csrf_token(client, "/sales-points" if logged_in else "/login")


def post(client, url, **data):
    return client.post(url, data={"csrf_token": token(client), **data})


def _flashes(client) -> list[str]:
    with client.session_transaction() as session:
        return [message for _, message in session.get("_flashes", [])]


# ---- the authorization matrix ---------------------------------------------------------------------

ROUTES = [
    ("GET", "/desk/", {}),
    ("GET", "/desk/orders/{ready_number}", {}),
    ("GET", "/desk/receive", {}),
    ("POST", "/desk/receive", {"code": "OCOP-PART:{parcel_part}"}),
    ("POST", "/desk/parts/{shelf_part}/put-aside", {}),
    ("POST", "/desk/parts/{gone_part}/returned", {}),
    ("GET", "/desk/pickup", {}),
    ("POST", "/desk/pickup", {"code": "{ready_code}"}),
    ("POST", "/desk/pickup/confirm", {"code": "{ready_code}", "identity": "1", "tendered": "1000000"}),
    ("GET", "/desk/stock", {}),
    ("POST", "/desk/stock", {"variant_id": "{noodles}", "mode": "receive", "quantity": "3"}),
    ("POST", "/desk/stock/add", {"sku": "{squid_sku}", "mode": "receive", "quantity": "2"}),
    ("GET", "/desk/cash", {}),
]
POSTS = [r for r in ROUTES if r[0] == "POST"]
ROLES = ["anonymous", "customer", "producer", "admin", "staff_a", "staff_b"]
#: Staff of point B acting on point A's objects: what each route answers.
#: Their own pages (the dashboard, lists, forms) open; receiving A's parcel is refused with a message;
#: adding goods by SKU adds them to B's own stock.
STAFF_B = {
    ("GET", "/desk/orders/{ready_number}"): 404, ("POST", "/desk/receive"): 302,
    ("POST", "/desk/parts/{shelf_part}/put-aside"): 404, ("POST", "/desk/parts/{gone_part}/returned"): 404,
    ("POST", "/desk/pickup"): 404, ("POST", "/desk/pickup/confirm"): 404, ("POST", "/desk/stock"): 404,
    ("POST", "/desk/stock/add"): 302,
}


def _fill(world, text: str) -> str:
    return text.format(ready_number=world.ready.number, parcel_part=world.parcel.parts[0].id,
                       shelf_part=world.shelf.parts[0].id, gone_part=world.gone.parts[0].id,
                       ready_code=world.ready.pickup_code, noodles=world.noodles.id, squid_sku=world.squid.sku)


def _secrets(world) -> list[str]:
    """What staff of another point must never read: A's order numbers, the customer's name and phone."""
    return [o.number for o in world.orders] + ["Nguyễn Thị Lan", "+84912345678", "912345678", "••• 678"]


@pytest.mark.parametrize("method, pattern, form", ROUTES, ids=[f"{m} {p}" for m, p, _ in ROUTES])
@pytest.mark.parametrize("role", ROLES)
def test_authorization_matrix(en, login, world, role, method, pattern, form):
    as_user(en, login, getattr(world.users, role, None))
    url = _fill(world, pattern)
    before = snapshot(world)

    if method == "GET":
        response = en.get(url)
    else:
        response = post(en, url, **{k: _fill(world, v) for k, v in form.items()})
    body = response.get_data(as_text=True)
    after = snapshot(world)

    if role == "anonymous":
        assert response.status_code == 302 and response.headers["Location"].startswith("/login")
    elif role in ("customer", "producer", "admin"):
        assert response.status_code == 403
    elif role == "staff_a":
        expected = 200 if method == "GET" or url == "/desk/pickup" else 302
        assert response.status_code == expected
        assert "no-store" in response.headers["Cache-Control"]
        # Every action of A's own staff on A's own objects does what it says.
        assert (after != before) == (method == "POST" and url != "/desk/pickup")
    else:
        assert response.status_code == STAFF_B.get((method, pattern), 200)
        # The number B's staff typed into the address bar comes back in the page's own links, nothing else.
        typed = world.ready.number if "{ready_number}" in pattern else None
        for secret in _secrets(world):
            assert secret == typed or secret not in body
        if pattern == "/desk/receive" and method == "POST":
            assert any("is not for this sales point" in m and "HL07" in m for m in _flashes(en))
    if role != "staff_a":
        assert after == before


@pytest.mark.parametrize("method, pattern, form", POSTS, ids=[p for _, p, _ in POSTS])
def test_desk_actions_without_the_csrf_token_are_refused(en, login, world, method, pattern, form):
    as_user(en, login, world.users.staff_a)
    before = snapshot(world)

    response = en.post(_fill(world, pattern), data={k: _fill(world, v) for k, v in form.items()})

    assert response.status_code == 400
    assert snapshot(world) == before


def test_another_points_staff_see_none_of_its_orders_on_their_pages(en, login, world):
    as_user(en, login, world.users.staff_b)
    for url in ("/desk/", "/desk/receive", "/desk/stock", "/desk/cash", f"/desk/cash?staff={world.users.staff_a.id}"):
        body = en.get(url).get_data(as_text=True)
        for secret in _secrets(world) + ["Chả mực Hạ Long", "Miến dong Bình Liêu"]:
            assert secret not in body, (url, secret)


# ---- pickup codes reveal nothing ------------------------------------------------------------------

def _page_without(body: str, code: str) -> str:
    body = re.sub(r'name="csrf_token" value="[^"]*"', "", body)
    return body.replace(code, "CODE")


def test_a_code_of_another_point_looks_exactly_like_a_code_that_does_not_exist(en, login, world):
    as_user(en, login, world.users.staff_b)
    en.get("/desk/pickup")  # shows (and clears) the "logged in" message
    code = world.ready.pickup_code

    foreign = post(en, "/desk/pickup", code=code)
    unknown = post(en, "/desk/pickup", code="ZZZZ2222")
    confirm = post(en, "/desk/pickup/confirm", code=code, identity="1", tendered="1000000")

    assert foreign.status_code == unknown.status_code == confirm.status_code == 404
    assert "No order waiting at this sales point has this code." in foreign.get_data(as_text=True)
    assert _page_without(foreign.get_data(as_text=True), code) == _page_without(unknown.get_data(as_text=True),
                                                                                "ZZZZ2222")
    for response in (foreign, confirm):
        for secret in _secrets(world) + ["Chả mực Hạ Long"]:
            assert secret not in response.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Order, world.ready.id).status == OrderStatus.READY_FOR_PICKUP


def test_a_parcel_scanned_at_the_wrong_point_is_refused_naming_the_right_one(en, login, world):
    as_user(en, login, world.users.staff_b)
    part = world.parcel.parts[0].id

    response = post(en, "/desk/receive", code=f"OCOP-PART:{part}")

    assert response.status_code == 302
    page = en.get(response.headers["Location"]).get_data(as_text=True)
    assert f"Parcel #{part} is not for this sales point: it goes to HL07 – Điểm OCOP Bãi Cháy." in page
    db.session.expire_all()
    assert db.session.get(Fulfillment, part).status == PartStatus.SENT_TO_POINT


# ---- wrong codes are slowed down ------------------------------------------------------------------

class _Clock:
    """time.time() for the rate limiter, moved forward by the test."""

    def __init__(self):
        self.offset = 0.0

    def time(self) -> float:
        return real_time.time() + self.offset

    def __getattr__(self, name):
        return getattr(real_time, name)


@pytest.fixture
def limiter_clock(monkeypatch):
    clock = _Clock()
    monkeypatch.setattr("limits.storage.memory.time", clock)
    monkeypatch.setattr("limits.strategies.time", clock)
    return clock


def test_a_staff_member_typing_wrong_codes_is_stopped_even_for_the_right_one(en, login, world, limiter_clock):
    as_user(en, login, world.users.staff_a)
    tok = token(en)

    wrong = [f"ZZZZ{CODE_ALPHABET[n]}{CODE_ALPHABET[n + 1]}22" for n in range(20)]
    codes = [en.post("/desk/pickup", data={"csrf_token": tok, "code": code}).status_code for code in wrong]

    assert codes[:10] == [404] * 10 and set(codes[10:]) == {429}
    right = en.post("/desk/pickup", data={"csrf_token": tok, "code": world.ready.pickup_code})
    assert right.status_code == 429
    assert world.ready.number not in right.get_data(as_text=True)

    limiter_clock.offset = 11 * 60  # the ten-minute window has passed
    right = en.post("/desk/pickup", data={"csrf_token": tok, "code": world.ready.pickup_code})
    assert right.status_code == 200 and world.ready.number in right.get_data(as_text=True)


def test_right_codes_do_not_count_against_the_staff_member(en, login, world, app, monkeypatch):
    monkeypatch.setitem(app.config, "PICKUP_CODE_USER_RATE_LIMIT", "3 per hour")
    as_user(en, login, world.users.staff_a)
    tok = token(en)
    for _ in range(6):
        assert en.post("/desk/pickup", data={"csrf_token": tok, "code": world.ready.pickup_code}).status_code == 200
    assert en.post("/desk/pickup", data={"csrf_token": tok, "code": "ZZZZ2222"}).status_code == 404


def test_the_staff_of_one_point_share_its_budget_of_wrong_codes(app, world, login, monkeypatch):
    monkeypatch.setitem(app.config, "PICKUP_CODE_USER_RATE_LIMIT", "100 per hour")
    monkeypatch.setitem(app.config, "PICKUP_CODE_POINT_RATE_LIMIT", "5 per hour")
    first, second, next_door = app.test_client(), app.test_client(), app.test_client()
    login(first, world.users.staff_a.email)
    login(second, world.users.colleague_a.email)
    login(next_door, world.users.staff_b.email)

    assert [post(first, "/desk/pickup", code="ZZZZ2222").status_code for _ in range(3)] == [404] * 3
    assert [post(second, "/desk/pickup", code="ZZZZ3333").status_code for _ in range(2)] == [404] * 2

    assert post(first, "/desk/pickup", code="ZZZZ4444").status_code == 429
    assert post(second, "/desk/pickup", code=world.ready.pickup_code).status_code == 429
    assert post(next_door, "/desk/pickup", code="ZZZZ2222").status_code == 404  # another point's budget


def test_wrong_codes_on_the_handover_form_count_in_the_same_budget(en, login, world, app, monkeypatch):
    """Guessing is as slow on the hand-over form as on the look-up form: one budget per staff member."""
    monkeypatch.setitem(app.config, "PICKUP_CODE_USER_RATE_LIMIT", "4 per hour")
    as_user(en, login, world.users.staff_a)
    tok = token(en)
    for _ in range(4):
        assert en.post("/desk/pickup", data={"csrf_token": tok, "code": "ZZZZ2222"}).status_code == 404

    guess = en.post("/desk/pickup/confirm", data={"csrf_token": tok, "code": "ZZZZ3333", "identity": "1",
                                                  "tendered": "1000000"})

    assert guess.status_code == 429


def test_staff_open_only_their_own_points_orders(en, login, world, make_order):
    delivery = make_order((world.squid, 1), delivery=True)
    next_door = make_order((world.squid, 1), point=world.b)
    as_user(en, login, world.users.staff_a)

    assert en.get(f"/desk/orders/{world.ready.number}").status_code == 200
    for number in (delivery.number, next_door.number, "QN-0000-0000", "../admin"):
        response = en.get(f"/desk/orders/{number}")
        assert response.status_code == 404
        assert "Trần Văn Minh" not in response.get_data(as_text=True)
    assert post(en, "/desk/pickup", code=delivery.pickup_code).status_code == 404
    assert post(en, "/desk/pickup", code=next_door.pickup_code).status_code == 404
    dashboard = en.get("/desk/").get_data(as_text=True)
    assert delivery.number not in dashboard and next_door.number not in dashboard
