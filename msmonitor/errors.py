"""Errors that reach the user as one line on stderr, with their exit status.

The CLI turns every ``MsmonitorError`` into ``msmonitor: error: <message>``
and exits with ``exit_code``; nothing below the CLI prints or exits.
"""


class MsmonitorError(Exception):
    """A problem the user can fix: bad input, a bad protocol file, a bad path."""

    exit_code = 2


class InputError(MsmonitorError):
    """A command-line value (a date, a format, a combination) is not usable."""


class ProtocolError(MsmonitorError):
    """A protocol file is missing, unreadable or does not follow the schema."""


class OutputError(MsmonitorError):
    """An output file cannot be written."""
