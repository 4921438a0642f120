"""The producer's order-part screens through the test client: who may open what, the pages, the actions."""
from __future__ import annotations

import datetime as dt
import re
from types import SimpleNamespace

import pytest
from sqlalchemy import select

from shop.auth.models import Role
from shop.extensions import db
from shop.orders.models import Fulfillment, OrderEvent, PartStatus
from tests.web.helpers import csrf_token


@pytest.fixture(autouse=True)
def quick_passwords(monkeypatch):
    """Cheap password hashes: the matrix logs in hundreds of times, and hashing cost is not under test here."""
    from functools import partial

    from werkzeug.security import generate_password_hash

    monkeypatch.setattr("shop.auth.models.generate_password_hash", partial(generate_password_hash, method="pbkdf2:sha256:1"))


@pytest.fixture
def world(two_producers_and_two_points, make_user, make_order):
    """Producer A with a pickup part and a COD delivery part; producer B; a customer, staff and an admin."""
    state = two_producers_and_two_points
    a, b, point = state.a, state.b, state.p
    point.opening_hours = "Mo-Fr 08:00-17:30"
    users = SimpleNamespace(
        producer_a=state.user_a, producer_b=state.user_b, customer=make_user(email="khach@example.vn"),
        staff=state.staff_p, admin=make_user(email="boss@example.vn", role=Role.ADMIN),
    )
    db.session.commit()
    pickup = make_order(producer=a, point=point)
    delivery = make_order(producer=a, delivery=True)
    b_order = make_order(producer=b, point=point)
    return SimpleNamespace(a=a, b=b, point=point, users=users, pickup=pickup, delivery=delivery,
                           part=pickup.parts[0].id, delivery_part=delivery.parts[0].id, b_part=b_order.parts[0].id,
                           b_order=b_order)


@pytest.fixture
def en(client):
    client.set_cookie("lang", "en")
    return client


def as_user(client, login, user):
    if user is not None:
        assert login(client, user.email).status_code == 302
    return client


def token(client) -> str:
    return csrf_token(client, "/sales-points" if _logged_in(client) else "/login")


def _logged_in(client) -> bool:
    return "/logout" in client.get("/sales-points").get_data(as_text=True)


def post(client, url, **data):
    return client.post(url, data={"csrf_token": token(client), **data})


def _status(part_id: int) -> PartStatus:
    db.session.rollback()
    db.session.expire_all()
    return db.session.get(Fulfillment, part_id).status


# ---- the authorization matrix --------------------------------------------------------------------

ROUTES = [
    ("GET", "/producer/"),
    ("GET", "/producer/parts/{part}"),
    ("GET", "/producer/parts/{part}/label"),
    ("POST", "/producer/parts/{part}/accept"),
    ("POST", "/producer/parts/{part}/reject"),
    ("POST", "/producer/parts/{part}/packed"),
    ("POST", "/producer/parts/{part}/sent"),
    ("POST", "/producer/parts/{part}/shipped"),
    ("POST", "/producer/parts/{part}/delivered"),
]
#: role → expected status for (GET, POST) on producer A's parts.
EXPECTED = {
    "anonymous": (302, 302),
    "customer": (403, 403),
    "producer_a": (200, 302),
    "producer_b": (None, 404),  # None: the dashboard opens (200), every part of A's is 404
    "staff": (403, 403),
    "admin": (403, 403),
}


@pytest.mark.parametrize("method, pattern", ROUTES, ids=[f"{m} {p}" for m, p in ROUTES])
@pytest.mark.parametrize("role", list(EXPECTED))
def test_authorization_matrix(client, login, world, role, method, pattern):
    user = getattr(world.users, role, None)
    as_user(client, login, user)
    url = pattern.format(part=world.part)
    before = _status(world.part)

    if method == "GET":
        response = client.get(url)
    else:
        response = client.post(url, data={"csrf_token": token(client), "reason": "x", "carrier": "GHN",
                                          "tracking_number": "1", "cod_received_vnd": "1"})

    get_expected, post_expected = EXPECTED[role]
    expected = get_expected if method == "GET" else post_expected
    if role == "producer_b":
        expected = 200 if url == "/producer/" else 404
    assert response.status_code == expected
    if role == "anonymous":
        assert response.headers["Location"].startswith("/login")
    if role == "producer_b":
        assert world.pickup.number not in response.get_data(as_text=True)
        assert _status(world.part) == before
    if role in ("anonymous", "customer", "staff", "admin"):
        assert _status(world.part) == before


