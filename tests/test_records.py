"""Patient records: matching, status, the database, import/export, the commands."""

import json
import sqlite3
import stat
import subprocess
import sys
from datetime import UTC, date, datetime, timedelta

import pytest
from typer.testing import CliRunner

from msmonitor.cli import app
from msmonitor.errors import InputError
from msmonitor.model import PlanOptions
from msmonitor.patients import (
    Protocols,
    add_patients,
    change_course,
    due,
    export_backup,
    import_backup,
    new_patient,
    parse_patients_csv,
    record_done,
    status,
    undo_done,
)
from msmonitor.schedule import PlanRequest
from msmonitor.store import MIGRATIONS, SCHEMA_VERSION, DatabaseError, Store, _statements
from msmonitor.tracking import (
    DONE,
    DUE,
    LATE,
    MISSED,
    OVERDUE,
    UPCOMING,
    Record,
    ScheduledTest,
    match,
    status_of,
    track,
)

from .conftest import make_plan

NOW = datetime(2024, 6, 1, 9, 0, tzinfo=UTC)
P = Protocols()


def item(day, test="cbc-diff", tolerance=14, event=None, last=None):
    return ScheduledTest(event or f"labs/{day}", test, "labs", "Labs", day, last or day, tolerance, None, "year-1")


# ------------------------------------------------------------------ matching (pure)


@pytest.mark.parametrize(
    "done_on, expected",
    [
        (date(2024, 2, 14), DONE),
        (date(2024, 1, 31), DONE),  # 14 days early still counts
        (date(2024, 2, 28), LATE),  # 14 days late: matched, late
        (date(2024, 3, 1), MISSED),  # 16 days late: not this item's record
    ],
)
def test_tolerance(done_on, expected):
    it = item(date(2024, 2, 14))
    matched = match([it], [Record(1, "cbc-diff", done_on)])
    assert status_of(it, matched.get((it.event_id, it.test)), today=date(2024, 6, 1)) == expected


def test_nearest_item_wins_and_records_serve_one_item():
    a, b = item(date(2024, 2, 14), event="m1"), item(date(2024, 3, 14), event="m2")
    r1, r2 = Record(1, "cbc-diff", date(2024, 2, 27)), Record(2, "cbc-diff", date(2024, 3, 1))
    matched = match([a, b], [r1, r2])
    assert matched[("m1", "cbc-diff")] == r1  # 13 days from m1
    assert matched[("m2", "cbc-diff")] == r2  # 13 days from m2, m1 already taken
    assert match([a, b], [Record(3, "creatinine", date(2024, 2, 14))]) == {}  # other test


def test_window_items_accept_their_whole_window():
    baseline = item(date(2023, 12, 11), tolerance=0, last=date(2024, 1, 9))
    assert match([baseline], [Record(1, "cbc-diff", date(2024, 1, 2))])
    assert not match([baseline], [Record(1, "cbc-diff", date(2024, 1, 10))])


@pytest.mark.parametrize(
    "today, expected",
    [
        (date(2024, 1, 31), UPCOMING),
        (date(2024, 2, 13), UPCOMING),
        (date(2024, 2, 14), DUE),
        (date(2024, 2, 15), OVERDUE),
        (date(2024, 2, 28), OVERDUE),
        (date(2024, 2, 29), MISSED),
    ],
)
def test_status_without_a_record(today, expected):
    assert status_of(item(date(2024, 2, 14)), None, today) == expected


