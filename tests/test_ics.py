"""The calendar export, parsed back with icalendar and checked against the plan
and against what a patient's phone shows."""

import functools
import os
import re
import shutil
import subprocess
import tempfile
from collections import Counter
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path

import pytest
from icalendar import Calendar

from msmonitor.errors import InputError
from msmonitor.protocol import load_protocol
from msmonitor.render.ics import IcsOptions, legacy_plan_tag, read_previous, render_ics
from msmonitor.render.visits import TITLE_MAX, calendar_entries

from .conftest import THOROUGH, make_plan

STAMP = datetime(2026, 1, 1, 12, 0, tzinfo=UTC)
SALT = "0123456789abcdef" * 2
OTHER_SALT = "f" * 32
DATA = Path(__file__).parent / "data"
# beside the clone, as CI has it, or where MSMONITOR_ICS_CHECK says (a worktree elsewhere)
ICS_CHECK = Path(
    os.environ.get("MSMONITOR_ICS_CHECK") or Path(__file__).resolve().parents[2] / "shared" / "tools" / "ics-check"
)
C1 = date(2024, 1, 10)


def export(plan, previous=None, stamp=STAMP, salt=SALT, **options):
    return render_ics(plan, stamp=stamp, options=IcsOptions(salt=salt, **options), previous=previous)


def events(data):
    return list(_parsed_events(data))


@functools.lru_cache(maxsize=64)
def _parsed_events(data: bytes) -> tuple:
    """Parsed once per distinct file: many tests read the same export, and
    parsing takes almost as long as writing it (the tests only read events)."""
    return tuple(Calendar.from_ical(data).walk("VEVENT"))


def by_summary(data, text):
    return [e for e in events(data) if text in str(e["SUMMARY"])]


def read(data, course1=C1, **kwargs):
    return read_previous(data, "old.ics", course1, **kwargs)


def span(e):
    return e.decoded("DTSTART"), e.decoded("DTEND")


PLANS = {
    "us": lambda us, eu: make_plan(us, C1),
    "us-female": lambda us, eu: make_plan(us, C1, date(2025, 1, 13), sex="female"),
    "us-male-single": lambda us, eu: make_plan(us, C1, sex="male", single_course=True),
    "eu-unverified": lambda us, eu: make_plan(eu, C1, include_unverified=True),
    "eu-four-courses": lambda us, eu: make_plan(eu, date(2020, 5, 4), date(2021, 5, 10), [date(2022, 9, 12)]),
    "month-end": lambda us, eu: make_plan(us, date(2023, 12, 27), date(2024, 12, 31)),
}


@pytest.fixture(params=sorted(PLANS))
def any_plan(request, us, eu):
    return PLANS[request.param](us, eu)


# ------------------------------------------------------------------ one visit, one event, one reminder


def test_every_plan_date_is_in_the_calendar(us):
    plan = make_plan(us, C1, date(2025, 1, 13), sex="female")
    vevents = events(export(plan).data)
    starts = {e.decoded("DTSTART") for e in vevents}
    courses = [(c.first, c.last) for c in plan.courses]
    for event in plan.events:
        if event.kind == "infusion" or any(a <= event.date <= b for a, b in courses):
            continue  # inside a course's event
        assert event.date in starts, event.id
        assert event.last_date in starts, event.id  # a window's last day has its own event
    for course in plan.courses:
        assert (course.first, course.last + timedelta(days=1)) in {span(e) for e in vevents}


def test_one_alarmed_event_per_date_and_one_event_per_visit_day(any_plan):
    vevents = events(export(any_plan).data)
    alarmed = Counter(e.decoded("DTSTART") for e in vevents if e.walk("VALARM"))
    assert alarmed and max(alarmed.values()) == 1
    # everything due on one day is one event: no two non-window events share a date
    visits = Counter(e.decoded("DTSTART") for e in vevents if str(e["TRANSP"]) == "OPAQUE" or e.walk("VALARM"))
    assert max(visits.values()) == 1


def test_pre_treatment_deadline_day_is_one_event_with_one_alarm_a_week_before(us):
    plan = make_plan(us, C1)
    day = next(e.date for e in plan.events if e.kind == "vaccination")
    due_that_day = [e for e in plan.events if e.date == day]
    assert len(due_that_day) >= 3  # the vaccination deadline shares its day with baseline screenings
    (due,) = [e for e in events(export(plan).data) if e.decoded("DTSTART") == day]
    assert str(due["SUMMARY"]).startswith("Due by: ")
    for item in due_that_day:
        assert f"Due by {day.isoformat()}: {item.title}" in str(due["DESCRIPTION"])
    (alarm,) = due.walk("VALARM")
    assert alarm["TRIGGER"].to_ical() == b"-P6DT15H"  # 09:00 seven days before
    later = export(plan, remind_deadline=timedelta(days=14)).data
    (due,) = [e for e in events(later) if e.decoded("DTSTART") == day]
    assert due.walk("VALARM")[0]["TRIGGER"].to_ical() == b"-P13DT15H"


