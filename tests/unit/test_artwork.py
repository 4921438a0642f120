"""The generated product pictures: valid, safe, deterministic SVG."""
from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest

from shop.catalog.artwork import product_svg, wrap_name

NS = "{http://www.w3.org/2000/svg}"
SECTORS = ["I", "II", "III", "IV", "V", "VI", ""]


def parse(svg: str) -> ET.Element:
    return ET.fromstring(svg)


def local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def text_lines(root: ET.Element) -> list[str]:
    return ["".join(t.itertext()) for t in root.iter(f"{NS}text")]


@pytest.mark.parametrize("sector", SECTORS + ["XYZ"])
def test_every_sector_is_a_standalone_svg(sector):
    svg = product_svg("Miến dong Bình Liêu", sector, "#2f6f4f", "Bình Liêu", seed="p1")
    root = parse(svg)
    assert local(root.tag) == "svg"
    assert root.get("viewBox") == "0 0 600 450"
    assert (root.get("width"), root.get("height")) == ("600", "450")
    assert root.get("role") == "img"
    assert len(svg.encode()) < 6 * 1024
    # Nothing fetched from elsewhere: no raster images, scripts, links or fonts, only in-document references.
    assert not {local(el.tag) for el in root.iter()} & {"image", "script", "foreignObject", "style", "a"}
    for el in root.iter():
        for attr, value in el.attrib.items():
            if local(attr) == "href":
                assert value.startswith("#")
            assert "http" not in value or attr == "xmlns"
            assert "url(" not in value or value.startswith("url(#")


def test_title_keeps_vietnamese_diacritics():
    root = parse(product_svg("Miến dong Bình Liêu", "I", "#b0692e", "Bình Liêu"))
    assert root.find(f"{NS}title").text == "Miến dong Bình Liêu"
    assert text_lines(root) == ["Miến dong Bình Liêu", "Bình Liêu"]


def test_nfd_names_are_normalised_to_nfc():
    import unicodedata

    name = unicodedata.normalize("NFD", "Trà hoa vàng Quy Hoa")
    root = parse(product_svg(name, "II", "#2f7a6a"))
    assert root.find(f"{NS}title").text == unicodedata.normalize("NFC", name)


def test_markup_in_names_is_escaped():
    name = 'Trà <script>alert(1)</script> & co'
    subtitle = '"><svg onload=alert(1)>'
    svg = product_svg(name, "II", '#fff" onload="alert(1)', subtitle, seed="<x>")
    root = parse(svg)
    assert "<script" not in svg
    for el in root.iter():
        assert local(el.tag) != "script"
        assert not [attr for attr in el.attrib if local(attr).lower().startswith("on")]
    assert root.find(f"{NS}title").text == name
    assert subtitle in text_lines(root)[-1]


def test_control_characters_do_not_break_the_xml():
    parse(product_svg("Chả\x00 mực\x1b Hạ Long", "I", "#b0692e"))


def test_same_inputs_same_picture_and_seeds_vary_it():
    args = ("Chả mực Hạ Long giã tay", "I", "#b0692e", "Hạ Long")
    assert product_svg(*args, seed="42") == product_svg(*args, seed="42")
    pictures = {product_svg(*args, seed=str(n)) for n in range(8)}
    assert len(pictures) == 8


def test_sectors_have_different_motifs():
    def elements(sector):
        root = parse(product_svg("Sản phẩm", sector, "#2f6f4f", seed="same"))
        return {(local(el.tag), tuple(sorted(el.attrib.items()))) for el in root.iter()}

    drawn = {sector: elements(sector) for sector in SECTORS}
    shared = set.intersection(*drawn.values())
    motifs = {frozenset(els - shared) for els in drawn.values()}
    assert len(motifs) == len(SECTORS)
    assert all(motifs)


def test_long_names_wrap_to_two_lines_with_ellipsis():
    name = "Sá sùng chiên giòn ăn liền Vân Đồn đặc sản biển đảo Quảng Ninh loại một"
    root = parse(product_svg(name, "I", "#b0692e"))
    lines = text_lines(root)
    assert len(lines) == 2
    assert lines[-1].endswith("…")
    assert all(len(line) <= 23 for line in lines)
    assert root.find(f"{NS}title").text == name


