"""The calendar export, parsed back with icalendar and checked against the plan."""

import os
import re
import subprocess
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path

import pytest
from icalendar import Calendar

from msmonitor.errors import InputError
from msmonitor.render.ics import IcsOptions, plan_identity, read_previous, render_ics

from .conftest import make_plan

STAMP = datetime(2026, 1, 1, 12, 0, tzinfo=UTC)
DATA = Path(__file__).parent / "data"
ICS_CHECK = Path(__file__).resolve().parents[2] / "shared" / "tools" / "ics-check"  # beside the clone, as CI has it


def export(plan, previous=None, stamp=STAMP, **options):
    identity = plan_identity(plan.options.patient, plan.courses[0].first)
    return render_ics(plan, stamp=stamp, options=IcsOptions(identity=identity, **options), previous=previous)


def events(data):
    return list(Calendar.from_ical(data).walk("VEVENT"))


def by_summary(data, text):
    return [e for e in events(data) if text in str(e["SUMMARY"])]


def test_every_plan_date_is_in_the_calendar(us):
    plan = make_plan(us, date(2024, 1, 10), date(2025, 1, 13), sex="female")
    vevents = events(export(plan).data)
    spans = {(e.decoded("DTSTART"), e.decoded("DTEND")) for e in vevents}
    for event in plan.events:
        if event.kind == "infusion":
            continue
        assert (event.date, event.last_date + timedelta(days=1)) in spans, event.id
    for course in plan.courses:
        assert (course.first, course.last + timedelta(days=1)) in spans
    # one spanning event per course, not one per infusion day
    assert len(vevents) == len([e for e in plan.events if e.kind != "infusion"]) + len(plan.courses)


def test_all_day_events_use_dates_and_exclusive_ends(us):
    data = export(make_plan(us, date(2024, 1, 10))).data
    for e in events(data):
        start, end = e.decoded("DTSTART"), e.decoded("DTEND")
        assert type(start) is date and type(end) is date and end > start
    assert b"DTSTART;VALUE=DATE:20240214\r\nDTEND;VALUE=DATE:20240215" in data


def test_required_properties_and_calendar_header(us):
    data = export(make_plan(us, date(2024, 1, 10))).data
    cal = Calendar.from_ical(data)
    assert str(cal["VERSION"]) == "2.0" and "msmonitor" in str(cal["PRODID"])
    assert str(cal["METHOD"]) == "PUBLISH" and str(cal["CALSCALE"]) == "GREGORIAN"
    assert str(cal["X-WR-CALNAME"]) == str(cal["NAME"]) == "MS monitoring"
    assert not list(cal.walk("VTODO")) and b"ATTENDEE" not in data and b"ORGANIZER" not in data
    for e in events(data):
        for prop in ("UID", "DTSTAMP", "SUMMARY", "DESCRIPTION", "CATEGORIES", "SEQUENCE", "LAST-MODIFIED"):
            assert prop in e
        assert e.decoded("DTSTAMP") == STAMP
        assert "Protocol: us 2026.11.1. Sources: " in str(e["DESCRIPTION"])
        assert "Not medical advice" in str(e["DESCRIPTION"])
    assert "Not medical advice" in str(cal["X-WR-CALDESC"])
    windows = by_summary(data, "prophylaxis") + by_summary(data, "contraception")
    assert windows and all(str(e["TRANSP"]) == "TRANSPARENT" for e in windows)


def test_descriptions_list_the_tests_due(us):
    data = export(make_plan(us, date(2024, 1, 10))).data
    (m3,) = by_summary(data, "(month 3)")
    text = str(m3["DESCRIPTION"])
    assert "Complete blood count with differential (cbc-diff)" in text and "Thyroid function (TSH) (tsh)" in text


def test_projected_course_is_marked_and_tentative(us):
    data = export(make_plan(us, date(2024, 1, 10))).data
    (course2,) = by_summary(data, "Lemtrada course 2")
    assert "(projected)" in str(course2["SUMMARY"]) and str(course2["STATUS"]) == "TENTATIVE"
    (course1,) = by_summary(data, "Lemtrada course 1")
    assert str(course1["STATUS"]) == "CONFIRMED"


