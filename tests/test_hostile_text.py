"""Hostile text through every channel into every output (issue 10, items 4 and 6).

A payload of CR, LF, ESC sequences, BEL, C1 controls (U+009B is a
one-character CSI), bidi overrides and isolates, a spreadsheet formula and an
HTML tag goes in through protocol text (a custom protocol file), a patient's
notes and label (as far as labels allow it), and a record's note. Then:

- screen views (table, checklists, status, due, patients, protocol) show
  every such character as an escape: nothing reaches the terminal raw;
- JSON parses back to exactly the data, with no raw C1 or bidi character;
- CSV keeps its shape: every record as many cells as the header, no formula
  at the start of a cell or after a line break inside one;
- Markdown has no control or bidi character; HTML has no injected tag;
- iCalendar has exactly the events of the plan.
"""

import csv
import io
import json
import re
from pathlib import Path

import pytest
from icalendar import Calendar
from typer.testing import CliRunner

from msmonitor import protocol as protocol_module
from msmonitor.cli import app
from msmonitor.protocol import load_protocol
from msmonitor.render.due import render_due_text
from msmonitor.render.table import render_table
from msmonitor.render.text import clean, json_safe, screen_safe

from .conftest import TODAY, make_plan

runner = CliRunner()
PAYLOAD = "A\r=1+2+cmd|A0\nB\x1b[2J\x1b]8;;http://x\x07C\x07D\x9b31mE\u202eF\u2066G<i>H</i>\x7f"
TOML_PAYLOAD = json.dumps(PAYLOAD)  # a JSON string is a valid TOML basic string for these characters
LABEL = "jd\x9b2J\u202ekcab"  # labels refuse C0 controls today; C1 and bidi still pass
UNSAFE = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")  # all but LF
SHIPPED = Path(protocol_module.__file__).parent / "protocols" / "us.toml"


def hostile_protocol(tmp_path: Path) -> Path:
    text = SHIPPED.read_text(encoding="utf-8")
    replacements = [
        ('title = "Monthly blood and urine tests"', f"title = {TOML_PAYLOAD}"),
        ('name = "Complete blood count with differential"', f"name = {TOML_PAYLOAD}"),
        ('id = "us"', 'id = "hostile"'),
    ]
    for old, new in replacements:
        assert old in text, old
        text = text.replace(old, new, 1)
    text = re.sub(r"^notice = .*$", lambda _: f"notice = {TOML_PAYLOAD}", text, count=1, flags=re.M)
    path = tmp_path / "hostile.toml"
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture
def saved(tmp_path):
    """A database with one patient on the hostile protocol, hostile label and
    notes, and a record with a hostile note."""
    path = hostile_protocol(tmp_path)
    db = str(tmp_path / "clinic.db")
    add = ["add", LABEL, "--course1", "2024-01-10", "--protocol", str(path), "--notes", PAYLOAD, "--db", db]
    add += ["--tracking-from", "start"]
    result = runner.invoke(app, add)
    assert result.exit_code == 0, result.stderr
    result = runner.invoke(app, ["done", LABEL, "2024-02-14", "--note", PAYLOAD, "--db", db])
    assert result.exit_code == 0, result.stderr
    return db, path


def run(*args) -> str:
    result = runner.invoke(app, list(args))
    assert result.exit_code == 0, result.stderr
    assert not UNSAFE.search(result.stderr), result.stderr
    return result.stdout


SCREENS = [
    ("plan", LABEL, "--today", "2024-03-01"),
    ("checklist", LABEL, "--pre-treatment", "--today", "2024-03-01"),
    ("checklist", LABEL, "--course-number", "1", "--today", "2024-03-01"),
    ("checklist", LABEL, "--visit", "2024-02-14", "--today", "2024-03-01"),
    ("status", LABEL, "--today", "2024-03-01"),
    ("due", "--today", "2024-03-14"),
    ("due", "--today", "2024-03-14", "--by-patient"),
    ("patients",),
]


@pytest.mark.parametrize("args", SCREENS, ids=lambda a: " ".join(a[:1] + a[2:3]))
def test_screen_views_show_escapes_never_raw_controls(saved, args):
    db, _ = saved
    text = run(*args, "--db", db)
    assert not UNSAFE.search(text), UNSAFE.search(text)
    assert "\\x1b[2J" in text or "\\u202e" in text  # the payload or the label is shown, escaped


def test_protocol_view(saved):
    _, path = saved
    text = run("protocol", str(path))
    assert not UNSAFE.search(text) and "\\x9b31mE\\u202eF" in text