@pytest.mark.parametrize("part_id", ["b_part", 999_999])
def test_a_producer_gets_404_for_every_id_that_is_not_its_own(client, login, world, part_id):
    as_user(client, login, world.users.producer_a)
    part_id = getattr(world, part_id) if isinstance(part_id, str) else part_id
    for suffix in ("", "/label"):
        assert client.get(f"/producer/parts/{part_id}{suffix}").status_code == 404
    for action in ("accept", "reject", "packed", "sent", "shipped", "delivered"):
        assert post(client, f"/producer/parts/{part_id}/{action}", reason="x", cod_received_vnd="abc").status_code == 404
    if part_id == world.b_part:
        assert _status(world.b_part) == PartStatus.NEW


def test_actions_without_the_csrf_token_are_refused(client, login, world):
    as_user(client, login, world.users.producer_a)
    assert client.post(f"/producer/parts/{world.part}/accept").status_code == 400
    assert _status(world.part) == PartStatus.NEW


# ---- dashboard ------------------------------------------------------------------------------------

def test_dashboard_lists_only_the_producers_own_parts_with_counts(en, login, world):
    as_user(en, login, world.users.producer_a)
    html = en.get("/producer/").get_data(as_text=True)

    assert "HTX Miến dong Bình Liêu" in html
    assert world.pickup.number in html and world.delivery.number in html
    assert world.b_order.number not in html and "Hộ Mạnh Hải" not in html
    assert re.search(r"<strong>2</strong> to accept", html)
    assert "Accept or reject by" in html and "is-overdue" not in html


def test_an_overdue_part_stands_out(en, login, world, app):
    part = db.session.get(Fulfillment, world.part)
    part.created_at = dt.datetime.now(dt.UTC) - dt.timedelta(hours=app.config["PART_RESPONSE_HOURS"] + 1)
    db.session.commit()
    as_user(en, login, world.users.producer_a)
    html = en.get("/producer/").get_data(as_text=True)

    assert html.count('class="card ws-part is-overdue"') == 1
    assert "1 overdue" in html and "Answer was due" in html


def test_dashboard_groups_parts_by_the_next_step_and_keeps_history(en, login, world):
    as_user(en, login, world.users.producer_a)
    post(en, f"/producer/parts/{world.part}/accept")
    post(en, f"/producer/parts/{world.delivery_part}/accept")
    post(en, f"/producer/parts/{world.delivery_part}/packed")
    html = en.get("/producer/").get_data(as_text=True)

    assert re.search(r"<strong>0</strong> to accept", html)
    assert re.search(r"<strong>1</strong> to pack", html) and re.search(r"<strong>1</strong> to send", html)
    post(en, f"/producer/parts/{world.delivery_part}/shipped", carrier="GHN", tracking_number="GHN42")
    post(en, f"/producer/parts/{world.delivery_part}/delivered", cod_received_vnd=str(world.delivery.total_vnd))
    history = en.get("/producer/").get_data(as_text=True).split('id="h-history"')[1]
    assert f"Part #{world.delivery_part}" in history and "Delivered" in history


def test_dashboard_queries_do_not_grow_with_the_number_of_parts(client, login, world, make_order, count_queries):
    as_user(client, login, world.users.producer_a)
    db.session.expire_all()
    with count_queries() as few:
        assert client.get("/producer/").status_code == 200
    for _ in range(4):
        make_order(producer=world.a)
    db.session.expire_all()
    with count_queries() as many:
        assert client.get("/producer/").status_code == 200
    def statements(found):
        return [s for s in found if not s.startswith(("BEGIN", "COMMIT", "ROLLBACK", "SAVEPOINT", "RELEASE"))]

    assert len(statements(many)) == len(statements(few))


# ---- the part page ---------------------------------------------------------------------------------

def test_part_page_shows_lines_the_sales_point_with_its_hours_payment_and_timeline(en, login, world):
    as_user(en, login, world.users.producer_a)
    html = en.get(f"/producer/parts/{world.part}").get_data(as_text=True)
    line = world.pickup.lines[0]

    assert f"{line.quantity} ×" in html and line.product_name in html and line.sku in html
    assert "HL07" in html and "Điểm OCOP Bãi Cháy" in html and world.point.address in html
    assert "08:00–17:30" in html
    assert "Cash at the sales point" in html and "you collect nothing" in html
    assert "Order placed" in html
    assert "Accept this part" in html and "Reject this part" in html
    assert "Mark as packed" not in html and "Packing slip and label" not in html


def test_delivery_part_page_shows_address_phone_and_cash_to_collect(en, login, world):
    as_user(en, login, world.users.producer_a)
    html = en.get(f"/producer/parts/{world.delivery_part}").get_data(as_text=True)

    assert "12 đường Hạ Long" in html and "Phường Bãi Cháy" in html and "+84987654321" in html
    assert "Collect in cash on delivery:" in html
    assert f"{world.delivery.total_vnd:,}\u00a0₫" in html  # English page: 220,000 ₫


