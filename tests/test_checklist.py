import os
from datetime import date

import pytest
from typer.testing import CliRunner

from msmonitor.checklists import course_checklist, pre_treatment_checklist, symptom_card, visit_checklist
from msmonitor.cli import app
from msmonitor.errors import InputError
from msmonitor.render.checklist import render_checklist_html, render_checklist_markdown

from .conftest import make_plan
from .printing import on_paper, pdf_pages_and_text, print_all_to_pdf, require_printing


def texts(doc, section=0):
    return [row.text for row in doc.sections[section].rows]


def test_visit_checklist_lists_the_tests_due(us):
    plan = make_plan(us, date(2024, 1, 10))
    doc = visit_checklist(plan, date(2024, 5, 14), today=date(2024, 5, 14))
    assert doc.title == "Visit checklist, 2024-05-14"
    assert ("Visit", "2024-05-14, month 4 of 59 (projected)") in doc.header
    assert ("Patient", "") in doc.header  # a blank line to write a name on
    assert texts(doc) == [
        "Complete blood count with differential (cbc-diff)",
        "Serum creatinine (creatinine)",
        "Urinalysis with urine cell counts (urinalysis)",
        "Liver tests (ALT, AST, total bilirubin) (liver)",
    ]
    row = doc.sections[0].rows[0]
    assert row.check and row.blank == "Result / date drawn" and "platelet" in row.why
    titles = [s.title for s in doc.sections]
    assert titles[1] == "From the previous visit (2024-04-14, month 3)"
    assert "Next visit" in titles
    assert doc.sections[-1].rows[0].text.startswith("2024-06-14 (month 5): Monthly blood and urine tests")


def test_a_visit_printed_ahead_still_asks_about_the_previous_one(us):
    """Read at the visit, after the previous one: its items are listed with their due date."""
    plan = make_plan(us, date(2024, 1, 10))
    doc = visit_checklist(plan, date(2024, 5, 14), today=date(2024, 4, 1))
    previous = doc.sections[1]
    assert previous.title == "From the previous visit (2024-04-14, month 3)"
    assert previous.note == "Due 2024-04-14, before this visit: check these were done; if not, they are overdue."
    # the first monitoring visit has none before it
    first = visit_checklist(plan, date(2024, 2, 14), today=date(2024, 2, 14))
    assert not any(s.title.startswith("From the previous visit") for s in first.sections)


def test_visit_near_a_scheduled_date_uses_it(us):
    plan = make_plan(us, date(2024, 1, 10))
    doc = visit_checklist(plan, date(2024, 5, 17), today=date(2024, 5, 17))
    assert ("Visit", "2024-05-14, month 4 of 59 (projected) (seen on 2024-05-17, 3 days late)") in doc.header


def test_visit_with_nothing_due_names_the_nearest_visits(us):
    plan = make_plan(us, date(2024, 1, 10))
    with pytest.raises(
        InputError,
        match=r"nothing is due on 2024-05-30; the nearest visits are 2024-05-14 \(month 4\) and 2024-06-14 \(month 5\)",
    ):
        visit_checklist(plan, date(2024, 5, 30), today=date(2024, 5, 30))


def test_visit_before_course_1_is_refused(us):
    with pytest.raises(InputError, match="use --pre-treatment"):
        visit_checklist(make_plan(us, date(2024, 1, 10)), date(2023, 12, 1), today=date(2023, 12, 1))


def test_pre_treatment_checklist(us):
    doc = pre_treatment_checklist(make_plan(us, date(2024, 1, 10), sex="female"))
    titles = [s.title for s in doc.sections]
    assert "Baseline labs (2023-12-11 to 2024-01-09)" in titles
    assert "Vaccinations complete (VZV if antibody-negative) (by 2023-11-29)" in titles
    # the order on paper: screening first, well before the vaccination deadline
    assert titles[0] == "Infection screening (by 2023-10-12)"
    assert titles.index("Infection screening (by 2023-10-12)") < titles.index(
        "Vaccinations complete (VZV if antibody-negative) (by 2023-11-29)"
    )
    assert doc.sections[0].note.startswith("First step, as early as possible: screen, then vaccinate if needed")
    assert "Pregnancy test before the first infusion of course 1 (by 2024-01-10)" in titles
    rows = [r.text for s in doc.sections for r in s.rows]
    for needed in (
        "Tuberculosis screening (tb-screen)",
        "HIV test (hiv)",
        "Skin examination (skin-exam)",
        "Cervical (HPV) screening (hpv-screen)",
        "Listeria diet explained",
        "Contraception discussed",
        "Start: Listeria food precautions",
    ):
        assert needed in rows
    # sex was given: nothing is marked "women only"
    assert not any("women only" in r.mark for sec in doc.sections for r in sec.rows)
    marked = pre_treatment_checklist(make_plan(us, date(2024, 1, 10)))
    assert any(
        r.text == "Contraception discussed" and r.mark == "women only" for sec in marked.sections for r in sec.rows
    )


