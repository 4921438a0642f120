"""Search ignores diacritics, case and đ, accepts NFD input, and ranks name matches first."""
import unicodedata

import pytest

from tests.web.helpers import card_titles


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("mien dong binh lieu", "Miến dong Bình Liêu"),
        ("MIẾN DONG", "Miến dong Bình Liêu"),
        (unicodedata.normalize("NFD", "miến dong"), "Miến dong Bình Liêu"),
        ("tra hoa vang", "Trà hoa vàng"),
        ("cha muc ha long", "Chả mực Hạ Long"),
        ("SÁ SÙNG", "Sá sùng"),
    ],
)
def test_search_without_diacritics_finds_the_product_first(demo_client, query, expected):
    html = demo_client.get("/search", query_string={"q": query}).get_data(as_text=True)
    titles = card_titles(html)
    assert titles, f"nothing found for {query!r}"
    assert titles[0].startswith(expected), titles[:3]


def test_van_don_finds_products_made_in_van_don(demo_client):
    titles = card_titles(demo_client.get("/search?q=van+don").get_data(as_text=True))
    assert any("Vân Đồn" in t for t in titles)
    assert len(titles) >= 3


def test_name_matches_rank_before_matches_on_producer_or_place(demo_client):
    titles = card_titles(demo_client.get("/search?q=binh+lieu").get_data(as_text=True))
    in_name = [("Bình Liêu" in t) for t in titles]
    # Once a title without the words appears, no title with them may follow.
    assert in_name[0]
    assert in_name == sorted(in_name, reverse=True)


def test_a_search_with_no_results_suggests_a_spelling_and_sectors(demo_client):
    html = demo_client.get("/search?q=mien+dongg&lang=en").get_data(as_text=True)
    assert "Did you mean" in html
    assert "/search?q=mien+dong" in html
    assert "/products?category=" in html


def test_a_search_for_nonsense_offers_sectors_and_popular_products(demo_client):
    html = demo_client.get("/search?q=zzqqxx&lang=en").get_data(as_text=True)
    assert "Nothing found for" in html
    assert "Popular 5-star products" in html
    assert card_titles(html)


def test_search_input_with_sql_wildcards_is_harmless(demo_client):
    response = demo_client.get("/search", query_string={"q": "%' OR 1=1 --"})
    assert response.status_code == 200


def test_overlong_queries_are_cut_not_refused(demo_client):
    assert demo_client.get("/search", query_string={"q": "trà " * 500}).status_code == 200


@pytest.mark.parametrize(("query", "expected"), [
    ("蜂蜜", "Mật ong rừng Bình Liêu"),
    ("野生蜂蜜", "Mật ong rừng Bình Liêu"),
    ("꿀", "Mật ong rừng Bình Liêu"),
    ("珍珠", "Ngọc trai"),
    ("진주", "Ngọc trai"),
    ("粉丝", "Miến dong Bình Liêu"),
])
def test_chinese_and_korean_words_find_products_inside_longer_names(demo_client, query, expected):
    titles = card_titles(demo_client.get("/search", query_string={"q": query}).get_data(as_text=True))
    assert titles, f"nothing found for {query!r}"
    assert any(t.startswith(expected) for t in titles), titles[:5]
