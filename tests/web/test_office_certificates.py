"""The office owns OCOP certificates: who may see and change them, recording a decision with its scan,
the lists, what the shop shows and sells once a certificate ends, and the reminders before it does."""
from __future__ import annotations

import datetime as dt
import io
import os
import re
from types import SimpleNamespace

import pytest
from sqlalchemy import func, select

from shop.audit import AuditEntry
from shop.auth.models import Role
from shop.cart.models import CartLine
from shop.catalog import certificates as records
from shop.catalog.models import Certificate, Product
from shop.clock import today
from shop.extensions import db
from shop.notifications.models import OutboxMessage
from shop.notifications.rendering import render
from tests.web.helpers import alerts, card_titles, csrf_token

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


@pytest.fixture(autouse=True)
def quick_passwords(monkeypatch):
    from functools import partial

    from werkzeug.security import generate_password_hash

    monkeypatch.setattr("shop.auth.models.generate_password_hash", partial(generate_password_hash, method="pbkdf2:sha256:1"))


@pytest.fixture
def world(two_producers_and_two_points, make_user, client):
    """Producer A's noodles with one recorded decision and its scan; producer B; the office; a customer."""
    state = two_producers_and_two_points
    office = make_user(email="boss@example.vn", name="Văn Phòng", role=Role.ADMIN)
    customer = make_user(email="khach@example.vn", name="Khách Hàng")
    db.session.commit()
    noodles = state.noodles.product
    with client.application.test_request_context():
        first = records.record_certificate(noodles.id, office, records.CertificateInput(
            stars=4, decision_no="1234/QĐ-UBND", decided_on=today() - dt.timedelta(days=400),
            issuer="Ủy ban nhân dân tỉnh Quảng Ninh"), PDF)
    users = SimpleNamespace(anonymous=None, customer=customer, producer_a=state.user_a, producer_b=state.user_b,
                            staff_p=state.staff_p, staff_q=state.staff_q, office=office)
    return SimpleNamespace(state=state, noodles=noodles, certificate_id=first.id, users=users)


def as_user(client, login, user):
    client.set_cookie("lang", "en")
    if user is not None:
        assert login(client, user.email).status_code == 302
    return client


def post(client, url, data, **kw):
    logged_in = "/logout" in client.get("/sales-points").get_data(as_text=True)
    token = csrf_token(client, "/sales-points" if logged_in else "/login")
    return client.post(url, data={"csrf_token": token, **data}, **kw)


def snapshot(world):
    db.session.rollback()
    db.session.expire_all()
    product = db.session.get(Product, world.noodles.id)
    return (product.ocop_stars, product.ocop_certificate_no, product.ocop_certified_on, product.ocop_reevaluation,
            product.sold_when_expired, db.session.scalar(select(func.count(Certificate.id))),
            db.session.scalar(select(func.count(AuditEntry.id))))


def decision(**changes) -> dict:
    form = {"stars": "5", "decision_no": "DEMO 88/QĐ-BNNMT", "decided_on": (today() - dt.timedelta(days=3)).isoformat(),
            "issuer": "Bộ Nông nghiệp và Môi trường", "growing_area_code": "VN-QNI-0042", "traceability_code": "QN-TX-1"}
    form.update(changes)
    return form


def correction(**changes) -> dict:
    """The current decision of the world as typed again, its number fixed (1234 was a typo of 1243)."""
    form = {"decision_no": "1243/QĐ-UBND", "decided_on": (today() - dt.timedelta(days=400)).isoformat(),
            "issuer": "Ủy ban nhân dân tỉnh Quảng Ninh", "reason": "Gõ nhầm số quyết định"}
    form.update(changes)
    return form


# ---- the authorization matrix ---------------------------------------------------------------------

ROUTES = [
    ("GET", "/admin/certificates", None),
    ("GET", "/admin/certificates?show=expired", None),
    ("GET", "/admin/products/{product}/certificate", None),
    ("POST", "/admin/products/{product}/certificate", decision()),
    ("POST", "/admin/products/{product}/certificate/flags", {"reevaluation": "1"}),
    ("POST", "/admin/products/{product}/certificate/correct", correction()),
    ("GET", "/admin/certificates/{certificate}/scan", None),
]
ROLES = ["anonymous", "customer", "producer_a", "producer_b", "staff_p", "staff_q", "office"]


