"""A backup carries each saved patient's calendar salt: after a restore, the
next export has the same UIDs, so a phone updates its events instead of
adding a second copy of each."""

import json

import pytest
from icalendar import Calendar
from typer.testing import CliRunner

from msmonitor.cli import app

runner = CliRunner()
SALT = "0123456789abcdef" * 2


def uids(path):
    return {str(e["UID"]) for e in Calendar.from_ical(path.read_bytes()).walk("VEVENT")}


def run(*args):
    result = runner.invoke(app, list(args))
    assert result.exit_code == 0, result.output
    return result


def test_a_restored_patients_calendar_keeps_its_uids(tmp_path):
    old, new = str(tmp_path / "old.db"), str(tmp_path / "new.db")
    run("--db", old, "add", "jd", "--course1", "2024-01-10", "--sex", "female")
    run("--db", old, "add", "kx", "--course1", "2024-01-10", "--sex", "male")
    before = tmp_path / "before.ics"
    run("--db", old, "plan", "jd", "--ics", str(before))
    backup = tmp_path / "backup.json"
    run("--db", old, "export", "-o", str(backup))
    entries = {p["label"]: p for p in json.loads(backup.read_text())["patients"]}
    salt = str(Calendar.from_ical(before.read_bytes())["X-MSMONITOR-PLAN"])
    assert entries["jd"]["calendar_salt"] == salt and entries["kx"]["calendar_salt"] is None
    run("--db", new, "import", str(backup))
    after = tmp_path / "after.ics"  # a new phone: the old file is not there
    run("--db", new, "plan", "jd", "--ics", str(after))
    assert uids(after) == uids(before)
    # and a second restore with --update keeps the salt it has
    run("--db", new, "import", str(backup), "--update")
    run("--db", new, "plan", "jd", "--ics", str(after))
    assert uids(after) == uids(before)


def backup_with(tmp_path, *salts):
    patients = [
        {"label": f"p{i}", "sex": "male", "protocol": "us", "courses": [{"number": 1, "start": "2024-01-10"}]}
        | ({} if salt is ... else {"calendar_salt": salt})
        for i, salt in enumerate(salts)
    ]
    path = tmp_path / "b.json"
    path.write_text(json.dumps({"schema": "msmonitor.backup/2", "patients": patients}))
    return path


def test_old_backups_without_the_salt_still_import_and_a_shared_salt_goes_to_one_patient(tmp_path):
    from msmonitor.store import Store

    db = str(tmp_path / "c.db")
    run("--db", db, "import", str(backup_with(tmp_path, ..., None, SALT, SALT)))
    store = Store.open(tmp_path / "c.db", create=False)
    salts = [store.calendar_salt(store.patient(f"p{i}").id) for i in range(4)]
    store.close()
    assert salts == [None, None, SALT, None]  # two patients with one salt would share UIDs
    other = tmp_path / "other.json"
    entry = {"label": "q", "protocol": "us", "courses": [{"number": 1, "start": "2024-01-10"}], "calendar_salt": SALT}
    other.write_text(json.dumps({"schema": "msmonitor.backup/2", "patients": [entry]}))
    run("--db", db, "import", str(other))  # the salt is a saved patient's already: q gets its own at export
    store = Store.open(tmp_path / "c.db", create=False)
    assert store.calendar_salt(store.patient("q").id) is None
    store.close()


@pytest.mark.parametrize(
    "salt, problem",
    [(7, "must be text or null, not a number 7"), ("ABC", "must be 32 lower-case hex digits or null")],
)
def test_a_bad_salt_is_one_line_naming_the_field(tmp_path, salt, problem):
    result = runner.invoke(app, ["--db", str(tmp_path / "c.db"), "import", str(backup_with(tmp_path, salt))])
    assert result.exit_code == 2 and result.stderr.count("\n") == 1
    assert "patients[0] (p0): calendar_salt: " + problem in result.stderr
