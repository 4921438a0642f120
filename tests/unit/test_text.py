import unicodedata

from shop.text import fold, search_document, search_terms, slugify, sort_key


def test_fold_strips_tones_and_shapes():
    assert fold("Miến dong Bình Liêu") == "mien dong binh lieu"
    assert fold("Trà hoa vàng") == "tra hoa vang"


def test_fold_maps_d_with_stroke_which_has_no_decomposition():
    assert fold("Vân Đồn") == "van don"
    assert fold("đặc khu ĐẦM HÀ") == "dac khu dam ha"


def test_fold_accepts_nfd_input_like_nfc():
    nfd = unicodedata.normalize("NFD", "Miến dong Bình Liêu")
    assert nfd != "Miến dong Bình Liêu"
    assert fold(nfd) == fold("Miến dong Bình Liêu") == "mien dong binh lieu"


def test_fold_ignores_case_and_extra_spaces():
    assert fold("  MIẾN   DONG ") == "mien dong"


def test_search_terms_drop_punctuation():
    assert search_terms("chả mực, Hạ-Long!") == ["cha", "muc", "ha", "long"]
    assert search_terms("%_'") == []


def test_slugify():
    assert slugify("Chả mực Hạ Long (giã tay)") == "cha-muc-ha-long-gia-tay"
    assert slugify("Đặc khu Vân Đồn") == "dac-khu-van-don"


def test_sort_key_follows_vietnamese_alphabet():
    names = ["Đặng", "Dũng", "Bảo", "bao", "Ăn", "An", "Âm", "Ông", "Ơn", "On", "Ưng", "Uông"]
    assert sorted(names, key=sort_key) == ["An", "Ăn", "Âm", "bao", "Bảo", "Dũng", "Đặng", "On", "Ông", "Ơn", "Uông", "Ưng"]


def test_sort_key_is_digits_only_so_any_collation_agrees():
    assert sort_key("Hợp tác xã Đồng Tâm").isdigit()


def test_chinese_is_searched_by_characters_and_pairs():
    assert search_terms("蜂蜜") == ["蜂蜜"]
    assert search_terms("天然蜂蜜") == ["天然", "然蜂", "蜂蜜"]
    assert search_terms("蜜") == ["蜜"]
    assert search_document("下龙湾蜂蜜").split() == ["下", "龙", "湾", "蜂", "蜜", "下龙", "龙湾", "湾蜂", "蜂蜜"]


def test_korean_compounds_and_mixed_words_are_cut_at_the_script_boundary():
    assert "꿀" in search_document("천연꿀 500g").split()
    assert search_terms("Akoya珍珠") == ["akoya", "珍珠"]
    assert search_terms("mật ong") == ["mat", "ong"]
