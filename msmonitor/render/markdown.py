"""The plan as Markdown, for pasting into notes: the table view's content."""

from __future__ import annotations

from datetime import date

from ..model import Event, Merged, Plan
from ..view import (
    CURRENT,
    NOTICE,
    PAST,
    Shown,
    header_lines,
    markers,
    next_event,
    phase_label,
    phases,
    plan_warnings,
    sources_used,
    test_names,
    timing_of,
    window_text,
)
from .text import clean


def md_escape(text: str) -> str:
    """Escape what would break a Markdown table cell or start markup; control
    and bidi characters are shown as escapes (text.clean)."""
    out = clean(text.replace("\\", "\\\\").replace("|", "\\|").replace("\n", " "))
    for ch in "*_`[]<>#":
        out = out.replace(ch, "\\" + ch)
    return out


def render_markdown(plan: Plan, today: date, shown: Shown | None = None) -> str:
    upcoming = next_event(plan, today)
    lines = ["# Alemtuzumab monitoring plan", ""]
    lines += [f"- {md_escape(line)}" for line in header_lines(plan, today, shown)]
    lines.append("")
    for warning in plan_warnings(plan, today):
        lines.append(f"> **Warning:** {md_escape(warning)}")
        lines.append("")
    for phase, events in phases(plan):
        lines += [
            f"## {md_escape(phase_label(phase, plan))}",
            "",
            "| Date | Month | What | Tests | Status |",
            "|---|---|---|---|---|",
        ]
        lines += [_row(e, plan, today, e is upcoming) for e in events]
        lines.append("")
    lines += ["## Tests", ""]
    lines += [f"- `{tid}`: {md_escape(name)}" for tid, name in test_names(plan)]
    lines += ["", "## Sources", ""]
    p = plan.protocol
    lines += [
        f"- {sid}: {md_escape(p.sources[sid].document)} ({md_escape(p.sources[sid].where)})"
        for sid in sources_used(plan)
    ]
    lines += ["", f"_{NOTICE}_", ""]
    return "\n".join(lines)


def _row(event: Event, plan: Plan, today: date, is_next: bool) -> str:
    status = _status_word(event, today, is_next)
    what = md_escape(event.title)
    what += _marks(event, plan.options.sex)
    for merged in event.merged:
        what += f"<br>+ {md_escape(merged.title)}{_marks(merged, plan.options.sex)}"
    month = str(event.month) if event.month else ""
    tests = ", ".join(f"`{t}`" for t in event.tests)
    return f"| {window_text(event)} | {month} | {what} | {tests} | {status} |"


def _marks(facts: Event | Merged, sex: str | None) -> str:
    marks = markers(facts, sex)
    return f" _({', '.join(marks)})_" if marks else ""


def _status_word(event: Event, today: date, is_next: bool) -> str:
    status = timing_of(event, today)
    if status == CURRENT:
        return "**now**"
    if is_next:
        return "**next**"
    return "past" if status == PAST else ""
