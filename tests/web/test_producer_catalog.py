"""The producer's products, pictures, stock and report pages, and the office's review and invitations, by role and owner."""
import io
import os
import re

import pytest
from flask_babel import force_locale, gettext
from sqlalchemy import select

from shop.auth.models import User
from shop.catalog import media
from shop.catalog.models import Product, ProductImage, ProductStatus
from shop.extensions import db
from shop.inventory.models import Stock, StockAdjustment
from shop.notifications.models import OutboxMessage
from tests.unit.test_media import jpeg_with_exif, png_bytes, png_claiming
from tests.web.helpers import alerts, csrf_token


@pytest.fixture
def world(make_producer, make_product, make_user, make_sales_point, put_stock):
    """Producers A and B with a product each, a user of every role, a public page for CSRF tokens."""
    a, b = make_producer(name="HTX Miến dong A"), make_producer(name="HTX Chè B")
    product_a = make_product(name="Miến dong Bình Liêu", producer=a, prices=(120_000, 220_000))
    product_b = make_product(name="Chè Đường Hoa", producer=b)
    put_stock(product_a.variants[0], a, 10, allocated=2)
    put_stock(product_b.variants[0], b, 7)
    point = make_sales_point()
    users = {
        "customer": make_user(email="customer@example.vn"),
        "producer_a": make_user(email="a@example.vn", role="producer", producer_id=a.id),
        "producer_b": make_user(email="b@example.vn", role="producer", producer_id=b.id),
        "staff": make_user(email="staff@example.vn", role="staff", sales_point_id=point.id),
        "admin": make_user(email="admin@example.vn", role="admin"),
    }
    image = ProductImage(product=product_a, stem="a" * 32, width=800, height=600)
    db.session.add(image)
    db.session.commit()
    return {"a": a, "b": b, "product_a": product_a, "product_b": product_b, "users": users, "image": image,
            "point": point}


def as_user(client, login, world, who):
    if who != "anonymous":
        response = login(client, world["users"][who].email)
        assert response.status_code == 302, who
    return client


def token(client, world):
    return csrf_token(client, f"/products/{world['product_a'].slug}")


def producer_routes(world):
    pid, img, vid = world["product_a"].id, world["image"].id, world["product_a"].variants[0].id
    return [
        ("GET", "/producer/products", {}),
        ("GET", "/producer/products/new", {}),
        ("GET", f"/producer/products/{pid}/edit", {}),
        ("GET", "/producer/stock", {}),
        ("GET", "/producer/report", {}),
        ("GET", "/producer/report.csv", {}),
        ("POST", f"/producer/products/{pid}/texts", {"summary_vi": "x"}),
        ("POST", f"/producer/products/{pid}/variants", {}),
        ("POST", f"/producer/products/{pid}/variants/new", {"label": "x", "sku": "NEW-1", "price_vnd": "5000"}),
        ("POST", f"/producer/products/{pid}/submit", {}),
        ("POST", f"/producer/products/{pid}/pictures", {}),
        ("POST", f"/producer/products/{pid}/pictures/{img}/delete", {}),
        ("POST", f"/producer/products/{pid}/pictures/{img}", {"alt": "x"}),
        ("POST", "/producer/stock", {"variant_id": vid, "quantity": "9", "reason": "count"}),
        ("POST", "/producer/stock/import", {}),
    ]


ADMIN_ROUTES = [("POST", "/admin/products/{pid}/changes"), ("GET", "/admin/products/review"), ("GET", "/admin/users/invite"), ("GET", "/admin/products/{pid}/facts"),
                ("POST", "/admin/products/{pid}/facts"),
                ("POST", "/admin/products/{pid}/approve"), ("POST", "/admin/products/{pid}/return"),
                ("POST", "/admin/users/invite")]