def test_course_checklist(us):
    doc = course_checklist(make_plan(us, date(2024, 1, 10), date(2025, 1, 13)), 2)
    titles = [s.title for s in doc.sections]
    assert titles[:4] == [
        "Before the first infusion of course 2",
        "Day 1: 2025-01-13",
        "Day 2: 2025-01-14",
        "Day 3: 2025-01-15",
    ]
    day1 = texts(doc, 1)
    assert day1 == [
        "Infusion given (infusion day 1 of 3)",
        "Corticosteroid premedication",
        "Vital signs; 2-hour observation",
    ]
    windows = [r for r in doc.sections[4].rows]
    assert any(
        r.text == "Antiviral (herpes) prophylaxis, at least until 2025-03-15" and r.due == "2025-01-13 to 2025-03-15"
        for r in windows
    )
    emergency, immediately = doc.sections[-2:]
    assert emergency.urgent and "Coughing up blood" in [r.text for r in emergency.rows]
    assert emergency.title == "Get help right away"
    assert immediately.urgent and immediately.note.startswith("Call your doctor immediately.")


def test_course_number_must_exist(us):
    with pytest.raises(InputError, match="--course-number 3: this plan has courses 1 to 2"):
        course_checklist(make_plan(us, date(2024, 1, 10)), 3)


def test_symptom_card(us):
    doc = symptom_card(make_plan(us, date(2024, 1, 10)))
    titles = [s.title for s in doc.sections]
    # grouped by what to do, most urgent first, in the label's words
    assert titles == [
        "Who to call",
        "Get help right away",
        "Call your doctor immediately",
        "Call your doctor right away",
        "Also",
    ]
    emergency, immediately, right_away = doc.sections[1:4]
    assert emergency.urgent and immediately.urgent and not right_away.urgent
    assert emergency.note.startswith("Seek immediate medical attention: call the emergency number.")
    assert immediately.note == (
        "Call your doctor immediately. If you cannot reach your doctor, you must seek immediate medical attention."
    )
    assert right_away.note.startswith("Call your doctor right away to report them")
    rows = {s.title: " ".join(r.text for r in s.rows) for s in doc.sections}
    # ITP, kidney, HLH, TTP, AOSD, PML and encephalitis: "immediately"
    for sign in ("ITP", "kidney disease", "HLH", "TTP", "Still's disease", "PML", "encephalitis", "Listeria"):
        assert sign in rows["Call your doctor immediately"], sign
    # thyroid and the other late signs: "right away"; the conditions the old card left out are there
    for sign in (
        "(thyroid)",
        "colitis",
        "gallbladder",
        "lung inflammation",
        "thyroid cancer",
        "mole",
        "infusion reaction",
    ):
        assert sign in rows["Call your doctor right away"], sign
    assert "acquired hemophilia A" in rows["Call your doctor immediately"]
    assert "Yellow skin or eyes" in rows["Call your doctor immediately"]
    assert "Tell your family or caregivers" in rows["Call your doctor immediately"]
    also = rows["Also"]
    for line in ("Show this card to any doctor or nurse", "if you become pregnant", "No live vaccines"):
        assert line in also
    assert dict(doc.header)["Keep this card"].startswith("during treatment, for at least 4 years")
    assert doc.sources and all(":" in s for s in doc.sources)


@pytest.mark.parametrize("pid", ["us", "eu"])
def test_no_sign_appears_under_two_actions(pid):
    from msmonitor.protocol import load_protocol

    groups = load_protocol(pid).symptoms
    signs = [sign.lower() for g in groups for sign in g.signs]
    assert len(signs) == len(set(signs))
    # the old card's contradiction: coughing up blood under the emergency and under "same day"
    for words in ("coughing up blood", "bruising easily", "blood in the urine", "yellow skin", "dark urine"):
        holders = [g.id for g in groups if any(words in s.lower() for s in g.signs)]
        assert len(holders) == 1, (words, holders)
    # one action per group, never a softer one than the label's
    assert [g.title for g in groups] == [
        "Get help right away",
        "Call your doctor immediately",
        "Call your doctor right away",
    ]
    assert not any("same day" in g.action or "soon" in g.action for g in groups)


