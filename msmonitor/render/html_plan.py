"""Five years at a glance: the plan, and one patient's record, as a printable page.

``render_plan_html`` draws a timeline of the whole programme (SVG) and a
calendar of twelve small months per year, each visit day marked by a symbol
for its kind; ``render_status_html`` draws the same calendar with each day's
status, and a bar chart of complete lab panels per monitoring year.

One self-contained HTML file: inline CSS and SVG, no scripts, nothing fetched.
Kind and status are carried by shape and by text, never by colour alone, and
the colours stay apart in greyscale. Projected items are drawn dashed or
hatched and say "projected". A text list of the dates follows each year.
Every piece of text (labels, titles, notes, protocol text) is escaped.
"""

from __future__ import annotations

import calendar
from datetime import date
from typing import NamedTuple

from ..checklists import plan_header
from ..dates import add_months
from ..kinds import KIND
from ..model import Event, Plan
from ..tracking import DONE, DUE, LATE, MISSED, OVERDUE, UPCOMING, Tracking, summary
from ..view import NOTICE, also, has_women_only, marked, markers
from .checklist import header_html, page_head
from .text import html_escape as escape

NOT_TRACKED = "not-tracked"

# Day marks on the plan's calendar. A day holding several kinds shows the
# first of these; the list under each year names every item.
KIND_ORDER = ("infusion", "end", "yearly", "plus", "labs", "deadline")
# kind: (shape, colour, legend)
_KIND_MARK = {
    "labs": ("circle", "#1d4f91"),
    "plus": ("ringed", "#1d4f91"),
    "yearly": ("diamond", "#8a4b08"),
    "infusion": ("square", "#a11d1d"),
    "deadline": ("triangle", "#3d3d3d"),
    "end": ("octagon", "#000000"),
}
# Statuses, worst first: a day shows the worst status among its tests.
STATUS_ORDER = (MISSED, OVERDUE, DUE, LATE, DONE, UPCOMING, NOT_TRACKED)
_STATUS_MARK = {
    DONE: ("circle", "#1e7b34", "done"),
    LATE: ("ring", "#1e7b34", "done late"),
    MISSED: ("crossed", "#b3001b", "missed"),
    OVERDUE: ("diamond", "#c05600", "overdue"),
    DUE: ("ring", "#000000", "due now"),
    UPCOMING: ("thin", "#555555", "upcoming"),
    NOT_TRACKED: ("dotted", "#777777", "not tracked (no test to record)"),
}

WEEKDAYS = "MTWTFSS"  # ISO weeks: Monday first


# ------------------------------------------------------------------ what a day holds


def event_kind(event: Event, plan: Plan) -> str | None:
    """The calendar symbol of an event (kinds.KIND); None for spans, drawn on the timeline."""
    kind = KIND[event.kind].symbol or None
    if kind == "labs" and any(
        plan.protocol.rule(m.rule).when == "grid" and plan.protocol.rule(m.rule).every_months > 1 for m in event.merged
    ):
        return "plus"  # a less frequent grid rule merged into the monthly visit: thyroid
    return kind


def day_events(plan: Plan) -> dict[date, list[Event]]:
    """Every day with something to do or to have done, in date order."""
    days: dict[date, list[Event]] = {}
    for event in plan.events:
        if event_kind(event, plan):
            days.setdefault(event.date, []).append(event)
    return days


def kind_labels(plan: Plan) -> dict[str, str]:
    """Legend words for each kind, from the protocol's own titles where it has them."""
    labels = {
        "labs": "Blood and urine tests",
        "plus": "Blood and urine tests + thyroid",
        "yearly": "Yearly exams",
        "infusion": "Infusion day",
        "deadline": "Deadline or test before treatment or a course",
        "end": "End of monitoring",
    }
    for event in plan.events:
        kind = event_kind(event, plan)
        if kind == "labs" and event.month:
            labels["labs"] = event.title
        elif kind == "plus":
            labels["plus"] = event.title + " + " + "; ".join(_lower_first(m.title) for m in event.merged)
    return labels


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:] if text[1:2].islower() else text


