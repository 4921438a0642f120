"""Tourists: every demo product reads fully in English, Chinese and Korean, and an older demo database gets the
translations by running `flask seed-demo` again, without losing a text someone wrote."""
from __future__ import annotations

import re
import unicodedata

from sqlalchemy import select
from werkzeug.datastructures import MultiDict

from shop.catalog.models import Product, Variant
from shop.catalog.queries import ProductFilters, list_products
from shop.demo.load import seed_demo
from shop.demo.rows import PRODUCTS, sku
from shop.extensions import db

HAN = re.compile(r"[\u4e00-\u9fff]")
HANGUL = re.compile(r"[\uac00-\ud7a3]")


def _vietnamese(text: str) -> bool:
    """Whether a text carries Vietnamese letters: đ, ơ, ư, or a Latin letter with a tone or vowel mark."""
    for char in unicodedata.normalize("NFD", text):
        if char in "đĐ" or (unicodedata.combining(char) and unicodedata.category(char) == "Mn"):
            return True
    return False


def _written_in(lang: str, text: str) -> bool:
    if not text.strip() or _vietnamese(text):
        return False
    return {"zh": bool(HAN.search(text)), "ko": bool(HANGUL.search(text))}.get(lang, True)


def test_every_demo_product_is_written_in_english_chinese_and_korean():
    assert len(PRODUCTS) == 56
    for lang in ("en", "zh", "ko"):
        texts = labels = 0
        for p in PRODUCTS:
            fields = ("name", "summary", "description") + (("storage",) if p.storage else ())
            for field in fields:
                assert _written_in(lang, p.texts[lang].get(field, "")), (p.code, lang, field)
                texts += 1
            for v in p.variants:
                assert _written_in(lang, p.labels[lang].get(v.suffix, "")), (p.code, lang, v.suffix)
                labels += 1
        # 56 names, summaries and descriptions; storage for all but the two vouchers; every variant.
        assert (texts, labels) == (56 * 3 + 54, sum(len(p.variants) for p in PRODUCTS)), lang


def test_the_shop_s_words_for_products_and_places_are_used():
    by_code = {p.code: p for p in PRODUCTS}
    assert by_code["MDBL"].texts["zh"]["name"] == "平辽蕉芋粉丝" and "칸나 당면" in by_code["MDBL"].texts["ko"]["name"]
    assert "鱿鱼饼" in by_code["CMHL"].texts["zh"]["name"] and "오징어 어묵" in by_code["CMHL"].texts["ko"]["name"]
    assert "沙虫" in by_code["SSQL"].texts["zh"]["name"] and "사쑹" in by_code["SSQL"].texts["ko"]["name"]
    assert "野生蜂蜜" in by_code["MOBL"].texts["zh"]["name"] and "야생 꿀" in by_code["MOBL"].texts["ko"]["name"]
    assert "金花茶" in by_code["THBC"].texts["zh"]["name"] and "황금동백차" in by_code["THBC"].texts["ko"]["name"]
    assert "珍珠" in by_code["NTAK"].texts["zh"]["name"] and "진주" in by_code["NTAK"].texts["ko"]["name"]
    assert by_code["GTYD"].texts["zh"]["name"] == "先安鸡" and "토종닭" in by_code["GTYD"].texts["ko"]["name"]
    assert by_code["NTAK"].labels["en"]["MD7"] == "Silver pendant, 7 mm pearl"


def test_the_seed_loads_every_translation(app):
    seed_demo()
    honey = db.session.scalar(select(Product).where(Product.name == "Mật ong rừng Bình Liêu"))
    assert honey.i18n["zh"]["storage"] == "盖紧瓶盖，置于阴凉处；无需冷藏。"
    assert [v.i18n["ko"]["label"] for v in honey.variants] == ["병 500ml", "병 1리터"]
    variants = db.session.scalars(select(Variant).where(Variant.sku.like("QN-%"))).all()
    assert len(variants) == sum(len(p.variants) for p in PRODUCTS)
    assert all(set(v.i18n) == {"en", "zh", "ko"} for v in variants)


def test_seeding_again_fills_an_older_database_and_keeps_what_people_wrote(app):
    seed_demo()
    honey = db.session.scalar(select(Product).where(Product.name == "Mật ong rừng Bình Liêu"))
    pearl = db.session.scalar(select(Product).where(Product.name == "Ngọc trai Akoya Hạ Long"))
    # As a database seeded before the translations: only the English name, and Vietnamese labels.
    honey.i18n = {"en": {"name": "Binh Lieu wild honey"}}
    for variant in honey.variants:
        variant.i18n = {}
    pearl.i18n = {**pearl.i18n, "zh": {**pearl.i18n["zh"], "name": "下龙湾珍珠（店主改写）"}}
    honey.refresh_derived()
    db.session.commit()
    assert "Mật ong rừng Bình Liêu" not in _found("꿀")

    report = seed_demo()

    assert "(0 added)" in report and "missing translations filled in" in report
    db.session.expire_all()
    honey, pearl = db.session.get(Product, honey.id), db.session.get(Product, pearl.id)
    assert honey.i18n["en"]["name"] == "Binh Lieu wild honey" and honey.i18n["ko"]["name"] == "빈리에우 야생 꿀"
    assert honey.i18n["zh"]["description"].startswith("蜂箱放在禄魂水源林下")
    assert db.session.scalar(select(Variant).where(Variant.sku == sku("MOBL", "1L"))).i18n["zh"]["label"] == "瓶装1升"
    assert pearl.i18n["zh"]["name"] == "下龙湾珍珠（店主改写）"  # somebody's own words stay
    assert "Mật ong rừng Bình Liêu" in _found("꿀")
    assert "missing translations" not in seed_demo()


def _found(query: str) -> list[str]:
    page = list_products(ProductFilters.from_args(MultiDict({"q": query})), per_page=50)
    return [p.name for p in page.items]
