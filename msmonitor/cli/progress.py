"""A progress bar for long work: on stderr, only when stderr is a terminal,
and only once the work has taken about a second (short work stays silent).
rich is imported only when a bar is really shown."""

import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, TextIO

AFTER_SECONDS = 1.0

Report = Callable[[int, int], None]


class _Bar:
    def __init__(self, what: str, stream: TextIO, clock: Callable[[], float]) -> None:
        self.what, self.stream, self.clock = what, stream, clock
        self.started = clock()
        self.bar: Any = None
        self.task: Any = None

    def __call__(self, done: int, total: int) -> None:
        if self.bar is None:
            if self.clock() - self.started < AFTER_SECONDS or done >= total:
                return
            from rich.console import Console
            from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

            console = Console(file=self.stream, force_terminal=True)
            self.bar = Progress(
                TextColumn(f"msmonitor: {self.what}"),
                BarColumn(),
                MofNCompleteColumn(),
                TimeRemainingColumn(),
                console=console,
                transient=True,
            )
            self.task = self.bar.add_task(self.what, total=total)
            self.bar.start()
        self.bar.update(self.task, completed=done)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.stop()


@contextmanager
def progress_bar(
    what: str, *, stream: TextIO | None = None, clock: Callable[[], float] = time.monotonic
) -> Iterator[Report | None]:
    """A ``(done, total)`` callback for the use cases, or None when stderr is
    not a terminal (nothing to draw on)."""
    stream = stream or sys.stderr
    if not stream.isatty():
        yield None
        return
    bar = _Bar(what, stream, clock)
    try:
        yield bar
    finally:
        bar.close()
