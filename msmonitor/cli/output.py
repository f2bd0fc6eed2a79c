"""Everything the command line writes: stdout, the files the user names, and
the one-line messages on stderr."""

import gc
import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any


def error(message: str) -> None:
    """One line per problem (an import reports every bad row, one per line)."""
    lines = message.split("\n") or [""]
    sys.stderr.write("".join(f"msmonitor: error: {_clean(line)}\n" for line in lines))


def warn(message: str) -> None:
    sys.stderr.write(f"msmonitor: warning: {_clean(message)}\n")


def note(message: str) -> None:
    """What a command did, for the user (never patient data beyond what they typed)."""
    sys.stderr.write(f"msmonitor: {_clean(message)}\n")


def _clean(message: str) -> str:
    """Messages quote protocol text and labels: no control or bidi character
    reaches the terminal (render.text.clean, imported only when needed)."""
    if message.isprintable():
        return message
    from ..render.text import clean

    return clean(message)


# (device, inode) of the databases this run opened: no output may replace one
DATABASES: list[tuple[int, int]] = []


def target(output: str | None, option: str = "-o") -> str | None:
    """The file an output option names, checked before anything is written;
    None for stdout (no option, '-', /dev/stdout)."""
    from ..files import output_path

    return output_path(output, option, DATABASES)


def emit(text: str, output: str | None) -> None:
    """Text to FILE (atomically: temp file + rename, through a symbolic link)
    or, for none, '-' or /dev/stdout, to stdout."""
    path = target(output)
    if path is None:
        sys.stdout.write(text)
        return
    from ..files import atomic_write

    atomic_write(path, text)


def json_indent(output: str | None) -> int | None:
    """Large JSON (due, status, patients, export) is indented for a person at
    a terminal, and one line for files and pipes: Python encodes indented
    JSON in pure Python, several times slower than its C encoder."""
    return 2 if not (output and output != "-") and sys.stdout.isatty() else None


def page(text: str) -> None:
    """Text for the screen, through a pager when stdout is a terminal and the
    text is longer than the screen, as git does: $MSMONITOR_PAGER, $PAGER or
    ``less -R`` (LESS=FRX unless set: quit when one screen, keep colours);
    an empty $PAGER or 'cat' means no pager."""
    import shutil

    rows = shutil.get_terminal_size((80, 24)).lines
    pager = os.environ.get("MSMONITOR_PAGER", os.environ.get("PAGER", "less -R")).strip()
    if not sys.stdout.isatty() or text.count("\n") < rows or pager in ("", "cat"):
        sys.stdout.write(text)
        return
    import subprocess

    sys.stdout.flush()
    env = {**os.environ, "LESS": os.environ.get("LESS", "FRX")}
    try:
        shown = subprocess.run(pager, shell=True, input=text.encode("utf-8"), env=env, check=False)
    except OSError:
        sys.stdout.write(text)
        return
    if shown.returncode == 127:  # the shell found no such pager: print as if there were none
        sys.stdout.write(text)


def screen(output: str | None) -> dict[str, Any]:
    """Width and colour for text meant for a screen: colour only on a terminal
    without NO_COLOR; 80 columns when not a terminal (files, pipes)."""
    if (output and output != "-") or not sys.stdout.isatty():
        return {"width": 80, "color": False}
    import shutil

    columns = shutil.get_terminal_size((80, 24)).columns
    # no colour with NO_COLOR, or on a terminal that says it has none (TERM=dumb)
    color = not os.environ.get("NO_COLOR") and os.environ.get("TERM") != "dumb"
    return {"width": min(columns, 120), "color": color}


@contextmanager
def no_cycle_collector() -> Iterator[None]:
    """For the commands that make millions of short-lived objects, none in a
    reference cycle (``due`` over a large clinic, ``import``): the cyclic
    collector, run every few hundred allocations, would walk them again and
    again (a sixth of ``due``'s time at 100,000 patients, half a second of a
    10,000-patient import). Counting references frees them as before; the
    collector is back on afterwards (tests run commands in one process)."""
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()
