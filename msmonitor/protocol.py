"""Protocols are data: TOML files that hold every rule with its source.

``parse_protocol`` validates a decoded TOML mapping into a ``Protocol`` and is
pure; ``load_protocol`` finds and reads the file (a shipped id such as ``us``
or ``eu``, or a path). Every problem names the file and the key at fault.
The schema is documented in docs/protocol-format.md.
"""

from __future__ import annotations

import builtins
import os
import re
from pathlib import Path
from typing import Any, NoReturn

from .errors import ProtocolError
from .files import PROTOCOL_LIMIT, read_bytes
from .kinds import KINDS
from .model import EVIDENCE, WHEN, Card, CourseRules, Offset, Protocol, Rule, Source, SymptomGroup, TestInfo

SCHEMA = "msmonitor.protocol/1"
SHIPPED = ("us", "eu")
DEFAULT = "us"
_ID = re.compile(r"[a-z0-9][a-z0-9-]*")
_PROTOCOL_DIR = Path(__file__).parent / "protocols"


def _is_path(spec: str) -> bool:
    return spec.endswith(".toml") or "/" in spec or "\\" in spec


def protocol_reference(spec: str) -> str:
    """How a saved patient names a protocol: a shipped id as given, a file by
    its absolute path (a relative one would break from another folder)."""
    return os.path.abspath(spec) if spec not in SHIPPED and _is_path(spec) else spec


def load_protocol(spec: str | None = None) -> Protocol:
    """Load a shipped protocol by id (default ``us``) or a protocol file by path."""
    spec = spec or DEFAULT
    if spec in SHIPPED:
        path, origin = _PROTOCOL_DIR / f"{spec}.toml", spec
    elif _is_path(spec):
        path, origin = Path(spec), spec
    else:
        raise ProtocolError(f"unknown protocol {spec!r}: use one of {', '.join(SHIPPED)} or the path of a .toml file")
    name = f"protocol file {origin!r}"
    try:
        text = read_bytes(path, name, ProtocolError, limit=PROTOCOL_LIMIT).decode("utf-8")
    except UnicodeDecodeError:
        raise ProtocolError(f"{name}: not UTF-8 text") from None
    if origin in SHIPPED:
        from .protocols._snapshot import SNAPSHOT

        snapshot_text, data = SNAPSHOT[origin]
        if snapshot_text == text:  # the same bytes: the parse is already done
            return parse_protocol(data, origin)
    return parse_protocol_text(text, origin)


def parse_protocol_text(text: str, origin: str) -> Protocol:
    import tomllib

    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ProtocolError(f"protocol file {origin!r}: not valid TOML: {exc}") from None
    except RecursionError:
        raise ProtocolError(f"protocol file {origin!r}: not valid TOML: nested too deeply") from None
    return parse_protocol(data, origin)


class _Reader:
    """Typed access to one TOML table, with errors that name the key path."""

    def __init__(self, data: Any, origin: str, path: str) -> None:
        self.origin, self.path = origin, path
        if not isinstance(data, dict):
            self.fail("must be a table")
        self.data: dict[str, Any] = data
        self.used: set[str] = set()

    def fail(self, problem: str, key: str | None = None) -> NoReturn:
        where = ".".join(p for p in (self.path, key) if p)
        raise ProtocolError(f"protocol file {self.origin!r}: {where or 'top level'}: {problem}")

    def _get(self, key: str, required: bool) -> Any:
        self.used.add(key)
        if key not in self.data:
            if required:
                self.fail("is missing", key)
            return None
        return self.data[key]

    def str(self, key: str, required: bool = True, default: str = "") -> str:
        value = self._get(key, required)
        if value is None:
            return default
        if not isinstance(value, str) or (required and not value.strip()):
            self.fail("must be a non-empty string", key)
        return value

    def int(
        self, key: builtins.str, required: bool = True, default: int = 0, minimum: int = 0, maximum: int = 0
    ) -> int:
        """An integer from ``minimum`` to ``maximum``: a clinically sane range,
        so that a typo (2000000 days) fails here instead of taking minutes."""
        value = self._get(key, required)
        if value is None:
            return default
        if not isinstance(value, int) or isinstance(value, bool) or not minimum <= value <= maximum:
            self.fail(f"must be an integer from {minimum} to {maximum}", key)
        return value

    def choice(
        self, key: builtins.str, choices: tuple[builtins.str, ...], required: bool = True, default: builtins.str = ""
    ) -> builtins.str:
        value = self.str(key, required, default)
        if value not in choices:
            self.fail(f"{value!r} is not one of {', '.join(choices)}", key)
        return value

    def strings(self, key: builtins.str, required: bool = False) -> tuple[builtins.str, ...]:
        value = self._get(key, required)
        if value is None:
            return ()
        if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
            self.fail("must be a list of strings", key)
        return tuple(value)

    def table(self, key: builtins.str) -> _Reader:
        return _Reader(self._get(key, True), self.origin, ".".join(p for p in (self.path, key) if p))

    def optional_table(self, key: builtins.str) -> _Reader | None:
        return None if self._get(key, False) is None else self.table(key)

    def done(self) -> None:
        extra = sorted(set(self.data) - self.used)
        if extra:
            self.fail(f"unknown key {extra[0]!r}")