def test_uids_are_unique_stable_and_private(us):
    plan = make_plan(us, date(2024, 1, 10), patient="Zoë J")
    first, again = export(plan).data, export(plan).data
    assert first == again
    uids = [str(e["UID"]) for e in events(first)]
    assert len(uids) == len(set(uids))
    for uid in uids:
        assert re.fullmatch(r"[0-9a-f]{32}@msmonitor", uid)
    assert b"2024" not in b"".join(u.encode() for u in uids)


def test_uids_survive_a_moved_course_2_and_only_changed_events_are_raised(us):
    before = export(make_plan(us, date(2024, 1, 10))).data
    later = STAMP + timedelta(days=30)
    moved = export(make_plan(us, date(2024, 1, 10), date(2025, 1, 20)), previous=read(before, us), stamp=later).data
    old = {str(e["UID"]): e for e in events(before)}
    new = {str(e["UID"]): e for e in events(moved)}
    assert set(old) <= set(new)  # nothing vanished, a month was added at the end
    (c2_old,) = [e for e in old.values() if "course 2" in str(e["SUMMARY"]) and "Lemtrada" in str(e["SUMMARY"])]
    c2_new = new[str(c2_old["UID"])]
    assert c2_new.decoded("DTSTART") == date(2025, 1, 20) and c2_old.decoded("DTSTART") == date(2025, 1, 10)
    assert int(c2_new["SEQUENCE"]) == 1 and c2_new.decoded("LAST-MODIFIED") == later
    (m5,) = [e for e in new.values() if "(month 5)" in str(e["SUMMARY"])]
    assert int(m5["SEQUENCE"]) == 0 and m5.decoded("LAST-MODIFIED") == STAMP
    # re-exporting the same plan changes nothing
    same = export(
        make_plan(us, date(2024, 1, 10), date(2025, 1, 20)), previous=read(moved, us), stamp=later + timedelta(days=1)
    )
    assert same.changed == 0 and same.cancelled == 0


def read(data, protocol, patient=None, course1=date(2024, 1, 10)):
    return read_previous(data, "old.ics", plan_identity(patient, course1))


def test_removed_events_are_cancelled(us):
    before = export(make_plan(us, date(2024, 1, 10))).data
    result = export(make_plan(us, date(2024, 1, 10), single_course=True), previous=read(before, us))
    cancelled = [e for e in events(result.data) if str(e.get("STATUS")) == "CANCELLED"]
    assert result.cancelled == len(cancelled) > 0
    assert any("Lemtrada course 2" in str(e["SUMMARY"]) for e in cancelled)
    for e in cancelled:
        assert int(e["SEQUENCE"]) == 1 and str(e["SUMMARY"]).startswith("Cancelled: ")
        assert not list(e.walk("VALARM"))


def test_previous_export_of_another_plan_is_refused(us):
    other = export(make_plan(us, date(2024, 1, 10), patient="a")).data
    with pytest.raises(InputError, match="exported for another plan"):
        read_previous(other, "old.ics", plan_identity("b", date(2024, 1, 10)))
    with pytest.raises(InputError, match="not written by msmonitor"):
        read_previous(b"BEGIN:VCALENDAR\r\nPRODID:-//other//EN\r\nVERSION:2.0\r\nEND:VCALENDAR\r\n", "x.ics", "y")


def test_two_patients_never_collide(us):
    a = {str(e["UID"]) for e in events(export(make_plan(us, date(2024, 1, 10), patient="a")).data)}
    b = {str(e["UID"]) for e in events(export(make_plan(us, date(2024, 1, 10), patient="b")).data)}
    c = {str(e["UID"]) for e in events(export(make_plan(us, date(2024, 1, 11))).data)}
    assert not a & b and not a & c and not b & c


def test_lines_are_crlf_folded_at_75_octets_without_splitting_characters(us):
    plan = make_plan(us, date(2024, 1, 10), patient="Zoë Ünïcødé " * 8)
    data = export(plan, name="MS monitoring: " + "Zoë Ünïcødé " * 8).data
    assert data.endswith(b"\r\n") and b"\n" not in data.replace(b"\r\n", b"")
    for line in data.split(b"\r\n"):
        assert len(line) <= 75
        line.decode("utf-8")  # a fold never splits a multi-byte character
    assert any(line.startswith(b" ") for line in data.split(b"\r\n"))


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
    data = export(make_plan(us, date(2024, 1, 10)), remind=remind).data
    alarms = [a for e in events(data) for a in e.walk("VALARM")]
    assert alarms and all(a["TRIGGER"].to_ical() == expected for a in alarms)
    assert all(str(a["ACTION"]) == "DISPLAY" and str(a["DESCRIPTION"]) for a in alarms)
    # the alarm follows the event's properties, never precedes them
    assert data.index(b"BEGIN:VALARM") > data.index(b"SUMMARY:")


