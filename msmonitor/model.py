"""The data the whole tool passes around: protocols, courses, events, plans.

Immutable typed records, no behaviour beyond small derived properties. They are
NamedTuples rather than frozen dataclasses because a dataclass costs about 1.5 ms
to create at import and these eleven sit on every command's start-up path
(README, Performance; benchmarks/startup.sh). The names here (phases, evidence levels; kinds in kinds.py) are
part of the JSON/CSV contracts.
"""

import datetime as dt
from datetime import date
from typing import NamedTuple

# How a rule's dates are generated.
WHEN = ("once", "each-course", "each-infusion-day", "grid")

# How well a rule is sourced (see the reference's [S]/[I]/[U] tags).
EVIDENCE = ("found", "inferred", "unverified")


class Offset(NamedTuple):
    """A date measured from an anchor: months first (clamped), then days."""

    anchor: str
    months: int = 0
    days: int = 0


class Source(NamedTuple):
    id: str
    document: str
    where: str


class TestInfo(NamedTuple):
    id: str
    name: str
    why: str
    short: str = ""  # a word or two for tables ("blood count"); "" = the name


class Rule(NamedTuple):
    id: str
    title: str
    kind: str
    when: str
    sources: tuple[str, ...]
    evidence: str = "found"
    tests: tuple[str, ...] = ()
    note: str = ""
    visit: str | None = None  # rules sharing a visit on the same date merge into one event
    sex: str | None = None  # "female": women only
    courses: str = "all"  # each-course / each-infusion-day: "all", "first" or "later"
    course_days: tuple[int, ...] = ()  # each-infusion-day: which days (1-based); () = all
    every_months: int = 0  # grid: every n-th month of the grid
    at: Offset | None = None  # a single date (a deadline)
    start: Offset | None = None  # or a window, start..end inclusive
    end: Offset | None = None
    tolerance_days: int = 0  # how far from its date a recorded test still counts
    before: str | None = None  # a rule whose date this one (tolerance included) never passes
    short: str = ""  # a few words for calendar titles; "" = the title
    when_off: str = ""  # unverified rules: what every output says while the rule is off


class SymptomGroup(NamedTuple):
    """Signs a patient should report, in plain words, and what to do."""

    id: str
    title: str
    signs: tuple[str, ...]
    action: str
    sources: tuple[str, ...]
    urgent: bool = False  # the label says "immediately": boxed, and on every course checklist
    note: str = ""  # one more line under the signs


class Card(NamedTuple):
    """The symptom card's own lines: how long to keep it, and reminders."""

    keep: str
    reminders: tuple[str, ...]
    sources: tuple[str, ...]


class CourseRules(NamedTuple):
    first_course_days: int
    later_course_days: int
    course2_after_months: int  # projected course 2 = course-1 day 1 + this; sooner is warned
    later_gap_months: int  # courses 3+: warned if sooner after the prior course's last day
    max_courses: int  # 0 = no limit; more are computed and warned
    sources: tuple[str, ...]


class Protocol(NamedTuple):
    id: str
    title: str
    version: str
    origin: str  # "us", "eu" or the path the user gave
    courses: CourseRules
    monitoring_months: int
    monitoring_sources: tuple[str, ...]
    tests: dict[str, TestInfo]
    rules: tuple[Rule, ...]
    sources: dict[str, Source]
    notice: str = ""
    symptoms: tuple[SymptomGroup, ...] = ()
    card: Card | None = None

    def rule(self, rule_id: str) -> Rule:
        """The rule with this id (KeyError if there is none)."""
        return self.rules_by_id()[rule_id]

    def rules_by_id(self) -> dict[str, Rule]:
        """The rules by id, built once per protocol: tracking looks rules up
        for every event of every patient."""
        cached = _RULES_BY_ID.get(id(self))
        if cached is None or cached[0] is not self:
            cached = _RULES_BY_ID[id(self)] = (self, {r.id: r for r in self.rules})
        return cached[1]


# id(protocol) -> (protocol, its rules by id). A NamedTuple holds no cache of
# its own; the protocol is kept here so that its id cannot be reused.
_RULES_BY_ID: dict[int, tuple[Protocol, dict[str, Rule]]] = {}


class Course(NamedTuple):
    number: int
    infusion_days: tuple[date, ...]
    projected: bool = False

    @property
    def first(self) -> date:
        return self.infusion_days[0]

    @property
    def last(self) -> date:
        return self.infusion_days[-1]


class Merged(NamedTuple):
    """A rule merged into another rule's event (same visit, same day): its
    title and the facts a reader must see. Markers are made from these facts
    by ``view.markers`` only; its event's date carries any projection."""

    rule: str
    title: str
    women_only: bool = False
    unverified: bool = False


class Event(NamedTuple):
    id: str  # stable within a plan: what the event is, never its date
    date: date
    kind: str
    rule: str  # the id of the rule that leads this event (JSON: item)
    title: str
    phase: str  # "before", "course-N", "year-N" or "end"
    tests: tuple[str, ...] = ()
    merged: tuple[Merged, ...] = ()  # the rules merged into this event, after the lead
    notes: tuple[str, ...] = ()  # every merged rule's note: why, how, preparation
    rules: tuple[str, ...] = ()  # ids of every rule in this event, the lead first (JSON: items)
    window_start: dt.date | None = None
    window_end: dt.date | None = None
    course: int | None = None
    day: int | None = None  # infusion day within the course
    month: int | None = None  # month k on the monitoring grid
    women_only: bool = False
    projected: bool = False
    unverified: bool = False
    inferred: bool = False
    sources: tuple[str, ...] = ()
    visit: str | None = None  # merge key inside the engine; not part of any output

    @property
    def last_date(self) -> dt.date:
        return self.window_end or self.date


class PlanOptions(NamedTuple):
    sex: str | None = None  # "female", "male" or None (women-only items shown, marked)
    include_unverified: bool = False
    patient: str | None = None


class Plan(NamedTuple):
    protocol: Protocol
    options: PlanOptions
    courses: tuple[Course, ...]
    grid_anchor: date
    last_dose: date
    monitoring_ends: date
    grid_months: int  # number of monthly grid dates up to the end
    events: tuple[Event, ...]
    warnings: tuple[str, ...] = ()
    left_out: tuple[str, ...] = ()  # what the plan does not schedule and says so (rules' when_off)
