"""The terminal view of a plan: a text table grouped by phase.

Past items are dimmed, an item in progress today is marked "now", and the next
item is highlighted. The layout is computed here, at the width the CLI passes
in, and styled with plain ANSI SGR codes only when ``color`` is true (the CLI
decides: a terminal, and no NO_COLOR). Drawing this with rich's Table cost
about 100 ms per run (import and layout) for no visible gain, in a command
meant to feel instant; see benchmarks/README.md.
"""

from __future__ import annotations

import textwrap
from datetime import date

from ..model import Event, Plan
from ..view import CURRENT, NOTICE, PAST, header_lines, markers, next_event, phase_label, phases, status_of, test_names

DIM, BOLD, ITALIC, NEXT, NOW, WARN, HEAD = "2", "1", "3", "1;32", "33", "1;33", "1;4"
DATE_W, MONTH_W, GAP = 13, 3, 2


def _style(text: str, sgr: str, color: bool) -> str:
    return f"\x1b[{sgr}m{text}\x1b[0m" if color and sgr and text else text


def _wrap(text: str, width: int) -> list[str]:
    if len(text) <= width:  # most cells: skip textwrap's regex machinery
        return [text]
    return textwrap.wrap(text, width, break_on_hyphens=False, break_long_words=True) or [""]


def render_table(plan: Plan, today: date, *, width: int = 80, color: bool = False) -> str:
    width = max(60, width)
    out: list[str] = [_style("msmonitor plan", BOLD, color)]
    for line in header_lines(plan, today):
        out += _wrap(line, width)
    for warning in plan.warnings:
        out += [_style(line, WARN, color) for line in _wrap(f"Warning: {warning}", width)]
    out.append("")

    rest = width - DATE_W - MONTH_W - 3 * GAP
    what_w = rest * 11 // 20
    tests_w = rest - what_w
    pad = " " * GAP
    out.append(pad.join(["Date".ljust(DATE_W), "Mo".rjust(MONTH_W), "What".ljust(what_w), "Tests"]).rstrip())
    out.append("-" * width)
    upcoming = next_event(plan, today)
    for phase, events in phases(plan):
        out.append(_style(phase_label(phase, plan), HEAD, color))
        for event in events:
            cells = _cells(event, plan, today, event is upcoming)
            sgr = _row_style(event, today, event is upcoming)
            columns = [
                cells[0],
                [cells[1]],
                [line for part in cells[2] for line in _wrap(part, what_w)],
                _wrap(cells[3], tests_w),
            ]
            for i in range(max(len(c) for c in columns)):
                parts = [c[i] if i < len(c) else "" for c in columns]
                line = pad.join(
                    [parts[0].ljust(DATE_W), parts[1].rjust(MONTH_W), parts[2].ljust(what_w), parts[3]]
                ).rstrip()
                out.append(_style(line, sgr, color))
        out.append("")

    legend = "Tests: " + "; ".join(f"{tid} = {name}" for tid, name in test_names(plan))
    out += _wrap(legend, width)
    out += _wrap(f"Sources: 'msmonitor protocol {plan.protocol.origin}' lists every rule with its source.", width)
    out += [_style(line, ITALIC, color) for line in _wrap(NOTICE, width)]
    return "\n".join(out) + "\n"


def _cells(event: Event, plan: Plan, today: date, is_next: bool) -> tuple[list[str], str, list[str], str]:
    when = [event.date.isoformat()] + ([f"to {event.window_end.isoformat()}"] if event.window_end else [])
    title = event.title
    marks = markers(event, plan)
    if marks:
        title += f" [{', '.join(marks)}]"
    status = status_of(event, today)
    if status == CURRENT:
        title += "  <- now"
    elif is_next:
        title += "  <- next"
    what = [title]
    # Merged rules that add tests show in the Tests column; the others
    # (premedication, observation, counselling items) are named here.
    silent = [t for t, item in zip(event.also, event.items[1:]) if not plan.protocol.rule(item).tests]
    if silent:
        what.append("+ " + "; ".join(silent))
    month = str(event.month) if event.month else ""
    return when, month, what, ", ".join(event.tests)


def _row_style(event: Event, today: date, is_next: bool) -> str:
    status = status_of(event, today)
    if status == PAST:
        return DIM
    if is_next:
        return NEXT
    return NOW if status == CURRENT else ""
