"""What each event kind means, in one table for every module.

A rule's ``kind`` (in the protocol file) says what sort of item it is; the
engine, the checklists, the calendar and the record keeping read what follows
from it here, never from lists of their own. Adding a kind means adding a row:
the protocol parser accepts exactly these kinds, and a test checks every row
renders in every output. The kind names are part of the JSON/CSV contracts
(msmonitor.plan/1).
"""

from __future__ import annotations

from typing import NamedTuple


class Kind(NamedTuple):
    name: str
    about: str
    category: str  # calendar CATEGORIES (after "MS monitoring")
    discreet_title: str  # calendar title in discreet mode: says nothing medical
    pre_treatment: bool = False  # phase: "before" treatment when it falls before course 1
    visit: bool = True  # someone comes in for it: a checklist visit gathers these
    monitoring: bool = False  # a monitoring visit: the visit checklist looks back at the previous one
    before_infusion: bool = False  # checklist section: checked before a course's first infusion
    infusion_day: bool = False  # checklist "Day N" sections; the calendar shows one busy event per course
    deadline: bool = False  # title style: due "by" its date rather than on it
    alarm: bool = True  # calendar reminder before it (single-day events only)
    lab_panel: bool = False  # records: a lab visit whose tests make one panel (adherence counts)
    # its symbol on the printed calendar (render/html_plan.py); "" for a span, drawn on the timeline only
    symbol: str = "deadline"


KIND: dict[str, Kind] = {
    k.name: k
    for k in (
        Kind(
            "baseline-labs",
            "pre-treatment labs in their window before course 1",
            "Lab test",
            "Lab visit",
            pre_treatment=True,
        ),
        Kind(
            "screening",
            "one-off pre-treatment tests and exams, due by a deadline",
            "Screening",
            "Appointment",
            pre_treatment=True,
            deadline=True,
        ),
        Kind(
            "vaccination",
            "vaccinations complete by a deadline",
            "Vaccination",
            "Appointment",
            pre_treatment=True,
            before_infusion=True,
            deadline=True,
        ),
        Kind(
            "counselling",
            "education and paperwork before a course",
            "Counselling",
            "Appointment",
            pre_treatment=True,
            deadline=True,
        ),
        Kind(
            "course-test",
            "a test before or during a course (pregnancy, ECG, platelets)",
            "Lab test",
            "Lab visit",
            before_infusion=True,
            deadline=True,
        ),
        Kind(
            "infusion",
            "one infusion day, with its premedication and observation",
            "Infusion",
            "Appointment",
            infusion_day=True,
            symbol="infusion",
        ),
        Kind(
            "window",
            "a span of days: prophylaxis, diet, contraception, alert",
            "Precaution",
            "Reminder",
            visit=False,
            alarm=False,
            symbol="",
        ),
        Kind(
            "labs",
            "a monitoring lab draw on the monthly grid, or the closing panel",
            "Lab test",
            "Lab visit",
            monitoring=True,
            lab_panel=True,
            symbol="labs",
        ),
        Kind("exam", "a yearly exam or screen on the grid", "Exam", "Appointment", monitoring=True, symbol="yearly"),
        Kind("end", "the end of scheduled monitoring", "Milestone", "Appointment", visit=False, symbol="end"),
    )
}

# Event kinds, as they appear in JSON and CSV (msmonitor.plan/1).
KINDS = tuple(KIND)
