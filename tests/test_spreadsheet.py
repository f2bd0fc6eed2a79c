"""CSV formula injection through line breaks (issue 10): every CSV output goes
through render/spreadsheet.csv_text, which quotes any cell holding CR or LF
and neutralises a formula after a line break."""

import csv
import io
from datetime import date

from hypothesis import given
from hypothesis import strategies as st

from msmonitor.render.plan_data import render_csv
from msmonitor.render.spreadsheet import csv_line, safe_cell

from .conftest import TODAY, make_plan

PAYLOAD = "Monthly\r=1+2+cmd|' /C calc'!A0"
FORMULA = tuple("=+-@\t")


def read(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text, newline="")))


def test_a_bare_cr_is_quoted_and_what_follows_it_neutralised():
    line = csv_line(["2024-01-10", PAYLOAD, "x"])
    assert line == "2024-01-10,\"Monthly\r'=1+2+cmd|' /C calc'!A0\",x\n"
    assert read(line) == [["2024-01-10", "Monthly\r'=1+2+cmd|' /C calc'!A0", "x"]]


def test_every_kind_of_line_break_is_neutralised():
    for brk in ("\r", "\n", "\r\n"):
        assert safe_cell(f"a{brk}=1{brk}+2{brk}ok") == f"a{brk}'=1{brk}'+2{brk}ok"
    assert safe_cell("\r=1") == "'\r'=1"


@given(st.lists(st.text(st.characters(codec="utf-8", exclude_categories=["Cs"])), min_size=2, max_size=6))
def test_any_cells_read_back_as_one_record_with_no_formula(cells):
    # hypothesis text includes CR, LF, quotes, commas and NUL
    cells = [c.replace("\x00", "") for c in cells]
    (record,) = read(csv_line(cells))
    assert len(record) == len(cells)
    for sent, got in zip(cells, record):
        assert not got.startswith(FORMULA)
        for piece in got.replace("\r\n", "\n").replace("\r", "\n").split("\n")[1:]:
            assert not piece.startswith(FORMULA)
        # nothing but apostrophes added
        assert got.replace("'", "") == sent.replace("'", "")


@given(st.lists(st.text(st.characters(codec="utf-8", exclude_categories=["Cs"], exclude_characters="\r\x00"))))
def test_without_cr_the_output_is_the_csv_module_s(cells):
    """The contract's bytes do not change for ordinary text."""
    if cells == [""]:
        return  # the csv module writes a lone empty cell as ""; no output of ours has one column
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerow([safe_cell(c) for c in cells])
    assert csv_line(cells) == out.getvalue()


def test_plan_csv_with_a_hostile_protocol_title(us):
    rule = next(r for r in us.rules if r.id == "monthly-labs")._replace(title=PAYLOAD)
    hostile = us._replace(rules=tuple(rule if r.id == rule.id else r for r in us.rules))
    text = render_csv(make_plan(hostile, date(2024, 1, 10)), TODAY)
    rows = read(text)
    assert all(len(row) == len(rows[0]) for row in rows)
    assert "\r=" not in text and "\n=" not in text
    titles = {row[5] for row in rows[1:]}
    assert "Monthly\r'=1+2+cmd|' /C calc'!A0" in titles
