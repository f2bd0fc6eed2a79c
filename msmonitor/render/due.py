"""The clinic's due list: text for the screen, JSON and CSV (versioned
contracts), Markdown, and HTML to print (the checklists' print CSS).

Rows come in the use case's order (what can still be acted on first); the
renderers only group them: by patient and event, or one line per patient.
Severity is shown in words first and colour second (a printout may be black
and white): red missed, bold yellow overdue, bold due today, plain upcoming;
never green for anything late.
"""

from __future__ import annotations

import json
from datetime import date

from ..tracking import DUE, MISSED, OVERDUE, UPCOMING
from ..view import NOTICE
from .markdown import md_escape
from .spreadsheet import csv_text
from .text import ALERT, BOLD, WARN, clean, html_escape, json_safe, screen_safe, style, wrap

# /2: rows ordered by what can still be acted on; new keys last_day, kind,
# patients, filters; CSV numbers unquoted.
DUE_SCHEMA = "msmonitor.due/2"
DUE_CSV_SCHEMA = "msmonitor.due-csv/2"
DUE_CSV_COLUMNS = ("patient", "status", "date", "days", "event_id", "test", "title", "kind", "last_day")
BY_PATIENT_CSV_SCHEMA = "msmonitor.due-by-patient-csv/1"
BY_PATIENT_CSV_COLUMNS = ("patient", "status", "since", "days", "what", "tests", "items")
SGR = {MISSED: ALERT, OVERDUE: WARN, DUE: BOLD, UPCOMING: ""}


class DueView:
    """What every format shows: the rows, the per-patient lines and the
    question asked (day, period, filters)."""

    def __init__(self, rows, patients, today: date, within_days: int, filters: dict | None = None) -> None:
        self.rows, self.patients, self.today, self.within_days = rows, patients, today, within_days
        self.filters = filters or {}

    def title(self) -> str:
        return f"Due list, {self.today.isoformat()}"

    def question(self) -> str:
        days = f"{self.within_days} day{'s' * (self.within_days != 1)}"
        text = f"Missed in the last 30 days, overdue, due today, and due within {days}"
        given = [f"{k} {v}" for k, v in self.filters.items() if v]
        return text + (f" (only {'; '.join(given)})" if given else "")

    def events(self) -> list[tuple[str, str, list]]:
        """(label, status, rows of one event) in row order."""
        grouped: dict[tuple, list] = {}
        for row in self.rows:
            grouped.setdefault((row.label, row.scheduled.event_id, row.status), []).append(row)
        return [(label, state, members) for (label, _, state), members in grouped.items()]

    def entries(self, by_patient: bool) -> list[tuple[str, str, date, str, str]]:
        """(label, status, date, when, what): one per patient and event, or per patient."""
        if by_patient:
            return [
                (p.label, p.status, p.since, when(p.status, since_days(self.today, p.since)), _patient_what(p))
                for p in self.patients
            ]
        return [
            (label, state, m[0].scheduled.date, when(state, m[0].days), _what(m)) for label, state, m in self.events()
        ]

    def counts(self) -> str:
        patients = len({r.label for r in self.rows})
        events = len(self.events())
        return f"{patients} patient{'s' * (patients != 1)}, {events} visit item{'s' * (events != 1)}."


def since_days(today: date, day: date) -> int:
    return (today - day).days


def when(status: str, days: int) -> str:
    """``days``: late (positive) or until due (negative)."""
    if status == UPCOMING or days < 0:
        return f"in {-days} d"
    if status == DUE:
        return "today" if days == 0 else f"{days} d ago"
    return f"{days} d late"


def _what(members) -> str:
    return f"{members[0].scheduled.title}: {', '.join(m.scheduled.test for m in members)}"


def _patient_what(p) -> str:
    return "; ".join(p.details) if p.details else f"{'; '.join(p.what)}: {', '.join(p.tests)}"


# ------------------------------------------------------------------ JSON and CSV


def due_record(view: DueView) -> dict:
    return {
        "schema": DUE_SCHEMA,
        "notice": NOTICE,
        "today": view.today.isoformat(),
        "within_days": view.within_days,
        "filters": {k: v for k, v in view.filters.items() if v},
        "rows": [
            {
                "patient": r.label,
                "status": r.status,
                "date": r.scheduled.date.isoformat(),
                "days": r.days,
                "event_id": r.scheduled.event_id,
                "test": r.scheduled.test,
                "title": r.scheduled.title,
                "kind": r.scheduled.kind,
                "last_day": r.scheduled.latest.isoformat(),
            }
            for r in view.rows
        ],
        "patients": [
            {
                "patient": p.label,
                "status": p.status,
                "since": p.since.isoformat(),
                "days": since_days(view.today, p.since),
                "what": p.what,
                "tests": p.tests,
                "items": p.items,
            }
            for p in view.patients
        ],
    }


def render_due_json(view: DueView, *, indent: int | None = 2) -> str:
    """``indent=None``: one line, by the C encoder (Python's own encoder,
    used for any indent, took seconds over a large clinic)."""
    return json_safe(json.dumps(due_record(view), indent=indent, ensure_ascii=False)) + "\n"


