"""The clinic's due list: ``msmonitor due``."""

from enum import Enum
from typing import Annotated

import typer

from ..dates import parse_period, shift
from ..errors import InputError
from .app import app
from .options import DbOption, OutputOption, TodayOption, opened_store, parse_day
from .output import emit, json_indent, no_cycle_collector, screen, warn


class DueFormat(str, Enum):
    table = "table"
    json = "json"
    csv = "csv"
    html = "html"
    markdown = "markdown"


def _choices(value: str | None, known: tuple[str, ...] | list[str], option: str) -> frozenset[str] | None:
    """A comma-separated subset of ``known``, case ignored; None when not given."""
    if value is None:
        return None
    from ..labels import did_you_mean

    chosen = set()
    for word in (w.strip().lower() for w in value.split(",")):
        if word not in known:
            raise InputError(f"{option}: {word!r} is not one of {', '.join(known)}{did_you_mean(word, list(known))}")
        chosen.add(word)
    if not chosen:
        raise InputError(f"{option}: give one or more of {', '.join(known)}, separated by commas")
    return frozenset(chosen)


@app.command()
def due(
    within: Annotated[
        str, typer.Option("--within", metavar="7d|2w|1m", help="Also list what falls due within this period.")
    ] = "7d",
    status: Annotated[
        str | None,
        typer.Option("--status", metavar="missed,overdue,due,upcoming", help="Only items in these states."),
    ] = None,
    patient: Annotated[str | None, typer.Option("--patient", metavar="LABEL", help="Only this patient.")] = None,
    kind: Annotated[
        str | None, typer.Option("--kind", metavar="labs,exam,...", help="Only items of these kinds.")
    ] = None,
    by_patient: Annotated[
        bool, typer.Option("--by-patient", help="One line per patient: the worst state, since when, and what.")
    ] = False,
    today: TodayOption = None,
    fmt: Annotated[DueFormat, typer.Option("--format", "-f", help="Output format.")] = DueFormat.table,
    output: OutputOption = None,
    db: DbOption = None,
) -> None:
    """Every saved patient with something overdue, due or missed, what can still be acted on first."""
    from ..kinds import KIND
    from ..patients import DUE_ORDER, DueFilter, Protocols, due_tests
    from ..patients import by_patient as per_patient
    from ..render import due as views

    now = parse_day(today)
    months, days = parse_period(within, "--within")
    within_days = (shift(now, months=months, days=days) - now).days
    statuses = _choices(status, DUE_ORDER, "--status")
    kinds = _choices(kind, sorted(KIND), "--kind")
    only = DueFilter(statuses or frozenset(DUE_ORDER), patient, kinds)
    filters = {"status": status and ",".join(sorted(statuses or ())), "patient": patient, "kind": kind}
    with no_cycle_collector():
        with opened_store(db) as store:
            listed = due_tests(store, now, within_days, Protocols(), warn=warn, only=only)
        view = views.DueView(listed, lambda: per_patient(listed), now, within_days, filters)
        if fmt is DueFormat.json:
            text = views.render_due_json(view, indent=json_indent(output))
        elif fmt is DueFormat.csv:
            text = views.render_due_csv(view, by_patient=by_patient)
        elif fmt is DueFormat.html:
            text = views.render_due_html(view, by_patient=by_patient)
        elif fmt is DueFormat.markdown:
            text = views.render_due_markdown(view, by_patient=by_patient)
        else:
            text = views.render_due_text(view, by_patient=by_patient, **screen(output))
    emit(text, output)
