"""The patient database against crashes, locks, foreign files and careless
paths (issue 10): each test here failed before its fix."""

import os
import sqlite3
import stat
import subprocess
import sys
from datetime import UTC, date, datetime

import pytest
from typer.testing import CliRunner

from msmonitor import store as store_module
from msmonitor.cli import app
from msmonitor.errors import InputError
from msmonitor.model import PlanOptions
from msmonitor.patients import Protocols, add_patients, new_patient, record_done
from msmonitor.schedule import PlanRequest
from msmonitor.store import DatabaseError, Store

NOW = datetime(2024, 6, 1, 9, 0, tzinfo=UTC)
P = Protocols()
runner = CliRunner()


def cli(*args):
    return runner.invoke(app, list(args))


def save(store, label="jd", course1=date(2024, 1, 10)):
    add_patients(store, [new_patient(label, PlanRequest(course1, None, options=PlanOptions()), "us")], NOW, P)


@pytest.fixture
def db(tmp_path):
    path = tmp_path / "clinic.db"
    s = Store.open(path)
    save(s)
    s.close()
    return path


# ------------------------------------------------------------------ a crash mid-write

CRASH = """
import os, signal, sqlite3, sys
con = sqlite3.connect(sys.argv[1], isolation_level=None)
con.execute("PRAGMA cache_size = 1")  # spill to the file: the journal must be hot
con.execute("BEGIN IMMEDIATE")
for i in range(2000):
    con.execute("INSERT INTO records (patient_id, test, done_on, recorded_at) VALUES (1, 'x', '2024-01-01', ?)",
                ("y" * 200,))
os.kill(os.getpid(), signal.SIGKILL)
"""


def test_a_write_cut_short_is_rolled_back_and_said_so(db):
    proc = subprocess.run([sys.executable, "-c", CRASH, str(db)], capture_output=True)
    assert proc.returncode == -9
    assert os.path.getsize(f"{db}-journal") > 0  # a hot journal, as a kill -9 leaves it
    result = cli("status", "jd", "--db", str(db), "--today", "2024-06-01")
    assert result.exit_code == 0, result.output
    assert "recovered an interrupted change" in result.stderr
    s = Store.open(db)
    assert s.records(s.patient("jd").id) == []  # none of the cut-short change
    assert s.con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert s.notices == []  # said once
    s.close()


# ------------------------------------------------------------------ locks


def test_a_held_lock_is_busy_never_damaged(db, monkeypatch):
    monkeypatch.setattr(store_module, "BUSY_TIMEOUT_MS", 50)
    holder = sqlite3.connect(db, isolation_level=None)
    holder.execute("BEGIN EXCLUSIVE")
    try:
        with pytest.raises(DatabaseError, match="busy: another msmonitor is writing; try again") as excinfo:
            Store.open(db)
        assert "damaged" not in str(excinfo.value)
    finally:
        holder.execute("ROLLBACK")
        holder.close()


