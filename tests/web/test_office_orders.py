"""The office's orders board and order page: who may open them, finding an order, and every action on it."""
from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

import pytest
from sqlalchemy import func, select

from shop.auth.models import Role
from shop.clock import today
from shop.extensions import db
from shop.notifications.models import OutboxMessage
from shop.orders.models import Fulfillment, Order, OrderEvent, OrderStatus, PartStatus
from shop.orders.payment import Payment, PaymentMethod, PaymentStatus
from tests.web.helpers import alerts, csrf_token, notices, result_count


@pytest.fixture(autouse=True)
def quick_passwords(monkeypatch):
    """Cheap password hashes: the matrix logs in many times, and hashing cost is not under test here."""
    from functools import partial

    from werkzeug.security import generate_password_hash

    monkeypatch.setattr("shop.auth.models.generate_password_hash", partial(generate_password_hash, method="pbkdf2:sha256:1"))


@pytest.fixture
def world(two_producers_and_two_points, order_with_two_parcels_for_point, make_order, make_user):
    """At point P: Lan's cash order (noodles from A, squid from B); Minh's delivery by transfer; one office user."""
    state = two_producers_and_two_points
    lan = order_with_two_parcels_for_point
    minh = make_order((state.squid, 1), delivery=True, payment=PaymentMethod.VIETQR_TRANSFER, email="minh@example.vn")
    users = SimpleNamespace(customer=make_user(email="khach@example.vn", name="Khách Hàng"), producer=state.user_a,
                            staff=state.staff_p, admin=make_user(email="boss@example.vn", name="Văn Phòng",
                                                                 role=Role.ADMIN))
    db.session.commit()
    return SimpleNamespace(state=state, lan=lan, minh=minh, users=users, noodles_part=lan.parts[0],
                           squid_part=lan.parts[1])


@pytest.fixture
def en(client):
    client.set_cookie("lang", "en")
    return client


def as_user(client, login, user):
    if user is not None:
        assert login(client, user.email).status_code == 302
    return client


def post(client, url, **data):
    logged_in = "/logout" in client.get("/sales-points").get_data(as_text=True)
    token = csrf_token(client, "/sales-points" if logged_in else "/login")
    return client.post(url, data={"csrf_token": token, **data})


def snapshot(world) -> tuple:
    db.session.rollback()
    db.session.expire_all()
    ids = (world.lan.id, world.minh.id)
    parts = db.session.execute(select(Fulfillment.id, Fulfillment.status).where(Fulfillment.order_id.in_(ids))
                               .order_by(Fulfillment.id)).all()
    payments = db.session.execute(select(Payment.id, Payment.status, Payment.received_vnd)
                                  .where(Payment.order_id.in_(ids)).order_by(Payment.id)).all()
    events = db.session.scalar(select(func.count(OrderEvent.id)))
    mail = db.session.scalar(select(func.count(OutboxMessage.id)))
    return tuple(parts), tuple(payments), events, mail


def events_of(order) -> list[OrderEvent]:
    db.session.expire_all()
    return db.session.scalars(select(OrderEvent).where(OrderEvent.order_id == order.id).order_by(OrderEvent.id)).all()


# ---- the authorization matrix ---------------------------------------------------------------------

ROUTES = [
    ("GET", "/admin/", {}),
    ("GET", "/admin/certificates", {}),
    ("GET", "/admin/orders", {}),
    ("GET", "/admin/orders/{lan}", {}),
    ("POST", "/admin/orders/{lan}/cancel", {"note": "Khách gọi điện hủy"}),
    ("POST", "/admin/orders/{lan}/parts/{noodles_part}/cancel", {"note": "Hết hàng"}),
    ("POST", "/admin/orders/{lan}/parts/{noodles_part}/on-behalf", {"step": "accept"}),
    ("POST", "/admin/orders/{lan}/resend", {"kind": "order_placed"}),
    ("POST", "/admin/transfers/{minh}", {"amount": "{minh_total}", "reference": "FT123", "back": "order"}),
]
POSTS = [r for r in ROUTES if r[0] == "POST"]


def _fill(world, text: str) -> str:
    return text.format(lan=world.lan.number, minh=world.minh.number, noodles_part=world.noodles_part.id,
                       minh_total=world.minh.total_vnd)


