"""Property tests of the schedule over thousands of course dates, 1990-2090."""

import os
import subprocess
import sys
from calendar import monthrange
from datetime import date, timedelta
from pathlib import Path

from dateutil.relativedelta import relativedelta
from hypothesis import given, settings
from hypothesis import strategies as st

from msmonitor.protocol import load_protocol

from .conftest import THOROUGH, make_plan

US = load_protocol("us")
EU = load_protocol("eu")
MONTHLY = {
    "us": {"cbc-diff", "creatinine", "urinalysis", "liver"},
    "eu": {"cbc-diff", "creatinine", "urinalysis", "liver"},
}

course1s = st.dates(min_value=date(1990, 1, 1), max_value=date(2090, 12, 31))


@st.composite
def requests(draw):
    c1 = draw(course1s)
    shape = draw(st.sampled_from(["projected", "single", "given", "more"]))
    c2, later = None, []
    if shape in ("given", "more"):
        c2 = c1 + timedelta(days=draw(st.integers(min_value=5, max_value=800)))
    if shape == "more":
        prev_last = c2 + timedelta(days=2)
        for _ in range(draw(st.integers(min_value=1, max_value=3))):
            start = prev_last + timedelta(days=draw(st.integers(min_value=1, max_value=900)))
            later.append(start)
            prev_last = start + timedelta(days=2)
    return dict(
        protocol=draw(st.sampled_from([US, EU])),
        course1=c1,
        course2=c2,
        later=later,
        single_course=shape == "single",
        sex=draw(st.sampled_from([None, "female", "male"])),
    )


def build(req):
    req = dict(req)
    return make_plan(req.pop("protocol"), req.pop("course1"), req.pop("course2"), req.pop("later"), **req)


def month_index(d):
    return d.year * 12 + d.month


@settings(deadline=None)
@given(requests())
def test_grid_is_complete_exact_and_inside_the_window(req):
    plan = build(req)
    anchor, ends = plan.grid_anchor, plan.monitoring_ends
    assert anchor == plan.courses[0].last
    assert ends == plan.last_dose + relativedelta(months=48)
    assert plan.last_dose == plan.courses[-1].last
    grid = [e for e in plan.events if e.month is not None and "monthly-labs" in e.rules]
    assert [e.month for e in grid] == list(range(1, plan.grid_months + 1))
    for e in grid:
        nominal = anchor + relativedelta(months=e.month)
        assert anchor < e.date <= ends
        if e.month < plan.grid_months:
            assert e.date == nominal
        else:  # the last draw may move within its tolerance to fit the closing panel
            assert abs((e.date - nominal).days) <= 14
        # clamped to the month's end, never rolled over
        assert nominal.day == min(anchor.day, monthrange(nominal.year, nominal.month)[1])
        assert MONTHLY[plan.protocol.id] <= set(e.tests)
        if e.month % 3 == 0:
            assert "tsh" in e.tests
        elif "closing-labs" not in e.rules:  # the closing panel's TSH: see test_tsh_...
            assert "tsh" not in e.tests
    # no month skipped or doubled
    for a, b in zip(grid, grid[1:-1]):
        assert month_index(b.date) - month_index(a.date) == 1
    # the next grid month would fall after the end: nothing left uncovered
    assert anchor + relativedelta(months=plan.grid_months + 1) > ends


@settings(deadline=None)
@given(requests())
def test_closing_panel_and_end(req):
    plan = build(req)
    ends = plan.monitoring_ends
    closing = [e for e in plan.events if "closing-labs" in e.rules]
    assert len(closing) == 1 and closing[0].date == ends
    assert MONTHLY[plan.protocol.id] <= set(closing[0].tests)
    # TSH closes the window too, unless a thyroid test is due within its 30 days before
    tsh = [e.date for e in plan.events if "tsh" in e.tests and e.month is not None and e.date < ends]
    assert "tsh" in closing[0].tests or (ends - max(tsh)).days <= 30
    end = [e for e in plan.events if e.kind == "end"]
    assert len(end) == 1 and end[0].date == ends
    assert max(e.last_date for e in plan.events) <= ends or any(
        e.kind == "window" for e in plan.events if e.last_date > ends
    )
    assert end[0].projected == plan.courses[-1].projected


@settings(deadline=None)
@given(requests())
def test_events_sorted_and_unique(req):
    plan = build(req)
    dates = [e.date for e in plan.events]
    assert dates == sorted(dates)
    ids = [e.id for e in plan.events]
    assert len(ids) == len(set(ids))