@pytest.mark.parametrize("who, expected", [("anonymous", 302), ("customer", 403), ("staff", 403), ("admin", 403)])
def test_only_producers_open_the_producer_screens(client, login, world, who, expected):
    as_user(client, login, world, who)
    csrf = token(client, world)
    for method, url, data in producer_routes(world):
        response = client.open(url, method=method, data={"csrf_token": csrf, **data})
        assert response.status_code == expected, (who, method, url)
        if who == "anonymous":
            assert response.headers["Location"].startswith("/login?next=")
    assert db.session.scalar(select(StockAdjustment.id)) is None


def test_producer_a_opens_its_own_screens(client, login, world):
    as_user(client, login, world, "producer_a")
    for method, url, _ in producer_routes(world):
        if method == "GET":
            assert client.get(url).status_code == 200, url


def test_producer_b_gets_404_for_every_one_of_a_s_products_and_changes_nothing(client, login, world):
    as_user(client, login, world, "producer_b")
    csrf = token(client, world)
    before = (world["product_a"].summary, world["product_a"].variants[0].price_vnd)
    for method, url, data in producer_routes(world):
        if "/products/" in url and "/new" != url[-4:] and url != "/producer/products/new":
            response = client.open(url, method=method, data={"csrf_token": csrf, **data})
            assert response.status_code == 404, (method, url)
    # A's variant through B's stock form: 404 as well, nothing written.
    response = client.post("/producer/stock", data={"csrf_token": csrf, "variant_id": world["product_a"].variants[0].id,
                                                    "quantity": "99", "reason": "count"})
    assert response.status_code == 404
    db.session.expire_all()
    product = db.session.get(Product, world["product_a"].id)
    assert (product.summary, product.variants[0].price_vnd) == before
    assert db.session.scalar(select(ProductImage.id).where(ProductImage.product_id == product.id)) is not None
    assert db.session.scalar(select(StockAdjustment.id)) is None


def test_b_s_stock_page_shows_only_b_s_rows(client, login, world):
    as_user(client, login, world, "producer_b")
    page = client.get("/producer/stock").get_data(as_text=True)
    assert world["product_b"].variants[0].sku in page
    assert world["product_a"].variants[0].sku not in page and "Miến dong" not in page


def test_b_s_product_list_shows_only_b_s_products(client, login, world):
    as_user(client, login, world, "producer_b")
    page = client.get("/producer/products").get_data(as_text=True)
    assert "Chè Đường Hoa" in page and "Miến dong Bình Liêu" not in page


@pytest.mark.parametrize("who, expected", [("anonymous", 302), ("customer", 403), ("producer_a", 403), ("staff", 403)])
def test_only_the_office_opens_the_admin_screens(client, login, world, who, expected):
    as_user(client, login, world, who)
    csrf = token(client, world)
    for method, url in ADMIN_ROUTES:
        url = url.format(pid=world["product_a"].id)
        response = client.open(url, method=method, data={"csrf_token": csrf, "note": "x", "email": "x@example.vn",
                                                         "role": "admin", "name": "X"})
        assert response.status_code == expected, (who, method, url)
    assert db.session.scalar(select(User.id).where(User.email == "x@example.vn")) is None


def test_the_office_opens_its_screens(client, login, world):
    as_user(client, login, world, "admin")
    for method, url in ADMIN_ROUTES:
        if method == "GET":
            url = url.format(pid=world["product_a"].id)
            assert client.get(url).status_code == 200, url


# ---- products ------------------------------------------------------------------------------------