@pytest.mark.parametrize("method, pattern, form", ROUTES, ids=[f"{m} {p}" for m, p, _ in ROUTES])
@pytest.mark.parametrize("role", ["anonymous", "customer", "producer", "staff", "admin"])
def test_authorization_matrix(en, login, world, role, method, pattern, form):
    as_user(en, login, getattr(world.users, role, None))
    url = _fill(world, pattern)
    before = snapshot(world)

    if method == "GET":
        response = en.get(url)
    else:
        response = post(en, url, **{k: _fill(world, v) for k, v in form.items()})
    after = snapshot(world)

    if role == "anonymous":
        assert response.status_code == 302 and response.headers["Location"].startswith("/login")
    elif role != "admin":
        assert response.status_code == 403
        body = response.get_data(as_text=True)
        assert "Nguyễn Thị Lan" not in body and "lan@example.vn" not in body
    else:
        assert response.status_code == (200 if method == "GET" else 302)
        assert (after != before) == (method == "POST")
    if role != "admin":
        assert after == before


@pytest.mark.parametrize("method, pattern, form", POSTS, ids=[p for _, p, _ in POSTS])
def test_office_actions_without_the_csrf_token_are_refused(en, login, world, method, pattern, form):
    as_user(en, login, world.users.admin)
    before = snapshot(world)

    response = en.post(_fill(world, pattern), data={k: _fill(world, v) for k, v in form.items()})

    assert response.status_code == 400
    assert snapshot(world) == before


# ---- finding an order -----------------------------------------------------------------------------

def _numbers(client, query: str) -> list[str]:
    html = client.get("/admin/orders" + query).get_data(as_text=True)
    return [n for n in (client.world.lan.number, client.world.minh.number) if f">{n}</strong>" in html]


@pytest.fixture
def office(en, login, world):
    as_user(en, login, world.users.admin)
    en.world = world
    return en


@pytest.mark.parametrize("typed", ["0912 345 678", "+84 912-345-678", "84912345678", "(091) 234 5678"])
def test_the_board_finds_an_order_by_phone_written_any_way(office, typed):
    assert _numbers(office, f"?q={typed}") == [office.world.lan.number]


@pytest.mark.parametrize("typed", ["nguyen thi lan", "NGUYỄN", "Lan", "tran van minh"])
def test_the_board_finds_an_order_by_name_with_or_without_marks(office, typed):
    expected = office.world.minh.number if "minh" in typed else office.world.lan.number
    assert _numbers(office, f"?q={typed}") == [expected]


def test_the_board_finds_an_order_by_number_and_by_email(office):
    world = office.world
    assert _numbers(office, f"?q={world.minh.number.lower()}") == [world.minh.number]
    assert _numbers(office, "?q=lan@example") == [world.lan.number]
    assert _numbers(office, "?q=nobody-here") == []


def test_the_board_filters_by_status_method_point_producer_and_dates(office):
    world = office.world
    lan, minh = world.lan.number, world.minh.number
    assert _numbers(office, "?status=pending_payment") == [minh]
    assert _numbers(office, "?method=cash_at_pickup") == [lan]
    assert _numbers(office, f"?point={world.state.p.id}") == [lan]
    assert _numbers(office, f"?point={world.state.q.id}") == []
    assert _numbers(office, f"?producer={world.state.a.id}") == [lan]
    assert sorted(_numbers(office, f"?producer={world.state.b.id}")) == sorted([lan, minh])
    day = today()
    assert sorted(_numbers(office, f"?from={day}&to={day}")) == sorted([lan, minh])
    assert _numbers(office, f"?from={day + dt.timedelta(days=1)}") == []
    assert _numbers(office, f"?to={day - dt.timedelta(days=1)}") == []


@pytest.mark.parametrize("query, field", [("?from=31/12/2026", "From"), ("?from=2026-12-05&to=2026-12-01", "To"),
                                          ("?status=lost", "Status"), ("?point=abc", "Pickup point")])
def test_a_filter_that_makes_no_sense_says_which_and_shows_nothing(office, query, field):
    response = office.get("/admin/orders" + query)

    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert any(f"“{field}”" in message for message in alerts(html))
    assert result_count(html) == 0


