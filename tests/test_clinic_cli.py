"""The clinic commands as a nurse types them: remove, rename, edit, patients,
done, import, due, checklists of saved patients, global options."""

import io
import json
from datetime import date, timedelta

import pytest
from typer.testing import CliRunner

from msmonitor.cli import app
from msmonitor.cli import roster as roster_cli
from msmonitor.cli.progress import AFTER_SECONDS, progress_bar


@pytest.fixture
def db(ledger, monkeypatch):
    """MSMONITOR_DB, once on each backend (conftest.ledger)."""
    monkeypatch.setenv("MSMONITOR_DB", ledger)
    return ledger


def cli(*args, stdin=None):
    return CliRunner().invoke(app, list(args), input=stdin)


def one_error(result, text):
    assert result.exit_code == 2, result.stdout
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("msmonitor: error: ") and text in lines[0], result.stderr


CSV = "label,course1,course2,courses,sex,protocol,single_course,notes\n"


# ------------------------------------------------------------------ patients


def test_remove_asks_on_a_terminal_and_refuses_without_one(db, monkeypatch):
    assert cli("add", "test-1", "--course1", "2024-01-10").exit_code == 0
    assert cli("add", "P002", "--course1", "2024-01-10").exit_code == 0
    one_error(cli("remove", "test-1"), "add --yes")
    monkeypatch.setattr(roster_cli, "_interactive", lambda: True)
    result = cli("remove", "test-1", stdin="n\n")
    assert result.exit_code == 2 and "nothing was removed" in result.stderr
    result = cli("remove", "TEST-1", stdin="y\n")
    assert result.exit_code == 0 and "removed 'test-1': 1 course, 0 records" in result.stderr
    assert "test-1" not in cli("patients").stdout
    one_error(cli("remove", "P002", "nobody", "--yes"), "no patient 'nobody'")
    assert "P002" in cli("patients").stdout  # all or nothing


def test_rename_and_edit(db):
    result = cli("add", "Jane Doe", "--course1", "2024-01-10")
    assert result.exit_code == 0 and "looks like a person's name" in result.stderr
    result = cli("rename", "jane doe", "P001")
    assert result.exit_code == 0 and "renamed 'Jane Doe' to 'P001'" in result.stderr
    result = cli("edit", "P001", "--sex", "male", "--notes", "moved", "--tracking-from", "2025-02-01")
    assert result.exit_code == 0, result.stderr
    data = json.loads(cli("patients", "--format", "json").stdout)
    assert data["schema"] == "msmonitor.patients/1"
    assert data["patients"] == [
        {
            "label": "P001",
            "protocol": "us",
            "sex": "male",
            "courses": ["2024-01-10"],
            "single_course": False,
            "include_unverified": False,
            "tracking_from": "2025-02-01",
            "notes": "moved",
        }
    ]
    assert cli("edit", "P001", "--sex", "unknown", "--single-course").exit_code == 0
    csv_lines = cli("patients", "--format", "csv").stdout.splitlines()
    assert csv_lines == [
        "label,protocol,sex,courses,single_course,include_unverified,tracking_from,notes",
        "P001,us,,2024-01-10,yes,no,2025-02-01,moved",
    ]
    table = cli("patients").stdout
    assert "Tracked from" in table and "2025-02-01" in table and "(single course)" in table and "moved" in table
    one_error(cli("edit", "P001"), "nothing to change")
    one_error(cli("edit", "P00l", "--notes", "x"), "no patient 'P00l'")


def test_a_saved_patient_with_plan_options_names_the_right_command(db):
    assert cli("add", "jd", "--course1", "2024-01-10").exit_code == 0
    one_error(cli("plan", "jd", "--sex", "female"), "'msmonitor edit PATIENT --sex'")
    one_error(cli("plan", "jd", "--course2", "2025-01-10"), "'msmonitor course'")


def test_did_you_mean_a_label(db):
    assert cli("add", "P030", "--course1", "2024-01-10").exit_code == 0
    assert cli("status", "p030").exit_code == 0
    one_error(cli("status", "P03O"), "did you mean 'P030'?")


# ------------------------------------------------------------------ done


