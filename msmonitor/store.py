"""Patient records in an embedded SQLite database.

The only module that imports sqlite3. One file, owner-only permissions,
a versioned schema (``PRAGMA user_version``) with migrations, and every
change in one ``BEGIN IMMEDIATE`` transaction, so two msmonitor processes
writing at once wait for each other (up to a busy timeout) instead of
corrupting or losing anything.

The journal stays SQLite's default rollback journal, not WAL: the database is
one file at rest (a copy of it is a backup), it works on network folders, and
a crash leaves a journal that the next open rolls back, which msmonitor can
see and report. WAL would let ``due`` read during a long import, but imports
hold the write lock only for their final copy (``Staging``).

Besides what the user recorded (patients, courses, records), the database
keeps each patient's scheduled events that still have a test to do (table
``open_items``), refreshed in the same transaction as any change. It is
derived data, there so that ``msmonitor due`` over thousands of patients is
one indexed query; ``plan_key`` says what it was computed from, and a stale
patient (a new protocol version, a migrated file) is refreshed before use.
"""

from __future__ import annotations

import contextlib
import json
import os
import sqlite3
import stat
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date, datetime
from pathlib import Path
from typing import NamedTuple, Protocol

from .errors import InputError, MsmonitorError
from .files import reason
from .labels import did_you_mean

APPLICATION_ID = 0x4D534D4E  # "MSMN": marks the file as msmonitor's
SCHEMA_VERSION = 7
# How long a command waits for another msmonitor's write to finish before it
# says "busy" (the same wait for every command, reads and writes alike).
BUSY_TIMEOUT_MS = 30_000
_SQLITE_BUSY, _SQLITE_LOCKED, _SQLITE_READONLY, _SQLITE_CORRUPT, _SQLITE_FULL, _SQLITE_NOTADB = 5, 6, 8, 11, 13, 26

# Migration n brings a database from version n-1 to version n.
MIGRATIONS: dict[int, str] = {
    1: """
        CREATE TABLE patients (
            id INTEGER PRIMARY KEY,
            label TEXT NOT NULL UNIQUE,
            sex TEXT CHECK (sex IN ('female', 'male')),
            protocol TEXT NOT NULL,
            notes TEXT NOT NULL DEFAULT '',
            created_at TEXT NOT NULL
        );
        CREATE TABLE courses (
            patient_id INTEGER NOT NULL REFERENCES patients(id) ON DELETE CASCADE,
            number INTEGER NOT NULL CHECK (number >= 1),
            start TEXT NOT NULL,
            days TEXT,  -- JSON list of ISO dates when the infusion days were not consecutive
            PRIMARY KEY (patient_id, number)
        );
        CREATE TABLE records (
            id INTEGER PRIMARY KEY,
            patient_id INTEGER NOT NULL REFERENCES patients(id) ON DELETE CASCADE,
            test TEXT NOT NULL,
            done_on TEXT NOT NULL,
            recorded_at TEXT NOT NULL
        );
        CREATE INDEX records_by_patient ON records(patient_id, test, done_on);
    """,
    2: """
        ALTER TABLE patients ADD COLUMN single_course INTEGER NOT NULL DEFAULT 0;
        ALTER TABLE patients ADD COLUMN include_unverified INTEGER NOT NULL DEFAULT 0;
        ALTER TABLE patients ADD COLUMN plan_key TEXT;  -- NULL: items must be recomputed
        ALTER TABLE records ADD COLUMN note TEXT NOT NULL DEFAULT '';
        CREATE TABLE open_items (
            patient_id INTEGER NOT NULL REFERENCES patients(id) ON DELETE CASCADE,
            event_id TEXT NOT NULL,
            kind TEXT NOT NULL,
            title TEXT NOT NULL,
            due TEXT NOT NULL,
            last TEXT NOT NULL,
            month INTEGER,
            phase TEXT NOT NULL,
            tests TEXT NOT NULL,  -- the event's tests not yet done, as test:tolerance_days, space-separated
            reach TEXT NOT NULL,  -- the last day any of them counts (last + tolerance)
            PRIMARY KEY (patient_id, event_id)
        ) WITHOUT ROWID;
        CREATE INDEX open_items_by_due ON open_items(due, reach);
    """,
    # open_items.tests becomes a JSON list of [test, tolerance_days]; the
    # cache is derived, so it is emptied and recomputed on next use
    3: """
        DELETE FROM open_items;
        UPDATE patients SET plan_key = NULL;
    """,
    4: """
        -- items over before this day and never recorded are not tracked; NULL: tracked from course 1.
        -- Patients saved before version 4 keep NULL: nothing they showed changes.
        ALTER TABLE patients ADD COLUMN tracking_from TEXT;
    """,
    # open items clustered by due date, so that `due` reads only the rows it
    # lists, in one range of the table, instead of walking an index of every
    # past item and then looking each hit up (seconds at 100,000 patients);
    # the unique (patient, event) index serves refreshes and deletions
    5: """
        CREATE TABLE open_items_by_date (
            patient_id INTEGER NOT NULL REFERENCES patients(id) ON DELETE CASCADE,
            event_id TEXT NOT NULL,
            kind TEXT NOT NULL,
            title TEXT NOT NULL,
            due TEXT NOT NULL,
            last TEXT NOT NULL,
            month INTEGER,
            phase TEXT NOT NULL,
            tests TEXT NOT NULL,  -- JSON list of [test, tolerance_days] not yet done
            reach TEXT NOT NULL,  -- the last day any of them counts (last + tolerance)
            PRIMARY KEY (due, patient_id, event_id)
        ) WITHOUT ROWID;
        INSERT INTO open_items_by_date (patient_id, event_id, kind, title, due, last, month, phase, tests, reach)
            SELECT patient_id, event_id, kind, title, due, last, month, phase, tests, reach FROM open_items;
        DROP TABLE open_items;
        ALTER TABLE open_items_by_date RENAME TO open_items;
        CREATE UNIQUE INDEX open_items_by_patient ON open_items(patient_id, event_id);
    """,
    # the random salt of the patient's calendar export: its UIDs stay the same
    # on every export, even when the previous file is gone (NULL: not exported yet)
    6: """
        ALTER TABLE patients ADD COLUMN calendar_salt TEXT;
    """,
    # the longest span (days from due to reach) of any open item written: `due`
    # reads items due from (the first day asked - that span) on, one short
    # range of the clustered table, instead of every unfinished item since the
    # clinic began (a third of a second at 100,000 patients). Never lowered: a
    # span too long only reads more.
    7: """
        CREATE TABLE open_items_span (days INTEGER NOT NULL);
        INSERT INTO open_items_span
            SELECT coalesce(max(CAST(julianday(reach) - julianday(due) AS INTEGER)), 0) FROM open_items;
    """,
}


