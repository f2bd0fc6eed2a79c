"""Regenerate _snapshot.py from the shipped TOML files:

    python -m msmonitor.protocols

The snapshot holds each file's text and its parsed data, so that `plan` need
not import and run the TOML parser on every start (about 7 ms of a ~30 ms
budget, see benchmarks/). The loader uses a snapshot entry only when its text
is byte-for-byte the file's, so an edited file is never read stale; a test
fails while the snapshot is out of date.
"""

import pprint
import tomllib
from pathlib import Path

from ..protocol import SHIPPED

HERE = Path(__file__).parent


def render() -> str:
    entries = {}
    for pid in SHIPPED:
        text = (HERE / f"{pid}.toml").read_text(encoding="utf-8")
        entries[pid] = (text, tomllib.loads(text))
    body = pprint.pformat(entries, width=100, sort_dicts=False)
    return (
        '"""GENERATED FILE, do not edit: regenerate with `python -m msmonitor.protocols`\n'
        "after changing a shipped protocol's TOML file beside it (a test fails until you\n"
        "do). It spares `plan` the TOML parser at start-up; .gitattributes marks it\n"
        '(linguist-generated) so reviews skip it."""\n\n'
        f"SNAPSHOT = {body}\n"
    )


if __name__ == "__main__":
    (HERE / "_snapshot.py").write_text(render(), encoding="utf-8")
