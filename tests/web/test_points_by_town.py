"""The points page and checkout's point choice: grouped by town, "open now" on Vietnam's clock, and an offline map
with a dot per point that links to its page."""
from __future__ import annotations

import datetime as dt
import re
from html import unescape

import pytest

from shop.clock import moment
from shop.demo.rows import SALES_POINTS
from shop.extensions import db
from shop.sales_points.models import Closure, PickupMode
from tests.web.test_office_points import _checkout_to_delivery


def _text(html: str) -> str:
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split())


def towns_and_points(html: str) -> list[tuple[str, list[str]]]:
    """Each town heading of the list with the names of its points, in the order shown."""
    shown = []
    for block in re.findall(r'class="town-group"(.*?)</ul>', html, re.S):
        heading = re.search(r'<(?:h2|p)[^>]*>(.*?)(?:<span class="count">|</p>)', block, re.S).group(1)
        names = re.findall(r'class="point-row-name"[^>]*>(.*?)</a>|<strong>(.*?)</strong>', block, re.S)
        shown.append((_text(heading), [_text(a or b) for a, b in names]))
    assert shown, "no town groups"
    return shown


def row_of(html: str, name: str) -> str:
    """The text of the list row naming that point."""
    for row in re.findall(r'<li class="point-row"[^>]*>(.*?)</li>', html, re.S):
        if f">{name}<" in row:
            return _text(row)
    raise AssertionError(f"{name} is not listed")


@pytest.fixture
def clock_at(monkeypatch):
    """Fix the shop's clock at a Vietnamese wall-clock time, e.g. "2026-12-07T07:00" (a Monday)."""
    def fix(text: str):
        monkeypatch.setattr("shop.clock.now", lambda: moment(text))
    return fix


@pytest.fixture
def towns(make_sales_point):
    """Four points in three towns, with different hours; one more closed for good."""
    points = {
        "bai_chay": make_sales_point(code="HL91", short_name="Bãi Cháy", town="Hạ Long",
                                     opening_hours="Mo-Su 08:00-22:00"),
        "hong_gai": make_sales_point(code="HL92", short_name="Hồng Gai", town="Hạ Long",
                                     opening_hours="Mo-Fr 07:30-17:30"),
        "tra_co": make_sales_point(code="MC91", short_name="Trà Cổ", town="Móng Cái",
                                   opening_hours="Sa-Su 09:00-17:00"),
        "cam_pha": make_sales_point(code="CP91", short_name="Cẩm Phả", town="Cẩm Phả",
                                    opening_hours="Mo-Su 07:00-19:00"),
        "gone": make_sales_point(code="CP92", short_name="Đã đóng", town="Cẩm Phả", is_active=False),
    }
    points["tra_co"].lat, points["tra_co"].lng = 21.473, 108.015
    db.session.commit()
    return points


def test_the_points_are_grouped_by_town_in_alphabetical_order(client, towns, clock_at):
    clock_at("2026-12-07T10:00")
    html = client.get("/sales-points?lang=vi").get_data(as_text=True)
    assert towns_and_points(html) == [("Cẩm Phả", ["Cẩm Phả"]), ("Hạ Long", ["Bãi Cháy", "Hồng Gai"]),
                                      ("Móng Cái", ["Trà Cổ"])]
    assert "Đã đóng" not in html


def test_open_now_and_the_next_opening_follow_vietnams_clock(client, towns, clock_at):
    clock_at("2026-12-07T07:00")  # Monday, 07:00 in Vietnam (00:00 UTC)
    html = client.get("/sales-points?lang=vi").get_data(as_text=True)
    assert "Đang mở cửa" in row_of(html, "Cẩm Phả")
    assert "Đóng cửa · mở lúc 8:00" in row_of(html, "Bãi Cháy")
    assert "Đóng cửa · mở lúc 7:30" in row_of(html, "Hồng Gai")
    assert "Đóng cửa · mở lúc 9:00 Thứ 7" in row_of(html, "Trà Cổ")

    clock_at("2026-12-07T17:45")
    html = client.get("/sales-points?lang=vi").get_data(as_text=True)
    assert "Đang mở cửa" in row_of(html, "Bãi Cháy")
    assert "Đóng cửa · mở lúc 7:30 ngày mai" in row_of(html, "Hồng Gai")

    clock_at("2026-12-12T09:00")  # Saturday
    assert "Đang mở cửa" in row_of(client.get("/sales-points?lang=vi").get_data(as_text=True), "Trà Cổ")


