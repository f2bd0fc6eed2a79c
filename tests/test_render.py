import csv
import io
import json
import re
from datetime import date

import pytest

from msmonitor.render.markdown import md_escape, render_markdown
from msmonitor.render.plan_data import CSV_COLUMNS, render_csv, render_json
from msmonitor.render.spreadsheet import safe_cell
from msmonitor.render.table import render_table
from msmonitor.view import NOTICE

from .conftest import TODAY, make_plan

PLAN_KEYS = {
    "schema",
    "generator",
    "notice",
    "protocol",
    "patient",
    "sex",
    "include_unverified",
    "today",
    "courses",
    "grid_anchor",
    "last_dose",
    "monitoring_ends",
    "monitoring_months",
    "grid_months",
    "next_event",
    "warnings",
    "not_scheduled",
    "tests",
    "sources",
    "events",
}
EVENT_KEYS = {
    "id",
    "date",
    "window_start",
    "window_end",
    "kind",
    "item",
    "items",
    "title",
    "also",
    "notes",
    "tests",
    "phase",
    "course",
    "day",
    "month",
    "projected",
    "women_only",
    "evidence",
    "sources",
    "status",
}


def test_json_contract(us):
    plan = make_plan(us, date(2024, 1, 10))
    data = json.loads(render_json(plan, TODAY))
    assert data["schema"] == "msmonitor.plan/1"
    assert set(data) == PLAN_KEYS
    assert data["protocol"]["id"] == "us" and data["protocol"]["version"] == us.version
    assert data["courses"][1] == {
        "number": 2,
        "infusion_days": ["2025-01-10", "2025-01-11", "2025-01-12"],
        "projected": True,
    }
    assert (data["last_dose"], data["monitoring_ends"]) == ("2025-01-12", "2029-01-12")
    for event in data["events"]:
        assert set(event) == EVENT_KEYS
        assert all(t in data["tests"] for t in event["tests"])
        assert all(s in data["sources"] for s in event["sources"])
    baseline = next(e for e in data["events"] if e["id"] == "baseline-labs")
    assert (baseline["window_start"], baseline["window_end"]) == ("2023-12-11", "2024-01-09")
    first = next(e for e in data["events"] if e["id"] == "labs/m1")
    assert first["date"] == "2024-02-14" and first["tests"] == ["cbc-diff", "creatinine", "urinalysis", "liver"]
    assert first["status"] == "past"
    assert data["next_event"] == "labs/m35"


def test_json_carries_warnings(us):
    plan = make_plan(us, date(2024, 1, 10), date(2024, 12, 10))
    assert "less than 12 months" in json.loads(render_json(plan, TODAY))["warnings"][0]


def test_csv_contract(us):
    plan = make_plan(us, date(2024, 1, 10), sex="female")
    rows = list(csv.reader(io.StringIO(render_csv(plan, TODAY))))
    assert (
        tuple(rows[0])
        == CSV_COLUMNS
        == (
            "date",
            "window_end",
            "phase",
            "kind",
            "event_id",
            "title",
            "test",
            "test_name",
            "course",
            "month",
            "projected",
            "women_only",
            "evidence",
            "status",
        )
    )
    body = [dict(zip(rows[0], r)) for r in rows[1:]]
    m3 = [r["test"] for r in body if r["event_id"] == "labs/m3"]
    assert m3 == ["cbc-diff", "creatinine", "urinalysis", "liver", "tsh"]
    vacc = [r for r in body if r["event_id"] == "vaccinations"]
    assert len(vacc) == 1 and vacc[0]["test"] == ""
    assert sum(len(e.tests) or 1 for e in plan.events) == len(body)


def test_csv_cells_are_safe_against_formula_injection():
    assert safe_cell('=HYPERLINK("x")') == '\'=HYPERLINK("x")'
    assert safe_cell("+1") == "'+1" and safe_cell("-1") == "'-1" and safe_cell("@SUM") == "'@SUM"
    assert safe_cell("2024-01-10") == "2024-01-10" and safe_cell(None) == ""


def test_csv_escapes_a_hostile_title(us):
    rule = us.rules[0]._replace(title="=cmd|' /C calc'!A0")
    hostile = us._replace(rules=(rule,) + us.rules[1:])
    text = render_csv(make_plan(hostile, date(2024, 1, 10)), TODAY)
    assert "'=cmd|" in text and "\n=cmd" not in text and ",=cmd" not in text


def render_text(plan, width=80):
    return render_table(plan, TODAY, width=width)


def test_table_fits_80_columns_and_shows_the_header(us):
    plan = make_plan(us, date(2024, 1, 10), date(2025, 1, 13), sex="female")
    text = render_text(plan)
    assert max(len(line) for line in text.splitlines()) <= 80
    assert "\x1b[" not in text
    assert "Course 1: 2024-01-10 to 2024-01-14 (5 days)" in text
    assert "Last dose: 2025-01-15" in text
    assert "until 2029-01-15" in text
    assert "Protocol: us 2026.12.2" in text
    for label in ("Before treatment", "Course 2", "Monitoring year 1", "Monitoring year 5", "End of monitoring"):
        assert label in text
    assert "<- next" in text
    assert "Not medical advice." in text


