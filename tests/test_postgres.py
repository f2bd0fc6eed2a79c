"""The PostgreSQL backend: the ledger commands on both backends give the
same output byte for byte; schema creation, refusal and migration;
writers at once; connection errors. PostgreSQL tests need a server
(tests/pgserver.py starts one) and skip with the reason without it."""

import json
import subprocess
import sys
from datetime import date, datetime

import pytest
from typer.testing import CliRunner

from msmonitor import store as sqlite_store
from msmonitor.cli import app
from msmonitor.store import SCHEMA_VERSION, CourseRow, DatabaseError, Patient, Store, _statements

runner = CliRunner()


def cli(db, *args):
    result = runner.invoke(app, ["--db", db, *args])
    return result


CSV = "label,course1,course2,sex,protocol,notes,tracking_from\n"
CLINIC = CSV + "".join(
    f"P{n:03d},{2020 + n % 5}-0{1 + n % 9}-{10 + n % 18},{'' if n % 3 else f'{2021 + n % 5}-0{1 + n % 9}-15'},"
    f"{('female', 'male')[n % 2]},{('us', 'eu')[n % 2]},,\n"
    for n in range(1, 13)
)


def run_script(db, tmp_path):
    """A week of clinic work; every command's output, in order."""
    source = tmp_path / "clinic.csv"
    source.write_text(CLINIC)
    steps = [
        ("import", str(source)),
        ("add", "jd", "--course1", "2024-01-10", "--sex", "female", "--tracking-from", "start"),
        ("done", "jd", "2024-02-14"),
        ("done", "jd", "2024-03-16", "--tests", "cbc-diff,creatinine"),
        ("done", "P003", "2024-03-16", "--tests", "cbc-diff"),
        ("course", "jd", "--add", "2025-01-20"),
        ("rename", "P012", "p012b"),
        ("status", "jd", "--today", "2024-04-20"),
        ("status", "JD", "--today", "2024-04-20", "--format", "json"),
        ("status", "P003", "--today", "2024-04-20", "--format", "csv"),
        ("due", "--within", "30d", "--today", "2024-04-20"),
        ("due", "--within", "30d", "--today", "2024-04-20", "-f", "csv"),
        ("due", "--today", "2024-04-20", "-f", "json"),
        ("patients", "--format", "csv"),
        ("done", "jd", "2024-03-16", "--undo"),
        ("status", "nobody"),
        ("add", "Jd", "--course1", "2024-01-10"),
    ]
    outputs = []
    for step in steps:
        result = cli(db, *step)
        outputs.append((step, result.exit_code, result.stdout))
    return outputs


def test_the_same_commands_give_the_same_output_on_both_backends(tmp_path, pg_url):
    lite = run_script(str(tmp_path / "clinic.db"), tmp_path)
    assert all(code == 0 for _, code, _ in lite[:-2]) and lite[-1][1] == 2
    assert run_script(pg_url, tmp_path) == lite


def test_a_clinic_moves_from_sqlite_to_postgresql_unchanged(tmp_path, pg_url):
    lite = str(tmp_path / "clinic.db")
    run_script(lite, tmp_path)
    backup = tmp_path / "backup.json"
    assert cli(lite, "export", "-o", str(backup)).exit_code == 0
    result = cli(pg_url, "import", str(backup))
    assert result.exit_code == 0, result.stderr
    labels = json.loads(cli(lite, "patients", "--format", "json").stdout)
    labels = [p["label"] for p in labels["patients"]]
    assert len(labels) == 13
    for label in labels:
        for form in ("text", "json", "csv"):
            args = ("status", label, "--today", "2025-06-01", "--format", form)
            assert cli(pg_url, *args).stdout == cli(lite, *args).stdout
    args = ("due", "--within", "60d", "--today", "2025-06-01", "-f", "csv")
    assert cli(pg_url, *args).stdout == cli(lite, *args).stdout
    # and back again: what PostgreSQL exports, SQLite imports
    again = tmp_path / "again.json"
    assert cli(pg_url, "export", "-o", str(again)).exit_code == 0
    assert json.loads(again.read_text())["patients"] == json.loads(backup.read_text())["patients"]


def test_the_schema_is_created_versioned_and_refused_when_newer_or_foreign(pg_cluster, pg_url):
    assert "no msmonitor tables yet" in cli(pg_url, "status", "x").stderr
    assert cli(pg_url, "add", "a", "--course1", "2024-01-10").exit_code == 0
    store = Store.open(pg_url)
    assert store.schema_version() == SCHEMA_VERSION
    with store.transaction():
        store._write("UPDATE msmonitor_schema SET version = ?", (SCHEMA_VERSION + 1,))
    store.close()
    result = cli(pg_url, "status", "a")
    assert result.exit_code == 2 and f"written by a newer msmonitor (schema {SCHEMA_VERSION + 1})" in result.stderr
    foreign = pg_cluster.fresh_schema()
    pg_cluster.admin(f"CREATE TABLE {foreign.rsplit('%3D', 1)[1]}.invoices (id int)", "msmonitor")
    result = cli(foreign, "add", "a", "--course1", "2024-01-10")
    assert result.exit_code == 2 and "holds tables of another program" in result.stderr


def test_migrations_are_numbered_alike_on_both_backends():
    from msmonitor.pgstore import MIGRATIONS

    assert sorted(MIGRATIONS) == sorted(sqlite_store.MIGRATIONS) == list(range(1, SCHEMA_VERSION + 1))


