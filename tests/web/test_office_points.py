"""The office's sales points: who may open them, editing facts and weekly hours, closures that customers and
checkout respect, and closing a point for good only once no order waits there."""
from __future__ import annotations

import datetime as dt
import re
from types import SimpleNamespace

import pytest
from sqlalchemy import func, select

from shop.audit import AuditEntry
from shop.auth.models import Role
from shop.clock import today
from shop.extensions import db
from shop.notifications.models import OutboxMessage
from shop.orders.models import Order, OrderEvent, OrderEventKind, PartStatus
from shop.sales_points.models import Closure, SalesPoint
from tests.web.helpers import alerts, checkout_details, csrf_token
from tests.web.test_office_orders import as_user, en, post, quick_passwords  # noqa: F401  (fixtures: en, quick_passwords)


@pytest.fixture
def world(two_producers_and_two_points, order_with_two_parcels_for_point, make_user):
    """Points P (HL07, two staff, Lan's order waits there) and Q (UB02, no order); a closure of Q next month;
    one office user."""
    state = two_producers_and_two_points
    closure = Closure(sales_point=state.q, starts_on=today() + dt.timedelta(days=30),
                      ends_on=today() + dt.timedelta(days=31), reason="Kiểm kê")
    db.session.add(closure)
    users = SimpleNamespace(customer=make_user(email="khach@example.vn", name="Khách Hàng"), producer=state.user_a,
                            staff=state.staff_p, admin=make_user(email="boss@example.vn", name="Văn Phòng",
                                                                 role=Role.ADMIN))
    db.session.commit()
    return SimpleNamespace(state=state, p=state.p, q=state.q, closure=closure, users=users,
                           lan=order_with_two_parcels_for_point)


def edit_form(point, **changes) -> dict:
    form = {"name": point.name, "short_name": point.short_name, "town": point.town or "Uông Bí", "address": point.address,
            "ward_code": point.ward_code, "lat": str(point.lat), "lng": str(point.lng), "phone": point.phone,
            "pickup_mode": str(point.pickup_mode)}
    for day in ("Mo", "Tu", "We", "Th", "Fr", "Sa", "Su"):
        form[f"opens_{day}"], form[f"closes_{day}"] = "08:00", "21:00"
    return {**form, **changes}


def snapshot(world) -> tuple:
    db.session.rollback()
    db.session.expire_all()
    points = db.session.execute(select(SalesPoint.id, SalesPoint.name, SalesPoint.short_name, SalesPoint.lat,
                                       SalesPoint.opening_hours, SalesPoint.is_active).order_by(SalesPoint.id)).all()
    closures = db.session.execute(select(Closure.id, Closure.starts_on, Closure.ends_on).order_by(Closure.id)).all()
    audit = db.session.scalar(select(func.count(AuditEntry.id)))
    orders = db.session.execute(select(Order.id, Order.sales_point_id).order_by(Order.id)).all()
    mail = db.session.scalar(select(func.count(OutboxMessage.id)))
    return tuple(points), tuple(closures), audit, tuple(orders), mail


# ---- the authorization matrix ---------------------------------------------------------------------

ROUTES = [
    ("GET", "/admin/points", {}),
    ("GET", "/admin/points/{q}", {}),
    ("POST", "/admin/points/{q}", "edit"),
    ("POST", "/admin/points/{q}/closures", {"starts_on": "{tomorrow}", "ends_on": "{tomorrow}", "reason": "Tết"}),
    ("POST", "/admin/points/{q}/closures/{closure}/delete", {}),
    ("POST", "/admin/points/{q}/active", {"active": "0"}),
    ("POST", "/admin/points/{p}/move-orders", {"to_point_id": "{q}"}),
]
POSTS = [r for r in ROUTES if r[0] == "POST"]


def _fill(world, text: str) -> str:
    return text.format(p=world.p.id, q=world.q.id, closure=world.closure.id, tomorrow=(today() + dt.timedelta(days=1)).isoformat())


def _form(world, form) -> dict:
    if form == "edit":
        return edit_form(world.q, short_name="Uông Bí mới")
    return {k: _fill(world, v) for k, v in form.items()}


@pytest.mark.parametrize("method, pattern, form", ROUTES, ids=[f"{m} {p}" for m, p, _ in ROUTES])
@pytest.mark.parametrize("role", ["anonymous", "customer", "producer", "staff", "admin"])
def test_authorization_matrix(en, login, world, role, method, pattern, form):
    as_user(en, login, getattr(world.users, role, None))
    url = _fill(world, pattern)
    before = snapshot(world)

    response = en.get(url) if method == "GET" else post(en, url, **_form(world, form))
    after = snapshot(world)

    if role == "anonymous":
        assert response.status_code == 302 and response.headers["Location"].startswith("/login")
    elif role != "admin":
        assert response.status_code == 403
        assert "Phạm Thu" not in response.get_data(as_text=True)
    else:
        assert response.status_code == (200 if method == "GET" else 302)
        assert (after != before) == (method == "POST")
        if method == "POST":
            assert after[2] == before[2] + 1  # one audit entry per office action
    if role != "admin":
        assert after == before


