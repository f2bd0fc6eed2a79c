"""Lint, format and types, as CI runs them (the README's test command), so a
plain `pytest` catches them too; and the generated snapshot is marked so."""

import importlib.util
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def tool(module: str, *args: str) -> subprocess.CompletedProcess:
    if importlib.util.find_spec(module) is None:
        pytest.skip(f"{module} is not installed (pip install '.[test]')")
    return subprocess.run([sys.executable, "-m", module, *args], cwd=ROOT, capture_output=True, text=True, timeout=600)


def test_mypy_passes():
    result = tool("mypy", "msmonitor")
    assert result.returncode == 0, result.stdout[-3000:]


def test_ruff_check_and_format_pass():
    result = tool("ruff", "check", "--quiet", ".")
    assert result.returncode == 0, result.stdout[-3000:]
    result = tool("ruff", "format", "--check", "--quiet", ".")
    assert result.returncode == 0, result.stdout[-3000:]


def test_the_protocol_snapshot_is_marked_generated():
    attributes = (ROOT / ".gitattributes").read_text().splitlines()
    assert "msmonitor/protocols/_snapshot.py linguist-generated=true" in attributes
    header = (ROOT / "msmonitor" / "protocols" / "_snapshot.py").read_text()[:400]
    assert header.startswith('"""GENERATED FILE, do not edit') and "python -m msmonitor.protocols" in header


@pytest.mark.slow
def test_xdist_keeps_each_group_in_one_worker(tmp_path):
    # tests/conftest.py puts the PostgreSQL tests (one cluster) and the
    # real-parser checks each in one xdist group; under pytest 9.2 with xdist
    # 3.8 the groups were silently ignored (pytest-xdist#1386)
    (tmp_path / "pytest.ini").write_text("[pytest]\n")
    (tmp_path / "test_group.py").write_text(
        "import os, pathlib, pytest\n"
        "@pytest.mark.xdist_group('one')\n"
        "@pytest.mark.parametrize('i', range(4))\n"
        "def test_grouped(i):\n"
        "    pathlib.Path(f'ran-{i}').write_text(os.environ['PYTEST_XDIST_WORKER'])\n"
    )
    command = [sys.executable, "-m", "pytest", "-q", "-n", "2", "--dist", "loadgroup", "-p", "no:cacheprovider"]
    out = subprocess.run([*command, "test_group.py"], cwd=tmp_path, capture_output=True, text=True)
    assert out.returncode == 0, out.stdout + out.stderr
    workers = [(tmp_path / f"ran-{i}").read_text() for i in range(4)]
    assert len(set(workers)) == 1, workers