def test_migration_from_the_second_schema_recomputes_the_cache(pg_url):
    import psycopg

    from msmonitor.pgstore import MIGRATIONS

    with psycopg.connect(pg_url, autocommit=True) as con:
        for version in (1, 2):
            for statement in _statements(MIGRATIONS[version]):
                con.execute(statement)  # type: ignore[arg-type]
        con.execute("UPDATE msmonitor_schema SET version = 2")
        con.execute("INSERT INTO patients (id, label, sex, protocol, created_at) VALUES (7, 'jd', 'female', 'us', 'x')")
        con.execute("INSERT INTO courses VALUES (7, 1, '2024-01-10', NULL)")
        con.execute(
            "INSERT INTO records (patient_id, test, done_on, recorded_at) VALUES (7, 'cbc-diff', '2024-02-14', 'x')"
        )
    result = cli(pg_url, "due", "--today", "2024-02-20", "-f", "csv")
    assert result.exit_code == 0 and "jd," in result.stdout
    store = Store.open(pg_url)
    assert store.schema_version() == SCHEMA_VERSION
    assert store.patient("jd").tracking_from is None and [r.test for r in store.records(7)] == ["cbc-diff"]
    assert store._read("SELECT count(*) FROM open_items")[0][0] > 0
    store.close()
    # a patient added after the migration gets a fresh id
    assert cli(pg_url, "add", "next", "--course1", "2024-01-10").exit_code == 0


CONCURRENT = """
import sys
from datetime import date
from typer.testing import CliRunner
from msmonitor.cli import app
url, label, n, test = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]
for k in range(n):
    day = date.fromordinal(date(2024, 2, 1).toordinal() + k).isoformat()
    result = CliRunner().invoke(app, ["--db", url, "done", label, day, "--tests", test, "--note", str(k)])
    assert result.exit_code == 0, result.stderr
"""


def test_many_processes_recording_at_once_lose_nothing(pg_url):
    assert cli(pg_url, "add", "a", "--course1", "2024-01-10").exit_code == 0
    assert cli(pg_url, "add", "b", "--course1", "2024-01-10").exit_code == 0
    jobs = [("a", "cbc-diff"), ("b", "cbc-diff"), ("a", "creatinine"), ("a", "urinalysis"), ("b", "liver")]
    procs = [
        subprocess.Popen([sys.executable, "-c", CONCURRENT, pg_url, label, "15", test], stderr=subprocess.PIPE)
        for label, test in jobs
    ]
    for proc in procs:
        assert proc.wait(timeout=300) == 0, proc.stderr.read().decode()
    store = Store.open(pg_url)
    assert store._read("SELECT count(*) FROM records")[0][0] == 15 * len(jobs)
    cached = store._read("SELECT patient_id, event_id, tests FROM open_items ORDER BY patient_id, event_id")
    # the cache is what a fresh computation gives: refresh every patient and compare
    with store.transaction():
        store._write("UPDATE patients SET plan_key = NULL")
    store.close()
    assert cli(pg_url, "due", "--today", "2024-03-01").exit_code == 0
    store = Store.open(pg_url)
    assert store._read("SELECT patient_id, event_id, tests FROM open_items ORDER BY patient_id, event_id") == cached
    store.close()


def test_connection_errors_are_one_line_naming_server_and_database_never_the_password(pg_cluster):
    for url, problem in [
        ("postgresql://nurse:s3cret@127.0.0.1:1/clinic", "PostgreSQL server 127.0.0.1:1, database 'clinic': server"),
        (pg_cluster.url("missing"), "database 'missing': the database does not exist"),
        (pg_cluster.url(user="nosuchrole"), "authentication failed"),
    ]:
        result = cli(url, "due")
        assert result.exit_code == 2, result.stdout
        assert len(result.stderr.splitlines()) == 1 and problem in result.stderr, result.stderr
        assert "s3cret" not in result.stderr


def test_a_read_only_role_reports_but_cannot_write(pg_cluster, pg_url):
    assert cli(pg_url, "add", "a", "--course1", "2024-01-10").exit_code == 0
    schema = pg_url.rsplit("%3D", 1)[1]
    pg_cluster.admin(
        f"DO $$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'reporting') THEN "
        f"CREATE ROLE reporting LOGIN; END IF; END $$; "
        f"GRANT USAGE ON SCHEMA {schema} TO reporting; GRANT SELECT ON ALL TABLES IN SCHEMA {schema} TO reporting",
        "msmonitor",
    )
    reader = pg_url.replace("postgres@", "reporting@")
    for args in (("due", "--today", "2024-03-01"), ("status", "a"), ("patients",), ("export",)):
        result = cli(reader, *args)
        assert result.exit_code == 0, (args, result.stderr)
    result = cli(reader, "done", "a", "2024-02-14")
    assert result.exit_code == 2 and "permission denied" in result.stderr and "nothing was changed" in result.stderr


def test_the_store_rows_round_trip(pg_url):
    store = Store.open(pg_url)
    with store.transaction():
        pid = store.insert_patient(
            Patient(0, "Ünï", None, "us", "n", True, False, (CourseRow(1, date(2024, 1, 10), (date(2024, 1, 10),)),)),
            datetime(2024, 1, 1),
        )
    assert store.patient("Ünï").courses[0].days == (date(2024, 1, 10),)
    assert store.same_label("üNï") is None  # SQLite's NOCASE folds ASCII letters only, and so does this
    assert store.same_label("üNÏ".lower().replace("ü", "Ü").replace("ï", "ï")) == "Ünï"
    with pytest.raises(DatabaseError):
        Store.open(pg_url.replace("search_path%3D", "search_path%3Dnowhere_"), create=False)
    store.close()
    assert pid == 1
