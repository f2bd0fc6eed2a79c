"""Streamed import: the JSON reader equals json.loads piece by piece, and
importing a file keeps all-or-nothing with bounded memory."""

import io
import json
import sqlite3
from datetime import UTC, date, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from msmonitor.errors import InputError
from msmonitor.files import open_text
from msmonitor.jsonstream import members
from msmonitor.patients import Protocols, export_backup, import_text, new_patient
from msmonitor.schedule import PlanRequest
from msmonitor.store import Store

NOW = datetime(2026, 11, 21, 9, 0, tzinfo=UTC)
P = Protocols()

scalars = st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text()
values = st.recursive(
    scalars, lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(), inner, max_size=4)
)


def collect(text, chunk, array="patients"):
    out, streamed = {}, {}
    for key, index, value in members(io.StringIO(text), "f.json", array, chunk=chunk):
        if index is None:
            out[key] = value
        else:
            streamed.setdefault(key, []).append(value)
            assert index == len(streamed[key]) - 1
    out.update(streamed)
    return out


@given(
    st.dictionaries(st.text(), values, max_size=5),
    st.lists(values, max_size=6),
    st.integers(min_value=1, max_value=64),
    st.sampled_from([None, 1, 2]),
)
def test_members_equal_json_loads_at_any_chunk_size(doc, patients, chunk, indent):
    doc = {**doc, "patients": patients}
    text = json.dumps(doc, indent=indent)
    assert collect(text, chunk) == json.loads(text)


@pytest.mark.parametrize(
    "text",
    [
        '{"patients": [1, 2,, 3]}',
        '{\n"a": 1,\n"patients": [\n{"x": 1}\n{"y": 2}]}',
        '{"patients": [1]} extra',
        '{"a" 1}',
        '{"patients": [1, 2',
        '{"a": tru}',
    ],
)
def test_invalid_json_is_one_line_with_json_loads_line_number(text):
    with pytest.raises(json.JSONDecodeError) as expected:
        json.loads(text)
    for chunk in (1, 3, 1 << 20):
        with pytest.raises(InputError) as got:
            collect(text, chunk)
        assert f"f.json: not valid JSON (line {expected.value.lineno}: " in str(got.value)


def test_not_an_object():
    with pytest.raises(InputError, match="not a JSON object"):
        collect("[1, 2]", 4)


def imp(store, path):
    with open_text(path) as handle:
        return import_text(store, handle, str(path), NOW, P)


def saved(tmp_path, name, *labels):
    store = Store.open(tmp_path / name)
    if labels:
        from msmonitor.patients import add_patients

        add_patients(store, [new_patient(label, PlanRequest(date(2024, 1, 10)), "us") for label in labels], NOW, P)
    return store


def test_import_file_restores_a_backup_exactly_and_leaves_no_scratch_file(tmp_path):
    store = saved(tmp_path, "a.db", "a", "b")
    from msmonitor.patients import record_done

    record_done(store, "a", date(2024, 2, 14), None, NOW, P, note="fasting")
    backup = export_backup(store, NOW)
    path = tmp_path / "backup.json"
    path.write_text(json.dumps(backup, indent=2))
    other = saved(tmp_path, "b.db")
    assert imp(other, path).added == ["a", "b"]
    assert export_backup(other, NOW) == backup
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.db", "b.db", "backup.json"]