def test_baseline_labs_remind_at_opening_and_are_due_by_their_last_day(us):
    data = export(make_plan(us, C1)).data
    (opening,) = by_summary(data, "Baseline labs window opens")
    assert span(opening) == (date(2023, 12, 11), date(2023, 12, 12))
    assert opening.walk("VALARM")[0]["TRIGGER"].to_ical() == b"-PT15H"
    (due,) = by_summary(data, "Due by: baseline labs")
    assert span(due) == (date(2024, 1, 9), date(2024, 1, 10)) and due.walk("VALARM")


def test_no_window_event_is_longer_than_a_day_by_default(any_plan):
    courses = {(c.first, c.last + timedelta(days=1)) for c in any_plan.courses}
    for e in events(export(any_plan).data):
        start, end = span(e)
        assert (start, end) in courses or end - start == timedelta(days=1), str(e["SUMMARY"])


def test_window_edges_have_no_alarm_and_say_until_when(us):
    data = export(make_plan(us, C1)).data
    start, _ = by_summary(data, "Start: Listeria precautions")  # courses 1 and 2
    assert start.decoded("DTSTART") == date(2023, 12, 27) and not start.walk("VALARM")
    assert "until 2024-02-14" in str(start["DESCRIPTION"]) and str(start["TRANSP"]) == "TRANSPARENT"
    (last,) = [e for e in by_summary(data, "Last day: Listeria") if e.decoded("DTSTART") == date(2024, 2, 14)]
    assert not last.walk("VALARM")


def test_the_antiviral_edge_titles_say_minimum_not_min(us):
    # "min." reads as minutes, and "Last day: herpes antiviral" alone reads as
    # "stop now"; the antiviral runs at least this long (longer with a low CD4).
    data = export(make_plan(us, C1)).data
    titles = [str(e["SUMMARY"]) for e in events(data)]
    assert "Last day: herpes antiviral minimum" in titles
    assert not [t for t in titles if "min." in t]


def test_windows_span_and_none(us):
    plan = make_plan(us, C1)
    spanning = export(plan, windows="span").data
    (listeria,) = [e for e in events(spanning) if str(e["SUMMARY"]) == "Listeria precautions"]
    assert span(listeria) == (date(2023, 12, 27), date(2024, 2, 15)) and not listeria.walk("VALARM")
    (labs,) = by_summary(spanning, "Baseline labs")
    assert span(labs) == (date(2023, 12, 11), date(2024, 1, 10)) and labs.walk("VALARM")
    none = export(plan, windows="none").data
    assert not [e for e in events(none) if "Precaution" in e["CATEGORIES"].to_ical().decode()]
    assert by_summary(none, "Baseline labs window opens")  # a task, not a precaution: kept
    with pytest.raises(ValueError):
        calendar_entries(plan, windows="all")


def test_titles_are_short_with_the_essential_first(any_plan):
    for windows in ("edges", "span"):
        for weekdays in (False, True):
            for entry in calendar_entries(any_plan, windows=windows, weekdays=weekdays):
                assert len(entry.title) <= TITLE_MAX, entry.title
                assert "(" not in re.sub(r"\((month \d+|\d+ days)\)", "", entry.title)
                assert "…" not in entry.title  # shortened by dropping parts, never cut


def test_plain_titles(us):
    data = export(make_plan(us, C1)).data
    titles = {e.decoded("DTSTART"): str(e["SUMMARY"]) for e in events(data) if e.walk("VALARM")}
    assert titles[date(2024, 2, 14)] == "Blood + urine tests (month 1)"
    assert titles[date(2024, 4, 14)] == "Blood + urine tests, thyroid (month 3)"
    assert titles[date(2025, 1, 14)] == "Blood + urine tests, thyroid +2 more"
    assert titles[C1] == "Lemtrada course 1 (5 days)"
    (m12,) = [e for e in events(data) if e.decoded("DTSTART") == date(2025, 1, 14)]
    for item in ("Monthly blood and urine tests", "Thyroid test", "Yearly skin exam", "Yearly cervical (HPV)"):
        assert item in str(m12["DESCRIPTION"])  # a day's items are all in its description