def test_moving_course_2_rematches_without_touching_records(us):
    records = [Record(1, "cbc-diff", date(2024, 2, 15)), Record(2, "pregnancy-test", date(2025, 1, 10))]
    before = track(make_plan(us, date(2024, 1, 10), date(2025, 1, 10), sex="female"), records, date(2025, 3, 1))
    after = track(make_plan(us, date(2024, 1, 10), date(2025, 1, 24), sex="female"), records, date(2025, 3, 1))
    preg_before = next(t for t in before.tests if t.scheduled.event_id == "pregnancy-test/c2")
    preg_after = next(t for t in after.tests if t.scheduled.event_id == "pregnancy-test/c2")
    assert preg_before.record == records[1] and preg_before.status == DONE
    assert preg_after.record is None and preg_after.status == MISSED  # 14 days off: outside its 7-day tolerance
    assert records[1] in after.unmatched  # kept and shown, never dropped or moved
    m1 = next(t for t in after.tests if t.scheduled.event_id == "labs/m1" and t.scheduled.test == "cbc-diff")
    assert m1.record == records[0] and m1.status == LATE


# ------------------------------------------------------------------ the database


@pytest.fixture
def store(ledger):
    """An open database, once on each backend (conftest.ledger)."""
    s = Store.open(ledger)
    yield s
    s.close()


def save(store, label="jd", course1=date(2024, 1, 10), course2=None, sex="female", protocol="us"):
    patient = new_patient(label, PlanRequest(course1, course2, options=PlanOptions(sex=sex)), protocol)
    add_patients(store, [patient], NOW, P)


def test_new_database_is_private_and_versioned(tmp_path):
    path = tmp_path / "sub" / "msmonitor.db"
    store = Store.open(path)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert store.schema_version() == SCHEMA_VERSION
    assert store.con.execute("PRAGMA application_id").fetchone()[0] == 0x4D534D4E
    store.close()


def test_done_status_undo(store):
    save(store)
    assert record_done(store, "jd", date(2024, 2, 16), None, NOW, P).tests == [
        "cbc-diff",
        "creatinine",
        "urinalysis",
        "liver",
    ]
    record_done(store, "jd", date(2024, 3, 16), ["cbc-diff", "creatinine"], NOW, P)
    _plan, tracking = status(store, "jd", date(2024, 3, 20), P)
    states = {(t.scheduled.event_id, t.scheduled.test): t.status for t in tracking.tests}
    assert states[("labs/m1", "cbc-diff")] == LATE
    assert states[("labs/m2", "creatinine")] == LATE
    assert states[("labs/m2", "urinalysis")] == OVERDUE
    assert states[("baseline-labs", "cbc-diff")] == MISSED
    assert undo_done(store, "jd", date(2024, 3, 16), ["creatinine"], P) == 1
    _, tracking = status(store, "jd", date(2024, 3, 20), P)
    assert {(t.scheduled.event_id, t.scheduled.test): t.status for t in tracking.tests}[
        ("labs/m2", "creatinine")
    ] == OVERDUE
    with pytest.raises(InputError, match="no records on 2024-05-01"):
        undo_done(store, "jd", date(2024, 5, 1), None, P)


def test_done_far_from_any_item_needs_tests(store):
    save(store, course1=date(2024, 1, 10))
    with pytest.raises(InputError, match=r"--tests: 'not-a-test' is not a test id"):
        record_done(store, "jd", date(2024, 2, 14), ["not-a-test"], NOW, P)
    with pytest.raises(InputError, match="no scheduled tests near 2020-01-01"):
        record_done(store, "jd", date(2020, 1, 1), None, NOW, P)


def test_course_changes_keep_records(store):
    save(store)
    record_done(store, "jd", date(2024, 2, 14), None, NOW, P)
    plan = change_course(store, "jd", P, add=date(2025, 1, 20))
    assert plan.courses[1].first == date(2025, 1, 20) and not plan.courses[1].projected
    plan = change_course(store, "jd", P, set_course=(2, date(2025, 1, 27)))
    assert plan.monitoring_ends == date(2029, 1, 29)
    assert len(store.records(store.patient("jd").id)) == 4
    with pytest.raises(InputError, match="before course 1 has ended"):
        change_course(store, "jd", P, set_course=(2, date(2024, 1, 12)))
    assert store.patient("jd").courses[1].start == date(2025, 1, 27)  # the failed change left nothing behind
    with pytest.raises(InputError, match="only the last course"):
        change_course(store, "jd", P, remove=1)
    plan = change_course(store, "jd", P, remove=2)
    assert plan.courses[1].projected


