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
from operator import itemgetter

from ..tracking import DUE, MISSED, OVERDUE, UPCOMING
from ..view import NOTICE
from .text import ALERT, BOLD, WARN, Columns, clean, fit, html_escape, json_safe, screen_safe, style, wrap

# /2: rows ordered by what can still be acted on; new keys last_day, kind,
# patients, filters; CSV numbers unquoted.
DUE_SCHEMA = "msmonitor.due/2"
DUE_CSV_SCHEMA = "msmonitor.due-csv/2"
DUE_CSV_COLUMNS = ("patient", "status", "date", "days", "event_id", "test", "title", "kind", "last_day")
BY_PATIENT_CSV_SCHEMA = "msmonitor.due-by-patient-csv/1"
BY_PATIENT_CSV_COLUMNS = ("patient", "status", "since", "days", "what", "tests", "items")
SGR = {MISSED: ALERT, OVERDUE: WARN, DUE: BOLD, UPCOMING: ""}


class DueView:
    """What every format shows: the due list (``patients.DueTests``, the
    tests of an event that share a state, in order), the per-patient lines
    and the question asked (day, period, filters). ``patients`` may be a
    function: only the views that show those lines compute them."""

    def __init__(self, listed, patients, today: date, within_days: int, filters: dict | None = None) -> None:
        self.listed, self._patients, self.today, self.within_days = listed, patients, today, within_days
        self.filters = filters or {}

    @property
    def patients(self) -> list:
        if callable(self._patients):
            self._patients = self._patients()
        return self._patients

    @property
    def rows(self) -> list:
        """One per test (``patients.DueRow``), as JSON and CSV list them."""
        return [row for tests in self.listed for row in tests.rows()]

    def title(self) -> str:
        return f"Due list, {self.today.isoformat()}"

    def question(self) -> str:
        days = f"{self.within_days} day{'s' * (self.within_days != 1)}"
        text = f"Missed in the last 30 days, overdue, due today, and due within {days}"
        given = [f"{k} {v}" for k, v in self.filters.items() if v]
        return text + (f" (only {'; '.join(given)})" if given else "")

    def events(self) -> list[list]:
        """The due list by patient, event and state, in order: an event's
        tests in one state are listed together even where their tolerances
        differ (so parted, ``DueTests.whole`` is false)."""
        events: list[list] = []
        parted: dict[tuple, list] = {}  # the events listed in parts, by patient, event and state
        for tests in self.listed:
            if tests.tests is tests.event.tests:  # the whole event: a group of its own
                events.append([tests])
                continue
            key = (tests.label, tests.event.event_id, tests.status)
            members = parted.get(key)
            if members is None:
                members = parted[key] = []
                events.append(members)
            members.append(tests)
        return events

    def entries(self, by_patient: bool) -> list[tuple[str, str, date, str, str]]:
        """(label, status, date, when, what): one per patient and event, or
        per patient. In one pass over the due list (``events`` is what it
        groups, for the rare event listed in parts)."""
        if by_patient:
            return [
                (p.label, p.status, p.since, when(p.status, since_days(self.today, p.since)), _patient_what(p))
                for p in self.patients
            ]
        whens: dict[tuple[str, int], str] = {}
        whats: dict[tuple[str, int], str] = {}  # the same few titles and tests, thousands of times
        entries: list = []
        add = entries.append
        parted: dict[tuple, list] = {}  # the events listed in parts, by patient, event and state
        for tests in self.listed:
            label, event, state, days, names = tests
            if names is not event.tests:  # a part: listed where its first part is, once all are known
                part = (label, event.event_id, state)
                members = parted.get(part)
                if members is None:
                    members = parted[part] = [tests]
                    add(members)
                else:
                    members.append(tests)
                continue
            ago = whens.get((state, days))
            if ago is None:
                ago = whens[state, days] = when(state, days)
            # the tests' tuple is shared by every row with the same tests; held by ``tests``
            key = (event.title, id(names))
            what = whats.get(key)
            if what is None:
                what = whats[key] = _what([tests])
            add((label, state, event.due, ago, what))
        if parted:
            entries = [
                (m[0].label, m[0].status, m[0].event.due, when(m[0].status, m[0].days), _what(m))
                if type(m) is list
                else m
                for m in entries
            ]
        return entries

    def counts(self, events: int | None = None, patients: int | None = None) -> str:
        if patients is None:
            patients = len({tests.label for tests in self.listed})
        events = len(self.events()) if events is None else events
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
    if len(members) == 1:
        return f"{members[0].event.title}: {', '.join(test for test, _ in members[0].tests)}"
    return f"{members[0].event.title}: {', '.join(test for m in members for test, _ in m.tests)}"


def _patient_what(p) -> str:
    return "; ".join(p.details) if p.details else f"{'; '.join(p.what)}: {', '.join(p.tests)}"


# ------------------------------------------------------------------ JSON and CSV


def due_record(view: DueView, *, rows: bool = True) -> dict:
    """The JSON contract; ``rows=False``: an empty list in place of the rows."""
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
            for r in (view.rows if rows else ())
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
    """``indent=None``: one line, written by ``_one_line_json``, the text
    ``json.dumps`` gives (Python's own encoder, used for any indent, took
    seconds over a large clinic)."""
    if indent is None:
        return _one_line_json(view) + "\n"
    return json_safe(json.dumps(due_record(view), indent=indent, ensure_ascii=False)) + "\n"


