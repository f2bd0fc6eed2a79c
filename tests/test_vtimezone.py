"""The VTIMEZONE writer (render/ics.vtimezone), checked against zoneinfo.

The real parsers (tests/test_ics.py, shared/tools/ics-check) say whether
clients read the component; these tests say whether what it states is true:
an independent reading of the written observances (onsets from DTSTART and a
yearly RRULE, expanded with dateutil) gives zoneinfo's UTC offset at every
hour of the range, and the component has the shape the writer promises.
"""

from bisect import bisect_right
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from dateutil.rrule import rrulestr
from icalendar import Timezone

from msmonitor.render.ics import vtimezone


def observances(component):
    return [(sub.name, sub) for sub in component.subcomponents]


def onsets(component, until: datetime) -> list[tuple[datetime, timedelta]]:
    """(UTC instant, offset from then on) for every onset the component states;
    before the first, its TZOFFSETFROM holds (as ical.js and libical read it)."""
    result = []
    for _, sub in observances(component):
        start = sub.decoded("DTSTART")  # local wall-clock time, before the change
        before = sub.decoded("TZOFFSETFROM")
        after = sub.decoded("TZOFFSETTO")
        if "RRULE" in sub:
            rule = rrulestr(sub["RRULE"].to_ical().decode(), dtstart=start)
            walls = rule.between(start, until.replace(tzinfo=None) + timedelta(days=400), inc=True)
        else:
            walls = [start]
        walls += onset_dates(sub)  # a zone whose rules changed lists its onsets
        result += [((wall - before).replace(tzinfo=UTC), after) for wall in walls]
    result.sort()
    first_from = next(
        s.decoded("TZOFFSETFROM")
        for _, s in observances(component)
        if s.decoded("DTSTART") == min(x.decoded("DTSTART") for _, x in observances(component))
    )
    return [(datetime.min.replace(tzinfo=UTC), first_from)] + result


def written(tzid: str, first: date, last: date) -> Timezone:
    """The component as a reader gets it: written out and parsed back."""
    return Timezone.from_ical(vtimezone(tzid, first, last).to_ical())


def assert_states_the_zone(tzid: str, first: date, last: date):
    component = written(tzid, first, last)
    zone = ZoneInfo(tzid)
    begin = datetime(first.year, first.month, first.day, tzinfo=UTC)
    end = datetime(last.year, last.month, last.day, tzinfo=UTC)
    stated = onsets(component, end)
    instants = [i for i, _ in stated]
    # the writer pads the range by a year before the first event: the first
    # stated change comes within a year of the range's start
    assert instants[1] - begin < timedelta(days=366)
    hour, checked = begin, 0
    while hour <= end:
        offset = stated[bisect_right(instants, hour) - 1][1]
        assert offset == hour.astimezone(zone).utcoffset(), f"{tzid} at {hour.isoformat()}"
        hour += timedelta(hours=1)
        checked += 1
    # and exactly at each change, and one second before it
    for instant, offset in stated[1:]:
        if begin <= instant <= end:
            assert instant.astimezone(zone).utcoffset() == offset
            earlier = instant - timedelta(seconds=1)
            assert stated[bisect_right(instants, earlier) - 1][1] == earlier.astimezone(zone).utcoffset()
    return component, checked


def test_a_zone_without_daylight_saving_is_one_standard_observance():
    component, checked = assert_states_the_zone("Asia/Tokyo", date(2023, 1, 1), date(2027, 12, 31))
    assert checked > 40_000
    ((name, sub),) = observances(component)
    assert name == "STANDARD" and "RRULE" not in sub
    assert sub["TZOFFSETFROM"].to_ical() == sub["TZOFFSETTO"].to_ical() == "+0900"
    assert str(sub["TZNAME"]) == "JST"


def test_utc_itself():
    component, _ = assert_states_the_zone("UTC", date(2024, 1, 1), date(2025, 1, 1))
    assert [name for name, _ in observances(component)] == ["STANDARD"]


