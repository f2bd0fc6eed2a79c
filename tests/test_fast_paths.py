"""The fast paths equal the straightforward code (tests/reference.py) over
thousands of random patients under the ci hypothesis profile: integer month
arithmetic, plan generation, scheduled items and record matching."""

from datetime import date, timedelta

import pytest
from dateutil.relativedelta import relativedelta
from hypothesis import given
from hypothesis import strategies as st

from msmonitor.dates import add_months
from msmonitor.errors import InputError
from msmonitor.model import PlanOptions
from msmonitor.schedule import PlanRequest, compute_plan
from msmonitor.tracking import Record, match, scheduled_tests, track

from . import reference
from .test_properties import requests


@given(st.dates(), st.integers(min_value=-30_000, max_value=30_000))
def test_add_months_is_relativedelta(anchor, months):
    try:
        expected = anchor + relativedelta(months=months)
    except (OverflowError, ValueError):
        with pytest.raises(InputError):
            add_months(anchor, months)
        return
    assert add_months(anchor, months) == expected


years = st.one_of(st.integers(min_value=1, max_value=9999), st.sampled_from([1900, 2000, 2100, 2400, 2023, 2024]))


@given(years, st.integers(1, 12), st.integers(28, 31), years, st.integers(1, 12))
def test_month_ends_clamp_like_relativedelta(year, month, day, to_year, to_month):
    # an anchor on a month's last days, k months on to any month (Februaries
    # of century years included): Jan 31 + 1 = Feb 28/29, + 2 = Mar 31
    try:
        anchor = date(year, month, day)
    except ValueError:
        anchor = date(year, month, 28)
    k = (to_year * 12 + to_month) - (year * 12 + month)
    assert add_months(anchor, k) == anchor + relativedelta(months=k)


@st.composite
def patients(draw):
    """A random patient: courses, options, and records near (and far from)
    the plan's items, some of them for tests the plan does not schedule."""
    req = draw(requests())
    protocol, c1 = req["protocol"], req["course1"]
    options = PlanOptions(sex=req["sex"], include_unverified=draw(st.booleans()), patient="p")
    request = PlanRequest(c1, req["course2"], tuple(req["later"]), req["single_course"], options)
    plan = compute_plan(protocol, request)
    items = scheduled_tests(plan)
    tests = sorted(protocol.tests)
    records = []
    for rid in range(draw(st.integers(min_value=0, max_value=60))):
        if items and draw(st.booleans()):
            near = draw(st.sampled_from(items))
            test, day = near.test, near.date + timedelta(days=draw(st.integers(min_value=-70, max_value=70)))
        else:
            test, day = draw(st.sampled_from(tests)), c1 + timedelta(days=draw(st.integers(-200, 2500)))
        records.append(Record(draw(st.integers(min_value=rid * 10, max_value=rid * 10 + 9)), test, day))
    # records arrive in any order
    records = draw(st.permutations(records))
    today = c1 + timedelta(days=draw(st.integers(min_value=-100, max_value=3000)))
    return protocol, request, plan, records, today


@given(patients())
def test_plans_equal_the_straightforward_engine(patient):
    protocol, request, *_ = patient
    assert compute_plan(protocol, request) == reference.reference_plan(protocol, request)


@given(patients())
def test_items_and_matches_equal_the_straightforward_code(patient):
    _, _, plan, records, today = patient
    items = scheduled_tests(plan)
    assert items == reference.scheduled_tests(plan)
    assert match(items, records) == reference.match(items, records)
    tracking = track(plan, records, today)
    for t in tracking.tests:
        # the integer status equals the one written with dates and timedeltas
        i = t.scheduled
        if t.record is None:
            expected = (
                "missed"
                if today > i.latest
                else "overdue"
                if today > i.last_date
                else "due"
                if today >= i.date
                else "upcoming"
            )
            assert t.status == expected


