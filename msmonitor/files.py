"""Reading and writing the files a user names, with one-line errors.

Writing never leaves a partial or damaged file: the data goes to a temporary
file in the target's folder, is flushed to disk, then renamed over the target
in one step. New files are readable by their owner only (plans and checklists
hold health data); a file being replaced keeps its mode.
"""

from __future__ import annotations

import contextlib
import io
import os
import stat
from collections.abc import Iterable
from pathlib import Path
from typing import Any, BinaryIO, TextIO

from .errors import InputError, MsmonitorError, OutputError


def reason(exc: OSError) -> str:
    """The system's words for an OS error, for the end of a one-line message."""
    return (exc.strerror or str(exc)).lower()


MB = 1024 * 1024
# The largest files msmonitor reads (README, "Limits"): far above any real
# one, so that /dev/zero or a wrong file fails at once instead of filling memory.
PROTOCOL_LIMIT = 1 * MB
CALENDAR_LIMIT = 16 * MB  # a previous .ics (--replaces, or the file being re-exported)
IMPORT_LIMIT = 1024 * MB  # a CSV or backup for import (read piece by piece)


def _open_regular(path: str | os.PathLike[str], shown: str, error: type[MsmonitorError], limit: int) -> io.RawIOBase:
    """A regular file opened for reading, no larger than ``limit``. A FIFO or
    a device is refused before anything is read (O_NONBLOCK: no hang)."""
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except FileNotFoundError:
        raise error(f"{shown}: no such file") from None
    except IsADirectoryError:
        raise error(f"{shown}: is a folder, not a file") from None
    except OSError as exc:
        raise error(f"{shown}: cannot read ({reason(exc)})") from None
    info = os.fstat(fd)
    if stat.S_ISDIR(info.st_mode):
        os.close(fd)
        raise error(f"{shown}: is a folder, not a file")
    if not stat.S_ISREG(info.st_mode):
        os.close(fd)
        raise error(f"{shown}: not a regular file (a pipe, device or socket); give a file")
    if info.st_size > limit:
        os.close(fd)
        raise error(f"{shown}: larger than msmonitor reads ({info.st_size // MB} MB; the limit is {limit // MB} MB)")
    return _Capped(os.fdopen(fd, "rb"), shown, error, limit)


class _Capped(io.RawIOBase):
    """A binary stream that refuses to give more than ``limit`` bytes (a file
    that grows while read, or stdin)."""

    def __init__(self, raw: BinaryIO, shown: str, error: type[MsmonitorError], limit: int) -> None:
        self._raw, self._shown, self._error, self._left, self._limit = raw, shown, error, limit, limit

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        try:
            count = self._raw.readinto(buffer)  # type: ignore[attr-defined]
        except OSError as exc:
            raise self._error(f"{self._shown}: cannot read ({reason(exc)})") from None
        self._left -= count or 0
        if self._left < 0:
            raise self._error(f"{self._shown}: larger than msmonitor reads (the limit is {self._limit // MB} MB)")
        return count

    def close(self) -> None:
        self._raw.close()
        super().close()


def read_bytes(
    path: str | os.PathLike[str],
    name: str | None = None,
    error: type[MsmonitorError] = InputError,
    limit: int = CALENDAR_LIMIT,
) -> bytes:
    """A regular file's bytes, at most ``limit`` of them; ``name`` is how the
    error line names it (default: the path)."""
    with _open_regular(path, name or str(path), error, limit) as handle:
        return handle.read()


def open_text(path: str | os.PathLike[str], name: str | None = None, limit: int = IMPORT_LIMIT) -> TextIO:
    """A UTF-8 text file (a BOM is skipped) to read piece by piece, with
    read_bytes' checks; a decoding error surfaces while reading."""
    return text_reader(_open_regular(path, name or str(path), InputError, limit))


def capped_text(stream: BinaryIO, name: str, limit: int = IMPORT_LIMIT) -> TextIO:
    """Text from a stream (stdin) that may not be a file, at most ``limit`` bytes."""
    return text_reader(_Capped(stream, name, InputError, limit))


def text_reader(raw: io.RawIOBase) -> TextIO:
    return io.TextIOWrapper(io.BufferedReader(raw), encoding="utf-8-sig", newline="")


