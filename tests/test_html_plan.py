"""The printable picture of a plan and of a patient's record (render/html_plan.py)."""

import re
from collections import Counter
from datetime import date, timedelta
from html.parser import HTMLParser

import pytest

from msmonitor.kinds import KIND
from msmonitor.render.html_plan import KIND_ORDER, day_events, render_plan_html, render_status_html
from msmonitor.tracking import DONE, DUE, LATE, MISSED, OVERDUE, UPCOMING, Record, scheduled_tests, track

from .conftest import make_plan
from .printing import on_paper, pdf_pages_and_text, print_all_to_pdf, require_printing

TODAY = date(2025, 3, 1)


def plans(us, eu):
    return {
        "one course": make_plan(us, date(2024, 1, 10), single_course=True),
        "projected course 2": make_plan(us, date(2024, 1, 10), patient="J. D."),
        "four courses": make_plan(us, date(2020, 1, 10), date(2021, 1, 12), later=(date(2022, 2, 1), date(2023, 3, 1))),
        "EU": make_plan(eu, date(2024, 6, 3), date(2025, 6, 10), sex="female"),
    }


class Page(HTMLParser):
    """The calendar's marked days, the timeline's projected shapes, every tag."""

    def __init__(self, html):
        super().__init__()
        self.marks = []  # (date, classes)
        self.tags = Counter()
        self.projected_in_timeline = 0
        self.today_boxes = 0
        self._in_timeline = False
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        classes = (attrs.get("class") or "").split()
        self.tags[tag] += 1
        if tag == "svg":
            self._in_timeline = "timeline" in classes
        if "marked" in classes:
            self.marks.append((date.fromisoformat(attrs["data-date"]), set(classes)))
        if self._in_timeline and "projected" in classes:
            self.projected_in_timeline += 1
        if tag == "rect" and "today" in classes:
            self.today_boxes += 1


@pytest.mark.parametrize("name", ["one course", "projected course 2", "four courses", "EU"])
def test_every_scheduled_day_is_marked_once_with_its_projection(us, eu, name):
    plan = plans(us, eu)[name]
    page = Page(render_plan_html(plan, TODAY))
    marked = Counter(day for day, _ in page.marks)
    visit_days = {e.date for e in plan.events if e.kind != "window"}
    assert set(marked) == visit_days
    assert max(marked.values()) == 1
    projected_days = {e.date for e in plan.events if e.projected and e.kind != "window"}
    for day, classes in page.marks:
        assert ("projected" in classes) == (day in projected_days), day
    if name == "projected course 2":
        assert projected_days and page.projected_in_timeline >= 1
    if name in ("four courses", "EU", "one course"):
        assert not projected_days and page.projected_in_timeline == 0
    assert page.today_boxes == (1 if min(e.date for e in plan.events) <= TODAY <= plan.monitoring_ends else 0)


def test_every_kind_has_a_symbol_or_is_a_span():
    for kind in KIND.values():
        assert kind.symbol == "" or kind.symbol in KIND_ORDER, kind.name


def test_days_are_marked_by_kind(us):
    plan = make_plan(us, date(2024, 1, 10))
    kinds = {day: classes for day, classes in Page(render_plan_html(plan, TODAY)).marks}
    assert "infusion" in kinds[date(2024, 1, 10)]  # the pregnancy test too, but the infusion shows
    assert "labs" in kinds[date(2024, 2, 14)]
    assert "plus" in kinds[date(2024, 4, 14)]  # + thyroid, every third month
    assert "yearly" in kinds[date(2025, 1, 14)]
    assert "deadline" in kinds[date(2023, 11, 29)]
    assert "end" in kinds[plan.monitoring_ends]
    assert {"infusion", "projected"} <= kinds[date(2025, 1, 10)]


def test_the_page_says_what_is_projected_and_lists_every_date(us):
    plan = make_plan(us, date(2024, 1, 10), patient="J. D.")
    html = render_plan_html(plan, TODAY)
    assert "Course 2 (projected)" in html
    assert "End of monitoring: 2029-01-12 (projected: moves with course 2&#x27;s date)" in html
    assert "Today 2025-03-01" in html
    years = re.findall(r'<section class="year"[^>]*><h2[^>]*>(\d{4})</h2>(.*?)</section>', html, re.S)
    assert [int(y) for y, _ in years] == list(range(2023, 2030))
    for year, section in years:
        listed = section.split('<div class="dates">')[1]
        for day in day_events(plan):
            if day.year == int(year):
                assert day.isoformat() in listed, day
    assert "course 2: 2025-01-10, 2025-01-11, 2025-01-12 [projected]" in html


@pytest.mark.parametrize("render", ["plan", "status"])
def test_pages_are_self_contained_and_escape_every_text(us, render):
    hostile = '<script>alert("x")</script> & <img src=x onerror=y>'
    plan = make_plan(us, date(2024, 1, 10), patient=hostile)
    protocol = plan.protocol._replace(title=hostile, notice=hostile, version=hostile)
    events = tuple(e._replace(title=hostile) if e.kind == "exam" else e for e in plan.events)
    plan = plan._replace(protocol=protocol, events=events, warnings=(hostile,))
    if render == "plan":
        html = render_plan_html(plan, TODAY)
    else:
        html = render_status_html(plan, track(plan, [], TODAY), TODAY)
    assert "<script" not in html and "<img" not in html and "onerror=y>" not in html
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &lt;img" in html
    clean = html.replace("&lt;img src=x", "")
    for fetches in ("http:", "https:", "<link", "src=", "@import", "url(http", "<iframe", "<object"):
        assert fetches not in clean
    page = Page(html)
    assert page.tags["style"] == 1 and page.tags["svg"] > 12 and page.tags["script"] == 0


