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