class DatabaseError(MsmonitorError):
    """The database file cannot be used; it is left untouched."""


class CourseRow(NamedTuple):
    number: int
    start: date
    days: tuple[date, ...] | None = None


class Patient(NamedTuple):
    id: int
    label: str
    sex: str | None
    protocol: str
    notes: str
    single_course: bool
    include_unverified: bool
    courses: tuple[CourseRow, ...]
    tracking_from: date | None = None  # see MIGRATIONS[4]


class RecordRow(NamedTuple):
    """A test recorded as done, as the user entered it."""

    id: int
    test: str
    done_on: date
    note: str = ""


class OpenItemRow(NamedTuple):
    """One scheduled event of a patient that still has tests to do (derived data)."""

    event_id: str
    kind: str
    title: str
    due: date
    last: date
    month: int | None
    phase: str
    tests: tuple[tuple[str, int], ...]  # (test id, tolerance in days) of each test not yet done
    reach: date  # the last day any of them counts


class Stager(Protocol):
    """Where an import puts patients on their way in, one backend's way
    (``Staging`` for SQLite)."""

    def add(
        self,
        patient: Patient,
        records: list[tuple[str, date, str]],
        plan_key: str,
        open_items: list[tuple],
        span: int,
        calendar_salt: str | None = None,
    ) -> None:
        """Stage a patient: number ``self.count + 1``, the number its
        ``open_items`` (``open_item_rows``, ``span``) were made with."""

    count: int

    def commit(self, now: datetime, first: Callable[[], None] | None = None) -> int: ...

    def discard(self) -> None: ...


def default_path() -> Path:
    """msmonitor.db in the user's data folder, as platformdirs knows it per OS
    ($XDG_DATA_HOME or ~/.local/share on Linux, Application Support on macOS,
    %LOCALAPPDATA% on Windows); imported only when no --db is given."""
    from platformdirs import user_data_path

    return user_data_path("msmonitor", appauthor=False) / "msmonitor.db"


def _failure(path: Path, exc: sqlite3.Error, after: str = "") -> DatabaseError:
    """One line for an SQLite failure; a lock held by another process is
    "busy", never "damaged"."""
    code = getattr(exc, "sqlite_errorcode", 0) & 0xFF
    if code in (_SQLITE_BUSY, _SQLITE_LOCKED):
        problem = "busy: another msmonitor is writing; try again"
    elif code == _SQLITE_FULL:
        problem = "the disk is full"
    elif code == _SQLITE_READONLY:
        problem = f"cannot write ({exc})"
    elif code in (_SQLITE_CORRUPT, _SQLITE_NOTADB):
        problem = f"damaged or not a database ({exc})"
    else:
        problem = f"database error ({exc})"
    return DatabaseError(f"{path}: {problem}{after}")


def _existing(target: Path) -> os.stat_result | None:
    """The status of the database file ``target`` names, or None when there
    is none. Only a regular file owned by the user is used."""
    if not os.path.lexists(target):
        return None
    try:
        info = target.stat()
    except FileNotFoundError:
        raise DatabaseError(
            f"{target}: a symbolic link to a missing file; msmonitor creates a database only as a new file"
        ) from None
    except OSError as exc:
        raise DatabaseError(f"{target}: cannot read ({reason(exc)})") from None
    if stat.S_ISDIR(info.st_mode):
        raise DatabaseError(f"{target}: is a folder, not a database file")
    if not stat.S_ISREG(info.st_mode):
        raise DatabaseError(f"{target}: not a regular file; a database must be a file")
    if hasattr(os, "geteuid") and info.st_uid != os.geteuid():
        raise DatabaseError(f"{target}: owned by another user; msmonitor uses only your own database file")
    return info


