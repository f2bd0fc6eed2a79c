"""Reading and writing the files a user names, with one-line errors.

Writing never leaves a partial or damaged file: the data goes to a temporary
file in the target's folder, is flushed to disk, then renamed over the target
in one step. New files are readable by their owner only (plans and checklists
hold health data); a file being replaced keeps its mode.
"""

from __future__ import annotations

import contextlib
import os
import stat
from pathlib import Path
from typing import TextIO

from .errors import InputError, MsmonitorError, OutputError


def reason(exc: OSError) -> str:
    """The system's words for an OS error, for the end of a one-line message."""
    return (exc.strerror or str(exc)).lower()


def read_bytes(
    path: str | os.PathLike[str], name: str | None = None, error: type[MsmonitorError] = InputError
) -> bytes:
    """A file's bytes; ``name`` is how the error line names it (default: the path)."""
    shown = name or str(path)
    try:
        with open(path, "rb") as handle:
            return handle.read()
    except FileNotFoundError:
        raise error(f"{shown}: no such file") from None
    except IsADirectoryError:
        raise error(f"{shown}: is a folder, not a file") from None
    except OSError as exc:
        raise error(f"{shown}: cannot read ({reason(exc)})") from None


def open_text(path: str | os.PathLike[str], name: str | None = None) -> TextIO:
    """A UTF-8 text file (a BOM is skipped) to read piece by piece, with
    read_bytes' errors; a decoding error surfaces while reading."""
    shown = name or str(path)
    try:
        return open(path, encoding="utf-8-sig", newline="")
    except FileNotFoundError:
        raise InputError(f"{shown}: no such file") from None
    except IsADirectoryError:
        raise InputError(f"{shown}: is a folder, not a file") from None
    except OSError as exc:
        raise InputError(f"{shown}: cannot read ({reason(exc)})") from None


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


def atomic_write(path: str | os.PathLike[str], data: str | bytes) -> None:
    import tempfile  # ~3 ms; only commands that write a file pay for it

    target = Path(path)
    shown = str(path)
    payload = data.encode("utf-8") if isinstance(data, str) else data
    folder = target.parent
    if target.is_dir():
        raise OutputError(f"{shown}: is a folder, not a file")
    if not folder.is_dir():
        raise OutputError(f"{shown}: folder {str(folder)!r} does not exist")
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
