"""The installed `msmonitor` command, run as a user runs it."""

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest


def installed():
    here = Path(sys.executable).parent / "msmonitor"
    found = str(here) if here.exists() else shutil.which("msmonitor")
    if not found:
        pytest.fail("the msmonitor command is not installed: pip install '.[test]' first")
    return found


def run(*args):
    return subprocess.run([installed(), *args], capture_output=True, text=True, timeout=60)


def test_plan_runs_as_a_command():
    result = run("plan", "--course1", "2024-01-10", "--today", "2026-11-21")
    assert result.returncode == 0, result.stderr
    assert "Course 1: 2024-01-10 to 2024-01-14 (5 days)" in result.stdout
    assert "\x1b[" not in result.stdout  # not a terminal: no colour codes
    assert result.stderr == ""


def test_json_from_the_command():
    result = run("plan", "--course1", "2024-01-10", "--format", "json")
    assert json.loads(result.stdout)["monitoring_ends"] == "2029-01-12"


@pytest.mark.parametrize(
    "args",
    [
        ["plan", "--course1", "2024-02-30"],
        ["plan", "--course1", "2024-01-10", "--format", "xml"],
        ["plan", "--course1", "2024-01-10", "--no-such-option"],
        ["no-such-command"],
        ["plan", "--course1", "2024-01-10", "--protocol", "/nonexistent/p.toml"],
    ],
)
def test_bad_input_is_one_line_exit_2_no_traceback(args):
    result = run(*args)
    assert result.returncode == 2
    assert result.stdout == ""
    assert len(result.stderr.splitlines()) == 1
    assert result.stderr.startswith("msmonitor: error: ")
    assert "Traceback" not in result.stderr


def test_python_dash_m():
    result = subprocess.run([sys.executable, "-m", "msmonitor", "--version"], capture_output=True, text=True)
    assert result.returncode == 0 and result.stdout.startswith("msmonitor ")


def test_no_command_shows_the_help():
    result = run()
    assert result.returncode == 2  # click's convention for a missing command
    assert "Usage: msmonitor" in result.stdout and "plan" in result.stdout
    assert result.stderr == ""


def test_only_the_invoked_command_is_built_yet_help_lists_all():
    """main() builds the parser of the command it runs, and no other; --help
    still lists every command the app has."""
    from typer.main import get_command

    from msmonitor.cli import app

    probe = (
        "import sys, typer.main as m\n"
        "real = m.get_command_from_info\n"
        "def counted(*args, **kwargs):\n"
        "    command = real(*args, **kwargs)\n"
        "    sys.stderr.write('built ' + command.name + '\\n')\n"
        "    return command\n"
        "m.get_command_from_info = counted\n"
        "from msmonitor.cli import main\n"
        "main()\n"
    )
    ran = subprocess.run(
        [sys.executable, "-c", probe, "plan", "--course1", "2024-01-10"], capture_output=True, text=True, timeout=60
    )
    assert ran.returncode == 0 and ran.stdout.startswith("msmonitor plan")
    assert ran.stderr.splitlines() == ["built plan"]
    commands = set(get_command(app).commands)
    assert len(commands) >= 11
    listed = {line.split()[1] for line in run("--help").stdout.splitlines() if line.startswith("│ ") and "  " in line}
    assert commands <= listed
    assert "--ics" in run("plan", "--help").stdout