def _check_header(path: Path) -> None:
    """Refuse anything but an empty file or an SQLite database."""
    try:
        with open(path, "rb") as handle:
            head = handle.read(100)
    except OSError as exc:
        raise DatabaseError(f"{path}: cannot read ({reason(exc)})") from None
    if head and not head.startswith(b"SQLite format 3\x00"):
        raise DatabaseError(f"{path}: not a msmonitor database (not an SQLite file); it was left untouched")


def _hot_journal(path: Path) -> bool:
    """A rollback journal left behind, as by a process killed while writing."""
    try:
        return Path(f"{path}-journal").stat().st_size > 0
    except OSError:
        return False


class Store:
    """An open msmonitor database: rows in, rows out.

    The only place that holds SQL. Reads can happen at any time; every
    method that writes must be called inside ``with store.transaction():``.
    """

    def __init__(self, path: Path, con: sqlite3.Connection) -> None:
        self.path = path
        self.con = con
        self._writing = False
        self.notices: list[str] = []
        self.identity: tuple[int, int] = (0, 0)  # (device, inode) of the database file
        self._has_json: bool | None = None  # see _json_arrays

    @classmethod
    def open(cls, path: str | os.PathLike[str] | None = None, *, create: bool = True) -> Store:
        """Open (or create, owner-only) the database; ``store.notices`` says
        what was done on the way (a crash recovered, permissions tightened)."""
        if path is not None and not os.fspath(path):
            raise DatabaseError("--db: an empty path; give a file name, or leave --db out for the default")
        if path is not None and is_server_url(os.fspath(path)):
            return _server_store(os.fspath(path), create)
        target = Path(path) if path is not None else default_path()
        info = _existing(target)
        if info is None:
            if not create:
                raise DatabaseError(f"{target}: no database yet; add a patient first ('msmonitor add')")
            _create_file(target)
            info = _existing(target)
            assert info is not None
        notices = []
        real = target.resolve()
        if stat.S_IMODE(info.st_mode) & 0o077:
            try:
                os.chmod(real, 0o600)
                notices.append(f"{target}: was readable by other users; now readable by its owner only")
            except OSError as exc:
                notices.append(f"{target}: readable by other users, and cannot be changed ({reason(exc)})")
        _check_header(real)
        recovering = _hot_journal(real)
        try:
            con = sqlite3.connect(real, timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None)
        except sqlite3.Error as exc:
            raise _failure(target, exc) from None
        try:
            # the first read rolls back a journal left by a crash (it needs a
            # read-write connection: a read-only one reports the file damaged)
            app_id = con.execute("PRAGMA application_id").fetchone()[0]
            version = con.execute("PRAGMA user_version").fetchone()[0]
            tables = con.execute("SELECT count(*) FROM sqlite_master").fetchone()[0]
            con.execute("PRAGMA foreign_keys = ON")
        except sqlite3.Error as exc:
            con.close()
            raise _failure(target, exc, "; it was left untouched") from None
        if app_id != APPLICATION_ID and (app_id != 0 or tables):
            con.close()
            raise DatabaseError(f"{target}: an SQLite database of another program; it was left untouched")
        if version > SCHEMA_VERSION:
            con.close()
            raise DatabaseError(f"{target}: written by a newer msmonitor (schema {version}); upgrade msmonitor")
        if recovering and not _hot_journal(real):
            notices.append(f"{target}: recovered an interrupted change (a write was cut short; none of it was kept)")
        store = cls(target, con)
        store.notices = notices
        store.identity = (info.st_dev, info.st_ino)
        try:
            store._migrate()
        except BaseException:
            con.close()
            raise
        _remove_abandoned(target)  # any command cleans up after a killed import
        return store

    def close(self) -> None:
        self.con.close()

    def staging(self) -> Stager:
        """Where an import puts patients on their way in (see ``Staging``)."""
        return Staging(self)

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """One write transaction: all of it happens, or none of it."""
        try:
            self.con.execute("BEGIN IMMEDIATE")
        except sqlite3.Error as exc:
            raise _failure(self.path, exc, "; nothing was changed") from None
        self._writing = True
        try:
            yield
            self.con.execute("COMMIT")
        except sqlite3.Error as exc:
            self._rollback()
            raise _failure(self.path, exc, "; nothing was changed") from None
        except BaseException:
            self._rollback()
            raise
        finally:
            self._writing = False

    def _rollback(self) -> None:
        # SQLite may have rolled back already (a full disk, an I/O error)
        if self.con.in_transaction:
            with contextlib.suppress(sqlite3.Error):
                self.con.execute("ROLLBACK")

    def _read(self, sql: str, params=()) -> list:
        try:
            return self.con.execute(sql, params).fetchall()
        except sqlite3.Error as exc:
            raise _failure(self.path, exc) from None

    def _write(self, sql: str, params=(), *, many: bool = False) -> sqlite3.Cursor:
        if not self._writing:
            raise RuntimeError("a write outside store.transaction()")
        return self.con.executemany(sql, params) if many else self.con.execute(sql, params)

    # -------------------------------------------------------------- schema

    def _migrate(self) -> None:
        if self.schema_version() == SCHEMA_VERSION:
            return
        with self.transaction():
            # re-read inside the lock: another process may have migrated meanwhile
            version = self.schema_version()
            for target in range(version + 1, SCHEMA_VERSION + 1):
                for statement in _statements(MIGRATIONS[target]):
                    self._write(statement)
            self._write(f"PRAGMA application_id = {APPLICATION_ID}")
            self._write(f"PRAGMA user_version = {SCHEMA_VERSION}")

    def schema_version(self) -> int:
        return self._read("PRAGMA user_version")[0][0]

    # -------------------------------------------------------------- patients

    _PATIENT = "SELECT id, label, sex, protocol, notes, single_course, include_unverified, tracking_from FROM patients"

    def patient(self, label: str) -> Patient:
        """The patient with this label; failing that, the only one whose label
        differs in case. Not found: one line naming the nearest label."""
        # the exact label by the unique index first; the case-blind scan only when it is not there
        exact = self._read(self._PATIENT + " WHERE label = ?", (label,))
        found = exact or self._read(self._PATIENT + " WHERE label = ? COLLATE NOCASE ORDER BY label", (label,))
        if not exact and len(found) > 1:
            names = ", ".join(repr(row[1]) for row in found)
            raise InputError(f"no patient {label!r}; labels differing only in case: {names}")
        if not found:
            raise InputError(f"no patient {label!r} in {self.path}{did_you_mean(label, self.labels())}")
        row = (exact or found)[0]
        return self._patient(row, self._courses(row[0]).get(row[0], []))

    def same_label(self, label: str, other_than: int | None = None) -> str | None:
        """A saved label equal to ``label`` ignoring case (another patient's
        than ``other_than``), or None: labels are looked up ignoring case, so
        two that differ only in case would be a trap."""
        rows = self._read(
            "SELECT label FROM patients WHERE label = ? COLLATE NOCASE AND id IS NOT ?", (label, other_than)
        )
        return rows[0][0] if rows else None

    def calendar_salt(self, pid: int) -> str | None:
        """The salt of the patient's calendar UIDs, or None before a first export."""
        rows = self._read("SELECT calendar_salt FROM patients WHERE id = ?", (pid,))
        return rows[0][0] if rows else None

    def calendar_salts(self) -> dict[int, str]:
        """Every saved patient's calendar salt, by patient id (for ``export``)."""
        return dict(self._read("SELECT id, calendar_salt FROM patients WHERE calendar_salt IS NOT NULL"))

    def has_calendar_salt(self, salt: str) -> bool:
        """Whether a saved patient's calendar uses this salt already."""
        return bool(self._read("SELECT 1 FROM patients WHERE calendar_salt = ?", (salt,)))

    def set_calendar_salt(self, pid: int, salt: str) -> None:
        """Keep the salt of a first export (never replaces one)."""
        with self.transaction():
            self._write("UPDATE patients SET calendar_salt = ? WHERE id = ? AND calendar_salt IS NULL", (salt, pid))

    def labels(self) -> list[str]:
        return [row[0] for row in self._read("SELECT label FROM patients ORDER BY label")]

    def patients(self) -> list[Patient]:
        rows = self._read(self._PATIENT + " ORDER BY label")
        courses = self._courses()
        return [self._patient(row, courses.get(row[0], [])) for row in rows]

    @staticmethod
    def _patient(row, courses: list[CourseRow]) -> Patient:
        pid, label, sex, protocol, notes, single, unverified, tracking_from = row
        return Patient(
            pid,
            label,
            sex,
            protocol,
            notes,
            bool(single),
            bool(unverified),
            tuple(courses),
            date.fromisoformat(tracking_from) if tracking_from else None,
        )

    def _courses(self, pid: int | None = None) -> dict[int, list[CourseRow]]:
        where = " WHERE patient_id = ?" if pid is not None else ""
        rows = self._read(
            "SELECT patient_id, number, start, days FROM courses" + where + " ORDER BY patient_id, number",
            (pid,) if pid is not None else (),
        )
        result: dict[int, list[CourseRow]] = {}
        for patient_id, number, start, days in rows:
            parsed = tuple(date.fromisoformat(d) for d in json.loads(days)) if days else None
            result.setdefault(patient_id, []).append(CourseRow(number, date.fromisoformat(start), parsed))
        return result

    def insert_patient(self, patient: Patient, now: datetime) -> int:
        """Save a new patient with its courses; returns its id."""
        if self._read("SELECT 1 FROM patients WHERE label = ?", (patient.label,)):
            raise InputError(f"patient {patient.label!r} exists already")
        cursor = self._write(
            "INSERT INTO patients (label, sex, protocol, notes, single_course, include_unverified, tracking_from,"
            " created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (*_fields(patient), now.isoformat(timespec="seconds")),
        )
        pid = cursor.lastrowid
        assert pid is not None
        self.write_courses(pid, patient.courses)
        return pid

    def update_patient(self, patient: Patient) -> None:
        """Replace what was set about a patient (label, sex, protocol, notes,
        options, tracking start); courses and records stay."""
        if self._read("SELECT 1 FROM patients WHERE label = ? AND id != ?", (patient.label, patient.id)):
            raise InputError(f"patient {patient.label!r} exists already")
        self._write(
            "UPDATE patients SET label = ?, sex = ?, protocol = ?, notes = ?, single_course = ?,"
            " include_unverified = ?, tracking_from = ?, plan_key = NULL WHERE id = ?",
            (*_fields(patient), patient.id),
        )

    def remove_patient(self, pid: int) -> tuple[int, int]:
        """Delete a patient with its courses, records and cached items;
        returns how many (courses, records) went with it."""
        courses = self._read("SELECT count(*) FROM courses WHERE patient_id = ?", (pid,))[0][0]
        records = self._read("SELECT count(*) FROM records WHERE patient_id = ?", (pid,))[0][0]
        self._write("DELETE FROM patients WHERE id = ?", (pid,))
        return courses, records

    def write_courses(self, pid: int, courses: tuple[CourseRow, ...]) -> None:
        """Replace the patient's courses (its cached items become stale)."""
        self._write("DELETE FROM courses WHERE patient_id = ?", (pid,))
        self._write(
            "INSERT INTO courses (patient_id, number, start, days) VALUES (?, ?, ?, ?)",
            [(pid, *_course_row(c)) for c in courses],
            many=True,
        )
        self._write("UPDATE patients SET plan_key = NULL WHERE id = ?", (pid,))

    def set_single_course(self, pid: int, single: bool) -> None:
        self._write("UPDATE patients SET single_course = ?, plan_key = NULL WHERE id = ?", (int(single), pid))

    # -------------------------------------------------------------- records

    def records(self, pid: int) -> list[RecordRow]:
        rows = self._read(
            "SELECT id, test, done_on, note FROM records WHERE patient_id = ? ORDER BY done_on, test, id", (pid,)
        )
        return [RecordRow(rid, test, date.fromisoformat(done), note) for rid, test, done, note in rows]

    def add_records(self, pid: int, records: list[tuple[str, date, str]], now: datetime) -> None:
        """Save (test, done_on, note) rows."""
        stamp = now.isoformat(timespec="seconds")
        self._write(
            "INSERT INTO records (patient_id, test, done_on, recorded_at, note) VALUES (?, ?, ?, ?, ?)",
            [(pid, test, day.isoformat(), stamp, note) for test, day, note in records],
            many=True,
        )

    def remove_records(self, pid: int, done_on: date, tests: list[str] | None) -> int:
        """Delete the records of ``done_on`` (only those of ``tests`` if given); returns how many."""
        query = "DELETE FROM records WHERE patient_id = ? AND done_on = ?"
        params: list = [pid, done_on.isoformat()]
        if tests:
            query += f" AND test IN ({','.join('?' * len(tests))})"
            params += tests
        return self._write(query, params).rowcount

    # -------------------------------------------------------------- the schedule cache

    def write_open_items(self, pid: int, plan_key: str, rows: list[OpenItemRow]) -> None:
        """Replace the patient's open items, and note what they were computed from."""
        self._write("DELETE FROM open_items WHERE patient_id = ?", (pid,))
        self._write(
            "INSERT INTO open_items (patient_id, event_id, kind, title, due, last, month, phase, tests, reach)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            open_item_rows(pid, rows),
            many=True,
        )
        self._write("UPDATE patients SET plan_key = ? WHERE id = ?", (plan_key, pid))
        self.widen_span(span(rows))

    def widen_span(self, days: int) -> None:
        """Open items spanning ``days`` (due to reach) were written: see MIGRATIONS[7]."""
        self._write("UPDATE open_items_span SET days = ? WHERE days < ?", (days, days))

    def plan_keys(self) -> list[tuple[str, str | None]]:
        """Each distinct (protocol, plan_key) among the patients: what `due`
        checks on every run, in one pass over the patients."""
        return [(row[0], row[1]) for row in self._read("SELECT DISTINCT protocol, plan_key FROM patients")]

    def stale_patients(self, plan_keys: dict[str, str]) -> list[int]:
        """Patients whose open items were not computed from ``plan_keys``
        (protocol name -> key); protocols not in it are left alone."""
        if not plan_keys:
            return []
        # in SQL: `due` asks this on every run, of every patient
        where = " OR ".join("(protocol = ? AND plan_key IS NOT ?)" for _ in plan_keys)
        params = [value for pair in plan_keys.items() for value in pair]
        return [row[0] for row in self._read(f"SELECT id FROM patients WHERE {where}", params)]

    # An open item's columns but the patient's, as one JSON array: tens of
    # thousands of rows listed hold a few thousand distinct items (the same
    # event, days and tests for many patients), so a row read is two values
    # instead of ten and each distinct item is made once (OpenItemRow is
    # immutable: patients share it).
    _ITEM = "json_array(i.event_id, i.kind, i.title, i.due, i.last, i.month, i.phase, i.tests, i.reach)"
    _COLUMNS = "i.event_id, i.kind, i.title, i.due, i.last, i.month, i.phase, i.tests, i.reach"

    def open_items(self, since: date, until: date) -> list[tuple[str, OpenItemRow]]:
        """(patient label, row) of open items dated on or before ``until`` that
        still count on or after ``since``."""
        # no item spans more than `longest` days: none due before since - longest counts
        longest = self._read("SELECT max(days) FROM open_items_span")[0][0]
        first = date.fromordinal(max(1, since.toordinal() - longest)) if longest is not None else date.min
        where = (
            " FROM open_items i JOIN patients p ON p.id = i.patient_id WHERE i.due <= ? AND i.due >= ? AND i.reach >= ?"
        )
        params = (until.isoformat(), first.isoformat(), since.isoformat())
        items = _OpenItems()
        if self._json_arrays():
            rows = self._read(f"SELECT p.label, {self._ITEM}{where}", params)
            return [(label, items.get(item) or items.made(item, json.loads(item))) for label, item in rows]
        # an SQLite built without its JSON functions: the columns, each item still made once
        rows = self._read(f"SELECT p.label, {self._COLUMNS}{where}", params)
        return [(row[0], items.get(row[1:]) or items.made(row[1:], row[1:])) for row in rows]

    def _json_arrays(self) -> bool:
        """Whether this SQLite has json_array (built in since SQLite 3.38; an
        option before, on in the usual builds)."""
        if self._has_json is None:
            try:
                self.con.execute("SELECT json_array(1)").fetchall()
                self._has_json = True
            except sqlite3.OperationalError:
                self._has_json = False
        return self._has_json