@pytest.mark.parametrize(
    "args, where",
    [
        (("plan", LABEL, "--format", "json"), lambda d: [e["title"] for e in d["events"]] + [d["protocol"]["notice"]]),
        (("status", LABEL, "--format", "json"), lambda d: [i["title"] for i in d["items"]]),
        (("due", "--today", "2024-03-14", "--format", "json"), lambda d: [r["title"] for r in d["rows"]]),
        (("patients", "--format", "json"), lambda d: [p["notes"] for p in d["patients"]]),
        (("export",), lambda d: [p["notes"] for p in d["patients"]]),
    ],
)
def test_json_keeps_the_data_exactly_and_nothing_raw(saved, args, where):
    db, _ = saved
    text = run(*args, "--db", db)
    assert not re.search("[\x7f-\x9f\u202a-\u202e\u2066-\u2069\x00-\x1f]", text.replace("\n", ""))
    assert PAYLOAD in where(json.loads(text))


@pytest.mark.parametrize(
    "args",
    [
        ("plan", LABEL, "--format", "csv"),
        ("status", LABEL, "--format", "csv"),
        ("due", "--today", "2024-03-14", "--format", "csv"),
        ("due", "--today", "2024-03-14", "--format", "csv", "--by-patient"),
        ("patients", "--format", "csv"),
    ],
)
def test_csv_keeps_its_shape(saved, args):
    db, _ = saved
    text = run(*args, "--db", db)
    rows = list(csv.reader(io.StringIO(text, newline="")))
    assert len(rows) > 1 and all(len(r) == len(rows[0]) for r in rows)
    for cell in (c for r in rows for c in r):
        for piece in re.split(r"\r\n|\r|\n", cell):
            assert not piece.startswith(("=", "+", "@", "\t")), cell
    assert any("A\r'=1+2+cmd|A0" in c for r in rows for c in r) or (args[0] == "patients" and LABEL in text)


@pytest.mark.parametrize(
    "args",
    [
        ("plan", LABEL, "--format", "markdown"),
        ("checklist", LABEL, "--pre-treatment", "--format", "markdown"),
        ("due", "--today", "2024-03-14", "--format", "markdown"),
    ],
)
def test_markdown_has_no_raw_controls(saved, args):
    db, _ = saved
    assert not UNSAFE.search(run(*args, "--db", db))


@pytest.mark.parametrize(
    "args",
    [
        ("checklist", LABEL, "--pre-treatment", "--format", "html"),
        ("due", "--today", "2024-03-14", "--format", "html"),
    ],
)
def test_html_has_no_injected_tag_and_no_raw_controls(saved, args):
    db, _ = saved
    text = run(*args, "--db", db)
    assert "<i>H" not in text and "&lt;i&gt;H" in text
    assert not UNSAFE.search(text.replace("\n", ""))  # a bidi override spoofs a printed label too


def test_ics_has_exactly_the_plan_s_events(saved, tmp_path):
    db, _ = saved
    data = run("plan", LABEL, "--ics", "-", "--db", db).encode()
    clean_path = tmp_path / "plain.toml"
    clean_path.write_text(SHIPPED.read_text(encoding="utf-8").replace('id = "us"', 'id = "hostile"', 1))
    plain = run("plan", "--course1", "2024-01-10", "--protocol", str(clean_path), "--ics", "-").encode()
    assert len(Calendar.from_ical(data).walk("VEVENT")) == len(Calendar.from_ical(plain).walk("VEVENT"))
    assert data.count(b"BEGIN:VEVENT") == plain.count(b"BEGIN:VEVENT")


def test_colour_keeps_only_msmonitor_s_own_codes(tmp_path):
    protocol = load_protocol(str(hostile_protocol(tmp_path)))
    plan = make_plan(protocol, __import__("datetime").date(2024, 1, 10), patient=LABEL)
    text = render_table(plan, TODAY, color=True)
    codes = set(re.findall(r"\x1b\[[0-9;]*m", text))
    assert codes and codes <= {f"\x1b[{c}m" for c in ("0", "1", "2", "3", "1;32", "33", "1;33", "1;4", "1;31")}
    assert not UNSAFE.search(re.sub(r"\x1b\[[0-9;]*m", "", text))
    assert "\\x1b[2J" in text


def test_the_sanitisers():
    assert clean("ok é ü 漢") == "ok é ü 漢"
    assert clean("a\x1b[2Jb\x07\x9b\u202e\u2069\r\n\t") == "a\\x1b[2Jb\\x07\\x9b\\u202e\\u2069\\r\\n\\t"
    assert screen_safe("x\x1b[1my\x1b[0m\nz\x9b", color=True) == "x\x1b[1my\x1b[0m\nz\\x9b"
    assert screen_safe("x\x1b[1my", color=False) == "x\\x1b[1my"
    assert json.loads(json_safe(json.dumps(PAYLOAD, ensure_ascii=False))) == PAYLOAD
    assert render_due_text.__module__ == "msmonitor.render.due"
