"""The office's people: who may open the pages, finding accounts, disabling, enabling, reset links, roles."""
from __future__ import annotations

from types import SimpleNamespace

import pytest
from sqlalchemy import func, select

from shop.audit import AuditEntry
from shop.auth.models import Login, Role, User
from shop.extensions import db
from shop.notifications.models import OutboxMessage
from tests.web.helpers import alerts, csrf_token
from tests.web.test_office_orders import as_user, post, quick_passwords  # noqa: F401  (an autouse fixture)

ROLES = ["anonymous", "customer", "producer_a", "producer_b", "staff_p", "staff_q", "admin"]


@pytest.fixture
def world(two_producers_and_two_points, make_user):
    """Every role of the shared state, a customer, and two office users (so one may be disabled)."""
    state = two_producers_and_two_points
    users = SimpleNamespace(customer=make_user(email="khach@example.vn", name="Khách Hàng", phone="+84912000111"),
                            producer_a=state.user_a, producer_b=state.user_b, staff_p=state.staff_p,
                            staff_q=state.staff_q,
                            admin=make_user(email="boss@example.vn", name="Văn Phòng", role=Role.ADMIN),
                            deputy=make_user(email="pho@example.vn", name="Phó Văn Phòng", role=Role.ADMIN),
                            target=make_user(email="dich@example.vn", name="Người Được Sửa"))
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


def snapshot() -> tuple:
    db.session.rollback()
    db.session.expire_all()
    users = db.session.execute(select(User.id, User.role, User.is_active, User.producer_id, User.sales_point_id,
                                      User.session_version).order_by(User.id)).all()
    counts = [db.session.scalar(select(func.count(model.id))) for model in (Login, OutboxMessage, AuditEntry)]
    return tuple(users), tuple(counts)


# ---- the authorization matrix ---------------------------------------------------------------------

ROUTES = [
    ("GET", "/admin/people", {}),
    ("GET", "/admin/people/{target}", {}),
    ("POST", "/admin/people/{target}/disable", {"note": "Tài khoản giả"}),
    ("POST", "/admin/people/{target}/enable", {}),
    ("POST", "/admin/people/{target}/reset", {}),
    ("POST", "/admin/people/{target}/role", {"role": "staff", "sales_point_id": "{q}"}),
    ("GET", "/admin/users/invite", {}),
    ("POST", "/admin/users/invite", {"email": "moi@example.vn", "name": "Người Mới", "role": "staff",
                                     "sales_point_id": "{q}"}),
]
POSTS = [r for r in ROUTES if r[0] == "POST"]


def _fill(world, text: str) -> str:
    return text.format(target=world.users.target.id, q=world.state.q.id)


@pytest.mark.parametrize("method, pattern, form", ROUTES, ids=[f"{m} {p}" for m, p, _ in ROUTES])
@pytest.mark.parametrize("role", ROLES)
def test_authorization_matrix(en, login, world, role, method, pattern, form):
    if pattern.endswith("/enable"):
        world.users.target.is_active = False
        db.session.commit()
    as_user(en, login, getattr(world.users, role, None))
    before = snapshot()

    url = _fill(world, pattern)
    response = en.get(url) if method == "GET" else post(en, url, **{k: _fill(world, v) for k, v in form.items()})
    after = snapshot()

    if role == "anonymous":
        assert response.status_code == 302 and response.headers["Location"].startswith("/login")
    elif role != "admin":
        assert response.status_code == 403
        assert "dich@example.vn" not in response.get_data(as_text=True)
    else:
        assert response.status_code == (200 if method == "GET" else 302)
        assert (after != before) == (method == "POST")
    if role != "admin":
        assert after == before


@pytest.mark.parametrize("method, pattern, form", POSTS, ids=[p for _, p, _ in POSTS])
def test_office_actions_without_the_csrf_token_are_refused(office, method, pattern, form):
    world = office.world
    before = snapshot()

    response = office.post(_fill(world, pattern), data={k: _fill(world, v) for k, v in form.items()})

    assert response.status_code == 400
    assert snapshot() == before


@pytest.mark.parametrize("url", ["/admin/people/999999", "/admin/people/99999999999999999999"])
def test_an_unknown_account_is_not_found(office, url):
    assert office.get(url).status_code == 404
    before = snapshot()
    assert post(office, url + "/disable").status_code == 404
    assert snapshot() == before


# ---- finding people -------------------------------------------------------------------------------

def _emails(client, query: str) -> list[str]:
    html = client.get("/admin/people" + query).get_data(as_text=True)
    return sorted(u.email for u in vars(client.world.users).values() if f'<span class="sku">{u.email}</span>' in html)


def test_the_list_filters_by_role_and_finds_by_name_email_or_phone(office):
    assert _emails(office, "?role=staff") == ["hung@diem-ub02.vn", "thu@diem-hl07.vn"]
    assert _emails(office, "?role=admin") == ["boss@example.vn", "pho@example.vn"]
    assert _emails(office, "?q=Khách") == ["khach@example.vn"]
    assert _emails(office, "?q=manhhai") == ["binh@manhhai.vn"]
    assert _emails(office, "?q=0912 000 111") == ["khach@example.vn"]



