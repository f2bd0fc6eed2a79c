"""Reading a large JSON document one piece at a time.

A backup of 100,000 patients is about a gigabyte of JSON; ``json.load`` would
hold all of it, and every dict made from it, at once. ``members`` walks the
top-level object and hands out the elements of one array member one by one,
each decoded by the standard library's C decoder from a buffer of about a
megabyte. Errors are one line with the line number, as ``json.loads`` gives.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import NoReturn, TextIO

from .errors import InputError

_CHUNK = 1 << 20
_NOT_SPACE = re.compile(r"[^ \t\n\r]")
_NUMBER_TAIL = re.compile(r"[0-9.eE+-]*\Z")


class _Reader:
    def __init__(self, handle: TextIO, name: str, start: str = "", chunk: int = _CHUNK) -> None:
        self.handle, self.name, self.chunk = handle, name, chunk
        self.buf, self.pos, self.lines, self.eof = start, 0, 0, False
        self.decoder = json.JSONDecoder()

    def _more(self, size: int = 0) -> bool:
        if self.eof:
            return False
        data = self.handle.read(size or self.chunk)
        if not data:
            self.eof = True
            return False
        self.lines += self.buf.count("\n", 0, self.pos)
        self.buf = self.buf[self.pos :] + data
        self.pos = 0
        return True

    def peek(self) -> str:
        """The next character that is not white space ('' at the end)."""
        while True:
            found = _NOT_SPACE.search(self.buf, self.pos)
            if found:
                self.pos = found.start()
                return self.buf[self.pos]
            self.pos = len(self.buf)
            if not self._more():
                return ""

    def take(self, char: str) -> None:
        if self.peek() != char:
            self.fail(f"Expecting {char!r}", self.pos)
        self.pos += 1

    def value(self) -> object:
        self.peek()
        size = self.chunk
        while True:
            try:
                value, end = self.decoder.raw_decode(self.buf, self.pos)
            except json.JSONDecodeError as exc:
                if self._more(size):  # the value may go on in the next chunk
                    size *= 2
                    continue
                self.fail(exc.msg, exc.pos)
            except RecursionError:
                self.fail("nested too deeply", self.pos)
            except ValueError:  # an integer of thousands of digits
                self.fail("a number too long", self.pos)
            # a number may go on in the next chunk ("0" of "0.5")
            if _NUMBER_TAIL.match(self.buf, end) and self._more(size):
                continue
            self.pos = end
            return value

    def fail(self, message: str, pos: int) -> NoReturn:
        line = self.lines + self.buf.count("\n", 0, pos) + 1
        raise InputError(f"{self.name}: not valid JSON (line {line}: {message})")


def members(
    handle: TextIO, name: str, array: str, start: str = "", chunk: int = _CHUNK
) -> Iterator[tuple[str, int | None, object]]:
    """(key, None, value) for each member of the top-level object, except
    that the elements of member ``array`` (when it is an array) come one by
    one as (key, index, element); an empty one comes as (key, None, []).
    ``start`` is text already read from ``handle``."""
    reader = _Reader(handle, name, start, chunk)
    if reader.peek() != "{":
        raise InputError(f"{name}: not a JSON object")
    reader.pos += 1
    if reader.peek() == "}":
        reader.pos += 1
    else:
        while True:
            key = reader.value()
            if not isinstance(key, str):
                reader.fail("Expecting property name enclosed in double quotes", reader.pos)
            reader.take(":")
            if key == array and reader.peek() == "[":
                reader.pos += 1
                index = 0
                if reader.peek() == "]":
                    reader.pos += 1
                    yield key, None, []
                else:
                    while True:
                        yield key, index, reader.value()
                        index += 1
                        if reader.peek() != ",":
                            reader.take("]")
                            break
                        reader.pos += 1
            else:
                yield key, None, reader.value()
            if reader.peek() != ",":
                reader.take("}")
                break
            reader.pos += 1
    if reader.peek():
        reader.fail("Extra data", reader.pos)
