"""Options several commands share, declared once, and the clock.

An option group (after todoman's and khal's option decorators) declares its
options once, as the parameters of the function that builds one value from
them, and a command takes that value as one parameter. typer reads a
command's parameters with ``inspect.signature``, so the group's decorator
shows typer the command's signature with that one parameter replaced by the
group's options, and on each call collects them back into the value.
"""

import functools
import inspect
import os
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime
from enum import Enum
from typing import TYPE_CHECKING, Annotated, Any, NamedTuple, TypeVar

import typer

from ..dates import parse_iso_date
from ..errors import InputError
from ..model import PlanOptions
from ..schedule import PlanRequest
from .output import DATABASES

if TYPE_CHECKING:
    from ..store import Store

Command = TypeVar("Command", bound=Callable[..., Any])


class OptionGroup:
    """Options declared once, as the parameters of ``build``, and given to a
    command as one keyword parameter, ``name``, holding ``build(**options)``."""

    def __init__(self, name: str, build: Callable[..., Any], leave_out: tuple[str, ...] = ()) -> None:
        self.name = name
        self.build = build
        self.leave_out = leave_out  # options some commands do without (build's default then applies)
        self.options = [p for p in inspect.signature(build).parameters.values() if p.name not in leave_out]

    def without(self, *names: str) -> "OptionGroup":
        return OptionGroup(self.name, self.build, self.leave_out + names)

    def __call__(self, command: Command) -> Command:
        signature = inspect.signature(command)
        if self.name not in signature.parameters:
            raise TypeError(f"{command.__name__} has no parameter {self.name!r} for its options")
        shown: list[inspect.Parameter] = []
        for parameter in signature.parameters.values():
            shown.extend(self.options if parameter.name == self.name else [parameter])
        names = [option.name for option in self.options]

        @functools.wraps(command)
        def run(**given: Any) -> Any:
            grouped = {name: given.pop(name) for name in names}
            return command(**given, **{self.name: self.build(**grouped)})

        run.__signature__ = signature.replace(parameters=shown)  # type: ignore[attr-defined]
        return run  # type: ignore[return-value]


def parse_day(value: str | None, what: str = "--today") -> date:
    """A DATE option: YYYY-MM-DD, or 'today' (the default), read from the clock."""
    if value is None or value == "today":
        return date.today()
    return parse_iso_date(value, what)


def timestamp() -> datetime:
    """The moment a record is written, to the second, in UTC."""
    return datetime.now(UTC).replace(microsecond=0)


# ------------------------------------------------------------------ options with one meaning everywhere

TodayOption = Annotated[
    str | None,
    typer.Option("--today", metavar="DATE", help="Mark past, current and next items as of DATE (default: today)."),
]
DbOption = Annotated[
    str | None,
    typer.Option(
        "--db",
        envvar="MSMONITOR_DB",
        metavar="PATH|URL",
        help="The patient database: a file, or a postgresql:// URL [default: a file in your data folder].",
        show_envvar=True,
    ),
]


# Options given before the command ('msmonitor --db clinic.db due'), set by the
# app's callback on every run.
GLOBAL: dict[str, str | None] = {"db": None}


def chosen_db(db: str | None) -> str | None:
    """The command's --db, else the global one; MSMONITOR_DB only when neither
    was typed (a command's --db read from the environment yields to a typed one)."""
    typed = GLOBAL["db"]
    if typed is not None and (db is None or db == os.environ.get("MSMONITOR_DB")):
        return typed
    return db


@contextmanager
def opened_store(db: str | None, *, create: bool = False) -> Iterator["Store"]:
    """The patient database at --db (or the default), closed after use. sqlite3
    is imported here, by the commands that need it, not at start-up."""
    from ..store import Store

    store = Store.open(chosen_db(db), create=create)
    DATABASES.append(store.identity)
    for notice in store.notices:
        sys.stderr.write(f"msmonitor: {notice}\n")
    try:
        yield store
    finally:
        store.close()


def complete_label(incomplete: str) -> list[str]:
    """Shell completion: the saved patients' labels (none when there is no
    database or it cannot be read: completion never prints an error)."""
    try:
        from ..store import Store

        store = Store.open(chosen_db(os.environ.get("MSMONITOR_DB")), create=False)
        try:
            labels = store.labels()
        finally:
            store.close()
    except Exception:
        return []
    return sorted(label for label in labels if label.casefold().startswith(incomplete.casefold()))


