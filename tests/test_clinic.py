"""An MS nurse's clinic: managing patients, tracking start, idempotent records,
forgiving imports and the due list (the use cases, below the CLI)."""

import json
from datetime import UTC, date, datetime

import pytest

from msmonitor.errors import InputError, MsmonitorError
from msmonitor.labels import did_you_mean, label_concern
from msmonitor.model import PlanOptions
from msmonitor.patients import (
    SKIP,
    UPDATE,
    DueFilter,
    Protocols,
    add_patients,
    by_patient,
    default_tracking_from,
    due,
    due_tests,
    edit_patient,
    export_backup,
    import_backup,
    import_patients,
    new_patient,
    parse_patients_csv,
    record_done,
    remove_patients,
    rename_patient,
    status,
    undo_done,
)
from msmonitor.schedule import PlanRequest
from msmonitor.store import Store
from msmonitor.tracking import DONE, DUE, MISSED, NOT_TRACKED, OVERDUE, UPCOMING, summary

NOW = datetime(2024, 6, 1, 9, 0, tzinfo=UTC)
P = Protocols()


@pytest.fixture
def store(ledger):
    """An open database, once on each backend (conftest.ledger)."""
    s = Store.open(ledger)
    yield s
    s.close()


def save(store, label="jd", course1=date(2024, 1, 10), tracking_from=None, sex="female", protocol="us"):
    patient = new_patient(label, PlanRequest(course1, options=PlanOptions(sex=sex)), protocol, "", tracking_from)
    add_patients(store, [patient], NOW, P)


# ------------------------------------------------------------------ labels


@pytest.mark.parametrize(
    "label, concern",
    [
        ("Jane Doe", "name"),
        ("J. Smith", "name"),
        ("Mary-Ann O'Neil", "name"),
        ("jane.doe@example.org", "e-mail"),
        ("2024-01-10", "date"),
        ("jd", None),
        ("P030", None),
        ("Ward A", None),
        ("AB 12", None),
    ],
)
def test_label_concerns(label, concern):
    found = label_concern(label)
    assert (found is None) if concern is None else (concern in found)


def test_did_you_mean_names_the_nearest_label():
    assert did_you_mean("P03O", ["P030", "Q999"]) == "; did you mean 'P030'?"
    assert did_you_mean("zzzz", ["P030"]) == ""


def test_labels_match_case_insensitively_when_unambiguous(store):
    save(store, "P030")
    assert store.patient("p030").label == "P030"
    with pytest.raises(InputError, match=r"no patient 'P03O' in .*; did you mean 'P030'\?"):
        store.patient("P03O")
    # labels differing only in case, as a database from before could hold
    save(store, "x1")
    store.con.execute("UPDATE patients SET label = 'p030' WHERE label = 'x1'")
    assert store.patient("p030").label == "p030"  # the exact one wins
    save(store, "Ab")
    save(store, "x2")
    store.con.execute("UPDATE patients SET label = 'aB' WHERE label = 'x2'")
    with pytest.raises(InputError, match="no patient 'ab'; labels differing only in case: 'Ab', 'aB'"):
        store.patient("ab")


# ------------------------------------------------------------------ remove, rename, edit


def test_remove_takes_courses_and_records_in_one_transaction(store):
    save(store, "a")
    save(store, "b")
    record_done(store, "a", date(2024, 2, 14), None, NOW, P)
    removed = remove_patients(store, ["A"])
    assert [(r.label, r.courses, r.records) for r in removed] == [("a", 1, 4)]
    assert store.labels() == ["b"]
    assert store._read("SELECT count(*) FROM records")[0][0] == 0
    assert store._read("SELECT count(*) FROM open_items WHERE patient_id NOT IN (SELECT id FROM patients)")[0][0] == 0
    with pytest.raises(InputError, match="no patient 'zz'"):
        remove_patients(store, ["b", "zz"])  # all or nothing
    assert store.labels() == ["b"]