def test_removing_a_course_with_infusion_days_is_refused(store):
    """Called on the core directly: no CLI check in front of it."""
    save(store)
    change_course(store, "jd", P, add=date(2025, 1, 20))
    with pytest.raises(InputError, match="not removed"):
        change_course(store, "jd", P, remove=2, days=(date(2025, 1, 20),))
    assert len(store.patient("jd").courses) == 2


def test_writes_happen_only_inside_a_transaction(store):
    save(store)
    with pytest.raises(RuntimeError):
        store.add_records(store.patient("jd").id, [("cbc-diff", date(2024, 2, 14), "")], NOW)
    assert store.records(store.patient("jd").id) == []


def test_due_lists_overdue_and_due_soon_most_urgent_first(store):
    save(store, "a", date(2024, 1, 10))
    save(store, "b", date(2024, 1, 20))
    record_done(store, "a", date(2024, 5, 14), None, NOW, P)
    rows = due(store, date(2024, 5, 20), 7, P)
    summary = [(r.label, r.scheduled.event_id, r.status) for r in rows]
    assert ("a", "labs/m4", OVERDUE) not in summary  # done
    assert ("a", "labs/m2", MISSED) not in summary  # missed more than 30 days ago
    assert ("a", "labs/m3", MISSED) in summary
    assert ("b", "labs/m3", MISSED) in summary
    assert ("b", "labs/m4", UPCOMING) in summary  # 2024-05-24: within the 7 days
    assert ("a", "labs/m5", UPCOMING) not in summary  # 2024-06-14: beyond them
    # what can still be acted on first: overdue and due before missed
    assert [r.status for r in rows] == sorted((r.status for r in rows), key=[OVERDUE, DUE, MISSED, UPCOMING].index)


def test_due_matches_a_fresh_computation(store):
    """The cached items give the same answer as computing every plan afresh."""
    for i, c1 in enumerate([date(2023, 5, 2), date(2024, 1, 31), date(2022, 12, 30)]):
        save(store, f"p{i}", c1)
        for k in range(1, 12, 2):
            day = c1 + timedelta(days=30 * k + 6)
            if day < date(2024, 6, 1):
                record_done(store, f"p{i}", day, None, NOW, P)
    today = date(2024, 6, 1)
    cached = {(r.label, r.scheduled.event_id, r.scheduled.test, r.status) for r in due(store, today, 14, P)}
    fresh = set()
    for patient in store.patients():
        _, tracking = status(store, patient.label, today, P)
        for t in tracking.tests:
            if (
                t.status in (OVERDUE, DUE)
                or (t.status == UPCOMING and t.scheduled.date <= today + timedelta(days=14))
                or (t.status == MISSED and t.scheduled.latest >= today - timedelta(days=30))
            ):
                fresh.add((patient.label, t.scheduled.event_id, t.scheduled.test, t.status))
    assert cached == fresh and cached


def test_backup_round_trip_is_exact(tmp_path, store):
    save(store, "a")
    save(store, "b", date(2023, 3, 1), date(2024, 3, 5), sex=None, protocol="eu")
    record_done(store, "a", date(2024, 2, 14), None, NOW, P, note="fasting")
    change_course(
        store,
        "b",
        P,
        set_course=(2, date(2024, 3, 5)),
        days=(date(2024, 3, 5), date(2024, 3, 6), date(2024, 3, 8)),
    )
    backup = export_backup(store, NOW)
    other = Store.open(tmp_path / "restored.db")
    assert import_backup(other, json.loads(json.dumps(backup)), "backup.json", NOW, P) == 2
    assert export_backup(other, NOW) == backup
    with pytest.raises(InputError, match=r"2 of 2 patients exist already \('a', 'b'\): give --skip-existing"):
        import_backup(other, backup, "backup.json", NOW, P)
    assert len(other.patients()) == 2
    other.close()


