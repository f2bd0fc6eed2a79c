"""An import's plans and open items, computed on the machine's other cores.

Reading and checking the file and writing the scratch database stay in the
importing process; computing each new patient's plan and matching its
records (most of an import's work) goes to worker processes, a chunk of
patients at a time, with only a few chunks in flight (memory stays bounded).
Results are taken in the order the chunks were sent, so an import writes the
same rows, and reports the same first error, as computed in one process.

Workers start from a clean interpreter (forkserver, or spawn where there is
none), never forked from the importing process: it may hold a database
connection and a progress bar's thread.
"""

from __future__ import annotations

import gc
import os
from collections import deque
from collections.abc import Iterator
from datetime import date
from typing import Any

from .errors import MsmonitorError
from .store import Patient, open_item_rows, span
from .tracking import DayRecord

# (patient, its records as matching sees them, its number in the import's
# staging when it is new (its open items are wanted), else 0)
Job = tuple[Patient, list[DayRecord], int]
# (None, plan key, open items as staged rows, their longest span) when the
# plan computes, else (its error, "", None, 0). Staged rows (store.open_item_rows)
# hold text and numbers only: ten times quicker to pass between processes
# than rows of dates, and written to the scratch file as they come.
Outcome = tuple[str | None, str, list | None, int]

_protocols: Any = None  # a worker's Protocols, loaded once per worker


def compute(jobs: list[Job]) -> list[Outcome]:
    """In a worker: each patient's plan (it must compute) and open items."""
    global _protocols
    from .patients import Protocols

    if _protocols is None:
        # this process makes only short-lived objects in no reference cycle:
        # the cyclic collector would only walk them (cli.output.no_cycle_collector)
        gc.disable()
        _protocols = Protocols()
    return outcomes(jobs, _protocols)


def outcomes(jobs: list[Job], protocols: Any) -> list[Outcome]:
    """Each patient's plan (it must compute) and, when wanted, its open items."""
    from .patients import engine_key, open_rows, plan_of

    done: list[Outcome] = []
    for patient, records, number in jobs:
        try:
            plan = plan_of(patient, protocols)
        except MsmonitorError as exc:
            done.append((str(exc), "", None, 0))
            continue
        key = engine_key(plan.protocol)
        if not number:
            done.append((None, key, None, 0))
            continue
        tracking_from: date | None = patient.tracking_from
        rows = open_rows(plan, records, tracking_from)
        done.append((None, key, open_item_rows(number, rows), span(rows)))
    return done


def cores() -> int:
    """The cores this process may run on."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


class Workers:
    """Chunks of jobs computed by ``count`` processes, results in order."""

    def __init__(self, count: int) -> None:
        import multiprocessing

        methods = multiprocessing.get_all_start_methods()
        context: Any
        if "forkserver" in methods:
            context = multiprocessing.get_context("forkserver")
            context.set_forkserver_preload(["msmonitor.patients", "msmonitor.workers"])
        else:
            context = multiprocessing.get_context("spawn")
        self.pool = context.Pool(count)
        self.ahead = 2 * count + 1  # chunks in flight: every worker busy, one more queued
        self.pending: deque = deque()

    def submit(self, tags: list, jobs: list[Job]) -> Iterator[tuple[Any, Outcome]]:
        """Send a chunk (``tags``: what the caller needs back with each
        outcome); yields the (tag, outcome) pairs of the oldest chunks while
        too many are in flight, waiting for them if need be."""
        self.pending.append((tags, self.pool.apply_async(compute, (jobs,))))
        while len(self.pending) > self.ahead or (self.pending and self.pending[0][1].ready()):
            yield from self._oldest()

    def drain(self) -> Iterator[tuple[Any, Outcome]]:
        """Every chunk still in flight, in order."""
        while self.pending:
            yield from self._oldest()

    def _oldest(self) -> Iterator[tuple[Any, Outcome]]:
        tags, result = self.pending.popleft()
        yield from zip(tags, result.get())

    def close(self) -> None:
        self.pool.terminate()
        self.pool.join()
