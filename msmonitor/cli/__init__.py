"""The command line: parse, call the core, render, write. Nothing else.

This is the only layer that reads the clock, the terminal and the files the
user names. ``app`` holds the typer app and the console script ``main``;
``options`` the options several commands share; each command module
registers its commands on the app when imported here, in the order
``--help`` lists them.
"""

# isort: off
from . import plans, records, due, roster, protocol  # noqa: F401
from .app import app, main

# isort: on

__all__ = ["app", "main"]
