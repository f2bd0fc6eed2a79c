"""`due` from the cache (open items clustered by due date) equals the
straightforward answer: every patient's plan tracked from scratch. And the
schema-5 migration keeps existing open items."""

import json
import sqlite3
from datetime import UTC, date, datetime, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from msmonitor.model import PlanOptions
from msmonitor.patients import (
    DUE_ORDER,
    DueFilter,
    Incoming,
    Protocols,
    due,
    import_patients,
    new_patient,
    plan_of,
)
from msmonitor.render.due import DueView, due_record, render_due_json, render_due_text
from msmonitor.render.text import json_safe
from msmonitor.schedule import PlanRequest
from msmonitor.store import MIGRATIONS, SCHEMA_VERSION, Store, _statements
from msmonitor.tracking import MISSED, OVERDUE, UPCOMING, Record, scheduled_tests, track

NOW = datetime(2026, 11, 21, 9, 0, tzinfo=UTC)
P = Protocols()


def straightforward_due(patients, today, within):
    rows = []
    for patient, records in patients:
        plan = plan_of(patient, P)
        recs = [Record(n, t, d, note) for n, (t, d, note) in enumerate(records)]
        for t in track(plan, recs, today, patient.tracking_from).tests:
            s = t.scheduled
            if t.record is not None or t.status not in DUE_ORDER:
                continue
            if t.status == MISSED and s.latest < today - timedelta(days=30):
                continue
            if t.status == UPCOMING and s.date > today + timedelta(days=within):
                continue
            rows.append((patient.label, s, t.status, (today - s.date).days))
    rank = {s: n for n, s in enumerate(DUE_ORDER)}

    def order(r):
        label, s, status, _ = r
        when = {OVERDUE: s.latest.toordinal(), MISSED: -s.latest.toordinal()}.get(status, s.date.toordinal())
        return (rank[status], when, label, s.event_id)

    return sorted(rows, key=order)


@st.composite
def clinics(draw):
    patients = []
    for n in range(draw(st.integers(min_value=1, max_value=4))):
        c1 = date(2020, 1, 1) + timedelta(days=draw(st.integers(0, 2500)))
        c2 = c1 + timedelta(days=draw(st.integers(300, 500))) if draw(st.booleans()) else None
        sex = draw(st.sampled_from([None, "female", "male"]))
        tracking = c1 + timedelta(days=draw(st.integers(-30, 900))) if draw(st.booleans()) else None
        patient = new_patient(
            f"p{n}",
            PlanRequest(c1, c2, options=PlanOptions(sex=sex)),
            draw(st.sampled_from(["us", "eu"])),
            "",
            tracking,
        )
        plan = plan_of(patient, P)
        tests = scheduled_tests(plan)
        records = []
        for _ in range(draw(st.integers(0, 40))):
            s = draw(st.sampled_from(tests))
            records.append((s.test, s.date + timedelta(days=draw(st.integers(-20, 20))), ""))
        patients.append((patient, records))
    today = date(2020, 1, 1) + timedelta(days=draw(st.integers(0, 4000)))
    return patients, today, draw(st.sampled_from([0, 7, 30, 90]))


