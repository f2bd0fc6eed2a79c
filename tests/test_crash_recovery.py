"""kill -9 during an import, at a few random moments: every later command
works, and the database holds all of the import or none of it."""

import json
import os
import random
import signal
import sqlite3
import subprocess
import sys
import time

import pytest
from typer.testing import CliRunner

from msmonitor.cli import app

PATIENTS = 60
runner = CliRunner()


def cli(*args):
    return runner.invoke(app, [str(a) for a in args])


@pytest.fixture(scope="module")
def backup(tmp_path_factory):
    path = tmp_path_factory.mktemp("crash") / "backup.json"
    patients = [
        {
            "label": f"p{i:04d}",
            "sex": "female" if i % 2 else "male",
            "protocol": "us",
            "notes": "",
            "single_course": False,
            "include_unverified": False,
            "courses": [{"number": 1, "start": f"2023-{1 + i % 9:02d}-{10 + i % 10}", "infusion_days": None}],
            "records": [{"test": "cbc-diff", "done_on": "2023-12-01", "note": ""}],
        }
        for i in range(PATIENTS)
    ]
    path.write_text(json.dumps({"schema": "msmonitor.backup/1", "patients": patients}))
    return path


def killed_import(db, backup, rng, at_journal):
    """Start an import and kill it: when its write transaction is open (the
    journal exists), or at a random moment of its run."""
    proc = subprocess.Popen(
        [sys.executable, "-m", "msmonitor", "import", str(backup), "--db", str(db)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    journal = f"{db}-journal"
    if at_journal:
        while proc.poll() is None and not os.path.exists(journal):
            time.sleep(0.0005)
        time.sleep(rng.uniform(0, 0.02))
    else:
        time.sleep(rng.uniform(0.05, 1.5))
    if proc.poll() is None:
        os.kill(proc.pid, signal.SIGKILL)
    proc.wait()


@pytest.mark.parametrize("seed, at_journal", [(1, True), (2, True), (3, False), (4, False)])
def test_a_killed_import_leaves_all_or_nothing(tmp_path, backup, seed, at_journal):
    db = tmp_path / "clinic.db"
    assert cli("add", "base", "--course1", "2024-01-10", "--db", db).exit_code == 0
    killed_import(db, backup, random.Random(seed), at_journal)

    listed = cli("patients", "--db", db)
    assert listed.exit_code == 0, listed.output
    assert "damaged" not in listed.stderr
    for args in (
        ("status", "base", "--today", "2024-06-01"),
        ("due", "--today", "2024-06-01"),
        ("done", "base", "2024-02-14"),
        ("export",),
    ):
        result = cli(*args, "--db", db)
        assert result.exit_code == 0, (args, result.output)

    con = sqlite3.connect(db)
    count = con.execute("SELECT count(*) FROM patients").fetchone()[0]
    imported = con.execute(
        "SELECT count(*) FROM records JOIN patients p ON p.id = patient_id WHERE p.label != 'base'"
    ).fetchone()[0]
    assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    con.close()
    assert (count, imported) in ((1, 0), (1 + PATIENTS, PATIENTS))

    again = cli("import", backup, "--db", db, "--skip-existing")
    assert again.exit_code == 0, again.output
    con = sqlite3.connect(db)
    assert con.execute("SELECT count(*) FROM patients").fetchone()[0] == 1 + PATIENTS
    con.close()