def parse_protocol(data: dict[str, Any], origin: str) -> Protocol:
    """Validate a decoded protocol file; raise ProtocolError naming file and key."""
    top = _Reader(data, origin, "")
    schema = top.str("schema")
    if schema != SCHEMA:
        top.fail(f"{schema!r} is not a supported schema (expected {SCHEMA!r})", "schema")
    pid = top.str("id")
    if not _ID.fullmatch(pid):
        top.fail("must be lower-case letters, digits and dashes", "id")

    sources = _parse_sources(top)
    known_sources = set(sources)

    def source_ids(reader: _Reader) -> tuple[str, ...]:
        ids = reader.strings("sources", required=True)
        if not ids:
            reader.fail("must name at least one source", "sources")
        for sid in ids:
            if sid not in known_sources:
                reader.fail(f"{sid!r} is not defined under [sources]", "sources")
        return ids

    c = top.table("courses")
    courses = CourseRules(
        first_course_days=c.int("first_course_days", minimum=1, maximum=MAX_COURSE_DAYS),
        later_course_days=c.int("later_course_days", minimum=1, maximum=MAX_COURSE_DAYS),
        course2_after_months=c.int("course2_after_months", minimum=1, maximum=MAX_MONTHS),
        later_gap_months=c.int("later_gap_months", minimum=0, maximum=MAX_MONTHS),
        max_courses=c.int("max_courses", required=False, default=0, maximum=MAX_COURSES),
        sources=source_ids(c),
    )
    c.done()

    m = top.table("monitoring")
    months = m.int("months_after_last_dose", minimum=1, maximum=MAX_MONTHS)
    monitoring_sources = source_ids(m)
    m.done()

    tests = _parse_tests(top)
    rules = _parse_rules(top, tests, source_ids)
    symptoms = _parse_symptoms(top, source_ids)
    card = _parse_card(top, source_ids)
    protocol = Protocol(
        id=pid,
        title=top.str("title"),
        version=top.str("version"),
        notice=top.str("notice", required=False),
        origin=origin,
        courses=courses,
        monitoring_months=months,
        monitoring_sources=monitoring_sources,
        tests=tests,
        rules=rules,
        sources=sources,
        symptoms=symptoms,
        card=card,
    )
    top.done()
    return protocol


def _parse_symptoms(top: _Reader, source_ids) -> tuple[SymptomGroup, ...]:
    raw = top._get("symptoms", False) or []
    if not isinstance(raw, list):
        top.fail("must be an array of [[symptoms]] tables", "symptoms")
    groups = []
    for index, item in enumerate(raw):
        r = _Reader(item, top.origin, f"symptoms[{index}]")
        signs = r.strings("signs", required=True)
        if not signs:
            r.fail("must list at least one sign", "signs")
        urgent = r._get("urgent", False)
        if urgent is not None and not isinstance(urgent, bool):
            r.fail("must be true or false", "urgent")
        groups.append(
            SymptomGroup(
                r.str("id"),
                r.str("title"),
                signs,
                r.str("action"),
                source_ids(r),
                bool(urgent),
                r.str("note", required=False),
            )
        )
        r.done()
    return tuple(groups)