@pytest.mark.parametrize("method, pattern, form", ROUTES, ids=[f"{m} {p}" for m, p, _ in ROUTES])
@pytest.mark.parametrize("role", ROLES)
def test_authorization_matrix(client, login, world, role, method, pattern, form):
    as_user(client, login, getattr(world.users, role))
    url = pattern.format(product=world.noodles.id, certificate=world.certificate_id)
    before = snapshot(world)

    response = client.get(url) if method == "GET" else post(client, url, form)
    after = snapshot(world)

    if role == "anonymous":
        assert response.status_code == 302 and response.headers["Location"].startswith("/login")
    elif role != "office":
        assert response.status_code == 403
        assert "1234/QĐ-UBND" not in response.get_data(as_text=True)
    else:
        assert response.status_code == (200 if method == "GET" else 302)
        assert (after != before) == (method == "POST")
    if role != "office":
        assert after == before


@pytest.mark.parametrize("role, status", [("anonymous", 302), ("customer", 403), ("staff_p", 403),
                                          ("producer_b", 404), ("producer_a", 200)])
def test_only_the_products_own_producer_downloads_its_scan_in_the_producer_workspace(client, login, world, role, status):
    as_user(client, login, getattr(world.users, role))
    response = client.get(f"/producer/products/{world.noodles.id}/certificates/{world.certificate_id}/scan")
    assert response.status_code == status
    if status == 200:
        edit = client.get(f"/producer/products/{world.noodles.id}/edit").get_data(as_text=True)
        assert f"/producer/products/{world.noodles.id}/certificates/{world.certificate_id}/scan" in edit
        assert response.data == PDF and response.mimetype == "application/pdf"
        assert response.headers["Content-Disposition"].startswith("attachment")
        assert "no-store" in response.headers["Cache-Control"]


def test_the_office_scan_route_serves_the_pdf_and_an_unknown_id_is_404(client, login, world):
    as_user(client, login, world.users.office)
    response = client.get(f"/admin/certificates/{world.certificate_id}/scan")
    assert response.status_code == 200 and response.data == PDF
    assert client.get("/admin/certificates/999999/scan").status_code == 404
    assert client.get("/admin/products/999999/certificate").status_code == 404
    assert post(client, "/admin/products/999999/certificate", decision()).status_code == 404
    assert post(client, "/admin/products/999999/certificate/flags", {}).status_code == 404
    assert post(client, "/admin/products/999999/certificate/correct", correction()).status_code == 404


@pytest.mark.parametrize("url", ["/admin/products/{product}/certificate", "/admin/products/{product}/certificate/flags",
                                 "/admin/products/{product}/certificate/correct"])
def test_office_actions_without_the_csrf_token_are_refused(client, login, world, url):
    as_user(client, login, world.users.office)
    before = snapshot(world)
    response = client.post(url.format(product=world.noodles.id), data={**decision(reevaluation="1"), "reason": "x"})
    assert response.status_code == 400 and snapshot(world) == before


# ---- recording a decision ---------------------------------------------------------------------------

def test_a_renewal_becomes_the_current_certificate_keeps_the_history_and_is_audited(client, login, world):
    as_user(client, login, world.users.office)
    response = post(client, f"/admin/products/{world.noodles.id}/certificate",
                    {**decision(), "scan": (io.BytesIO(PDF), "quyet-dinh.pdf")},
                    content_type="multipart/form-data", follow_redirects=True)
    html = response.get_data(as_text=True)

    assert response.status_code == 200 and "Decision DEMO 88/QĐ-BNNMT is recorded." in html
    product = db.session.get(Product, world.noodles.id)
    assert (product.ocop_stars, product.ocop_certificate_no) == (5, "DEMO 88/QĐ-BNNMT")
    assert product.ocop_expires_on == dt.date.fromisoformat(decision()["decided_on"]).replace(
        year=dt.date.fromisoformat(decision()["decided_on"]).year + 3) or product.ocop_expires_on
    assert product.growing_area_code == "VN-QNI-0042"
    assert [c.decision_no for c in product.certificates] == ["DEMO 88/QĐ-BNNMT", "1234/QĐ-UBND"]
    assert [c.issuer for c in product.certificates] == ["Bộ Nông nghiệp và Môi trường", "Ủy ban nhân dân tỉnh Quảng Ninh"]
    assert "Ủy ban nhân dân tỉnh Quảng Ninh" in html and "Bộ Nông nghiệp và Môi trường" in html
    entry = db.session.scalars(select(AuditEntry).order_by(AuditEntry.id.desc())).first()
    assert entry.action == "certificate.recorded" and entry.actor_id == world.users.office.id
    assert entry.before["decision_no"] == "1234/QĐ-UBND" and entry.after["decision_no"] == "DEMO 88/QĐ-BNNMT"
    # The shop page names the recorded issuer, and says a scan is on file without offering it.
    page = client.get(f"/products/{product.slug}").get_data(as_text=True)
    assert "Bộ Nông nghiệp và Môi trường" in page and "scan of the decision on file" in page
    assert "/scan" not in page