@pytest.mark.parametrize("batch", [3, 50_000])
def test_an_import_keeps_the_indexes_whether_it_rebuilds_them_or_not(tmp_path, monkeypatch, batch):
    # into an empty database the indexes are dropped and built again after
    # the copy; into a larger one they are updated row by row: same schema,
    # same rows either way, and the unique index still refuses a duplicate.
    # The scratch file takes rows in batches (of 3 rows here: many batches).
    from msmonitor.store import Staging

    monkeypatch.setattr(Staging, "BATCH", batch)
    source = saved(tmp_path, "a.db", "a", "b")
    from msmonitor.patients import record_done

    record_done(source, "a", date(2024, 2, 14), None, NOW, P, note="fasting")
    backup = tmp_path / "backup.json"
    backup.write_text(json.dumps(export_backup(source, NOW)))
    schema = "SELECT type, name, tbl_name, sql FROM sqlite_master ORDER BY name"
    for name, labels in (("empty.db", ()), ("larger.db", ("x", "y", "z"))):
        store = saved(tmp_path, name, *labels)
        before = store.con.execute(schema).fetchall()
        imp(store, backup)
        assert store.con.execute(schema).fetchall() == before
        assert store.con.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        assert [p.label for p in store.patients()] == sorted([*labels, "a", "b"])
        restored = {p["label"]: p for p in export_backup(store, NOW)["patients"]}
        assert [restored[p["label"]] for p in json.loads(backup.read_text())["patients"]] == list(
            json.loads(backup.read_text())["patients"]
        )
        pid, event_id = store.con.execute("SELECT patient_id, event_id FROM open_items LIMIT 1").fetchone()
        with pytest.raises(sqlite3.IntegrityError, match=r"open_items\.patient_id, open_items\.event_id"):
            store.con.execute(
                "INSERT INTO open_items VALUES (?, ?, 'labs', 't', '1999-01-01', '1999-01-01', 1, 'p', '[]',"
                " '1999-01-01')",
                (pid, event_id),
            )


@pytest.mark.parametrize(
    "mutate, message",
    [
        (lambda b: b["patients"].append({**b["patients"][0], "label": "C"}), "1 of 3 patients exist already ('C')"),
        (lambda b: b["patients"][1]["courses"].clear(), "patients[1] (b): patient 'b' has no course 1"),
        (lambda b: b.update(schema="other/1"), "not a msmonitor backup"),
        (lambda b: b.pop("schema"), "not a msmonitor backup"),
        (lambda b: b.update(patients={}), "'patients' must be a list"),
    ],
)
def test_a_bad_entry_anywhere_writes_nothing(tmp_path, mutate, message):
    backup = export_backup(saved(tmp_path, "a.db", "a", "b"), NOW)
    mutate(backup)
    # the schema after the patients: it is checked at the end, before anything is saved
    backup = {k: backup[k] for k in sorted(backup, key=lambda k: k == "schema")}
    path = tmp_path / "backup.json"
    path.write_text(json.dumps(backup))
    other = saved(tmp_path, "b.db", "c")
    with pytest.raises(InputError) as excinfo:
        imp(other, path)
    assert message in str(excinfo.value) and len(str(excinfo.value).splitlines()) == 1
    assert [p.label for p in other.patients()] == ["c"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.db", "b.db", "backup.json"]


def test_a_label_taken_meanwhile_stops_the_final_write(tmp_path, monkeypatch):
    # another process saves 'b' while the file is being read: the final copy checks again
    store = saved(tmp_path, "a.db")
    path = tmp_path / "p.csv"
    path.write_text("label,course1\na,2024-01-10\nb,2024-02-10\n")
    monkeypatch.setattr(store, "labels", lambda: set())
    from msmonitor.patients import add_patients

    add_patients(store, [new_patient("b", PlanRequest(date(2024, 1, 10)), "us")], NOW, P)
    with pytest.raises(InputError, match="patient 'b' exists already"):
        imp(store, path)
    assert [p.label for p in store.patients()] == ["b"]


def test_csv_and_utf8_errors(tmp_path):
    store = saved(tmp_path, "a.db")
    path = tmp_path / "p.csv"
    path.write_bytes("\ufefflabel,course1\nä,2024-01-10\n".encode())
    assert imp(store, path).added == ["ä"]
    path.write_bytes(b"label,course1\nx,2024-01-10\n\xff\n")
    with pytest.raises(InputError, match="not UTF-8 text"):
        imp(store, path)
    with pytest.raises(InputError, match="no such file"):
        imp(store, tmp_path / "missing.csv")
    assert [p.label for p in store.patients()] == ["ä"]


def test_scratch_files_of_killed_imports_are_removed(tmp_path):
    store = saved(tmp_path, "a.db")
    abandoned = tmp_path / ".a.db.x1y2.import"
    abandoned.write_bytes(b"health data")
    path = tmp_path / "p.csv"
    path.write_text("label,course1\nq,2024-01-10\n")
    assert imp(store, path).added == ["q"]
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".a.db.")]