def complete_protocol(incomplete: str) -> list[str]:
    """Shell completion: the shipped protocols (a PATH is completed by the shell)."""
    from ..protocol import SHIPPED

    return [name for name in SHIPPED if name.startswith(incomplete)]


SavedPatient = Annotated[
    str | None,
    typer.Argument(
        metavar="[PATIENT]", help="A saved patient's label, instead of course options.", autocompletion=complete_label
    ),
]
Label = Annotated[
    str, typer.Argument(metavar="PATIENT", help="The patient's label (not a real name).", autocompletion=complete_label)
]
NotesOption = Annotated[str, typer.Option("--notes", help="Free text kept with the patient (no identifying details).")]
TrackingFromOption = Annotated[
    str | None,
    typer.Option(
        "--tracking-from",
        metavar="DATE|start",
        help="Count items from DATE on; earlier ones without a record are 'not tracked', never missed "
        "[default: today when course 1 is past, else the start].",
    ),
]
OutputOption = Annotated[
    str | None, typer.Option("--output", "-o", metavar="FILE", help="Write to FILE (atomically) instead of stdout.")
]


# ------------------------------------------------------------------ the plan options


class Sex(str, Enum):
    female = "female"
    male = "male"


class PlanInput(NamedTuple):
    """The plan options as given: what ``plan``, ``checklist`` and ``add`` take."""

    course1: str | None = None
    course2: str | None = None
    later: tuple[str, ...] = ()
    single_course: bool = False
    sex: str | None = None
    protocol: str | None = None
    include_unverified: bool = False
    patient: str | None = None

    def given(self) -> list[str]:
        """The options given, by name, in the order of ``--help``."""
        names = (
            ("--course1", self.course1),
            ("--course2", self.course2),
            ("--course", self.later),
            ("--single-course", self.single_course),
            ("--sex", self.sex),
            ("--protocol", self.protocol),
            ("--include-unverified", self.include_unverified),
            ("--patient", self.patient),
        )
        return [name for name, value in names if value]

    def request(self, *, patient: str | None = None) -> PlanRequest:
        """The core's request; ``patient`` is the label when it is not an option."""
        if self.course1 is None:
            raise InputError("missing --course1 DATE (the first day of course 1)")
        return PlanRequest(
            course1=parse_iso_date(self.course1, "--course1"),
            course2=parse_iso_date(self.course2, "--course2") if self.course2 else None,
            later=tuple(parse_iso_date(d, "--course") for d in self.later),
            single_course=self.single_course,
            options=PlanOptions(
                sex=self.sex, include_unverified=self.include_unverified, patient=patient or self.patient
            ),
        )


def _plan_input(
    *,
    course1: Annotated[
        str | None, typer.Option("--course1", metavar="DATE", help="First day of course 1 (YYYY-MM-DD).")
    ] = None,
    course2: Annotated[
        str | None,
        typer.Option(
            "--course2", metavar="DATE", help="First day of course 2; projected at course 1 + 12 months if not given."
        ),
    ] = None,
    course: Annotated[
        list[str] | None, typer.Option("--course", metavar="DATE", help="First day of course 3, 4, ... (repeat).")
    ] = None,
    single_course: Annotated[
        bool, typer.Option("--single-course", help="Course 2 is not planned: monitor 48 months after course 1.")
    ] = False,
    sex: Annotated[
        Sex | None, typer.Option("--sex", help="Without it, items for women are shown and marked 'women only'.")
    ] = None,
    protocol: Annotated[
        str | None,
        typer.Option(
            "--protocol",
            metavar="us|eu|PATH",
            help="Rules to follow: a shipped protocol or a TOML file.",
            autocompletion=complete_protocol,
        ),
    ] = None,
    include_unverified: Annotated[
        bool, typer.Option("--include-unverified", help="Also schedule rules the sources could not confirm (marked).")
    ] = False,
    patient: Annotated[
        str | None,
        typer.Option(
            "--patient", metavar="LABEL", help="A label (not a real name) for the plan; keeps patients apart."
        ),
    ] = None,
) -> PlanInput:
    """The eight plan options, declared once for every command that takes them."""
    return PlanInput(
        course1=course1,
        course2=course2,
        later=tuple(course or ()),
        single_course=single_course,
        sex=sex.value if sex else None,
        protocol=protocol,
        include_unverified=include_unverified,
        patient=patient,
    )


plan_options = OptionGroup("given", _plan_input)
