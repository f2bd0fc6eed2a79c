"""The date rules of protocol.md Part 1, table-driven."""

from datetime import date, timedelta

import pytest
from dateutil.relativedelta import relativedelta

from msmonitor.errors import InputError
from msmonitor.protocol import parse_protocol_text

from .conftest import events_of, make_plan

MONTHLY_US = ("cbc-diff", "creatinine", "urinalysis", "liver")


def grid(plan):
    return {e.month: e for e in plan.events if e.month and "monthly-labs" in e.rules}


def test_default_plan_projects_course_2(us):
    plan = make_plan(us, date(2024, 1, 10))
    c1, c2 = plan.courses
    assert c1.infusion_days == tuple(date(2024, 1, d) for d in range(10, 15))
    assert not c1.projected
    assert c2.infusion_days == (date(2025, 1, 10), date(2025, 1, 11), date(2025, 1, 12))
    assert c2.projected
    assert plan.last_dose == date(2025, 1, 12)
    assert plan.monitoring_ends == date(2029, 1, 12)
    assert plan.grid_anchor == date(2024, 1, 14)
    assert all(e.projected for e in plan.events if e.course == 2)
    assert all(not e.projected for e in plan.events if e.course == 1)
    end = events_of(plan, "monitoring-end")[0]
    assert end.date == date(2029, 1, 12) and end.projected


def test_given_course_2_is_not_projected(us):
    plan = make_plan(us, date(2024, 1, 10), date(2025, 1, 13))
    assert not plan.courses[1].projected
    assert plan.last_dose == date(2025, 1, 15)
    assert plan.monitoring_ends == date(2029, 1, 15)
    assert not any(e.projected for e in plan.events)
    assert plan.warnings == ()


@pytest.mark.parametrize(
    "course1, first_grid_dates",
    [
        # course 1's last day is the anchor; each grid date is anchor + k months, clamped
        (date(2024, 1, 10), [date(2024, 2, 14), date(2024, 3, 14), date(2024, 4, 14)]),
        (date(2024, 1, 27), [date(2024, 2, 29), date(2024, 3, 31), date(2024, 4, 30)]),  # Jan 31 anchor, leap year
        (date(2023, 1, 27), [date(2023, 2, 28), date(2023, 3, 31), date(2023, 4, 30)]),
        (date(2023, 12, 27), [date(2024, 1, 31), date(2024, 2, 29), date(2024, 3, 31)]),  # year end anchor Dec 31
        (date(2023, 12, 28), [date(2024, 2, 1), date(2024, 3, 1), date(2024, 4, 1)]),  # course spans the new year
        (date(2024, 2, 25), [date(2024, 3, 29), date(2024, 4, 29), date(2024, 5, 29)]),  # anchor Feb 29
    ],
)
def test_monthly_grid_start(us, course1, first_grid_dates):
    plan = make_plan(us, course1)
    g = grid(plan)
    assert [g[k].date for k in (1, 2, 3)] == first_grid_dates
    assert g[1].tests == MONTHLY_US
    assert g[3].tests == MONTHLY_US + ("tsh",)


def test_feb_29_anchor_keeps_its_day_in_leap_years(us):
    plan = make_plan(us, date(2024, 2, 25), single_course=True)
    g = grid(plan)
    assert g[12].date == date(2025, 2, 28)
    assert g[13].date == date(2025, 3, 29)
    assert g[48].date == date(2028, 2, 29)
    assert plan.monitoring_ends == date(2028, 2, 29)


def test_thyroid_every_third_grid_month(us):
    plan = make_plan(us, date(2024, 1, 10))
    tsh_months = [e.month for e in plan.events if e.month and "tsh" in e.tests]
    assert tsh_months == list(range(3, plan.grid_months + 1, 3))


def test_single_course(us):
    plan = make_plan(us, date(2024, 1, 10), single_course=True)
    assert len(plan.courses) == 1
    assert plan.monitoring_ends == date(2028, 1, 14)
    assert plan.grid_months == 48
    # The closing panel falls on grid month 48 and merges into it.
    last = grid(plan)[48]
    assert last.date == plan.monitoring_ends
    assert "closing-labs" in last.rules
    assert set(last.tests) == set(MONTHLY_US + ("tsh",))