def test_done_future_twice_and_test_names(db):
    assert cli("add", "jd", "--course1", "2024-01-10", "--tracking-from", "start").exit_code == 0
    tomorrow = (date.today() + timedelta(days=1)).isoformat()
    one_error(cli("done", "jd", tomorrow), "is after today")
    result = cli("done", "jd", "2024-02-14", "--tests", "TSH")
    assert result.exit_code == 0 and "recorded tsh on 2024-02-14" in result.stderr
    result = cli("done", "jd", "2024-02-14", "--tests", "tsh")
    assert result.exit_code == 0 and "already recorded on 2024-02-14 for 'jd': tsh (not again)" in result.stderr
    assert "recorded tsh" not in result.stderr.replace("already recorded", "")
    one_error(cli("done", "jd", "2024-02-14", "--tests", "cbc"), "did you mean 'cbc-diff'?")
    backup = json.loads(cli("export").stdout)
    assert len(backup["patients"][0]["records"]) == 1


# ------------------------------------------------------------------ import


def test_import_from_stdin_with_semicolons(db):
    text = "Label;Course1;Sex\nP1;2024-01-10;F\nP2;2099-01-10;M\n"
    result = cli("import", "-", stdin=text)
    assert result.exit_code == 0 and "imported 2 added" in result.stderr, result.stderr
    data = json.loads(cli("patients", "-f", "json").stdout)["patients"]
    assert [(p["label"], p["sex"], p["tracking_from"]) for p in data] == [
        ("P1", "female", date.today().isoformat()),  # course 1 past: tracked from the day it was added
        ("P2", "male", None),  # course 1 to come: from the start
    ]


def test_import_reports_every_bad_row(db, tmp_path):
    path = tmp_path / "p.csv"
    path.write_text(CSV + "a,2024-13-01,,,,,,\nb,2024-01-10,,,x,,,\nJane Doe,2024-01-10,,,,,,\nok,2024-01-10,,,,,,\n")
    result = cli("import", str(path))
    assert result.exit_code == 2
    lines = result.stderr.splitlines()
    assert all(line.startswith(f"msmonitor: error: {path}: ") for line in lines)
    assert [line.split(": ")[3] for line in lines[:3]] == ["line 2", "line 3", "line 4"]
    assert lines[-1].endswith("3 bad rows; nothing was imported")
    assert cli("import", str(path), "--allow-names").exit_code == 2  # the other two rows are still bad


def test_import_existing_labels(db, tmp_path):
    path = tmp_path / "p.csv"
    path.write_text(CSV + "a,2024-01-10,,,female,,,\nb,2024-01-10,,,,,,\n")
    assert cli("import", str(path)).exit_code == 0
    path.write_text(CSV + "a,2024-01-10,,,male,,,new\nc,2024-01-10,,,,,,\n")
    one_error(cli("import", str(path)), "1 of 2 patients exist already ('a'): give --skip-existing")
    result = cli("import", str(path), "--skip-existing")
    assert result.exit_code == 0 and "1 added, 1 skipped (exist already)" in result.stderr
    result = cli("import", str(path), "--update")
    assert result.exit_code == 0 and "0 added, 2 updated" in result.stderr
    assert json.loads(cli("patients", "-f", "json").stdout)["patients"][0]["sex"] == "male"
    one_error(cli("import", str(path), "--update", "--skip-existing"), "contradict")


def test_backup_restores_into_a_database_with_other_patients(db, tmp_path):
    assert cli("add", "a", "--course1", "2024-01-10").exit_code == 0
    backup = tmp_path / "backup.json"
    assert cli("export", "-o", str(backup)).exit_code == 0
    other = tmp_path / "other.db"
    assert cli("--db", str(other), "add", "z", "--course1", "2024-01-10").exit_code == 0
    assert cli("--db", str(other), "import", str(backup)).exit_code == 0
    labels = [p["label"] for p in json.loads(cli("--db", str(other), "patients", "-f", "json").stdout)["patients"]]
    assert labels == ["a", "z"]


