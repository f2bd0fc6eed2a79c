from pathlib import Path

import pytest

from msmonitor.errors import ProtocolError
from msmonitor.protocol import SHIPPED, load_protocol, parse_protocol_text

from .test_schedule import CUSTOM

# The stable test ids of protocol.md Part 1: used in JSON, CSV and the ledger.
STABLE_TEST_IDS = {
    "cbc-diff",
    "creatinine",
    "urinalysis",
    "liver",
    "tsh",
    "cmp",
    "urine-protein-creatinine",
    "skin-exam",
    "hpv-screen",
    "pregnancy-test",
    "vzv-antibodies",
    "tb-screen",
    "hepatitis-b",
    "hepatitis-c",
    "hiv",
}


@pytest.mark.parametrize("pid", SHIPPED)
def test_shipped_protocols_load_and_cite_every_rule(pid):
    p = load_protocol(pid)
    assert p.id == pid and p.version and p.title
    for rule in p.rules:
        assert rule.sources and all(s in p.sources for s in rule.sources)
    assert p.courses.first_course_days == 5 and p.courses.later_course_days == 3
    assert p.monitoring_months == 48


def test_shipped_test_ids_are_the_stable_ones():
    us, eu = load_protocol("us"), load_protocol("eu")
    assert set(us.tests) == STABLE_TEST_IDS | {"cd4"}
    assert set(eu.tests) == STABLE_TEST_IDS - {"cmp", "urine-protein-creatinine"} | {"platelet-count", "ecg"}


def test_unknown_protocol_name():
    with pytest.raises(ProtocolError, match="unknown protocol 'uk': use one of us, eu"):
        load_protocol("uk")


def test_missing_file(tmp_path):
    with pytest.raises(ProtocolError, match=r"protocol file .*: no such file"):
        load_protocol(str(tmp_path / "none.toml"))


def test_folder_instead_of_file(tmp_path):
    folder = tmp_path / "p.toml"
    folder.mkdir()
    with pytest.raises(ProtocolError, match="is a folder"):
        load_protocol(str(folder))


def test_user_file_loads(tmp_path):
    path = tmp_path / "mine.toml"
    path.write_text(CUSTOM)
    p = load_protocol(str(path))
    assert p.id == "custom" and p.origin == str(path)


@pytest.mark.parametrize(
    "change, message",
    [
        (('id = "custom"', 'id = "custom'), r"not valid TOML: .*line 3"),
        (
            ('schema = "msmonitor.protocol/1"', 'schema = "msmonitor.protocol/9"'),
            r"schema: 'msmonitor.protocol/9' is not a supported schema",
        ),
        (
            ("months_after_last_dose = 24", 'months_after_last_dose = "24"'),
            r"monitoring.months_after_last_dose: must be an integer",
        ),
        (
            ("months_after_last_dose = 24", "months_after_lastdose = 24"),
            r"monitoring.months_after_last_dose: is missing",
        ),
        (("every_months = 2", 'every_months = 2\ncolour = "red"'), r"rules\[0\] \(labs\): unknown key 'colour'"),
        (('tests = ["cbc-diff"]', 'tests = ["cbc"]'), r"rules\[0\] \(labs\).tests: test 'cbc' is not defined"),
        (('kind = "labs"', 'kind = "lab"'), r"rules\[0\] \(labs\).kind: 'lab' is not one of"),
        (('when = "grid"', 'when = "weekly"'), r"rules\[0\] \(labs\).when: 'weekly' is not one of"),
        (
            ("every_months = 2\ntests", "every_months = 0\ntests"),
            r"rules\[0\] \(labs\).every_months: grid rules need every_months >= 1",
        ),
        (('sources = ["X"]\n"""', 'sources = ["Y"]'), None),
    ],
)
def test_bad_files_name_the_file_and_key(change, message):
    old, new = change
    text = CUSTOM.replace(old, new, 1) if old in CUSTOM else CUSTOM
    if message is None:
        text = CUSTOM.rsplit('sources = ["X"]', 1)[0] + 'sources = ["Y"]\n'
        message = r"rules\[0\] \(labs\).sources: 'Y' is not defined under \[sources\]"
    assert text != CUSTOM
    with pytest.raises(ProtocolError, match=r"^protocol file 'mine.toml': " + message):
        parse_protocol_text(text, "mine.toml")


def test_once_rule_needs_a_date():
    text = (
        CUSTOM
        + """
[[rules]]
id = "x"
title = "X"
kind = "screening"
when = "once"
sources = ["X"]
"""
    )
    with pytest.raises(ProtocolError, match=r"rules\[1\] \(x\).at: needs at"):
        parse_protocol_text(text, "mine.toml")


def test_anchor_must_fit_the_rule():
    text = (
        CUSTOM
        + """
[[rules]]
id = "x"
title = "X"
kind = "screening"
when = "once"
at = { anchor = "course.first" }
sources = ["X"]
"""
    )
    with pytest.raises(ProtocolError, match=r"rules\[1\] \(x\).at.anchor: 'course.first' is not one of"):
        parse_protocol_text(text, "mine.toml")


def test_protocol_files_are_package_data():
    import msmonitor

    folder = Path(msmonitor.__file__).parent / "protocols"
    assert {p.stem for p in folder.glob("*.toml")} == set(SHIPPED)


def test_snapshot_matches_the_toml_files():
    from msmonitor.protocols.__main__ import render

    snapshot = Path(__file__).resolve().parents[1] / "msmonitor" / "protocols" / "_snapshot.py"
    assert snapshot.read_text(encoding="utf-8") == render(), "run: python -m msmonitor.protocols"


def test_an_edited_shipped_file_is_parsed_not_read_from_the_snapshot(monkeypatch):
    from msmonitor.protocols import _snapshot

    text, _data = _snapshot.SNAPSHOT["us"]
    monkeypatch.setitem(_snapshot.SNAPSHOT, "us", (text + "\n# edited\n", {"stale": True}))
    assert load_protocol("us").id == "us"  # the stale entry was not used


BEFORE = """
[[rules]]
id = "screen"
title = "Screen"
kind = "screening"
when = "once"
at = { anchor = "course1.first", days = -90 }
tolerance_days = TOL
before = "vaccinate"
sources = ["X"]

[[rules]]
id = "vaccinate"
title = "Vaccinate"
kind = "vaccination"
when = "each-course"
at = { anchor = "course.first", days = -42 }
sources = ["X"]
"""


def test_before_caps_the_tolerance_at_the_other_rules_date():
    ok = parse_protocol_text(CUSTOM + BEFORE.replace("TOL", "48"), "mine.toml")
    assert ok.rule("screen").before == "vaccinate"
    with pytest.raises(
        ProtocolError, match=r"rules\[1\] \(screen\).before: .*accepted until day -41, after 'vaccinate'"
    ):
        parse_protocol_text(CUSTOM + BEFORE.replace("TOL", "49"), "mine.toml")
    with pytest.raises(ProtocolError, match=r"before: 'nope' is not the id of a rule"):
        parse_protocol_text(CUSTOM + BEFORE.replace("TOL", "1").replace('before = "vaccinate"', 'before = "nope"'), "m")
    with pytest.raises(ProtocolError, match=r"before: must be measured from the same anchor"):
        parse_protocol_text(CUSTOM + BEFORE.replace("TOL", "1").replace("course1.first", "course1.last"), "m")