# a database per example: a third of the profile's examples (thousands in ci)
@settings(max_examples=max(20, settings.default.max_examples // 3))
@given(clinics())
def test_due_rows_equal_the_straightforward_code(tmp_path_factory, clinic):
    patients, today, within = clinic
    store = Store.open(tmp_path_factory.mktemp("due") / "c.db")
    import_patients(store, [Incoming(p, f"p[{n}]", True, tuple(r)) for n, (p, r) in enumerate(patients)], NOW, P)
    got = [(r.label, r.scheduled, r.status, r.days) for r in due(store, today, within, P)]
    store.close()
    assert got == straightforward_due(patients, today, within)


def test_migration_to_5_keeps_open_items_and_clusters_them_by_date(tmp_path):
    path = tmp_path / "v4.db"
    con = sqlite3.connect(path)
    for version in range(1, 5):
        for statement in _statements(MIGRATIONS[version]):
            con.execute(statement)
    con.execute("PRAGMA application_id = 1297304910")
    con.execute("PRAGMA user_version = 4")
    con.execute("INSERT INTO patients (label, protocol, created_at) VALUES ('a', 'us', 'x')")
    con.execute(
        "INSERT INTO open_items VALUES (1, 'labs/m2', 'labs', 'Labs', '2024-03-10', '2024-03-10', 2, 'year-1',"
        " '[[\"cbc-diff\",14]]', '2024-03-24')"
    )
    con.commit()
    con.close()
    store = Store.open(path)
    assert store.schema_version() == SCHEMA_VERSION >= 5
    assert [r.event_id for _, r in store.open_items(date(2024, 3, 1), date(2024, 3, 31))] == ["labs/m2"]
    plan = store._read(
        "EXPLAIN QUERY PLAN SELECT p.label, i.event_id FROM open_items i JOIN patients p ON p.id = i.patient_id"
        " WHERE i.due <= '2024-03-31' AND i.reach >= '2024-03-01'"
    )
    assert "USING PRIMARY KEY (due<?)" in plan[0][3]
    store.close()


def test_large_json_is_one_line_off_a_terminal_and_indented_on_one(tmp_path, monkeypatch):
    import json as jsonlib
    import sys

    from typer.testing import CliRunner

    from msmonitor.cli import app
    from msmonitor.cli.output import json_indent

    db = str(tmp_path / "c.db")
    runner = CliRunner()
    assert runner.invoke(app, ["add", "jd", "--course1", "2024-01-10", "--sex", "female", "--db", db]).exit_code == 0
    for args in (["due", "--format", "json"], ["status", "jd", "--format", "json"], ["export"]):
        result = runner.invoke(
            app, [*args, "--today", "2024-03-01", "--db", db] if args[0] != "export" else [*args, "--db", db]
        )
        assert result.exit_code == 0, result.output
        assert result.stdout.count("\n") == 1 and jsonlib.loads(result.stdout)
    monkeypatch.setattr(sys.stdout, "isatty", lambda: True, raising=False)
    assert json_indent(None) == 2 and json_indent("-") == 2
    assert json_indent("out.json") is None


# ------------------------------------------------------------------ due_tests and by_patient against the first code


@st.composite
def open_items(draw):
    """Patients with arbitrary open items: windows, tolerances that differ
    within one event (tests that part: one overdue, another missed), labels
    that sort in any order."""
    from msmonitor.store import OpenItemRow

    patients = []
    # labels are printable (check_label), but may hold bidi controls, C1 and wide text
    letters = st.sampled_from("aBz0-_ \u202e\x9b\xa0é語")
    labels = draw(
        st.lists(
            st.text(letters, min_size=1, max_size=24).filter(lambda t: t == t.strip()) | st.just("p" * 22),
            min_size=1,
            max_size=4,
            unique_by=str.lower,
        )
    )
    for label in labels:
        rows = []
        for n in range(draw(st.integers(0, 6))):
            due_day = date(2024, 1, 1) + timedelta(days=draw(st.integers(-400, 120)))
            # a long window: listed long after it opened (store.MIGRATIONS[7]), and
            # so late that 'when' ('1003 d late') overflows its column
            last = due_day + timedelta(days=draw(st.sampled_from([0, 0, 3, 30, 400, 1000])))
            names = draw(st.lists(st.sampled_from(["cbc-diff", "tsh", "liver", "urinalysis"]), min_size=1, unique=True))
            tests = tuple((name, draw(st.sampled_from([0, 7, 14, 30]))) for name in names)
            kind = draw(st.sampled_from(["labs", "exam"]))
            reach = last + timedelta(days=max(t for _, t in tests))
            month = n or None
            # text that JSON must carry exactly (the store reads an item as one JSON array)
            title = draw(
                st.sampled_from(
                    ["Labs", "Skin exam", "Monthly blood and urine tests", "Yearly x\u202e", 'Q "1" \\ \x1f \U0001f600']
                )
            )
            phase = draw(st.sampled_from(["year-1", "", "ph\u00e4se, 2"]))
            rows.append(OpenItemRow(f"e{n}", kind, title, due_day, last, month, phase, tests, reach))
        patients.append((label, rows))
    today = date(2024, 1, 1) + timedelta(days=draw(st.integers(-10, 170)))
    statuses = draw(st.sets(st.sampled_from(DUE_ORDER), min_size=1))
    kinds = draw(st.none() | st.sets(st.sampled_from(["labs", "exam"]), min_size=1).map(frozenset))
    patient = draw(st.none() | st.sampled_from(labels))
    return patients, today, draw(st.sampled_from([0, 7, 30])), DueFilter(frozenset(statuses), patient, kinds)


@settings(max_examples=max(20, settings.default.max_examples // 3))
@given(open_items())
def test_due_tests_and_by_patient_equal_the_first_code(tmp_path_factory, case):
    from msmonitor.patients import by_patient, due_tests, engine_key

    from . import reference

    patients, today, within, only = case
    store = Store.open(tmp_path_factory.mktemp("due") / "c.db")
    key = engine_key(P("us"))
    with store.transaction():
        for label, rows in patients:
            pid = store.insert_patient(new_patient(label, PlanRequest(date(2023, 1, 2)), "us"), NOW)
            store.write_open_items(pid, key, rows)
    listed = due_tests(store, today, within, P, only=only)
    expected = reference.due(store, today, within, P, only)
    # read as JSON arrays, or as columns where SQLite has no JSON functions: the same items
    window = (today - timedelta(days=30), today + timedelta(days=within))
    as_json = store.open_items(*window)
    store._has_json = False
    assert store.open_items(*window) == as_json
    store.close()
    assert [row for entry in listed for row in entry.rows()] == expected
    assert by_patient(listed) == reference.by_patient(expected)
    assert all(entry.tests for entry in listed)
    # and every view of them, as first written
    view = DueView(listed, lambda: by_patient(listed), today, within, {"patient": only.patient})
    for width, color, per_patient in ((80, False, False), (100, True, False), (60, False, True)):
        assert render_due_text(view, by_patient=per_patient, width=width, color=color) == reference.render_due_text(
            view, by_patient=per_patient, width=width, color=color
        )
    assert render_due_json(view, indent=None) == json_safe(json.dumps(due_record(view), ensure_ascii=False)) + "\n"


def test_migration_to_7_notes_the_longest_open_item_and_due_reads_from_it(tmp_path):
    path = tmp_path / "v6.db"
    con = sqlite3.connect(path)
    for version in range(1, 7):
        for statement in _statements(MIGRATIONS[version]):
            con.execute(statement)
    con.execute("PRAGMA application_id = 1297304910")
    con.execute("PRAGMA user_version = 6")
    con.execute("INSERT INTO patients (label, protocol, created_at) VALUES ('a', 'us', 'x')")
    for event, due_day, reach in (("labs/m2", "2024-03-10", "2024-03-24"), ("long", "2023-01-02", "2024-04-30")):
        con.execute(
            "INSERT INTO open_items VALUES (1, ?, 'labs', 'Labs', ?, ?, 2, 'year-1', '[[\"cbc-diff\",14]]', ?)",
            (event, due_day, reach, reach),
        )
    con.commit()
    con.close()
    store = Store.open(path)
    assert store.schema_version() == SCHEMA_VERSION >= 7
    assert store._read("SELECT days FROM open_items_span") == [(484,)]
    assert [r.event_id for _, r in store.open_items(date(2024, 4, 1), date(2024, 4, 30))] == ["long"]
    with store.transaction():
        store.widen_span(10)  # never lowered
    assert store._read("SELECT days FROM open_items_span") == [(484,)]
    store.close()


def test_due_runs_without_the_cycle_collector_and_turns_it_back_on(tmp_path, monkeypatch):
    import gc

    from typer.testing import CliRunner

    from msmonitor.cli import app
    from msmonitor.render import due as views

    db = str(tmp_path / "c.db")
    runner = CliRunner()
    added = runner.invoke(app, ["add", "jd", "--course1", "2024-01-10", "--tracking-from", "start", "--db", db])
    assert added.exit_code == 0, added.output
    seen = []
    render = views.render_due_text
    monkeypatch.setattr(views, "render_due_text", lambda *a, **k: seen.append(gc.isenabled()) or render(*a, **k))
    result = runner.invoke(app, ["due", "--today", "2024-03-01", "--db", db])
    assert result.exit_code == 0 and "jd" in result.stdout
    assert seen == [False] and gc.isenabled()
    gc.disable()  # left off when it was off
    try:
        assert runner.invoke(app, ["due", "--today", "2024-03-01", "--db", db]).exit_code == 0
        assert not gc.isenabled()
    finally:
        gc.enable()
    # and on after a failure
    assert runner.invoke(app, ["due", "--today", "2024-03-01", "--db", str(tmp_path / "none.db")]).exit_code == 2
    assert gc.isenabled()


def test_due_checks_the_cached_items_in_one_pass_over_the_patients_and_refreshes_only_stale_ones(tmp_path):
    from msmonitor.patients import add_patients, due_tests

    store = Store.open(tmp_path / "c.db")
    people = [new_patient(f"p{n}", PlanRequest(date(2024, 1, 10)), "us" if n % 3 else "eu", "", None) for n in range(6)]
    add_patients(store, people, NOW, P)
    seen: list[str] = []
    store.con.set_trace_callback(seen.append)
    before = due_tests(store, date(2024, 3, 12), 7, P)
    assert sum("FROM patients" in sql and "JOIN" not in sql for sql in seen) == 1  # nothing stale: one pass
    assert any(e.label == "p1" for e in before)
    # one patient computed by an older msmonitor, another by a protocol this one cannot load
    with store.transaction():
        store._write("UPDATE patients SET plan_key = 'us:old' WHERE label = 'p1'")
        store._write("DELETE FROM open_items WHERE patient_id = (SELECT id FROM patients WHERE label = 'p1')")
        store._write("UPDATE patients SET protocol = 'gone', plan_key = 'gone:1' WHERE label = 'p5'")
    warnings: list[str] = []
    after = due_tests(store, date(2024, 3, 12), 7, P, warn=warnings.append)
    assert [w.split(":")[0] for w in warnings] == [
        "patients with protocol 'gone' are listed as last computed, not recomputed"
    ]
    # still listed, from the items computed before: a due list never silently drops a patient
    assert [e.event.event_id for e in after if e.label == "p5"] == [e.event.event_id for e in before if e.label == "p5"]
    assert any(e.label == "p5" for e in after)
    assert [e.event.event_id for e in after if e.label == "p1"] == [e.event.event_id for e in before if e.label == "p1"]
    assert store._read("SELECT DISTINCT plan_key FROM patients WHERE protocol = 'us'") != [("us:old",)]
    assert len(store._read("SELECT DISTINCT protocol, plan_key FROM patients")) == 3  # us, eu, gone: p1 refreshed
    store.close()


def test_due_on_the_screen_leaves_out_what_other_formats_and_messages_need(tmp_path):
    """The CSV and Markdown renderers are imported when used, not at every
    `due`'s start-up."""
    import subprocess
    import sys

    from typer.testing import CliRunner

    from msmonitor.cli import app

    db = str(tmp_path / "c.db")
    assert CliRunner().invoke(app, ["add", "jd", "--course1", "2024-01-10", "--db", db]).exit_code == 0
    script = (
        "import sys; sys.argv = ['msmonitor', 'due', '--today', '2024-03-01', '--db', sys.argv[1]]\n"
        "from msmonitor.cli import main\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        "print(sorted({'msmonitor.render.markdown', 'msmonitor.render.spreadsheet'} & set(sys.modules)))"
    )
    run = subprocess.run([sys.executable, "-c", script, db], capture_output=True, text=True)
    assert run.returncode == 0 and run.stdout.split("\n")[-2] == "[]", run.stderr


def test_due_reads_columns_from_an_sqlite_without_json_functions(tmp_path):
    import sqlite3 as sqlite

    db = tmp_path / "c.db"
    store = Store.open(db)
    with store.transaction():
        store.insert_patient(new_patient("jd", PlanRequest(date(2024, 1, 10)), "us", "", None), NOW)
    from msmonitor.patients import due_tests

    listed = due_tests(store, date(2024, 3, 12), 7, P)
    assert listed and store._has_json is True
    store.close()

    def missing(*args):
        raise sqlite.OperationalError("no such function: json_array")

    store = Store.open(db)
    store.con.create_function("json_array", -1, missing)  # as if this SQLite had none
    assert due_tests(store, date(2024, 3, 12), 7, P) == listed and store._has_json is False
    store.close()