HOLD_STAGING = """
import sys, time
from msmonitor.store import Store
store = Store.open(sys.argv[1])
staging = store.staging()
print(staging.path, flush=True)
time.sleep(120)
"""


def holding_staging(db):
    """A process with an import's scratch database open (its import runs)."""
    import subprocess
    import sys
    from pathlib import Path

    proc = subprocess.Popen([sys.executable, "-c", HOLD_STAGING, str(db)], stdout=subprocess.PIPE, text=True)
    return proc, Path(proc.stdout.readline().strip())


@pytest.mark.skipif(__import__("os").name == "nt", reason="POSIX locks")
def test_a_killed_imports_scratch_file_goes_at_the_next_open_and_a_running_ones_stays(tmp_path):
    import os
    import signal

    saved(tmp_path, "a.db").close()
    running, kept = holding_staging(tmp_path / "a.db")
    killed, gone = holding_staging(tmp_path / "a.db")
    try:
        assert kept.exists() and gone.exists()
        os.kill(killed.pid, signal.SIGKILL)
        killed.wait()
        # an unlocked file whose name carries a live pid (pids are reused): no import holds it
        reused = tmp_path / f".a.db.{os.getppid()}.x3y4.import"
        reused.write_bytes(b"health data")
        Store.open(tmp_path / "a.db").close()  # any command, not only the next import
        assert kept.exists() and not gone.exists() and not reused.exists()
    finally:
        running.kill()
        running.wait()
    Store.open(tmp_path / "a.db").close()
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".a.db.")]


def clinic_backup(tmp_path, size=9):
    """A backup of ``size`` patients with records, some of them matched."""
    from msmonitor.patients import record_done

    store = saved(tmp_path, "source.db", *[f"p{n}" for n in range(size)])
    for n in range(0, size, 2):
        record_done(store, f"p{n}", date(2024, 2, 14 + n), None, NOW, P)
    data = export_backup(store, NOW)
    store.close()
    return data


def open_items_of(store):
    return store.con.execute("SELECT * FROM open_items ORDER BY patient_id, event_id").fetchall()


@pytest.fixture
def in_workers(monkeypatch):
    """Imports hand every patient to worker processes, two at a time."""
    from msmonitor import patients

    monkeypatch.setattr(patients, "IN_PROCESS", 0)
    monkeypatch.setattr(patients, "CHUNK", 2)
    monkeypatch.setattr(patients, "cores", lambda: 2)


def test_workers_save_what_one_process_saves(tmp_path, monkeypatch):
    data = clinic_backup(tmp_path)
    path = tmp_path / "backup.json"
    path.write_text(json.dumps(data))
    alone = saved(tmp_path, "alone.db")
    assert imp(alone, path).added == [f"p{n}" for n in range(9)]
    from msmonitor import patients, workers

    started = []

    class Counted(workers.Workers):
        def __init__(self, count):
            started.append(count)
            super().__init__(count)

    monkeypatch.setattr(patients, "Workers", Counted)
    monkeypatch.setattr(patients, "IN_PROCESS", 3)  # three here, the rest in workers
    monkeypatch.setattr(patients, "CHUNK", 2)
    monkeypatch.setattr(patients, "cores", lambda: 2)
    shared = saved(tmp_path, "shared.db")
    assert imp(shared, path).added == [f"p{n}" for n in range(9)]
    assert started == [2]
    assert export_backup(shared, NOW) == export_backup(alone, NOW) == data
    assert open_items_of(shared) == open_items_of(alone)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["alone.db", "backup.json", "shared.db", "source.db"]


@pytest.mark.parametrize("late_bad_json", [False, True])
def test_workers_report_the_first_bad_patient_and_write_nothing(tmp_path, in_workers, late_bad_json):
    # patient 3's plan fails in a worker; a later entry that is not even a
    # patient is read first, in this process: patient 3 is still the one named
    data = clinic_backup(tmp_path)
    data["patients"][3]["courses"][0]["start"] = "2024-02-01"
    data["patients"][3]["courses"].append({"number": 2, "start": "2024-01-01", "infusion_days": None})
    if late_bad_json:
        data["patients"][7] = "not a patient"
    path = tmp_path / "backup.json"
    path.write_text(json.dumps(data))
    store = saved(tmp_path, "target.db")
    with pytest.raises(InputError, match=r"^\S+: patients\[3\] \(p3\): course 2 \(2024-01-01\) is before course 1"):
        imp(store, path)
    assert store.patients() == []
    assert open_items_of(store) == []