def _parse_card(top: _Reader, source_ids) -> Card | None:
    r = top.optional_table("card")
    if r is None:
        return None
    card = Card(r.str("keep"), r.strings("reminders"), source_ids(r))
    r.done()
    return card


def _parse_sources(top: _Reader) -> dict[str, Source]:
    table = top.table("sources")
    sources: dict[str, Source] = {}
    for sid in table.data:
        entry = table.table(sid)
        sources[sid] = Source(sid, entry.str("document"), entry.str("where"))
        entry.done()
    if not sources:
        table.fail("must define at least one source")
    return sources


def _parse_tests(top: _Reader) -> dict[str, TestInfo]:
    table = top.table("tests")
    tests: dict[str, TestInfo] = {}
    for tid in table.data:
        if not _ID.fullmatch(tid):
            table.fail("test ids must be lower-case letters, digits and dashes", tid)
        entry = table.table(tid)
        tests[tid] = TestInfo(tid, entry.str("name"), entry.str("why"), entry.str("short", required=False))
        if len(tests[tid].short) > SHORT_MAX:
            entry.fail(f"must be at most {SHORT_MAX} characters (it names the test in tables)", "short")
        entry.done()
    return tests


def _parse_offset(rule: _Reader, key: str, allowed: tuple[str, ...]) -> Offset | None:
    table = rule.optional_table(key)
    if table is None:
        return None
    anchor = table.choice("anchor", allowed)
    months = table.data.get("months", 0)
    days = table.data.get("days", 0)
    for name, value in (("months", months), ("days", days)):
        table.used.add(name)
        bound = MAX_MONTHS if name == "months" else MAX_DAYS
        if not isinstance(value, int) or isinstance(value, bool) or not -bound <= value <= bound:
            table.fail(f"must be an integer from -{bound} to {bound} (negative for before the anchor)", name)
    table.done()
    return Offset(anchor, months, days)


# Sane clinical ranges for a protocol's numbers (README, "Limits"): the label's
# values are 5 and 3 infusion days, 12 months apart, 48 months of monitoring.
MAX_COURSE_DAYS = 10
MAX_COURSES = 20
MAX_MONTHS = 240  # 20 years: course gaps, grid steps, monitoring, offsets
MAX_DAYS = 3660  # 10 years: offsets and tolerances

SHORT_MAX = 24  # a rule's short name; calendar titles hold about 40 characters

# Which anchors make sense for which kind of rule.
_ANCHORS_FOR = {
    "once": ("course1.first", "course1.last", "last-dose", "end"),
    "each-course": ("course.first", "course.last"),
    "each-infusion-day": ("infusion",),
    "grid": (),
}


