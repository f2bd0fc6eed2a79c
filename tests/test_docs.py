"""The README's promises: the quick start, the test command CI runs, and every
documented `msmonitor ...` example, run for real."""

import re
import shlex
from pathlib import Path

import pytest
from typer.testing import CliRunner

from msmonitor.cli import app

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text()


def block_after(marker):
    match = re.search(rf"<!-- {marker} -->\n```sh\n(.*?)\n```", README, re.S)
    assert match, f"README has no code block after <!-- {marker} -->"
    return match[1]


def test_quick_start_is_two_one_line_commands():
    install_and_run, install_and_test = block_after("quick-start"), block_after("test-command")
    assert "\n" not in install_and_run and "\n" not in install_and_test
    assert "pip install ." in install_and_run
    assert install_and_run.endswith("msmonitor plan --course1 2024-01-10")
    assert "pip install '.[test]'" in install_and_test and "pytest" in install_and_test


def test_ci_runs_the_readme_test_command():
    ci = (ROOT / ".ci" / "run").read_text()
    assert "<!-- test-command -->" in ci  # .ci/run reads the command from the README


def examples():
    commands = []
    for block in re.findall(r"```sh\n(.*?)```", README, re.S):
        for line in block.splitlines():
            line = line.split("  #", 1)[0].strip()
            if line.startswith("msmonitor "):
                commands.append(line)
    return commands


def test_readme_has_examples():
    assert len(examples()) >= 6


@pytest.fixture(scope="module")
def workspace(tmp_path_factory):
    """One folder and database for all examples, run in README order, with the
    clinic CSV the import example reads."""
    folder = tmp_path_factory.mktemp("readme")
    (folder / "patients.csv").write_text(
        "label,course1,course2,courses,sex,protocol,single_course,notes\n"
        "ab,2023-05-02,2024-05-06,,female,us,,\n"
        "cd,2024-09-30,,,male,eu,,\n"
    )
    return folder


@pytest.mark.parametrize("command", examples())
def test_readme_example_runs(command, workspace, monkeypatch):
    monkeypatch.chdir(workspace)
    monkeypatch.setenv("MSMONITOR_DB", str(workspace / "msmonitor.db"))
    command, _, redirect = command.partition(" > ")
    result = CliRunner().invoke(app, shlex.split(command)[1:])
    assert result.exit_code == 0, result.stderr
    if redirect:
        (workspace / redirect.strip()).write_bytes(result.stdout_bytes)
        assert result.stdout_bytes


def test_every_command_is_documented():
    from typer.main import get_command

    for name in get_command(app).commands:
        assert f"msmonitor {name}" in README, f"README does not document 'msmonitor {name}'"


def test_calendar_examples_say_the_sex():
    """Without --sex a calendar also holds the items for women: the examples
    a patient copies give it (saved patients have theirs stored)."""
    calendar = [c for c in examples() if "--ics" in c and "--course1" in c]
    assert calendar and all("--sex " in c for c in calendar)