def test_a_closure_keeps_a_point_closed_until_the_day_after_it(client, towns, clock_at):
    towns["bai_chay"].closures.append(Closure(starts_on=dt.date(2026, 12, 7), ends_on=dt.date(2026, 12, 8),
                                              reason="Kiểm kê"))
    db.session.commit()
    clock_at("2026-12-07T10:00")
    html = client.get("/sales-points?lang=en").get_data(as_text=True)
    assert "Closed · opens Wed at 8:00" in row_of(html, "Bãi Cháy")


def test_the_map_has_a_dot_per_active_point_linking_to_its_page(client, towns):
    html = client.get("/sales-points?lang=vi").get_data(as_text=True)
    svg = re.search(r'<svg viewBox="0 0 (\d+) (\d+)".*?</svg>', html, re.S)
    width, height = int(svg.group(1)), int(svg.group(2))
    dots = re.findall(r'<a href="/sales-points/(\w+)" class="map-dot[^"]*" aria-label="([^"]+)">.*?'
                      r'<circle cx="([\d.]+)" cy="([\d.]+)"', svg.group(0), re.S)
    assert sorted((code, label) for code, label, _, _ in dots) == [
        ("CP91", "Cẩm Phả, Cẩm Phả"), ("HL91", "Bãi Cháy, Hạ Long"), ("HL92", "Hồng Gai, Hạ Long"),
        ("MC91", "Trà Cổ, Móng Cái")]
    assert all(0 < float(x) < width and 0 < float(y) < height for _, _, x, y in dots)
    spot = {code: (float(x), float(y)) for code, _, x, y in dots}
    assert spot["MC91"][0] > spot["HL91"][0] and spot["MC91"][1] < spot["HL91"][1]  # Trà Cổ: north-east
    assert "Sơ đồ minh họa" in html
    assert "http" not in svg.group(0)  # nothing fetched from elsewhere: no tiles, no scripts


def test_the_map_and_the_towns_speak_the_visitors_language(client, towns):
    html = client.get("/sales-points?lang=zh").get_data(as_text=True)
    assert "下龙" in _text(re.search(r"<svg viewBox.*?</svg>", html, re.S).group(0))
    assert [town for town, _ in towns_and_points(html)] == ["锦普", "下龙", "芒街"]


def test_checkout_offers_the_points_grouped_by_town_one_line_each(client, two_producers_and_two_points, clock_at):
    state = two_producers_and_two_points
    state.p.town, state.p.short_name = "Hạ Long", "Bãi Cháy"
    state.q.town, state.q.short_name = "Uông Bí", "Uông Bí"
    db.session.commit()
    clock_at("2026-12-07T10:00")
    client.set_cookie("lang", "vi")
    _checkout_to_delivery(client, state.noodles)
    html = client.get("/checkout").get_data(as_text=True)
    assert towns_and_points(html) == [("Hạ Long", ["Bãi Cháy"]), ("Uông Bí", ["Uông Bí"])]
    assert "Đang mở cửa" in row_of(html, "Bãi Cháy")
    assert len(re.findall(r'<input type="radio" name="sales_point"', html)) == 2
    assert "more-points" not in html  # nothing folded away any more


def test_the_tourist_points_take_pickups_with_travellers_hours():
    tourist = {row.code: row for row in SALES_POINTS if row.code in ("HL06", "VD02")}
    assert {row.place for row in tourist.values()} == {"Cảng tàu khách quốc tế Hạ Long",
                                                       "Cảng hàng không quốc tế Vân Đồn"}
    for row in tourist.values():
        assert row.mode == PickupMode.ANY_STOCK
        opens, closes = row.hours.split(" ")[1].split("-")
        assert row.hours.startswith("Mo-Su ") and opens <= "06:30" and closes >= "21:00"
    assert all(row.town for row in SALES_POINTS)