def test_rename_keeps_everything_and_refuses_a_taken_label(store):
    save(store, "Jane Doe")
    save(store, "p2")
    record_done(store, "Jane Doe", date(2024, 2, 14), None, NOW, P)
    assert rename_patient(store, "jane doe", "P001") == ("Jane Doe", "P001")
    assert len(store.records(store.patient("P001").id)) == 4
    with pytest.raises(InputError, match="patient 'p2' exists already"):
        rename_patient(store, "P001", "p2")
    with pytest.raises(InputError, match="patient label"):
        rename_patient(store, "P001", " padded")


def test_edit_changes_fields_and_recomputes(store):
    save(store, "a", sex=None)
    patient, plan = edit_patient(store, "a", P, sex="male", notes="moved", protocol="eu")
    assert (patient.sex, patient.notes, patient.protocol) == ("male", "moved", "eu")
    assert plan.protocol.id == "eu" and store.patient("a").sex == "male"
    with pytest.raises(InputError, match="nothing to change"):
        edit_patient(store, "a", P)
    with pytest.raises(MsmonitorError, match="unknown protocol"):
        edit_patient(store, "a", P, protocol="uk")
    assert store.patient("a").protocol == "eu"  # the failed edit changed nothing


# ------------------------------------------------------------------ tracking start


def test_default_tracking_start():
    assert default_tracking_from(date(2022, 1, 10), date(2024, 6, 1)) == date(2024, 6, 1)  # mid-programme
    assert default_tracking_from(date(2024, 7, 1), date(2024, 6, 1)) is None  # added before course 1


def test_items_before_tracking_start_are_not_tracked_never_missed(store):
    save(store, "mid", date(2022, 1, 10), tracking_from=date(2024, 5, 20))
    record_done(store, "mid", date(2024, 1, 12), ["cbc-diff"], NOW, P)  # a record before the start still counts
    _, tracking = status(store, "mid", date(2024, 6, 1), P)
    states = {(t.scheduled.event_id, t.scheduled.test): t.status for t in tracking.tests}
    assert MISSED not in states.values()
    assert states[("labs/m1", "cbc-diff")] == NOT_TRACKED
    assert states[("labs/m24", "cbc-diff")] == DONE
    assert states[("labs/m24", "creatinine")] == NOT_TRACKED
    assert states[("labs/m29", "cbc-diff")] == UPCOMING
    counts = summary(tracking, date(2024, 6, 1))
    assert counts["tests"][NOT_TRACKED] > 100 and counts["tests"][MISSED] == 0
    assert all(v["missed"] == 0 for v in counts["adherence"].values())
    rows = due(store, date(2024, 6, 20), 7, P)
    assert rows and all(r.scheduled.date >= date(2024, 5, 20) for r in rows)
    assert {r.status for r in rows} <= {OVERDUE, DUE, UPCOMING}


def test_tracked_from_the_start_lists_missed_items(store):
    save(store, "old", date(2022, 1, 10))
    assert any(r.status == MISSED for r in due(store, date(2024, 6, 1), 7, P))


def test_edit_tracking_start_refreshes_the_due_list(store):
    save(store, "old", date(2022, 1, 10))
    edit_patient(store, "old", P, tracking_from=date(2024, 6, 1))
    assert not any(r.status == MISSED for r in due(store, date(2024, 6, 1), 7, P))
    edit_patient(store, "old", P, tracking_from=None)
    assert any(r.status == MISSED for r in due(store, date(2024, 6, 1), 7, P))


# ------------------------------------------------------------------ done


def test_done_refuses_a_future_date(store):
    save(store)
    with pytest.raises(InputError, match="2024-06-02 is after today"):
        record_done(store, "jd", date(2024, 6, 2), None, NOW, P)