def test_projected_events_are_tentative_and_marked(us):
    data = export(make_plan(us, C1)).data
    (course2,) = by_summary(data, "Lemtrada course 2")
    assert str(course2["SUMMARY"]) == "Projected: Lemtrada course 2 (3 days)" and str(course2["STATUS"]) == "TENTATIVE"
    (course1,) = by_summary(data, "Lemtrada course 1")
    assert str(course1["STATUS"]) == "CONFIRMED"
    # window edges of a projected course: TENTATIVE rather than a longer title
    edge = [e for e in by_summary(data, "Start: herpes") if e.decoded("DTSTART").year == 2025]
    assert edge and str(edge[0]["STATUS"]) == "TENTATIVE"


def test_lab_descriptions_give_the_acceptable_range(any_plan):
    vevents = events(export(any_plan).data)
    labs = [e for e in vevents if "(cbc-diff)" in str(e["DESCRIPTION"]) and e.walk("VALARM")]
    monthly = [e for e in labs if "Month " in str(e["DESCRIPTION"])]
    assert len(monthly) > 40
    for e in monthly:
        day = e.decoded("DTSTART")
        match = re.search(r"Any day from (\S+) to (\S+) counts\.", str(e["DESCRIPTION"]))
        assert match, str(e["SUMMARY"])
        low, high = date.fromisoformat(match[1]), date.fromisoformat(match[2])
        assert low < day < high and (high - low).days == 28  # the monthly panel's 14 days either side


def test_weekdays_moves_visits_inside_their_range(us):
    plan = make_plan(us, C1)
    plain, moved = events(export(plan).data), events(export(plan, weekdays=True).data)
    by_uid = {str(e["UID"]): e for e in plain}
    shifted = 0
    for e in moved:
        old = by_uid[str(e["UID"])]  # moving keeps the UID
        day, was = e.decoded("DTSTART"), old.decoded("DTSTART")
        if not e.walk("VALARM") or "Month " not in str(e.get("DESCRIPTION", "")):
            assert day == was  # windows, deadlines and courses stay
            continue
        assert day.weekday() < 5
        if day != was:
            shifted += 1
            assert was.weekday() >= 5 and abs((day - was).days) <= 2
            assert f"Scheduled for {was.isoformat()}, a {was.strftime('%A')}" in str(e["DESCRIPTION"])
    assert shifted > 10
    alarmed = Counter(e.decoded("DTSTART") for e in moved if e.walk("VALARM"))
    assert max(alarmed.values()) == 1


def test_weekdays_never_leave_the_tolerance(us):
    plan = make_plan(us, C1)
    rule = next(r for r in us.rules if r.id == "monthly-labs")
    strict = plan._replace(
        protocol=us._replace(rules=tuple(r._replace(tolerance_days=0) if r is rule else r for r in us.rules))
    )
    entries = calendar_entries(strict, weekdays=True)
    labs = [e for e in entries if e.key.startswith("labs/m")]
    assert any(e.start.weekday() >= 5 for e in labs)  # no room to move: they stay
    assert {e.start for e in labs} == {e.date for e in plan.events if e.id.startswith("labs/m")}


# ------------------------------------------------------------------ the file's shape


def test_all_day_events_use_dates_and_exclusive_ends(us):
    data = export(make_plan(us, C1)).data
    for e in events(data):
        start, end = span(e)
        assert type(start) is date and type(end) is date and end > start
    assert b"DTSTART;VALUE=DATE:20240214\r\nDTEND;VALUE=DATE:20240215" in data


def test_required_properties_and_calendar_header(us):
    data = export(make_plan(us, C1)).data
    cal = Calendar.from_ical(data)
    assert str(cal["VERSION"]) == "2.0" and "msmonitor" in str(cal["PRODID"])
    assert str(cal["METHOD"]) == "PUBLISH" and str(cal["CALSCALE"]) == "GREGORIAN"
    assert str(cal["X-WR-CALNAME"]) == str(cal["NAME"]) == "MS monitoring"
    assert str(cal["X-MSMONITOR-PLAN"]) == SALT
    assert not list(cal.walk("VTODO")) and b"ATTENDEE" not in data and b"ORGANIZER" not in data
    for e in events(data):
        for prop in ("UID", "DTSTAMP", "SUMMARY", "DESCRIPTION", "CATEGORIES", "SEQUENCE", "LAST-MODIFIED"):
            assert prop in e
        assert e.decoded("DTSTAMP") == STAMP
        assert "Protocol: us 2026.12.2. Sources: " in str(e["DESCRIPTION"])
        assert "Not medical advice" in str(e["DESCRIPTION"])
    assert "Not medical advice" in str(cal["X-WR-CALDESC"])