def test_progress_bar_only_on_a_terminal_and_only_when_long():
    class Terminal(io.StringIO):
        def isatty(self):
            return True

    now = [0.0]
    screen = Terminal()
    with progress_bar("importing", stream=screen, clock=lambda: now[0]) as report:
        report(1, 100)  # quick so far: nothing shown
        assert screen.getvalue() == ""
        now[0] = AFTER_SECONDS + 0.1
        report(50, 100)
    assert "msmonitor: importing" in screen.getvalue() and "50/100" in screen.getvalue()
    with progress_bar("importing", stream=io.StringIO()) as report:
        assert report is None  # not a terminal: silence


# ------------------------------------------------------------------ due


@pytest.fixture
def clinic(db, tmp_path):
    rows = "a,2024-01-10,,,female,,,\nb,2024-01-20,,,male,,,\nc,2024-02-01,,,,,,\n"
    path = tmp_path / "p.csv"
    path.write_text(CSV.strip() + ",tracking_from\n" + rows.replace("\n", ",start\n"))
    assert cli("import", str(path)).exit_code == 0
    return db


def test_due_filters_and_formats(clinic):
    base = ("due", "--today", "2024-05-20")
    rows = json.loads(cli(*base, "-f", "json").stdout)["rows"]
    statuses = [r["status"] for r in rows]
    assert statuses == sorted(statuses, key=["overdue", "due", "missed", "upcoming"].index)
    only = json.loads(cli(*base, "--status", "Missed", "--patient", "B", "--kind", "labs", "-f", "json").stdout)
    assert only["filters"] == {"status": "missed", "patient": "B", "kind": "labs"}
    assert {(r["patient"], r["status"], r["kind"]) for r in only["rows"]} == {("b", "missed", "labs")}
    one_error(cli(*base, "--status", "overdu"), "did you mean 'overdue'?")
    one_error(cli(*base, "--kind", "lab"), "did you mean 'labs'?")
    by_patient = cli(*base, "--by-patient").stdout
    assert "Worst" in by_patient and by_patient.count("\n") < cli(*base).stdout.count("\n")
    csv_text = cli(*base, "-f", "csv").stdout
    assert ",-" in csv_text and ",'-" not in csv_text
    html = cli(*base, "-f", "html").stdout
    assert html.startswith("<!doctype html>") and '<tr class="state-overdue">' in html
    markdown = cli(*base, "-f", "markdown", "--by-patient").stdout
    assert markdown.startswith("# Due list, 2024-05-20") and "| Patient | Worst |" in markdown


def test_global_db_before_the_command(clinic, monkeypatch, tmp_path):
    monkeypatch.setenv("MSMONITOR_DB", str(tmp_path / "elsewhere.db"))
    result = cli("--db", str(clinic), "due", "--today", "2024-05-20")
    assert result.exit_code == 0 and "a " in result.stdout


# ------------------------------------------------------------------ checklists of saved patients


def test_checklist_ticks_recorded_tests(db):
    assert cli("add", "jd", "--course1", "2024-01-10", "--tracking-from", "start").exit_code == 0
    assert cli("done", "jd", "2024-02-14").exit_code == 0
    text = cli("checklist", "jd", "--visit", "2024-03-14", "--today", "2024-03-14").stdout
    assert "Recorded as done." in text and "Check these were done" not in text
    assert "[x]" in text and "recorded 2024-02-14" in text
    html = cli("checklist", "jd", "--visit", "2024-03-14", "--today", "2024-03-14", "-f", "html").stdout
    assert 'class="box done"' in html
    markdown = cli("checklist", "jd", "--visit", "2024-02-14", "--today", "2024-02-20", "-f", "markdown").stdout
    assert "- [x] **Complete blood count" in markdown


def test_pre_treatment_checklist_ticks_recorded_screening(db):
    course1 = (date.today() + timedelta(days=60)).isoformat()
    assert cli("add", "new1", "--course1", course1).exit_code == 0
    assert cli("done", "new1", "today", "--tests", "hiv").exit_code == 0
    text = cli("checklist", "new1", "--pre-treatment").stdout
    ticked = [line for line in text.splitlines() if "[x]" in line]
    assert len(ticked) == 1 and "HIV test (hiv)" in ticked[0] and f"recorded {date.today().isoformat()}" in ticked[0]