def test_closing_panel_on_the_end_date(us):
    plan = make_plan(us, date(2024, 1, 10), date(2025, 1, 13))
    closing = events_of(plan, "closing-labs")
    assert len(closing) == 1
    assert closing[0].date == plan.monitoring_ends == date(2029, 1, 15)
    assert set(MONTHLY_US) <= set(closing[0].tests)
    assert max(e.date for e in plan.events) == plan.monitoring_ends


def test_last_grid_draw_within_tolerance_merges_into_the_closing_panel(us):
    # Month 60 (2029-03-10) is 1 day before the end (2029-03-11); merged, the
    # draws stay 29 days apart and TSH 91 days apart: one visit on the end date.
    plan = make_plan(us, date(2024, 3, 6), date(2025, 3, 9))
    assert plan.monitoring_ends == date(2029, 3, 11)
    last = grid(plan)[60]
    assert last.date == plan.monitoring_ends
    assert "closing-labs" in last.rules and "thyroid" in last.rules
    assert set(last.tests) == set(MONTHLY_US + ("tsh",))
    assert events_of(plan, "closing-labs") == [last]
    assert grid(plan)[59].date == date(2029, 2, 10)


def test_last_grid_draw_merges_even_when_the_gap_grows_past_a_month(us):
    # The clinical review's case: month 60 fell on 2029-01-30 with a second full
    # panel and TSH on 2029-01-31. Month 60 is one day inside its tolerance of
    # the end, so it is the closing visit: one draw, 32 days after month 59,
    # rather than a second full panel two weeks before the end.
    plan = make_plan(us, date(2024, 1, 26), date(2025, 1, 29))
    ends = plan.monitoring_ends
    assert ends == date(2029, 1, 31)
    assert grid(plan)[59].date == date(2028, 12, 30)
    last = grid(plan)[60]
    assert last.date == ends
    assert events_of(plan, "closing-labs") == [last]
    assert set(last.tests) == set(MONTHLY_US + ("tsh",))
    assert [e.date for e in plan.events if e.kind == "labs" and e.date > date(2028, 12, 1)] == [
        date(2028, 12, 30),
        ends,
    ]


def test_one_blood_draw_on_the_end_date_leaves_nothing_missed(us):
    from msmonitor.tracking import MISSED, Record, match, scheduled_tests, status_of

    plan = make_plan(us, date(2024, 3, 6), date(2025, 3, 9))
    items = [i for i in scheduled_tests(plan) if i.date >= date(2029, 3, 1)]
    records = [Record(n, test, date(2029, 3, 11)) for n, test in enumerate(sorted({i.test for i in items}))]
    matched = match(items, records)
    assert all(status_of(i, matched.get((i.event_id, i.test)), date(2029, 6, 1)) != MISSED for i in items)


def test_third_and_fourth_courses_extend_monitoring_without_restarting_the_grid(us):
    plan = make_plan(us, date(2020, 5, 4), date(2021, 5, 10), later=[date(2022, 9, 12), date(2024, 1, 8)])
    assert [c.first for c in plan.courses] == [date(2020, 5, 4), date(2021, 5, 10), date(2022, 9, 12), date(2024, 1, 8)]
    assert [len(c.infusion_days) for c in plan.courses] == [5, 3, 3, 3]
    assert plan.last_dose == date(2024, 1, 10)
    assert plan.monitoring_ends == date(2028, 1, 10)
    anchor = date(2020, 5, 8)
    for k, event in grid(plan).items():
        if k < plan.grid_months:  # the last one fits the closing panel (tested above)
            assert event.date == anchor + relativedelta(months=k)
    assert plan.warnings == ()
    # every course gets its own course items
    assert [e.course for e in events_of(plan, "antiviral-prophylaxis")] == [1, 2, 3, 4]