def test_a_typo_in_the_current_decision_is_corrected_in_place_with_the_reason_in_the_audit_log(client, login, world):
    as_user(client, login, world.users.office)
    first_day = today() - dt.timedelta(days=399)

    response = post(client, f"/admin/products/{world.noodles.id}/certificate/correct",
                    correction(decided_on=first_day.isoformat(), issuer="UBND tỉnh Quảng Ninh"), follow_redirects=True)

    html = response.get_data(as_text=True)
    assert response.status_code == 200 and "Decision 1243/QĐ-UBND is corrected." in html
    [certificate] = db.session.get(Product, world.noodles.id).certificates  # corrected, not a second row
    assert (certificate.id, certificate.decision_no, certificate.decided_on, certificate.issuer) == (
        world.certificate_id, "1243/QĐ-UBND", first_day, "UBND tỉnh Quảng Ninh")
    product = db.session.get(Product, world.noodles.id)
    assert (product.ocop_certificate_no, product.ocop_certified_on, product.ocop_expires_on) == (
        "1243/QĐ-UBND", first_day, certificate.expires_on)
    assert certificate.expires_on == records.certificate_expiry(first_day)
    entry = db.session.scalars(select(AuditEntry).order_by(AuditEntry.id.desc())).first()
    assert (entry.action, entry.actor_id, entry.note) == ("certificate.corrected", world.users.office.id,
                                                           "Gõ nhầm số quyết định")
    assert entry.before["decision_no"] == "1234/QĐ-UBND" and entry.after["decision_no"] == "1243/QĐ-UBND"
    assert entry.after["decided_on"] == first_day.isoformat() and entry.after["issuer"] == "UBND tỉnh Quảng Ninh"
    assert "OCOP decision corrected" in client.get("/admin/audit").get_data(as_text=True)


@pytest.mark.parametrize("changes, message", [
    ({"reason": " "}, "Please say why the decision is corrected"),
    ({"decision_no": "1234/QĐ-UBND"}, "Nothing to correct"),
    ({"decided_on": (today() + dt.timedelta(days=1)).isoformat()}, "not in the future"),
    ({"issuer": ""}, "the body that signed the decision"),
])
def test_a_bad_correction_is_refused_with_a_message_and_changes_nothing(client, login, world, changes, message):
    as_user(client, login, world.users.office)
    before = snapshot(world)

    response = post(client, f"/admin/products/{world.noodles.id}/certificate/correct", correction(**changes))

    assert response.status_code == 400 and any(message in a for a in alerts(response.get_data(as_text=True)))
    assert snapshot(world) == before


def test_an_older_decision_joins_the_history_without_replacing_the_current_one(client, login, world):
    as_user(client, login, world.users.office)
    post(client, f"/admin/products/{world.noodles.id}/certificate",
         decision(stars="3", decision_no="77/QĐ-UBND", decided_on="2019-05-02", issuer="Ủy ban nhân dân huyện Bình Liêu"))
    product = db.session.get(Product, world.noodles.id)
    assert (product.ocop_stars, product.ocop_certificate_no) == (4, "1234/QĐ-UBND")
    assert [c.decision_no for c in product.certificates] == ["1234/QĐ-UBND", "77/QĐ-UBND"]