def render_due_csv(view: DueView, *, by_patient: bool = False) -> str:
    record = due_record(view)
    if by_patient:
        lines = [dict(line, what="; ".join(line["what"]), tests=",".join(line["tests"])) for line in record["patients"]]
        return csv_text(BY_PATIENT_CSV_COLUMNS, ([line[c] for c in BY_PATIENT_CSV_COLUMNS] for line in lines))
    return csv_text(DUE_CSV_COLUMNS, ([row[c] for c in DUE_CSV_COLUMNS] for row in record["rows"]))


# ------------------------------------------------------------------ screen


def render_due_text(view: DueView, *, by_patient: bool = False, width: int = 80, color: bool = False) -> str:
    lines = [style(view.title(), BOLD, color)]
    lines += wrap(view.question(), width)
    if not view.rows:
        return screen_safe("\n".join(lines + ["Nothing is due.", ""]), color)
    label_w = min(20, max(len("Patient"), *(len(clean(r.label)) for r in view.rows)))
    if by_patient:
        lines.append(f"{'Patient':{label_w}}  {'Worst':8}  {'Since':10}  {'When':10}  What")
    else:
        lines.append(f"{'Patient':{label_w}}  {'Status':8}  {'Date':10}  {'When':10}  What")
    lines.append("-" * width)
    for label, state, day, ago, what in view.entries(by_patient):
        left = f"{clean(label)[:label_w]:{label_w}}  {state:8}  {day.isoformat():10}  {ago:10}  "
        wrapped = wrap(what, max(20, width - len(left)))
        lines.append(style(left + wrapped[0], SGR[state], color))
        lines += [style(" " * len(left) + more, SGR[state], color) for more in wrapped[1:]]
    lines += ["", view.counts(), ""]
    return screen_safe("\n".join(lines), color)


# ------------------------------------------------------------------ markdown


def render_due_markdown(view: DueView, *, by_patient: bool = False) -> str:
    lines = [f"# {md_escape(view.title())}", "", md_escape(view.question()), ""]
    if not view.rows:
        return "\n".join(lines + ["Nothing is due.", "", f"_{md_escape(NOTICE)}_", ""])
    first = "Worst | Since" if by_patient else "Status | Date"
    lines += [f"| Patient | {first} | When | What |", "|---|---|---|---|---|"]
    for label, state, day, ago, what in view.entries(by_patient):
        lines.append(f"| {md_escape(label)} | {_md_status(state)} | {day.isoformat()} | {ago} | {md_escape(what)} |")
    lines += ["", md_escape(view.counts()), "", f"_{md_escape(NOTICE)}_", ""]
    return "\n".join(lines)


def _md_status(state: str) -> str:
    return f"**{state}**" if state in (MISSED, OVERDUE, DUE) else state


# ------------------------------------------------------------------ html

_DUE_CSS = """
table.due-list { width: 100%; border-collapse: collapse; margin-top: 1.5mm; font-size: 8.5pt; line-height: 1.1; }
table.due-list th { text-align: left; border-bottom: 1.2pt solid #000; padding: 0.4mm 1.5mm 0.4mm 0; }
table.due-list td { border-bottom: 0.4pt solid #aaa; padding: 0.35mm 1.5mm 0.35mm 0; vertical-align: top; }
table.due-list tr { break-inside: avoid; page-break-inside: avoid; }
table.due-list thead { display: table-header-group; }
table.due-list td.tick { width: 4.5mm; }
table.due-list td.tick span { display: block; width: 3mm; height: 3mm; border: 1pt solid #000; }
table.due-list td.nowrap { white-space: nowrap; }
tr.state-missed td.status { color: #b00000; font-weight: bold; text-transform: uppercase; }
tr.state-overdue td.status { color: #8a5a00; font-weight: bold; text-transform: uppercase; }
tr.state-due td.status { font-weight: bold; }
p.question { margin: 0 0 1mm; font-size: 9.5pt; }
"""


def render_due_html(view: DueView, *, by_patient: bool = False) -> str:
    from .checklist import page_head  # the same print CSS as the checklists

    parts = [
        *page_head(view.title(), _DUE_CSS),
        '<article class="due-list">',
        f"<h1>{html_escape(view.title())}</h1>",
        f'<p class="question">{html_escape(view.question())}</p>',
    ]
    if not view.rows:
        parts.append("<p>Nothing is due.</p>")
    else:
        head = ("Patient", "Worst" if by_patient else "Status", "Since" if by_patient else "Date", "When", "What")
        parts.append('<table class="due-list"><thead><tr><th></th>' + "".join(f"<th>{h}</th>" for h in head))
        parts.append("</tr></thead><tbody>")
        for label, state, day, ago, what in view.entries(by_patient):
            parts.append(
                f'<tr class="state-{state}"><td class="tick"><span></span></td>'
                f'<td class="nowrap">{html_escape(label)}</td>'
                f'<td class="status nowrap">{state}</td><td class="nowrap">{day.isoformat()}</td>'
                f'<td class="nowrap">{ago}</td><td>{html_escape(what)}</td></tr>'
            )
        parts.append("</tbody></table>")
        parts.append(f"<p>{html_escape(view.counts())}</p>")
    parts += [
        "<footer>",
        f"<p><strong>{html_escape(NOTICE)}</strong></p>",
        "</footer>",
        "</article>",
        "</body>",
        "</html>",
        "",
    ]
    return "\n".join(parts)
