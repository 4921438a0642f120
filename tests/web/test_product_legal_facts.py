"""The office sets a product's legal facts before approving it; alcohol of unknown strength never sells online."""
import datetime as dt
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from shop.audit import AuditEntry
from shop.cart.models import Cart, CartLine
from shop.catalog.models import Product, ProductStatus
from shop.extensions import db
from shop.orders.models import Order
from tests.web.helpers import alerts, checkout_details, confirm_page, csrf_token


@pytest.fixture
def world(make_category, make_producer, make_product, make_user, make_sales_point, put_stock):
    spirits = make_category(name="Rượu trắng", set_no=14)
    fresh = make_category(name="Thịt, thủy sản, trứng, sữa tươi", set_no=2)
    plain = make_category(name="Chế biến từ rau, củ, quả, hạt", set_no=7)
    producer = make_producer(name="HTX Rượu Yên Đức")
    noodles = make_product(name="Miến dong Bình Liêu", producer=producer, category=plain)
    point = make_sales_point(code="HL01")
    put_stock(noodles.variants[0], producer, 10)
    users = {
        "customer": make_user(email="customer@example.vn"),
        "producer": make_user(email="p@example.vn", role="producer", producer_id=producer.id),
        "staff": make_user(email="staff@example.vn", role="staff", sales_point_id=point.id),
        "admin": make_user(email="admin@example.vn", role="admin"),
    }
    db.session.commit()
    return {"spirits": spirits, "fresh": fresh, "plain": plain, "producer": producer, "noodles": noodles,
            "point": point, "users": users}


def _submit(client, login, world, name, category, sku):
    """The producer sends a new product for review through its form (no ABV field there)."""
    login(client, world["users"]["producer"].email)
    response = client.post("/producer/products/new", data={
        "csrf_token": csrf_token(client, "/producer/products/new"), "name_vi": name, "category_id": category.id,
        "ocop_stars": "4", "certificate_no": "QĐ 9/QĐ-UBND", "certified_on": "2025-06-01",
        "variant_label": "Chai 500 ml", "sku": sku, "price_vnd": "180000", "weight_g": "900"})
    assert response.status_code == 302
    client.post("/logout", data={"csrf_token": csrf_token(client, "/producer/products")})
    return db.session.scalar(select(Product).where(Product.name == name))


def _office(app, login, world):
    office = app.test_client()
    login(office, world["users"]["admin"].email)
    return office


def _approve(office, product):
    return office.post(f"/admin/products/{product.id}/approve?lang=en", follow_redirects=True,
                       data={"csrf_token": csrf_token(office, "/admin/products/review")}).get_data(as_text=True)


def _facts(office, product, **form):
    return office.post(f"/admin/products/{product.id}/facts?lang=en", follow_redirects=True,
                       data={"csrf_token": csrf_token(office, "/admin/products/review"), **form}).get_data(as_text=True)


def _status(product):
    db.session.expire_all()
    return db.session.get(Product, product.id).status