@pytest.mark.parametrize("method, pattern, form", POSTS, ids=[p for _, p, _ in POSTS])
def test_office_actions_without_the_csrf_token_are_refused(en, login, world, method, pattern, form):
    as_user(en, login, world.users.admin)
    before = snapshot(world)

    response = en.post(_fill(world, pattern), data=_form(world, form))

    assert response.status_code == 400
    assert snapshot(world) == before


@pytest.mark.parametrize("url", ["/admin/points/999999", "/admin/points/{q}/closures/999999/delete"])
def test_unknown_points_and_closures_are_404(en, login, world, url):
    as_user(en, login, world.users.admin)
    url = _fill(world, url)
    response = en.get(url) if "delete" not in url else post(en, url)
    assert response.status_code == 404


# ---- editing ----------------------------------------------------------------------------------------

def test_the_list_names_every_point_with_its_open_orders_and_the_edit_page_its_staff(en, login, world):
    order_with_two_parcels_for_point = world.lan
    as_user(en, login, world.users.admin)
    html = en.get("/admin/points").get_data(as_text=True)
    assert "HL07" in html and "UB02" in html
    row = re.search(r"HL07.*?</tr>", html, re.S).group(0)
    assert re.search(r'class="num">1</td>', row)  # Lan's order waits at P

    page = en.get(f"/admin/points/{world.p.id}").get_data(as_text=True)
    assert "Phạm Thu" in page and "mai@diem-hl07.vn" in page
    assert order_with_two_parcels_for_point.number in page


def test_the_office_edits_a_point_and_customers_see_the_new_hours_and_name(en, login, world):
    as_user(en, login, world.users.admin)
    form = edit_form(world.q, name="Điểm OCOP Uông Bí (Yên Thanh)", short_name="Uông Bí", lat="21.0367",
                     lng="106.7706", phone="0203 3 854 321", opens_Su="", closes_Su="", opens_Sa="08:00",
                     closes_Sa="12:00")
    response = post(en, f"/admin/points/{world.q.id}", **form)
    assert response.status_code == 302

    db.session.expire_all()
    point = db.session.get(SalesPoint, world.q.id)
    assert point.weekly_hours == [["08:00", "21:00"]] * 5 + [["08:00", "12:00"], None]
    assert point.opening_hours == "Mo-Fr 08:00-21:00\nSa 08:00-12:00"
    assert (point.short_name, point.lat, point.phone) == ("Uông Bí", 21.0367, "0203 3 854 321")
    entry = db.session.scalars(select(AuditEntry).order_by(AuditEntry.id.desc())).first()
    assert entry.action == "sales_point.edited" and entry.actor_id == world.users.admin.id
    assert entry.before["short_name"] == "" and entry.after["short_name"] == "Uông Bí"
    assert "lng" in entry.after and "pickup_mode" not in entry.after  # only what changed

    en.post("/logout", data={"csrf_token": csrf_token(en, "/sales-points")})
    public = en.get("/sales-points/UB02").get_data(as_text=True)
    assert "Điểm OCOP Uông Bí (Yên Thanh)" in public
    assert re.search(r"Sat</dt><dd>08:00–12:00", public)
    assert "Sun" not in re.search(r'<dl class="hours">.*?</dl>', public, re.S).group(0)


@pytest.mark.parametrize("changes, message", [
    ({"lat": "10.77"}, "not in Quảng Ninh"),
    ({"lng": "abc"}, "not in Quảng Ninh"),
    ({"ward_code": "00001"}, "ward or commune"),
    ({"phone": "12"}, "phone number"),
    ({"name": ""}, "name"),
    ({"opens_We": "18:00", "closes_We": "08:00"}, "Wed"),
    ({"opens_We": "08:00", "closes_We": ""}, "Wed"),
    ({"pickup_mode": "teleport"}, "online orders"),
])
def test_bad_input_is_explained_and_changes_nothing(en, login, world, changes, message):
    as_user(en, login, world.users.admin)
    before = snapshot(world)

    response = post(en, f"/admin/points/{world.q.id}", **edit_form(world.q, short_name="X", **changes))

    assert response.status_code == 422
    assert any(message in alert for alert in alerts(response.get_data(as_text=True)))
    assert snapshot(world) == before


