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