CSV = "label,course1,course2,courses,sex,protocol,single_course,notes\n"


@pytest.mark.parametrize(
    "body, message",
    [
        (
            "a,2024-01-10,,,female,us,,\nb,2024-13-01,,,,us,,\n",
            "line 3: course1: '2024-13-01' is not a real calendar date",
        ),
        ("a,2024-01-10,,,female,us,,\na,2024-02-10,,,,us,,\n", "line 3: patient 'a' appears twice"),
        ("a,2024-01-10,,,other,us,,\n", "line 2: sex 'other' is not female or male"),
        ("a,2024-01-10,2024-01-12,,,us,,\n", "line 2: course 2 starts on 2024-01-12, before course 1 has ended"),
        ("a,2024-01-10,,,,uk,,\n", "line 2: unknown protocol 'uk'"),
        ("a,2024-01-10,,2026-01-01,,us,,\n", "line 2: --course (course 3 and later) needs --course2"),
        (",2024-01-10,,,,us,,\n", "line 2: patient label ''"),
        ("a,2024-01-10,,,,us,,,extra\n", "line 2: more cells than columns"),
    ],
)
def test_csv_import_reports_the_bad_row(body, message):
    with pytest.raises(InputError) as excinfo:
        parse_patients_csv(CSV + body, "patients.csv", P)
    assert str(excinfo.value).startswith("patients.csv: ") and message in str(excinfo.value)


def test_csv_columns_are_checked():
    with pytest.raises(InputError, match="line 1: unknown column 'name'"):
        parse_patients_csv("label,course1,name\n", "p.csv", P)
    with pytest.raises(InputError, match="line 1: missing column 'course1'"):
        parse_patients_csv("label\n", "p.csv", P)


# ------------------------------------------------------------------ migrations and foreign files


def make_v1(path):
    con = sqlite3.connect(path)
    for statement in _statements(MIGRATIONS[1]):
        con.execute(statement)
    con.execute("PRAGMA application_id = 1297304910")
    con.execute("PRAGMA user_version = 1")
    con.execute(
        "INSERT INTO patients (label, sex, protocol, notes, created_at) VALUES ('old', 'male', 'us', '', '2024-01-01')"
    )
    con.execute("INSERT INTO courses (patient_id, number, start, days) VALUES (1, 1, '2024-01-10', NULL)")
    con.execute(
        "INSERT INTO records (patient_id, test, done_on, recorded_at) VALUES (1, 'cbc-diff', '2024-02-14', 'x')"
    )
    con.commit()
    con.close()


def test_migration_from_the_first_schema(tmp_path):
    path = tmp_path / "v1.db"
    make_v1(path)
    store = Store.open(path)
    assert store.schema_version() == SCHEMA_VERSION
    assert store.records(1)[0].test == "cbc-diff" and store.records(1)[0].note == ""
    rows = due(store, date(2024, 3, 1), 30, P)  # refreshes the migrated patient's items first
    assert any(r.label == "old" for r in rows)
    _, tracking = status(store, "old", date(2024, 3, 1), P)
    assert any(t.status == DONE and t.scheduled.event_id == "labs/m1" for t in tracking.tests)
    store.close()