class Staging:
    """Patients on their way in: an import writes each one here as it is read
    and computed, then copies them all into the database in one short write
    transaction (``commit``). A private scratch database beside the main one
    (owner-only, deleted afterwards) keeps memory bounded whatever the file's
    size, and holds the main database's write lock only for the final copy.
    """

    _TABLES = (
        "CREATE TABLE patients (n INTEGER PRIMARY KEY, label TEXT NOT NULL, sex TEXT, protocol TEXT NOT NULL,"
        " notes TEXT NOT NULL, single_course INTEGER NOT NULL, include_unverified INTEGER NOT NULL,"
        " tracking_from TEXT, plan_key TEXT, calendar_salt TEXT)",
        "CREATE TABLE courses (n INTEGER NOT NULL, number INTEGER NOT NULL, start TEXT NOT NULL, days TEXT)",
        "CREATE TABLE records (n INTEGER NOT NULL, test TEXT NOT NULL, done_on TEXT NOT NULL, note TEXT NOT NULL)",
        "CREATE TABLE open_items (n INTEGER NOT NULL, event_id TEXT NOT NULL, kind TEXT NOT NULL, title TEXT NOT NULL,"
        " due TEXT NOT NULL, last TEXT NOT NULL, month INTEGER, phase TEXT NOT NULL, tests TEXT NOT NULL,"
        " reach TEXT NOT NULL)",
    )

    def __init__(self, store: Store) -> None:
        import tempfile

        self.store = store
        self.count = 0
        _remove_abandoned(store.path)
        # Locked for as long as this process runs (the system drops the lock
        # when it dies, kill -9 included): the next open of the database
        # removes a scratch file nobody holds. It gets its findable name only
        # once locked, so no other process can take it for abandoned.
        prefix = f".{store.path.name}."
        try:
            fd, name = tempfile.mkstemp(dir=store.path.parent, prefix=prefix, suffix=".new")
        except OSError as exc:
            raise DatabaseError(f"{store.path}: cannot create a scratch file beside it ({reason(exc)})") from None
        self._lock: int | None = fd
        try:
            if os.name != "nt":
                import fcntl

                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            os.replace(name, name.removesuffix(".new") + SCRATCH_SUFFIX)
        except OSError as exc:
            self.discard(Path(name))
            raise DatabaseError(f"{store.path}: cannot create a scratch file beside it ({reason(exc)})") from None
        self.path = Path(name.removesuffix(".new") + SCRATCH_SUFFIX)
        self.con = sqlite3.connect(self.path, isolation_level=None)
        # scratch data: a crash loses nothing that is not in the source file
        self.con.execute("PRAGMA journal_mode = OFF")
        self.con.execute("PRAGMA synchronous = OFF")
        # written by this connection alone, then read once by the copy
        self.con.execute("PRAGMA locking_mode = EXCLUSIVE")
        self.con.execute("PRAGMA cache_size = -65536")  # KiB: 64 MiB at most, as pages are used
        for statement in self._TABLES:
            self.con.execute(statement)
        self.con.execute("BEGIN")
        self._patients: list[tuple] = []
        self._courses: list[tuple] = []
        self._records: list[tuple] = []
        self._open_items: list[tuple] = []
        self.span = 0  # the longest of the open items staged (store.MIGRATIONS[7])

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
        n = _numbered(self.count, open_items)
        self._patients.append((n, *_fields(patient), plan_key, calendar_salt))
        self._courses += [(n, *_course_row(c)) for c in patient.courses]
        iso = _ISO
        self._records += [(n, test, iso[day], note) for test, day, note in records]
        self.span = max(self.span, span)
        self._open_items += open_items
        if len(self._records) + len(self._open_items) >= self.BATCH:
            self._flush()

    # rows held before they are written to the scratch file: one executemany
    # per table for a few hundred patients, and memory bounded
    BATCH = 50_000

    def _flush(self) -> None:
        con = self.con
        con.executemany("INSERT INTO patients VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", self._patients)
        con.executemany("INSERT INTO courses VALUES (?, ?, ?, ?)", self._courses)
        con.executemany("INSERT INTO records VALUES (?, ?, ?, ?)", self._records)
        con.executemany("INSERT INTO open_items VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", self._open_items)
        self._patients, self._courses, self._records, self._open_items = [], [], [], []

    def commit(self, now: datetime, first: Callable[[], None] | None = None) -> int:
        """Copy every staged patient into the database in one transaction,
        after ``first`` (more checks and changes, in the same transaction);
        returns how many. A label already there stops it: nothing is written."""
        self._flush()
        self.con.execute("COMMIT")
        self.con.close()
        store = self.store
        try:
            store.con.execute("ATTACH DATABASE ? AS staged", (str(self.path),))
        except sqlite3.Error as exc:
            raise DatabaseError(f"{store.path}: cannot read the import's scratch file ({exc})") from None
        # Every row copied names a patient inserted just before it, so the
        # per-row foreign-key lookups (1.4 million at 10,000 patients, ~0.7 s
        # under the write lock) would check nothing: off for this transaction
        # (the pragma cannot change inside one), on again after it.
        store.con.execute("PRAGMA foreign_keys = OFF")
        try:
            with store.transaction():
                if first:
                    first()
                taken = store._read(
                    "SELECT s.label FROM staged.patients s JOIN main.patients p ON p.label = s.label"
                    " ORDER BY s.n LIMIT 1"
                )
                if taken:
                    raise InputError(f"patient {taken[0][0]!r} exists already")
                base = store._read("SELECT coalesce(max(id), 0) FROM main.patients")[0][0]
                stamp = now.isoformat(timespec="seconds")
                # Into a database smaller than the import (a restore, a first
                # import), the indexes of the rows copied are built afresh
                # afterwards, sorted once, instead of updated row by row.
                rebuilt = []
                if base < self.count:
                    rebuilt = store._read(
                        "SELECT name, sql FROM main.sqlite_master WHERE type = 'index' AND sql IS NOT NULL"
                        " AND tbl_name IN ('records', 'open_items') ORDER BY name"
                    )
                for name, _ in rebuilt:
                    store._write(f'DROP INDEX main."{name}"')
                store._write(
                    "INSERT INTO main.patients (id, label, sex, protocol, notes, single_course, include_unverified,"
                    " tracking_from, plan_key, created_at, calendar_salt) SELECT n + ?, label, sex, protocol, notes,"
                    " single_course, include_unverified, tracking_from, plan_key, ?, " + _FREE_SALT + " FROM"
                    " staged.patients ORDER BY n",
                    (base, stamp),
                )
                store._write(
                    "INSERT INTO main.courses (patient_id, number, start, days)"
                    " SELECT n + ?, number, start, days FROM staged.courses ORDER BY rowid",
                    (base,),
                )
                store._write(
                    "INSERT INTO main.records (patient_id, test, done_on, recorded_at, note)"
                    " SELECT n + ?, test, done_on, ?, note FROM staged.records ORDER BY rowid",
                    (base, stamp),
                )
                store._write(
                    "INSERT INTO main.open_items (patient_id, event_id, kind, title, due, last, month, phase, tests,"
                    " reach) SELECT n + ?, event_id, kind, title, due, last, month, phase, tests, reach"
                    " FROM staged.open_items ORDER BY due, n, event_id",  # the table's order: fast to insert
                    (base,),
                )
                for _, sql in rebuilt:
                    store._write(sql)
                store.widen_span(self.span)
        finally:
            store.con.execute("PRAGMA foreign_keys = ON")
            with contextlib.suppress(sqlite3.Error):
                store.con.execute("DETACH DATABASE staged")
        return self.count

    def discard(self, path: Path | None = None) -> None:
        """Delete the scratch file (after ``commit``, or instead of it)."""
        with contextlib.suppress(sqlite3.Error, AttributeError):
            self.con.close()
        with contextlib.suppress(OSError):
            (path or self.path).unlink()
        if self._lock is not None:
            os.close(self._lock)  # unlocks: after the unlink, so nobody else removes it first
            self._lock = None