def test_a_producer_edits_descriptions_and_variants_but_not_the_ocop_facts(client, login, world):
    as_user(client, login, world, "producer_a")
    product = world["product_a"]
    url = f"/producer/products/{product.id}/edit"
    csrf = csrf_token(client, url)
    stars, certificate = product.ocop_stars, product.ocop_certificate_no
    client.post(f"/producer/products/{product.id}/texts", data={
        "csrf_token": csrf, "summary_vi": "Sợi dai", "description_vi": "Làm từ củ dong riềng",
        "summary_en": "Chewy", "description_en": "Made from arrowroot", "ocop_stars": "5",
        "ocop_certificate_no": "forged", "name": "Tên khác", "abv_percent": "40", "cold_chain": "on"})
    v1, v2 = product.variants
    response = client.post(f"/producer/products/{product.id}/variants", data={
        "csrf_token": csrf, f"label-{v1.id}": "Gói 500 g", f"price-{v1.id}": "99.000", f"weight-{v1.id}": "500",
        f"active-{v1.id}": "on", f"label-{v2.id}": "Gói 1 kg", f"price-{v2.id}": "180000", f"weight-{v2.id}": "1000"})
    assert response.status_code == 302

    db.session.expire_all()
    product = db.session.get(Product, product.id)
    assert (product.summary, product.description) == ("Sợi dai", "Làm từ củ dong riềng")
    assert product.i18n["en"] == {"summary": "Chewy", "description": "Made from arrowroot"}
    assert (product.name, product.ocop_stars, product.ocop_certificate_no) == ("Miến dong Bình Liêu", stars, certificate)
    assert product.abv_percent is None and not product.cold_chain
    assert [(v.label, v.price_vnd, v.is_active) for v in product.variants] == [("Gói 500 g", 99_000, True),
                                                                               ("Gói 1 kg", 180_000, False)]
    assert product.price_from_vnd == 99_000  # refresh_derived ran: the inactive variant no longer counts


@pytest.mark.parametrize("price", ["999", "100000001", "abc"])
def test_a_price_out_of_range_changes_nothing(client, login, world, price):
    as_user(client, login, world, "producer_a")
    product = world["product_a"]
    csrf = csrf_token(client, f"/producer/products/{product.id}/edit")
    v1 = product.variants[0]
    response = client.post(f"/producer/products/{product.id}/variants?lang=en", data={
        "csrf_token": csrf, f"label-{v1.id}": "Đổi", f"price-{v1.id}": price, f"active-{v1.id}": "on"},
        follow_redirects=True)
    # The page always shows this rule as a hint; the error notice is what must say it.
    assert alerts(response.get_data(as_text=True)) == ["Prices are whole đồng from 1.000 ₫ to 100.000.000 ₫."]
    db.session.expire_all()
    assert db.session.get(Product, product.id).variants[0].price_vnd == 120_000
    assert db.session.get(Product, product.id).variants[0].label == "Gói 1"


def test_adding_a_variant_checks_the_sku(client, login, world):
    as_user(client, login, world, "producer_a")
    product = world["product_a"]
    csrf = csrf_token(client, f"/producer/products/{product.id}/edit")
    taken = world["product_b"].variants[0].sku
    page = client.post(f"/producer/products/{product.id}/variants/new", follow_redirects=True, data={
        "csrf_token": csrf, "label": "Hộp", "sku": taken, "price_vnd": "50000"}).get_data(as_text=True)
    assert taken in page and len(db.session.get(Product, product.id).variants) == 2
    page = client.post(f"/producer/products/{product.id}/variants/new", follow_redirects=True, data={
        "csrf_token": csrf, "label": "Hộp", "sku": "bad sku!", "price_vnd": "50000"}).get_data(as_text=True)
    assert "A–Z" in page
    client.post(f"/producer/products/{product.id}/variants/new", data={
        "csrf_token": csrf, "label": "Hộp quà", "sku": "mien-qua-01", "price_vnd": "250.000", "weight_g": "800"})
    db.session.expire_all()
    assert [v.sku for v in db.session.get(Product, product.id).variants][-1] == "MIEN-QUA-01"


