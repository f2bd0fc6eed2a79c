import json
import os
import re
import stat

import pytest
from typer.testing import CliRunner

from msmonitor import __version__
from msmonitor.cli import app

runner = CliRunner()


def run(*args):
    return runner.invoke(app, list(args))


def test_plan_default_table():
    result = run("plan", "--course1", "2024-01-10", "--today", "2026-11-21")
    assert result.exit_code == 0, result.stderr
    assert "Course 2: 2025-01-10 to 2025-01-12 (3 days), projected" in result.stdout
    assert "Not medical advice." in result.stdout
    assert "\x1b[" not in result.stdout
    assert result.stderr == ""


@pytest.mark.parametrize("fmt", ["json", "csv", "markdown", "table"])
def test_every_format_runs(fmt):
    result = run("plan", "--course1", "2024-01-10", "--format", fmt, "--today", "2026-11-21")
    assert result.exit_code == 0
    assert "2029-01-12" in result.stdout


def test_json_output_parses_and_honours_options():
    result = run(
        "plan",
        "--course1",
        "2020-05-04",
        "--course2",
        "2021-05-10",
        "--course",
        "2022-09-12",
        "--protocol",
        "eu",
        "--sex",
        "male",
        "--format",
        "json",
        "--today",
        "2026-11-21",
    )
    assert result.exit_code == 0
    data = json.loads(result.stdout)
    assert data["protocol"]["id"] == "eu" and data["sex"] == "male"
    assert [c["number"] for c in data["courses"]] == [1, 2, 3]
    assert not any(e["women_only"] for e in data["events"])
    assert data["monitoring_ends"] == "2026-09-14"


def test_single_course():
    data = json.loads(run("plan", "--course1", "2024-01-10", "--single-course", "-f", "json").stdout)
    assert len(data["courses"]) == 1 and data["monitoring_ends"] == "2028-01-14"


def test_warnings_go_to_stderr_and_the_output():
    result = run("plan", "--course1", "2024-01-10", "--course2", "2024-12-10", "-f", "json")
    assert result.exit_code == 0
    assert result.stderr.startswith("msmonitor: warning: course 2 starts on 2024-12-10")
    assert json.loads(result.stdout)["warnings"]


@pytest.mark.parametrize(
    "args, message",
    [
        ([], "missing --course1 DATE"),
        (["--course1", "2024-02-30"], "--course1: '2024-02-30' is not a real calendar date"),
        (["--course1", "10/01/2024"], "--course1: '10/01/2024' is not a date in YYYY-MM-DD form"),
        (
            ["--course1", "2024-01-10", "--course2", "2024-01-12"],
            "course 2 starts on 2024-01-12, before course 1 has ended",
        ),
        (["--course1", "2024-01-10", "--course2", "2023-01-10"], "give courses in order"),
        (["--course1", "9999-06-01"], "is outside the dates msmonitor handles (1900-01-01 to 2199-12-31)"),
        (["--course1", "2024-01-10", "--protocol", "uk"], "unknown protocol 'uk'"),
        (["--course1", "2024-01-10", "--format", "xml"], "'xml' is not one of 'table', 'json', 'csv', 'markdown'"),
        (["--course1", "2024-01-10", "--sex", "x"], "'x' is not one of 'female', 'male'"),
        (["--course1", "2024-01-10", "--bogus"], "No such option: --bogus"),
        (["--course1", "2024-01-10", "--today", "tomorrow"], "--today: 'tomorrow' is not a date"),
    ],
)
def test_bad_input_is_one_line_and_exit_2(args, message):
    result = run("plan", *args)
    assert result.exit_code == 2
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("msmonitor: error: ")
    assert message in lines[0]


def test_output_file_is_written_atomically_and_privately(tmp_path):
    target = tmp_path / "plan.json"
    result = run("plan", "--course1", "2024-01-10", "-f", "json", "-o", str(target))
    assert result.exit_code == 0 and result.stdout == ""
    assert json.loads(target.read_text())["schema"] == "msmonitor.plan/1"
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    assert os.listdir(tmp_path) == ["plan.json"]