def test_course_items_us(us):
    plan = make_plan(us, date(2024, 1, 10), sex="female")
    (antiviral,) = [e for e in events_of(plan, "antiviral-prophylaxis") if e.course == 1]
    assert (antiviral.window_start, antiviral.window_end) == (date(2024, 1, 10), date(2024, 3, 14))
    (listeria,) = [e for e in events_of(plan, "listeria-diet") if e.course == 1]
    assert (listeria.window_start, listeria.window_end) == (date(2023, 12, 27), date(2024, 2, 14))
    (contra,) = [e for e in events_of(plan, "contraception") if e.course == 1]
    assert contra.window_end == date(2024, 5, 14)
    (alert,) = [e for e in events_of(plan, "urgent-symptom-alert") if e.course == 1]
    assert alert.window_end == date(2024, 1, 17)
    premed = [e.day for e in events_of(plan, "premedication") if e.course == 1]
    assert premed == [1, 2, 3]
    observed = [e.day for e in events_of(plan, "observation") if e.course == 2]
    assert observed == [1, 2, 3]
    (preg,) = [e for e in events_of(plan, "pregnancy-test") if e.course == 1]
    assert preg.date == date(2024, 1, 10)


def test_course_items_eu_differ(eu):
    plan = make_plan(eu, date(2024, 1, 10), date(2025, 1, 13))
    (antiviral,) = [e for e in events_of(plan, "antiviral-prophylaxis") if e.course == 1]
    assert antiviral.window_end == date(2024, 2, 14)  # 1 month in the EU leaflet
    # EU: vaccinations 6 weeks before each course
    assert [e.date for e in events_of(plan, "vaccinations")] == [date(2023, 11, 29), date(2024, 12, 2)]
    # EU liver tests: required 'before and during treatment' (MHRA 2019), monthly
    # with the draw by inference, on by default and in the closing panel
    assert all("liver" in e.tests for e in grid(plan).values())
    assert "liver" in events_of(plan, "closing-labs")[0].tests
    assert eu.rule("monthly-liver").evidence == "inferred" and "inference" in eu.rule("monthly-liver").note


def test_pre_treatment(us):
    plan = make_plan(us, date(2024, 1, 10))
    (baseline,) = events_of(plan, "baseline-labs")
    assert (baseline.window_start, baseline.window_end) == (date(2023, 12, 11), date(2024, 1, 9))
    assert baseline.phase == "before"
    assert set(baseline.tests) == {
        "cbc-diff",
        "creatinine",
        "urinalysis",
        "tsh",
        "liver",
        "cmp",
        "urine-protein-creatinine",
    }
    (vacc,) = events_of(plan, "vaccinations")
    assert vacc.date == date(2024, 1, 10) - timedelta(days=42)
    (screen,) = events_of(plan, "screening")
    assert set(screen.tests) == {"vzv-antibodies", "tb-screen", "hepatitis-b", "hepatitis-c", "hiv"}
    # screen first, vaccinate if needed, wait 6 weeks, treat: screening falls
    # due 90 days ahead and is never accepted after the vaccination deadline
    assert screen.date == date(2024, 1, 10) - timedelta(days=90) < vacc.date
    assert "then vaccinate if needed" in screen.notes[0] and "6 weeks" in vacc.notes[0]


@pytest.mark.parametrize("pid", ["us", "eu"])
def test_a_late_screen_is_never_accepted_after_the_vaccination_deadline(pid):
    from msmonitor.protocol import load_protocol
    from msmonitor.tracking import LATE, Record, match, scheduled_tests, status_of

    plan = make_plan(load_protocol(pid), date(2024, 1, 10))
    (vacc,) = [e for e in plan.events if "vaccinations" in e.rules and e.course in (None, 1)]
    screening = [i for i in scheduled_tests(plan) if i.event_id == "screening"]
    assert screening and all(i.latest <= vacc.date for i in screening)
    on_deadline = [Record(1, "vzv-antibodies", vacc.date)]
    (vzv,) = [i for i in screening if i.test == "vzv-antibodies"]
    assert status_of(vzv, match(screening, on_deadline).get(("screening", "vzv-antibodies")), vacc.date) == LATE
    after = [Record(2, "vzv-antibodies", vacc.date + timedelta(days=1))]
    assert match(screening, after) == {}


def test_yearly_items_on_grid_multiples_of_12(us):
    plan = make_plan(us, date(2024, 1, 10), sex="female")
    assert [e.month for e in events_of(plan, "yearly-skin-exam")] == [12, 24, 36, 48]
    assert [e.month for e in events_of(plan, "yearly-hpv-screen")] == [12, 24, 36, 48]