def test_a_new_product_waits_for_review(client, login, world, make_category):
    category = make_category()
    db.session.commit()
    as_user(client, login, world, "producer_a")
    csrf = csrf_token(client, "/producer/products/new")
    response = client.post("/producer/products/new", data={
        "csrf_token": csrf, "name_vi": "Chả mực Hạ Long", "category_id": category.id, "ocop_stars": "5",
        "certificate_no": "QĐ 1/QĐ-UBND", "certified_on": "2025-06-01", "variant_label": "Hộp 500 g",
        "sku": "CHA-MUC-500", "price_vnd": "380000", "weight_g": "500"})
    assert response.status_code == 302
    product = db.session.scalar(select(Product).where(Product.name == "Chả mực Hạ Long"))
    assert product.producer_id == world["a"].id and product.status == ProductStatus.WAITING_REVIEW
    assert product.submitted_at is not None
    assert client.get(f"/products/{product.slug}").status_code == 404
    assert "Waiting for review" in client.get("/producer/products?lang=en").get_data(as_text=True)


def test_the_office_approves_or_returns_with_a_comment_that_the_producer_sees(client, login, world, app):
    from tests.conftest import PASSWORD

    product = world["product_b"]
    product.status, product.submitted_at = ProductStatus.WAITING_REVIEW, db.func.now()
    db.session.commit()
    as_user(client, login, world, "admin")
    page = client.get("/admin/products/review").get_data(as_text=True)
    assert "Chè Đường Hoa" in page and "Miến dong" not in page
    csrf = csrf_token(client, "/admin/products/review")
    response = client.post(f"/admin/products/{product.id}/return", data={"csrf_token": csrf, "note": ""},
                           follow_redirects=True)
    assert db.session.get(Product, product.id).submitted_at is not None
    client.post(f"/admin/products/{product.id}/return", data={"csrf_token": csrf, "note": "Cần ảnh rõ hơn"})
    db.session.expire_all()
    returned = db.session.get(Product, product.id)
    assert returned.review_note == "Cần ảnh rõ hơn" and returned.status == ProductStatus.RETURNED

    client.post("/logout", data={"csrf_token": csrf_token(client, "/admin/products/review")})
    other = app.test_client()
    login(other, world["users"]["producer_b"].email, PASSWORD)
    page = other.get(f"/producer/products/{product.id}/edit").get_data(as_text=True)
    assert "Cần ảnh rõ hơn" in page
    other.post(f"/producer/products/{product.id}/submit",
               data={"csrf_token": csrf_token(other, f"/producer/products/{product.id}/edit")})
    db.session.expire_all()
    assert db.session.get(Product, product.id).status == ProductStatus.WAITING_REVIEW

    admin = app.test_client()
    login(admin, world["users"]["admin"].email)
    admin.post(f"/admin/products/{product.id}/approve", data={"csrf_token": csrf_token(admin, "/admin/products/review")})
    db.session.expire_all()
    product = db.session.get(Product, product.id)
    assert product.status == ProductStatus.PUBLISHED and product.published_at and product.submitted_at is None


# ---- pictures ------------------------------------------------------------------------------------

def files_in_media():
    folder = media.media_dir()
    return set(os.listdir(folder)) if os.path.isdir(folder) else set()


def upload(client, product, data, name):
    csrf = csrf_token(client, f"/producer/products/{product.id}/edit")
    return client.post(f"/producer/products/{product.id}/pictures?lang=en", follow_redirects=True,
                       content_type="multipart/form-data",
                       data={"csrf_token": csrf, "picture": (io.BytesIO(data), name)})


@pytest.mark.parametrize("data, name, message", [
    (b"just some text, not a photo\n" * 40, "photo.jpg", "Please upload a photo in JPEG, PNG or WebP format."),
    (b"<svg xmlns='http://www.w3.org/2000/svg' onload='alert(1)'><script>alert(1)</script></svg>", "x.svg",
     "Please upload a photo in JPEG, PNG or WebP format."),
    (b"\x89PNG" + b"\x00" * (8 * 1024 * 1024), "big.png", "too large"),
    (png_claiming(50_000, 50_000), "huge.png", "too many pixels"),
    (png_bytes(600, 400)[:900], "cut.png", "damaged or incomplete"),
])
def test_bad_uploads_are_refused_with_a_message_and_nothing_is_stored(client, login, world, data, name, message):
    as_user(client, login, world, "producer_a")
    product = world["product_a"]
    before_files = files_in_media()
    page = upload(client, product, data, name).get_data(as_text=True)
    assert message in page
    assert files_in_media() == before_files
    assert db.session.scalar(select(ProductImage.id).where(ProductImage.product_id == product.id,
                                                           ProductImage.id != world["image"].id)) is None


