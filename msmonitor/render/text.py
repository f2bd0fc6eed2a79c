"""Plain-text building blocks for the screen views (plan, status, due,
patients, protocol): wrapping to a width, ANSI SGR styling that is applied
only when asked, and the one sanitiser for text that reaches a terminal."""

from __future__ import annotations

import re
import textwrap

# SGR codes: dim, bold, italic, bold green (next), yellow (now), bold yellow (warning), bold underline (heading)
DIM, BOLD, ITALIC, NEXT, NOW, WARN, HEAD = "2", "1", "3", "1;32", "33", "1;33", "1;4"
ALERT = "1;31"  # bold red: missed


_OURS = re.compile(
    "\x1b\\[(?:" + "|".join(re.escape(c) for c in (DIM, BOLD, ITALIC, NEXT, NOW, WARN, HEAD, ALERT, "0")) + ")m"
)
# What a terminal acts on instead of showing: C0 controls and DEL, C1 controls
# (U+0080-U+009F; U+009B is a one-character CSI), and the bidi embeddings,
# overrides and isolates that can make a label read backwards.
_UNSAFE = re.compile("[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
_UNSAFE_BUT_NEWLINE = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
_NAMED = {"\t": "\\t", "\n": "\\n", "\r": "\\r"}


def _escape(match: re.Match) -> str:
    ch = match.group()
    return _NAMED.get(ch) or (f"\\x{ord(ch):02x}" if ord(ch) < 0x100 else f"\\u{ord(ch):04x}")


def clean(text: str) -> str:
    """Text from data (protocol files, labels, notes) made safe for a
    terminal: every control or bidi character shown as an escape (``\\x1b``,
    ``\\r``, ``\\u202e``), never sent raw."""
    return text if text.isprintable() else _UNSAFE.sub(_escape, text)


def html_escape(text: str) -> str:
    """HTML-escaped and clean: in a browser a bidi override spoofs a label as
    well as in a terminal, and controls have no place on a printed page."""
    from html import escape

    return escape(clean(text))


def screen_safe(output: str, color: bool = False) -> str:
    """The last pass over a whole screen view: nothing in it acts on the
    terminal but its line breaks and, in colour, msmonitor's own SGR codes."""
    if not color:
        if not _UNSAFE_BUT_NEWLINE.search(output):  # one scan of a long view, not one per line
            return output
        return "\n".join(clean(line) for line in output.split("\n"))
    pieces = _OURS.split(output)
    codes = _OURS.findall(output)
    out = [screen_safe(pieces[0])]
    for code, piece in zip(codes, pieces[1:]):
        out += [code, screen_safe(piece)]
    return "".join(out)


# JSON keeps accents readable (ensure_ascii=False) and escapes C0 controls
# itself; these it would write raw, and a terminal showing the output acts on them.
_RAW_IN_JSON = re.compile("[\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def json_safe(text: str) -> str:
    """JSON text with DEL, C1 and bidi characters as ``\\uXXXX`` escapes: the
    same data once parsed, nothing that acts on a terminal. (Outside strings
    JSON holds only ASCII, so every such character is inside a string.)"""
    return _RAW_IN_JSON.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


def style(text: str, sgr: str, color: bool) -> str:
    text = clean(text)
    return f"\x1b[{sgr}m{text}\x1b[0m" if color and sgr and text else text


def wrap(text: str, width: int) -> list[str]:
    text = clean(text)
    if len(text) <= width:  # most cells: skip textwrap's regex machinery
        return [text]
    words = text.split(" ")
    if _PLAIN.fullmatch(text) and max(map(len, words)) <= width:
        # words of single spaces, none too long: textwrap's greedy fill, a
        # few times faster (a due list wraps thousands of rows)
        lines, line = [], words[0]
        for word in words[1:]:
            if len(line) + 1 + len(word) <= width:
                line += " " + word
            else:
                lines.append(line)
                line = word
        lines.append(line)
        return lines
    return textwrap.wrap(text, width, break_on_hyphens=False, break_long_words=True) or [""]


# text that textwrap would only split at single spaces: no other white space
# (none of Unicode's either: textwrap drops a chunk that str.strip() empties,
# such as a lone no-break space), no doubled or outer spaces
_PLAIN = re.compile(r"\S+(?: \S+)*")


class Columns:
    """The one column layout of the screen views (plan, status, due): columns
    ``gap`` spaces apart, each ``widths[i]`` wide (see ``fit``) and aligned
    left, or right where ``right[i]``; the last column is not padded and gets
    what is left of ``width`` (at least ``last_min``), its text wrapped with
    a hanging indent under it. A cell wider than its column pushes the rest
    of its line right, never cut (``fit`` gives columns that cut to a maximum).

    Fast enough for a due list of a hundred thousand lines: a line is one
    ``str.format`` call, and a last cell that fits is not wrapped."""

    def __init__(
        self, widths: list[int], *, width: int = 80, right: tuple[bool, ...] = (), gap: int = 2, last_min: int = 0
    ):
        self.widths = widths
        self.indent = sum(widths) + gap * len(widths)  # where the last column starts
        self.last = max(last_min, width - self.indent)  # its width
        self.last_min = last_min
        self.width = width
        self._wrapped: dict[str, tuple[str, str]] = {}
        space = " " * gap
        aligned = [f"{{:{'>' if n < len(right) and right[n] else '<'}{w}}}" for n, w in enumerate(widths)]
        self._format = space.join([*aligned, "{}"]).format

    def line(self, *cells: str) -> str:
        """One line: a cell for each column, the last as it is."""
        return self._format(*cells)

    def lines(self, *cells: list[str]) -> list[str]:
        """Cells of several lines each (wrapped by the caller), side by side,
        each line without trailing spaces."""
        height = max(map(len, cells))
        return [self._format(*(c[i] if i < len(c) else "" for c in cells)).rstrip() for i in range(height)]

    def hanging(self, *cells: str) -> list[str]:
        """The fixed cells, then the last cell (clean()ed) wrapped to the
        rest of the width, its further lines indented to where it starts."""
        first = self._format(*cells[:-1], "")
        if len(first) == self.indent:
            head, rest = self._wrap(cells[-1])
            return [first + head, *rest.split("\n")[1:]] if rest else [first + head]
        # a cell wider than its column: the last starts further right
        wrapped = wrap(cells[-1], max(self.last_min, self.width - len(first)))
        return [first + wrapped[0], *(" " * len(first) + more for more in wrapped[1:])]

    def block(self, *cells: str) -> str:
        """``hanging`` as one string of lines."""
        first = self._format(*cells[:-1], "")
        if len(first) == self.indent:
            head, rest = self._wrap(cells[-1])
            return first + head + rest
        return "\n".join(self.hanging(*cells))

    def _wrap(self, text: str) -> tuple[str, str]:
        """The last cell's first line, and its further lines each after a
        line break and the indent. A due list repeats the same few texts
        thousands of times: each is wrapped once."""
        got = self._wrapped.get(text)
        if got is None:
            if len(text) <= self.last and text.isprintable():
                got = (text, "")
            else:
                wrapped = wrap(text, self.last)
                got = (wrapped[0], "".join(f"\n{' ' * self.indent}{more}" for more in wrapped[1:]))
            self._wrapped[text] = got
        return got


def fit(header: str, cells, maximum: int) -> int:
    """A column's width from its content: the widest cell or its header, at
    most ``maximum`` (the caller cuts longer cells to it)."""
    return min(maximum, max(len(header), max(map(len, cells), default=0)))
