"""Patient records in a PostgreSQL database (a ``postgresql://`` URL).

The only module that imports psycopg, and only when a command is given such
a URL. ``PgStore`` is ``store.Store`` with the same rows in and out: the
base class's SQL goes through ``_dialect`` (placeholders, SQLite's ASCII
case folding), and only what differs in kind is written here: connecting,
the versioned schema, transactions and the import's staging.

Writers are serialised as SQLite's ``BEGIN IMMEDIATE`` serialises them: every
write transaction first takes one transaction-level advisory lock, so a
read-then-write (``done`` reading a patient's records, then adding to them)
never loses another nurse's change, and the open-items cache is refreshed
under the same lock as the change it follows. Readers never wait.
"""

from __future__ import annotations

import contextlib
import functools
import getpass
import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date, datetime

import psycopg
from psycopg import conninfo, errors

from .errors import InputError
from .store import (
    _FREE_SALT,
    BUSY_TIMEOUT_MS,
    SCHEMA_VERSION,
    DatabaseError,
    Patient,
    Store,
    _course_row,
    _fields,
    _numbered,
    _statements,
)

_OURS = {"patients", "courses", "records", "open_items", "open_items_span", "msmonitor_schema"}
_TABLES = "SELECT tablename FROM pg_tables WHERE schemaname = current_schema()"
# every write transaction takes this lock first ("MSMN" as a number)
_WRITE_LOCK = 0x4D534D4E

# Migration n brings the schema from version n-1 to n, as store.MIGRATIONS[n]
# does for SQLite (a test keeps the two numbered alike). Text is compared
# byte by byte (COLLATE "C"), as SQLite compares it, so every listing sorts
# the same on both backends; dates are ISO text, as in SQLite.
MIGRATIONS: dict[int, str] = {
    1: """
        CREATE TABLE msmonitor_schema (version INTEGER NOT NULL);
        INSERT INTO msmonitor_schema VALUES (0);
        CREATE TABLE patients (
            id BIGSERIAL PRIMARY KEY,
            label TEXT COLLATE "C" NOT NULL UNIQUE,
            sex TEXT CHECK (sex IN ('female', 'male')),
            protocol TEXT COLLATE "C" NOT NULL,
            notes TEXT NOT NULL DEFAULT '',
            created_at TEXT NOT NULL
        );
        CREATE TABLE courses (
            patient_id BIGINT NOT NULL REFERENCES patients(id) ON DELETE CASCADE,
            number INTEGER NOT NULL CHECK (number >= 1),
            start TEXT NOT NULL,
            days TEXT,
            PRIMARY KEY (patient_id, number)
        );
        CREATE TABLE records (
            id BIGSERIAL PRIMARY KEY,
            patient_id BIGINT NOT NULL REFERENCES patients(id) ON DELETE CASCADE,
            test TEXT COLLATE "C" NOT NULL,
            done_on TEXT COLLATE "C" NOT NULL,
            recorded_at TEXT NOT NULL
        );
        CREATE INDEX records_by_patient ON records(patient_id, test, done_on);
    """,
    2: """
        ALTER TABLE patients ADD COLUMN single_course INTEGER NOT NULL DEFAULT 0;
        ALTER TABLE patients ADD COLUMN include_unverified INTEGER NOT NULL DEFAULT 0;
        ALTER TABLE patients ADD COLUMN plan_key TEXT;
        ALTER TABLE records ADD COLUMN note TEXT NOT NULL DEFAULT '';
        CREATE TABLE open_items (
            patient_id BIGINT NOT NULL REFERENCES patients(id) ON DELETE CASCADE,
            event_id TEXT COLLATE "C" NOT NULL,
            kind TEXT NOT NULL,
            title TEXT NOT NULL,
            due TEXT COLLATE "C" NOT NULL,
            last TEXT NOT NULL,
            month INTEGER,
            phase TEXT NOT NULL,
            tests TEXT NOT NULL,
            reach TEXT COLLATE "C" NOT NULL,
            PRIMARY KEY (patient_id, event_id)
        );
        CREATE INDEX open_items_by_due ON open_items(due, reach);
    """,
    3: """
        DELETE FROM open_items;
        UPDATE patients SET plan_key = NULL;
    """,
    4: """
        ALTER TABLE patients ADD COLUMN tracking_from TEXT;
    """,
    # SQLite's version 5 clusters open items by due date; PostgreSQL has no
    # clustered tables, and its (due, reach) index already serves `due`
    5: "",
    6: """
        ALTER TABLE patients ADD COLUMN calendar_salt TEXT;
    """,
    7: """
        CREATE TABLE open_items_span (days INTEGER NOT NULL);
        INSERT INTO open_items_span SELECT coalesce(max(reach::date - due::date), 0) FROM open_items;
    """,
}