@pytest.mark.parametrize("changes, upload, message", [
    ({}, (b"GIF89a not a pdf", "scan.pdf"), "Please upload the scanned decision as a PDF file."),
    ({}, (b"%PDF-" + b"0" * (8 * 1024 * 1024), "big.pdf"), "at most 8 MB"),
    ({"issuer": "  "}, None, "Please enter the body that signed the decision"),
    ({"decision_no": ""}, None, "Please enter the decision number"),
    ({"decided_on": (today() + dt.timedelta(days=1)).isoformat()}, None, "Please enter the date of the decision"),
    ({"decided_on": "29/02/2024"}, None, "Please enter the date of the decision"),
    ({"stars": "2"}, None, "OCOP stars are 3, 4 or 5."),
    ({"stars": "٥"}, None, "OCOP stars are 3, 4 or 5."),
])
def test_a_bad_decision_is_refused_with_a_message_and_changes_nothing(client, login, world, changes, upload, message):
    as_user(client, login, world.users.office)
    before = snapshot(world)
    files = set(os.listdir(records.scan_dir()))
    data = decision(**changes)
    if upload:
        data["scan"] = (io.BytesIO(upload[0]), upload[1])
    response = post(client, f"/admin/products/{world.noodles.id}/certificate", data, content_type="multipart/form-data")
    assert response.status_code == 400
    assert any(message in alert for alert in alerts(response.get_data(as_text=True)))
    assert snapshot(world) == before and set(os.listdir(records.scan_dir())) == files


# ---- expiry: what the shop shows and sells ------------------------------------------------------------

def test_an_expired_product_loses_its_stars_filters_and_highlights_and_is_not_sold_unless_allowed(
        client, login, world, make_product):
    noodles = world.noodles
    live5 = make_product(name="Ngọc trai Hạ Long", stars=5)
    noodles.ocop_stars = 5
    noodles.ocop_certified_on = today() - dt.timedelta(days=3 * 366)
    noodles.ocop_expires_on = today() - dt.timedelta(days=1)
    db.session.commit()
    client.set_cookie("lang", "en")

    assert card_titles(client.get("/products?stars=5").get_data(as_text=True)) == [live5.name]
    home = card_titles(client.get("/").get_data(as_text=True))
    assert live5.name in home and noodles.name not in home
    page = client.get(f"/products/{noodles.slug}").get_data(as_text=True)
    assert "OCOP certificate expired" in page and "OCOP product, 5 stars" not in page
    assert "Add to cart" not in page
    post(client, "/cart/add", {"variant_id": world.state.noodles.id, "quantity": "1"})
    assert db.session.scalar(select(func.count(CartLine.id))) == 0

    as_user(client, login, world.users.office)
    post(client, f"/admin/products/{noodles.id}/certificate/flags", {"sold_when_expired": "1"})
    client.get("/logout")
    page = client.get(f"/products/{noodles.slug}").get_data(as_text=True)
    assert "Add to cart" in page and "OCOP certificate expired" in page and "OCOP product, 5 stars" not in page
    assert card_titles(client.get("/products?stars=5").get_data(as_text=True)) == [live5.name]


def test_expiry_follows_vietnams_date_on_the_last_day(client, world, monkeypatch):
    noodles = world.noodles
    noodles.ocop_expires_on = dt.date(2026, 6, 10)
    db.session.commit()
    client.set_cookie("lang", "en")
    # 16:59 UTC on 10 June is 23:59 in Vietnam: still the last valid day.
    monkeypatch.setattr("shop.clock.now", lambda: dt.datetime(2026, 6, 10, 16, 59, tzinfo=dt.UTC))
    assert "OCOP product, 4 stars" in client.get(f"/products/{noodles.slug}").get_data(as_text=True)
    monkeypatch.setattr("shop.clock.now", lambda: dt.datetime(2026, 6, 10, 17, 1, tzinfo=dt.UTC))
    assert "OCOP product, 4 stars" not in client.get(f"/products/{noodles.slug}").get_data(as_text=True)


def test_re_evaluation_pending_is_shown_and_keeps_the_stars_while_the_certificate_is_valid(client, login, world):
    as_user(client, login, world.users.office)
    post(client, f"/admin/products/{world.noodles.id}/certificate/flags", {"reevaluation": "1"})
    listing = client.get("/admin/certificates?show=reevaluation").get_data(as_text=True)
    assert world.noodles.name in listing
    page = client.get(f"/products/{world.noodles.slug}?lang=vi").get_data(as_text=True)
    assert "Đang đánh giá lại" in page or "đang đánh giá lại" in page
    assert "OCOP product, 4 stars" in client.get(f"/products/{world.noodles.slug}?lang=en").get_data(as_text=True)
    entry = db.session.scalars(select(AuditEntry).order_by(AuditEntry.id.desc())).first()
    assert entry.action == "certificate.flags" and entry.after == {"reevaluation": True}