def _one_line_json(view: DueView) -> str:
    """``json_safe(json.dumps(due_record(view), ensure_ascii=False))``
    without a dict per row: a large clinic lists hundreds of thousands of
    tests, and the tests of one event share every value but the test's id.
    Each distinct string is encoded once; the rest of the record by
    ``json.dumps``."""
    encoded: dict[str, str] = {}

    def text(value: str) -> str:
        got = encoded[value] = json_safe(json.dumps(value, ensure_ascii=False))
        return got

    days: dict[int, str] = {}
    rows: list[str] = []
    add = rows.append
    for tests in view.listed:
        e = tests.event
        label = encoded.get(tests.label) or text(tests.label)
        event_id = encoded.get(e.event_id) or text(e.event_id)
        title = encoded.get(e.title) or text(e.title)
        kind = encoded.get(e.kind) or text(e.kind)
        head = (
            f'{{"patient": {label}, "status": "{tests.status}", "date": "{e.due.isoformat()}", '
            f'"days": {tests.days}, "event_id": {event_id}, "test": '
        )
        middle = f', "title": {title}, "kind": {kind}, "last_day": "'
        last = e.last.toordinal()
        for test, tolerance in tests.tests:
            reach = last + tolerance
            last_day = days.get(reach) or days.setdefault(reach, date.fromordinal(reach).isoformat())
            add(f'{head}{encoded.get(test) or text(test)}{middle}{last_day}"}}')
    rest = json_safe(json.dumps(due_record(view, rows=False), ensure_ascii=False))
    # "rows" follows "filters", whose values JSON quotes: the first ', "rows": [], ' is the member
    before, after = rest.split(', "rows": [], ', 1)
    return f'{before}, "rows": [{", ".join(rows)}], {after}'


def render_due_csv(view: DueView, *, by_patient: bool = False) -> str:
    from .spreadsheet import csv_text  # csv: not imported for the other formats

    record = due_record(view)
    if by_patient:
        lines = [dict(line, what="; ".join(line["what"]), tests=",".join(line["tests"])) for line in record["patients"]]
        return csv_text(BY_PATIENT_CSV_COLUMNS, ([line[c] for c in BY_PATIENT_CSV_COLUMNS] for line in lines))
    return csv_text(DUE_CSV_COLUMNS, ([row[c] for c in DUE_CSV_COLUMNS] for row in record["rows"]))


# ------------------------------------------------------------------ screen


def render_due_text(view: DueView, *, by_patient: bool = False, width: int = 80, color: bool = False) -> str:
    lines = [style(view.title(), BOLD, color)]
    lines += wrap(view.question(), width)
    if not view.listed:
        return screen_safe("\n".join(lines + ["Nothing is due.", ""]), color)
    # the distinct labels, in a pass at C speed (a DueTests' first field is its label)
    labels = {label: clean(label) for label in dict.fromkeys(map(itemgetter(0), view.listed))}
    columns = Columns([fit("Patient", labels.values(), 20), 8, 10, 10], width=width, last_min=20)
    label_w = columns.widths[0]
    lines.append(
        columns.line("Patient", "Worst" if by_patient else "Status", "Since" if by_patient else "Date", "When", "What")
    )
    lines.append("-" * width)
    head = screen_safe("\n".join(lines), color)
    # every cell below is clean already (labels above, the last column by
    # Columns): no second pass over thousands of lines
    entries = view.entries(by_patient)
    if color:
        body: list[str] = []
        for label, state, day, ago, what in entries:
            cells = (labels[label][:label_w], state, day.isoformat(), ago, what)
            if SGR[state]:
                body += [style(line, SGR[state], color) for line in columns.hanging(*cells)]
            else:
                body.append(columns.block(*cells))
    else:
        body = _plain_lines(columns, labels, entries)
    events = None if by_patient else len(entries)
    tail = screen_safe(f"\n{view.counts(events, len(labels))}\n", color)
    return f"{head}\n{chr(10).join(body)}\n{tail}"


def _plain_lines(columns: Columns, labels: dict[str, str], entries: list) -> list[str]:
    """``columns.block`` of each entry, its label cut to the first column.
    The label always fills that column exactly (cut, then padded), so the
    rest of a line depends on the other cells only: a due list repeats the
    same few (status, date, when, what) thousands of times, each laid out
    once, and each label padded once."""
    width = columns.widths[0]
    blank = " " * width
    padded: dict[str, str] = {}
    rests: dict[tuple, str] = {}
    body: list[str] = []
    add = body.append
    for label, state, day, ago, what in entries:
        key = (state, day, ago, what)
        rest = rests.get(key)
        if rest is None:
            rest = rests[key] = columns.block(blank, state, day.isoformat(), ago, what)[width:]
        lead = padded.get(label)
        if lead is None:
            lead = padded[label] = labels[label][:width].ljust(width)
        add(lead + rest)
    return body


# ------------------------------------------------------------------ markdown


def render_due_markdown(view: DueView, *, by_patient: bool = False) -> str:
    from .markdown import md_escape  # the plan's Markdown module: not imported for the other formats

    lines = [f"# {md_escape(view.title())}", "", md_escape(view.question()), ""]
    if not view.listed:
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
    if not view.listed:
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
