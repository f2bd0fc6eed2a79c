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