def test_migration_from_the_second_schema_recomputes_the_cache(tmp_path):
    """Schema 2 kept open items' tests as 'test:tolerance' text; schema 3 drops that cache."""
    path = tmp_path / "v2.db"
    make_v1(path)
    con = sqlite3.connect(path)
    for statement in _statements(MIGRATIONS[2]):
        con.execute(statement)
    con.execute("PRAGMA user_version = 2")
    con.execute("UPDATE patients SET plan_key = 'us:old'")
    con.execute(
        "INSERT INTO open_items VALUES (1, 'labs/m2', 'labs', 'Labs', '2024-03-10', '2024-03-10', 2, 'year-1',"
        " 'cbc-diff:14 creatinine:14', '2024-03-24')"
    )
    con.commit()
    con.close()
    store = Store.open(path)
    assert store.schema_version() == SCHEMA_VERSION
    rows = due(store, date(2024, 3, 12), 7, P)
    assert {(r.scheduled.event_id, r.scheduled.test) for r in rows} >= {
        ("labs/m2", "cbc-diff"),
        ("labs/m2", "urinalysis"),
    }
    store.close()


def test_migration_from_an_empty_file(tmp_path):
    path = tmp_path / "empty.db"
    path.write_bytes(b"")
    store = Store.open(path)
    assert store.schema_version() == SCHEMA_VERSION
    store.close()


@pytest.mark.parametrize("kind", ["text", "other-sqlite", "damaged", "newer"])
def test_foreign_or_damaged_file_is_refused_untouched(tmp_path, kind):
    path = tmp_path / "x.db"
    if kind == "text":
        path.write_text("name,phone\n")
    elif kind in ("other-sqlite", "newer"):
        con = sqlite3.connect(path)
        if kind == "other-sqlite":
            con.execute("CREATE TABLE contacts (name TEXT)")
        else:
            con.execute("PRAGMA application_id = 1297304910")
            con.execute("PRAGMA user_version = 99")
        con.commit()
        con.close()
    else:
        path.write_bytes(b"SQLite format 3\x00" + b"\xff" * 4000)
    before = (path.read_bytes(), path.stat().st_mtime_ns)
    with pytest.raises(DatabaseError) as excinfo:
        Store.open(path)
    assert str(excinfo.value).startswith(str(path))
    assert (path.read_bytes(), path.stat().st_mtime_ns) == before


CONCURRENT = """
import sys
from datetime import date, datetime, timedelta, timezone
from msmonitor.patients import Protocols, record_done
from msmonitor.store import Store
store = Store.open(sys.argv[1])
for i in range(int(sys.argv[3])):
    day = date(2024, 2, 1) + timedelta(days=i)
    record_done(store, sys.argv[2], day, [sys.argv[4]], datetime.now(timezone.utc), Protocols())
store.close()
"""


def test_two_processes_writing_at_once_lose_nothing(tmp_path):
    # SQLite's file locking (tests/test_postgres.py has PostgreSQL's)
    store = Store.open(tmp_path / "clinic.db")
    save(store, "a")
    save(store, "b")
    procs = [
        subprocess.Popen([sys.executable, "-c", CONCURRENT, str(store.path), label, "40", test], stderr=subprocess.PIPE)
        for label, test in (("a", "cbc-diff"), ("b", "cbc-diff"), ("a", "creatinine"))
    ]
    for proc in procs:
        assert proc.wait(timeout=120) == 0, proc.stderr.read().decode()
    count = store.con.execute("SELECT count(*) FROM records").fetchone()[0]
    assert count == 120
    assert store.con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


# ------------------------------------------------------------------ the commands

runner = CliRunner()


@pytest.fixture
def db(tmp_path, monkeypatch):
    path = tmp_path / "msmonitor.db"
    monkeypatch.setenv("MSMONITOR_DB", str(path))
    return path


def cli(*args):
    return runner.invoke(app, list(args))


