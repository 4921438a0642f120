"""Search finds products by the start of their words, in any script, and follows every change."""
from shop.catalog.queries import ProductFilters, list_products
from shop.extensions import db
from werkzeug.datastructures import MultiDict


def _names(q: str) -> list[str]:
    page = list_products(ProductFilters.from_args(MultiDict({"q": q})), per_page=50)
    return [p.name for p in page.items]


def test_words_match_by_their_start_ignoring_accents(make_product):
    make_product(name="Miến dong Bình Liêu")
    make_product(name="Nước mắm Cái Rồng")
    db.session.commit()
    assert _names("mien dong") == ["Miến dong Bình Liêu"]
    assert _names("MIẾN DO") == ["Miến dong Bình Liêu"]
    assert _names("cai rong") == ["Nước mắm Cái Rồng"]
    assert _names("ong") == []  # inside a word is not a match: "dong" does not start with "ong"


def test_translated_names_are_searchable_in_their_script(make_product):
    make_product(name="Trà hoa vàng Quy Hoa", i18n={"en": {"name": "Yellow camellia tea"}, "zh": {"name": "金花茶"},
                                                   "ko": {"name": "황금 동백차"}})
    db.session.commit()
    for query in ("camellia", "金花茶", "동백차", "tra hoa vang"):
        assert _names(query) == ["Trà hoa vàng Quy Hoa"], query


def test_renamed_and_deleted_products_leave_the_index(make_product):
    product = make_product(name="Chả mực Hạ Long")
    db.session.commit()
    assert _names("cha muc") == ["Chả mực Hạ Long"]
    product.name = "Chả cá Hạ Long"
    product.refresh_derived()
    db.session.commit()
    assert _names("cha muc") == []
    assert _names("cha ca") == ["Chả cá Hạ Long"]
    db.session.delete(product)
    db.session.commit()
    assert _names("cha ca") == []


def test_draft_products_are_not_found(make_product):
    from shop.catalog.models import ProductStatus

    make_product(name="Sá sùng khô", status=ProductStatus.DRAFT)
    db.session.commit()
    assert _names("sa sung") == []