def test_a_40_percent_rice_spirit_without_abv_cannot_be_approved_and_with_it_is_not_sold_online(
        app, client, login, world):
    product = _submit(client, login, world, "Rượu nếp cái hoa vàng", world["spirits"], "RUOU-NEP-500")
    office = _office(app, login, world)

    page = office.get("/admin/products/review?lang=en").get_data(as_text=True)
    assert "Cannot be published yet" in page and "the alcohol strength (ABV) is not set" in page
    page = _approve(office, product)
    assert any("cannot be published yet" in a and "ABV" in a for a in alerts(page))
    assert _status(product) == ProductStatus.WAITING_REVIEW

    # Saving the facts without an ABV is refused too: a rượu trắng must have one.
    page = _facts(office, product, sold_online="1")
    assert "A drink in an alcohol product set needs its alcohol strength (ABV)." in alerts(page)
    assert db.session.get(Product, product.id).facts_checked_at is None

    page = _facts(office, product, abv="40", sold_online="1")
    assert any("never sold online" in a for a in alerts(page))
    db.session.expire_all()
    saved = db.session.get(Product, product.id)
    assert saved.abv_percent == Decimal("40.0") and saved.sold_online is False and saved.facts_checked_at
    _approve(office, product)
    assert _status(product) == ProductStatus.PUBLISHED
    # The office's changes are in the audit log, with who and what changed (refusals wrote nothing).
    entries = db.session.scalars(select(AuditEntry).where(AuditEntry.target_id == str(product.id))
                                 .order_by(AuditEntry.id)).all()
    assert [e.action for e in entries] == ["product.legal_facts", "product.approved"]
    assert entries[0].actor_id == world["users"]["admin"].id
    assert entries[0].before == {"abv_percent": None, "sold_online": True}
    assert entries[0].after == {"abv_percent": "40.0", "sold_online": False}
    assert entries[1].after == {"status": "published"}

    # Published, shown, but not sold online: no add-to-cart form, the cart refuses it, checkout refuses it.
    shop = app.test_client()
    product = db.session.get(Product, product.id)
    page = shop.get(f"/products/{product.slug}?lang=en").get_data(as_text=True)
    assert "Rượu nếp cái hoa vàng" in page and 'action="/cart/add"' not in page
    assert "Only sold at sales points" in page
    shop.post("/cart/add", data={"csrf_token": csrf_token(shop, f"/products/{world['noodles'].slug}"),
                                 "variant_id": product.variants[0].id, "quantity": 1})
    assert db.session.scalar(select(func.count(CartLine.id))) == 0


def test_an_alcohol_product_with_unknown_abv_already_published_is_off_online_sale(app, client, world, make_product,
                                                                                   put_stock):
    """Fail closed: unknown strength in an alcohol set counts as a spirit, in the cart and in checkout."""
    wine = make_product(name="Rượu sim rừng Vân Đồn", producer=world["producer"], category=world["spirits"],
                        prices=(150_000,), abv_percent=None)
    put_stock(wine.variants[0], world["producer"], 10)
    db.session.commit()
    assert wine.can_buy_online is False

    page = client.get(f"/products/{wine.slug}?lang=en").get_data(as_text=True)
    assert 'action="/cart/add"' not in page and "has not yet recorded this drink's alcohol strength" in page
    client.post("/cart/add", data={"csrf_token": csrf_token(client, f"/products/{world['noodles'].slug}"),
                                   "variant_id": wine.variants[0].id, "quantity": 1})
    assert db.session.scalar(select(func.count(CartLine.id))) == 0

    # A line already in a cart (added before the rule) is refused at checkout, nothing ordered.
    client.post("/cart/add", data={"csrf_token": csrf_token(client, f"/products/{world['noodles'].slug}"),
                                   "variant_id": world["noodles"].variants[0].id, "quantity": 1})
    cart = db.session.scalar(select(Cart))
    db.session.add(CartLine(cart_id=cart.id, variant_id=wine.variants[0].id, quantity=1))
    db.session.commit()
    checkout_details(client, birth_date="1990-01-01", sales_point=str(world["point"].id))
    client.post("/checkout/place?lang=en", data={**confirm_page(client)[1], "method": "vietqr_transfer"})
    page = client.get("/cart?lang=en").get_data(as_text=True)
    assert "“Rượu sim rừng Vân Đồn” cannot be bought online." in alerts(page)
    assert db.session.scalar(select(func.count(Order.id))) == 0


def test_a_wine_under_15_percent_with_its_abv_set_is_approvable_and_sold_online(app, client, login, world):
    product = _submit(client, login, world, "Rượu mơ Yên Tử", world["spirits"], "RUOU-MO-500")
    office = _office(app, login, world)
    _facts(office, product, abv="13,5", sold_online="1")
    _approve(office, product)
    db.session.expire_all()
    product = db.session.get(Product, product.id)
    assert product.status == ProductStatus.PUBLISHED and product.abv_percent == Decimal("13.5")
    assert product.can_buy_online and not product.is_spirit