def test_informational_windows_have_no_alarm_and_no_remind_drops_all(us):
    data = export(make_plan(us, date(2024, 1, 10))).data
    assert not by_summary(data, "prophylaxis")[0].walk("VALARM")
    assert b"BEGIN:VALARM" not in export(make_plan(us, date(2024, 1, 10)), remind=None).data


def test_discreet_mode_says_nothing_medical(us):
    data = export(make_plan(us, date(2024, 1, 10)), discreet="on").data
    cal = Calendar.from_ical(data)
    assert str(cal["X-WR-CALNAME"]) == "Appointments"
    medical = re.compile(r"lemtrada|infusion|test|blood|thyroid|ms |monitor|pregnan|course|lab test", re.I)
    for e in events(data):
        assert str(e["SUMMARY"]) in {"Appointment", "Lab visit", "Reminder"}
        assert str(e["CLASS"]) == "PRIVATE"
        assert not medical.search(e["CATEGORIES"].to_ical().decode())
        for alarm in e.walk("VALARM"):
            assert not medical.search(str(alarm["DESCRIPTION"]))
    # the details stay in the descriptions, which lock screens do not show
    labs = [e for e in events(data) if str(e["SUMMARY"]) == "Lab visit"]
    assert labs and all(
        "Complete blood count" in str(e["DESCRIPTION"]) for e in labs if "(cbc-diff)" in str(e["DESCRIPTION"])
    )
    assert sum("(cbc-diff)" in str(e["DESCRIPTION"]) for e in labs) > 40
    strict = export(make_plan(us, date(2024, 1, 10)), discreet="strict").data
    assert b"DESCRIPTION:Protocol" not in strict
    assert all("DESCRIPTION" not in e for e in events(strict))


def test_timed_events_with_a_time_zone(us):
    data = export(make_plan(us, date(2024, 1, 10)), at=time(8, 30), tz="Europe/London").data
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
    # windows and courses stay all-day
    assert type(by_summary(data, "Lemtrada course 1")[0].decoded("DTSTART")) is date


def test_golden_file(us):
    plan = make_plan(us, date(2024, 1, 10), sex="female", patient="golden")
    data = export(plan, name="MS monitoring: golden").data
    golden = DATA / "plan-2024-01-10.ics"
    if os.environ.get("MSMONITOR_UPDATE_GOLDEN"):
        golden.write_bytes(data)
    assert data == golden.read_bytes(), "regenerate with MSMONITOR_UPDATE_GOLDEN=1 if the change is intended"


@pytest.mark.parametrize(
    "name, kwargs, options",
    [
        ("default", {}, {}),
        ("discreet", {}, {"discreet": "on", "remind": timedelta(days=2)}),
        ("timed", {}, {"at": time(8, 30), "tz": "Europe/London"}),
        ("four-courses", {"course2": date(2021, 5, 10), "later": [date(2022, 9, 12), date(2024, 1, 8)]}, {}),
    ],
)
def test_real_parsers_accept_the_export(us, tmp_path, name, kwargs, options):
    """Mozilla's ical.js, libical, khal, calcurse and more, through shared/tools/ics-check."""
    if not (ICS_CHECK.exists() and (ICS_CHECK.parent / ".venv").exists()):
        if os.environ.get("MSMONITOR_REQUIRE_ICS_CHECK"):
            pytest.fail("ics-check is not set up: run shared/tools/ics-check-setup")
        pytest.skip("shared/tools/ics-check is not set up here")
    course1 = date(2020, 5, 4) if kwargs else date(2024, 1, 10)
    path = tmp_path / f"{name}.ics"
    path.write_bytes(export(make_plan(us, course1, **kwargs), **options).data)
    result = subprocess.run([str(ICS_CHECK), str(path)], capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-2000:]