# ---- closures ---------------------------------------------------------------------------------------

def _checkout_to_delivery(client, variant):
    from shop.catalog.models import Product

    slug = db.session.scalar(select(Product.slug).order_by(Product.id))
    client.post("/cart/add", data={"csrf_token": csrf_token(client, f"/products/{slug}"), "variant_id": variant.id,
                                   "quantity": 1})


def test_a_point_closed_today_says_until_when_and_checkout_refuses_it(en, login, world, client, make_order):
    """The rule: while a closure covers today (Vietnam's day) the point is shown "closed until <last day>" and
    refused for pickup; a closure ahead is only told."""
    from shop.checkout.services import PointClosed

    as_user(en, login, world.users.admin)
    last = today() + dt.timedelta(days=3)
    response = post(en, f"/admin/points/{world.p.id}/closures", starts_on=today().isoformat(),
                    ends_on=last.isoformat(), reason="Sửa chữa mái")
    assert response.status_code == 302
    shown = last.strftime("%d/%m/%Y")
    en.post("/logout", data={"csrf_token": csrf_token(en, "/sales-points")})
    client.set_cookie("lang", "vi")  # now a Vietnamese visitor

    public = client.get("/sales-points/HL07").get_data(as_text=True)
    assert f"Đóng cửa đến {shown}" in public and "Sửa chữa mái" in public

    _checkout_to_delivery(client, world.state.noodles)
    page = client.get("/checkout").get_data(as_text=True)
    choice = re.search(rf'<input type="radio" name="sales_point" value="{world.p.id}"[^>]*>', page).group(0)
    assert "disabled" in choice and f"Đóng cửa đến {shown}" in page
    response = checkout_details(client, sales_point=str(world.p.id))
    assert response.status_code == 200 and f"đóng cửa đến {shown}" in response.get_data(as_text=True).lower()
    with pytest.raises(PointClosed):
        make_order(point=world.p)
    assert make_order(point=world.q).sales_point_id == world.q.id  # the point next door still takes orders


def test_a_closure_ahead_is_told_but_does_not_refuse_the_point(en, world, make_order):
    public = en.get("/sales-points/UB02").get_data(as_text=True)
    first = (today() + dt.timedelta(days=30)).strftime("%b")
    assert "Closed from" in public and "Kiểm kê" in public and first in public
    assert make_order(point=world.q).sales_point_id == world.q.id


@pytest.mark.parametrize("starts, ends, reason, message", [
    ("2026-13-01", "", "Tết", "first and last day"),
    ("{tomorrow}", "{today}", "Tết", "first and last day"),
    ("{yesterday}", "{yesterday}", "Tết", "already over"),
    ("{tomorrow}", "{tomorrow}", "", "why the point is closed"),
])
def test_bad_closures_are_explained_and_change_nothing(en, login, world, starts, ends, reason, message):
    as_user(en, login, world.users.admin)
    before = snapshot(world)
    days = {"today": today().isoformat(), "tomorrow": (today() + dt.timedelta(days=1)).isoformat(),
            "yesterday": (today() - dt.timedelta(days=1)).isoformat()}

    response = post(en, f"/admin/points/{world.q.id}/closures", starts_on=starts.format(**days),
                    ends_on=ends.format(**days), reason=reason)

    assert response.status_code == 422
    assert any(message in alert for alert in alerts(response.get_data(as_text=True)))
    assert snapshot(world) == before


# ---- closing a point for good -----------------------------------------------------------------------

def test_a_point_with_open_orders_cannot_close_and_the_orders_are_listed(en, login, world):
    order_with_two_parcels_for_point = world.lan
    as_user(en, login, world.users.admin)
    before = snapshot(world)

    response = post(en, f"/admin/points/{world.p.id}/active", active="0")

    assert response.status_code == 409
    html = response.get_data(as_text=True)
    assert "still has open orders" in alerts(html)[0]
    assert order_with_two_parcels_for_point.number in re.search(r'id="h-blocking".*?</section>', html, re.S).group(0)
    assert snapshot(world) == before


def test_a_point_without_open_orders_closes_leaves_the_shop_and_opens_again(en, login, world, client):
    as_user(en, login, world.users.admin)
    assert post(en, f"/admin/points/{world.q.id}/active", active="0").status_code == 302
    assert client.get("/sales-points/UB02").status_code == 404
    assert "UB02" not in client.get("/sales-points").get_data(as_text=True)
    entry = db.session.scalars(select(AuditEntry).order_by(AuditEntry.id.desc())).first()
    assert (entry.action, entry.before, entry.after) == ("sales_point.deactivated", {"is_active": True},
                                                         {"is_active": False})

    assert post(en, f"/admin/points/{world.q.id}/active", active="1").status_code == 302
    assert client.get("/sales-points/UB02").status_code == 200


