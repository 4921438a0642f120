"""The first day an order can be collected at a sales point.

The stated rule: goods the point holds can be collected on the first day the point is open, from today (or
tomorrow, once today's hours are over); a producer's parcel reaches the point PICKUP_PARCEL_WORKING_DAYS working
days (Monday to Friday, Vietnam's public holidays excepted) after the day it starts, and the order can be
collected on the first day from then on that the point is open: a weekday with hours, and no closure.
"""
from __future__ import annotations

import datetime as dt

from flask import current_app

from shop.clock import VIETNAM, add_working_days, aware
from shop.sales_points.models import SalesPoint

#: A point that opens on no day within this many days offers no pickup day at all.
LOOK_AHEAD_DAYS = 366


def is_open_on(point: SalesPoint, day: dt.date) -> bool:
    """Open that weekday by its hours per weekday (every day when it has only old text), and no closure covers it."""
    if point.closure_on(day) is not None:
        return False
    return point.weekly_hours is None or point.weekly_hours[day.weekday()] is not None


def first_pickup_day(point: SalesPoint, moment: dt.datetime, *, parcels: bool,
                     not_before: dt.date | None = None) -> dt.date | None:
    """The first day from `moment` on which the order can be collected at the point; None if it opens on no day.

    parcels: some goods travel from producers (they arrive PICKUP_PARCEL_WORKING_DAYS working days later);
    not_before: never a day before this one (a parcel running late is not collected in the past).
    """
    local = aware(moment).astimezone(VIETNAM)
    if parcels:
        day = add_working_days(local, current_app.config["PICKUP_PARCEL_WORKING_DAYS"]).astimezone(VIETNAM).date()
    else:
        day = local.date()
        hours = point.weekly_hours[day.weekday()] if point.weekly_hours else None
        if hours and local.strftime("%H:%M") >= hours[1]:
            day += dt.timedelta(days=1)  # today's hours are over
    if not_before is not None and day < not_before:
        day = not_before
    for _ in range(LOOK_AHEAD_DAYS):
        if is_open_on(point, day):
            return day
        day += dt.timedelta(days=1)
    return None