def test_failed_write_leaves_the_previous_file(tmp_path):
    target = tmp_path / "plan.json"
    target.write_text("previous")
    result = run("plan", "--course1", "2024-02-30", "-f", "json", "-o", str(target))
    assert result.exit_code == 2
    assert target.read_text() == "previous"


@pytest.mark.parametrize("where, message", [("missing/plan.json", "does not exist"), (".", "is a folder")])
def test_unwritable_output(tmp_path, where, message):
    result = run("plan", "--course1", "2024-01-10", "-f", "json", "-o", str(tmp_path / where))
    assert result.exit_code == 2
    assert message in result.stderr and len(result.stderr.splitlines()) == 1


def test_protocol_command_lists_rules_with_sources():
    result = run("protocol", "eu")
    assert result.exit_code == 0
    assert "monthly-liver (labs; inferred): Liver tests" in result.stdout
    assert "baseline-ecg (course-test; unverified, off unless --include-unverified)" in result.stdout
    assert "S11: EU Package Leaflet" in result.stdout


def test_protocol_command_reports_a_bad_file(tmp_path):
    bad = tmp_path / "bad.toml"
    bad.write_text("schema = 1\n")
    result = run("protocol", str(bad))
    assert result.exit_code == 2
    assert result.stderr == f"msmonitor: error: protocol file '{bad}': schema: must be a non-empty string\n"


def test_version_and_help():
    assert run("--version").stdout == f"msmonitor {__version__}\n"
    for command in ([], ["plan"], ["protocol"]):
        result = run(*command, "--help")
        assert result.exit_code == 0 and "Usage" in result.stdout


# ------------------------------------------------------------------ calendar export


def test_ics_export_writes_the_file_and_says_so(tmp_path):
    target = tmp_path / "lemtrada.ics"
    result = run("plan", "--course1", "2024-01-10", "--ics", str(target))
    assert result.exit_code == 0, result.stderr
    assert result.stdout == ""  # with --ics FILE and no --format, nothing else is printed
    assert result.stderr == (
        "msmonitor: warning: the calendar includes items for women only, marked as such: "
        f"give --sex female or --sex male\nmsmonitor: wrote {target}: 80 events\n"
    )
    assert target.read_bytes().startswith(b"BEGIN:VCALENDAR\r\n")
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    result = run("plan", "--course1", "2024-01-10", "--sex", "male", "--ics", str(target))
    assert result.stderr == f"msmonitor: wrote {target}: 78 events, 10 new or changed, 2 cancelled\n"


def test_ics_uids_are_salted_per_plan_and_stable_across_re_exports(tmp_path):
    def uids(path):
        return set(re.findall(rb"\r\nUID:(\S+)\r\n", path.read_bytes()))

    first, second = tmp_path / "a.ics", tmp_path / "b.ics"
    for path in (first, second):
        assert run("plan", "--course1", "2024-01-10", "--sex", "male", "--ics", str(path)).exit_code == 0
    assert uids(first) and not uids(first) & uids(second)  # a fresh random salt for each new file
    before = uids(first)
    run("plan", "--course1", "2024-01-10", "--sex", "male", "--ics", str(first))
    assert uids(first) == before  # the salt is read back from the previous export


def test_ics_reexport_uses_the_existing_file_as_the_previous_export(tmp_path):
    target = tmp_path / "lemtrada.ics"
    run("plan", "--course1", "2024-01-10", "--ics", str(target))
    result = run("plan", "--course1", "2024-01-10", "--course2", "2025-01-11", "--ics", str(target))
    assert result.exit_code == 0
    assert "new or changed, 0 cancelled" in result.stderr
    result = run("plan", "--course1", "2024-01-10", "--single-course", "--ics", str(target))
    assert re.search(r"\d+ cancelled", result.stderr) and ", 0 cancelled" not in result.stderr
    assert b"STATUS:CANCELLED" in target.read_bytes()