def test_done_twice_the_same_day_records_once(store):
    save(store)
    first = record_done(store, "jd", date(2024, 2, 14), None, NOW, P)
    again = record_done(store, "jd", date(2024, 2, 14), ["CBC-DIFF", "tsh"], NOW, P)
    assert again.already == ("cbc-diff",) and again.tests == ["tsh"]
    assert len(store.records(store.patient("jd").id)) == len(first.tests) + 1


def test_done_test_ids_ignore_case_and_suggest(store):
    save(store)
    assert record_done(store, "jd", date(2024, 2, 14), ["TSH"], NOW, P).tests == ["tsh"]
    with pytest.raises(InputError, match=r"'cbc' is not a test id of protocol 'us'; did you mean 'cbc-diff'\?"):
        record_done(store, "jd", date(2024, 2, 14), ["cbc"], NOW, P)
    assert undo_done(store, "jd", date(2024, 2, 14), ["Tsh"], P) == 1


# ------------------------------------------------------------------ import

HEADER = "label,course1,course2,courses,sex,protocol,single_course,notes\n"


def test_csv_with_semicolons_and_any_case():
    text = "Label;Course1;Sex;Single Course;Protocol\nP1;2024-01-10;F;No;US\nP2;2023-01-10;m;;eu\n"
    rows = parse_patients_csv(text, "p.csv", P, NOW.date())
    assert [(r.patient.label, r.patient.sex, r.patient.protocol) for r in rows] == [
        ("P1", "female", "us"),
        ("P2", "male", "eu"),
    ]
    assert rows[0].patient.tracking_from == NOW.date() and not rows[0].tracking_given  # course 1 in the past


def test_csv_reports_every_bad_row_up_to_a_limit():
    bad = "".join(f"p{i},2024-13-{i:02},,,,,,\n" for i in range(1, 26))
    with pytest.raises(InputError) as excinfo:
        parse_patients_csv(
            HEADER + "ok,2024-01-10,,,,,,\n" + "x,2024-01-10,,,Other,,,\nJane Doe,2024-01-10,,,,,,\n" + bad, "p.csv", P
        )
    lines = str(excinfo.value).splitlines()
    assert lines[0] == "p.csv: line 3: sex 'Other' is not female or male (F or M)"
    assert lines[1].startswith("p.csv: line 4: label 'Jane Doe' looks like a person's name")
    assert lines[2].startswith("p.csv: line 5: course1:")
    assert lines[-2] == "p.csv: ... and 7 more bad rows"
    assert lines[-1] == "p.csv: 27 bad rows; nothing was imported"
    assert parse_patients_csv(HEADER + "Jane Doe,2024-01-10,,,,,,\n", "p.csv", P, allow_names=True)


def test_tracking_from_column():
    rows = parse_patients_csv(
        "label,course1,tracking_from\na,2022-01-10,2024-05-01\nb,2022-01-10,start\nc,2022-01-10,\n",
        "p.csv",
        P,
        NOW.date(),
    )
    assert [(r.patient.tracking_from, r.tracking_given) for r in rows] == [
        (date(2024, 5, 1), True),
        (None, True),
        (NOW.date(), False),
    ]


def test_existing_labels_are_refused_skipped_or_updated(store):
    save(store, "a", tracking_from=date(2024, 3, 1))
    record_done(store, "a", date(2024, 2, 14), None, NOW, P)
    rows = parse_patients_csv(
        HEADER + "A,2024-01-12,,,male,eu,,new notes\nb,2024-01-10,,,,,,\n", "p.csv", P, NOW.date()
    )
    with pytest.raises(InputError, match=r"1 of 2 patients exist already \('A'\): give --skip-existing"):
        import_patients(store, rows, NOW, P)
    assert store.labels() == ["a"]
    skipped = import_patients(store, rows, NOW, P, existing=SKIP)
    assert (skipped.added, skipped.skipped) == (["b"], ["a"]) and store.patient("a").sex == "female"
    updated = import_patients(store, rows[:1], NOW, P, existing=UPDATE)
    a = store.patient("a")
    assert updated.updated == ["a"]
    assert (a.label, a.sex, a.protocol, a.notes, a.courses[0].start) == (
        "a",
        "male",
        "eu",
        "new notes",
        date(2024, 1, 12),
    )
    assert a.tracking_from == date(2024, 3, 1)  # not in the file: kept
    assert len(store.records(a.id)) == 4  # records kept


