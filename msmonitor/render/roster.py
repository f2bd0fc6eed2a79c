"""The saved patients (``msmonitor patients``): a table for the screen, JSON
(``msmonitor.patients/1``) and CSV (``msmonitor.patients-csv/1``)."""

from __future__ import annotations

import json

from ..store import Patient
from .spreadsheet import csv_text
from .text import BOLD, clean, json_safe, screen_safe, style, wrap

PATIENTS_SCHEMA = "msmonitor.patients/1"
PATIENTS_CSV_COLUMNS = (
    "label",
    "protocol",
    "sex",
    "courses",
    "single_course",
    "include_unverified",
    "tracking_from",
    "notes",
)


def patient_record(p: Patient) -> dict:
    return {
        "label": p.label,
        "protocol": p.protocol,
        "sex": p.sex,
        "courses": [c.start.isoformat() for c in p.courses],
        "single_course": p.single_course,
        "include_unverified": p.include_unverified,
        "tracking_from": p.tracking_from.isoformat() if p.tracking_from else None,
        "notes": p.notes,
    }


def render_patients_json(patients: list[Patient], *, indent: int | None = 2) -> str:
    record = {"schema": PATIENTS_SCHEMA, "patients": [patient_record(p) for p in patients]}
    return json_safe(json.dumps(record, indent=indent, ensure_ascii=False)) + "\n"


def render_patients_csv(patients: list[Patient]) -> str:
    rows = []
    for p in patients:
        record = patient_record(p)
        record["courses"] = ";".join(record["courses"])
        for key in ("single_course", "include_unverified"):
            record[key] = "yes" if record[key] else "no"
        rows.append([record[c] for c in PATIENTS_CSV_COLUMNS])
    return csv_text(PATIENTS_CSV_COLUMNS, rows)


def render_patients_text(patients: list[Patient], *, width: int = 80, color: bool = False) -> str:
    if not patients:
        return "No saved patients.\n"
    label_w = min(20, max(len("Patient"), *(len(clean(p.label)) for p in patients)))
    head = f"{'Patient':{label_w}}  {'Prot.':5}  {'Sex':6}  {'Tracked from':12}  Courses; notes"
    lines = [style(head, BOLD, color), "-" * width]
    for p in patients:
        sex = p.sex or "-"
        start = p.tracking_from.isoformat() if p.tracking_from else "start"
        left = f"{clean(p.label)[:label_w]:{label_w}}  {clean(p.protocol)[:5]:5}  {sex:6}  {start:12}  "
        courses = ", ".join(c.start.isoformat() for c in p.courses)
        what = courses + (" (single course)" if p.single_course else "")
        what += " (unverified rules)" if p.include_unverified else ""
        what += f"; {p.notes}" if p.notes else ""
        wrapped = wrap(what, max(20, width - len(left)))
        lines.append(left + wrapped[0])
        lines += [" " * len(left) + more for more in wrapped[1:]]
    lines += ["", f"{len(patients)} patient{'s' * (len(patients) != 1)}.", ""]
    return screen_safe("\n".join(lines), color)