@pytest.mark.parametrize(
    "sex, present, marked",
    [(None, True, True), ("female", True, True), ("male", False, False)],
)
def test_women_only_items(us, sex, present, marked):
    plan = make_plan(us, date(2024, 1, 10), sex=sex)
    women = [e for e in plan.events if "pregnancy-test" in e.tests]
    assert bool(women) == present
    assert all(e.women_only for e in women)
    assert all("hpv-screen" not in e.tests for e in plan.events) == (not present)


def test_unverified_rules_are_off_by_default(eu):
    plan = make_plan(eu, date(2024, 1, 10))
    ids = {i for e in plan.events for i in e.rules}
    assert not ids & {"platelets-course1", "platelets-later", "baseline-ecg", "yearly-skin-exam"}
    assert not any("unverified" in w for w in plan.warnings)


def test_unverified_rules_when_switched_on(eu):
    plan = make_plan(eu, date(2024, 1, 10), include_unverified=True)
    platelet_days = [(e.course, e.day) for e in plan.events if "platelet-count" in e.tests]
    assert platelet_days == [(1, 3), (1, 5), (2, 3)]
    assert all("liver" in e.tests for e in grid(plan).values())
    assert any("unverified rules included" in w for w in plan.warnings)
    ecg = events_of(plan, "baseline-ecg")
    assert ecg and all(e.unverified for e in ecg)


@pytest.mark.parametrize(
    "course2, later, message",
    [
        (date(2024, 1, 12), (), "before course 1 has ended"),
        (date(2023, 6, 1), (), "give courses in order"),
        (date(2025, 1, 10), (date(2025, 1, 11),), "before course 2 has ended"),
        (date(2025, 1, 10), (date(2024, 6, 1),), "give courses in order"),
    ],
)
def test_course_order_errors(us, course2, later, message):
    with pytest.raises(InputError, match=message):
        make_plan(us, date(2024, 1, 10), course2, later)


def test_later_courses_need_course_2(us):
    with pytest.raises(InputError, match="needs --course2"):
        make_plan(us, date(2024, 1, 10), later=[date(2026, 1, 1)])


def test_single_course_conflicts_with_course_2(us):
    with pytest.raises(InputError, match="cannot be combined"):
        make_plan(us, date(2024, 1, 10), date(2025, 1, 10), single_course=True)


@pytest.mark.parametrize("course1", [date(9995, 6, 1), date(1, 1, 20)])
def test_dates_leaving_the_calendar(us, course1):
    with pytest.raises(InputError, match="calendar range"):
        make_plan(us, course1)


def test_course_2_after_11_months_is_computed_and_warned(us):
    plan = make_plan(us, date(2024, 1, 10), date(2024, 12, 10))
    assert plan.courses[1].first == date(2024, 12, 10)
    assert plan.monitoring_ends == date(2028, 12, 12)
    (warning,) = plan.warnings
    assert "course 2 starts on 2024-12-10, less than 12 months after course 1 started" in warning


def test_course_3_too_soon_is_warned(us):
    plan = make_plan(us, date(2020, 5, 4), date(2021, 5, 10), later=[date(2022, 5, 1)])
    assert any("course 3" in w and "less than 12 months after course 2 ended" in w for w in plan.warnings)


def test_eu_warns_beyond_four_courses(eu, us):
    later = [date(2022, 6, 1), date(2023, 7, 1), date(2024, 8, 1)]
    plan = make_plan(eu, date(2020, 5, 4), date(2021, 5, 10), later=later)
    assert len(plan.courses) == 5
    assert any("at most 4 courses" in w for w in plan.warnings)
    assert not make_plan(us, date(2020, 5, 4), date(2021, 5, 10), later=later).warnings


def test_plan_in_the_past_is_warned_where_today_is_known(us):
    """The plan itself does not depend on the day; the warning is added by
    view.plan_warnings, which every view and the CLI use."""
    from msmonitor.render.plan_data import plan_record
    from msmonitor.render.table import render_table
    from msmonitor.view import plan_warnings

    plan = make_plan(us, date(2010, 1, 10))
    assert not any("in the past" in w for w in plan.warnings)
    ended = plan.monitoring_ends
    assert plan_warnings(plan, ended) == list(plan.warnings)
    (past,) = [w for w in plan_warnings(plan, ended + timedelta(days=1)) if "in the past" in w]
    assert past == f"monitoring ended on {ended.isoformat()}: every item of this plan is in the past"
    assert past in plan_record(plan, date(2026, 11, 21))["warnings"]
    assert past in render_table(plan, date(2026, 11, 21))
    assert "in the past" not in render_table(plan, date(2012, 1, 1))