def test_backup_restores_into_a_database_with_other_patients(tmp_path, store):
    save(store, "a", tracking_from=date(2024, 2, 1))
    record_done(store, "a", date(2024, 2, 14), None, NOW, P)
    backup = export_backup(store, NOW)
    assert backup["schema"] == "msmonitor.backup/2" and backup["patients"][0]["tracking_from"] == "2024-02-01"
    other = Store.open(tmp_path / "other.db")
    save(other, "z")
    assert import_backup(other, json.loads(json.dumps(backup)), "b.json", NOW, P) == 1
    assert other.labels() == ["a", "z"] and other.patient("a").tracking_from == date(2024, 2, 1)
    assert import_backup(other, backup, "b.json", NOW, P, existing=UPDATE) == 1
    assert len(other.records(other.patient("a").id)) == 4  # the backup's records are not doubled
    old = dict(backup, schema="msmonitor.backup/1")
    old["patients"] = [{k: v for k, v in backup["patients"][0].items() if k != "tracking_from"} | {"label": "c"}]
    assert import_backup(other, old, "old.json", NOW, P) == 1 and other.patient("c").tracking_from is None
    other.close()


# ------------------------------------------------------------------ the due list


def test_due_order_filters_and_by_patient(store):
    save(store, "a", date(2024, 1, 10))
    save(store, "b", date(2024, 1, 20))
    save(store, "c", date(2024, 2, 1))
    today = date(2024, 5, 20)
    rows = due(store, today, 7, P)
    order = [OVERDUE, DUE, MISSED, UPCOMING]
    assert [r.status for r in rows] == sorted((r.status for r in rows), key=order.index)
    overdue = [r for r in rows if r.status == OVERDUE]
    assert [r.scheduled.latest for r in overdue] == sorted(
        r.scheduled.latest for r in overdue
    )  # nearest to missed first
    only = DueFilter(statuses=frozenset({MISSED}), patient="B", kinds=frozenset({"labs"}))
    picked = due(store, today, 7, P, only=only)
    assert picked and {(r.label, r.status, r.scheduled.kind) for r in picked} == {("b", MISSED, "labs")}
    lines = by_patient(due_tests(store, today, 7, P))
    assert [p.label for p in lines] == sorted({r.label for r in rows}, key=[p.label for p in lines].index)
    assert len(lines) == len({r.label for r in rows})
    first = lines[0]
    assert first.status in (OVERDUE, DUE) or all(p.status in (MISSED, UPCOMING) for p in lines)
    with pytest.raises(InputError, match="no patient 'q'"):
        due(store, today, 7, P, only=DueFilter(patient="q"))


# ------------------------------------------------------------------ due renderers


def _view(store, today=date(2024, 5, 20)):
    from msmonitor.render.due import DueView

    listed = due_tests(store, today, 7, P)
    return DueView(listed, by_patient(listed), today, 7, {"status": "", "patient": "", "kind": ""})


def test_due_csv_numbers_stay_numbers_and_text_stays_formula_safe(store):
    from msmonitor.render.due import render_due_csv

    save(store, "=cmd|A0", date(2024, 1, 10))
    save(store, "b", date(2024, 1, 20))
    text = render_due_csv(_view(store))
    rows = [line.split(",") for line in text.splitlines()[1:]]
    assert any(r[0] == "'=cmd|A0" for r in rows) and not any(r[0] == "=cmd|A0" for r in rows)
    assert any(r[3].startswith("-") for r in rows)  # upcoming: days until, a plain negative number
    assert all(r[3].lstrip("-").isdigit() for r in rows)
    by_patient_csv = render_due_csv(_view(store), by_patient=True).splitlines()
    assert by_patient_csv[0] == "patient,status,since,days,what,tests,items" and len(by_patient_csv) == 3