def test_html_is_self_contained_and_escaped(us):
    plan = make_plan(us, date(2024, 1, 10), patient='<script>alert("x")</script> & Zoë')
    html = render_checklist_html(visit_checklist(plan, date(2024, 5, 14), today=date(2024, 5, 14)))
    assert "<script" not in html.lower().replace("&lt;script&gt;", "")
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; Zoë" in html
    assert "http://" not in html.split("<footer>")[0] and "https://" not in html.split("<footer>")[0]
    assert "<link" not in html and "@import" not in html and "src=" not in html
    assert 'class="box"' in html and "break-inside: avoid" in html and "@page" in html
    assert "Not medical advice" in html and "Sources: " in html


def test_markdown_checklist(us):
    text = render_checklist_markdown(symptom_card(make_plan(us, date(2024, 1, 10))))
    assert text.startswith("# Symptoms to report")
    assert "- Blood in the urine (red or tea-colored), dark urine" in text
    text = render_checklist_markdown(
        visit_checklist(make_plan(us, date(2024, 1, 10)), date(2024, 5, 14), date(2024, 5, 14))
    )
    assert "- [ ] **Serum creatinine (creatinine)**: Checks kidney function" in text


runner = CliRunner()


@pytest.mark.parametrize(
    "args",
    [
        ["--pre-treatment"],
        ["--course-number", "2"],
        ["--visit", "2024-05-14"],
        ["--symptoms"],
        ["--visit", "2024-05-14", "--format", "markdown"],
        ["--visit", "2024-05-14", "--format", "html"],
    ],
)
def test_checklist_command(args):
    result = runner.invoke(app, ["checklist", "--course1", "2024-01-10", "--today", "2024-05-14", *args])
    assert result.exit_code == 0, result.stderr
    assert "Not medical advice" in result.stdout


def test_checklist_terminal_fits_80_columns():
    result = runner.invoke(app, ["checklist", "--course1", "2024-01-10", "--visit", "2024-05-14"])
    assert max(len(line) for line in result.stdout.splitlines()) <= 80
    assert "[ ]" in result.stdout and "\x1b[" not in result.stdout


@pytest.mark.parametrize(
    "args, message",
    [
        (["--visit", "2024-05-30"], "nothing is due on 2024-05-30; the nearest visits are"),
        (["--visit", "2023-01-01"], "is before course 1"),
        (["--course-number", "5"], "--course-number 5: this plan has courses 1 to 2"),
        (["--visit", "2024-05-14", "--symptoms"], "--visit and --symptoms ask for different checklists"),
        (["--visit", "14/05/2024"], "--visit: '14/05/2024' is not a date"),
        (["--symptoms", "-o", "missing/card.html"], "folder 'missing' does not exist"),
    ],
)
def test_checklist_errors(tmp_path, monkeypatch, args, message):
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(app, ["checklist", "--course1", "2024-01-10", *args])
    assert result.exit_code == 2
    assert len(result.stderr.splitlines()) == 1 and message in result.stderr
    assert os.listdir(tmp_path) == []


need_a_browser = require_printing


VISIT = [
    "checklist",
    "--course1",
    "2024-01-10",
    "--sex",
    "female",
    "--visit",
    "2025-01-14",
    "--today",
    "2025-01-20",
    "--patient",
    "J. D.",
]
SYMPTOMS = ["checklist", "--course1", "2024-01-10", "--symptoms", "--patient", "J. D."]


def print_each(documents, tmp_path):
    """Print each {(name, paper): args} document in headless Chromium, all at
    once (a print mostly waits): {(name, paper): (pages, text)}."""
    need_a_browser()
    jobs = {}
    for (name, paper), args in documents.items():
        result = runner.invoke(app, [*args, "--format", "html"])
        assert result.exit_code == 0, result.output
        page = tmp_path / f"{name}-{paper}.html"
        page.write_text(on_paper(result.stdout, paper), encoding="utf-8")
        jobs[name, paper] = (page, page.with_suffix(".pdf"))
    print_all_to_pdf(jobs.values(), tmp_path / "profile")
    return {key: pdf_pages_and_text(pdf) for key, (_, pdf) in jobs.items()}