@functools.cache
def _dialect(sql: str) -> str:
    """The base class's SQL for PostgreSQL. SQLite's NOCASE folds ASCII
    letters only: translate() does exactly that, so labels match alike."""
    fold = "translate({}, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ', 'abcdefghijklmnopqrstuvwxyz')"
    sql = sql.replace("label = ? COLLATE NOCASE", f"{fold.format('label')} = {fold.format('?')}")
    sql = sql.replace(" IS NOT ?", " IS DISTINCT FROM ?")
    return sql.replace("%", "%%").replace("?", "%s")


def where(url: str) -> str:
    """The server and database a URL (with libpq's environment) names, for
    messages: never the password."""
    try:
        given = conninfo.conninfo_to_dict(url)
    except psycopg.Error:
        given = {}
    host = str(given.get("host") or os.environ.get("PGHOST") or "localhost")
    port = str(given.get("port") or os.environ.get("PGPORT") or "5432")
    user = str(given.get("user") or os.environ.get("PGUSER") or _login())
    database = str(given.get("dbname") or os.environ.get("PGDATABASE") or user)
    server = f"{host}:{port}" if not host.startswith("/") else f"{host} (socket, port {port})"
    return f"PostgreSQL server {server}, database {database!r}"


def _login() -> str:
    try:
        return getpass.getuser()
    except Exception:
        return "?"


def _connect_failure(place: str, exc: psycopg.Error) -> DatabaseError:
    text = str(exc)
    state = getattr(exc, "sqlstate", None)
    lowered = text.lower()
    if state == "3D000" or ("database" in lowered and "does not exist" in lowered):
        problem = "the database does not exist"
    elif state in ("28P01", "28000") or "authentication failed" in lowered or "no password supplied" in lowered:
        problem = "authentication failed (the password comes from PGPASSWORD, ~/.pgpass or a service file)"
    elif state == "42501" or "permission denied" in lowered:
        problem = "permission denied"
    elif "role" in lowered and "does not exist" in lowered:
        problem = "authentication failed (no such role)"
    elif any(s in lowered for s in ("connection refused", "could not connect", "timeout", "could not translate")):
        problem = "server unreachable"
    else:
        # libpq's own words, last line only: it names host and user, never a password
        problem = f"cannot connect ({text.strip().splitlines()[-1].removeprefix('FATAL:').strip()})"
    return DatabaseError(f"{place}: {problem}")


def _failure(place: str, exc: psycopg.Error, after: str = "") -> DatabaseError:
    if isinstance(exc, errors.LockNotAvailable | errors.SerializationFailure | errors.DeadlockDetected):
        problem = "busy: another msmonitor is writing; try again"
    elif isinstance(exc, errors.InsufficientPrivilege):
        problem = f"permission denied ({_first_line(exc)})"
    elif isinstance(exc, errors.DiskFull):
        problem = "the server's disk is full"
    elif isinstance(exc, psycopg.OperationalError):
        problem = f"connection lost ({_first_line(exc)})"
    else:
        problem = f"database error ({_first_line(exc)})"
    return DatabaseError(f"{place}: {problem}{after}")


def _first_line(exc: BaseException) -> str:
    lines = str(exc).strip().splitlines()
    return lines[0] if lines else type(exc).__name__