def test_descriptions_list_the_tests_due(us):
    data = export(make_plan(us, C1)).data
    (m3,) = by_summary(data, "(month 3)")
    text = str(m3["DESCRIPTION"])
    assert "Complete blood count with differential (cbc-diff)" in text and "Thyroid function (TSH) (tsh)" in text


def test_lines_are_crlf_folded_at_75_octets_without_splitting_characters(us):
    plan = make_plan(us, C1, patient="Zoë Ünïcødé " * 5)
    data = export(plan, name="MS monitoring: " + "Zoë Ünïcødé " * 5).data
    assert data.endswith(b"\r\n") and b"\n" not in data.replace(b"\r\n", b"")
    for line in data.split(b"\r\n"):
        assert len(line) <= 75
        line.decode("utf-8")  # a fold never splits a multi-byte character
    assert any(line.startswith(b" ") for line in data.split(b"\r\n"))


def test_every_text_property_is_escaped(us):
    hostile = "x\r\nEND:VEVENT\r\nBEGIN:VEVENT\rUID:evil;a,b\\"
    result = export(make_plan(us, C1), name=hostile)
    data = result.data
    assert data.count(b"\r\nBEGIN:VEVENT\r\n") == result.events
    assert b"\r\nUID:evil" not in data and b"\r\nEND:VEVENT\r\nBEGIN:VEVENT\r\nUID:evil" not in data
    unfolded = data.replace(b"\r\n ", b"")
    for prop in (b"NAME", b"X-WR-CALNAME"):
        (line,) = [ln for ln in unfolded.split(b"\r\n") if ln.startswith(prop + b":")]
        assert line == prop + b":x\\nEND:VEVENT\\nBEGIN:VEVENT\\nUID:evil\\;a\\,b\\\\"
    assert len(events(data)) == result.events


@pytest.mark.parametrize(
    "remind, expected",
    [
        (timedelta(days=1), b"-PT15H"),
        (timedelta(days=2), b"-P1DT15H"),
        (timedelta(hours=3), b"-PT3H"),
        (timedelta(weeks=1), b"-P6DT15H"),
    ],
)
def test_all_day_alarm_triggers_are_negative(us, remind, expected):
    data = export(make_plan(us, C1), remind=remind).data
    alarms = [a for e in events(data) if "Due by" not in str(e["SUMMARY"]) for a in e.walk("VALARM")]
    assert alarms and all(a["TRIGGER"].to_ical() == expected for a in alarms)
    assert all(str(a["ACTION"]) == "DISPLAY" and str(a["DESCRIPTION"]) for a in events(data) for a in a.walk("VALARM"))
    # the alarm follows the event's properties, never precedes them
    assert data.index(b"BEGIN:VALARM") > data.index(b"SUMMARY:")
    assert b"BEGIN:VALARM" not in export(make_plan(us, C1), remind=None).data


def test_discreet_mode_says_nothing_medical(us):
    data = export(make_plan(us, C1), discreet="on").data
    cal = Calendar.from_ical(data)
    assert str(cal["X-WR-CALNAME"]) == "Appointments"
    medical = re.compile(r"lemtrada|infusion|test|blood|thyroid|ms |monitor|pregnan|course|lab test|due by", re.I)
    for e in events(data):
        assert str(e["SUMMARY"]) in {"Appointment", "Lab visit", "Reminder"}
        assert str(e["CLASS"]) == "PRIVATE"
        assert not medical.search(e["CATEGORIES"].to_ical().decode())
        for alarm in e.walk("VALARM"):
            assert not medical.search(str(alarm["DESCRIPTION"]))
    # the details stay in the descriptions, which lock screens do not show
    labs = [e for e in events(data) if str(e["SUMMARY"]) == "Lab visit"]
    assert sum("(cbc-diff)" in str(e["DESCRIPTION"]) for e in labs) > 40


def test_discreet_strict_names_neither_the_tool_nor_ms(us):
    plan = make_plan(us, C1, patient="jd")
    strict = export(plan, discreet="strict").data
    assert all("DESCRIPTION" not in e for e in events(strict))
    telling = re.compile(rb"msmonitor|\bms\b|lemtrada|sclerosis|monitoring", re.I)
    cal = Calendar.from_ical(strict)
    for name, value in cal.property_items(recursive=True):
        if name == "PRODID" or name.startswith("X-"):
            assert not telling.search(name.encode()) and not telling.search(value.to_ical()), name
    assert not telling.search(strict.replace(b"MS monitoring", b"")) and not re.search(rb"msmonitor", strict, re.I)
    again = export(plan, discreet="strict", previous=read(strict)).data  # a strict file is its own previous export
    assert export(plan, discreet="strict", previous=read(again)).changed == 0


