"""Plain-text building blocks for the screen views (plan, status, due):
wrapping to a width and ANSI SGR styling that is applied only when asked."""

from __future__ import annotations

import textwrap

# SGR codes: dim, bold, italic, bold green (next), yellow (now), bold yellow (warning), bold underline (heading)
DIM, BOLD, ITALIC, NEXT, NOW, WARN, HEAD = "2", "1", "3", "1;32", "33", "1;33", "1;4"
ALERT = "1;31"  # bold red: missed


def style(text: str, sgr: str, color: bool) -> str:
    return f"\x1b[{sgr}m{text}\x1b[0m" if color and sgr and text else text


def wrap(text: str, width: int) -> list[str]:
    if len(text) <= width:  # most cells: skip textwrap's regex machinery
        return [text]
    return textwrap.wrap(text, width, break_on_hyphens=False, break_long_words=True) or [""]
