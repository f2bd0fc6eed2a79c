"""``msmonitor protocol``: a protocol's rules and sources; checks a protocol file."""

import sys
from typing import Annotated

import typer

from .app import app
from .options import complete_protocol


@app.command("protocol")
def protocol_cmd(
    name: Annotated[
        str,
        typer.Argument(
            metavar="us|eu|PATH", help="A shipped protocol or a TOML file.", autocompletion=complete_protocol
        ),
    ] = "us",
) -> None:
    """Show a protocol's rules with their sources; checks a protocol file you wrote."""
    from ..protocol import load_protocol
    from ..render.protocol import render_protocol

    sys.stdout.write(render_protocol(load_protocol(name)))