def test_the_lists_sort_products_into_ending_soon_and_ended(client, login, world, make_product):
    soon = make_product(name="Rượu mơ Yên Tử", expires_on=today() + dt.timedelta(days=30))
    ended = make_product(name="Nước mắm Cái Rồng", expires_on=today() - dt.timedelta(days=2))
    make_product(name="Chè Đường Hoa", expires_on=today() + dt.timedelta(days=200))
    db.session.commit()
    as_user(client, login, world.users.office)
    expiring = client.get("/admin/certificates").get_data(as_text=True)
    expired = client.get("/admin/certificates?show=expired").get_data(as_text=True)
    assert soon.name in expiring and ended.name not in expiring and "Chè Đường Hoa" not in expiring
    assert ended.name in expired and soon.name not in expired
    assert "Ended (1)" in expired


# ---- reminders ---------------------------------------------------------------------------------------

def run_remind(app, at: str) -> str:
    result = app.test_cli_runner().invoke(args=["certificates", "remind", "--now", at])
    assert result.exit_code == 0, result.output
    return result.output


def test_reminders_go_to_the_office_and_the_producer_90_60_30_days_ahead_once_each(app, world):
    noodles = world.noodles
    noodles.ocop_expires_on = dt.date(2027, 3, 31)
    db.session.commit()

    assert "Reminded: 0" in run_remind(app, "2026-12-30T09:00")  # 91 days ahead
    assert "Reminded: 1" in run_remind(app, "2026-12-31T09:00")  # 90 days ahead
    assert "Reminded: 0" in run_remind(app, "2026-12-31T18:00")  # the same day again
    assert "Reminded: 0" in run_remind(app, "2027-01-20T09:00")
    assert "Reminded: 1" in run_remind(app, "2027-02-15T09:00")  # a missed day 60 catches up once
    assert "Reminded: 1" in run_remind(app, "2027-03-31T23:00")  # the last day, 30 days' reminder missed
    assert "Reminded: 0" in run_remind(app, "2027-04-01T09:00")  # expired: nothing more

    messages = db.session.scalars(select(OutboxMessage).where(OutboxMessage.kind == "certificate_expiring")
                                  .order_by(OutboxMessage.id)).all()
    assert [(m.recipient, m.payload["days_ahead"]) for m in messages] == [
        (app.config["OPERATOR_EMAIL"], 90), ("an@htx.vn", 90),
        (app.config["OPERATOR_EMAIL"], 60), ("an@htx.vn", 60),
        (app.config["OPERATOR_EMAIL"], 30), ("an@htx.vn", 30)]
    producer_mail = render(messages[1]).get_body(("plain",)).get_content()
    assert "Hoàng An" in producer_mail and noodles.name in producer_mail and "31/03/2027" in producer_mail
    assert f"/producer/products/{noodles.id}/edit" in producer_mail
    assert f"/admin/products/{noodles.id}/certificate" in render(messages[0]).get_body(("plain",)).get_content()


def test_a_renewal_starts_the_reminders_again_for_the_new_expiry(app, world):
    world.noodles.ocop_expires_on = dt.date(2027, 3, 31)
    db.session.commit()
    run_remind(app, "2027-03-05T09:00")
    world.noodles.ocop_expires_on = dt.date(2027, 4, 4)
    db.session.commit()
    assert "Reminded: 1" in run_remind(app, "2027-03-06T09:00")


def test_the_office_home_counts_what_the_ending_soon_list_shows(client, login, world, make_product):
    make_product(name="Rượu mơ Yên Tử", expires_on=today() + dt.timedelta(days=30))
    make_product(name="Nước mắm Cái Rồng", expires_on=today() - dt.timedelta(days=2))
    db.session.commit()
    as_user(client, login, world.users.office)
    home = client.get("/admin/").get_data(as_text=True)
    listing = client.get("/admin/certificates").get_data(as_text=True)
    assert re.search(r"<strong>1</strong>\s*OCOP certificates ending within 90 days", home)
    assert "Ending within 90 days (1)" in listing