def test_timed_events_with_a_time_zone(us):
    data = export(make_plan(us, C1), at=time(8, 30), tz="Europe/London").data
    cal = Calendar.from_ical(data)
    (zone,) = cal.walk("VTIMEZONE")
    assert str(zone["TZID"]) == "Europe/London"
    (m6,) = by_summary(data, "(month 6)")  # 2024-07-14, summer time
    start = m6.decoded("DTSTART")
    assert start.tzinfo is not None and start.utcoffset() == timedelta(hours=1)
    assert start.astimezone(UTC) == datetime(2024, 7, 14, 7, 30, tzinfo=UTC)
    assert m6.decoded("DTEND") - start == timedelta(hours=1)
    assert b"DTSTART;TZID=Europe/London:20240714T083000" in data
    assert m6.walk("VALARM")[0]["TRIGGER"].to_ical() == b"-P1D"
    # courses, windows and deadlines stay all-day
    for text in ("Lemtrada course 1", "Due by: infection", "Start: Listeria"):
        assert type(by_summary(data, text)[0].decoded("DTSTART")) is date


# ------------------------------------------------------------------ UIDs, salt and re-export


def test_uids_are_unique_stable_salted_and_private(us):
    plan = make_plan(us, C1, patient="Zoë J")
    first, again = export(plan).data, export(plan).data
    assert first == again
    uids = [str(e["UID"]) for e in events(first)]
    assert len(uids) == len(set(uids))
    for uid in uids:
        assert re.fullmatch(r"[0-9a-f]{32}@msmonitor", uid)
    other = {str(e["UID"]) for e in events(export(plan, salt=OTHER_SALT).data)}
    assert not other & set(uids)  # the salt, not the label or course 1, makes the UIDs
    # the unsalted hashes of the old scheme (brute-forced in under a second) are gone
    import hashlib

    for identity in ("patient:Zoë J", "course1:2024-01-10"):
        assert legacy_plan_tag(identity).encode() not in first
        old = hashlib.sha256("\x1f".join(["msmonitor.event/1", identity, "labs/m1"]).encode()).hexdigest()[:32]
        assert old.encode() not in first


def test_two_plans_with_their_own_salts_never_collide(us):
    a = {str(e["UID"]) for e in events(export(make_plan(us, C1, patient="a"), salt="a" * 32).data)}
    b = {str(e["UID"]) for e in events(export(make_plan(us, C1, patient="b"), salt="b" * 32).data)}
    assert not a & b


def test_uids_survive_a_moved_course_2_and_only_changed_events_are_raised(us):
    before = export(make_plan(us, C1)).data
    later = STAMP + timedelta(days=30)
    previous = read(before)
    assert previous.salt == SALT
    moved = export(make_plan(us, C1, date(2025, 1, 20)), previous=previous, stamp=later).data
    old = {str(e["UID"]): e for e in events(before)}
    new = {str(e["UID"]): e for e in events(moved)}
    assert set(old) <= set(new)  # nothing vanished, a month was added at the end
    (c2_old,) = [e for e in old.values() if "Lemtrada course 2" in str(e["SUMMARY"])]
    c2_new = new[str(c2_old["UID"])]
    assert c2_new.decoded("DTSTART") == date(2025, 1, 20) and c2_old.decoded("DTSTART") == date(2025, 1, 10)
    assert int(c2_new["SEQUENCE"]) == 1 and c2_new.decoded("LAST-MODIFIED") == later
    (m5,) = [e for e in new.values() if "(month 5)" in str(e["SUMMARY"])]
    assert int(m5["SEQUENCE"]) == 0 and m5.decoded("LAST-MODIFIED") == STAMP
    same = export(make_plan(us, C1, date(2025, 1, 20)), previous=read(moved), stamp=later + timedelta(days=1))
    assert same.changed == 0 and same.cancelled == 0


def test_switching_window_style_cancels_the_old_events(us):
    before = export(make_plan(us, C1), windows="span").data
    result = export(make_plan(us, C1), previous=read(before))
    cancelled = [e for e in events(result.data) if str(e.get("STATUS")) == "CANCELLED"]
    assert result.cancelled == len(cancelled) > 0
    assert all(str(e["SUMMARY"]).startswith("Cancelled: ") and not e.walk("VALARM") for e in cancelled)


def test_removed_events_are_cancelled(us):
    before = export(make_plan(us, C1)).data
    result = export(make_plan(us, C1, single_course=True), previous=read(before))
    cancelled = [e for e in events(result.data) if str(e.get("STATUS")) == "CANCELLED"]
    assert result.cancelled == len(cancelled) > 0
    assert any("Lemtrada course 2" in str(e["SUMMARY"]) for e in cancelled)
    for e in cancelled:
        assert int(e["SEQUENCE"]) == 1 and str(e["SUMMARY"]).startswith("Cancelled: ")
        assert not list(e.walk("VALARM"))