def test_table_marks_projection_and_women_only(us):
    text = render_text(make_plan(us, date(2024, 1, 10)))
    assert "Course 2 (projected)" in text
    assert "projected: course 1 + 12 months" in text
    assert "women only" in text


def test_table_shows_warnings(us):
    text = render_text(make_plan(us, date(2024, 1, 10), date(2024, 12, 10)))
    assert "Warning: course 2 starts on 2024-12-10" in text


def test_table_styles_past_and_next(us):
    styled = render_table(make_plan(us, date(2024, 1, 10)), TODAY, width=100, color=True)
    assert "\x1b[2m2024-02-14" in styled  # past: dim
    assert re.search(r"\x1b\[1;32m2026-12-14 .*<- next", styled)  # next: bold green
    assert "Warning" not in styled  # this plan has none


def test_table_styles_every_line_of_a_wrapped_warning(us):
    plan = make_plan(us, date(2024, 1, 10), date(2024, 12, 10))
    styled = render_table(plan, TODAY, width=60, color=True).splitlines()
    start = next(i for i, line in enumerate(styled) if "Warning: course 2 starts on 2024-12-10" in line)
    warning = styled[start : styled.index("", start)]
    assert len(warning) == 3  # wrapped at 60 columns
    assert all(line.startswith("\x1b[1;33m") and line.endswith("\x1b[0m") for line in warning)
    plain = render_table(plan, TODAY, width=60, color=False)
    assert "\x1b[" not in plain and "Warning: course 2 starts on 2024-12-10" in plain


@pytest.mark.parametrize("width", [60, 80, 100, 120])
def test_table_respects_the_width(us, width):
    text = render_text(make_plan(us, date(2024, 1, 10), date(2025, 1, 13), later=[date(2026, 3, 2)]), width)
    assert max(len(line) for line in text.splitlines()) <= width


def test_markdown_has_the_table_content(us):
    plan = make_plan(us, date(2024, 1, 10))
    text = render_markdown(plan, TODAY)
    assert text.startswith("# Alemtuzumab monitoring plan")
    assert "## Before treatment" in text and "## Course 2 (projected)" in text
    assert (
        "| 2024-02-14 | 1 | Monthly blood and urine tests | `cbc-diff`, `creatinine`, `urinalysis`, `liver` | past |"
        in text
    )
    assert "| 2026-12-14 | 35 |" in text and "**next**" in text
    assert "## Sources" in text and "- S1: US Prescribing Information, boxed warning" in text
    assert NOTICE in text


def test_markdown_escaping():
    assert md_escape("a|b*c_<x>") == "a\\|b\\*c\\_\\<x\\>"


def test_the_table_names_tests_in_plain_words_and_the_first_monthly_draw(us):
    from msmonitor.render.table import render_table

    plan = make_plan(us, date(2024, 1, 10), sex="male")
    text = render_table(plan, date(2024, 3, 1), width=100)
    assert "Monitoring: first monthly draw 2024-02-14, monthly from 2024-01-14" in text
    (row,) = [line for line in text.splitlines() if line.startswith("2024-02-14")]
    assert row.endswith("Blood count, kidney, urine, liver")  # plain words, not cbc-diff, creatinine, ...
    body = text.split("Tests: ")[0]
    assert "cbc-diff" not in body and "creatinine," not in body
    assert "blood count = Complete blood count with differential (cbc-diff)" in " ".join(text.split())


def test_columns_lay_out_the_plan_status_and_due_views_alike():
    from msmonitor.render.text import Columns, fit

    columns = Columns([fit("Patient", ["ab", "a" * 30], 20), 3], width=40, right=(False, True), last_min=10)
    assert columns.widths == [20, 3] and columns.indent == 27 and columns.last == 13
    assert columns.line("Patient", "Mo", "What") == "Patient" + " " * 16 + "Mo  What"
    # the last cell wraps under itself; the same text twice gives the same lines (wrapped once)
    for _ in range(2):
        assert columns.hanging("jd", "7", "Monthly blood and urine tests") == [
            "jd" + " " * 22 + "7  Monthly blood",
            " " * 27 + "and urine",
            " " * 27 + "tests",
        ]
        assert columns.block("jd", "7", "Monthly blood and urine tests") == "\n".join(
            columns.hanging("jd", "7", "Monthly blood and urine tests")
        )
    # a cell wider than its column pushes the rest right, never cut; the last keeps its minimum
    assert columns.hanging("x" * 24, "7", "one two three four") == [
        "x" * 24 + "    7  one two",
        " " * 31 + "three four",
    ]
    # cells of several lines side by side, no trailing spaces
    assert columns.lines(["2024-01-10", "to 2024-01-14"], ["1"], ["a"]) == [
        "2024-01-10              1  a",
        "to 2024-01-14",
    ]
    # what reaches the screen is clean: a control character in the last cell is shown escaped
    assert columns.hanging("jd", "", "a\x1b[2Jb") == ["jd" + " " * 25 + "a\\x1b[2Jb"]
