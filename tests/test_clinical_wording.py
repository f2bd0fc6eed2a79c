"""What a patient or nurse reads, in every output format that shows it.

Each test pins one item of the clinician review (issue 8's leftovers): the
words are checked in the terminal table, Markdown, JSON, CSV, the .ics
descriptions, the HTML plan page and the checklists that carry them.
"""

from __future__ import annotations

import csv
import html
import io
import json
import re
from datetime import date

import pytest
from icalendar import Calendar
from typer.testing import CliRunner

from msmonitor.checklists import course_checklist, pre_treatment_checklist
from msmonitor.cli import app

from .conftest import make_plan

runner = CliRunner()

PLAN_FORMATS = {
    "table": ("plan", "--format", "table", "--no-pager"),
    "markdown": ("plan", "--format", "markdown"),
    "json": ("plan", "--format", "json"),
    "csv": ("plan", "--format", "csv"),
    "html": ("plan", "--format", "html"),
    "ics": ("plan", "--ics", "-"),
}


def run(*args: str) -> str:
    result = runner.invoke(app, list(args), env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.stderr
    return result.stdout


def readable(name: str, text: str) -> str:
    """The words as the reader sees them: calendar text unfolded and
    unescaped, HTML entities decoded, JSON strings and CSV cells as values,
    white space collapsed (wrapped table cells read as one line)."""
    if name == "ics":
        calendar = Calendar.from_ical(text.encode())
        text = "\n".join(f"{e['SUMMARY']}\n{e.get('DESCRIPTION', '')}" for e in calendar.walk("VEVENT"))
    elif name == "json":
        text = json.dumps(json.loads(text), ensure_ascii=False)
    elif name == "csv":
        text = "\n".join(" | ".join(row) for row in csv.reader(io.StringIO(text)))
    elif name == "html":
        text = html.unescape(re.sub(r"<[^>]+>", " ", text))
    return " ".join(text.split())


# ------------------------------------------------------------------ 1. each course's pregnancy test


@pytest.mark.parametrize("protocol", ["us", "eu"])
@pytest.mark.parametrize("name", PLAN_FORMATS)
def test_each_course_pregnancy_test_names_its_course(name, protocol):
    given = ("--course1", "2024-01-10", "--course2", "2025-01-13", "--course", "2026-02-01")
    text = readable(name, run(*PLAN_FORMATS[name], *given, "--protocol", protocol))
    for course in (1, 2, 3):
        # the table wraps its columns: the title's words may have the tests column between them
        gap = r".{0,40}?" if name == "table" else " "
        assert re.search(f"Pregnancy test before the first{gap}infusion of course {course}", text), course
    # never the bare wording, which reads as course 1's on course 2's line
    assert not re.search(r"(Pregnancy test|ECG) before the first(.{0,40}?)infusion(?! of course \d)", text)


def test_course_checklists_name_their_course(us):
    plan = make_plan(us, date(2024, 1, 10), date(2025, 1, 13), sex="female")
    for number in (1, 2):
        doc = course_checklist(plan, number)
        assert doc.sections[0].title == f"Before the first infusion of course {number}"
    titles = [s.title for s in pre_treatment_checklist(plan).sections]
    assert "Pregnancy test before the first infusion of course 1 (by 2024-01-10)" in titles
    for fmt in ("terminal", "markdown", "html"):
        out = readable(
            "html" if fmt == "html" else fmt,
            run("checklist", "--course1", "2024-01-10", "--course-number", "2", "--format", fmt),
        )
        assert "Before the first infusion of course 2" in out
        assert not re.search(r"before the first infusion(?! of course \d)", out, re.IGNORECASE)


def test_the_eu_ecg_names_its_course():
    given = ("--course1", "2024-01-10", "--course2", "2025-01-13", "--protocol", "eu", "--include-unverified")
    events = json.loads(run("plan", *given, "--format", "json"))["events"]
    titles = {e["id"]: e["title"] for e in events if e["id"].startswith("baseline-ecg/")}
    assert titles == {
        "baseline-ecg/c1": "ECG before the first infusion of course 1",
        "baseline-ecg/c2": "ECG before the first infusion of course 2",
    }


# ------------------------------------------------------------------ 3. the visit header's month count


@pytest.mark.parametrize("fmt", ["terminal", "markdown", "html"])
def test_visit_header_marks_a_month_count_that_a_projected_course_decides(fmt):
    def header(*given: str, visit: str) -> str:
        out = run("checklist", *given, "--visit", visit, "--today", visit, "--format", fmt)
        return readable("html" if fmt == "html" else fmt, out)

    # course 2 not given: the 59 months end at a projected date
    assert "2025-01-14, month 12 of 59 (projected)" in header("--course1", "2024-01-10", visit="2025-01-14")
    # month 53 exists only because of the projected course: the visit is projected too
    text = header("--course1", "2024-01-10", visit="2028-06-14")
    assert "2028-06-14 (projected), month 53 of 59 (projected)" in text
    text = header("--course1", "2024-01-10", visit="2029-01-12")
    assert "2029-01-12 (projected), closing panel" in text
    # course 2 given: nothing projected
    text = header("--course1", "2024-01-10", "--course2", "2025-01-10", visit="2025-01-14")
    assert "2025-01-14, month 12 of 59" in text and "projected" not in text.lower()


# ------------------------------------------------------------------ 4. the closing visit's previous visit


@pytest.mark.parametrize("fmt", ["terminal", "markdown", "html"])
@pytest.mark.parametrize(
    "given, closing, previous",
    [
        (("--course1", "2024-01-10"), "2029-01-12", "2028-12-14, month 59"),  # a separate closing panel
        (("--course1", "2024-01-10", "--course2", "2025-01-20"), "2029-01-22", "2028-12-14, month 59"),  # merged
        (("--course1", "2024-01-10", "--protocol", "eu", "--single-course"), "2028-01-14", "2027-12-14, month 47"),
    ],
)
@pytest.mark.parametrize("today", ["2026-11-22", "closing"])
def test_the_closing_visit_asks_about_the_previous_visit_like_every_visit(fmt, given, closing, previous, today):
    """Printed ahead (today years before it) or on the day, the closing
    visit's checklist has the section every other visit has, in the same
    place: right after what is due, before the end-of-monitoring notes."""
    day = closing if today == "closing" else today
    out = run("checklist", *given, "--visit", closing, "--today", day, "--format", fmt)
    text = readable("html" if fmt == "html" else fmt, out)
    title = f"From the previous visit ({previous})"
    assert title in text
    assert text.index("Due at this visit") < text.index(title) < text.index("End of scheduled monitoring")
    assert "check these were done; if not, they are overdue" in text.lower()


# ------------------------------------------------------------------ 2. the card spells out what it names

SPELLED_OUT = {
    "ITP": "immune thrombocytopenia",
    "TTP": "thrombotic thrombocytopenic purpura",
    "HLH": "hemophagocytic lymphohistiocytosis",  # "haemophagocytic" in the EU's spelling
    "PML": "progressive multifocal leukoencephalopathy",
}


@pytest.mark.parametrize("protocol", ["us", "eu"])
def test_the_card_names_no_condition_by_a_bare_acronym(protocol):
    from msmonitor.checklists import symptom_card
    from msmonitor.protocol import load_protocol

    doc = symptom_card(make_plan(load_protocol(protocol), date(2024, 1, 10)))
    words = " ".join(r.text for s in doc.sections for r in s.rows) + " ".join(s.note for s in doc.sections)
    # every capitalised abbreviation a patient reads is one the card spells out (MS is theirs)
    assert set(re.findall(r"\b[A-Z]{2,}\b", words)) <= {"MS", "LEMTRADA", "EU", "US", *SPELLED_OUT}


@pytest.mark.parametrize("protocol", ["us", "eu"])
@pytest.mark.parametrize(
    "kind, args",
    [
        ("card", ("--symptoms",)),
        ("course", ("--course-number", "2")),  # the card's urgent groups print on every course checklist
    ],
)
@pytest.mark.parametrize("fmt", ["terminal", "markdown", "html"])
def test_each_acronym_is_spelled_out_at_first_use(protocol, kind, args, fmt):
    out = run("checklist", "--course1", "2024-01-10", "--protocol", protocol, *args, "--format", fmt)
    text = readable("html" if fmt == "html" else fmt, out)
    text = text[: text.index("Sources")]  # the clinicians' source list is not the patient's text
    for acronym, words in SPELLED_OUT.items():
        first = re.search(rf"\b{acronym}\b", text)
        assert first, acronym
        if protocol == "eu":
            words = words.replace("hemo", "haemo")
        assert text[: first.start()].endswith(f"{words}, "), (acronym, text[first.start() - 60 : first.end()])


# ------------------------------------------------------------------ each protocol's card in its label's spelling

BRITISH = ("haemo", "coloured", "behaviour", "diarrhoea", "carers", "enrolment", "enrol ")


@pytest.mark.parametrize("fmt", ["terminal", "markdown", "html"])
def test_the_us_card_and_checklists_spell_as_the_us_label_does(fmt):
    # the US label and Medication Guide say "hemophilia", "diarrhea", "behavior", "caregivers"
    for args in (("--symptoms",), ("--pre-treatment", "--today", "2023-09-01")):
        out = run("checklist", "--course1", "2024-01-10", "--protocol", "us", *args, "--format", fmt)
        text = readable("html" if fmt == "html" else fmt, out).lower()
        assert [w for w in BRITISH if w in text] == []
    card = readable("terminal", run("checklist", "--course1", "2024-01-10", "--protocol", "us", "--symptoms"))
    assert "acquired hemophilia A" in card and "diarrhea" in card


def test_the_eu_card_keeps_the_smpc_spelling():
    card = readable("terminal", run("checklist", "--course1", "2024-01-10", "--protocol", "eu", "--symptoms"))
    assert "haemophilia" in card


# ------------------------------------------------------------------ hepatitis B and C screening


@pytest.mark.parametrize("protocol", ["us", "eu"])
@pytest.mark.parametrize("fmt", ["terminal", "markdown", "html"])
def test_hepatitis_screening_says_it_is_for_patients_at_high_risk(protocol, fmt):
    # the label asks to "consider screening patients at high risk": never an unconditional box, never dropped
    out = run(
        "checklist",
        "--course1",
        "2024-01-10",
        "--protocol",
        protocol,
        "--pre-treatment",
        "--today",
        "2023-09-01",
        "--format",
        fmt,
    )
    text = " ".join(readable("html" if fmt == "html" else fmt, out).split())
    gap = r".{0,60}?" if fmt == "terminal" else " "  # the printed checklist wraps beside its answer column
    for virus in ("B", "C"):
        assert re.search(f"Hepatitis {virus} screening, if at high{gap}risk", text), virus
    assert re.search(f"consider screening{gap}patients{gap}at high{gap}risk", text)
    plan = " ".join(run("plan", "--course1", "2024-01-10", "--protocol", protocol, "--format", "json").split())
    assert "Hepatitis B screening, if at high risk" in plan and "Hepatitis C screening, if at high risk" in plan


# ------------------------------------------------------------------ 5. EU skin exams: said to be off, never silent

SKIN_OFF = "Skin exams (baseline and yearly) are not in the EU schedule by default"
HOW = "msmonitor adds them with --include-unverified"
EU_OUTPUTS = {
    **PLAN_FORMATS,
    "pre-treatment": ("checklist", "--pre-treatment", "--format", "html"),
    "visit": ("checklist", "--visit", "2025-01-14", "--format", "markdown"),
    "course": ("checklist", "--course-number", "1"),
    "card": ("checklist", "--symptoms", "--format", "html"),
}


@pytest.mark.parametrize("name", EU_OUTPUTS)
def test_every_eu_output_says_skin_exams_are_off_and_how_to_add_them(name):
    out = run(*EU_OUTPUTS[name], "--course1", "2024-01-10", "--protocol", "eu")
    kind = name if name in PLAN_FORMATS else "html" if "html" in EU_OUTPUTS[name] else "markdown"
    text = readable(kind, out)
    if name == "csv":  # a table of dated events, no prose: the JSON and every other format carry it
        assert "skin" not in text.lower()
        return
    assert SKIN_OFF in text and HOW in text
    if name == "ics":  # on the first event and the end event, a patient's calendar says it twice
        assert text.count(SKIN_OFF) == 2
    if name in ("html", "pre-treatment", "card"):  # once, in the header (the card: with its reminders)
        assert text.count(SKIN_OFF) == 1
    if name == "json":
        data = json.loads(out)
        assert data["not_scheduled"] == [next(n for n in data["events"][-1]["notes"] if n.startswith(SKIN_OFF))]
    included = run(*EU_OUTPUTS[name], "--course1", "2024-01-10", "--protocol", "eu", "--include-unverified")
    with_them = readable(kind, included)
    assert SKIN_OFF not in with_them
    if name in PLAN_FORMATS and name != "ics":
        assert "Yearly skin exam" in with_them


def test_us_schedules_skin_exams_and_says_nothing_is_off():
    data = json.loads(run("plan", "--course1", "2024-01-10", "--format", "json"))
    assert data["not_scheduled"] == []
    assert any(e["item"] == "yearly-skin-exam" for e in data["events"])


def test_when_off_belongs_to_unverified_rules_only(tmp_path):
    from msmonitor.errors import ProtocolError
    from msmonitor.protocol import load_protocol

    text = (__import__("pathlib").Path(__file__).parents[1] / "msmonitor/protocols/us.toml").read_text()
    mine = tmp_path / "mine.toml"
    mine.write_text(text.replace('id = "thyroid"\n', 'id = "thyroid"\nwhen_off = "Off."\n'))
    with pytest.raises(ProtocolError, match=r"rules\[\d+\] \(thyroid\)\.when_off: only an unverified rule"):
        load_protocol(str(mine))


# ------------------------------------------------------------------ 7. a nurse's reading of the default outputs


@pytest.mark.parametrize(
    "protocol, action",
    [
        ("us", "Seek immediate medical attention (call the emergency number) for face drooping"),
        ("eu", "Get help right away (call the emergency number) for face drooping"),
    ],
)
@pytest.mark.parametrize("name", ["json", "ics", "course"])
def test_the_urgent_symptom_watch_says_what_to_do(protocol, action, name):
    """The 1-3 day watch listed the signs without the label's action."""
    args = EU_OUTPUTS[name] if name in EU_OUTPUTS else PLAN_FORMATS[name]
    out = run(*args, "--course1", "2024-01-10", "--protocol", protocol)
    text = readable("markdown" if name == "course" else name, out)
    assert action in text


def test_patient_facing_explanations_spell_out_the_kidney_disease():
    data = json.loads(run("plan", "--course1", "2024-01-10", "--format", "json"))
    assert data["tests"]["creatinine"]["why"] == (
        "Checks kidney function: finds an immune attack on the kidneys (anti-GBM disease) and other kidney injury."
    )


def test_late_infusion_reactions_are_the_labels_words_not_a_deadline():
    data = json.loads(run("plan", "--course1", "2024-01-10", "--format", "json"))
    notes = {n for e in data["events"] if e["item"] == "infusion" for n in e["notes"]}
    assert any("'Serious infusion reactions can also occur after the 2-hour monitoring period'" in n for n in notes)
    assert not any("report any within 48 hours" in n for n in notes)


def test_every_row_of_a_projected_course_says_projected(us):
    """A rule merged into a projected event has its own row on paper: marked too."""
    doc = course_checklist(make_plan(us, date(2024, 1, 10), sex="female"), 2)
    rows = doc.sections[0].rows
    assert [r.text for r in rows][-1] == "Latest blood count, creatinine and urinalysis reviewed"
    assert all(r.mark.startswith("projected") for r in rows)
    given = course_checklist(make_plan(us, date(2024, 1, 10), date(2025, 1, 13), sex="female"), 2)
    assert not any(r.mark for r in given.sections[0].rows)


# ------------------------------------------------------------------ windows are followed through, not "done on" a day


@pytest.mark.parametrize("fmt", ["terminal", "markdown", "html"])
def test_a_window_on_paper_asks_until_when_it_was_followed(fmt):
    given = ("--course1", "2024-01-10", "--sex", "female", "--today", "2023-09-01", "--format", fmt)
    course = readable("html" if fmt == "html" else fmt, run("checklist", *given, "--course-number", "1"))
    windows = course[course.index("Windows around this course") :]
    windows = windows[: windows.index("Get help right away")]
    # prophylaxis, contraception and the urgent-symptom watch: each a period with a "followed until" blank
    assert windows.count("Followed until") == 3, windows
    assert "Done on" not in windows
    before = readable("html" if fmt == "html" else fmt, run("checklist", *given, "--pre-treatment"))
    assert "Start: Listeria food precautions" in before
    start = before[before.index("Start: Listeria food precautions") :][:400]
    assert "Started on" in start and "Done on" not in start