def test_several_pictures_at_once_are_kept_in_order_and_a_bad_one_does_not_stop_the_others(client, login, world):
    as_user(client, login, world, "producer_a")
    product = world["product_a"]
    csrf = csrf_token(client, f"/producer/products/{product.id}/edit")
    page = client.post(f"/producer/products/{product.id}/pictures?lang=en", follow_redirects=True,
                       content_type="multipart/form-data",
                       data={"csrf_token": csrf, "picture": [(io.BytesIO(png_bytes(800, 600)), "one.png"),
                                                             (io.BytesIO(b"not a photo" * 20), "two.jpg"),
                                                             (io.BytesIO(png_bytes(600, 800)), "three.png")]}
                       ).get_data(as_text=True)
    assert "2 pictures added." in page and "Please upload a photo in JPEG, PNG or WebP format." in page
    assert 'multiple required' in page
    db.session.expire_all()
    sizes = [(i.width, i.height) for i in db.session.get(Product, product.id).images]
    assert sizes[-2:] == [(800, 600), (600, 800)]


def test_a_producer_describes_a_picture_and_puts_it_first_for_the_shop(client, login, world):
    as_user(client, login, world, "producer_a")
    product = world["product_a"]
    second = ProductImage(stem="e" * 32, width=800, height=600, position=5)
    product.images.append(second)
    db.session.commit()
    edit = f"/producer/products/{product.id}/edit"
    page = client.post(f"/producer/products/{product.id}/pictures/{second.id}?lang=en", follow_redirects=True,
                       data={"csrf_token": csrf_token(client, edit), "alt": "  Hộp quà   3 gói ", "first": "1"}
                       ).get_data(as_text=True)
    assert "Picture saved." in page
    db.session.expire_all()
    images = db.session.get(Product, product.id).images
    assert [i.id for i in images] == [second.id, world["image"].id] and images[0].alt == "Hộp quà 3 gói"
    shop_page = client.get(f"/products/{product.slug}").get_data(as_text=True)
    first_picture = shop_page[shop_page.index('id="picture-1"'):shop_page.index('id="picture-2"')]
    assert "e" * 32 in first_picture and 'alt="Hộp quà 3 gói"' in first_picture

    too_long = client.post(f"/producer/products/{product.id}/pictures/{second.id}?lang=en", follow_redirects=True,
                           data={"csrf_token": csrf_token(client, edit), "alt": "x" * 201}).get_data(as_text=True)
    assert "Describe the picture in at most 200 characters." in too_long
    db.session.expire_all()
    assert db.session.get(ProductImage, second.id).alt == "Hộp quà 3 gói"


def test_a_producer_cannot_describe_another_producers_picture(client, login, world):
    as_user(client, login, world, "producer_b")
    product, image = world["product_a"], world["image"]
    token = csrf_token(client, f"/producer/products/{world['product_b'].id}/edit")
    response = client.post(f"/producer/products/{product.id}/pictures/{image.id}", data={"csrf_token": token, "alt": "mine"})
    assert response.status_code == 404
    other = client.post(f"/producer/products/{world['product_b'].id}/pictures/{image.id}",
                        data={"csrf_token": token, "alt": "mine"})
    assert other.status_code == 404
    db.session.expire_all()
    assert db.session.get(ProductImage, image.id).alt == ""


