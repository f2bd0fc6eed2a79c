"""Every event kind a protocol can use has one row in kinds.KIND, and a plan
with an item of every kind renders in every output format."""

from pathlib import Path

import pytest
from icalendar import Calendar
from typer.testing import CliRunner

from msmonitor import protocol as protocol_module
from msmonitor.cli import app
from msmonitor.kinds import KIND, KINDS
from msmonitor.protocol import load_protocol

runner = CliRunner()
SHIPPED = Path(protocol_module.__file__).parent / "protocols" / "us.toml"


def test_the_parser_accepts_exactly_the_table_s_kinds():
    assert protocol_module.KINDS is KINDS
    assert list(KINDS) == [k.name for k in KIND.values()]
    for kind in KIND.values():
        assert kind.category and kind.discreet_title and kind.about


@pytest.mark.parametrize("pid", ["us", "eu"])
def test_shipped_protocols_use_known_kinds(pid):
    assert {r.kind for r in load_protocol(pid).rules} <= set(KIND)


def every_kind_protocol(tmp_path: Path) -> str:
    """The shipped US protocol plus, for every kind, a one-off rule and a
    per-course rule of that kind."""
    text = SHIPPED.read_text(encoding="utf-8")
    for index, kind in enumerate(KINDS):
        text += f"""
[[rules]]
id = "extra-{kind}"
title = "Extra {kind} item"
kind = "{kind}"
when = "once"
at = {{ anchor = "course1.first", days = {-60 + index} }}
tests = ["creatinine"]
sources = ["S1"]

[[rules]]
id = "extra-{kind}-each"
title = "Extra {kind} window"
kind = "{kind}"
when = "each-course"
from = {{ anchor = "course.first", days = 1 }}
until = {{ anchor = "course.first", days = 2 }}
sources = ["S1"]
"""
    path = tmp_path / "every-kind.toml"
    path.write_text(text, encoding="utf-8")
    return str(path)


@pytest.mark.parametrize(
    "args",
    [
        ("plan", "--format", "table"),
        ("plan", "--format", "json"),
        ("plan", "--format", "csv"),
        ("plan", "--format", "markdown"),
        ("plan", "--format", "html"),
        ("plan", "--ics", "-"),
        ("plan", "--ics", "-", "--discreet"),
        ("plan", "--ics", "-", "--at", "09:30", "--tz", "Europe/Paris"),
        ("checklist", "--pre-treatment", "--format", "html"),
        ("checklist", "--course-number", "1", "--format", "markdown"),
        ("checklist", "--visit", "2024-01-11"),
    ],
)
def test_every_kind_renders_everywhere(tmp_path, args):
    path = every_kind_protocol(tmp_path)
    command, *rest = args
    result = runner.invoke(
        app, [command, "--course1", "2024-01-10", "--protocol", path, "--today", "2024-01-01", *rest]
    )
    assert result.exit_code == 0, result.stderr
    if "--ics" in args:
        calendar = Calendar.from_ical(result.stdout.encode())
        # a day's items share one event: each is named in its description
        shown = " ".join(str(e["SUMMARY"]) + str(e.get("DESCRIPTION", "")) for e in calendar.walk("VEVENT"))
        if "--discreet" not in args:
            assert all(f"Extra {kind} item" in shown for kind in KINDS)
    elif command == "plan":
        assert all(f"Extra {kind} item" in result.stdout for kind in KINDS)


def test_an_unknown_kind_is_one_line(tmp_path):
    path = Path(every_kind_protocol(tmp_path))
    path.write_text(path.read_text().replace('kind = "exam"', 'kind = "teleconsult"'), encoding="utf-8")
    result = runner.invoke(app, ["plan", "--course1", "2024-01-10", "--protocol", str(path)])
    assert result.exit_code == 2
    assert "teleconsult" in result.stderr and len(result.stderr.strip().splitlines()) == 1