def test_previous_export_of_another_plan_is_refused(us):
    other = export(make_plan(us, C1)).data
    with pytest.raises(InputError, match="exported for another plan"):
        read(other, course1=date(2024, 1, 11))
    with pytest.raises(InputError, match="exported for another plan"):
        read(other, salt=OTHER_SALT)  # a saved patient's salt is not this file's
    assert read(other, salt=SALT).salt == SALT
    with pytest.raises(InputError, match="not written by msmonitor"):
        read(b"BEGIN:VCALENDAR\r\nPRODID:-//other//EN\r\nVERSION:2.0\r\nEND:VCALENDAR\r\n")
    with pytest.raises(InputError, match="not an iCalendar file"):
        read(b"\x00\xff garbage")


def test_an_export_from_before_salts_is_replaced_once(us):
    legacy = (
        b"BEGIN:VCALENDAR\r\nPRODID:-//msmonitor//msmonitor 0.1.0//EN\r\nVERSION:2.0\r\n"
        b"X-MSMONITOR-PLAN:" + legacy_plan_tag("course1:2024-01-10").encode() + b"\r\n"
        b"BEGIN:VEVENT\r\nUID:abc@msmonitor\r\nDTSTAMP:20250101T000000Z\r\nSEQUENCE:2\r\n"
        b"DTSTART;VALUE=DATE:20240214\r\nSUMMARY:Monthly\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
    )
    previous = read(legacy, legacy_identity="course1:2024-01-10")
    assert previous.salt is None
    result = export(make_plan(us, C1), previous=previous)
    (tomb,) = [e for e in events(result.data) if str(e["UID"]) == "abc@msmonitor"]
    assert str(tomb["STATUS"]) == "CANCELLED" and int(tomb["SEQUENCE"]) == 3 and result.cancelled == 1
    with pytest.raises(InputError, match="exported for another plan"):
        read(legacy, legacy_identity="course1:2024-01-11")


@pytest.mark.parametrize(
    "edit",
    [
        (b"SEQUENCE:0", b"SEQUENCE:abc"),
        (b"SEQUENCE:0", b"SEQUENCE:99999999999999999999"),
        (b"LAST-MODIFIED:20260101T120000Z", b"LAST-MODIFIED:yesterday"),
        (b"DTSTART;VALUE=DATE:20240214", b"DTSTART;VALUE=DATE:2024"),
    ],
)
def test_a_hand_edited_previous_export_is_one_clear_error(us, edit):
    data = export(make_plan(us, C1)).data.replace(*edit)
    with pytest.raises(InputError, match=r"old\.ics: event \d+"):
        read(data)


def test_golden_file(us):
    plan = make_plan(us, C1, sex="female", patient="golden")
    data = export(plan, name="MS monitoring: golden").data
    golden = DATA / "plan-2024-01-10.ics"
    if os.environ.get("MSMONITOR_UPDATE_GOLDEN"):
        golden.write_bytes(data)
    assert data == golden.read_bytes(), "regenerate with MSMONITOR_UPDATE_GOLDEN=1 if the change is intended"


# ------------------------------------------------------------------ real clients


def _need(tool: Path | str | None, what: str):
    if tool is None or not Path(tool).exists():
        if os.environ.get("MSMONITOR_REQUIRE_ICS_CHECK"):
            pytest.fail(f"{what} is not set up: run shared/tools/ics-check-setup")
        pytest.skip(f"{what} is not set up here")


