"""The terminal view of a plan: a text table grouped by phase.

Past items are dimmed, an item in progress today is marked "now", and the next
item is highlighted. The layout is computed here, at the width the CLI passes
in, and styled with plain ANSI SGR codes only when ``color`` is true (the CLI
decides: a terminal, and no NO_COLOR). Drawing this with rich's Table cost
about 100 ms per run (import and layout) for no visible gain, in a command
meant to feel instant (README, Performance).
"""

from __future__ import annotations

from datetime import date

from ..model import Event, Plan
from ..view import (
    CURRENT,
    NOTICE,
    PAST,
    Shown,
    header_lines,
    marked,
    markers,
    next_event,
    phase_label,
    phases,
    plan_warnings,
    test_names,
    test_short,
    timing_of,
)
from .text import BOLD, DIM, HEAD, ITALIC, NEXT, NOW, WARN, Columns, screen_safe, style, wrap

DATE_W, MONTH_W, GAP = 13, 3, 2


def render_table(plan: Plan, today: date, *, width: int = 80, color: bool = False, shown: Shown | None = None) -> str:
    width = max(60, width)
    out: list[str] = [style("msmonitor plan", BOLD, color)]
    for line in header_lines(plan, today, shown):
        out += wrap(line, width)
    for warning in plan_warnings(plan, today):
        out += [style(line, WARN, color) for line in wrap(f"Warning: {warning}", width)]
    out.append("")

    rest = width - DATE_W - MONTH_W - 3 * GAP
    # Date, month, what (11/20 of the rest), tests (the rest)
    columns = Columns([DATE_W, MONTH_W, rest * 11 // 20], width=width, right=(False, True), gap=GAP)
    what_w = columns.widths[2]
    out.append(columns.line("Date", "Mo", "What", "Tests"))
    out.append("-" * width)
    upcoming = next_event(plan, today)
    for phase, events in phases(plan):
        out.append(style(phase_label(phase, plan), HEAD, color))
        for event in events:
            cells = _cells(event, plan, today, event is upcoming)
            sgr = _row_style(event, today, event is upcoming)
            what = [line for part in cells[2] for line in wrap(part, what_w)]
            for line in columns.lines(cells[0], [cells[1]], what, wrap(cells[3], columns.last)):
                out.append(style(line, sgr, color))
        out.append("")

    if not plan.events:
        out += ["No items in this period.", ""]
    tests = plan.protocol.tests
    legend = "; ".join(f"{test_short(tests[tid])} = {name} ({tid})" for tid, name in test_names(plan))
    if legend:
        out += wrap("Tests: " + legend, width)
    out += wrap(f"Sources: 'msmonitor protocol {plan.protocol.origin}' lists every rule with its source.", width)
    out += [style(line, ITALIC, color) for line in wrap(NOTICE, width)]
    return screen_safe("\n".join(out) + "\n", color)


def _cells(event: Event, plan: Plan, today: date, is_next: bool) -> tuple[list[str], str, list[str], str]:
    when = [event.date.isoformat()] + ([f"to {event.window_end.isoformat()}"] if event.window_end else [])
    title = event.title
    marks = markers(event, plan.options.sex)
    if marks:
        title += f" [{', '.join(marks)}]"
    status = timing_of(event, today)
    if status == CURRENT:
        title += "  <- now"
    elif is_next:
        title += "  <- next"
    what = [title]
    # Merged rules that add tests show in the Tests column; the others
    # (premedication, observation, counselling items), and any with a marker,
    # are named here.
    sex = plan.options.sex
    silent = [marked(m.title, m, sex) for m in event.merged if markers(m, sex) or not plan.protocol.rule(m.rule).tests]
    if silent:
        what.append("+ " + "; ".join(silent))
    month = str(event.month) if event.month else ""
    # plain words; the legend and JSON/CSV give the ids
    names = ", ".join(test_short(plan.protocol.tests[tid]) for tid in event.tests)
    return when, month, what, names[:1].upper() + names[1:]


def _row_style(event: Event, today: date, is_next: bool) -> str:
    status = timing_of(event, today)
    if status == PAST:
        return DIM
    if is_next:
        return NEXT
    return NOW if status == CURRENT else ""
