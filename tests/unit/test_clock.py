"""The moments operators type for --now: ISO 8601, Vietnam's wall clock when no zone is given."""
import datetime as dt

import pytest

from shop.clock import moment

NINE_IN_HA_LONG = dt.datetime(2026, 12, 24, 2, 0, tzinfo=dt.UTC)


@pytest.mark.parametrize("typed", ["2026-12-24T09:00+07:00", "2026-12-24T09:00", " 2026-12-24 09:00:00 ",
                                   "2026-12-24T02:00Z", "2026-12-24T03:00+01:00"])
def test_each_way_of_writing_nine_in_the_morning_in_vietnam_is_the_same_moment(typed):
    assert moment(typed) == NINE_IN_HA_LONG


def test_a_bare_date_is_midnight_in_vietnam():
    assert moment("2026-12-24") == dt.datetime(2026, 12, 23, 17, 0, tzinfo=dt.UTC)


@pytest.mark.parametrize("typed", ["", "tomorrow", "24/12/2026 9h", "2026-13-01T09:00"])
def test_what_is_not_a_time_is_refused(typed):
    with pytest.raises(ValueError):
        moment(typed)