def _parse_rules(top: _Reader, tests: dict[str, TestInfo], source_ids) -> tuple[Rule, ...]:
    raw = top._get("rules", True)
    if not isinstance(raw, list) or not raw:
        top.fail("must be a non-empty array of [[rules]] tables", "rules")
    rules: list[Rule] = []
    seen: set[str] = set()
    for index, item in enumerate(raw):
        r = _Reader(item, top.origin, f"rules[{index}]")
        rid = r.str("id")
        r.path = f"rules[{index}] ({rid})"
        if not _ID.fullmatch(rid):
            r.fail("must be lower-case letters, digits and dashes", "id")
        if rid in seen:
            r.fail(f"duplicate rule id {rid!r}", "id")
        seen.add(rid)
        when = r.choice("when", WHEN)
        rule_tests = r.strings("tests")
        for tid in rule_tests:
            if tid not in tests:
                r.fail(f"test {tid!r} is not defined under [tests]", "tests")
        allowed = _ANCHORS_FOR[when]
        at = _parse_offset(r, "at", allowed)
        start = _parse_offset(r, "from", allowed)
        end = _parse_offset(r, "until", allowed)
        rule = Rule(
            id=rid,
            title=r.str("title"),
            kind=r.choice("kind", KINDS),
            when=when,
            sources=source_ids(r),
            evidence=r.choice("evidence", EVIDENCE, required=False, default="found"),
            tests=rule_tests,
            note=r.str("note", required=False),
            visit=r.str("visit", required=False) or None,
            sex=None if r.choice("sex", ("female", "any"), required=False, default="any") == "any" else "female",
            courses=r.choice("courses", ("all", "first", "later"), required=False, default="all"),
            course_days=tuple(_positive_ints(r, "course_days")),
            every_months=r.int("every_months", required=False, default=0, maximum=MAX_MONTHS),
            at=at,
            start=start,
            end=end,
            tolerance_days=r.int("tolerance_days", required=False, default=0, maximum=MAX_DAYS),
            before=r.str("before", required=False) or None,
            short=r.str("short", required=False),
            when_off=r.str("when_off", required=False),
        )
        if len(rule.short) > SHORT_MAX:
            r.fail(f"must be at most {SHORT_MAX} characters (it starts calendar titles)", "short")
        if rule.when_off and rule.evidence != "unverified":
            r.fail('only an unverified rule is off by default: give evidence = "unverified" or drop it', "when_off")
        _check_rule_shape(r, rule)
        r.done()
        rules.append(rule)
    for index, rule in enumerate(rules):
        if rule.before:
            _check_before(_Reader(raw[index], top.origin, f"rules[{index}] ({rule.id})"), rule, rules)
    return tuple(rules)


# A course rule's course-1 date is the once rule's date with this anchor.
_COURSE_1 = {"course.first": "course1.first", "course.last": "course1.last"}


def _check_before(r: _Reader, rule: Rule, rules: list[Rule]) -> None:
    """``before = "ID"``: the rule's date plus its tolerance never passes rule
    ID's (course-1) date, so a late test is never accepted after that deadline."""
    target = next((t for t in rules if t.id == rule.before), None)
    if target is None:
        r.fail(f"{rule.before!r} is not the id of a rule", "before")
    assert target is not None
    if not (rule.at and target.at) or rule.when == "grid" or target.when in ("grid", "each-infusion-day"):
        r.fail("both rules need a single date (at)", "before")
    assert rule.at and target.at
    mine, theirs = rule.at, target.at
    if _COURSE_1.get(mine.anchor, mine.anchor) != _COURSE_1.get(theirs.anchor, theirs.anchor) or (
        mine.months != theirs.months
    ):
        r.fail(f"must be measured from the same anchor and months as {target.id!r}", "before")
    latest = mine.days + rule.tolerance_days
    if latest > theirs.days:
        r.fail(
            f"with tolerance_days it is accepted until day {latest:+d}, after {target.id!r} "
            f"(day {theirs.days:+d}); lower tolerance_days or move it earlier",
            "before",
        )


def _positive_ints(r: _Reader, key: str) -> list[int]:
    value = r._get(key, False) or []
    if not isinstance(value, list) or not all(
        isinstance(v, int) and not isinstance(v, bool) and 1 <= v <= MAX_COURSE_DAYS for v in value
    ):
        r.fail(f"must be a list of day numbers (1 to {MAX_COURSE_DAYS})", key)
    return value


def _check_rule_shape(r: _Reader, rule: Rule) -> None:
    if rule.when == "grid":
        if rule.every_months < 1:
            r.fail("grid rules need every_months >= 1", "every_months")
        if rule.at or rule.start or rule.end:
            r.fail("grid rules take no at/from/until: they fall on the monthly grid", "at")
        return
    if rule.every_months:
        r.fail("only grid rules take every_months", "every_months")
    if rule.when == "each-infusion-day":
        if rule.start or rule.end:
            r.fail("each-infusion-day rules fall on the infusion day; use no from/until", "from")
        return
    if rule.at and (rule.start or rule.end):
        r.fail("give either at (a single date) or from/until (a window), not both", "at")
    if not rule.at and not (rule.start and rule.end):
        r.fail("needs at (a single date) or both from and until (a window)", "at")
    if rule.course_days:
        r.fail("only each-infusion-day rules take course_days", "course_days")