def test_ics_to_stdout_with_replaces(tmp_path):
    old = tmp_path / "old.ics"
    run("plan", "--course1", "2024-01-10", "--ics", str(old))
    result = run("plan", "--course1", "2024-01-10", "--single-course", "--ics", "-", "--replaces", str(old))
    assert result.exit_code == 0
    assert result.stdout.startswith("BEGIN:VCALENDAR") and "STATUS:CANCELLED" in result.stdout


def test_ics_and_a_format_together(tmp_path):
    result = run("plan", "--course1", "2024-01-10", "--ics", str(tmp_path / "x.ics"), "--format", "json")
    assert result.exit_code == 0 and json.loads(result.stdout)["schema"] == "msmonitor.plan/1"


@pytest.mark.parametrize(
    "args, message",
    [
        (["--discreet"], "--discreet applies to the calendar export: add --ics FILE"),
        (["--ics", "X", "--at", "8.30", "--tz", "Europe/London"], "--at: '8.30' is not a time of day"),
        (["--ics", "X", "--at", "08:30", "--tz", "Mars/Base"], "--tz: 'Mars/Base' is not a known time zone"),
        (["--ics", "X", "--tz", "Europe/London"], "--tz applies to timed events: add --at HH:MM"),
        (["--ics", "X", "--remind", "2x"], "--remind: '2x' is not a duration"),
        (["--ics", "X", "--remind", "1d", "--no-remind"], "contradict"),
        (["--ics", "X", "--discreet=maybe"], "does not take a value"),
        (["--ics", "-", "--format", "json"], "both write to stdout"),
        (["--ics", "X", "--replaces", "missing.ics"], "missing.ics: no such file"),
        (["--ics", "missing-folder/x.ics"], "folder 'missing-folder' does not exist"),
        (["--ics", "."], "is a folder"),
    ],
)
def test_ics_errors(tmp_path, monkeypatch, args, message):
    monkeypatch.chdir(tmp_path)
    result = run("plan", "--course1", "2024-01-10", *args)
    assert result.exit_code == 2
    assert len(result.stderr.splitlines()) == 1 and message in result.stderr
    assert sorted(os.listdir(tmp_path)) == []  # nothing written, not even a temp file


def test_ics_calendar_options(tmp_path, monkeypatch):
    monkeypatch.setenv("TZ", "Europe/Paris")  # --at without --tz: this computer's zone
    target = tmp_path / "t.ics"
    args = ["plan", "--course1", "2024-01-10", "--sex", "male", "--ics", str(target)]
    result = run(*args, "--at", "8:30", "--windows", "span", "--weekdays", "--remind-deadline", "3d")
    assert result.exit_code == 0, result.stderr
    data = target.read_bytes()
    assert b"DTSTART;TZID=Europe/Paris:20240314T083000" in data  # month 2, a Thursday
    assert b"DTSTART;TZID=Europe/Paris:20240415T083000" in data  # month 3: Sunday 14 April moved to Monday
    assert b"SUMMARY:Listeria precautions\r\n" in data and b"TRIGGER:-P2DT15H" in data
    result = run(*args, "--remind-deadline", "3d", "--no-remind")
    assert result.exit_code == 2 and "--remind-deadline and --no-remind contradict" in result.stderr
    result = run("plan", "--course1", "2024-01-10", "--windows", "none")
    assert result.exit_code == 2 and "--windows applies to the calendar export" in result.stderr
    result = run(*args, "--windows", "all")
    assert result.exit_code == 2 and "--windows" in result.stderr and len(result.stderr.splitlines()) == 1


def test_local_zone(monkeypatch):
    from msmonitor.cli.calendar import local_zone

    monkeypatch.setenv("TZ", ":America/New_York")
    assert local_zone() == "America/New_York"
    monkeypatch.delenv("TZ")
    assert local_zone()  # from /etc/localtime or /etc/timezone


