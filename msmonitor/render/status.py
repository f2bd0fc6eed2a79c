"""Renderers for the record-keeping views: one patient's ``status`` and the
clinic's ``due`` list, as text, JSON and CSV (all versioned contracts)."""

from __future__ import annotations

import json
from datetime import date

from ..model import Plan
from ..tracking import DONE, DUE, LATE, MISSED, NOT_TRACKED, OVERDUE, UPCOMING, Tracked, Tracking, next_visit, summary
from ..view import NOTICE, course_line, plan_warnings
from .plan_data import courses_record, protocol_record
from .spreadsheet import csv_text
from .text import ALERT, BOLD, DIM, WARN, Columns, json_safe, screen_safe, style, wrap

# /2: tests may be "not-tracked" (before the patient's tracking start)
STATUS_SCHEMA = "msmonitor.status/2"
STATUS_CSV_SCHEMA = "msmonitor.status-csv/2"
STATUS_CSV_COLUMNS = (
    "patient",
    "event_id",
    "test",
    "title",
    "date",
    "window_end",
    "month",
    "phase",
    "status",
    "done_on",
)


def _iso(d: date | None) -> str | None:
    return d.isoformat() if d else None


def _item_record(label: str, t: Tracked) -> dict:
    return {
        "patient": label,
        "event_id": t.scheduled.event_id,
        "test": t.scheduled.test,
        "title": t.scheduled.title,
        "date": t.scheduled.date.isoformat(),
        "window_end": _iso(t.scheduled.last_date) if t.scheduled.last_date != t.scheduled.date else None,
        "month": t.scheduled.month,
        "phase": t.scheduled.phase,
        "status": t.status,
        "done_on": _iso(t.record.done_on) if t.record else None,
    }


def status_record(plan: Plan, tracking: Tracking, today: date) -> dict:
    label = plan.options.patient or ""
    upcoming = next_visit(tracking)
    return {
        "schema": STATUS_SCHEMA,
        "notice": NOTICE,
        "patient": label,
        "protocol": protocol_record(plan),
        "today": today.isoformat(),
        "tracking_from": _iso(tracking.tracking_from),
        "courses": courses_record(plan),
        "last_dose": plan.last_dose.isoformat(),
        "monitoring_ends": plan.monitoring_ends.isoformat(),
        "warnings": plan_warnings(plan, today),
        "summary": summary(tracking, today),
        "next_visit": {"date": upcoming[0].isoformat(), "tests": [t.scheduled.test for t in upcoming[1]]}
        if upcoming
        else None,
        "items": [_item_record(label, t) for t in tracking.tests],
        "unmatched_records": [
            {"test": r.test, "done_on": r.done_on.isoformat(), "note": r.note} for r in tracking.unmatched
        ],
    }


def render_status_json(plan: Plan, tracking: Tracking, today: date, *, indent: int | None = 2) -> str:
    return json_safe(json.dumps(status_record(plan, tracking, today), indent=indent, ensure_ascii=False)) + "\n"


def _untracked_line(run: list[list[Tracked]], columns: Columns, color: bool) -> str:
    """Consecutive events with nothing tracked: one dimmed line, not dozens."""
    first, last = run[0][0].scheduled, run[-1][0].scheduled
    what = f"{len(run)} events until {last.date.isoformat()}" if len(run) > 1 else first.title
    what_w = columns.widths[2]
    return style(columns.line(first.date.isoformat(), "", what[:what_w], _WORD[NOT_TRACKED]), DIM, color)


def render_status_csv(plan: Plan, tracking: Tracking) -> str:
    label = plan.options.patient or ""
    records = (_item_record(label, t) for t in tracking.tests)
    return csv_text(STATUS_CSV_COLUMNS, ([record[c] for c in STATUS_CSV_COLUMNS] for record in records))


_WORD = {
    DONE: "done",
    LATE: "late",
    MISSED: "MISSED",
    OVERDUE: "OVERDUE",
    DUE: "due now",
    UPCOMING: "upcoming",
    NOT_TRACKED: "not tracked",
}
# Severity, never green for what is late: red missed, bold yellow overdue,
# bold due today, plain upcoming; done and not tracked dimmed.
SGR = {MISSED: ALERT, OVERDUE: WARN, DUE: BOLD, UPCOMING: "", DONE: DIM, LATE: DIM, NOT_TRACKED: DIM}
_SEVERITY = (MISSED, OVERDUE, DUE, UPCOMING, NOT_TRACKED, LATE, DONE)