# A restored calendar salt, unless a saved patient's calendar uses it already
# (two patients with one salt would share UIDs): then a new one is drawn at
# the next export.
_FREE_SALT = (
    "CASE WHEN calendar_salt IN (SELECT calendar_salt FROM patients WHERE calendar_salt IS NOT NULL)"
    " THEN NULL ELSE calendar_salt END"
)


SCRATCH_SUFFIX = ".import"


def _remove_abandoned(db: Path) -> None:
    """Delete the scratch files of imports that were killed: they hold
    patient data. An import that runs holds a lock on its file; one that
    died holds none (a pid in the name would not tell: pids are reused).
    POSIX only (Windows refuses to delete a file that is open anyway)."""
    if os.name == "nt":
        return
    import fcntl
    import glob

    for old in db.parent.glob(f".{glob.escape(db.name)}.*{SCRATCH_SUFFIX}"):
        try:
            fd = os.open(old, os.O_RDONLY | os.O_NOFOLLOW)
        except OSError:
            continue
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            old.unlink()
        except OSError:
            pass  # locked: an import that runs (or not ours to delete)
        finally:
            os.close(fd)


def is_server_url(db: str) -> bool:
    """--db names a PostgreSQL database rather than an SQLite file."""
    return db.startswith(("postgresql://", "postgres://"))