def test_a_good_picture_is_stored_served_and_deleted(client, login, world):
    as_user(client, login, world, "producer_a")
    product = world["product_a"]
    page = upload(client, product, jpeg_with_exif(1600, 900, orientation=1), "IMG_0001.JPG").get_data(as_text=True)
    assert "Picture added." in page
    image = db.session.scalar(select(ProductImage).where(ProductImage.product_id == product.id,
                                                         ProductImage.id != world["image"].id))
    assert (image.width, image.height) == (1600, 900)
    names = {f"{image.stem}-{w}.webp" for w in (400, 800, 1200)}
    assert names <= files_in_media()
    with client.application.test_request_context():
        url = media.image_url(image, 800)
    assert url == f"/media/products/{image.stem}-800.webp" and f"/media/products/{image.stem}-400.webp" in page
    served = client.get(url)
    assert served.status_code == 200 and served.data[:4] == b"RIFF" and b"SecretCam" not in served.data

    csrf = csrf_token(client, f"/producer/products/{product.id}/edit")
    client.post(f"/producer/products/{product.id}/pictures/{image.id}/delete", data={"csrf_token": csrf})
    assert db.session.get(ProductImage, image.id) is None
    assert not names & files_in_media()


def test_a_request_over_the_flask_limit_is_refused(client, login, world, app):
    as_user(client, login, world, "producer_a")
    product = world["product_a"]
    response = client.post(f"/producer/products/{product.id}/pictures", content_type="multipart/form-data",
                           data={"picture": (io.BytesIO(b"\0" * (app.config["MAX_CONTENT_LENGTH"] + 10)), "x.png")})
    assert response.status_code == 413


# ---- stock -----------------------------------------------------------------------------------------

def test_setting_stock_below_allocated_is_refused_with_a_clear_message(client, login, world):
    as_user(client, login, world, "producer_a")
    variant = world["product_a"].variants[0]
    csrf = csrf_token(client, "/producer/stock")
    page = client.post("/producer/stock?lang=en", follow_redirects=True, data={
        "csrf_token": csrf, "variant_id": variant.id, "quantity": "1", "reason": "count"}).get_data(as_text=True)
    assert "2 units are allocated to placed orders" in page
    client.post("/producer/stock", data={"csrf_token": csrf, "variant_id": variant.id, "quantity": "40",
                                         "reason": "received", "note": "mẻ tháng 11"})
    stock = db.session.scalar(select(Stock).where(Stock.variant_id == variant.id)
                              .execution_options(populate_existing=True))
    assert (stock.quantity, stock.allocated) == (40, 2)
    [adjustment] = db.session.scalars(select(StockAdjustment)).all()
    assert (adjustment.delta, adjustment.reason, adjustment.user_id) == (30, "received", world["users"]["producer_a"].id)


def test_a_csv_with_one_bad_row_applies_nothing_and_names_the_line(client, login, world):
    as_user(client, login, world, "producer_a")
    v1, v2 = world["product_a"].variants
    csrf = csrf_token(client, "/producer/stock")
    body = f"sku;quantity\n{v2.sku};15\n{world['product_b'].variants[0].sku};3\n".encode()
    response = client.post("/producer/stock/import?lang=en", content_type="multipart/form-data",
                           data={"csrf_token": csrf, "file": (io.BytesIO(body), "stock.csv")})
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert re.search(r'<td class="num">3</td><td>[^<]*is not one of your products', page)
    assert db.session.scalar(select(StockAdjustment.id)) is None

    good = f"\ufeffsku,quantity\n{v1.sku},12\n{v2.sku},15\n".encode()
    response = client.post("/producer/stock/import?lang=en", content_type="multipart/form-data",
                           data={"csrf_token": csrf, "file": (io.BytesIO(good), "stock.csv")})
    assert response.status_code == 200 and "2 rows imported." in response.get_data(as_text=True)
    assert sorted(a.delta for a in db.session.scalars(select(StockAdjustment))) == [2, 15]


# ---- report ----------------------------------------------------------------------------------------

def test_the_report_csv_starts_with_a_bom_and_is_an_attachment(client, login, world):
    as_user(client, login, world, "producer_a")
    response = client.get("/producer/report.csv?month=2026-11&lang=vi")
    assert response.data.startswith("\ufeff".encode())
    assert response.headers["Content-Disposition"] == 'attachment; filename="ocop-sales-2026-11.csv"'
    assert response.mimetype == "text/csv"
    assert "11/2026" in client.get("/producer/report?month=2026-11").get_data(as_text=True)


