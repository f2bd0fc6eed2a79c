"""The README's promises: the quick start, the test command CI runs, and every
documented `msmonitor ...` example, run for real."""

import re
import shlex
import subprocess
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
    assert "pip install '.[test]'" in install_and_test
    steps = [step.strip() for step in install_and_test.split("&&")]
    checks = [".venv/bin/ruff check .", ".venv/bin/ruff format --check .", ".venv/bin/mypy msmonitor"]
    assert steps[2:] == [*checks, ".venv/bin/python -m pytest"]  # lint and types first, in the test venv


def test_ci_runs_the_readme_test_command():
    """.ci/run's own extraction, run on the README, yields the README's test
    command, and .ci/run runs what it extracted."""
    ci = (ROOT / ".ci" / "run").read_text()
    extract = re.search(r'^test_command="\$\((awk .*)\)"$', ci, re.M)
    assert extract, ".ci/run no longer reads the test command with awk"
    found = subprocess.run(["bash", "-c", extract[1]], cwd=ROOT, capture_output=True, text=True, check=True)
    assert found.stdout.strip() == block_after("test-command")
    assert re.search(r'^bash -c "\$test_command"$', ci, re.M)


def test_ci_runs_the_thorough_tier():
    """.ci/run selects every test: it exports MSMONITOR_THOROUGH=1 before it
    runs the test command, that environment is thorough, and a thorough run
    leaves out no test, slow or not."""
    from .conftest import left_out, thorough

    ci = (ROOT / ".ci" / "run").read_text()
    assert re.search(r"^export MSMONITOR_THOROUGH=1$", ci, re.M)
    assert ci.index("export MSMONITOR_THOROUGH=1") < ci.index('bash -c "$test_command"')
    assert "MSMONITOR_THOROUGH" not in block_after("test-command")  # the command does not undo it
    assert thorough({"MSMONITOR_THOROUGH": "1"}) and not thorough({}) and not thorough({"MSMONITOR_THOROUGH": "0"})

    class Item:
        def __init__(self, slow):
            self.slow = slow

        def get_closest_marker(self, name):
            return self.slow if name == "slow" else None

    items = [Item(None), Item(pytest.mark.slow.mark)]
    assert left_out(items, thorough=True, markexpr="") == []
    assert left_out(items, thorough=False, markexpr="") == items[1:]
    assert left_out(items, thorough=False, markexpr="slow") == []


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


@pytest.fixture
def workspace(tmp_path, monkeypatch):
    """A fresh folder and database for one example, with the clinic CSV the
    import example reads."""
    (tmp_path / "patients.csv").write_text(
        "label,course1,course2,courses,sex,protocol,single_course,notes\n"
        "ab,2023-05-02,2024-05-06,,female,us,,\n"
        "cd,2024-09-30,,,male,eu,,\n"
    )
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("MSMONITOR_DB", str(tmp_path / "msmonitor.db"))
    return tmp_path


def run_example(command, folder):
    command, _, redirect = command.partition(" > ")
    result = CliRunner().invoke(app, shlex.split(command)[1:])
    assert result.exit_code == 0, f"{command}: {result.stderr}"
    if redirect:
        (folder / redirect.strip()).write_bytes(result.stdout_bytes)
        assert result.stdout_bytes


@pytest.mark.parametrize("command", examples())
def test_readme_example_runs(command, workspace):
    """Each example on its own, whatever runs before it: the patients the
    README's `msmonitor add` examples save are saved first."""
    if not command.startswith("msmonitor add "):
        for add in (c for c in examples() if c.startswith("msmonitor add ")):
            run_example(add, workspace)
    run_example(command, workspace)


def test_every_command_is_documented():
    from typer.main import get_command

    for name in get_command(app).commands:
        assert f"msmonitor {name}" in README, f"README does not document 'msmonitor {name}'"


def test_calendar_examples_say_the_sex():
    """Without --sex a calendar also holds the items for women: the examples
    a patient copies give it (saved patients have theirs stored)."""
    calendar = [c for c in examples() if "--ics" in c and "--course1" in c]
    assert calendar and all("--sex " in c for c in calendar)


def test_readme_has_no_path_outside_the_repository():
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "../" not in text and "/work/" not in text


def test_docs_protocol_explains_every_shipped_rule():
    from msmonitor.protocol import SHIPPED, load_protocol

    text = (ROOT / "docs" / "protocol.md").read_text(encoding="utf-8")
    for pid in SHIPPED:
        p = load_protocol(pid)
        assert f"**{p.version}**" in text
        for rule in p.rules:
            assert f"`{rule.id}`" in text, (pid, rule.id)
        for sid in p.sources:
            assert f"| {sid} |" in text, (pid, sid)
        for level in {r.evidence for r in p.rules}:
            assert f"| `{level}` |" in text
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "(docs/protocol.md)" in readme


def test_protocol_command_points_to_the_docs():
    from msmonitor.protocol import load_protocol
    from msmonitor.render.protocol import render_protocol

    assert "docs/protocol.md" in render_protocol(load_protocol("eu"))


def test_architecture_names_every_module():
    text = (ROOT / "ARCHITECTURE.md").read_text()
    package = ROOT / "msmonitor"
    modules = [
        p.relative_to(package).as_posix()
        for p in package.rglob("*.py")
        if not p.name.startswith("_") and p.parent.name != "protocols"
    ]
    named = [m for m in modules if f"`{m}`" in text or f"`{Path(m).name}`" in text]
    assert sorted(set(modules) - set(named)) == []
