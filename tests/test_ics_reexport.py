"""Property: re-exporting an unchanged plan over its previous export changes
nothing in the file: no event raised or cancelled, every SEQUENCE and
LAST-MODIFIED kept, and the bytes identical but for DTSTAMP (the time of this
export, RFC 5545 3.8.7.2: with METHOD it is when the object was created).
Exporting it twice at the same instant gives the same bytes.
"""

from datetime import UTC, date, datetime, time, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from msmonitor.protocol import load_protocol
from msmonitor.render.ics import IcsOptions, read_previous, render_ics

from .conftest import make_plan

PROTOCOLS = {pid: load_protocol(pid) for pid in ("us", "eu")}
FIRST = datetime(2026, 1, 1, 12, 0, tzinfo=UTC)


@st.composite
def exports(draw):
    course1 = draw(st.dates(date(2000, 1, 1), date(2040, 12, 31)))
    course2 = draw(st.none() | st.integers(365, 900).map(lambda d: course1 + timedelta(days=d)))
    plan = make_plan(
        PROTOCOLS[draw(st.sampled_from(sorted(PROTOCOLS)))],
        course1,
        course2,
        sex=draw(st.sampled_from([None, "female", "male"])),
        include_unverified=draw(st.booleans()),
        patient=draw(st.none() | st.sampled_from(["jd", "Room 4, bed 2"])),
    )
    options = draw(
        st.fixed_dictionaries(
            {},
            optional={
                "discreet": st.sampled_from(["off", "on", "strict"]),
                "remind": st.none() | st.sampled_from([timedelta(days=1), timedelta(hours=2)]),
                "windows": st.sampled_from(["edges", "span", "none"]),
                "weekdays": st.booleans(),
            },
        )
    )
    if draw(st.booleans()):
        options |= {"at": time(8, 30), "tz": draw(st.sampled_from(["Europe/London", "Australia/Sydney", "UTC"]))}
    options["salt"] = draw(st.sampled_from(["0123456789abcdef" * 2, "f" * 32]))
    later = FIRST + timedelta(seconds=draw(st.integers(1, 10**8)))
    return plan, options, later


def export(plan, options, stamp, previous=None):
    return render_ics(plan, stamp=stamp, options=IcsOptions(**options), previous=previous)


def without_dtstamp(data: bytes) -> list[bytes]:
    return [line for line in data.split(b"\r\n") if not line.startswith(b"DTSTAMP:")]


# Each example writes and parses three calendars (~0.5 s): a tenth of the profile's examples.
@settings(max_examples=max(5, settings.default.max_examples // 10))
@given(exports())
def test_reexporting_an_unchanged_plan_changes_nothing(case):
    plan, options, later = case
    first = export(plan, options, FIRST)
    course1, salt = plan.courses[0].first, options["salt"]
    again = export(plan, options, later, previous=read_previous(first.data, "old.ics", course1, salt=salt))
    assert (again.events, again.changed, again.cancelled) == (first.events, 0, 0)
    assert without_dtstamp(again.data) == without_dtstamp(first.data)
    # and a third export over the second: still nothing moves
    third = export(
        plan, options, later + timedelta(days=1), previous=read_previous(again.data, "old.ics", course1, salt=salt)
    )
    assert without_dtstamp(third.data) == without_dtstamp(first.data)
    assert export(plan, options, FIRST).data == first.data