def test_ics_never_overwrites_a_foreign_file_or_another_plan(tmp_path):
    foreign = tmp_path / "mine.ics"
    foreign.write_text("my own notes\n")
    result = run("plan", "--course1", "2024-01-10", "--ics", str(foreign))
    assert result.exit_code == 2 and "not an iCalendar file" in result.stderr
    assert foreign.read_text() == "my own notes\n"
    other = tmp_path / "other.ics"
    run("plan", "--course1", "2024-01-10", "--ics", str(other))
    before = other.read_bytes()
    result = run("plan", "--course1", "2024-03-01", "--ics", str(other))
    assert result.exit_code == 2 and "exported for another plan" in result.stderr
    assert other.read_bytes() == before


def test_ics_discreet_strict_and_timed(tmp_path):
    target = tmp_path / "d.ics"
    result = run(
        "plan",
        "--course1",
        "2024-01-10",
        "--ics",
        str(target),
        "--discreet=strict",
        "--remind",
        "2d",
        "--at",
        "08:30",
        "--tz",
        "Europe/London",
    )
    assert result.exit_code == 0, result.stderr
    data = target.read_bytes()
    assert b"DESCRIPTION:Protocol" not in data and b"SUMMARY:Lab visit" in data
    assert b"BEGIN:VTIMEZONE" in data and b"TRIGGER:-P2D" in data


def test_a_date_given_as_a_patient_label_gets_a_hint():
    result = run("plan", "2024-01-10")
    assert result.exit_code == 2
    assert (
        result.stderr == "msmonitor: error: '2024-01-10' looks like a date: give it as --course1 2024-01-10"
        " (a bare word names a saved patient)\n"
    )


def test_atomic_write_reports_permission_problems(tmp_path, monkeypatch):
    import tempfile

    from msmonitor.errors import OutputError
    from msmonitor.files import atomic_write

    def refuse(*args, **kwargs):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(tempfile, "mkstemp", refuse)
    with pytest.raises(OutputError, match=r"plan.json: cannot write \(permission denied\)"):
        atomic_write(tmp_path / "plan.json", "data")
    assert os.listdir(tmp_path) == []


def test_atomic_write_cleans_up_when_the_rename_fails(tmp_path, monkeypatch):
    from msmonitor.errors import OutputError
    from msmonitor.files import atomic_write

    target = tmp_path / "plan.json"
    target.write_text("previous")

    def refuse(*args):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(os, "replace", refuse)
    with pytest.raises(OutputError, match="permission denied"):
        atomic_write(target, "new")
    assert target.read_text() == "previous" and os.listdir(tmp_path) == ["plan.json"]


# ------------------------------------------------------------------ the shared plan options


def test_plan_checklist_and_add_take_the_same_plan_options(tmp_path):
    """One option group: the same eight options reach the same request in
    every command that takes them (add takes the label instead of --patient)."""
    options = ["--course1", "2020-05-04", "--course2", "2021-06-01", "--course", "2022-09-01", "--sex", "male"]
    options += ["--protocol", "eu", "--include-unverified"]
    given = run("plan", *options, "--patient", "p1", "--format", "json", "--today", "2026-11-21").stdout
    plan = json.loads(given)
    assert [c["infusion_days"][0] for c in plan["courses"]] == ["2020-05-04", "2021-06-01", "2022-09-01"]
    assert (plan["patient"], plan["sex"], plan["include_unverified"]) == ("p1", "male", True)
    assert plan["protocol"]["id"] == "eu"
    db = str(tmp_path / "p.db")
    assert run("add", "p1", *options, "--db", db).exit_code == 0
    assert run("plan", "p1", "--db", db, "--format", "json", "--today", "2026-11-21").stdout == given
    for command in ("plan", "checklist"):
        result = run(command, "--course2", "2021-06-01", "--single-course")
        assert result.stderr == "msmonitor: error: missing --course1 DATE (the first day of course 1)\n"
        result = run(command, "p1", "--include-unverified")
        assert "--include-unverified cannot be combined with a saved patient" in result.stderr


