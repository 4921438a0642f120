"""Tourists read a product, its storage note and its variants in their language, from the product page to the
order and its e-mail; producers and the office write those texts in English, Chinese and Korean."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from shop.audit import AuditEntry
from shop.catalog.models import Product
from shop.extensions import db
from shop.notifications.models import OutboxMessage
from tests.web.helpers import csrf_token

HONEY = "/products/mat-ong-rung-binh-lieu"


def test_a_chinese_reader_sees_the_demo_product_its_storage_and_variants_in_chinese(demo_client):
    page = demo_client.get(f"{HONEY}?lang=zh").get_data(as_text=True)
    assert "<h1>平辽野生蜂蜜</h1>" in page
    assert "蜂箱放在禄魂水源林下" in page  # the description
    assert "盖紧瓶盖，置于阴凉处；无需冷藏。" in page  # the storage note
    assert "瓶装500毫升" in page and "瓶装1升" in page  # the variants, in the table and the chooser
    assert "Chai 500 ml" not in page and "Đậy kín nắp" not in page
    korean = demo_client.get(f"{HONEY}?lang=ko").get_data(as_text=True)
    assert "뚜껑을 꼭 닫아 서늘한 곳에 보관하세요" in korean and "병 1리터" in korean
    assert "Chai 500 ml" in demo_client.get(f"{HONEY}?lang=vi").get_data(as_text=True)


@pytest.fixture
def pearl(make_product, put_stock):
    product = make_product(name="Ngọc trai Akoya Hạ Long", prices=(1_500_000,), storage="Cất trong hộp riêng.",
                           i18n={"ko": {"name": "하롱 아코야 진주", "storage": "전용 상자에 따로 보관하세요."}})
    product.variants[0].label = "Mặt dây chuyền bạc, ngọc 7 mm"
    product.variants[0].i18n = {"en": {"label": "Silver pendant, 7 mm pearl"}, "ko": {"label": "은 펜던트, 7mm 진주"}}
    put_stock(product.variants[0], product.producer, 5)
    db.session.commit()
    return product


def test_the_cart_and_the_order_show_the_korean_variant_label(client, pearl, make_order):
    variant = pearl.variants[0]
    client.post("/cart/add?lang=ko", data={"csrf_token": csrf_token(client, f"/products/{pearl.slug}?lang=ko"),
                                           "variant_id": variant.id, "quantity": 1})
    cart = client.get("/cart?lang=ko").get_data(as_text=True)
    assert "은 펜던트, 7mm 진주" in cart and "Mặt dây chuyền bạc" not in cart

    order = make_order((variant, 1), language="ko")
    # The catalog may change later; the order keeps the labels the customer read.
    variant.i18n = {"ko": {"label": "바뀐 이름"}}
    db.session.commit()
    page = client.get(f"/orders/{order.number}?t={order.access_token}&lang=ko").get_data(as_text=True)
    assert "은 펜던트, 7mm 진주" in page and "바뀐 이름" not in page
    english = client.get(f"/orders/{order.number}?t={order.access_token}&lang=en").get_data(as_text=True)
    assert "Silver pendant, 7 mm pearl" in english
    placed = db.session.scalar(select(OutboxMessage).where(OutboxMessage.kind == "order_placed"))
    assert placed.payload["lines"][0]["variant_label"] == "은 펜던트, 7mm 진주"
    assert order.lines[0].variant_label == "Mặt dây chuyền bạc, ngọc 7 mm"  # the Vietnamese record stays


@pytest.fixture
def people(make_user, pearl, make_producer):
    other = make_producer(name="HTX khác")
    users = {"producer": make_user(email="maker@example.vn", role="producer", producer_id=pearl.producer_id),
             "other": make_user(email="other@example.vn", role="producer", producer_id=other.id),
             "admin": make_user(email="office@example.vn", role="admin")}
    db.session.commit()
    return users


def _translations(pearl, **fields):
    variant = pearl.variants[0]
    return {"name_zh": "下龙Akoya珍珠", "summary_zh": "下龙湾养殖的珍珠。", "description_zh": "圆润的Akoya珍珠。",
            "storage_zh": "单独放入盒中，置于干燥处。", f"label_zh-{variant.id}": "银吊坠，7毫米珍珠", **fields}


def test_a_producer_writes_chinese_texts_that_go_live_searchable_and_audited(app, client, login, people, pearl):
    assert login(client, people["producer"].email).status_code == 302
    edit = client.get(f"/producer/products/{pearl.id}/edit?lang=vi").get_data(as_text=True)
    assert 'name="storage_zh"' in edit and f'name="label_ko-{pearl.variants[0].id}"' in edit
    assert 'value="은 펜던트, 7mm 진주"' in edit  # what is there already, to correct
    client.post(f"/producer/products/{pearl.id}/texts", data={
        "csrf_token": csrf_token(client, f"/producer/products/{pearl.id}/edit"), **_translations(pearl)})

    page = app.test_client().get(f"/products/{pearl.slug}?lang=zh").get_data(as_text=True)
    for text in ("下龙Akoya珍珠", "圆润的Akoya珍珠。", "单独放入盒中，置于干燥处。", "银吊坠，7毫米珍珠"):
        assert text in page, text
    assert "下龙Akoya珍珠" in app.test_client().get("/search?q=珍珠&lang=zh").get_data(as_text=True)
    db.session.expire_all()
    product = db.session.get(Product, pearl.id)
    assert product.i18n["ko"] == {"name": "하롱 아코야 진주", "storage": "전용 상자에 따로 보관하세요."}  # untouched
    assert product.summary == "" and product.changed_at is not None  # the office will look at it
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "product.texts_changed"))
    assert entry.actor_id == people["producer"].id
    assert entry.after[f"{pearl.variants[0].sku}.label_zh"] == "银吊坠，7毫米珍珠" and entry.after["name_zh"] == "下龙Akoya珍珠"
    office = app.test_client()
    login(office, people["admin"].email)
    review = office.get("/admin/products/review").get_data(as_text=True)
    assert f'id="changed-{pearl.id}"' in review and f'id="p{pearl.id}-storage_zh"' in review  # the office can correct them


def test_an_emptied_translation_falls_back_to_vietnamese(app, client, login, people, pearl):
    login(client, people["producer"].email)
    client.post(f"/producer/products/{pearl.id}/texts", data={
        "csrf_token": csrf_token(client, f"/producer/products/{pearl.id}/edit"), "storage_ko": " ",
        f"label_ko-{pearl.variants[0].id}": ""})
    page = app.test_client().get(f"/products/{pearl.slug}?lang=ko").get_data(as_text=True)
    assert "Cất trong hộp riêng." in page and "Mặt dây chuyền bạc, ngọc 7 mm" in page


def test_another_producer_cannot_write_them(client, login, people, pearl):
    login(client, people["other"].email)
    response = client.post(f"/producer/products/{pearl.id}/texts", data={
        "csrf_token": csrf_token(client, "/producer/products"), **_translations(pearl)})
    assert response.status_code == 404
    db.session.expire_all()
    assert "zh" not in db.session.get(Product, pearl.id).i18n


def test_the_office_writes_them_on_its_product_page_audited(app, client, login, people, pearl):
    login(client, people["admin"].email)
    page = client.get(f"/admin/products/{pearl.id}/facts?lang=en").get_data(as_text=True)
    assert f'name="label_zh-{pearl.variants[0].id}"' in page and "<details" in page
    response = client.post(f"/admin/products/{pearl.id}/texts", data={
        "csrf_token": csrf_token(client, f"/admin/products/{pearl.id}/facts"), "back": "facts",
        "summary_vi": "ignored: the producer's", **_translations(pearl, name_ko="하롱 아코야 진주 목걸이")})
    assert response.status_code == 302 and response.headers["Location"].endswith(f"/admin/products/{pearl.id}/facts")
    db.session.expire_all()
    product = db.session.get(Product, pearl.id)
    assert product.i18n["zh"]["storage"] == "单独放入盒中，置于干燥处。" and product.i18n["ko"]["name"] == "하롱 아코야 진주 목걸이"
    assert product.summary == "" and product.changed_at is None
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "product.texts_changed"))
    assert entry.actor_id == people["admin"].id and entry.before["name_ko"] == "하롱 아코야 진주"
    assert "Product texts or translations changed" in client.get("/admin/audit?lang=en").get_data(as_text=True)
    assert client.post("/admin/products/999999/texts", data={
        "csrf_token": csrf_token(client, f"/admin/products/{pearl.id}/facts")}).status_code == 404


def test_the_drawing_of_a_product_is_addressed_per_language(demo_client):
    """The artwork draws the translated name and is cached for a long time: its address names the language."""
    page = demo_client.get(f"{HONEY}?lang=zh").get_data(as_text=True)
    assert f"{HONEY}/image.svg?lang=zh" in page
    drawing = demo_client.get(f"{HONEY}/image.svg?lang=ko").get_data(as_text=True)
    assert "야생 꿀" in drawing and "野生蜂蜜" not in drawing
    assert "野生蜂蜜" in demo_client.get(f"{HONEY}/image.svg?lang=zh").get_data(as_text=True)
    # A cacheable drawing never sets the visitor's language: only pages remember it.
    assert "Set-Cookie" not in demo_client.get(f"{HONEY}/image.svg?lang=en").headers