def test_due_text_colours_by_severity_never_green(store):
    from msmonitor.render.due import render_due_text

    save(store, "a", date(2024, 1, 10))
    save(store, "b", date(2024, 1, 20))
    text = render_due_text(_view(store), color=True, width=100)
    overdue = next(line for line in text.splitlines() if " overdue " in line)
    missed = next(line for line in text.splitlines() if " missed " in line)
    assert overdue.startswith("\x1b[1;33m") and missed.startswith("\x1b[1;31m")
    assert "\x1b[1;32m" not in text and "\x1b[32m" not in text
    assert text.index(" overdue ") < text.index(" missed ")


def test_due_html_and_markdown(store):
    from msmonitor.render.checklist import _CSS
    from msmonitor.render.due import render_due_html, render_due_markdown

    save(store, "<b>x", date(2024, 1, 10))
    html = render_due_html(_view(store))
    assert _CSS in html and "&lt;b&gt;x" in html and "<b>x" not in html
    assert '<tr class="state-overdue">' in html and '<tr class="state-missed">' in html
    assert html.index('<tr class="state-overdue">') < html.index('<tr class="state-missed">')
    markdown = render_due_markdown(_view(store), by_patient=True)
    assert "| Patient | Worst | Since | When | What |" in markdown and "\\<b\\>x" in markdown


def test_status_text_folds_what_came_before_tracking_into_one_line(store):
    from msmonitor.render.status import render_status_text

    save(store, "mid", date(2022, 1, 10), tracking_from=date(2024, 5, 20))
    plan, tracking = status(store, "mid", date(2024, 6, 1), P)
    text = render_status_text(plan, tracking, date(2024, 6, 1))
    assert "Tracked from 2024-05-20" in text and "not tracked." in text  # the counts line
    folded = [line for line in text.splitlines() if line.endswith("not tracked")]
    assert len(folded) == 1 and " events until 2024-0" in folded[0]


def test_labels_differing_only_in_case_are_not_created(store):
    save(store, "P030")
    with pytest.raises(InputError, match=r"patient 'P030' exists already \(labels are matched ignoring case\)"):
        save(store, "p030")
    save(store, "P031")
    with pytest.raises(InputError, match="patient 'P031' exists already"):
        rename_patient(store, "P030", "p031")
    assert rename_patient(store, "P030", "p030") == ("P030", "p030")  # its own label, in another case


def test_did_you_mean_sees_look_alike_characters():
    labels = [f"P{i:03}" for i in range(1, 40)]
    assert did_you_mean("P0O1", labels) == "; did you mean 'P001'?"
    assert did_you_mean("p0l7", labels) == "; did you mean 'P017'?"


def test_by_patient_names_each_event_with_its_tests():
    from msmonitor.patients import DueTests
    from msmonitor.store import OpenItemRow

    def entry(event_id, title, tests, day):
        event = OpenItemRow(event_id, "labs", title, day, day, None, "year-1", tests, day)
        return DueTests("a", event, UPCOMING, -3, tests)

    day = date(2024, 6, 3)
    listed = [entry("labs/m5", "Labs", (("cbc-diff", 14),), day), entry("skin", "Skin", (("skin-exam", 14),), day)]
    listed.append(entry("labs/m5b", "Labs", (("tsh", 14),), day))
    (line,) = by_patient(listed)
    assert line.details == ("Labs: cbc-diff, tsh", "Skin: skin-exam")
    assert (line.what, line.tests, line.items) == (["Labs", "Skin"], ["cbc-diff", "skin-exam", "tsh"], 3)