# Each export variant through every real parser (Mozilla's ical.js, libical,
# khal, calcurse, the Ruby and PHP libraries, ...) with shared/tools/ics-check.
# One run takes 3-8 s of CPU a file, khal more than half of it (ics-check's
# `khal list` walks every day from 1900), and several parsers take time that
# grows faster than the file (one calendar of every variant took 60 s). So
# they are in the thorough tier (CI, or `pytest -m slow`, which leaves khal
# out of ics-check: test_khal_shows_a_calm_course_1_month imports the default
# export into khal and lists one month); the thorough tier checks every
# variant through every parser, khal too. The checks start together as soon as pytest has collected them, or in one
# pytest-xdist worker at the first of them (tests/conftest.py), and run
# beside the rest of the suite, one process per variant.
REAL_PARSER_VARIANTS = {
    "default": ({}, {}),
    "span": ({}, {"windows": "span"}),
    "weekdays": ({}, {"weekdays": True}),
    "discreet": ({}, {"discreet": "on", "remind": timedelta(days=2)}),
    "strict": ({}, {"discreet": "strict"}),
    "timed": ({}, {"at": time(8, 30), "tz": "Europe/London"}),
    "four-courses": ({"course2": date(2021, 5, 10), "later": [date(2022, 9, 12), date(2024, 1, 8)]}, {}),
    # VTIMEZONE shapes (tests/test_vtimezone.py checks what they state)
    "southern-zone": ({"course1": C1}, {"at": time(8, 30), "tz": "Australia/Sydney"}),
    "no-dst-zone": ({"course1": C1}, {"at": time(8, 30), "tz": "Asia/Tokyo"}),
    "rules-changed-zone": ({"course1": date(2005, 3, 1)}, {"at": time(8, 30), "tz": "America/New_York"}),
}
# Known failures, kept visible: they pass the day the writer is fixed (strict xfail).
REAL_PARSER_XFAIL: dict[str, str] = {}
_checks: dict[str, tuple[subprocess.Popen, Path]] = {}
_folder: list[tempfile.TemporaryDirectory] = []


def _ics_check_ready() -> bool:
    return ICS_CHECK.exists() and (ICS_CHECK.parent / ".venv").exists()


def start_real_parser_checks(names) -> None:
    """Start ics-check on these variants at once; one already started is not
    started again."""
    if not _ics_check_ready():
        return
    if not _folder:
        _folder.append(tempfile.TemporaryDirectory(prefix="msmonitor-ics-check-"))
    folder = Path(_folder[0].name)
    for name in names:
        if name in _checks:
            continue
        kwargs, options = REAL_PARSER_VARIANTS[name]
        kwargs = dict(kwargs)
        course1 = kwargs.pop("course1", date(2020, 5, 4) if kwargs else C1)
        path = folder / f"{name}.ics"
        path.write_bytes(export(make_plan(load_protocol("us"), course1, **kwargs), **options).data)
        skip = [] if THOROUGH else ["--skip", "khal"]
        report = folder / f"{name}.txt"
        with report.open("w") as out:
            run = subprocess.Popen([str(ICS_CHECK), *skip, str(path)], stdout=out, stderr=subprocess.STDOUT)
        _checks[name] = (run, report)


def stop_real_parser_checks() -> None:
    for run, _ in _checks.values():
        if run.poll() is None:
            run.kill()
            run.wait()
    for folder in _folder:
        folder.cleanup()


_selected: list[str] = []


def select_real_parser_checks(items, start: bool) -> None:
    """Note the variants that the selected tests check; start them now or at
    the first of those tests."""
    _selected[:] = [
        item.callspec.params["name"]
        for item in items
        if getattr(item, "originalname", "") == "test_real_parsers_accept_the_export"
    ]
    if start:
        start_real_parser_checks(_selected)


def _variant(name):
    marks = [pytest.mark.slow]
    if name in REAL_PARSER_XFAIL:
        marks.append(pytest.mark.xfail(strict=True, reason=REAL_PARSER_XFAIL[name]))
    return pytest.param(name, marks=marks)


@pytest.mark.parametrize("name", [_variant(name) for name in REAL_PARSER_VARIANTS])
def test_real_parsers_accept_the_export(name):
    _need(ICS_CHECK if _ics_check_ready() else None, "shared/tools/ics-check")
    start_real_parser_checks([*_selected, name])
    run, report = _checks[name]
    run.wait(timeout=900)
    assert run.returncode == 0, report.read_text()[-5000:]