class PgStore(Store):
    """An open msmonitor schema on a PostgreSQL server."""

    con: psycopg.Connection  # type: ignore[assignment]
    # Store._ITEM in PostgreSQL's words, as text (psycopg would parse json)
    _ITEM = "json_build_array(i.event_id, i.kind, i.title, i.due, i.last, i.month, i.phase, i.tests, i.reach)::text"

    def _json_arrays(self) -> bool:
        return True  # json_build_array: PostgreSQL 9.4 on

    @classmethod
    def open(cls, path=None, *, create: bool = True) -> PgStore:
        url = os.fspath(path) if path is not None else ""
        place = where(url)
        try:
            con = psycopg.connect(url, autocommit=True)
        except psycopg.Error as exc:
            raise _connect_failure(place, exc) from None
        store = cls(place, con)  # type: ignore[arg-type]  # a server, not a file
        store.identity = (-1, -1)  # no file: nothing an output could overwrite
        try:
            store._exec(f"SET lock_timeout = {BUSY_TIMEOUT_MS}")
            tables = {
                row[0] for row in store._read("SELECT tablename FROM pg_tables WHERE schemaname = current_schema()")
            }
            if "msmonitor_schema" not in tables:
                if tables - _OURS:
                    raise DatabaseError(
                        f"{place}: holds tables of another program; give msmonitor an empty database or schema"
                    )
                if not create:
                    raise DatabaseError(f"{place}: no msmonitor tables yet; add a patient first ('msmonitor add')")
            version = store.schema_version()
            if version > SCHEMA_VERSION:
                raise DatabaseError(f"{place}: written by a newer msmonitor (schema {version}); upgrade msmonitor")
            store._migrate()
        except BaseException:
            con.close()
            raise
        return store

    def close(self) -> None:
        with contextlib.suppress(psycopg.Error):
            self.con.close()

    def _exec(self, sql: str, params=()) -> None:
        try:
            self.con.execute(sql, params)
        except psycopg.Error as exc:
            raise _failure(str(self.path), exc) from None

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """One write transaction, all or nothing, writers one at a time."""
        place = str(self.path)
        try:
            self.con.execute("BEGIN")
            self.con.execute("SELECT pg_advisory_xact_lock(%s)", (_WRITE_LOCK,))
        except psycopg.Error as exc:
            self._rollback()
            raise _failure(place, exc, "; nothing was changed") from None
        self._writing = True
        try:
            yield
            self.con.execute("COMMIT")
        except psycopg.Error as exc:
            self._rollback()
            raise _failure(place, exc, "; nothing was changed") from None
        except BaseException:
            self._rollback()
            raise
        finally:
            self._writing = False

    def _rollback(self) -> None:
        with contextlib.suppress(psycopg.Error):
            self.con.execute("ROLLBACK")

    def _read(self, sql: str, params=()) -> list:
        try:
            return self.con.execute(_dialect(sql), params).fetchall()
        except psycopg.Error as exc:
            if self._writing:
                raise  # transaction() rolls back and says it once
            raise _failure(str(self.path), exc) from None

    def _write(self, sql: str, params=(), *, many: bool = False):
        if not self._writing:
            raise RuntimeError("a write outside store.transaction()")
        cursor = self.con.cursor()
        if many:
            cursor.executemany(_dialect(sql), params)
        else:
            cursor.execute(_dialect(sql), params)
        return cursor

    # -------------------------------------------------------------- schema

    def schema_version(self) -> int:
        if not self._read(
            "SELECT 1 FROM pg_tables WHERE schemaname = current_schema() AND tablename = ?", ("msmonitor_schema",)
        ):
            return 0
        return self._read("SELECT version FROM msmonitor_schema")[0][0]

    def _migrate(self) -> None:
        if self.schema_version() == SCHEMA_VERSION:
            return
        with self.transaction():
            # re-read under the lock: another process may have migrated meanwhile
            version = self.schema_version()
            for target in range(version + 1, SCHEMA_VERSION + 1):
                for statement in _statements(MIGRATIONS[target]):
                    self._write(statement)
            self._write("UPDATE msmonitor_schema SET version = ?", (SCHEMA_VERSION,))

    # -------------------------------------------------------------- what differs in kind

    def insert_patient(self, patient: Patient, now: datetime) -> int:
        if self._read("SELECT 1 FROM patients WHERE label = ?", (patient.label,)):
            raise InputError(f"patient {patient.label!r} exists already")
        pid = self._write(
            "INSERT INTO patients (label, sex, protocol, notes, single_course, include_unverified, tracking_from,"
            " created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
            (*_fields(patient), now.isoformat(timespec="seconds")),
        ).fetchone()[0]
        self.write_courses(pid, patient.courses)
        return pid

    def staging(self) -> PgStaging:
        return PgStaging(self)