def test_the_board_pages_through_many_orders(office, make_order, monkeypatch):
    monkeypatch.setattr("shop.admin.queries.PAGE_SIZE", 1)
    first = office.get("/admin/orders").get_data(as_text=True)
    second = office.get("/admin/orders?page=2").get_data(as_text=True)

    assert "1 / 2" in first and 'rel="next"' in first
    assert (office.world.minh.number in first) and (office.world.lan.number in second)


def test_an_unknown_order_number_is_not_found(office):
    assert office.get("/admin/orders/QN-0000-0000").status_code == 404
    assert post(office, "/admin/orders/QN-0000-0000/cancel", note="x").status_code == 404


def test_the_order_page_shows_every_part_payment_and_the_timeline(office):
    world = office.world
    html = office.get(f"/admin/orders/{world.lan.number}").get_data(as_text=True)

    for text in ("HTX Miến dong Bình Liêu", "Hộ Mạnh Hải", "Chả mực Hạ Long", "Cash at the sales point",
                 "Order placed", "lan@example.vn", "450,000"):
        assert text in html


# ---- actions --------------------------------------------------------------------------------------

def test_the_office_cancels_a_whole_order_with_its_reason_and_everyone_is_told(office):
    world = office.world
    response = post(office, f"/admin/orders/{world.lan.number}/cancel", note="Khách gọi điện hủy")

    assert response.status_code == 302
    order = db.session.get(Order, world.lan.id)
    assert order.status == OrderStatus.CANCELLED
    assert {p.status for p in order.parts} == {PartStatus.CANCELLED}
    cancelled = events_of(order)[-1]
    assert cancelled.data == {"reason": "admin", "note": "Khách gọi điện hủy"}
    assert cancelled.actor_label == "boss@example.vn"
    kinds = db.session.scalars(select(OutboxMessage.kind)).all()
    assert "order_cancelled" in kinds and "part_cancelled" in kinds
    assert "Khách gọi điện hủy" in office.get(f"/admin/orders/{world.lan.number}").get_data(as_text=True)


def test_a_cancel_without_a_reason_is_refused_and_changes_nothing(office):
    world = office.world
    before = snapshot(world)

    post(office, f"/admin/orders/{world.lan.number}/cancel", note="  ")
    post(office, f"/admin/orders/{world.lan.number}/parts/{world.noodles_part.id}/cancel", note="")

    assert snapshot(world) == before
    html = office.get(f"/admin/orders/{world.lan.number}").get_data(as_text=True)
    assert any("Please say why" in message for message in alerts(html))


def test_the_office_cancels_one_part_and_the_rest_of_the_order_goes_on(office):
    world = office.world
    post(office, f"/admin/orders/{world.lan.number}/parts/{world.noodles_part.id}/cancel", note="Hết hàng")

    db.session.expire_all()
    noodles, squid = db.session.get(Fulfillment, world.noodles_part.id), db.session.get(Fulfillment, world.squid_part.id)
    assert (noodles.status, squid.status) == (PartStatus.CANCELLED, PartStatus.NEW)
    assert noodles.cancel_reason == "Hết hàng"
    assert db.session.get(Order, world.lan.id).status != OrderStatus.CANCELLED
    assert events_of(world.lan)[-1].data["office_note"] == "Hết hàng"
    assert db.session.scalar(select(func.count(OutboxMessage.id)).where(OutboxMessage.kind == "part_cancelled")) >= 1


def test_a_part_of_another_order_is_not_found(office):
    world = office.world
    before = snapshot(world)
    response = post(office, f"/admin/orders/{world.minh.number}/parts/{world.noodles_part.id}/cancel", note="x")
    assert response.status_code == 404
    assert snapshot(world) == before