@pytest.mark.parametrize("existing", ["skip", "update"])
def test_workers_skip_and_update_as_one_process_does(tmp_path, monkeypatch, existing):
    from msmonitor import patients

    data = clinic_backup(tmp_path)
    path = tmp_path / "backup.json"
    path.write_text(json.dumps(data))
    results = []
    for name, first in (("alone.db", 10**6), ("shared.db", 0)):
        monkeypatch.setattr(patients, "IN_PROCESS", first)
        monkeypatch.setattr(patients, "CHUNK", 2)
        monkeypatch.setattr(patients, "cores", lambda: 2)
        store = saved(tmp_path, name, "p1", "P4", "x")
        with open_text(path) as handle:
            result = import_text(store, handle, str(path), NOW, P, existing)
        results.append((result, export_backup(store, NOW)["patients"], open_items_of(store)))
    assert results[0] == results[1]
    assert results[0][0].added == [f"p{n}" for n in range(9) if n not in (1, 4)]


def test_without_worker_processes_an_import_computes_everything_itself(tmp_path, in_workers, monkeypatch):
    from msmonitor import patients

    def refused(count):
        raise OSError("Resource temporarily unavailable")

    monkeypatch.setattr(patients, "Workers", refused)
    data = clinic_backup(tmp_path, 4)
    path = tmp_path / "backup.json"
    path.write_text(json.dumps(data))
    store = saved(tmp_path, "target.db")
    assert imp(store, path).added == ["p0", "p1", "p2", "p3"]
    assert export_backup(store, NOW) == data


def test_staged_open_items_must_carry_the_patients_number():
    """Workers number a new patient's open items before the staging does:
    rows numbered for another patient would be saved as that patient's."""
    from msmonitor.store import _numbered

    assert _numbered(3, []) == 3
    assert _numbered(3, [(3, "e1"), (3, "e2")]) == 3
    with pytest.raises(RuntimeError):
        _numbered(3, [(2, "e1")])
    with pytest.raises(RuntimeError):
        _numbered(3, [(3, "e1"), (4, "e2")])


def test_import_runs_without_the_cycle_collector_and_restores_it(tmp_path, monkeypatch):
    import gc

    from typer.testing import CliRunner

    from msmonitor import patients
    from msmonitor.cli import app

    path = tmp_path / "backup.json"
    path.write_text(json.dumps(clinic_backup(tmp_path)))
    seen = []
    real = patients.import_text
    monkeypatch.setattr(patients, "import_text", lambda *a, **k: seen.append(gc.isenabled()) or real(*a, **k))
    runner = CliRunner()
    assert runner.invoke(app, ["import", str(path), "--db", str(tmp_path / "a.db")]).exit_code == 0
    assert seen == [False] and gc.isenabled()
    # and on again after a failure (the same labels exist now)
    assert runner.invoke(app, ["import", str(path), "--db", str(tmp_path / "a.db")]).exit_code == 2
    assert seen == [False, False] and gc.isenabled()


def test_the_final_copy_leaves_foreign_keys_checked_and_every_row_with_its_patient(tmp_path):
    """The copy skips SQLite's per-row foreign-key lookups; every row still
    names a patient that exists, and the database checks them again after,
    whether the import succeeded or stopped."""
    path = tmp_path / "backup.json"
    path.write_text(json.dumps(clinic_backup(tmp_path)))
    store = saved(tmp_path, "a.db", "x", "y")  # patients already there: the copy numbers after them
    imp(store, path)
    assert store.con.execute("PRAGMA foreign_keys").fetchone() == (1,)
    assert store.con.execute("PRAGMA foreign_key_check").fetchall() == []
    with pytest.raises(InputError, match="exist already"):
        imp(store, path)
    assert store.con.execute("PRAGMA foreign_keys").fetchone() == (1,)
    with pytest.raises(sqlite3.IntegrityError):  # checked again
        store.con.execute("INSERT INTO records (patient_id, test, done_on, recorded_at) VALUES (999, 't', 'd', 'r')")