def test_an_option_group_needs_its_parameter():
    from msmonitor.cli.options import plan_options

    def command(saved: str | None = None) -> None:
        pass

    with pytest.raises(TypeError, match="no parameter 'given'"):
        plan_options(command)


@pytest.mark.parametrize("label", ["a\rb", "a\nBEGIN:VEVENT", "x\x1b[31m", " padded", "", "z" * 65])
def test_plan_patient_is_checked_like_a_saved_label(tmp_path, label):
    target = tmp_path / "p.ics"
    result = run("plan", "--course1", "2024-01-10", "--patient", label, "--ics", str(target))
    assert result.exit_code == 2 and "patient label" in result.stderr
    assert len(result.stderr.splitlines()) == 1 and not target.exists()


def test_plan_patient_that_looks_like_a_name_is_warned_about(tmp_path):
    result = run("plan", "--course1", "2024-01-10", "--sex", "male", "--patient", "Jane Doe", "-f", "json")
    assert result.exit_code == 0
    assert "msmonitor: warning: --patient 'Jane Doe' looks like a person's name" in result.stderr
    calendar = run("plan", "--course1", "2024-01-10", "--sex", "male", "--patient", "J;D,1", "--ics", "-")
    assert calendar.exit_code == 0 and b"\r\nNAME:MS monitoring: J\\;D\\,1\r\n" in calendar.stdout_bytes


def test_plan_upcoming_for_a_few_months():
    args = ("plan", "--course1", "2024-01-10", "--sex", "male", "--today", "2024-03-01")
    result = run(*args, "--upcoming", "--months", "3")
    assert result.exit_code == 0, result.stderr
    assert "Shown: items from 2024-03-01 to 2024-05-31" in result.stdout
    rows = re.findall(r"^(\d{4}-\d{2}-\d{2}) ", result.stdout, re.M)
    assert rows == ["2024-01-10", "2024-03-14", "2024-04-14", "2024-05-14"]  # prophylaxis still running, then 3 draws
    every = json.loads(run(*args, "-f", "json").stdout)["events"]
    shown = json.loads(run(*args, "--upcoming", "--months", "3", "-f", "json").stdout)["events"]
    assert 0 < len(shown) < len(every) and all(e["date"] < "2024-06-01" for e in shown)
    assert all((e["window_end"] or e["date"]) >= "2024-03-01" for e in shown)
    first = run(*args, "--months", "2")
    assert re.findall(r"^(\d{4}-\d{2}-\d{2}) ", first.stdout, re.M)[0] == "2023-10-12"  # from the first item
    assert "No items in this period." in run(*args, "--today", "2031-01-01", "--upcoming").stdout
    result = run(*args, "--months", "0")
    assert result.exit_code == 2 and len(result.stderr.splitlines()) == 1
    assert run(*args, "--no-pager").stdout == run(*args).stdout  # not a terminal here: never paged


def test_a_long_table_goes_through_the_pager(tmp_path, monkeypatch):
    from msmonitor.cli import output

    paged = tmp_path / "paged.txt"
    monkeypatch.setenv("PAGER", f"cat > {paged}")
    monkeypatch.delenv("MSMONITOR_PAGER", raising=False)
    monkeypatch.setattr(output.sys.stdout, "isatty", lambda: True)
    monkeypatch.setattr("shutil.get_terminal_size", lambda fallback=None: os.terminal_size((80, 10)))
    output.page("short\n")
    assert not paged.exists()  # fits the screen: printed as it is
    output.page("line\n" * 30)
    assert paged.read_text() == "line\n" * 30
    monkeypatch.setenv("PAGER", "")  # an empty PAGER: no pager
    paged.unlink()
    output.page("line\n" * 30)
    assert not paged.exists()
    monkeypatch.setenv("PAGER", "no-such-pager-here")
    output.page("line\n" * 30)  # a missing pager: printed anyway, no error
