"""A producer's edits to a product in the shop: texts and small price changes go live and are shown to the
office; a price change of more than PRICE_CHANGE_LIVE_PERCENT waits until the office accepts it."""
import pytest
from sqlalchemy import select

from shop.audit import AuditEntry
from shop.catalog.models import Product, ProductStatus, Variant
from shop.extensions import db
from tests.web.helpers import csrf_token


@pytest.fixture
def world(make_producer, make_product, make_user, make_sales_point):
    producer = make_producer(name="HTX Miến dong Bình Liêu")
    noodles = make_product(name="Miến dong Bình Liêu", producer=producer, prices=(100_000,))
    draft = make_product(name="Miến dong mới", producer=producer, prices=(100_000,), status=ProductStatus.DRAFT)
    point = make_sales_point()
    users = {
        "customer": make_user(email="customer@example.vn"),
        "producer": make_user(email="p@example.vn", role="producer", producer_id=producer.id),
        "staff": make_user(email="staff@example.vn", role="staff", sales_point_id=point.id),
        "admin": make_user(email="admin@example.vn", role="admin"),
    }
    db.session.commit()
    return {"noodles": noodles, "draft": draft, "users": users}


def _as(app, login, world, who):
    client = app.test_client()
    assert login(client, world["users"][who].email).status_code == 302
    return client


def _prices(client, product, price):
    v = product.variants[0]
    url = f"/producer/products/{product.id}/edit"
    return client.post(f"/producer/products/{product.id}/variants?lang=en", follow_redirects=True, data={
        "csrf_token": csrf_token(client, url), f"label-{v.id}": v.label, f"price-{v.id}": str(price),
        f"weight-{v.id}": "500", f"active-{v.id}": "on"}).get_data(as_text=True)


def _variant(product):
    db.session.expire_all()
    return db.session.get(Variant, product.variants[0].id)


def test_the_rule_is_stated_on_the_producer_s_edit_page(app, login, world):
    maker = _as(app, login, world, "producer")
    page = maker.get(f"/producer/products/{world['noodles'].id}/edit?lang=en").get_data(as_text=True)
    assert "new prices within 20% of the current ones, go live at once" in page
    page = maker.get(f"/producer/products/{world['draft'].id}/edit?lang=en").get_data(as_text=True)
    assert "go live at once" not in page


def test_a_small_price_change_goes_live_and_the_office_sees_it(app, client, login, world):
    noodles = world["noodles"]
    _prices(_as(app, login, world, "producer"), noodles, 120_000)  # +20 %: within the limit
    variant = _variant(noodles)
    assert variant.price_vnd == 120_000 and variant.pending_price_vnd is None
    assert "120.000" in client.get(f"/products/{noodles.slug}").get_data(as_text=True)

    office = _as(app, login, world, "admin")
    page = office.get("/admin/products/review?lang=en").get_data(as_text=True)
    assert f'id="changed-{noodles.id}"' in page
    office.post(f"/admin/products/{noodles.id}/changes", data={
        "csrf_token": csrf_token(office, "/admin/products/review"), "action": "seen"})
    page = office.get("/admin/products/review?lang=en").get_data(as_text=True)
    assert f'id="changed-{noodles.id}"' not in page
    actions = db.session.scalars(select(AuditEntry.action).order_by(AuditEntry.id)).all()
    assert actions == ["product.variants_changed", "product.changes_seen"]


def test_a_large_price_change_waits_for_the_office(app, client, login, world):
    noodles = world["noodles"]
    page = _prices(_as(app, login, world, "producer"), noodles, 150_000)  # +50 %
    assert "wait for the OCOP office" in page
    variant = _variant(noodles)
    assert variant.price_vnd == 100_000 and variant.pending_price_vnd == 150_000
    shop_page = client.get(f"/products/{noodles.slug}").get_data(as_text=True)
    assert "100.000" in shop_page and "150.000" not in shop_page

    office = _as(app, login, world, "admin")
    page = office.get("/admin/products/review?lang=en").get_data(as_text=True)
    assert "waits for you" in page and "150,000" in page
    office.post(f"/admin/products/{noodles.id}/changes", data={
        "csrf_token": csrf_token(office, "/admin/products/review"), "action": "accept"})
    variant = _variant(noodles)
    assert variant.price_vnd == 150_000 and variant.pending_price_vnd is None
    assert db.session.get(Product, noodles.id).price_from_vnd == 150_000


def test_the_office_may_keep_the_current_price(app, login, world):
    noodles = world["noodles"]
    _prices(_as(app, login, world, "producer"), noodles, 50_000)  # −50 %
    office = _as(app, login, world, "admin")
    office.post(f"/admin/products/{noodles.id}/changes", data={
        "csrf_token": csrf_token(office, "/admin/products/review"), "action": "refuse"})
    variant = _variant(noodles)
    assert variant.price_vnd == 100_000 and variant.pending_price_vnd is None


def test_text_edits_go_live_and_are_audited(app, client, login, world):
    noodles = world["noodles"]
    maker = _as(app, login, world, "producer")
    maker.post(f"/producer/products/{noodles.id}/texts", data={
        "csrf_token": csrf_token(maker, f"/producer/products/{noodles.id}/edit"), "summary_vi": "Sợi dai, không hóa chất"})
    assert "Sợi dai, không hóa chất" in client.get(f"/products/{noodles.slug}").get_data(as_text=True)
    entry = db.session.scalar(select(AuditEntry))
    assert entry.action == "product.texts_changed" and entry.actor_id == world["users"]["producer"].id
    assert entry.after["summary"] == "Sợi dai, không hóa chất"
    db.session.expire_all()
    assert db.session.get(Product, noodles.id).changed_at is not None


def test_a_product_not_in_the_shop_takes_any_price(app, login, world):
    _prices(_as(app, login, world, "producer"), world["draft"], 900_000)
    variant = _variant(world["draft"])
    assert variant.price_vnd == 900_000 and variant.pending_price_vnd is None
    assert db.session.scalar(select(AuditEntry)) is None


@pytest.mark.parametrize("who", ["anonymous", "customer", "producer", "staff", "admin"])
def test_authorization_matrix(app, login, world, who):
    noodles = world["noodles"]
    v = noodles.variants[0]
    v.pending_price_vnd = 150_000
    db.session.commit()
    client = app.test_client() if who == "anonymous" else _as(app, login, world, who)
    response = client.post(f"/admin/products/{noodles.id}/changes", data={
        "csrf_token": csrf_token(client, f"/products/{noodles.slug}"), "action": "accept"})
    price = _variant(noodles).price_vnd
    if who == "anonymous":
        assert response.status_code == 302 and response.headers["Location"].startswith("/login")
    elif who != "admin":
        assert response.status_code == 403
    else:
        assert response.status_code == 302
    assert price == (150_000 if who == "admin" else 100_000)


def test_csrf_unknown_ids_and_unknown_actions(app, login, world):
    noodles = world["noodles"]
    office = _as(app, login, world, "admin")
    assert office.post(f"/admin/products/{noodles.id}/changes", data={"action": "seen"}).status_code == 400
    token = csrf_token(office, "/admin/products/review")
    assert office.post("/admin/products/999999/changes", data={"csrf_token": token, "action": "seen"}).status_code == 404
    page = office.post(f"/admin/products/{noodles.id}/changes?lang=en", follow_redirects=True,
                       data={"csrf_token": token, "action": "drop"}).get_data(as_text=True)
    assert "This change could not be handled." in page
    assert db.session.scalar(select(AuditEntry)) is None