def _event_text(event: Event, plan: Plan) -> str:
    """The event's title and its merged rules' titles, each with its markers."""
    sex = plan.options.sex
    return "; ".join([marked(event.title, event, sex), *also(event, sex)])


# ------------------------------------------------------------------ shapes


def _shape(shape: str, colour: str, cx: float, cy: float, dashed: bool = False) -> tuple[str, str]:
    """SVG for a mark centred on (cx, cy), and the colour its day number takes."""
    dash = ' stroke-dasharray="1.3 0.9"' if dashed else ""
    if dashed:  # projected: the outline of the shape only
        fill, stroke, width, text = "#fff", colour, 0.7, colour
    else:
        fill, stroke, width, text = colour, colour, 0.4, "#fff"
    paint = f'fill="{fill}" stroke="{stroke}" stroke-width="{width}"{dash}'
    if shape == "circle":
        return f'<circle cx="{cx}" cy="{cy}" r="3.5" {paint}/>', text
    if shape == "ringed":
        ring = f'<circle cx="{cx}" cy="{cy}" r="4.35" fill="none" stroke="{colour}" stroke-width="0.6"{dash}/>'
        return f'<circle cx="{cx}" cy="{cy}" r="3.1" {paint}/>{ring}', text
    if shape == "square":
        return f'<rect x="{cx - 3.5}" y="{cy - 3.5}" width="7" height="7" {paint}/>', text
    if shape == "diamond":
        d = f"M{cx} {cy - 4.4}L{cx + 4.4} {cy}L{cx} {cy + 4.4}L{cx - 4.4} {cy}Z"
        return f'<path d="{d}" {paint}/>', text
    if shape == "triangle":
        d = f"M{cx} {cy - 4.9}L{cx + 5} {cy + 3.9}L{cx - 5} {cy + 3.9}Z"
        fill = "#fff" if dashed else "#f3d27a"
        return f'<path d="{d}" fill="{fill}" stroke="{colour}" stroke-width="0.7"{dash}/>', "#000"
    if shape == "octagon":
        r, s = 4.0, 1.66
        points = [(-s, -r), (s, -r), (r, -s), (r, s), (s, r), (-s, r), (-r, s), (-r, -s)]
        d = "M" + "L".join(f"{cx + x:.2f} {cy + y:.2f}" for x, y in points) + "Z"
        return f'<path d="{d}" {paint}/>', text
    if shape == "crossed":  # a filled square with its corners cut by an X
        cross = (
            f'<path d="M{cx - 3.7} {cy - 3.7}L{cx + 3.7} {cy + 3.7}M{cx + 3.7} {cy - 3.7}L{cx - 3.7} {cy + 3.7}" '
            f'stroke="{colour}" stroke-width="0.9"/>'
        )
        box = f'<rect x="{cx - 3.1}" y="{cy - 3.1}" width="6.2" height="6.2" {paint}/>'
        return cross + box, text
    if shape == "ring":
        return f'<circle cx="{cx}" cy="{cy}" r="3.6" fill="#fff" stroke="{colour}" stroke-width="1.1"{dash}/>', "#000"
    if shape == "thin":
        return f'<circle cx="{cx}" cy="{cy}" r="3.6" fill="#fff" stroke="{colour}" stroke-width="0.5"{dash}/>', "#000"
    # dotted: something happens but there is nothing to record
    rect = f'<rect x="{cx - 3.5}" y="{cy - 3.5}" width="7" height="7" fill="#fff" stroke="{colour}"'
    return rect + ' stroke-width="0.6" stroke-dasharray="0.5 0.7"/>', "#000"


def _swatch(shape: str, colour: str, dashed: bool = False, number: str = "14") -> str:
    """A legend symbol: the same mark as on the calendar, with a day number."""
    mark, ink = _shape(shape, colour, 5, 5, dashed)
    return (
        f'<svg class="swatch" viewBox="0 0 10 10" aria-hidden="true">{mark}'
        f'<text x="5" y="6.4" fill="{ink}">{number}</text></svg>'
    )


# ------------------------------------------------------------------ calendar


class _Day(NamedTuple):
    """What the calendar draws on one day."""

    shape: str
    colour: str
    dashed: bool
    css: str  # classes: the kind or status, and "projected"
    title: str


