"""Command-line conventions: -h and -V, help pages that read well at 80
columns with examples, shell completion of labels and protocols, no colour
on a dumb terminal."""

import os
import re
import subprocess
import sys

import pytest
from typer.main import get_command
from typer.testing import CliRunner

from msmonitor import __version__
from msmonitor.cli import app
from msmonitor.cli.app import EXAMPLES

runner = CliRunner()
COMMANDS = sorted(get_command(app).commands)


def test_short_help_and_version():
    assert runner.invoke(app, ["-V"]).stdout == f"msmonitor {__version__}\n"
    assert runner.invoke(app, ["--version"]).stdout == f"msmonitor {__version__}\n"
    short, long = runner.invoke(app, ["plan", "-h"]), runner.invoke(app, ["plan", "--help"])
    assert short.exit_code == 0 and short.stdout == long.stdout and "Usage:" in short.stdout


@pytest.mark.parametrize("command", COMMANDS)
def test_help_pages_read_well_at_80_columns(command, monkeypatch):
    monkeypatch.setenv("COLUMNS", "80")
    text = runner.invoke(app, [command, "-h"], terminal_width=80).stdout
    assert not re.search(r"\w \.(?!\.)", text), "rich markup swallowed a [bracketed] part of a help text"
    assert "Examples:" in text and all(example in text for example in EXAMPLES[command])
    for params in get_command(app).commands[command].params:
        for choice in getattr(params.type, "choices", None) or ():
            assert re.search(rf"\b{re.escape(str(choice))}\b", text), f"{choice!r} broken or missing"


def test_every_command_has_examples_that_name_it():
    assert sorted(EXAMPLES) == COMMANDS
    for command, lines in EXAMPLES.items():
        assert 1 <= len(lines) <= 3 and all(line.startswith(f"msmonitor {command}") for line in lines)


def complete(env_extra, tmp_path):
    env = {**os.environ, "MSMONITOR_DB": str(tmp_path / "c.db"), **env_extra}
    script = "from msmonitor.cli import main; main()"
    result = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True, text=True, timeout=60)
    return result.stdout.split()


def test_shell_completion_of_labels_and_protocols(tmp_path, monkeypatch):
    monkeypatch.setenv("MSMONITOR_DB", str(tmp_path / "c.db"))
    for label in ("jd", "jx", "p030"):
        assert runner.invoke(app, ["add", label, "--course1", "2024-01-10", "--sex", "male"]).exit_code == 0
    bash = {"_MSMONITOR_COMPLETE": "complete_bash", "COMP_WORDS": "msmonitor status j", "COMP_CWORD": "2"}
    assert complete(bash, tmp_path) == ["jd", "jx"]
    fish = {
        "_MSMONITOR_COMPLETE": "complete_fish",
        "_TYPER_COMPLETE_ARGS": "msmonitor plan p",
        "_TYPER_COMPLETE_FISH_ACTION": "get-args",
    }
    assert complete(fish, tmp_path) == ["p030"]
    zsh = {"_MSMONITOR_COMPLETE": "complete_zsh", "_TYPER_COMPLETE_ARGS": "msmonitor plan --protocol "}
    assert '"us"' in " ".join(complete(zsh, tmp_path)) and '"eu"' in " ".join(complete(zsh, tmp_path))
    # no database: no labels, and no error either
    assert complete({**bash, "MSMONITOR_DB": str(tmp_path / "none.db")}, tmp_path) == []


@pytest.mark.parametrize("parent", ["zsh", "sh", None])
def test_completion_script_is_for_the_named_shell_whatever_the_parent_process(parent, monkeypatch):
    """typer's own option guessed the shell from the parent process unless an
    environment variable was set when the command was built: the same test
    passed under bash and exited 1 under sh (a CI script, another test runner)."""
    import shellingham

    def detect(*_):
        if parent is None:
            raise shellingham.ShellDetectionFailure()
        return parent, f"/bin/{parent}"

    monkeypatch.delenv("_TYPER_COMPLETE_TEST_DISABLE_SHELL_DETECTION", raising=False)
    monkeypatch.setattr(shellingham, "detect_shell", detect)
    for shell in ("bash", "zsh", "fish"):
        shown = runner.invoke(app, ["--show-completion", shell])
        assert shown.exit_code == 0 and f"_COMPLETE=complete_{shell}" in shown.stdout
    wrong = runner.invoke(app, ["--show-completion", "csh"])
    assert wrong.exit_code == 2 and wrong.stderr.count("\n") == 1 and "bash, zsh, fish" in wrong.stderr


def test_no_colour_on_a_dumb_terminal(monkeypatch):
    from msmonitor.cli import output

    monkeypatch.setattr(sys.stdout, "isatty", lambda: True)
    monkeypatch.delenv("NO_COLOR", raising=False)
    monkeypatch.setenv("TERM", "xterm-256color")
    assert output.screen(None)["color"] is True
    monkeypatch.setenv("TERM", "dumb")
    assert output.screen(None)["color"] is False


def test_console_script_imports_only_the_command_it_runs(tmp_path):
    """``msmonitor due`` imports cli.due, not plan's calendar options or the
    roster's commands; every command is mapped to the module that declares it."""
    from msmonitor.cli.app import COMMAND_MODULES

    assert {
        name: c.callback.__module__.rsplit(".", 1)[-1]
        for c in app.registered_commands
        for name in [c.name or c.callback.__name__.replace("_", "-")]
    } == COMMAND_MODULES
    script = (
        "import sys; sys.argv = ['msmonitor', 'due', '--db', sys.argv[1]]\n"
        "from msmonitor.cli import main\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        "print(sorted(m for m in sys.modules if m.startswith('msmonitor.cli.')))"
    )
    run = subprocess.run([sys.executable, "-c", script, str(tmp_path / "c.db")], capture_output=True, text=True)
    assert run.stdout.split("\n")[-2] == str(
        ["msmonitor.cli.app", "msmonitor.cli.due", "msmonitor.cli.options", "msmonitor.cli.output"]
    )