@pytest.mark.parametrize("typed, found", [
    ("nguyen thi lan", ["lan@example.vn"]), ("NGUYEN THI", ["lan@example.vn"]), ("Nguyễn Thị Lan", ["lan@example.vn"]),
    ("duc", ["duc@example.vn"]), ("ĐỨC", ["duc@example.vn"]), ("tran minh d", ["duc@example.vn"]),
    ("100%", []),
])
def test_the_list_finds_a_name_without_its_marks_or_its_d(office, make_user, typed, found):
    office.world.users.lan = make_user(email="lan@example.vn", name="Nguyễn Thị Lan")
    office.world.users.duc = make_user(email="duc@example.vn", name="Trần Minh Đức")
    db.session.commit()

    assert _emails(office, f"?q={typed}") == found


# ---- disabling and enabling -----------------------------------------------------------------------

def test_disabling_ends_every_login_of_the_account_at_once(office, login, world, app):
    staff = app.test_client()
    as_user(staff, login, world.users.staff_p)
    assert staff.get("/desk/").status_code == 200

    response = post(office, f"/admin/people/{world.users.staff_p.id}/disable", note="Nghỉ việc")

    assert response.status_code == 302
    assert staff.get("/desk/").status_code == 302  # sent to the login page
    assert login(app.test_client(), world.users.staff_p.email).status_code != 302
    assert db.session.scalar(select(func.count(Login.id)).where(Login.user_id == world.users.staff_p.id)) == 0
    entry = db.session.scalars(select(AuditEntry).where(AuditEntry.action == "user.disabled")).one()
    assert (entry.target_label, entry.after, entry.note) == ("Phạm Thu", {"is_active": False}, "Nghỉ việc")

    post(office, f"/admin/people/{world.users.staff_p.id}/enable")
    assert login(app.test_client(), world.users.staff_p.email).status_code == 302


def test_the_last_active_office_user_cannot_be_disabled_nor_demoted(office, world):
    post(office, f"/admin/people/{world.users.deputy.id}/disable")  # one office user left: the one acting
    before = snapshot()

    for url, form in ((f"/admin/people/{world.users.admin.id}/disable", {}),
                      (f"/admin/people/{world.users.admin.id}/role", {"role": "customer"})):
        response = post(office, url, **form)
        assert response.status_code == 302
        page = office.get(response.headers["Location"]).get_data(as_text=True)
        assert any("no active OCOP office user left" in a for a in alerts(page))
        assert snapshot() == before


def test_an_office_user_may_disable_another_while_one_stays(office, world):
    response = post(office, f"/admin/people/{world.users.deputy.id}/disable")

    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(User, world.users.deputy.id).is_active is False


# ---- reset links and roles ------------------------------------------------------------------------

def test_the_office_sends_a_reset_link_and_the_log_says_who(office, world):
    post(office, f"/admin/people/{world.users.customer.id}/reset")

    mail = db.session.scalars(select(OutboxMessage).where(OutboxMessage.recipient == "khach@example.vn")).all()
    assert [m.kind for m in mail] == ["password_reset"]
    entry = db.session.scalars(select(AuditEntry).where(AuditEntry.action == "user.password_reset.sent")).one()
    assert entry.actor_label == "Văn Phòng <boss@example.vn>"


def test_a_disabled_account_gets_no_reset_link(office, world):
    post(office, f"/admin/people/{world.users.customer.id}/disable")
    before = snapshot()

    response = post(office, f"/admin/people/{world.users.customer.id}/reset")

    assert any("enable it before" in a for a in alerts(office.get(response.headers["Location"]).get_data(as_text=True)))
    assert snapshot() == before


def test_a_new_role_and_place_take_effect_and_end_the_persons_logins(office, login, world, app):
    staff = app.test_client()
    as_user(staff, login, world.users.staff_p)

    post(office, f"/admin/people/{world.users.staff_p.id}/role", role="staff", sales_point_id=str(world.state.q.id))

    db.session.expire_all()
    assert db.session.get(User, world.users.staff_p.id).sales_point_id == world.state.q.id
    assert staff.get("/desk/").status_code == 302
    entry = db.session.scalars(select(AuditEntry).where(AuditEntry.action == "user.role.changed")).one()
    assert (entry.before, entry.after) == ({"sales_point": "HL07"}, {"sales_point": "UB02"})


@pytest.mark.parametrize("form", [{"role": "producer"}, {"role": "staff"}, {"role": "staff", "sales_point_id": "999999"},
                                  {"role": "producer", "producer_id": "abc"}, {"role": "emperor"}])
def test_a_producer_user_needs_a_producer_and_staff_a_point(office, world, form):
    before = snapshot()

    response = post(office, f"/admin/people/{world.users.customer.id}/role", **form)

    assert any("needs its producer" in a for a in alerts(office.get(response.headers["Location"]).get_data(as_text=True)))
    assert snapshot() == before


def test_an_invitation_is_in_the_audit_log(office, world):
    token = csrf_token(office, "/admin/users/invite")
    office.post("/admin/users/invite", data={"csrf_token": token, "email": "moi@example.vn", "name": "Người Mới",
                                             "role": "producer", "producer_id": str(world.state.a.id)})

    entry = db.session.scalars(select(AuditEntry).where(AuditEntry.action == "user.invited")).one()
    assert entry.target_label == "Người Mới"
    assert entry.after == {"role": "producer", "producer": "HTX Miến dong Bình Liêu"}
