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