def _event_status(members: list[Tracked]) -> str:
    """One short phrase for an event's tests: 'done 2024-02-16' when all share it."""
    states = {t.status for t in members}
    days = {t.record.done_on for t in members if t.record}
    if states <= {DONE, LATE} and len(days) == 1:
        return f"{'late ' if LATE in states else 'done '}{days.pop().isoformat()}"
    if len(states) == 1 and not days:
        return _WORD[states.pop()]
    parts = []
    for t in members:
        word = _WORD[t.status]
        parts.append(f"{t.scheduled.test} {word}" + (f" {t.record.done_on.isoformat()}" if t.record else ""))
    return "; ".join(parts)


def render_status_text(plan: Plan, tracking: Tracking, today: date, *, width: int = 80, color: bool = False) -> str:
    s = summary(tracking, today)
    p, t = s["panels"], s["tests"]
    lines = [style(f"msmonitor status: {plan.options.patient}", BOLD, color)]
    lines += wrap(f"Protocol: {plan.protocol.id} {plan.protocol.version}, {plan.protocol.title}", width)
    lines += [course_line(c, plan) for c in plan.courses]
    lines.append(f"Monitoring ends: {plan.monitoring_ends.isoformat()}   Today: {today.isoformat()}")
    if tracking.tracking_from:
        lines += wrap(
            f"Tracked from {tracking.tracking_from.isoformat()}: earlier tests without a record are 'not tracked', "
            "never missed.",
            width,
        )
    lines += [style(line, WARN, color) for w in plan_warnings(plan, today) for line in wrap(f"Warning: {w}", width)]
    lines.append("")
    lines += wrap(
        f"Lab panels: {p['done']} of {p['due_so_far']} due so far done, {p['missed']} missed, "
        f"{p['partial']} partly done ({p['scheduled']} scheduled).",
        width,
    )
    lines += wrap(
        f"Tests: {t[DONE]} done, {t[LATE]} done late, {t[MISSED]} missed, {t[OVERDUE]} overdue, "
        f"{t[DUE]} due now, {t[UPCOMING]} upcoming" + (f", {t[NOT_TRACKED]} not tracked." if t[NOT_TRACKED] else "."),
        width,
    )
    if s["adherence"]:
        years = ", ".join(
            f"year {phase.split('-')[1]} {v['percent']}% ({v['done']}/{v['panels']})"
            for phase, v in s["adherence"].items()
        )
        lines += wrap(f"Complete lab panels by monitoring year: {years}.", width)
    upcoming = next_visit(tracking)
    if upcoming:
        day, members = upcoming
        lines += wrap(f"Next: {day.isoformat()}: {', '.join(m.scheduled.test for m in members)}", width)
    if tracking.unmatched:
        extra = "; ".join(f"{r.test} {r.done_on.isoformat()}" for r in tracking.unmatched)
        lines += wrap(f"Records near no scheduled item (kept): {extra}", width)
    lines.append("")

    events: dict[str, list[Tracked]] = {}
    for item in tracking.tests:
        events.setdefault(item.scheduled.event_id, []).append(item)
    # Date, month, what (what the status leaves), status (at least 16)
    columns = Columns([10, 3, max(20, width - 49)], width=width, right=(False, True), last_min=16)
    what_w = columns.widths[2]
    lines.append(columns.line("Date", "Mo", "What", "Status"))
    lines.append("-" * width)
    untracked: list[list[Tracked]] = []  # a run of events before the tracking start, shown as one line
    for members in [*events.values(), []]:
        if members and all(m.status == NOT_TRACKED for m in members):
            untracked.append(members)
            continue
        if untracked:
            lines.append(_untracked_line(untracked, columns, color))
            untracked = []
        if not members:
            break
        first = members[0].scheduled
        sgr = SGR[min((m.status for m in members), key=_SEVERITY.index)]
        month = str(first.month) if first.month else ""
        cells = [first.date.isoformat()], [month], wrap(first.title, what_w), wrap(_event_status(members), columns.last)
        lines += [style(line, sgr, color) for line in columns.lines(*cells)]
    lines.append("")
    lines += wrap(NOTICE, width)
    return screen_safe("\n".join(lines) + "\n", color)
