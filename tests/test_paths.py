"""Careless and hostile paths (issue 10): outputs go only to regular files or
new paths, never over a database; inputs are read only from regular files of
a bounded size. Each test here failed before its fix (and none of them
touches anything outside its temporary folder)."""

import os
import stat
import subprocess
import sys

import pytest
from typer.testing import CliRunner

from msmonitor import files
from msmonitor.cli import app
from msmonitor.errors import OutputError

runner = CliRunner()
PLAN = ("plan", "--course1", "2024-01-10", "--today", "2024-06-01")


def cli(*args, **kwargs):
    return runner.invoke(app, [str(a) for a in args], **kwargs)


@pytest.fixture
def db(tmp_path):
    path = tmp_path / "clinic.db"
    assert cli("add", "jd", "--course1", "2024-01-10", "--db", path).exit_code == 0
    return path


def one_line_error(result, *words):
    assert result.exit_code == 2, result.output
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("msmonitor: error: "), result.stderr
    for word in words:
        assert word in lines[0], lines[0]


# ------------------------------------------------------------------ where outputs go


@pytest.mark.parametrize("name", ["-", "/dev/stdout", "/dev/fd/1"])
def test_stdout_names_mean_stdout(name):
    assert files.output_path(name) is None


def test_a_link_to_stdout_writes_to_stdout_and_keeps_the_link(tmp_path):
    link = tmp_path / "out"
    link.symlink_to("/dev/stdout")
    result = cli(*PLAN, "--format", "json", "-o", link)
    assert result.exit_code == 0 and result.stdout.startswith("{")
    assert link.is_symlink() and os.readlink(link) == "/dev/stdout"


def test_a_link_is_written_through_to_its_target(tmp_path):
    (tmp_path / "real").mkdir()
    real = tmp_path / "real" / "plan.json"
    real.write_text("old\n")
    os.chmod(real, 0o640)
    link = tmp_path / "plan.json"
    link.symlink_to(real)
    assert cli(*PLAN, "--format", "json", "-o", link).exit_code == 0
    assert link.is_symlink() and real.read_text().startswith("{")
    assert stat.S_IMODE(real.stat().st_mode) == 0o640
    assert sorted(p.name for p in (tmp_path / "real").iterdir()) == ["plan.json"]  # no temp file left


def test_special_files_are_refused(tmp_path):
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    one_line_error(cli(*PLAN, "--format", "json", "-o", fifo), "not a regular file")
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode)
    device = tmp_path / "null"
    device.symlink_to(os.devnull)
    one_line_error(cli(*PLAN, "--format", "csv", "-o", device), "not a regular file")
    assert device.is_symlink()
    one_line_error(cli(*PLAN, "--ics", fifo), "not a regular file")
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode)


def test_empty_paths_are_refused(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    one_line_error(cli(*PLAN, "--format", "json", "-o", ""), "-o: an empty path")
    one_line_error(cli(*PLAN, "--ics", ""), "--ics: an empty path")
    assert list(tmp_path.iterdir()) == []


def test_every_output_is_checked_before_any_is_written(tmp_path):
    ics = tmp_path / "a.ics"
    result = cli(*PLAN, "--ics", ics, "--format", "json", "-o", tmp_path / "missing" / "x.json")
    one_line_error(result, "does not exist")
    assert not ics.exists()
    one_line_error(cli(*PLAN, "--ics", ics, "--format", "json", "-o", ics), "the same file")
    assert not ics.exists()


# ------------------------------------------------------------------ never over the database


@pytest.mark.parametrize("suffix", ["", "-journal", "-wal", "-shm"])
@pytest.mark.parametrize("command", [("status", "jd"), ("export",), ("due",), ("patients",)])
def test_an_output_over_the_database_is_refused(db, command, suffix):
    before = db.read_bytes()
    result = cli(*command, "--db", db, "-o", f"{db}{suffix}")
    one_line_error(result, "database")
    assert db.read_bytes() == before
    assert not suffix or not os.path.exists(f"{db}{suffix}")


def test_the_database_under_another_name_is_refused(db, tmp_path):
    other = tmp_path / "notes.txt"
    os.link(db, other)  # same device and inode
    before = db.read_bytes()
    one_line_error(cli("status", "jd", "--db", db, "-o", other), "is a database")
    one_line_error(cli(*PLAN, "-o", other), "is a database")  # any SQLite file, open or not
    assert db.read_bytes() == before


def test_output_path_compares_device_and_inode(tmp_path):
    path = tmp_path / "x.txt"
    path.write_text("text\n")
    info = path.stat()
    with pytest.raises(OutputError, match="is a database"):
        files.output_path(str(path), databases=[(info.st_dev, info.st_ino)])
    assert files.output_path(str(path)) == str(path)


# ------------------------------------------------------------------ what is read


def run(*args, stdin=None):
    """The installed CLI in a subprocess: a read that hangs fails the test instead of the run."""
    return subprocess.run(
        [sys.executable, "-m", "msmonitor", *map(str, args)], capture_output=True, text=True, timeout=60, stdin=stdin
    )


def test_a_fifo_is_refused_without_waiting(tmp_path):
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    for args in ((*PLAN, "--protocol", fifo), ("import", fifo, "--db", tmp_path / "x.db")):
        result = run(*args)
        assert result.returncode == 2 and "not a regular file" in result.stderr, result.stderr
    assert not (tmp_path / "x.db").exists()


@pytest.mark.parametrize("option", ["--protocol", "--replaces", "import"])
def test_dev_zero_is_refused(tmp_path, option):
    if option == "import":
        args = ("import", "/dev/zero", "--db", tmp_path / "x.db")
    elif option == "--replaces":
        args = (*PLAN, "--ics", tmp_path / "a.ics", "--replaces", "/dev/zero")
    else:
        args = (*PLAN, "--protocol", "/dev/zero")
    result = cli(*args)
    one_line_error(result, "/dev/zero", "not a regular file")


def test_files_over_the_limits_are_refused(tmp_path, monkeypatch):
    big = tmp_path / "big.toml"
    big.write_bytes(b"#" * (files.PROTOCOL_LIMIT + 1))
    one_line_error(cli(*PLAN, "--protocol", big), "larger than msmonitor reads", "the limit is 1 MB")
    ics = tmp_path / "old.ics"
    ics.write_bytes(b" " * (files.CALENDAR_LIMIT + 1))
    one_line_error(cli(*PLAN, "--ics", tmp_path / "a.ics", "--replaces", ics), "the limit is 16 MB")
    assert not (tmp_path / "a.ics").exists()


def test_stdin_is_read_up_to_the_limit(tmp_path, monkeypatch):
    monkeypatch.setattr(files, "IMPORT_LIMIT", 1000)
    monkeypatch.setattr(files.capped_text, "__defaults__", (1000,))
    body = "label,course1\n" + "".join(f"p{i},2024-01-10\n" for i in range(200))
    result = cli("import", "-", "--db", tmp_path / "x.db", input=body)
    one_line_error(result, "stdin: larger than msmonitor reads")
