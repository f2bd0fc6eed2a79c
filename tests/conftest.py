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

# Property tests: a quick profile for everyday runs, a thorough one for CI
# (.ci/run sets MSMONITOR_HYPOTHESIS=ci).
settings.register_profile("dev", max_examples=60, deadline=None)
settings.register_profile("ci", max_examples=2000, deadline=None)
settings.load_profile(os.environ.get("MSMONITOR_HYPOTHESIS", "dev"))

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


def pytest_collection_finish(session):
    """The real-parser calendar checks (tests/test_ics.py) take longest and
    mostly wait on other programs: start them as soon as they are selected."""
    if any(getattr(item, "originalname", "") == "test_real_parsers_accept_the_export" for item in session.items):
        from .test_ics import start_real_parser_checks

        start_real_parser_checks()


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


@pytest.fixture(params=["sqlite", "postgresql"])
def ledger(request, tmp_path):
    """--db for the ledger tests, once per backend: an SQLite file, or an
    empty PostgreSQL schema (skipped without a server, with the reason)."""
    if request.param == "sqlite":
        return str(tmp_path / "clinic.db")
    return request.getfixturevalue("pg_url")
