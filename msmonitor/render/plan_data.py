"""The machine-readable plan: JSON (msmonitor.plan/1) and CSV (msmonitor.plan-csv/1).

Both are output contracts, documented in the README: keys, columns and ids
never change meaning within a schema version; new keys may be added.
"""

from __future__ import annotations

import json
from datetime import date
from typing import Any

from .. import __version__
from ..model import Event, Plan
from ..view import NOTICE, also, next_event, plan_warnings, sources_used, timing_of
from .spreadsheet import csv_text
from .text import json_safe

JSON_SCHEMA = "msmonitor.plan/1"
CSV_SCHEMA = "msmonitor.plan-csv/1"
CSV_COLUMNS = (
    "date",
    "window_end",
    "phase",
    "kind",
    "event_id",
    "title",
    "test",
    "test_name",
    "course",
    "month",
    "projected",
    "women_only",
    "evidence",
    "status",
)


def _iso(value: date | None) -> str | None:
    return value.isoformat() if value else None


def _evidence(event: Event) -> str:
    return "unverified" if event.unverified else "inferred" if event.inferred else "found"


def event_record(event: Event, today: date, sex: str | None) -> dict[str, Any]:
    return {
        "id": event.id,
        "date": event.date.isoformat(),
        "window_start": _iso(event.window_start),
        "window_end": _iso(event.window_end),
        "kind": event.kind,
        "item": event.rule,
        "items": list(event.rules),
        "title": event.title,
        "also": also(event, sex),
        "notes": list(event.notes),
        "tests": list(event.tests),
        "phase": event.phase,
        "course": event.course,
        "day": event.day,
        "month": event.month,
        "projected": event.projected,
        "women_only": event.women_only,
        "evidence": _evidence(event),
        "sources": list(event.sources),
        "status": timing_of(event, today),
    }


def protocol_record(plan: Plan) -> dict[str, Any]:
    p = plan.protocol
    return {"id": p.id, "title": p.title, "version": p.version, "origin": p.origin, "notice": p.notice}


def courses_record(plan: Plan) -> list[dict[str, Any]]:
    return [
        {"number": c.number, "infusion_days": [d.isoformat() for d in c.infusion_days], "projected": c.projected}
        for c in plan.courses
    ]


def plan_record(plan: Plan, today: date) -> dict[str, Any]:
    p = plan.protocol
    upcoming = next_event(plan, today)
    return {
        "schema": JSON_SCHEMA,
        "generator": f"msmonitor {__version__}",
        "notice": NOTICE,
        "protocol": protocol_record(plan),
        "patient": plan.options.patient,
        "sex": plan.options.sex,
        "include_unverified": plan.options.include_unverified,
        "today": today.isoformat(),
        "courses": courses_record(plan),
        "grid_anchor": plan.grid_anchor.isoformat(),
        "last_dose": plan.last_dose.isoformat(),
        "monitoring_ends": plan.monitoring_ends.isoformat(),
        "monitoring_months": p.monitoring_months,
        "grid_months": plan.grid_months,
        "next_event": upcoming.id if upcoming else None,
        "warnings": plan_warnings(plan, today),
        "not_scheduled": list(plan.left_out),
        "tests": {tid: {"name": t.name, "why": t.why} for tid, t in p.tests.items()},
        "sources": {
            sid: {"document": p.sources[sid].document, "where": p.sources[sid].where} for sid in sources_used(plan)
        },
        "events": [event_record(e, today, plan.options.sex) for e in plan.events],
    }


def render_json(plan: Plan, today: date) -> str:
    return json_safe(json.dumps(plan_record(plan, today), indent=2, ensure_ascii=False)) + "\n"


def render_csv(plan: Plan, today: date) -> str:
    tests = plan.protocol.tests
    rows = []
    for event in plan.events:
        for test in event.tests or (None,):
            rows.append(
                (
                    event.date.isoformat(),
                    _iso(event.window_end),
                    event.phase,
                    event.kind,
                    event.id,
                    event.title,
                    test,
                    tests[test].name if test else "",
                    event.course,
                    event.month,
                    str(event.projected).lower(),
                    str(event.women_only).lower(),
                    _evidence(event),
                    timing_of(event, today),
                )
            )
    return csv_text(CSV_COLUMNS, rows)