def test_acting_on_behalf_of_a_producer_names_both_in_the_timeline(office):
    world = office.world
    part = world.noodles_part.id
    for step in ("accept", "pack", "send"):
        assert post(office, f"/admin/orders/{world.lan.number}/parts/{part}/on-behalf", step=step).status_code == 302

    db.session.expire_all()
    assert db.session.get(Fulfillment, part).status == PartStatus.SENT_TO_POINT
    steps = [e for e in events_of(world.lan) if e.kind == "part_status"]
    assert [e.data["status"] for e in steps] == ["accepted", "packed", "sent_to_point"]
    assert {(e.actor_label, e.data["on_behalf_of"]) for e in steps} == {("boss@example.vn", "HTX Miến dong Bình Liêu")}
    html = office.get(f"/admin/orders/{world.lan.number}").get_data(as_text=True)
    assert "(by the OCOP office for HTX Miến dong Bình Liêu)" in html


def test_a_step_the_part_cannot_take_is_refused_with_a_message(office):
    world = office.world
    before = snapshot(world)
    post(office, f"/admin/orders/{world.lan.number}/parts/{world.noodles_part.id}/on-behalf", step="send")
    post(office, f"/admin/orders/{world.minh.number}/parts/{world.minh.parts[0].id}/on-behalf", step="accept")
    assert snapshot(world) == before
    html = office.get(f"/admin/orders/{world.minh.number}").get_data(as_text=True)
    assert any("has not paid yet" in message for message in alerts(html))


def test_resending_queues_the_last_email_of_its_kind_again_under_a_new_key(office):
    world = office.world
    first = db.session.scalar(select(OutboxMessage).where(OutboxMessage.kind == "order_placed",
                                                          OutboxMessage.recipient == "lan@example.vn"))
    for _ in range(2):
        post(office, f"/admin/orders/{world.lan.number}/resend", kind="order_placed")

    copies = db.session.scalars(select(OutboxMessage).where(OutboxMessage.kind == "order_placed",
                                                            OutboxMessage.recipient == "lan@example.vn")
                                .order_by(OutboxMessage.id)).all()
    assert [m.dedupe_key for m in copies] == [first.dedupe_key, f"{first.dedupe_key}:resent:1",
                                               f"{first.dedupe_key}:resent:2"]
    assert copies[-1].payload == first.payload
    assert [e.kind for e in events_of(world.lan)].count("message_resent") == 2


def test_resending_a_kind_the_order_never_had_is_refused(office):
    world = office.world
    before = snapshot(world)
    post(office, f"/admin/orders/{world.lan.number}/resend", kind="order_ready")
    assert snapshot(world) == before


def test_a_transfer_recorded_on_the_order_page_comes_back_to_it(office):
    world = office.world
    response = post(office, f"/admin/transfers/{world.minh.number}", amount=str(world.minh.total_vnd),
                    reference="FT123", back="order")

    assert response.headers["Location"].endswith(f"/admin/orders/{world.minh.number}")
    assert db.session.get(Payment, world.minh.payment.id).status == PaymentStatus.PAID
    html = office.get(f"/admin/orders/{world.minh.number}").get_data(as_text=True)
    assert any(world.minh.number in n for n in notices(html))


def test_cancelling_a_paid_transfer_order_owes_the_money_back_in_the_books(office):
    from shop.ledger.check import check_books

    world = office.world
    post(office, f"/admin/transfers/{world.minh.number}", amount=str(world.minh.total_vnd), reference="FT123")
    post(office, f"/admin/orders/{world.minh.number}/cancel", note="Sản phẩm bị lỗi, hoàn tiền cho khách")

    db.session.expire_all()
    assert db.session.get(Order, world.minh.id).status == OrderStatus.CANCELLED
    assert check_books() == []
    assert db.session.scalar(select(func.count(OutboxMessage.id)).where(OutboxMessage.kind == "refund_due")) == 1


def test_the_date_filters_follow_the_vietnamese_calendar_day(office):
    from sqlalchemy import update

    from shop.admin.queries import start_of

    world = office.world
    # 23:59 yesterday in Vietnam is already "today" in UTC for part of the day: the board goes by Vietnam's day.
    db.session.execute(update(Order).where(Order.id == world.lan.id)
                       .values(created_at=start_of(today()) - dt.timedelta(minutes=1)))
    db.session.commit()
    day = today()
    assert _numbers(office, f"?from={day}&to={day}") == [world.minh.number]
    assert _numbers(office, f"?from={day - dt.timedelta(days=1)}&to={day - dt.timedelta(days=1)}") == [world.lan.number]
