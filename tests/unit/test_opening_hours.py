"""Opening hours per weekday, read from and written back to schema.org openingHours lines."""
import pytest

from shop.sales_points.models import opening_hours_text, parse_opening_hours

O, E = ["07:30", "17:30"], ["08:00", "20:00"]


@pytest.mark.parametrize("text, week", [
    ("Mo-Su 08:00-20:00", [E] * 7),
    ("Mo-Fr 07:30-17:30\nSa-Su 08:00-20:00", [O] * 5 + [E] * 2),
    ("Mo-Sa 07:30-17:30", [O] * 6 + [None]),
    ("Mo,We,Fr 07:30-17:30", [O, None, O, None, O, None, None]),
])
def test_the_demo_shapes_are_read_day_by_day_and_written_back_the_same(text, week):
    assert parse_opening_hours(text) == week
    assert opening_hours_text(week) == text.replace("Mo,We,Fr", "Mo\nWe\nFr").replace(
        "Mo\nWe\nFr 07:30-17:30", "Mo 07:30-17:30\nWe 07:30-17:30\nFr 07:30-17:30")


@pytest.mark.parametrize("text", ["", "Sáng 7h30 – chiều 17h", "Mo-Fr 7:30-17:30", "Mo-Fr 17:30-07:30",
                                  "Fr-Mo 08:00-17:00", "Xy 08:00-17:00", "Mo-Fr 08:00-24:00", "Mo-Fr"])
def test_text_that_cannot_be_read_gives_none_so_the_old_text_is_kept(text):
    assert parse_opening_hours(text) is None
