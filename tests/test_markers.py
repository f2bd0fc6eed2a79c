"""Markers ("projected", "women only", "unverified") are decided in one place
(view.markers) and reach every output format the same way, for merged items too.

"Contraception discussed" is a women-only rule merged into the counselling
visit; "Pregnancy test before the first infusion of course N" and "Effective
contraception" are women-only events of their own.
"""

import json
import re

import pytest
from icalendar import Calendar
from typer.testing import CliRunner

from msmonitor.cli import app
from msmonitor.model import Merged
from msmonitor.view import has_women_only, marked, markers

from .conftest import make_plan

runner = CliRunner()
COURSE1 = ("--course1", "2024-01-10", "--course2", "2025-01-13", "--today", "2023-12-01")
SEXES = {"none": (), "female": ("--sex", "female"), "male": ("--sex", "male")}
OUTPUTS = {
    "table": ("plan", "--format", "table"),
    "json": ("plan", "--format", "json"),
    "csv": ("plan", "--format", "csv"),
    "markdown": ("plan", "--format", "markdown"),
    "ics": ("plan", "--ics", "-"),
    "checklist-terminal": ("checklist", "--pre-treatment"),
    "checklist-markdown": ("checklist", "--pre-treatment", "--format", "markdown"),
    "checklist-html": ("checklist", "--pre-treatment", "--format", "html"),
    "course-checklist-terminal": ("checklist", "--course-number", "1"),
    "course-checklist-html": ("checklist", "--course-number", "1", "--format", "html"),
}
WOMEN_ONLY = re.compile(r"women\s+only|for women\.", re.IGNORECASE)


def output(name: str, sex: str) -> str:
    command, *rest = OUTPUTS[name]
    result = runner.invoke(app, [command, *COURSE1, *SEXES[sex], *rest])
    assert result.exit_code == 0, result.stderr
    if name == "ics":  # unfold lines and unescape text, as a calendar reads it
        calendar = Calendar.from_ical(result.stdout.encode())
        return "\n".join(f"{e['SUMMARY']}\n{e.get('DESCRIPTION', '')}" for e in calendar.walk("VEVENT"))
    return result.stdout


def flat(text: str) -> str:
    """Whitespace collapsed, so wrapped cells read as one line."""
    return " ".join(text.split())


@pytest.mark.parametrize("name", OUTPUTS)
def test_female_no_marker_anywhere(name):
    text = output(name, "female")
    assert "Contraception discussed" in text or name == "csv" or "course" in name
    assert not WOMEN_ONLY.search(text), WOMEN_ONLY.search(text)


@pytest.mark.parametrize("name", OUTPUTS)
def test_male_no_item_and_no_marker(name):
    text = output(name, "male")
    if name == "json":  # the protocol's test names are listed whatever the sex
        text = json.dumps(json.loads(text)["events"])
    assert "Contraception" not in text and "Pregnancy test" not in text
    assert not WOMEN_ONLY.search(text)


@pytest.mark.parametrize("name", OUTPUTS)
def test_sex_not_given_marks_every_women_only_item(name):
    text = flat(output(name, "none"))
    pregnancy = "Pregnancy test before the first infusion of course 1"
    expected = {
        # terminal views: the item, then its marker within a few words (a wrapped cell)
        "table": ["Contraception discussed [women only]", "Pregnancy test before the first [women only]"],
        "json": ["Contraception discussed [women only]"],
        "csv": [],
        "markdown": ["Contraception discussed _(women only)_", f"{pregnancy} _(women only)_"],
        "ics": [
            "Contraception discussed [women only]",
            f"{pregnancy} [women only]",
            "Effective contraception [women only]",
        ],
        "checklist-terminal": ["Contraception discussed [women only]", "(pregnancy-test) [women only]"],
        "checklist-markdown": ["Contraception discussed** _(women only)_", "(pregnancy-test)** _(women only)_"],
        "checklist-html": ['Contraception discussed</span> <span class="mark">(women only)</span>'],
        "course-checklist-terminal": ["Effective contraception [women only]", "(pregnancy-test) [women only]"],
        "course-checklist-html": ['Effective contraception</span> <span class="mark">(women only)</span>'],
    }[name]
    for phrase in expected:
        if "terminal" in name or name == "table":
            item = phrase.rsplit(" ", 2)[0]
            pattern = re.escape(item) + r".{0,40}?\[(projected, )?women only\]"
            assert re.search(pattern, text), phrase
        else:
            assert phrase in text, phrase


def test_json_and_csv_carry_the_facts_whatever_the_sex():
    for sex in ("none", "female"):
        data = json.loads(output("json", sex))
        pregnancy = next(e for e in data["events"] if e["id"] == "pregnancy-test/c1")
        assert pregnancy["women_only"] is True
        rows = output("csv", sex).splitlines()
        assert any(r.startswith("2024-01-10,,course-1,course-test,pregnancy-test/c1,") and ",true," in r for r in rows)
    events = json.loads(output("json", "female"))["events"]
    counselling = next(e for e in events if "Contraception discussed" in e["also"])
    assert counselling["also"] == ["Contraception discussed"]


def test_one_function_decides(us):
    part = Merged("contraception", "Contraception discussed", women_only=True)
    assert markers(part, None) == ["women only"]
    assert markers(part, "female") == []
    assert marked("X", part._replace(unverified=True), None) == "X [women only, unverified]"
    assert marked("X", part._replace(unverified=True), "female") == "X [unverified]"
    plan = make_plan(us, __import__("datetime").date(2024, 1, 10))
    projected = next(e for e in plan.events if e.projected)
    assert markers(projected, None)[0] == "projected"
    # a merged rule shares its event's date: the event alone says "projected"
    assert all("projected" not in markers(m, None) for e in plan.events for m in e.merged)


def test_header_note_counts_merged_women_only_items(us):
    """A women-only rule merged into a visit still makes the plan say why it is marked."""
    from datetime import date

    plan = make_plan(us, date(2024, 1, 10))
    only_merged = plan._replace(
        events=tuple(e._replace(women_only=False) for e in plan.events if e.women_only is False or e.merged)
    )
    assert any(m.women_only for e in only_merged.events for m in e.merged)
    assert has_women_only(only_merged)
    assert not has_women_only(make_plan(us, date(2024, 1, 10), sex="female"))
