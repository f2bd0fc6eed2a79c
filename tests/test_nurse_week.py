"""An MS nurse's week, end to end on a temporary database: import the clinic
(patients mid-programme, a second list with ';' delimiters from stdin), see
what is really due, record tests, fix a mistyped label, remove a test
patient, re-import the updated list, print the due list (one page for 40
patients, checked in headless Chromium)."""

import json
import shutil
import subprocess
from datetime import date, timedelta

import pytest
from typer.testing import CliRunner

from msmonitor.cli import app

TODAY = date.today()  # import's default tracking start is the real day


def run(db, *args, stdin=None, ok=True):
    result = CliRunner().invoke(app, ["--db", str(db), *args], input=stdin)
    if ok:
        assert result.exit_code == 0, f"{args}: {result.stderr}"
    return result


def clinic_csv(labels):
    """Patients 3 to 4 years into the programme, course dates spread over the month."""
    rows = ["label,course1,course2,sex,notes"]
    for i, label in enumerate(labels, start=1):
        c1 = TODAY - timedelta(days=400 + 23 * i)
        c2 = c1 + timedelta(days=365) if i % 3 else ""
        rows.append(f"{label},{c1},{c2},{'female' if i % 2 else 'male'},")
    return "\n".join(rows) + "\n"


def new_patients_csv():
    """Ten patients around course 1, as a European spreadsheet writes them."""
    rows = ["Label;Course1;Sex"]
    for i in range(31, 41):
        c1 = TODAY + timedelta(days=10 * (i - 30)) if i > 36 else TODAY - timedelta(days=20 * (i - 30))
        rows.append(f"P{i:03};{c1};{'F' if i % 2 else 'M'}")
    return "\n".join(rows) + "\n"


def due_rows(db, *args):
    return json.loads(run(db, "due", "--format", "json", *args).stdout)["rows"]


def test_a_nurses_week(tmp_path, ledger):
    db = ledger  # an SQLite file, then a PostgreSQL schema (conftest.ledger)
    labels = [f"P{i:03}" for i in range(1, 30)]
    labels[16] = "P0l7"  # typed with a lower-case L
    first = tmp_path / "clinic.csv"
    first.write_text(clinic_csv(labels + ["TEST-1"]))

    # Monday: import the clinic, 30 patients mid-programme and 10 new ones from stdin
    assert "30 added" in run(db, "import", str(first)).stderr
    assert "10 added" in run(db, "import", "-", stdin=new_patients_csv()).stderr
    listed = json.loads(run(db, "patients", "--format", "json").stdout)["patients"]
    assert len(listed) == 40
    assert {p["tracking_from"] for p in listed if p["label"] in labels} == {TODAY.isoformat()}

    # what is really due: nothing missed before the clinic started tracking
    rows = due_rows(db, "--within", "2w")
    mid = [r for r in rows if r["patient"] in labels]
    assert mid and all(r["date"] >= TODAY.isoformat() for r in mid)
    assert "missed" not in {r["status"] for r in rows}
    statuses = [r["status"] for r in rows]
    assert statuses == sorted(statuses, key=["overdue", "due", "missed", "upcoming"].index)

    # record the first panel of the list, drawn today; a second click records nothing
    target = next(r for r in mid if r["test"] == "cbc-diff")
    label, event = target["patient"], target["event_id"]
    recorded = run(db, "done", label, "today", "--tests", "CBC-DIFF,creatinine")
    assert "recorded cbc-diff, creatinine" in recorded.stderr
    assert "already recorded" in run(db, "done", label, "today", "--tests", "cbc-diff").stderr
    left = {(r["patient"], r["event_id"], r["test"]) for r in due_rows(db, "--within", "2w")}
    assert (label, event, "cbc-diff") not in left and (label, event, "creatinine") not in left

    # Tuesday: a mistyped label, found by its near miss, then fixed
    assert "did you mean 'P0l7'?" in run(db, "status", "P0I7", ok=False).stderr
    assert "renamed 'P0l7' to 'P017'" in run(db, "rename", "P0l7", "P017").stderr
    assert run(db, "status", "p017").exit_code == 0

    # Wednesday: the test patient goes, with everything recorded for it
    assert "removed 'TEST-1'" in run(db, "remove", "test-1", "--yes").stderr

    # Thursday: the clinic's updated list, re-imported; records stay
    labels[16] = "P017"
    updated = tmp_path / "clinic-updated.csv"
    updated.write_text(clinic_csv(labels).replace("female,\n", "female,seen by Dr A\n", 1))
    refused = run(db, "import", str(updated), ok=False)
    assert refused.exit_code == 2 and "29 of 29 patients exist already" in refused.stderr
    assert "0 added, 29 updated" in run(db, "import", str(updated), "--update").stderr
    status = json.loads(run(db, "status", label, "--format", "json").stdout)
    done = {(i["event_id"], i["test"]) for i in status["items"] if i["status"] == "done"}
    assert {(event, "cbc-diff"), (event, "creatinine")} <= done
    assert json.loads(run(db, "patients", "-f", "json").stdout)["patients"][0]["notes"] == "seen by Dr A"

    # Friday: the due list to print, one line per visit item, one page
    run(db, "due", "--within", "1m", "--format", "html", "--output", str(tmp_path / "due.html"))
    html = (tmp_path / "due.html").read_text()
    assert html.count("<tr class=") >= 39 and "TEST-1" not in html
    assert_one_printed_page(tmp_path / "due.html")


def assert_one_printed_page(page):
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    pdfinfo = shutil.which("pdfinfo")
    if not (chromium and pdfinfo):
        pytest.skip("headless Chromium and pdfinfo are not installed here")
    pdf = page.with_suffix(".pdf")
    subprocess.run(
        [
            chromium,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--no-first-run",
            "--no-pdf-header-footer",
            f"--print-to-pdf={pdf}",
            page.as_uri(),
        ],
        check=True,
        capture_output=True,
        timeout=120,
    )
    info = subprocess.run([pdfinfo, str(pdf)], check=True, capture_output=True, text=True).stdout
    assert "Pages:           1\n" in info, info