def test_every_output_is_the_same_in_every_process():
    """String hashing is salted per process, so anything that follows a set's
    order could differ between two runs of msmonitor. Two processes with
    different PYTHONHASHSEED render every format of the same varied plans."""
    count = "1000" if THOROUGH else "12"
    root = Path(__file__).resolve().parent.parent
    runs = [
        subprocess.Popen(
            [sys.executable, "-m", "tests.outputs_digest", count],
            cwd=root,
            env={**os.environ, "PYTHONHASHSEED": seed},
            stdout=subprocess.PIPE,
            text=True,
        )
        for seed in ("1", "4242")
    ]
    digests = [run.communicate(timeout=600)[0] for run in runs]
    assert all(run.returncode == 0 for run in runs)
    assert len(digests[0]) == 65 and digests[0] == digests[1]


@settings(deadline=None)
@given(requests())
def test_courses_have_the_protocol_lengths(req):
    plan = build(req)
    lengths = [len(c.infusion_days) for c in plan.courses]
    assert lengths[0] == 5 and all(n == 3 for n in lengths[1:])
    for c in plan.courses:
        assert list(c.infusion_days) == [c.first + timedelta(days=i) for i in range(len(c.infusion_days))]
    if req["single_course"]:
        assert len(plan.courses) == 1
    elif req["course2"] is None:
        assert plan.courses[1].projected and plan.courses[1].first == req["course1"] + relativedelta(months=12)


def draws_of(plan, test):
    """Dates the monitoring schedule (grid and closing panel) asks for ``test``."""
    return sorted(e.date for e in plan.events if test in e.tests and (e.month is not None or "closing-labs" in e.rules))


def gaps(dates):
    return [(b - a).days for a, b in zip(dates, dates[1:])]


@settings(deadline=None)
@given(requests())
def test_last_draw_on_the_end_date_no_gap_over_31_days_no_test_twice_within_14(req):
    plan = build(req)
    for test in MONTHLY[plan.protocol.id]:
        dates = draws_of(plan, test)
        assert dates[-1] == plan.monitoring_ends
        assert max(gaps(dates)[:-1], default=0) <= 31
        # into the closing visit: a last grid draw merged there is at most its
        # 14-day tolerance late
        assert gaps(dates)[-1] <= 31 + 14
        assert min(gaps(dates)) > 14  # the monthly tolerance: one visit, never two
    # one blood-draw visit per date: the closing panel and a grid draw on its day are one event
    visits = [e.date for e in plan.events if e.kind == "labs"]
    assert len(visits) == len(set(visits))


@settings(deadline=None)
@given(requests())
def test_tsh_no_gap_over_92_days_never_twice_within_30(req):
    plan = build(req)
    dates = draws_of(plan, "tsh")
    assert max(gaps(dates)[:-1], default=0) <= 92
    assert gaps(dates)[-1] <= 92 + 14  # a merged last draw is at most 14 days late
    assert min(gaps(dates)) > 30  # the thyroid tolerance
    assert (plan.monitoring_ends - dates[-1]).days <= 30


# ------------------------------------------------------------------ matching records to items

from msmonitor.tracking import Record, ScheduledTest, match  # noqa: E402


@st.composite
def items_and_records(draw):
    start = draw(st.dates(min_value=date(1990, 1, 1), max_value=date(2080, 1, 1)))
    items = []
    for k in range(draw(st.integers(min_value=1, max_value=12))):
        test = draw(st.sampled_from(["cbc-diff", "tsh"]))
        span = draw(st.integers(min_value=0, max_value=3))
        day = start + relativedelta(months=k)
        items.append(
            ScheduledTest(
                f"e{k}",
                test,
                "labs",
                "Labs",
                day,
                day + timedelta(days=span),
                draw(st.sampled_from([0, 7, 14, 30])),
                k,
                "year-1",
            )
        )
    records = [
        Record(
            i,
            draw(st.sampled_from(["cbc-diff", "tsh"])),
            start + timedelta(days=draw(st.integers(min_value=-40, max_value=400))),
        )
        for i in range(draw(st.integers(min_value=0, max_value=15)))
    ]
    return items, records


@settings(deadline=None)
@given(items_and_records())
def test_matching_is_one_to_one_within_tolerance_and_maximal(data):
    items, records = data
    matched = match(items, records)
    used = [r.id for r in matched.values()]
    assert len(used) == len(set(used))  # a record serves one item
    by_key = {(i.event_id, i.test): i for i in items}
    for key, record in matched.items():
        item = by_key[key]
        assert record.test == item.test
        assert item.earliest <= record.done_on <= item.latest
    # nothing left that could still pair up: the matching is maximal
    free_items = [i for i in items if (i.event_id, i.test) not in matched]
    free_records = [r for r in records if r.id not in set(used)]
    for i in free_items:
        for r in free_records:
            assert not (r.test == i.test and i.earliest <= r.done_on <= i.latest)
    assert match(items, list(reversed(records))) == matched  # order of input does not matter
