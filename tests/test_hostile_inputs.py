"""Malformed input that used to end in 'internal error' (issue 10): each is
one line on stderr, exit status 2, and the database and every file are left
as they were."""

import json
import random

import pytest
from typer.testing import CliRunner

from msmonitor.cli import app

runner = CliRunner()


def us_text():
    from importlib.resources import files

    return (files("msmonitor") / "protocols" / "us.toml").read_text()


def backup(**entry):
    patient = {"label": "zz", "protocol": "us", "courses": [{"number": 1, "start": "2024-01-10"}], **entry}
    return json.dumps({"schema": "msmonitor.backup/1", "patients": [patient]})


def ics_with(edit):
    """A real export of the test plan, then hand-edited."""
    return lambda folder: edit(plan_ics(folder))


def plan_ics(folder):
    path = folder / "made.ics"
    assert runner.invoke(app, ["plan", "--course1", "2024-01-10", "--ics", str(path)]).exit_code == 0
    data = path.read_bytes()
    path.unlink()
    return data


# (files to create: name -> bytes or a function of the folder, the command, words of the error)
CASES = {
    "done in year 1": ({}, ["done", "jd", "0001-01-01"], "outside the dates msmonitor handles"),
    "due in year 1": ({}, ["due", "--today", "0001-01-20"], "outside the dates msmonitor handles"),
    "add in year 9994": ({}, ["add", "edge", "--course1", "9994-12-25"], "outside the dates msmonitor handles"),
    "status in year 9999": ({}, ["status", "jd", "--today", "9999-12-31"], "outside the dates msmonitor handles"),
    "plan in year 1": ({}, ["plan", "--course1", "0001-01-03"], "outside the dates msmonitor handles"),
    "csv cell over the limit": (
        {"p.csv": b"label,course1,notes\nab,2024-01-10," + b"x" * 200_000 + b"\n"},
        ["import", "p.csv"],
        "p.csv: line 2: not readable as CSV",
    ),
    "json wrong type": ({"b.json": backup(single_course="no").encode()}, ["import", "b.json"], "single_course"),
    "json patients not a list": (
        {"b.json": b'{"schema": "msmonitor.backup/1", "patients": 5}'},
        ["import", "b.json"],
        "b.json",
    ),
    "json course number text": (
        {"b.json": backup(courses=[{"number": "1", "start": "2024-01-10"}]).encode()},
        ["import", "b.json"],
        "courses[0].number",
    ),
    "json deep nesting": (
        {"b.json": b'{"schema": "msmonitor.backup/1", "patients": ' + b"[" * 100_000 + b"]" * 100_000 + b"}"},
        ["import", "b.json"],
        "nested too deeply",
    ),
    "json huge integer": (
        {"b.json": backup(courses=[{"number": int("9" * 4000), "start": "2024-01-10"}]).encode()},
        ["import", "b.json"],
        "b.json",
    ),
    "json date in year 1": (
        {"b.json": backup(courses=[{"number": 1, "start": "0001-01-01"}]).encode()},
        ["import", "b.json"],
        "outside the dates msmonitor handles",
    ),
    "protocol nested deeply": (
        {"p.toml": b"a = " + b"[" * 100_000 + b"]" * 100_000 + b"\n"},
        ["plan", "--course1", "2024-01-10", "--protocol", "p.toml"],
        "nested too deeply",
    ),
    "protocol course days": (
        {"p.toml": lambda folder: us_text().replace("first_course_days = 5", "first_course_days = 2000000").encode()},
        ["plan", "--course1", "2024-01-10", "--protocol", "p.toml"],
        "first_course_days: must be an integer from 1 to 10",
    ),
    "protocol monitoring months": (
        {
            "p.toml": lambda folder: (
                us_text().replace("months_after_last_dose = 48", "months_after_last_dose = 90000").encode()
            )
        },
        ["plan", "--course1", "2024-01-10", "--protocol", "p.toml"],
        "months_after_last_dose: must be an integer from 1 to 240",
    ),
    "ics sequence abc": (
        {"old.ics": ics_with(lambda d: d.replace(b"SEQUENCE:0", b"SEQUENCE:abc"))},
        ["plan", "--course1", "2024-01-10", "--ics", "new.ics", "--replaces", "old.ics"],
        "old.ics",
    ),
    "ics 20-digit sequence": (
        {"old.ics": ics_with(lambda d: d.replace(b"SEQUENCE:0", b"SEQUENCE:99999999999999999999"))},
        ["plan", "--course1", "2024-01-10", "--ics", "new.ics", "--replaces", "old.ics"],
        "old.ics",
    ),
    "ics last-modified yesterday": (
        {"old.ics": ics_with(lambda d: d.replace(b"LAST-MODIFIED:", b"LAST-MODIFIED:yesterday\r\nX-OLD:"))},
        ["plan", "--course1", "2024-01-10", "--ics", "new.ics", "--replaces", "old.ics"],
        "old.ics",
    ),
    "ics without uid": (
        {"old.ics": ics_with(lambda d: d.replace(b"\r\nUID:", b"\r\nX-NO-UID:"))},
        ["plan", "--course1", "2024-01-10", "--ics", "new.ics", "--replaces", "old.ics"],
        "old.ics",
    ),
    "ics without dtstart": (
        {"old.ics": ics_with(lambda d: d.replace(b"\r\nDTSTART", b"\r\nX-NO-DTSTART"))},
        ["plan", "--course1", "2024-01-10", "--ics", "new.ics", "--replaces", "old.ics"],
        "old.ics",
    ),
    # text no UTF-8 can hold: a lone \\u escape in JSON, or bytes of another
    # encoding on the command line (Python keeps them as lone surrogates)
    "json label lone surrogate": (
        {"b.json": backup(label="z\udc00").encode()},
        ["import", "b.json"],
        "patients[0]: label: not valid Unicode text (a lone surrogate '\\udc00')",
    ),
    "json notes lone surrogate": (
        {"b.json": backup(notes="\ud800").encode()},
        ["import", "b.json"],
        "patients[0] (zz): notes: not valid Unicode text",
    ),
    "json record test lone surrogate": (
        {"b.json": backup(records=[{"test": "cbc\udfff", "done_on": "2024-02-10"}]).encode()},
        ["import", "b.json"],
        "records[0].test: not valid Unicode text",
    ),
    "json record note lone surrogate": (
        {"b.json": backup(records=[{"test": "cbc-diff", "done_on": "2024-02-10", "note": "x\ud800y"}]).encode()},
        ["import", "b.json"],
        "records[0].note: not valid Unicode text",
    ),
    "argument label in latin-1": ({}, ["add", "b\udce9", "--course1", "2024-01-10"], "not valid UTF-8 ('\\udce9')"),
    "argument notes in latin-1": (
        {},
        ["add", "b", "--course1", "2024-01-10", "--notes", "caf\udce9"],
        "a label, name, note or test given in another encoding",
    ),
    "argument note in latin-1": ({}, ["done", "jd", "2024-02-10", "--note", "\udce9"], "not valid UTF-8"),
    "ics random bytes": (
        {"old.ics": random.Random(10).randbytes(5000)},
        ["plan", "--course1", "2024-01-10", "--ics", "new.ics", "--replaces", "old.ics"],
        "old.ics",
    ),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_malformed_input_is_one_line_and_changes_nothing(tmp_path, monkeypatch, case):
    made, args, words = CASES[case]
    monkeypatch.chdir(tmp_path)
    db = tmp_path / "clinic.db"
    assert runner.invoke(app, ["add", "jd", "--course1", "2024-01-10", "--db", str(db)]).exit_code == 0
    for name, content in made.items():
        (tmp_path / name).write_bytes(content(tmp_path) if callable(content) else content)
    before = {p.name: p.read_bytes() for p in tmp_path.iterdir()}
    result = runner.invoke(app, [*args, "--db", str(db)] if args[0] != "plan" else args)
    assert result.exit_code == 2, (result.exit_code, result.output)
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("msmonitor: error: "), result.stderr
    assert "internal error" not in lines[0] and words in lines[0], lines[0]
    assert {p.name: p.read_bytes() for p in tmp_path.iterdir()} == before


def test_csv_with_cr_only_line_ends_imports(tmp_path):
    path = tmp_path / "old-mac.csv"
    path.write_bytes(b"label,course1\rab,2024-01-10\rcd,2024-01-11\r")
    result = runner.invoke(app, ["import", str(path), "--db", str(tmp_path / "c.db")])
    assert result.exit_code == 0 and "2 added" in result.stderr