def test_the_office_moves_the_open_orders_then_the_point_closes_for_good(en, login, world):
    as_user(en, login, world.users.admin)

    response = post(en, f"/admin/points/{world.p.id}/move-orders", to_point_id=str(world.q.id))

    assert response.status_code == 302
    db.session.expire_all()
    order = db.session.get(Order, world.lan.id)
    assert (order.sales_point_id, order.sales_point_code, order.sales_point_name) == (world.q.id, "UB02",
                                                                                      "Điểm OCOP Uông Bí")
    event = db.session.scalars(select(OrderEvent).where(OrderEvent.order_id == order.id)
                               .order_by(OrderEvent.id.desc())).first()
    assert (event.kind, event.data, event.actor_label) == (OrderEventKind.POINT_CHANGED,
                                                          {"previous": "HL07", "point": "UB02"}, "boss@example.vn")
    mail = db.session.scalars(select(OutboxMessage).where(OutboxMessage.kind == "pickup_point_changed")
                              .order_by(OutboxMessage.id.desc())).first()
    assert (mail.kind, mail.recipient, mail.payload["sales_point"]["code"]) == ("pickup_point_changed",
                                                                                "lan@example.vn", "UB02")
    entry = db.session.scalars(select(AuditEntry).order_by(AuditEntry.id.desc())).first()
    assert entry.action == "order.pickup_point_moved" and entry.after["sales_point"].startswith("UB02")
    timeline = en.get(f"/admin/orders/{order.number}").get_data(as_text=True)
    assert "Pickup moved from HL07 to UB02 by the OCOP office" in timeline

    assert post(en, f"/admin/points/{world.p.id}/active", active="0").status_code == 302
    assert db.session.get(SalesPoint, world.p.id).is_active is False


def test_moving_the_orders_tells_each_producer_once_where_its_parcel_goes_now(en, login, world):
    from shop.notifications.outbox import enqueue
    from shop.notifications.rendering import render
    from shop.orders.part_messages import part_destination_changed

    as_user(en, login, world.users.admin)

    post(en, f"/admin/points/{world.p.id}/move-orders", to_point_id=str(world.q.id))

    mail = db.session.scalars(select(OutboxMessage).order_by(OutboxMessage.id)).all()
    told = sorted((m.recipient, m.payload["part_id"]) for m in mail if m.kind == "part_destination_changed")
    parts = {part.producer_id: part.id for part in world.lan.parts}
    assert told == [("an@htx.vn", parts[world.state.a.id]), ("binh@manhhai.vn", parts[world.state.b.id])]
    assert [m.recipient for m in mail if m.kind == "pickup_point_changed"] == ["lan@example.vn"]
    to_an = next(m for m in mail if m.recipient == "an@htx.vn" and m.kind == "part_destination_changed")
    text = render(to_an).get_body(("plain",)).get_content()
    assert "Điểm OCOP Uông Bí" in text and "HL07" in text and "không gửi đến điểm cũ" in text

    order = db.session.get(Order, world.lan.id)
    assert enqueue(*(part_destination_changed(order, part, "HL07") for part in order.parts)) == 0  # once
    db.session.rollback()


def test_an_order_whose_goods_are_at_the_point_stays_and_is_named(en, login, world):
    as_user(en, login, world.users.admin)
    world.lan.parts[0].status = PartStatus.AT_POINT
    db.session.commit()
    before = snapshot(world)

    response = post(en, f"/admin/points/{world.p.id}/move-orders", to_point_id=str(world.q.id))

    assert response.status_code == 302
    html = en.get(response.headers["Location"]).get_data(as_text=True)
    assert any(world.lan.number in alert and "at this point already" in alert for alert in alerts(html))
    assert snapshot(world) == before


@pytest.mark.parametrize("target", ["same", "unknown", "closed_today"])
def test_orders_cannot_move_to_a_point_that_cannot_take_them(en, login, world, target):
    as_user(en, login, world.users.admin)
    if target == "closed_today":
        db.session.add(Closure(sales_point_id=world.q.id, starts_on=today(), ends_on=today(), reason="Mất điện"))
        db.session.commit()
    before = snapshot(world)
    to = {"same": world.p.id, "unknown": 999999, "closed_today": world.q.id}[target]

    response = post(en, f"/admin/points/{world.p.id}/move-orders", to_point_id=str(to))

    assert response.status_code == 422
    assert any("cannot move there" in alert for alert in alerts(response.get_data(as_text=True)))
    assert snapshot(world) == before