def _server_store(url: str, create: bool) -> Store:
    """The PostgreSQL backend (msmonitor.pgstore), imported only for a URL:
    psycopg is an optional extra."""
    try:
        from .pgstore import PgStore
    except ImportError:
        raise DatabaseError(
            "a postgresql:// database needs the PostgreSQL extra: pip install 'msmonitor[postgres]'"
        ) from None
    return PgStore.open(url, create=create)


class _IsoDays(dict):
    """Days to their ISO text, each formatted once."""

    def __missing__(self, day: date) -> str:
        text = self[day] = day.isoformat()
        return text


# a few thousand distinct days among the millions of dates an import writes
# (bounded: the days of the plans and records of one import)
_ISO: dict[date, str] = _IsoDays()


def open_item_rows(n: int, rows: list[OpenItemRow]) -> list[tuple]:
    """Open items as the open_items table stores them, for patient ``n`` (an
    id, or an import's staging number: ``Stager.add``): dates as ISO text,
    tests as their JSON."""
    iso, tests_json = _ISO, _tests_json
    return [
        (n, event_id, kind, title, iso[due], iso[last], month, phase, tests_json(tests), iso[reach])
        for event_id, kind, title, due, last, month, phase, tests, reach in rows
    ]


def _numbered(n: int, staged: list[tuple]) -> int:
    """``n``, after checking that these staged open items were made for
    patient ``n``: numbered otherwise, they would be saved as another
    patient's."""
    if staged and (staged[0][0] != n or staged[-1][0] != n):
        raise RuntimeError(f"staged open items numbered {staged[0][0]}, not {n}")
    return n