class PgStaging:
    """``store.Staging`` for PostgreSQL: patients on their way in wait in
    temporary tables of this session (on the server, so memory stays
    bounded), written in batches, and are copied into the schema in one
    write transaction by ``commit``."""

    _BATCH = 500

    def __init__(self, store: PgStore) -> None:
        self.store = store
        self.count = 0
        self._rows: dict[str, list[tuple]] = {"patients": [], "courses": [], "records": [], "open_items": []}
        self.span = 0  # the longest of the open items staged (store.MIGRATIONS[7])
        store._exec(
            'CREATE TEMP TABLE staged_patients (n BIGINT PRIMARY KEY, label TEXT COLLATE "C" NOT NULL, sex TEXT,'
            " protocol TEXT NOT NULL, notes TEXT NOT NULL, single_course INTEGER NOT NULL,"
            " include_unverified INTEGER NOT NULL, tracking_from TEXT, plan_key TEXT, calendar_salt TEXT);"
            " CREATE TEMP TABLE staged_courses (s BIGSERIAL, n BIGINT NOT NULL, number INTEGER NOT NULL,"
            " start TEXT NOT NULL, days TEXT);"
            " CREATE TEMP TABLE staged_records (s BIGSERIAL, n BIGINT NOT NULL, test TEXT NOT NULL,"
            " done_on TEXT NOT NULL, note TEXT NOT NULL);"
            " CREATE TEMP TABLE staged_open_items (n BIGINT NOT NULL, event_id TEXT NOT NULL, kind TEXT NOT NULL,"
            " title TEXT NOT NULL, due TEXT NOT NULL, last TEXT NOT NULL, month INTEGER, phase TEXT NOT NULL,"
            " tests TEXT NOT NULL, reach TEXT NOT NULL)"
        )

    def add(
        self,
        patient: Patient,
        records: list[tuple[str, date, str]],
        plan_key: str,
        open_items: list[tuple],
        span: int,
        calendar_salt: str | None = None,
    ) -> None:
        self.count += 1
        n, rows = _numbered(self.count, open_items), self._rows
        rows["patients"].append((n, *_fields(patient), plan_key, calendar_salt))
        rows["courses"].extend((n, *_course_row(c)) for c in patient.courses)
        rows["records"].extend((n, test, day.isoformat(), note) for test, day, note in records)
        rows["open_items"].extend(open_items)
        self.span = max(self.span, span)
        if len(rows["patients"]) >= self._BATCH:
            self._flush()

    def _flush(self) -> None:
        columns = {
            "patients": "",
            "courses": "(n, number, start, days)",
            "records": "(n, test, done_on, note)",
            "open_items": "",
        }
        try:
            with self.store.con.transaction(), self.store.con.cursor() as cursor:
                for table, rows in self._rows.items():
                    if rows:
                        with cursor.copy(f"COPY staged_{table} {columns[table]} FROM STDIN") as copy:
                            for row in rows:
                                copy.write_row(row)
                    rows.clear()
        except psycopg.Error as exc:
            raise _failure(str(self.store.path), exc, "; nothing was imported") from None

    def commit(self, now: datetime, first: Callable[[], None] | None = None) -> int:
        """As ``store.Staging.commit``: every staged patient in one
        transaction, after ``first``; a label already there stops it."""
        self._flush()
        store = self.store
        with store.transaction():
            if first:
                first()
            taken = store._read(
                "SELECT s.label FROM staged_patients s JOIN patients p ON p.label = s.label ORDER BY s.n LIMIT 1"
            )
            if taken:
                raise InputError(f"patient {taken[0][0]!r} exists already")
            base = store._read("SELECT coalesce(max(id), 0) FROM patients")[0][0]
            stamp = now.isoformat(timespec="seconds")
            store._write(
                "INSERT INTO patients (id, label, sex, protocol, notes, single_course, include_unverified,"
                " tracking_from, plan_key, created_at, calendar_salt) SELECT n + ?, label, sex, protocol, notes,"
                " single_course, include_unverified, tracking_from, plan_key, ?, " + _FREE_SALT + " FROM"
                " staged_patients ORDER BY n",
                (base, stamp),
            )
            # the ids were given here, not drawn: the next drawn one follows them
            store._write("SELECT setval(pg_get_serial_sequence('patients', 'id'), greatest(max(id), 1)) FROM patients")
            store._write(
                "INSERT INTO courses (patient_id, number, start, days)"
                " SELECT n + ?, number, start, days FROM staged_courses ORDER BY s",
                (base,),
            )
            store._write(
                "INSERT INTO records (patient_id, test, done_on, recorded_at, note)"
                " SELECT n + ?, test, done_on, ?, note FROM staged_records ORDER BY s",
                (base, stamp),
            )
            store._write(
                "INSERT INTO open_items (patient_id, event_id, kind, title, due, last, month, phase, tests, reach)"
                " SELECT n + ?, event_id, kind, title, due, last, month, phase, tests, reach FROM staged_open_items",
                (base,),
            )
            store.widen_span(self.span)
        return self.count

    def discard(self) -> None:
        with contextlib.suppress(psycopg.Error):
            self.store.con.execute(
                "DROP TABLE IF EXISTS staged_patients, staged_courses, staged_records, staged_open_items"
            )