@pytest.mark.slow
def test_visit_checklist_prints_on_one_page_in_a_real_browser(tmp_path):
    """Headless Chromium prints the busiest visit (month 12: tests, exams, the
    previous visit, course 2's windows) on one page of A4 and of US Letter."""
    printed = print_each({("visit", paper): VISIT for paper in ("letter", "A4")}, tmp_path)
    for (_, paper), (pages, text) in printed.items():
        assert pages == 1, f"the visit checklist took {pages} pages on {paper}"
        for needed in (
            "Visit checklist, 2025-01-14",
            "month 12 of 59",
            "Complete blood count with differential",
            "Skin examination",
            "Cervical (HPV) screening",
            "From the previous visit",
            "Next visit",
            "Not medical advice",
        ):
            assert needed in text, f"{needed} on {paper}"


@pytest.mark.slow
def test_symptom_card_prints_on_one_page_in_a_real_browser(tmp_path):
    """The whole card (who to call, every group, the reminders, sources) on one
    page of A4 and of US Letter, for each protocol."""
    documents = {(pid, paper): [*SYMPTOMS, "--protocol", pid] for pid in ("us", "eu") for paper in ("letter", "A4")}
    for (pid, paper), (pages, text) in print_each(documents, tmp_path).items():
        assert pages == 1, f"the {pid} symptom card took {pages} pages on {paper}"
        for needed in ("Get help right away", "Call your doctor immediately", "Call your doctor right away", "Also"):
            assert needed in text, f"{needed} on the {pid} card on {paper}"
        assert "Sources:" in text and "Not medical advice" in text, f"the {pid} card on {paper}"


def test_projected_dates_are_marked_on_the_card_and_every_checklist_header(us):
    projected = make_plan(us, date(2024, 1, 10))
    given = make_plan(us, date(2024, 1, 10), date(2025, 1, 13))
    card = dict(symptom_card(projected).header)
    assert card["Last infusion"] == "2025-01-12 (projected)"
    assert card["Monitoring until"] == "2029-01-12 (projected)"
    assert "projected" not in " ".join(dict(symptom_card(given).header).values())
    for doc in (
        pre_treatment_checklist(projected),
        course_checklist(projected, 1),
        visit_checklist(projected, date(2024, 2, 14), today=date(2024, 2, 14)),
    ):
        header = dict(doc.header)
        assert header["Last dose"].endswith("(projected)") and header["Monitoring ends"].endswith("(projected)")


def test_grid_visits_that_only_a_projected_course_makes_are_marked_projected(us):
    plan = make_plan(us, date(2024, 1, 10))
    # without course 2, monitoring would end 2028-01-14: month 49 exists only
    # because course 2 is projected
    doc = visit_checklist(plan, date(2028, 2, 14), today=date(2028, 2, 14))
    assert all(r.mark == "projected" for r in doc.sections[0].rows)
    month_48 = visit_checklist(plan, date(2028, 1, 14), today=date(2028, 1, 14)).sections[0].rows
    assert not any("projected" in r.mark for r in month_48)


def test_the_closing_visit_says_yearly_skin_exams_and_cervical_screening_continue(us, eu):
    plan = make_plan(us, date(2024, 1, 10), date(2025, 1, 13))
    doc = visit_checklist(plan, plan.monitoring_ends, today=plan.monitoring_ends)
    after = next(s for s in doc.sections if s.title.startswith("End of scheduled monitoring"))
    assert "Yearly skin exams and yearly cervical screening (women) continue" in after.rows[0].text
    eu_plan = make_plan(eu, date(2024, 1, 10), date(2025, 1, 13))
    (end,) = [e for e in eu_plan.events if e.kind == "end"]
    assert "Yearly cervical screening (women) continues" in end.notes[0]


def test_pre_treatment_checks_contraindications_and_immunosuppressants(us, eu):
    for protocol, words in ((us, "'an active infection'"), (eu, "uncontrolled high blood pressure")):
        doc = pre_treatment_checklist(make_plan(protocol, date(2024, 1, 10)))
        first = doc.sections[0]
        assert first.title == "Infection screening (by 2023-10-12)"
        rows = {r.text: r for r in first.rows}
        assert words in rows["Contraindications checked"].why
        assert "Previous and current immunosuppressants reviewed; washout planned" in rows


@pytest.mark.parametrize("number", [1, 2, 3])
def test_every_course_starts_with_the_readiness_checks(us, eu, number):
    for protocol in (us, eu):
        plan = make_plan(protocol, date(2024, 1, 10), date(2025, 1, 13), later=[date(2026, 2, 2)])
        doc = course_checklist(plan, number)
        assert doc.sections[0].title == f"Before the first infusion of course {number}"
        texts = [r.text for r in doc.sections[0].rows]
        assert "No active infection or fever today" in texts
        assert "Latest blood count, creatinine and urinalysis reviewed" in texts
        assert "Pregnancy test (pregnancy-test)" in texts