def _course_row(c: CourseRow) -> tuple:
    return c.number, c.start.isoformat(), json.dumps([d.isoformat() for d in c.days]) if c.days else None


# (test, tolerance) tuples -> their JSON: a protocol has a few dozen, and an
# import writes hundreds of thousands of rows
_TESTS_JSON: dict[tuple, str] = {}


def _tests_json(tests: tuple[tuple[str, int], ...]) -> str:
    text = _TESTS_JSON.get(tests)
    if text is None:
        text = _TESTS_JSON[tests] = json.dumps(tests, separators=(",", ":"))
    return text


_TESTS_FROM_JSON: dict[str, tuple[tuple[str, int], ...]] = {}


def _tests_from_json(text: str) -> tuple[tuple[str, int], ...]:
    tests = _TESTS_FROM_JSON.get(text)
    if tests is None:
        tests = _TESTS_FROM_JSON[text] = tuple((test, tolerance) for test, tolerance in json.loads(text))
    return tests


class _OpenItems(dict):
    """An open item as read (``Store._ITEM``'s text, or its columns) to its
    OpenItemRow, each made once: its days parsed once each, its tests one
    tuple per distinct list (so that ``patients.DueTests.whole`` can tell an
    event's parts by that tuple)."""

    def __init__(self) -> None:
        super().__init__()
        self.days: dict[str, date] = {}

    def made(self, key: str | tuple, values: list | tuple) -> OpenItemRow:
        event_id, kind, title, due, last, month, phase, tests, reach = values
        days = self.days
        row = self[key] = OpenItemRow(
            event_id,
            kind,
            title,
            days.get(due) or days.setdefault(due, date.fromisoformat(due)),
            days.get(last) or days.setdefault(last, date.fromisoformat(last)),
            month,
            phase,
            _tests_from_json(tests),
            days.get(reach) or days.setdefault(reach, date.fromisoformat(reach)),
        )
        return row


