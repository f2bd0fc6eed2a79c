"""What a patient label should not be, and the nearest label to a mistyped one.

A label is a clinic's code or initials: "P030", "jd". A real name, an e-mail
address or a date in its place puts identifying data where msmonitor shows it
freely (calendar titles, due lists on a screen), or is a slip of the keyboard.
"""

from __future__ import annotations

import difflib
import re

from .dates import looks_like_date
from .errors import InputError

_LABEL = re.compile(r"[^\x00-\x1f\x7f]{1,64}")

# Two or more capitalised words: "Jane Doe", "Mary-Ann O'Neil", "J. Smith".
_WORD = r"[A-Z](?:[a-z]+|['’][A-Z][a-z]+)(?:-[A-Z][a-z]+)*"
_PARTICLE = r"(?:de|da|di|du|del|der|den|la|le|van|von|bin|ibn)"
_NAME = re.compile(rf"(?:[A-Z]\.|{_WORD})(?:[ \t]+(?:[A-Z]\.|{_PARTICLE}|{_WORD}))*[ \t]+{_WORD}")
_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")


def check_label(label: str) -> str:
    """A label saved or given (``plan --patient``): printable, 1 to 64
    characters, no spaces around it; it reaches calendar names and screens."""
    if not _LABEL.fullmatch(label) or label != label.strip():
        raise InputError(f"patient label {label!r}: use 1 to 64 printable characters, no leading or trailing spaces")
    if looks_like_date(label):
        # 'plan DATE' reads a date as course 1, never as a saved patient
        raise InputError(f"patient label {label!r} is a date: use a clinic code or initials (dates go in --course1)")
    return label


def label_concern(label: str) -> str | None:
    """Why this label looks like identifying data, or None."""
    if _EMAIL.fullmatch(label):
        return "looks like an e-mail address"
    if looks_like_date(label):
        return "looks like a date"
    if _NAME.fullmatch(label):
        return "looks like a person's name"
    return None


# letters typed for digits (and back) in clinic codes: P0O1 for P001, P0l7 for P017
_LOOKALIKE = str.maketrans({"o": "0", "i": "1", "l": "1"})


def _fold(text: str) -> str:
    return text.casefold().translate(_LOOKALIKE)


def did_you_mean(word: str, choices: list[str]) -> str:
    """ "; did you mean 'X'?" naming the nearest choice (case and look-alike
    characters ignored), or ""."""
    folded = {_fold(c): c for c in choices}
    target = _fold(word)
    near = [target] if target in folded else difflib.get_close_matches(target, list(folded), n=1, cutoff=0.6)
    return f"; did you mean {folded[near[0]]!r}?" if near else ""