def test_fresh_food_waits_for_the_office_to_say_whether_it_needs_the_cold_chain(app, client, login, world):
    product = _submit(client, login, world, "Cua biển Quảng Yên", world["fresh"], "CUA-BIEN-1KG")
    office = _office(app, login, world)
    page = _approve(office, product)
    assert any("the office has not yet set its legal facts" in a for a in alerts(page))
    assert _status(product) == ProductStatus.WAITING_REVIEW
    _facts(office, product, cold_chain="1", sold_online="1")
    db.session.expire_all()
    assert db.session.get(Product, product.id).cold_chain is True
    _approve(office, product)
    assert _status(product) == ProductStatus.PUBLISHED


def test_other_products_are_approved_without_the_facts(app, client, login, world):
    product = _submit(client, login, world, "Miến dong đặc biệt", world["plain"], "MIEN-DB-500")
    _approve(_office(app, login, world), product)
    assert _status(product) == ProductStatus.PUBLISHED


@pytest.mark.parametrize("typed", ["abc", "-1", "101", "40.25", "NaN", "1e3"])
def test_a_bad_abv_is_refused_and_changes_nothing(app, client, login, world, typed):
    product = _submit(client, login, world, "Rượu nếp cái hoa vàng", world["spirits"], "RUOU-NEP-500")
    page = _facts(_office(app, login, world), product, abv=typed, cold_chain="1")
    assert "The alcohol strength is a percentage from 0 to 100, like 40 or 13,5." in alerts(page)
    db.session.expire_all()
    product = db.session.get(Product, product.id)
    assert product.abv_percent is None and product.cold_chain is False and product.facts_checked_at is None


def test_the_facts_page_of_a_published_product_and_unknown_ids(app, login, world):
    office = _office(app, login, world)
    noodles = world["noodles"]
    page = office.get(f"/admin/products/{noodles.id}/facts?lang=en").get_data(as_text=True)
    assert "Miến dong Bình Liêu" in page and "Save the legal facts" in page
    page = office.post(f"/admin/products/{noodles.id}/facts?lang=en", follow_redirects=True, data={
        "csrf_token": csrf_token(office, f"/admin/products/{noodles.id}/facts"), "back": "facts",
        "ships_abroad": "1", "sold_online": "1"}).get_data(as_text=True)
    assert "The legal facts of Miến dong Bình Liêu are saved." in page
    db.session.expire_all()
    assert db.session.get(Product, noodles.id).ships_abroad is True
    assert office.get("/admin/products/999999/facts").status_code == 404
    assert office.post("/admin/products/999999/facts", data={
        "csrf_token": csrf_token(office, "/admin/products/review")}).status_code == 404


ROUTES = [("GET", "/admin/products/{pid}/facts"), ("POST", "/admin/products/{pid}/facts")]


@pytest.mark.parametrize("method, pattern", ROUTES)
@pytest.mark.parametrize("who", ["anonymous", "customer", "producer", "staff", "admin"])
def test_authorization_matrix(app, login, world, who, method, pattern):
    client = app.test_client()
    if who != "anonymous":
        assert login(client, world["users"][who].email).status_code == 302
    noodles = world["noodles"]
    token = csrf_token(client, f"/products/{noodles.slug}")
    response = client.open(pattern.format(pid=noodles.id), method=method,
                           data={"csrf_token": token, "abv": "12", "cold_chain": "1"})
    db.session.expire_all()
    changed = db.session.get(Product, noodles.id).facts_checked_at is not None
    if who == "anonymous":
        assert response.status_code == 302 and response.headers["Location"].startswith("/login")
    elif who != "admin":
        assert response.status_code == 403
    else:
        assert response.status_code == (200 if method == "GET" else 302)
    assert changed == (who == "admin" and method == "POST")


def test_the_facts_form_without_csrf_is_refused(app, login, world):
    office = _office(app, login, world)
    response = office.post(f"/admin/products/{world['noodles'].id}/facts", data={"abv": "12"})
    assert response.status_code == 400
    db.session.expire_all()
    assert db.session.get(Product, world["noodles"].id).facts_checked_at is None