def count_in(path: str | os.PathLike[str], needle: bytes) -> int:
    """How often ``needle`` (no longer than a few bytes) occurs in a file,
    read in large pieces (0 if it cannot be read)."""
    count, tail = 0, b""
    try:
        with open(path, "rb") as handle:
            while piece := handle.read(1 << 22):
                data = tail + piece
                count += data.count(needle)
                tail = data[-(len(needle) - 1) :] if len(needle) > 1 else b""  # too short to hold one
    except OSError:
        return 0
    return count


STDOUT = frozenset({"-", "/dev/stdout", "/dev/fd/1", "/proc/self/fd/1"})
_SQLITE = b"SQLite format 3\x00"
_DATABASE_FILES = ("-journal", "-wal", "-shm")


def output_path(path: str | None, option: str = "-o", databases: Iterable[tuple[int, int]] = ()) -> str | None:
    """Where an output goes: None for stdout (no option, '-', /dev/stdout), else
    the real path of the file to write, a symbolic link followed. Refused with
    one line: an empty path, a missing folder, a folder, anything but a regular
    file (a FIFO, a device), and a database (``databases``: the (device, inode)
    of those in use; any SQLite file, or the journal of one, is refused too)."""
    if path is None or path in STDOUT:
        return None
    if not path:
        raise OutputError(f"{option}: an empty path; give a file name, or leave {option} out for stdout")
    if _names_stdout(path):
        return None
    real = os.path.realpath(path)
    folder = os.path.dirname(real)
    try:
        info = os.stat(real)
    except FileNotFoundError:
        if not os.path.isdir(folder):
            raise OutputError(f"{path}: folder {os.path.dirname(path) or '.'!r} does not exist") from None
        info = None
    except OSError as exc:
        raise OutputError(f"{path}: cannot write ({reason(exc)})") from None
    if info is not None:
        if stat.S_ISDIR(info.st_mode):
            raise OutputError(f"{path}: is a folder, not a file")
        if not stat.S_ISREG(info.st_mode):
            raise OutputError(f"{path}: not a regular file (a pipe, device or socket); msmonitor writes only files")
        if (info.st_dev, info.st_ino) in set(databases) or _starts_with(real, _SQLITE):
            raise OutputError(f"{path}: is a database; msmonitor does not write over it")
    for suffix in _DATABASE_FILES:
        if real.endswith(suffix) and _starts_with(real[: -len(suffix)], _SQLITE):
            raise OutputError(f"{path}: belongs to the database {real[: -len(suffix)]!r}; msmonitor does not write it")
    return real


def _names_stdout(path: str) -> bool:
    """/dev/stdout or a link (of links) to it."""
    hop = os.path.abspath(path)
    for _ in range(40):
        if hop in STDOUT or (hop.startswith("/proc/") and hop.endswith("/fd/1")):
            return True
        if not os.path.islink(hop):
            return False
        hop = os.path.normpath(os.path.join(os.path.dirname(hop), os.readlink(hop)))
    return False


def _starts_with(path: str, head: bytes) -> bool:
    try:
        if not os.path.isfile(path):
            return False
        with open(path, "rb") as handle:
            return handle.read(len(head)) == head
    except OSError:
        return False


def atomic_write(path: str | os.PathLike[str], data: str | bytes, option: str = "-o") -> None:
    """Write ``data`` to a file in one step (temp file + rename), through a
    symbolic link to its target; checked as ``output_path`` does."""
    import tempfile  # ~3 ms; only commands that write a file pay for it

    shown = str(path)
    real = output_path(shown, option)
    if real is None:
        raise OutputError(f"{shown}: is standard output, not a file")
    target = Path(real)
    payload = data.encode("utf-8") if isinstance(data, str) else data
    folder = target.parent
    try:
        mode = stat.S_IMODE(target.stat().st_mode)
    except FileNotFoundError:
        mode = 0o600
    except OSError as exc:
        raise OutputError(f"{shown}: cannot write ({reason(exc)})") from None
    try:
        fd, tmp = tempfile.mkstemp(dir=folder, prefix=f".{target.name}.", suffix=".tmp")
    except OSError as exc:
        raise OutputError(f"{shown}: cannot write ({reason(exc)})") from None
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(payload)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, mode)
        os.replace(tmp, target)
    except OSError as exc:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise OutputError(f"{shown}: cannot write ({reason(exc)})") from None