@pytest.mark.parametrize(
    "tzid, standard, daylight",
    [
        # southern hemisphere: daylight time spans the new year
        ("Australia/Sydney", ("4", "1SU", "030000", "+1100", "+1000"), ("10", "1SU", "020000", "+1000", "+1100")),
        ("Pacific/Auckland", ("4", "1SU", "030000", "+1300", "+1200"), ("9", "-1SU", "020000", "+1200", "+1300")),
        # northern, for contrast
        ("Europe/Paris", ("10", "-1SU", "030000", "+0200", "+0100"), ("3", "-1SU", "020000", "+0100", "+0200")),
        ("America/New_York", ("11", "1SU", "020000", "-0400", "-0500"), ("3", "2SU", "020000", "-0500", "-0400")),
    ],
)
def test_stable_rules_are_one_standard_and_one_daylight_with_a_yearly_rule(tzid, standard, daylight):
    component, _ = assert_states_the_zone(tzid, date(2022, 6, 1), date(2027, 6, 1))
    parts = dict(observances(component))
    assert sorted(parts) == ["DAYLIGHT", "STANDARD"] and len(component.subcomponents) == 2
    for name, (month, byday, clock, offset_from, offset_to) in (("STANDARD", standard), ("DAYLIGHT", daylight)):
        sub = parts[name]
        rule = sub["RRULE"]
        assert rule.to_ical().decode() == f"FREQ=YEARLY;BYDAY={byday};BYMONTH={month}"
        assert sub["DTSTART"].to_ical().decode().endswith("T" + clock)
        assert (sub["TZOFFSETFROM"].to_ical(), sub["TZOFFSETTO"].to_ical()) == (offset_from, offset_to)


def test_sydney_starts_the_range_in_daylight_time():
    """A January range start in Sydney is inside daylight time: before the
    first stated change (April, to standard time) its TZOFFSETFROM holds."""
    component, _ = assert_states_the_zone("Australia/Sydney", date(2024, 1, 15), date(2025, 3, 1))
    assert len(component.subcomponents) == 2


@pytest.mark.parametrize(
    "tzid, first, last, changes",
    [
        # the US moved its daylight-saving dates in 2007
        ("America/New_York", date(2005, 1, 1), date(2009, 12, 31), 10),
        # Russia: daylight saving ended in 2011 (permanent +04), back to +03 in 2014
        ("Europe/Moscow", date(2010, 1, 1), date(2015, 12, 31), 4),
        # Brazil stopped daylight saving in 2019
        ("America/Sao_Paulo", date(2016, 1, 1), date(2021, 12, 31), 7),
        # Samoa skipped 30 December 2011 (-10 to +14) and later dropped DST
        ("Pacific/Apia", date(2010, 1, 1), date(2022, 12, 31), None),
    ],
)
def test_a_zone_whose_rules_changed_gets_one_observance_per_kind_of_change(tzid, first, last, changes):
    """No RRULE fits every year: each kind of change (standard or daylight,
    offsets, name) is one observance listing its onsets, DTSTART then RDATEs."""
    component, _ = assert_states_the_zone(tzid, first, last)
    parts = [sub for _, sub in observances(component)]
    assert not any("RRULE" in sub for sub in parts)
    kinds = {
        (sub.name, sub["TZOFFSETFROM"].to_ical(), sub["TZOFFSETTO"].to_ical(), str(sub["TZNAME"])) for sub in parts
    }
    assert len(kinds) == len(parts)  # one observance per kind
    if changes is not None:  # every change is one onset: a DTSTART or an RDATE
        assert sum(1 + len(onset_dates(sub)) for sub in parts) == changes


def onset_dates(sub) -> list:
    rdates = sub.get("RDATE", [])
    return [value.dt for rdate in (rdates if isinstance(rdates, list) else [rdates]) for value in rdate.dts]


def test_new_york_across_2007_is_one_standard_and_one_daylight():
    """The US moved its daylight-saving dates in 2007: still one STANDARD and
    one DAYLIGHT (the Ruby icalendar gem fails when a second one of a type
    starts after an event), their onsets listed."""
    component = written("America/New_York", date(2005, 1, 1), date(2009, 12, 31))
    parts = dict(observances(component))
    assert sorted(parts) == ["DAYLIGHT", "STANDARD"] and len(component.subcomponents) == 2
    daylight = [parts["DAYLIGHT"].decoded("DTSTART")] + onset_dates(parts["DAYLIGHT"])
    assert [d.isoformat() for d in daylight] == [
        "2005-04-03T02:00:00",
        "2006-04-02T02:00:00",
        "2007-03-11T02:00:00",
        "2008-03-09T02:00:00",
        "2009-03-08T02:00:00",
    ]


def test_a_range_across_a_rule_change_and_a_stable_range_differ():
    """The same zone gets the compact form only where its rules are stable."""
    changed = written("America/New_York", date(2005, 1, 1), date(2009, 12, 31))
    stable = written("America/New_York", date(2008, 1, 1), date(2012, 12, 31))
    assert len(changed.subcomponents) == len(stable.subcomponents) == 2
    assert all("RDATE" in sub and "RRULE" not in sub for sub in changed.subcomponents)
    assert all("RRULE" in sub and "RDATE" not in sub for sub in stable.subcomponents)