def test_event_ids_are_unique_and_do_not_contain_dates(us, eu):
    for protocol in (us, eu):
        plan = make_plan(
            protocol, date(2020, 5, 4), date(2021, 5, 10), later=[date(2022, 9, 12)], include_unverified=True
        )
        ids = [e.id for e in plan.events]
        assert len(ids) == len(set(ids))
        assert not any("20" in i.split("/")[0] or "-05-" in i for i in ids)


CUSTOM = """
schema = "msmonitor.protocol/1"
id = "custom"
title = "A made-up protocol"
version = "1"
[sources.X]
document = "made up"
where = "here"
[courses]
first_course_days = 4
later_course_days = 2
course2_after_months = 6
later_gap_months = 6
sources = ["X"]
[monitoring]
months_after_last_dose = 24
sources = ["X"]
[tests.cbc-diff]
name = "CBC"
why = "because"
[[rules]]
id = "labs"
title = "Labs"
kind = "labs"
when = "grid"
every_months = 2
tests = ["cbc-diff"]
sources = ["X"]
"""


def test_engine_takes_every_number_from_the_protocol():
    protocol = parse_protocol_text(CUSTOM, "custom.toml")
    plan = make_plan(protocol, date(2024, 1, 10))
    assert [len(c.infusion_days) for c in plan.courses] == [4, 2]
    assert plan.courses[1].first == date(2024, 7, 10)
    assert plan.monitoring_ends == date(2026, 7, 11)
    assert [e.month for e in plan.events] == list(range(2, plan.grid_months + 1, 2))


def test_grid_events_after_the_given_courses_end_are_projected(us):
    plan = make_plan(us, date(2024, 1, 10))
    given_end = date(2028, 1, 14)  # course 1's last day + 48 months
    grid_events = [e for e in plan.events if e.month is not None]
    assert [e.month for e in grid_events if e.projected][:1] == [49]
    assert all(e.projected == (e.date > given_end) for e in grid_events)
    assert not any(e.projected for e in make_plan(us, date(2024, 1, 10), date(2025, 1, 13)).events)


def test_antiviral_is_at_least_until_its_date_and_us_counts_cd4_at_2_months(us, eu):
    plan = make_plan(us, date(2024, 1, 10), date(2025, 1, 13))
    antiviral = events_of(plan, "antiviral-prophylaxis")
    assert [e.title for e in antiviral] == [
        "Antiviral (herpes) prophylaxis, at least until 2024-03-14",
        "Antiviral (herpes) prophylaxis, at least until 2025-03-15",
    ]
    cd4 = events_of(plan, "cd4-count")
    # course 1: with month 2's draw (one visit); course 2: its own draw
    assert [(e.date, e.id) for e in cd4] == [(date(2024, 3, 14), "labs/m2"), (date(2025, 3, 15), "cd4-count/c2")]
    assert all("cd4" in e.tests for e in cd4)
    assert "whichever occurs later" in us.rule("cd4-count").note
    assert us.rule("cd4-count").evidence == "inferred"
    assert not events_of(make_plan(eu, date(2024, 1, 10)), "cd4-count")
    assert events_of(make_plan(eu, date(2024, 1, 10)), "antiviral-prophylaxis")[0].title.endswith(
        "at least until 2024-02-14"
    )


@pytest.mark.parametrize("pid", ["us", "eu"])
def test_invented_date_offsets_are_inferred_not_found(pid):
    from msmonitor.protocol import load_protocol

    p = load_protocol(pid)
    for rid in ("counsel-listeria", "rems-enrolment", "alert-card", "screening", "contraindications"):
        if any(r.id == rid for r in p.rules):
            assert p.rule(rid).evidence == "inferred", rid
    if pid == "us":  # enrolment at the first pre-treatment visit, before the baseline-lab window opens
        assert p.rule("rems-enrolment").at.days < p.rule("baseline-labs").start.days