_CELL_W, _CELL_H, _TOP = 10, 8.6, 12


def _month_svg(year: int, month: int, marks: dict[date, _Day], today: date) -> str:
    first_weekday, days = calendar.monthrange(year, month)
    rows = (first_weekday + days + 6) // 7
    height = _TOP + 6 * _CELL_H + 1
    name = f"{calendar.month_name[month]} {year}"
    parts = [
        f'<svg class="month" viewBox="0 0 70 {height:.1f}" role="img" aria-label="{name}">',
        f'<text class="mname" x="0.5" y="5">{name}</text>',
    ]
    parts += [f'<text class="wd" x="{i * _CELL_W + 5}" y="{_TOP - 2}">{c}</text>' for i, c in enumerate(WEEKDAYS)]
    for day in range(1, days + 1):
        index = first_weekday + day - 1
        x, y = (index % 7) * _CELL_W, _TOP + (index // 7) * _CELL_H
        cx, cy = x + 5, y + _CELL_H / 2
        current = date(year, month, day)
        mark = marks.get(current)
        box = ""
        if current == today:
            box = f'<rect class="today" x="{x + 0.4}" y="{y + 0.1}" width="9.2" height="{_CELL_H - 0.2}"/>'
        if mark is None:
            parts.append(f'{box}<text class="d" x="{cx}" y="{cy + 1.4:.2f}">{day}</text>')
            continue
        shape, ink = _shape(mark.shape, mark.colour, cx, cy, mark.dashed)
        parts.append(
            f'<g class="marked {mark.css}" data-date="{current.isoformat()}"><title>{escape(mark.title)}</title>'
            f'{box}{shape}<text class="d on" x="{cx}" y="{cy + 1.4:.2f}" fill="{ink}">{day}</text></g>'
        )
    del rows
    parts.append("</svg>")
    return "".join(parts)


def _months(plan: Plan) -> list[tuple[int, int]]:
    """Every month from the first item's to the end of monitoring."""
    first = min(e.date for e in plan.events)
    last = max(e.last_date for e in plan.events)
    months, current = [], date(first.year, first.month, 1)
    while current <= last:
        months.append((current.year, current.month))
        current = add_months(current, 1)
    return months


def _calendar(plan: Plan, marks: dict[date, _Day], today: date, year_text) -> list[str]:
    parts = ['<section class="calendar">']
    by_year: dict[int, list[int]] = {}
    for year, month in _months(plan):
        by_year.setdefault(year, []).append(month)
    for year, months in by_year.items():
        parts.append(f'<section class="year" aria-labelledby="y{year}"><h2 id="y{year}">{year}</h2>')
        parts.append('<div class="months">')
        parts += [_month_svg(year, m, marks, today) for m in months]
        parts.append("</div>")
        parts.append(year_text(year))
        parts.append("</section>")
    parts.append("</section>")
    return parts


# ------------------------------------------------------------------ timeline


_W, _GUTTER, _RIGHT = 800.0, 132.0, 794.0  # lane names left of _GUTTER
_LANE = 25.0


def _timeline(plan: Plan, today: date) -> str:
    events = plan.events
    start = date(min(e.date for e in events).year, min(e.date for e in events).month, 1)
    stop = add_months(date(plan.monitoring_ends.year, plan.monitoring_ends.month, 1), 2)
    span = (stop - start).days

    def x(d: date) -> float:
        return round(_GUTTER + (d - start).days / span * (_RIGHT - _GUTTER), 1)

    labels = kind_labels(plan)
    windows: dict[str, list[Event]] = {}
    for e in events:
        if event_kind(e, plan) is None:
            windows.setdefault(e.rule, []).append(e)
    lanes = ["before", "courses", *windows, "labs", "plus", "yearly", "end"]
    axis_y = 40.0
    lane_y = {name: axis_y + 10 + i * _LANE for i, name in enumerate(lanes)}
    height = lane_y["end"] + _LANE + 4
    svg = [
        f'<svg class="timeline" viewBox="0 0 {_W:.0f} {height:.0f}" role="img" aria-labelledby="tl-t tl-d">',
        '<title id="tl-t">Timeline of the whole programme</title>',
        f'<desc id="tl-d">{escape(_timeline_summary(plan))}</desc>',
        "<defs>",
        '<pattern id="hatch" patternUnits="userSpaceOnUse" width="5" height="5" patternTransform="rotate(45)">'
        '<rect width="5" height="5" fill="#fff"/><rect width="2" height="5" fill="#444"/></pattern>',
        "</defs>",
    ]
    # the monitoring span behind the monthly lanes; the part that depends on a projected course, hatched
    top, bottom = lane_y["labs"] - 2, lane_y["end"] - 4
    svg.append(
        f'<rect x="{x(plan.grid_anchor)}" y="{top}" width="{x(plan.monitoring_ends) - x(plan.grid_anchor)}" '
        f'height="{bottom - top}" fill="#eef2f7"/>'
    )
    given = [c for c in plan.courses if not c.projected]
    if plan.courses[-1].projected and given:
        sure = add_months(given[-1].last, plan.protocol.monitoring_months)
        svg.append(
            f'<rect class="projected" x="{x(sure)}" y="{top}" width="{x(plan.monitoring_ends) - x(sure)}" '
            f'height="{bottom - top}" fill="url(#hatch)" opacity="0.35"/>'
        )
    # axis: months and years
    svg.append(f'<line x1="{_GUTTER}" y1="{axis_y}" x2="{_RIGHT}" y2="{axis_y}" stroke="#000" stroke-width="0.8"/>')
    month = start
    while month <= stop:
        tall = month.month == 1 or month in (start, stop)
        svg.append(
            f'<line x1="{x(month)}" y1="{axis_y - (7 if tall else 3)}" x2="{x(month)}" y2="{axis_y}" '
            f'stroke="#000" stroke-width="{0.8 if tall else 0.4}"/>'
        )
        if month.month == 1 and month != start:
            svg.append(
                f'<line x1="{x(month)}" y1="{axis_y}" x2="{x(month)}" y2="{height - 4}" stroke="#bbb" '
                'stroke-width="0.5"/>'
            )
        month = add_months(month, 1)
    for year in range(start.year, stop.year + 1):
        left, right = max(start, date(year, 1, 1)), min(stop, date(year + 1, 1, 1))
        if (right - left).days > 75:
            svg.append(f'<text class="yr" x="{(x(left) + x(right)) / 2}" y="{axis_y - 11}">{year}</text>')

    gutter = {
        "before": "Before treatment",
        "courses": "Infusion courses",
        "labs": "Blood and urine",
        "plus": "+ thyroid",
        "yearly": "Yearly exams",
        "end": "End of monitoring",
    }
    if windows:
        gutter[next(iter(windows))] = "Around courses"
    for name, y in lane_y.items():
        if name in gutter:
            svg.append(f'<text class="lane" x="2" y="{y + 4}">{escape(gutter[name])}</text>')

    # before treatment: deadlines and the baseline window
    before = [e for e in events if e.phase == "before"]
    y = lane_y["before"]
    for e in before:
        if e.window_end:
            svg.append(_bar(x(e.date), x(e.window_end), y, "#3d3d3d", e.projected))
        else:
            svg.append(
                f'<path d="M{x(e.date)} {y - 5}L{x(e.date) + 4.5} {y + 4}L{x(e.date) - 4.5} {y + 4}Z" '
                'fill="#fff" stroke="#3d3d3d" stroke-width="1"/>'
            )
    if before:
        opens, closes = min(e.date for e in before), max(e.last_date for e in before)
        svg.append(
            f'<text class="lbl" x="{x(closes) + 8}" y="{y + 4}">{opens.isoformat()} to {closes.isoformat()}</text>'
        )
    # courses
    y = lane_y["courses"]
    for course in plan.courses:
        x0, x1 = x(course.first), max(x(course.last), x(course.first) + 4)
        svg.append(_bar(x0, x1, y, "#a11d1d", course.projected, tall=True))
        word = " (projected)" if course.projected else ""
        svg.append(
            f'<text class="lbl{" pl" if course.projected else ""}" x="{x1 + 3}" y="{y - 1}">'
            f"Course {course.number}{word}</text>"
            f'<text class="sub" x="{x1 + 3}" y="{y + 8}">{course.first.isoformat()}</text>'
        )
    # windows around courses: one lane each, named after the last bar
    for item, spans in windows.items():
        y = lane_y[item]
        for e in spans:
            svg.append(_bar(x(e.date), x(e.last_date), y, "#5b5b5b", e.projected))
        last = spans[-1]
        marks = [m for m in markers(last, plan.options.sex) if m != "projected"]
        text = last.title + (f" ({', '.join(marks)})" if marks else "")
        svg.append(f'<text class="lbl" x="{x(last.last_date) + 5}" y="{y + 4}">{escape(text)}</text>')
    # the monthly grid
    for e in events:
        kind = event_kind(e, plan)
        if kind not in ("labs", "plus", "yearly") or e.phase == "end":
            continue
        ex = x(e.date)
        if kind in ("labs", "plus"):
            y = lane_y["labs"]
            svg.append(f'<line x1="{ex}" y1="{y - 6}" x2="{ex}" y2="{y + 6}" stroke="#1d4f91" stroke-width="1.6"/>')
        if kind == "plus":
            y = lane_y["plus"]
            svg.append(f'<circle cx="{ex}" cy="{y}" r="3.6" fill="#1d4f91"/>')
        if kind == "yearly":
            y = lane_y["yearly"]
            # near the right edge the label goes above its diamond
            at = f'x="{ex + 8}" y="{y + 3.5}"' if ex < _RIGHT - 60 else f'x="{ex}" y="{y - 8}" text-anchor="middle"'
            svg.append(f'<path d="M{ex} {y - 6}L{ex + 6} {y}L{ex} {y + 6}L{ex - 6} {y}Z" fill="#8a4b08"/>')
            if e.month:
                svg.append(f'<text class="sub" {at}>month {e.month}</text>')
    # end of monitoring
    y = lane_y["end"]
    end = plan.monitoring_ends
    projected = plan.courses[-1].projected
    shape, _ = _shape("octagon", "#000", x(end), y, dashed=projected)
    svg.append(f'<g transform="translate({x(end)} {y}) scale(1.5) translate({-x(end)} {-y})">{shape}</g>')
    why = f" (projected: moves with course {plan.courses[-1].number}'s date)" if projected else ""
    svg.append(
        f'<text class="lbl{" pl" if projected else ""}" x="{x(end) - 10}" y="{y + 4}" text-anchor="end">'
        f"{escape(labels['end'] + ': ' + end.isoformat() + why)}</text>"
    )
    # today
    if start <= today <= stop:
        tx = x(today)
        box = min(max(tx - 60, 0), _W - 120)
        svg.append(
            f'<line class="now" x1="{tx}" y1="15" x2="{tx}" y2="{height - 2}" stroke="#000" '
            'stroke-width="1.6"/>'
            f'<rect x="{box}" y="1" width="120" height="15" fill="#000"/>'
            f'<text class="today" x="{box + 60}" y="12">Today {today.isoformat()}</text>'
        )
    else:
        where = "before this plan begins" if today < start else "after this plan ends"
        svg.append(f'<text class="lbl" x="2" y="12">Today ({today.isoformat()}) is {where}.</text>')
    svg.append("</svg>")
    return "".join(svg)


def _bar(left: float, right: float, y: float, colour: str, projected: bool, tall: bool = False) -> str:
    h = 12 if tall else 8
    width = max(right - left, 3)
    if projected:
        return (
            f'<rect class="projected" x="{left}" y="{y - h / 2}" width="{width}" height="{h}" fill="url(#hatch)" '
            f'stroke="{colour}" stroke-width="1" stroke-dasharray="3 2"/>'
        )
    return f'<rect x="{left}" y="{y - h / 2}" width="{width}" height="{h}" fill="{colour}"/>'


def _timeline_summary(plan: Plan) -> str:
    courses = "; ".join(
        f"course {c.number} {c.first.isoformat()} to {c.last.isoformat()}" + (" (projected)" if c.projected else "")
        for c in plan.courses
    )
    return (
        f"{courses}. Monthly tests from {plan.grid_anchor.isoformat()} to "
        f"{plan.monitoring_ends.isoformat()}. The dates are listed under each year of the calendar."
    )


# ------------------------------------------------------------------ page pieces


# After the checklists' print CSS (page box, header block, warnings), which it shares.
_CSS = """
h1 { font-size: 15pt; }
h2 { font-size: 11pt; margin: 0 0 0.5mm; }
dl.header { gap: 0.3mm 3mm; padding: 1.2mm 3mm; font-size: 9pt; }
dl.header dd { min-height: 4.5mm; }
.warning { margin: 1mm 0 0; font-size: 9pt; }
.notice { font-size: 8pt; margin: 1.5mm 0 0; font-weight: bold; }
figure { margin: 2.5mm 0 0; }
figcaption { font-size: 8.5pt; margin-bottom: 1mm; }
svg text { font-family: "DejaVu Sans", "Helvetica Neue", Arial, sans-serif; }
svg.timeline { width: 100%; height: auto; display: block; }
.timeline .yr { font-size: 13px; font-weight: bold; text-anchor: middle; }
.timeline .lane { font-size: 12px; font-weight: bold; }
.timeline .lbl { font-size: 11.5px; }
.timeline .sub { font-size: 10px; }
.timeline .pl { font-style: italic; font-size: 10.5px; }
.timeline text.today { font-size: 11px; fill: #fff; font-weight: bold; text-anchor: middle; }
.legend { display: flex; flex-wrap: wrap; gap: 0.6mm 4mm; margin: 2mm 0 0; padding: 0; list-style: none;
          font-size: 8.5pt; }
.legend li { display: flex; align-items: center; gap: 1.2mm; padding: 0; border: 0; }
svg.swatch { width: 5.2mm; height: 5.2mm; flex: none; }
svg.swatch text { font-size: 4.1px; text-anchor: middle; font-weight: bold; }
.legend .note { flex-basis: 100%; font-size: 8pt; }
section.calendar { margin-top: 3mm; }
section.year { break-inside: avoid; page-break-inside: avoid; margin: 0 0 2.5mm; }
section.calendar section.year { margin-top: 0; }
.months { display: grid; grid-template-columns: repeat(6, 1fr); gap: 0.8mm 2.4mm; }
svg.month { width: 100%; height: auto; display: block; }
.month .mname { font-size: 5px; font-weight: bold; }
.month .wd { font-size: 3.3px; fill: #555; text-anchor: middle; }
.month .d { font-size: 4.1px; text-anchor: middle; fill: #222; }
.month .d.on { font-weight: bold; }
.month rect.today { fill: none; stroke: #000; stroke-width: 0.9; }
div.dates { margin: 0.8mm 0 0; font-size: 7.3pt; line-height: 1.2; }
div.dates p { margin: 0 0 0.3mm; }
.bars { width: 100%; max-width: 150mm; height: auto; display: block; }
.bars text { font-size: 12px; }
.summary { font-size: 9pt; margin: 1.5mm 0 0; }
footer { margin-top: 1mm; font-size: 7.5pt; }
"""


def _notices(plan: Plan) -> list[str]:
    parts = [f'<p class="warning">Warning: {escape(w)}</p>' for w in plan.warnings]
    if plan.protocol.notice:
        parts.append(f'<p class="warning">Protocol note: {escape(plan.protocol.notice)}</p>')
    if has_women_only(plan):
        parts.append('<p class="warning">Sex not given: items for women are shown and marked "women only".</p>')
    parts.append(f'<p class="notice">{escape(NOTICE)}</p>')
    return parts


def _dates_list(groups: list[tuple[str, list[str]]]) -> str:
    items = [f"<p><b>{escape(name)}:</b> {escape('; '.join(values))}</p>" for name, values in groups if values]
    return '<div class="dates">' + "".join(items) + "</div>"


# ------------------------------------------------------------------ the plan


def render_plan_html(plan: Plan, today: date) -> str:
    labels = kind_labels(plan)
    days = day_events(plan)
    marks: dict[date, _Day] = {}
    for day, held in days.items():
        kinds = {event_kind(e, plan) for e in held}
        kind = next(k for k in KIND_ORDER if k in kinds)
        projected = any(e.projected for e in held)
        shape, colour = _KIND_MARK[kind]
        title = f"{day.isoformat()}: " + "; ".join(_event_text(e, plan) for e in held)
        marks[day] = _Day(shape, colour, projected, kind + (" projected" if projected else ""), title)

    def year_text(year: int) -> str:
        groups: dict[str, list[str]] = {k: [] for k in ("deadline", "infusion", "window", "labs", "yearly", "end")}
        infusions: dict[int, list[Event]] = {}
        for e in plan.events:
            if e.date.year != year:
                continue
            kind = event_kind(e, plan) or "window"
            suffix = " [projected]" if e.projected else ""
            if kind in ("labs", "plus") and e.phase != "end":
                groups["labs"].append(e.date.isoformat() + (" + thyroid" if kind == "plus" else "") + suffix)
            elif kind == "infusion":
                infusions.setdefault(e.course or 0, []).append(e)
            elif kind == "window":
                span = f"{e.date.isoformat()} to {e.last_date.isoformat()}"
                groups["window"].append(f"{span} {_event_text(e, plan)}")
            elif kind == "yearly":
                groups["yearly"].append(f"{e.date.isoformat()} {_event_text(e, plan)}")
            elif kind == "end" or e.phase == "end":
                groups["end"].append(f"{e.date.isoformat()} {_event_text(e, plan)}")
            else:
                when = e.date.isoformat() + (f" to {e.window_end.isoformat()}" if e.window_end else "")
                groups["deadline"].append(f"{when} {_event_text(e, plan)}")
        for number, held in infusions.items():
            projected = " [projected]" if held[0].projected else ""
            days = ", ".join(e.date.isoformat() for e in held)
            groups["infusion"].append(f"course {number}: {days}{projected}")
        names = {
            "deadline": labels["deadline"],
            "infusion": "Infusion days",
            "window": "Around each course",
            "labs": labels["labs"],
            "yearly": labels["yearly"],
            "end": labels["end"],
        }
        return _dates_list([(names[k], v) for k, v in groups.items()])

    title = "Monitoring plan" + (f": {plan.options.patient}" if plan.options.patient else "")
    body = ['<article class="plan">', f"<h1>{escape(title)}</h1>"]
    body.append(header_html(plan_header(plan), wide_over=30))
    body += _notices(plan)
    body.append('<figure class="overview">')
    body.append(
        "<figcaption><strong>The whole programme.</strong> Hatched or dashed parts are projected: "
        "they move when the real date of the next course is known.</figcaption>"
    )
    body.append(_timeline(plan, today))
    body.append("</figure>")
    body.append(
        _legend(
            [(_KIND_MARK[k], labels[k]) for k in KIND_ORDER],
            projected=True,
            note="A day with several items shows one symbol: infusion, then end, yearly exams, thyroid, "
            "blood and urine, deadline. The list under each year names them all.",
        )
    )
    body += _calendar(plan, marks, today, year_text)
    body.append("</article>")
    return "\n".join([*page_head(title, _CSS), *body, "</body>", "</html>", ""])


def _legend(entries, *, projected: bool, note: str) -> str:
    items = [f"<li>{_swatch(shape, colour)}{escape(text)}</li>" for (shape, colour, *_), text in entries]
    if projected:
        items.append(f"<li>{_swatch('square', '#a11d1d', dashed=True)}Dashed outline: projected</li>")
    items.append(
        '<li><svg class="swatch" viewBox="0 0 10 10" aria-hidden="true"><rect x="0.5" y="0.8" width="9" '
        'height="8.4" fill="none" stroke="#000" stroke-width="0.9"/><text x="5" y="6.4">14</text></svg>Today</li>'
    )
    items.append(f'<li class="note">{escape(note)}</li>')
    return '<ul class="legend" aria-label="Key to the symbols">' + "".join(items) + "</ul>"


# ------------------------------------------------------------------ a patient's record


def render_status_html(plan: Plan, tracking: Tracking, today: date) -> str:
    by_event: dict[str, list] = {}
    for t in tracking.tests:
        by_event.setdefault(t.scheduled.event_id, []).append(t)
    days = day_events(plan)
    marks: dict[date, _Day] = {}
    day_status: dict[date, str] = {}
    for day, held in days.items():
        tracked = [t for e in held for t in by_event.get(e.id, [])]
        states = {t.status for t in tracked} or {NOT_TRACKED}
        state = next(s for s in STATUS_ORDER if s in states)
        day_status[day] = state
        shape, colour, word = _STATUS_MARK[state]
        projected = any(e.projected for e in held) and state in (UPCOMING, NOT_TRACKED)
        detail = "; ".join(
            f"{t.scheduled.test} {_STATUS_MARK[t.status][2]}" + (f" {t.record.done_on.isoformat()}" if t.record else "")
            for t in tracked
        )
        title = f"{day.isoformat()}: " + "; ".join(_event_text(e, plan) for e in held) + f": {detail or word}"
        marks[day] = _Day(shape, colour, projected, state + (" projected" if projected else ""), title)

    def year_text(year: int) -> str:
        groups: dict[str, list[str]] = {s: [] for s in STATUS_ORDER}
        for day, held in days.items():
            if day.year != year:
                continue
            state = day_status[day]
            tracked = [t for e in held for t in by_event.get(e.id, [])]
            text = day.isoformat()
            if state in (MISSED, OVERDUE, DUE):
                tests = [t.scheduled.test for t in tracked if t.status == state]
                text += f" ({', '.join(tests)})"
            elif state == NOT_TRACKED:
                text += f" {held[0].title}"
            if any(e.projected for e in held):
                text += " [projected]"
            groups[state].append(text)
        return _dates_list([(_STATUS_MARK[s][2].split(" (")[0].capitalize(), v) for s, v in groups.items()])

    label = plan.options.patient or ""
    title = f"Monitoring record: {label}"
    s = summary(tracking, today)
    panels = s["panels"]
    body = ['<article class="status">', f"<h1>{escape(title)}</h1>"]
    body.append(header_html(plan_header(plan), wide_over=30))
    body += _notices(plan)
    body.append(
        f'<p class="summary">Today {today.isoformat()}. Lab panels: {panels["done"]} of {panels["due_so_far"]} '
        f"due so far done, {panels['missed']} missed, {panels['partial']} partly done "
        f"({panels['scheduled']} scheduled).</p>"
    )
    body.append('<figure class="adherence">')
    body.append("<figcaption><strong>Complete lab panels by monitoring year</strong> (so far)</figcaption>")
    body.append(_bars(s["adherence"]))
    body.append("</figure>")
    body.append(
        _legend(
            [(_STATUS_MARK[k], _STATUS_MARK[k][2]) for k in STATUS_ORDER],
            projected=False,
            note="A day shows the worst status of its tests: missed, overdue, due now, done late, done, upcoming. "
            "The list under each year names the tests behind each missed, overdue or due day.",
        )
    )
    body += _calendar(plan, marks, today, year_text)
    if tracking.unmatched:
        extra = "; ".join(f"{r.test} {r.done_on.isoformat()}" for r in tracking.unmatched)
        body.append(f'<p class="summary">Records near no scheduled item (kept): {escape(extra)}</p>')
    body.append("</article>")
    return "\n".join([*page_head(title, _CSS), *body, "</body>", "</html>", ""])


def _bars(adherence: dict) -> str:
    if not adherence:
        return '<p class="summary">No monitoring panel is due yet.</p>'
    row = 22
    height = row * len(adherence) + 4
    parts = [f'<svg class="bars" viewBox="0 0 600 {height}" role="img" aria-label="Complete lab panels by year">']
    for i, (phase, v) in enumerate(adherence.items()):
        y = 2 + i * row
        share = v["done"] / v["panels"] if v["panels"] else 0
        text = f"{v['done']} of {v['panels']} complete ({v['percent']}%)"
        parts.append(
            f'<text x="0" y="{y + 14}">Year {phase.split("-")[1]}</text>'
            f'<rect x="60" y="{y + 3}" width="300" height="14" fill="#fff" stroke="#000" stroke-width="0.8"/>'
            f'<rect x="60" y="{y + 3}" width="{300 * share:.1f}" height="14" fill="#1e7b34"/>'
            f'<text x="370" y="{y + 14}">{text}</text>'
        )
    parts.append("</svg>")
    return "".join(parts)