def span(rows: list[OpenItemRow]) -> int:
    """The longest span, due to reach, of these open items, in days (0 for none)."""
    return max((r.reach.toordinal() - r.due.toordinal() for r in rows), default=0)


def _fields(patient: Patient) -> tuple:
    """The patients columns label, sex, protocol, notes, single_course,
    include_unverified and tracking_from, in that order."""
    return (
        patient.label,
        patient.sex,
        patient.protocol,
        patient.notes,
        int(patient.single_course),
        int(patient.include_unverified),
        patient.tracking_from.isoformat() if patient.tracking_from else None,
    )


def _create_file(target: Path) -> None:
    """A new, empty database file readable by its owner only; never through a
    symbolic link, never adopting a file someone else made first."""
    try:
        target.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0)
        fd = os.open(target, flags, stat.S_IRUSR | stat.S_IWUSR)
        os.close(fd)
    except FileExistsError:
        pass  # another process created it first: checked like any existing file
    except OSError as exc:
        raise DatabaseError(f"{target}: cannot create ({reason(exc)})") from None


def _statements(script: str) -> list[str]:
    """The SQL statements of a migration script, comments removed."""
    code = "\n".join(line.split("--", 1)[0] for line in script.splitlines())
    return [s.strip() for s in code.split(";") if s.strip()]
