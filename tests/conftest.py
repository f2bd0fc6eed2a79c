from __future__ import annotations

import functools
import os
import sys
from datetime import date

import pytest
import typer.main
import typer.testing
from hypothesis import settings

from msmonitor.protocol import load_protocol
from msmonitor.schedule import PlanRequest, compute_plan

# typer's CliRunner builds the click parser of every command on every invoke
# (~15 ms; the suite invokes the app about 800 times). Build it once per app:
# a click command keeps no state between runs. The installed command builds
# only the command it runs (tests/test_installed.py), so users pay nothing.
typer.testing._get_command = functools.cache(typer.main.get_command)

# Two tiers. A plain `pytest` runs everything except the tests marked `slow`
# and uses the quick hypothesis profile; the thorough tier (CI: .ci/run sets
# MSMONITOR_THOROUGH=1; MSMONITOR_HYPOTHESIS=ci means the same) runs every
# test with thousands of examples per property. `-m EXPR` chooses for itself.


def thorough(environ) -> bool:
    return environ.get("MSMONITOR_THOROUGH") == "1" or environ.get("MSMONITOR_HYPOTHESIS") == "ci"


THOROUGH = thorough(os.environ)
settings.register_profile("dev", max_examples=25, deadline=None)
settings.register_profile("ci", max_examples=2000, deadline=None)
settings.load_profile(os.environ.get("MSMONITOR_HYPOTHESIS") or ("ci" if THOROUGH else "dev"))

TODAY = date(2026, 11, 21)


@pytest.fixture(scope="session")
def us():
    return load_protocol("us")


@pytest.fixture(scope="session")
def eu():
    return load_protocol("eu")


def make_plan(protocol, course1, course2=None, later=(), **options):
    from msmonitor.model import PlanOptions

    single = options.pop("single_course", False)
    return compute_plan(
        protocol,
        PlanRequest(
            course1=course1, course2=course2, later=tuple(later), single_course=single, options=PlanOptions(**options)
        ),
    )


def events_of(plan, item):
    """Events that a rule produced, merged or not."""
    return [e for e in plan.events if item in e.rules]


def left_out(items, thorough: bool, markexpr: str) -> list:
    """The tests this run leaves out: the `slow` tier, unless the run is
    thorough or `-m` chooses."""
    if thorough or markexpr:
        return []
    return [item for item in items if item.get_closest_marker("slow")]


def worker_group(item) -> str | None:
    """Tests that share one expensive thing run in one pytest-xdist worker:
    one throwaway PostgreSQL cluster a run, and every real-parser check
    started at once."""
    params = getattr(item, "callspec", None)
    if "pg_cluster" in item.fixturenames or (params and params.params.get("ledger") == "postgresql"):
        return "postgresql"
    if getattr(item, "originalname", "") == "test_real_parsers_accept_the_export":
        return "real-parsers"
    return None


@pytest.hookimpl(tryfirst=True)  # before pytest-xdist reads the groups
def pytest_collection_modifyitems(config, items):
    for item in items:
        if "pg_cluster" in item.fixturenames:
            item.add_marker(pytest.mark.slow)  # a PostgreSQL server: the thorough tier
    slow = left_out(items, THOROUGH, config.option.markexpr)
    if slow:
        config.hook.pytest_deselected(items=slow)
        items[:] = [item for item in items if item not in slow]
    for item in items:
        group = worker_group(item)
        if group:
            item.add_marker(pytest.mark.xdist_group(group))


def pytest_terminal_summary(terminalreporter, config):
    if not THOROUGH and not config.option.markexpr:
        terminalreporter.write_line(
            "msmonitor: the default tier left out the tests marked slow and ran"
            f" {settings.default.max_examples} examples per property;"
            " MSMONITOR_THOROUGH=1 runs everything, as CI does (README, Development)"
        )


def pytest_collection_finish(session):
    """The real-parser calendar checks (tests/test_ics.py) mostly wait on other
    programs: start them as soon as they are selected. Each pytest-xdist worker
    collects every test, so there the first of them starts them all."""
    module = sys.modules.get("tests.test_ics")  # imported when collected
    if module is not None and not session.config.option.collectonly:
        module.select_real_parser_checks(session.items, start=not hasattr(session.config, "workerinput"))


def pytest_sessionfinish(session):
    module = sys.modules.get("tests.test_ics")
    if module is not None:
        module.stop_real_parser_checks()


@pytest.fixture(scope="session")
def pg_cluster():
    """A throwaway PostgreSQL server for this test run (tests/pgserver.py)."""
    from .pgserver import Cluster

    cluster = Cluster()
    yield cluster
    cluster.stop()


@pytest.fixture
def pg_url(pg_cluster):
    """A postgresql:// URL naming an empty schema of its own."""
    return pg_cluster.fresh_schema()


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.slow)])
def ledger(request, tmp_path):
    """--db for the ledger tests, once per backend: an SQLite file, or an
    empty PostgreSQL schema (skipped without a server, with the reason; in
    the thorough tier only: a cluster takes seconds to start)."""
    if request.param == "sqlite":
        return str(tmp_path / "clinic.db")
    return request.getfixturevalue("pg_url")
