"""The command line: parse, call the core, render, write. Nothing else.

This is the only layer that reads the clock, the terminal and the files the
user names. ``app`` holds the typer app and the console script ``main``;
``options`` the options several commands share; each command module
registers its commands on the app when imported. ``app`` read from this
package has every command, in the order ``--help`` lists them; the console
script imports only the module of the command it runs (``due`` needs none of
``plan``'s calendar options, for one).
"""

from typing import Any

from .app import main

# Importing the submodule bound its name here; ``app`` is the typer app, with
# every command, once something asks for it (see __getattr__).
globals().pop("app")


def __getattr__(name: str) -> Any:
    if name == "app":
        from .app import all_commands

        globals()["app"] = all_commands()
        return globals()["app"]
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = ["app", "main"]