def test_a_producer_walks_a_part_to_the_sales_point_with_messages_and_a_timeline(en, login, world):
    as_user(en, login, world.users.producer_a)
    url = f"/producer/parts/{world.part}"

    response = post(en, url + "/accept")
    assert response.status_code == 302 and response.headers["Location"] == url
    assert "Part accepted. Pack it next." in en.get(url).get_data(as_text=True)
    post(en, url + "/packed")
    html = en.get(url).get_data(as_text=True)
    assert "Packing slip and label" in html and "Mark as sent to HL07" in html and "Reject this part" not in html
    post(en, url + "/sent", handover_note="2 thùng")
    html = en.get(url).get_data(as_text=True)
    assert _status(world.part) == PartStatus.SENT_TO_POINT
    assert "2 thùng" in html and "Next step" not in html
    kinds = db.session.scalars(select(OrderEvent.data).where(OrderEvent.part_id == world.part)
                               .order_by(OrderEvent.id)).all()
    assert [k["status"] for k in kinds] == ["accepted", "packed", "sent_to_point"]


@pytest.mark.parametrize("action, data, message", [
    ("packed", {}, "This step is not possible now: the part is “Received”."),
    ("sent", {}, "This step is not possible now: the part is “Received”."),
    ("shipped", {"carrier": "GHN", "tracking_number": "1"}, "This step is not possible now"),
    ("delivered", {}, "This step is not possible now"),
    ("reject", {"reason": "  "}, "Please say why you reject this part."),
])
def test_refused_moves_show_a_clear_message_and_change_nothing(en, login, world, action, data, message):
    as_user(en, login, world.users.producer_a)
    url = f"/producer/parts/{world.part}"
    response = post(en, f"{url}/{action}", **data)

    assert response.status_code == 302
    html = en.get(url).get_data(as_text=True)
    assert message in html and 'role="alert"' in html
    assert _status(world.part) == PartStatus.NEW


def test_accepting_twice_and_shipping_a_part_bound_for_a_point_are_refused(en, login, world):
    as_user(en, login, world.users.producer_a)
    url = f"/producer/parts/{world.part}"
    post(en, url + "/accept")
    post(en, url + "/accept")
    assert "the part is “Accepted by the producer”" in en.get(url).get_data(as_text=True)
    post(en, url + "/packed")
    post(en, url + "/shipped", carrier="GHN", tracking_number="1")
    assert "the part is “Packed”" in en.get(url).get_data(as_text=True)
    assert _status(world.part) == PartStatus.PACKED


def test_reject_through_the_page_cancels_the_part_and_says_who_was_told(en, login, world):
    as_user(en, login, world.users.producer_a)
    url = f"/producer/parts/{world.part}"
    post(en, url + "/reject", reason="Hết hàng")

    html = en.get(url).get_data(as_text=True)
    assert "Part rejected. The customer and the OCOP office have been told." in html
    assert "Hết hàng" in html and _status(world.part) == PartStatus.CANCELLED


@pytest.mark.parametrize("amount, message", [
    ("", "must be exactly"),
    ("1000", "must be exactly"),
    ("năm trăm", "Enter the cash received as a whole number"),
])
def test_cod_delivery_with_a_wrong_amount_is_refused_on_the_page(en, login, world, amount, message):
    as_user(en, login, world.users.producer_a)
    url = f"/producer/parts/{world.delivery_part}"
    for step, data in (("accept", {}), ("packed", {}), ("shipped", {"carrier": "GHN", "tracking_number": "X1"})):
        post(en, f"{url}/{step}", **data)

    post(en, url + "/delivered", cod_received_vnd=amount)
    assert message in en.get(url).get_data(as_text=True)
    assert _status(world.delivery_part) == PartStatus.SHIPPED

    total = f"{world.delivery.total_vnd:,}".replace(",", ".")
    post(en, url + "/delivered", cod_received_vnd=total)
    assert _status(world.delivery_part) == PartStatus.DELIVERED


# ---- label -------------------------------------------------------------------------------------------

def test_label_shows_the_point_code_the_order_the_items_and_a_qr_of_the_part(en, login, world):
    as_user(en, login, world.users.producer_a)
    html = en.get(f"/producer/parts/{world.part}/label").get_data(as_text=True)

    assert '<p class="label-code">HL07</p>' in html
    assert world.pickup.number in html and f"Part #{world.part}" in html
    assert f"OCOP-PART:{world.part}" in html and "<svg" in html
    assert world.pickup.lines[0].product_name in html
    assert "@page" not in html  # the print rules live in the stylesheet


def test_delivery_label_says_home_delivery_with_the_address(en, login, world):
    as_user(en, login, world.users.producer_a)
    html = en.get(f"/producer/parts/{world.delivery_part}/label").get_data(as_text=True)

    assert "Home delivery" in html and "12 đường Hạ Long" in html and "+84987654321" in html