# ---- invitations -----------------------------------------------------------------------------------

def test_the_office_invites_a_producer_user_who_gets_a_set_password_link(client, login, world):
    as_user(client, login, world, "admin")
    csrf = csrf_token(client, "/admin/users/invite")
    # The office works in English; the invitee reads Vietnamese.
    client.post("/admin/users/invite?lang=en", data={
        "csrf_token": csrf, "email": "Moi@Example.vn", "name": "Chị Hoa", "role": "producer",
        "producer_id": world["a"].id, "language": "vi"})
    user = db.session.scalar(select(User).where(User.email == "moi@example.vn"))
    assert user.role == "producer" and user.producer_id == world["a"].id and not user.password_hash
    message = db.session.scalar(select(OutboxMessage).where(OutboxMessage.kind == "user_invite"))
    assert message.recipient == "moi@example.vn"
    with force_locale("vi"):
        producer_in_vietnamese = gettext("Producer")
    assert producer_in_vietnamese != "Producer"  # the shipped catalogue translates it
    assert message.payload["role"] == producer_in_vietnamese
    link = message.payload["set_password_url"]
    assert "/account/password-reset/" in link

    page = client.post("/admin/users/invite?lang=en", follow_redirects=True, data={
        "csrf_token": csrf, "email": "moi@example.vn", "name": "X", "role": "admin"}).get_data(as_text=True)
    assert "already exists" in page
    page = client.post("/admin/users/invite?lang=en", follow_redirects=True, data={
        "csrf_token": csrf, "email": "staff2@example.vn", "name": "X", "role": "staff"}).get_data(as_text=True)
    assert "one sales point" in page
    assert db.session.scalar(select(User.id).where(User.email == "staff2@example.vn")) is None
    page = client.post("/admin/users/invite?lang=en", follow_redirects=True, data={
        "csrf_token": csrf, "email": "boss@example.vn", "name": "X", "role": "customer"}).get_data(as_text=True)
    assert db.session.scalar(select(User.id).where(User.email == "boss@example.vn")) is None

    # The invitee sets a password with the e-mailed link, then logs in.
    invitee = client.application.test_client()
    path = link.split("localhost", 1)[-1] if "localhost" in link else "/" + link.split("/", 3)[3]
    form_csrf = csrf_token(invitee, path)
    response = invitee.post(path, data={"csrf_token": form_csrf, "password": "mật khẩu rất dài 2026",
                                        "confirm": "mật khẩu rất dài 2026"})
    assert response.status_code == 302
    assert login(invitee, "moi@example.vn", "mật khẩu rất dài 2026").status_code == 302
    assert invitee.get("/producer/products").status_code == 200


def test_the_invitation_email_renders(app, world):
    from shop.admin.users import invite_user
    from shop.notifications.rendering import render

    invite_user(email="nv@example.vn", name="Anh Nam", role="staff", producer_id=None,
                sales_point_id=world["point"].id, language="en")
    message = db.session.scalar(select(OutboxMessage).where(OutboxMessage.kind == "user_invite"))
    email = render(message)
    text = email.get_body(("plain",)).get_content()
    assert "Hello Anh Nam," in text and message.payload["set_password_url"] in text
    assert "Sales-point staff" in text


def test_an_uploaded_picture_replaces_the_artwork_in_the_shop(client, make_product, app):
    from shop.catalog.models import ProductImage

    product = make_product(name="Trà hoa vàng")
    db.session.add(ProductImage(product=product, stem="a" * 32, width=1200, height=900))
    db.session.commit()
    page = client.get(f"/products/{product.slug}").get_data(as_text=True)
    assert f"/media/products/{'a' * 32}-800.webp" in page
    listing = client.get("/products").get_data(as_text=True)
    assert f"/media/products/{'a' * 32}-400.webp" in listing
