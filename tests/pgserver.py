"""A throwaway PostgreSQL cluster for the tests: initdb + pg_ctl from
Debian's packages, on a unix socket in a private temporary folder, no TCP,
run as an unprivileged user when the tests run as root. Started once per
session; each test gets an empty schema of its own (``pg_url``).

Without PostgreSQL's binaries or psycopg the PostgreSQL tests skip with the
reason; with MSMONITOR_REQUIRE_POSTGRES=1 (set by .ci/run) they fail."""

from __future__ import annotations

import glob
import itertools
import os
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest

REQUIRED = os.environ.get("MSMONITOR_REQUIRE_POSTGRES") == "1"
_counter = itertools.count()


def unavailable(reason: str):
    if REQUIRED:
        pytest.fail(f"MSMONITOR_REQUIRE_POSTGRES=1 but {reason}")
    pytest.skip(reason)


def _bin() -> Path | None:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/pg_ctl"), key=lambda p: int(p.split("/")[4]))
    if found:
        return Path(found[-1]).parent
    pg_ctl = shutil.which("pg_ctl")
    return Path(pg_ctl).parent if pg_ctl else None


class Cluster:
    def __init__(self) -> None:
        bindir = _bin()
        if bindir is None:
            unavailable("no PostgreSQL server binaries (initdb, pg_ctl): apt-get install postgresql")
        try:
            import psycopg  # noqa: F401
        except ImportError:
            unavailable("psycopg is not installed: pip install -e '.[test,postgres]'")
        self.bin = bindir
        self.dir = Path(tempfile.mkdtemp(prefix="msmonitor-pg-"))
        self.prefix: list[str] = []
        if os.geteuid() == 0:  # the server refuses to run as root
            shutil.chown(self.dir, "postgres", "postgres")
            self.prefix = ["runuser", "-u", "postgres", "--"]
        self.data, self.socket = self.dir / "data", str(self.dir)
        self.port = 20000 + os.getpid() % 20000  # only names the socket file: no TCP
        self._run("initdb", "-D", str(self.data), "-U", "postgres", "--auth=trust", "-E", "UTF8", "--locale=C.UTF-8")
        options = f"-c listen_addresses='' -c unix_socket_directories='{self.socket}' -p {self.port} -c fsync=off"
        self._run("pg_ctl", "-D", str(self.data), "-o", options, "-w", "-l", str(self.dir / "log"), "start")
        self.admin("CREATE DATABASE msmonitor")

    def _run(self, tool: str, *args: str) -> None:
        done = subprocess.run([*self.prefix, str(self.bin / tool), *args], capture_output=True, text=True)
        if done.returncode:
            log = (self.dir / "log").read_text() if (self.dir / "log").exists() else ""
            unavailable(f"{tool} failed: {done.stderr.strip()[-400:]} {log[-400:]}")

    def url(self, database: str = "msmonitor", user: str = "postgres", **options: str) -> str:
        query = "&".join(f"{k}={v}" for k, v in options.items())
        return f"postgresql://{user}@/{database}?host={self.socket}&port={self.port}" + (f"&{query}" if query else "")

    def admin(self, sql: str, database: str = "postgres") -> None:
        import psycopg

        with psycopg.connect(self.url(database), autocommit=True) as con:
            con.execute(sql)  # type: ignore[arg-type]

    def fresh_schema(self) -> str:
        """A URL whose search_path is a new, empty schema."""
        name = f"t{os.getpid()}_{next(_counter)}"
        self.admin(f"CREATE SCHEMA {name}", "msmonitor")
        return self.url(options=f"-csearch_path%3D{name}")

    def stop(self) -> None:
        subprocess.run(
            [*self.prefix, str(self.bin / "pg_ctl"), "-D", str(self.data), "-m", "immediate", "stop"],
            capture_output=True,
        )
        shutil.rmtree(self.dir, ignore_errors=True)