def test_a_writer_waiting_for_a_lock_says_busy(db, monkeypatch):
    monkeypatch.setattr(store_module, "BUSY_TIMEOUT_MS", 50)
    s = Store.open(db)
    holder = sqlite3.connect(db, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    try:
        with pytest.raises(DatabaseError, match="busy: another msmonitor is writing; try again; nothing was changed"):
            record_done(s, "jd", date(2024, 2, 14), None, NOW, P)
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert s.records(s.patient("jd").id) == []
    s.close()


def test_one_busy_timeout_for_reads_and_writes(db):
    assert store_module.BUSY_TIMEOUT_MS >= 30_000  # longer than a large import's write phase
    s = Store.open(db)
    assert s.con.execute("PRAGMA busy_timeout").fetchone()[0] == store_module.BUSY_TIMEOUT_MS
    s.close()


def test_a_full_disk_during_a_write_changes_nothing(db):
    s = Store.open(db)
    pages = s.con.execute("PRAGMA page_count").fetchone()[0]
    s.con.execute(f"PRAGMA max_page_count = {pages}")  # as if the disk were full
    before = db.read_bytes()
    with pytest.raises(DatabaseError, match="the disk is full; nothing was changed"):
        add_patients(s, [new_patient(f"p{i}", PlanRequest(date(2024, 1, 10)), "us") for i in range(50)], NOW, P)
    s.close()
    assert db.read_bytes() == before


# ------------------------------------------------------------------ the database file itself


def test_a_new_database_is_never_created_through_a_dangling_link(tmp_path):
    elsewhere = tmp_path / "elsewhere.db"
    link = tmp_path / "clinic.db"
    link.symlink_to(elsewhere)
    with pytest.raises(DatabaseError, match="a symbolic link to a missing file"):
        Store.open(link)
    assert not elsewhere.exists()


def test_a_link_to_an_existing_database_is_followed(db, tmp_path):
    link = tmp_path / "link.db"
    link.symlink_to(db)
    s = Store.open(link)
    assert [p.label for p in s.patients()] == ["jd"]
    s.close()
    assert link.is_symlink()


@pytest.mark.parametrize("kind", ["fifo", "dev-null", "empty"])
def test_special_files_and_empty_paths_are_refused(tmp_path, kind):
    if kind == "fifo":
        path = str(tmp_path / "pipe.db")
        os.mkfifo(path)
    elif kind == "dev-null":
        path = os.devnull
    else:
        path = ""
    existed = os.path.exists(f"{path}-journal")
    with pytest.raises(DatabaseError) as excinfo:
        Store.open(path)
    message = str(excinfo.value)
    assert "\n" not in message
    assert ("an empty path" in message) if kind == "empty" else ("not a regular file" in message)
    assert os.path.exists(f"{path}-journal") == existed


def test_empty_db_option_is_refused_on_the_command_line(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = cli("patients", "--db", "")
    assert result.exit_code == 2 and "--db: an empty path" in result.stderr


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() != 0, reason="needs root to give a file away")
def test_a_database_owned_by_another_user_is_refused(tmp_path):
    path = tmp_path / "shared.db"
    path.write_bytes(b"")
    os.chmod(path, 0o666)
    os.chown(path, 12345, 12345)
    with pytest.raises(DatabaseError, match="owned by another user"):
        Store.open(path)
    assert path.read_bytes() == b""


def test_a_database_readable_by_others_is_made_private_and_said_so(db):
    os.chmod(db, 0o644)
    result = cli("patients", "--db", str(db))
    assert result.exit_code == 0
    assert "was readable by other users; now readable by its owner only" in result.stderr
    assert stat.S_IMODE(db.stat().st_mode) == 0o600


# ------------------------------------------------------------------ records and labels


def test_a_date_is_not_a_label(tmp_path):
    result = cli("add", "2024-01-10", "--course1", "2024-01-10", "--db", str(tmp_path / "x.db"))
    assert result.exit_code == 2 and "is a date" in result.stderr
    with pytest.raises(InputError, match="is a date"):
        new_patient("2024-01-10", PlanRequest(date(2024, 1, 10)), "us")


# ------------------------------------------------------------------ backups read strictly


def backup(**changes):
    entry = {
        "label": "jd",
        "sex": "female",
        "protocol": "us",
        "notes": "",
        "single_course": False,
        "include_unverified": False,
        "courses": [{"number": 1, "start": "2024-01-10", "infusion_days": None}],
        "records": [{"test": "cbc-diff", "done_on": "2024-02-14", "note": ""}],
    }
    for key, value in changes.items():
        if key.startswith("course_"):
            entry["courses"][0][key[7:]] = value
        elif key.startswith("record_"):
            entry["records"][0][key[7:]] = value
        else:
            entry[key] = value
    return {"schema": "msmonitor.backup/1", "patients": [entry]}


@pytest.mark.parametrize(
    "changes, message",
    [
        ({"single_course": "no"}, "patients[0] (jd): single_course: must be true or false, not text"),
        ({"include_unverified": 1}, "patients[0] (jd): include_unverified: must be true or false, not a number"),
        ({"course_number": "2"}, "patients[0] (jd): courses[0].number: must be a whole number, not text"),
        ({"course_number": True}, "patients[0] (jd): courses[0].number: must be a whole number, not true/false"),
        ({"course_number": 1.5}, "patients[0] (jd): courses[0].number: must be a whole number, not a number"),
        ({"course_start": 20240110}, "patients[0] (jd): courses[0].start: must be text, not a number"),
        ({"course_start": "2024-02-30"}, "patients[0] (jd): courses[0].start: '2024-02-30' is not a real"),
        ({"course_infusion_days": "2024-01-10"}, "courses[0].infusion_days: must be a list or null, not text"),
        ({"course_infusion_days": [5]}, "courses[0].infusion_days[0]: must be a date as text, not a number"),
        ({"notes": ["x"]}, "patients[0] (jd): notes: must be text, not a list"),
        ({"sex": "F"}, "patients[0] (jd): sex: must be female, male or null"),
        ({"label": 7}, "patients[0]: label: must be text, not a number"),
        ({"protocol": None}, "patients[0] (jd): protocol: must be text, not null"),
        ({"courses": {}}, "patients[0] (jd): courses: must be a list, not an object"),
        ({"records": [["cbc-diff"]]}, "patients[0] (jd): records[0]: must be an object, not a list"),
        ({"record_done_on": None}, "patients[0] (jd): records[0].done_on: must be text, not null"),
        ({"record_test": 3}, "patients[0] (jd): records[0].test: must be text, not a number"),
    ],
)
def test_every_backup_field_is_type_checked(tmp_path, changes, message):
    from msmonitor.patients import read_backup

    with pytest.raises(InputError) as excinfo:
        read_backup(backup(**changes), "b.json", P)
    assert str(excinfo.value).startswith("b.json: ") and message in str(excinfo.value)
    assert "\n" not in str(excinfo.value)


def test_a_well_typed_backup_still_reads():
    from msmonitor.patients import read_backup

    (entry,) = read_backup(backup(), "b.json", P)
    assert entry.patient.label == "jd" and not entry.patient.single_course and len(entry.records) == 1


# ------------------------------------------------------------------ protocol files of saved patients


def test_a_protocol_file_is_saved_by_its_absolute_path(tmp_path, monkeypatch):
    from importlib.resources import files

    (tmp_path / "rules").mkdir()
    (tmp_path / "rules" / "clinic.toml").write_text((files("msmonitor") / "protocols" / "us.toml").read_text())
    db = tmp_path / "clinic.db"
    monkeypatch.chdir(tmp_path)
    added = cli("add", "jd", "--course1", "2024-01-10", "--protocol", "rules/clinic.toml", "--db", db)
    assert added.exit_code == 0, added.output
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    result = cli("status", "jd", "--today", "2024-06-01", "--db", db)
    assert result.exit_code == 0, result.output
    s = Store.open(db)
    assert s.patient("jd").protocol == str(tmp_path / "rules" / "clinic.toml")
    s.close()


def test_due_follows_an_edited_protocol_file_of_the_same_version(tmp_path):
    from importlib.resources import files

    protocol = tmp_path / "clinic.toml"
    text = (files("msmonitor") / "protocols" / "us.toml").read_text()
    protocol.write_text(text)
    db = tmp_path / "clinic.db"
    added = cli("add", "jd", "--course1", "2024-01-10", "--tracking-from", "start", "--protocol", protocol, "--db", db)
    assert added.exit_code == 0, added.output
    before = cli("due", "--today", "2024-05-10", "--format", "json", "--db", db)
    assert "Monthly blood and urine tests" in before.stdout
    protocol.write_text(text.replace('title = "Monthly blood and urine tests"', 'title = "Monthly labs (clinic)"'))
    after = cli("due", "--today", "2024-05-10", "--format", "json", "--db", db)
    assert after.exit_code == 0, after.output
    assert "Monthly labs (clinic)" in after.stdout and "Monthly blood and urine tests" not in after.stdout