def khal_rows(path: Path, tmp: Path, first: date, last: date) -> list[str]:
    """What `khal list` shows for these days after importing the file: one row
    per event per day, as an agenda view on a phone shows it. khal logs
    nothing at WARNING or above, on import or list."""
    khal = ICS_CHECK.parent / ".venv" / "bin" / "khal"
    _need(khal if khal.exists() else shutil.which("khal"), "khal")
    khal = khal if khal.exists() else Path(shutil.which("khal") or "")
    (tmp / "cal").mkdir()
    config = tmp / "config"
    config.write_text(
        f"[calendars]\n[[ms]]\npath = {tmp / 'cal'}\ntype = calendar\n"
        "[locale]\nlocal_timezone = UTC\ndefault_timezone = UTC\ndateformat = %Y-%m-%d\n"
        "longdateformat = %Y-%m-%d\ndatetimeformat = %Y-%m-%d %H:%M\nlongdatetimeformat = %Y-%m-%d %H:%M\n"
        f"timeformat = %H:%M\n[sqlite]\npath = {tmp / 'khal.db'}\n"
    )
    env = dict(os.environ, TZ="UTC", HOME=str(tmp), XDG_CONFIG_HOME=str(tmp), XDG_DATA_HOME=str(tmp))
    log = tmp / "khal.log"
    base = [str(khal), "-v", "WARNING", "-l", str(log), "-c", str(config)]
    imported = subprocess.run(
        [*base, "import", "--batch", "-a", "ms", str(path)], check=True, env=env, capture_output=True, timeout=300
    )
    assert imported.stderr == b"", imported.stderr
    listed = subprocess.run(
        [*base, "list", "--day-format", "", "--format", "{start-date} {title}", first.isoformat(), last.isoformat()],
        check=True,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert listed.stderr == "" and not (log.exists() and log.read_text().strip()), "khal complained"
    return [line for line in listed.stdout.splitlines() if line.strip()]


@pytest.mark.slow
def test_khal_shows_a_calm_course_1_month(us, tmp_path):
    """The phone view, without screenshots: the month of course 1 in khal's
    agenda. Before one-event-per-day and window edges it listed 98 rows."""
    plan = make_plan(us, C1)
    path = tmp_path / "plan.ics"
    path.write_bytes(export(plan).data)
    first, last = date(2024, 1, 1), date(2024, 1, 31)
    rows = khal_rows(path, tmp_path, first, last)
    in_month = [e for e in plan.events if first <= e.date <= last or first <= e.last_date <= last]
    visit_days = {e.date for e in in_month if e.window_end is None and first <= e.date <= last}
    edges = {(e.id, d) for e in in_month if e.window_end for d in (e.date, e.window_end) if first <= d <= last}
    assert 0 < len(rows) <= len(visit_days) + len(edges), rows
    assert any("Lemtrada course 1" in row for row in rows)


# ------------------------------------------------------------------ saved patients keep their salt


def test_a_saved_patients_calendar_keeps_its_salt_in_the_database(tmp_path, monkeypatch):
    from typer.testing import CliRunner

    from msmonitor.cli import app
    from msmonitor.store import Store

    monkeypatch.setenv("MSMONITOR_DB", str(tmp_path / "c.db"))
    runner = CliRunner()
    for label in ("jd", "kx"):
        assert runner.invoke(app, ["add", label, "--course1", "2024-01-10", "--sex", "male"]).exit_code == 0
    first, lost = tmp_path / "jd.ics", tmp_path / "jd-new-phone.ics"
    assert runner.invoke(app, ["plan", "jd", "--ics", str(first)]).exit_code == 0
    store = Store.open(tmp_path / "c.db", create=False)
    salt = store.calendar_salt(store.patient("jd").id)
    assert salt and str(Calendar.from_ical(first.read_bytes())["X-MSMONITOR-PLAN"]) == salt
    assert store.calendar_salt(store.patient("kx").id) is None  # not exported yet
    store.close()
    # the file is gone (a new phone, a new folder): the UIDs stay the same
    assert runner.invoke(app, ["plan", "jd", "--ics", str(lost)]).exit_code == 0
    assert {str(e["UID"]) for e in events(first.read_bytes())} == {str(e["UID"]) for e in events(lost.read_bytes())}
    # another saved patient's file, even with the same course 1, is not this patient's previous export
    before = first.read_bytes()
    result = runner.invoke(app, ["plan", "kx", "--ics", str(first)])
    assert result.exit_code == 2 and "exported for another saved patient" in result.stderr
    assert first.read_bytes() == before
    runner.invoke(app, ["plan", "kx", "--ics", str(tmp_path / "kx.ics")])
    result = runner.invoke(app, ["plan", "kx", "--ics", str(lost)])  # now kx has a salt of its own
    assert result.exit_code == 2 and "exported for another plan" in result.stderr


def test_migration_to_6_adds_the_calendar_salt(tmp_path):
    import sqlite3

    from msmonitor.store import MIGRATIONS, SCHEMA_VERSION, Store, _statements

    path = tmp_path / "v5.db"
    con = sqlite3.connect(path)
    for version in range(1, 6):
        for statement in _statements(MIGRATIONS[version]):
            con.execute(statement)
    con.execute("PRAGMA application_id = 1297304910")
    con.execute("PRAGMA user_version = 5")
    con.execute("INSERT INTO patients (label, protocol, created_at) VALUES ('a', 'us', 'x')")
    con.commit()
    con.close()
    store = Store.open(path)
    assert store.schema_version() == SCHEMA_VERSION >= 6
    assert store.calendar_salt(1) is None
    store.set_calendar_salt(1, SALT)
    store.set_calendar_salt(1, OTHER_SALT)  # never replaced
    assert store.calendar_salt(1) == SALT
    store.close()
