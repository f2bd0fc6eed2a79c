from datetime import date, time

import pytest

from msmonitor.dates import add_months, parse_clock, parse_iso_date, parse_period, shift
from msmonitor.errors import InputError


@pytest.mark.parametrize(
    "anchor, months, expected",
    [
        (date(2024, 1, 31), 1, date(2024, 2, 29)),  # leap February
        (date(2023, 1, 31), 1, date(2023, 2, 28)),
        (date(2024, 1, 31), 2, date(2024, 3, 31)),  # from the anchor: not clamped twice
        (date(2024, 2, 29), 12, date(2025, 2, 28)),
        (date(2024, 2, 29), 48, date(2028, 2, 29)),
        (date(2023, 12, 31), 1, date(2024, 1, 31)),  # year end
        (date(2023, 12, 15), 13, date(2025, 1, 15)),
        (date(2024, 8, 31), 6, date(2025, 2, 28)),
        (date(2024, 8, 31), 12, date(2025, 8, 31)),  # not Aug 28, as 6 + 6 chained would give
        (date(2024, 5, 31), -1, date(2024, 4, 30)),
    ],
)
def test_add_months_clamps_from_the_anchor(anchor, months, expected):
    assert add_months(anchor, months) == expected


def test_chained_additions_would_drift():
    # The reason every grid date is computed from the anchor.
    chained = add_months(add_months(date(2024, 8, 31), 6), 6)
    assert chained == date(2025, 8, 28) != add_months(date(2024, 8, 31), 12)


def test_shift_applies_months_then_days():
    assert shift(date(2024, 1, 31), months=1, days=-1) == date(2024, 2, 28)


@pytest.mark.parametrize("text", ["2024-13-01", "2024-02-30", "2023-02-29", "2024-00-10"])
def test_impossible_dates_are_refused(text):
    with pytest.raises(InputError, match="not a real calendar date"):
        parse_iso_date(text, "--course1")


@pytest.mark.parametrize(
    "text", ["24-01-10", "2024/01/10", "10.01.2024", "2024-1-10", "20240110", "", "today", "2024-01-10T00:00"]
)
def test_only_iso_dates_are_accepted(text):
    with pytest.raises(InputError, match="YYYY-MM-DD"):
        parse_iso_date(text, "--course1")


def test_parse_iso_date_names_the_option():
    with pytest.raises(InputError, match=r"^--course2: '2024-02-30'"):
        parse_iso_date("2024-02-30", "--course2")


def test_out_of_range_is_an_input_error():
    with pytest.raises(InputError, match="calendar range"):
        add_months(date(9999, 6, 1), 12)


@pytest.mark.parametrize("text, expected", [("7d", (0, 7)), ("2w", (0, 14)), ("1m", (1, 0)), ("30D", (0, 30))])
def test_parse_period(text, expected):
    assert parse_period(text) == expected


@pytest.mark.parametrize("text", ["7", "d", "1y", "-1d", "1.5d"])
def test_parse_period_rejects(text):
    with pytest.raises(InputError):
        parse_period(text, "--within")


@pytest.mark.parametrize("text, expected", [("08:30", time(8, 30)), ("8:30", time(8, 30)), ("23:59", time(23, 59))])
def test_clock_times(text, expected):
    assert parse_clock(text) == expected


@pytest.mark.parametrize("text", ["8.30", "24:00", "8:5", "830", "08:60", ""])
def test_clock_times_refused(text):
    with pytest.raises(InputError, match="not a time of day"):
        parse_clock(text)