@pytest.mark.parametrize(
    ("name", "lines"),
    [
        ("Miến dong Bình Liêu", ["Miến dong Bình Liêu"]),
        ("Chả mực Hạ Long giã tay", ["Chả mực Hạ Long", "giã tay"]),
        ("Trải nghiệm Thiên đường hoa Quảng La", ["Trải nghiệm Thiên", "đường hoa Quảng La"]),
        ("Ngọc trai Akoya mặt dây chuyền", ["Ngọc trai Akoya mặt", "dây chuyền"]),
        ("Supercalifragilisticexpialidocious", ["Supercalifragilistice…"]),
        ("", []),
    ],
)
def test_wrap_name(name, lines):
    assert wrap_name(name) == lines


@pytest.mark.parametrize("colour", ["#2f6f4f", "#fff", "#FFFFFF", "#d4a017", "#000000", "teal", ""])
def test_any_colour_gives_a_valid_picture(colour):
    parse(product_svg("Trà hoa vàng", "II", colour))


def _motif(subject: str) -> frozenset:
    """The elements a subject adds to an otherwise identical picture."""
    root = parse(product_svg("Sản phẩm", "I", "#2f6f4f", seed="same", subject=subject))
    return frozenset((local(el.tag), tuple(sorted(el.attrib.items()))) for el in root.iter())


def test_every_product_set_has_its_own_drawing():
    from shop.catalog.artwork import DRAWINGS, DRAWN_BY_FUNCTION, SET_SUBJECTS, SUBJECT_LABELS

    assert sorted(SET_SUBJECTS) == list(range(1, 27))
    assert len(set(SET_SUBJECTS.values())) == 26
    for subject in set(SET_SUBJECTS.values()) | {"pearl", "crab", "eggs", "poultry", "squid", "glass_noodles", "mushroom"}:
        assert subject in DRAWINGS or subject in DRAWN_BY_FUNCTION
        assert subject in SUBJECT_LABELS
    pictures = {subject: _motif(subject) for subject in set(SET_SUBJECTS.values()) | set(DRAWINGS)}
    shared = frozenset.intersection(*pictures.values())
    assert len({picture - shared for picture in pictures.values()}) == len(pictures)


def test_honey_fish_sauce_and_pork_are_not_the_same_picture():
    from shop.catalog.artwork import subject_of

    honey = subject_of(4, "Mật ong rừng Bình Liêu")
    fish_sauce = subject_of(9, "Nước mắm Cái Rồng")
    pork = subject_of(2, "Thịt lợn hương")
    water, spirit = subject_of(16, "Nước uống tinh khiết Bình Liêu"), subject_of(14, "Rượu nếp cái hoa vàng Yên Đức")
    assert (honey, fish_sauce, pork, water, spirit) == ("honey", "fish_sauce", "meat", "water", "spirit")
    assert len({_motif(s) for s in (honey, fish_sauce, pork, water, spirit, "instant")}) == 6


@pytest.mark.parametrize(("set_no", "name", "subject"), [
    (21, "Ngọc trai Akoya Hạ Long", "pearl"),
    (2, "Cua biển Quảng Yên", "crab"),
    (2, "Trứng vịt biển Đồng Rui", "eggs"),
    (2, "Gà Tiên Yên", "poultry"),
    (1, "Nấm đùi gà Đông Triều", "mushroom"),
    (8, "Chả mực Hạ Long", "squid_cake"),
    (8, "Mực ống Cô Tô khô", "squid"),
    (7, "Miến dong Bình Liêu", "glass_noodles"),
    (15, "Rượu đông trùng hạ thảo Hạ Long", "wine"),
    (11, "Chè Đường Hoa", "tea"),
    (None, "Sản phẩm", ""),
])
def test_a_word_of_the_name_can_tell_more_than_the_set(set_no, name, subject):
    from shop.catalog.artwork import subject_of

    assert subject_of(set_no, name) == subject


def test_each_drawing_is_small():
    from shop.catalog.artwork import DRAWINGS

    colours = {"w": "#ffffff", "l": "#cccccc", "c": "#333333", "d": "#111111"}
    for subject, drawing in DRAWINGS.items():
        assert len(drawing.format(p="a123456", **colours).encode()) <= 2048, subject