def test_command_flow(db, tmp_path):
    assert cli("add", "jd", "--course1", "2024-01-10", "--sex", "female", "--tracking-from", "start").exit_code == 0
    result = cli("done", "jd", "2024-02-14")
    assert result.exit_code == 0 and "recorded cbc-diff, creatinine, urinalysis, liver on 2024-02-14" in result.stderr
    assert cli("done", "jd", "2024-03-16", "--tests", "cbc-diff,creatinine").exit_code == 0
    result = cli("status", "jd", "--today", "2024-04-20")
    assert result.exit_code == 0
    assert "Lab panels: 1 of 3 due so far done, 1 missed, 0 partly done" in result.stdout
    assert "done 2024-02-14" in result.stdout
    data = json.loads(cli("status", "jd", "--today", "2024-04-20", "--format", "json").stdout)
    assert data["schema"] == "msmonitor.status/2" and data["summary"]["panels"]["done"] == 1
    header = cli("status", "jd", "--format", "csv").stdout.splitlines()[0]
    assert header == "patient,event_id,test,title,date,window_end,month,phase,status,done_on"
    assert cli("course", "jd", "--add", "2025-01-20").exit_code == 0
    due_result = cli("due", "--within", "7d", "--today", "2024-04-20")
    assert due_result.exit_code == 0 and "jd" in due_result.stdout
    assert json.loads(cli("due", "--today", "2024-04-20", "-f", "json").stdout)["schema"] == "msmonitor.due/2"
    assert cli("due", "-f", "csv").stdout.startswith("patient,status,date,days,event_id,test,title,kind,last_day\n")
    ics = tmp_path / "jd.ics"
    assert cli("plan", "jd", "--ics", str(ics)).exit_code == 0 and ics.exists()
    assert cli("checklist", "jd", "--visit", "2024-05-14").exit_code == 0
    assert cli("done", "jd", "2024-03-16", "--undo").exit_code == 0
    backup = tmp_path / "backup.json"
    assert cli("export", "-o", str(backup)).exit_code == 0
    assert json.loads(backup.read_text())["patients"][0]["label"] == "jd"
    assert stat.S_IMODE(db.stat().st_mode) == 0o600


@pytest.mark.parametrize(
    "args, message",
    [
        (["status", "nobody"], "no database yet"),
        (["add", "x"], "missing --course1"),
        (["add", " x", "--course1", "2024-01-10"], "patient label ' x'"),
        (["done", "jd", "2024-02-30"], "DATE: '2024-02-30' is not a real calendar date"),
        (["course", "jd"], "give one of --add DATE, --set N DATE or --remove N"),
        (["due", "--within", "soon"], "--within: 'soon' is not a period"),
        (["export", "--format", "csv"], "not a backup format"),
        (["plan", "jd", "--course1", "2024-01-10"], "--course1 cannot be combined with a saved patient"),
        (["import", "missing.csv"], "missing.csv: no such file"),
    ],
)
def test_command_errors(db, tmp_path, monkeypatch, args, message):
    monkeypatch.chdir(tmp_path)
    result = cli(*args)
    assert result.exit_code == 2, result.stdout
    assert len(result.stderr.splitlines()) == 1 and message in result.stderr


def test_import_is_all_or_nothing(db, tmp_path):
    good = tmp_path / "good.csv"
    good.write_text(CSV + "a,2024-01-10,,,female,us,,\nb,2023-05-01,2024-05-06,,male,eu,,\n")
    assert cli("import", str(good)).exit_code == 0
    bad = tmp_path / "bad.csv"
    bad.write_text(CSV + "c,2024-01-10,,,,us,,\na,2024-01-10,,,,us,,\n")
    result = cli("import", str(bad))
    assert result.exit_code == 2 and "1 of 2 patients exist already ('a'): give --skip-existing" in result.stderr
    assert cli("patients", "--format", "csv").stdout.count("\n") == 3  # header, a, b: 'c' was not half-imported


def test_a_broken_database_is_one_line_not_a_crash(db):
    assert cli("add", "jd", "--course1", "2024-01-10").exit_code == 0
    con = sqlite3.connect(db)
    con.execute("DROP TABLE open_items")
    con.commit()
    con.close()
    result = cli("due")
    assert result.exit_code == 2
    assert result.stderr == f"msmonitor: error: {db}: database error (no such table: open_items)\n"