@given(patients(), st.integers(min_value=-400, max_value=3000))
def test_open_items_equal_the_straightforward_code(patient, tracked_after):
    from msmonitor.patients import open_item_rows

    _, request, plan, records, _ = patient
    tracking_from = None if tracked_after < -300 else request.course1 + timedelta(days=tracked_after)
    assert open_item_rows(plan, records, tracking_from) == reference.open_item_rows(plan, records, tracking_from)
    assert open_item_rows(plan, [], tracking_from) == reference.open_item_rows(plan, [], tracking_from)


words = st.text(alphabet=st.sampled_from("abcxyz-é"), min_size=1, max_size=12)


@given(
    st.one_of(
        st.lists(words, min_size=1, max_size=20).map(" ".join),  # the fast path
        st.text(alphabet=st.sampled_from("ab-é \t\n\u00a0xyz"), max_size=120),
    ),
    st.integers(min_value=1, max_value=40),
)
def test_wrap_equals_textwrap(text, width):
    import textwrap

    from msmonitor.render.text import clean, wrap

    text = clean(text)
    expected = (
        [text]
        if len(text) <= width
        else (textwrap.wrap(text, width, break_on_hyphens=False, break_long_words=True) or [""])
    )
    assert wrap(text, width) == expected


# ------------------------------------------------------------------ reading a backup entry

day_texts = st.one_of(
    st.dates(min_value=date(1890, 1, 1), max_value=date(2210, 12, 31)).map(date.isoformat),
    st.sampled_from(["2024-02-30", " 2024-01-10", "2024-01-10 ", "20240110", "2024-1-10", "2024-W01-1", "٢٠٢٤-01-10"]),
    st.text(max_size=11),
)
json_values = st.none() | st.booleans() | st.integers(-2, 3) | st.text(max_size=4) | st.lists(st.none(), max_size=1)


@st.composite
def backup_entries(draw):
    """A backup entry as export writes it, then (often) one field spoiled,
    dropped or added: every shape the quick reading must either read as the
    checked one does or leave to it."""
    records = [
        {
            "test": draw(st.sampled_from(["cbc", "tsh", "x"])),
            "done_on": draw(day_texts),
            "note": draw(st.text(max_size=3)),
        }
        for _ in range(draw(st.integers(0, 4)))
    ]
    courses = [
        {
            "number": n,
            "start": draw(day_texts),
            "infusion_days": draw(st.none() | st.lists(day_texts, max_size=3)),
        }
        for n in range(1, draw(st.integers(1, 3)) + 1)
    ]
    entry = {
        "label": draw(st.sampled_from(["p1", "P 2", " p", "2024-01-10", "", "é"])),
        "sex": draw(st.sampled_from([None, "female", "male", "f"])),
        "protocol": draw(st.sampled_from(["us", "eu", "my.toml"])),
        "notes": "",
        "single_course": draw(st.booleans()),
        "include_unverified": False,
        "tracking_from": draw(st.none() | day_texts),
        "courses": courses,
        "records": records,
        "calendar_salt": draw(st.sampled_from([None, "0" * 32, "A" * 32, "0" * 31])),
    }
    for _ in range(draw(st.integers(0, 2))):
        where = draw(st.sampled_from(["entry", "course", "record"]))
        target = {"entry": entry, "course": courses[0], "record": records[0] if records else entry}[where]
        key = draw(st.sampled_from(sorted(target) + ["extra"]))
        if draw(st.booleans()):
            target.pop(key, None)
        else:
            target[key] = draw(json_values)
    return draw(st.sampled_from([entry, entry, entry, [entry], "p1"]))


@given(backup_entries())
def test_the_quick_backup_reading_equals_the_checked_one(data):
    from msmonitor.patients import _checked_patient, _quick_patient

    try:
        expected = _checked_patient(data, "f.json: patients[0]")
    except InputError:
        assert _quick_patient(data, "f.json: patients[0]") is None
        return
    quick = _quick_patient(data, "f.json: patients[0]")
    # whatever the checked reading accepts, the quick one reads the same
    assert quick == expected
