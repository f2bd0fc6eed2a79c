"""The default database lives in the user's data folder (platformdirs)."""

import sys
from pathlib import Path

import pytest

from msmonitor.store import default_path


@pytest.mark.skipif(sys.platform != "linux", reason="the XDG rules are Linux's")
def test_default_database_follows_xdg(monkeypatch, tmp_path):
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    assert default_path() == tmp_path / "data" / "msmonitor" / "msmonitor.db"
    monkeypatch.delenv("XDG_DATA_HOME")
    monkeypatch.setenv("HOME", str(tmp_path))
    assert default_path() == Path(tmp_path) / ".local" / "share" / "msmonitor" / "msmonitor.db"
