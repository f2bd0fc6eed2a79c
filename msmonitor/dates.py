"""Date parsing and the one piece of dangerous arithmetic: adding months.

Month series are always ``anchor + relativedelta(months=k)``, computed from the
anchor each time: relativedelta clamps to the month's end (Jan 31 + 1 month =
Feb 28/29) and is not associative, so chained additions drift (Aug 31 + 6 + 6
months = Aug 28) and rrule skips short months altogether.

``add_months`` does that same arithmetic on integers: a plan takes a few
hundred of them and ``relativedelta`` cost a sixth of an import's time. A
property test proves it equal to ``anchor + relativedelta(months=k)``.
"""

from __future__ import annotations

import re
from datetime import date, time, timedelta

from .errors import InputError

_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
# Dates a user may give (README, "Limits"): every treatment, record and
# "today" falls well inside, and a schedule computed from any of them, with
# its tolerances, stays far from the calendar's ends (year 1 and 9999).
EARLIEST, LATEST = date(1900, 1, 1), date(2199, 12, 31)


def looks_like_date(text: str) -> bool:
    return bool(_ISO_DATE.fullmatch(text.strip()))


def parse_iso_date(text: str, what: str = "date") -> date:
    """Parse a strict ISO ``YYYY-MM-DD`` date; ``what`` names it in the error."""
    value = text.strip()
    if not _ISO_DATE.fullmatch(value):
        raise InputError(f"{what}: {text!r} is not a date in YYYY-MM-DD form")
    try:
        day = date.fromisoformat(value)
    except ValueError:
        raise InputError(f"{what}: {text!r} is not a real calendar date") from None
    if not EARLIEST <= day <= LATEST:
        raise InputError(
            f"{what}: {text!r} is outside the dates msmonitor handles ({EARLIEST.isoformat()} to {LATEST.isoformat()})"
        )
    return day


# Days in each month of a common year; February of a leap year has 29.
_MONTH_DAYS = (31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)


def add_months(anchor: date, months: int) -> date:
    """``anchor`` plus whole calendar months, clamped to the month's last day
    (``anchor + relativedelta(months=months)``)."""
    index = anchor.month - 1 + months
    year, month = anchor.year + index // 12, index % 12 + 1
    day = anchor.day
    if day > 28:
        last = _MONTH_DAYS[month - 1]
        if month == 2 and year % 4 == 0 and (year % 100 != 0 or year % 400 == 0):
            last = 29
        day = min(day, last)
    try:
        return date(year, month, day)
    except (OverflowError, ValueError):
        raise _out_of_range(anchor) from None


def add_days(anchor: date, days: int) -> date:
    try:
        return anchor + timedelta(days=days)
    except OverflowError:
        raise _out_of_range(anchor) from None


def shift(anchor: date, *, months: int = 0, days: int = 0) -> date:
    """Months first (clamped), then days: "1 month after the last day, minus 1 day"."""
    return add_days(add_months(anchor, months), days)


def _out_of_range(anchor: date) -> InputError:
    return InputError(
        f"the schedule around {anchor.isoformat()} leaves the supported calendar "
        f"range ({date.min.isoformat()} to {date.max.isoformat()})"
    )


_PERIOD = re.compile(r"(\d{1,4})([dwm])")


def parse_period(text: str, what: str = "period") -> tuple[int, int]:
    """Parse ``7d``, ``2w`` or ``1m`` into (months, days)."""
    match = _PERIOD.fullmatch(text.strip().lower())
    if not match:
        raise InputError(f"{what}: {text!r} is not a period such as 7d, 2w or 1m")
    count, unit = int(match[1]), match[2]
    if unit == "m":
        return count, 0
    return 0, count * (7 if unit == "w" else 1)


_DURATION = re.compile(r"(\d{1,4})([mhdw])")
_UNIT_MINUTES = {"m": 1, "h": 60, "d": 24 * 60, "w": 7 * 24 * 60}


def parse_reminder(text: str, what: str = "--remind") -> timedelta:
    """Parse ``30m``, ``2h``, ``2d`` or ``1w`` (how long before) into a timedelta."""
    match = _DURATION.fullmatch(text.strip().lower())
    if not match:
        raise InputError(f"{what}: {text!r} is not a duration such as 30m, 2h, 2d or 1w")
    return timedelta(minutes=int(match[1]) * _UNIT_MINUTES[match[2]])


_CLOCK = re.compile(r"([01]?\d|2[0-3]):([0-5]\d)")  # 08:30 or 8:30


def parse_clock(text: str, what: str = "--at") -> time:
    """Parse a 24-hour ``HH:MM`` (or ``H:MM``) time of day."""
    match = _CLOCK.fullmatch(text.strip())
    if not match:
        raise InputError(f"{what}: {text!r} is not a time of day in 24-hour HH:MM form")
    return time(int(match[1]), int(match[2]))
