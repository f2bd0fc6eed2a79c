"""A protocol as readable text: every rule, when it falls, and its sources."""

from __future__ import annotations

from ..model import Offset, Protocol, Rule
from ..protocol import SHIPPED
from .text import screen_safe


def _offset(o: Offset) -> str:
    parts = [f"{o.months:+d} months" if o.months else "", f"{o.days:+d} days" if o.days else ""]
    shift = " ".join(p for p in parts if p)
    return f"{o.anchor} {shift}".strip()


def _timing(rule: Rule) -> str:
    if rule.when == "grid":
        return f"every {rule.every_months} month(s) on the monthly grid"
    scope = {"all": "", "first": " (course 1)", "later": " (courses 2+)"}[rule.courses]
    if rule.when == "each-infusion-day":
        days = f"days {', '.join(map(str, rule.course_days))}" if rule.course_days else "every day"
        return f"each infusion day{scope}: {days}"
    prefix = "each course" + scope + ": " if rule.when == "each-course" else ""
    if rule.at:
        return prefix + f"at {_offset(rule.at)}"
    assert rule.start and rule.end
    return prefix + f"from {_offset(rule.start)} until {_offset(rule.end)}"


def render_protocol(p: Protocol) -> str:
    c = p.courses
    lines = [
        f"{p.id} {p.version}: {p.title}",
        f"origin: {p.origin}",
    ]
    if p.notice:
        lines.append(f"note: {p.notice}")
    if p.origin in SHIPPED:
        lines.append(
            "Each rule's source, the label's words and the choices made: docs/protocol.md (msmonitor repository)"
        )
    lines += [
        "",
        f"Courses: course 1 {c.first_course_days} days, later courses {c.later_course_days} days; "
        f"course 2 projected at course 1 + {c.course2_after_months} months; courses 3+ at least "
        f"{c.later_gap_months} months after the prior course; "
        f"{'at most ' + str(c.max_courses) + ' courses' if c.max_courses else 'no maximum'} "
        f"[{', '.join(c.sources)}]",
        f"Monitoring: until {p.monitoring_months} months after the last dose; monthly grid anchored on "
        f"course 1's last day [{', '.join(p.monitoring_sources)}]",
        "",
        "Rules:",
    ]
    for r in p.rules:
        flags = [r.evidence]
        if r.sex:
            flags.append("women only")
        if r.evidence == "unverified":
            flags.append("off unless --include-unverified")
        lines.append(f"  {r.id} ({r.kind}; {', '.join(flags)}): {r.title}")
        lines.append(f"      when: {_timing(r)}")
        if r.tests:
            lines.append(f"      tests: {', '.join(r.tests)}")
        if r.tolerance_days:
            never = f", never after {r.before}" if r.before else ""
            lines.append(f"      tolerance: {r.tolerance_days} days{never}")
        if r.note:
            lines.append(f"      note: {r.note}")
        lines.append(f"      sources: {', '.join(r.sources)}")
    lines += ["", "Tests:"]
    lines += [f"  {t.id}: {t.name}. {t.why}" for t in p.tests.values()]
    lines += ["", "Sources:"]
    lines += [f"  {s.id}: {s.document} ({s.where})" for s in p.sources.values()]
    return screen_safe("\n".join(lines) + "\n")