# ------------------------------------------------------------------ status


def _records(plan, today):
    """Done on the day, except: month 5 not done, month 11 done 9 days late, the latest draws not yet."""
    records = []
    for i, item in enumerate(scheduled_tests(plan)):
        if item.date > today - timedelta(days=20) or item.month == 5:
            continue
        records.append(Record(i, item.test, item.date + timedelta(days=9 if item.month == 11 else 0)))
    return records


def test_status_calendar_shows_each_days_worst_status(us):
    today = date(2026, 3, 20)
    plan = make_plan(us, date(2024, 1, 10), date(2025, 1, 13), patient="J. D.")
    tracking = track(plan, _records(plan, today), today)
    html = render_status_html(plan, tracking, today)
    marks = {day: classes for day, classes in Page(html).marks}
    assert set(marks) == {e.date for e in plan.events if e.kind != "window"}
    assert MISSED in marks[date(2024, 6, 14)]  # month 5
    assert LATE in marks[date(2024, 12, 14)]  # month 11
    assert DONE in marks[date(2024, 2, 14)]
    assert OVERDUE in marks[date(2026, 3, 14)]  # within its tolerance, not yet missed
    assert UPCOMING in marks[date(2026, 4, 14)]
    assert "not-tracked" in marks[date(2024, 1, 11)]  # infusion day 2: nothing to record
    by_day = {}
    for t in tracking.tests:
        by_day.setdefault(t.scheduled.date, set()).add(t.status)
    order = (MISSED, OVERDUE, DUE, LATE, DONE, UPCOMING)
    for day, states in by_day.items():
        assert next(s for s in order if s in states) in marks[day], day
    # the bar chart: complete panels per monitoring year, as status computes them
    assert "Year 1</text>" in html and "11 of 12 complete (92%)" in html
    assert "Missed:</b> 2024-06-14 (cbc-diff, creatinine, urinalysis, liver)" in html


def test_status_before_any_panel_is_due(us):
    today = date(2024, 1, 20)
    plan = make_plan(us, date(2024, 1, 10), patient="new")
    html = render_status_html(plan, track(plan, [], today), today)
    assert "No monitoring panel is due yet." in html


# ------------------------------------------------------------------ printed


@pytest.mark.slow
def test_plans_and_a_record_print_on_a4_and_letter_within_their_page_limits(us, eu, tmp_path):
    """Five years on at most three pages of A4 and of US Letter (four courses,
    seven years: four). One Chromium run per paper prints every document (both
    papers at once): each starts on a new page, found by its own title."""
    require_printing()
    docs = []
    for name, plan in plans(us, eu).items():
        plan = plan._replace(options=plan.options._replace(patient=f"case {name}"))
        limit = 4 if name == "four courses" else 3
        docs.append((f"Monitoring plan: case {name}", limit, render_plan_html(plan, TODAY)))
    today = date(2026, 3, 20)
    plan = make_plan(us, date(2024, 1, 10), date(2025, 1, 13), patient="case status")
    html = render_status_html(plan, track(plan, _records(plan, today), today), today)
    docs.append(("Monitoring record: case status", 3, html))
    head = docs[0][2].split("<body>")[0]
    bodies = [html.split("<body>")[1].split("</body>")[0] for _, _, html in docs]
    combined = head + "<body>" + "".join(bodies) + "</body></html>"
    jobs = {}
    for paper in ("A4", "letter"):
        page = tmp_path / f"all-{paper}.html"
        page.write_text(on_paper(combined, paper), encoding="utf-8")
        jobs[paper] = (page, tmp_path / f"all-{paper}.pdf")
    print_all_to_pdf(jobs.values(), tmp_path / "profile")
    for paper, (_, pdf) in jobs.items():
        count, text = pdf_pages_and_text(pdf)
        pages = text.split("\f")[:count]
        starts = [next(i for i, p in enumerate(pages) if title in p) for title, _, _ in docs]
        assert starts == sorted(starts) and starts[0] == 0
        for (title, limit, _), start, end in zip(docs, starts, starts[1:] + [count]):
            assert 1 <= end - start <= limit, f"{title}: {end - start} pages on {paper}"
            assert "Not medical advice" in pages[start]


def test_plan_and_status_write_html_through_the_cli(tmp_path):
    from typer.testing import CliRunner

    from msmonitor.cli import app

    runner = CliRunner()
    out = tmp_path / "plan.html"
    result = runner.invoke(
        app, ["plan", "--course1", "2024-01-10", "--today", "2024-03-01", "--format", "html", "-o", str(out)]
    )
    assert result.exit_code == 0, result.output
    html = out.read_text(encoding="utf-8")
    assert html.lower().startswith("<!doctype html>") and "<svg" in html and "<script" not in html
    db = str(tmp_path / "c.db")
    assert (
        runner.invoke(
            app, ["add", "JD", "--course1", "2024-01-10", "--tracking-from", "2024-01-01", "--db", db]
        ).exit_code
        == 0
    )
    assert runner.invoke(app, ["done", "JD", "2024-02-14", "--db", db]).exit_code == 0
    result = runner.invoke(app, ["status", "JD", "--today", "2024-03-01", "--format", "html", "--db", db])
    assert result.exit_code == 0, result.output
    assert result.stdout.lower().startswith("<!doctype html>") and "JD" in result.stdout
