"""A national registry on one laptop: `import`, `due` and `status` at 10,000
and 100,000 patients, as ratios to the `import typer` floor of the same run.

    python benchmarks/clinic.py                  # 10,000 patients
    python benchmarks/clinic.py --big            # and 100,000 (a few minutes, ~1 GB of backup on disk)
    python benchmarks/clinic.py --size 2000 --runs 3
    python benchmarks/clinic.py --postgres postgresql:///bench   # and the same on PostgreSQL

With --postgres URL (an empty database or schema; psycopg installed) the
10,000-patient backup is imported there too, and `due --within 7d` and
`status PATIENT` are timed on PostgreSQL beside SQLite, in the same rounds.

It writes a backup of N patients (course 1 spread over the last six years,
most with a second course, some with a third; about 88% of the past monthly
panels recorded a few days off their date, some partly, 70% of the yearly
exams), restores it with the installed `msmonitor import` into a fresh
database, and reports for the import its wall time, its peak memory (the
child's maximum resident set, and the largest sampled sum of resident sets
over it and its worker processes) and how long the database's write lock was
held (a probe tries to take it every 10 ms). The 100,000-patient backup is
the 10,000 patients ten times over under new labels. A third backup holds the
same 10,000 patients without any records (a clinic just set up): `due
--format json` lists most of their open items.

Then, interleaved in rounds so that a burst of load on this shared machine
hits every command alike: the floor (`python -c "import typer"`), `due
--within 7d` at each size, `status PATIENT`, and `due --format json` over the
fresh patients; each as its median and as a ratio to the floor's median.
The commands run from a fresh virtual environment into which this checkout
is installed as a user installs it (not editable, bytecode compiled), with
PYTHONDONTWRITEBYTECODE removed from their environment: an editable install
under that variable compiles every msmonitor module on every run (~70 ms),
which no user pays. --command PATH times another msmonitor instead.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from datetime import date, timedelta
from pathlib import Path

from msmonitor.dates import add_months
from msmonitor.model import PlanOptions
from msmonitor.protocol import load_protocol
from msmonitor.schedule import PlanRequest, compute_plan
from msmonitor.tracking import scheduled_tests

TODAY = date(2026, 11, 21)


def patients(size: int, seed: int = 7):
    """``size`` backup entries with realistic records."""
    rng = random.Random(seed)
    protocols = {"us": load_protocol("us"), "eu": load_protocol("eu")}
    for n in range(size):
        protocol = "eu" if rng.random() < 0.2 else "us"
        sex = rng.choice(["female", "female", "male", None])
        c1 = TODAY - timedelta(days=rng.randint(30, 6 * 365))
        courses = [c1]
        single = rng.random() < 0.1
        c2 = add_months(c1, 12) + timedelta(days=rng.randint(0, 40))
        if not single and c2 < TODAY:
            courses.append(c2)
            c3 = add_months(c2, 12) + timedelta(days=rng.randint(10, 400))
            if rng.random() < 0.08 and c3 < TODAY:
                courses.append(c3)
        request = PlanRequest(
            courses[0], courses[1] if len(courses) > 1 else None, tuple(courses[2:]), single, PlanOptions(sex=sex)
        )
        plan = compute_plan(protocols[protocol], request)
        records = []
        events: dict[str, list] = {}
        for item in scheduled_tests(plan):
            events.setdefault(item.event_id, []).append(item)
        for items in events.values():
            first = items[0]
            if first.date > TODAY:
                continue
            if rng.random() > (0.88 if first.kind == "labs" else 0.7):
                continue
            day = first.date + timedelta(days=rng.randint(-5, 9))
            if day > TODAY:
                continue
            tests = [i.test for i in items]
            if rng.random() < 0.05:
                tests = tests[: max(1, len(tests) - 1)]
            records += [{"test": t, "done_on": day.isoformat(), "note": ""} for t in tests]
        yield {
            "label": f"p{n:06d}",
            "sex": sex,
            "protocol": protocol,
            "notes": "",
            "single_course": single,
            "include_unverified": False,
            "courses": [
                {"number": i + 1, "start": d.isoformat(), "infusion_days": None} for i, d in enumerate(courses)
            ],
            "records": records,
        }


def copied(entries: list[dict], copies: int):
    """The entries ``copies`` times over, each copy under new labels."""
    for k in range(copies):
        for e in entries:
            yield {**e, "label": f"{e['label']}-{k}"} if k else e


def write_backup(path: Path, entries) -> int:
    """Write a backup one patient at a time; returns how many records it holds."""
    records = 0
    with open(path, "w", encoding="utf-8") as out:
        out.write('{"schema": "msmonitor.backup/1", "generator": "benchmarks/clinic.py", "patients": [\n')
        for n, entry in enumerate(entries):
            records += len(entry["records"])
            out.write((",\n" if n else "") + json.dumps(entry, separators=(",", ":")))
        out.write("\n]}\n")
    return records


# the children's environment: bytecode cached as after a normal install
ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}


def install(folder: Path) -> str:
    """Install this checkout into a fresh venv, as a user would; returns its msmonitor."""
    root = Path(__file__).resolve().parent.parent
    subprocess.run([sys.executable, "-m", "venv", str(folder / "venv")], check=True)
    pip = [str(folder / "venv" / "bin" / "python"), "-m", "pip", "install", "--quiet", str(root)]
    subprocess.run(pip, check=True, env=ENV, stdout=subprocess.DEVNULL)
    return str(folder / "venv" / "bin" / "msmonitor")


def tree_kb(pid: int) -> int:
    """Resident memory of ``pid`` and all its descendants (import's worker
    processes); shared pages count once per process, so an upper bound."""
    total, todo = 0, [pid]
    while todo:
        p = todo.pop()
        try:
            total += int(Path(f"/proc/{p}/status").read_text().split("VmRSS:")[1].split()[0])
            for task in Path(f"/proc/{p}/task").iterdir():
                todo += [int(c) for c in (task / "children").read_text().split()]
        except (OSError, IndexError, ValueError):
            pass
    return total


def run_import(command: str, backup: Path, db: Path | str) -> dict:
    """Wall time, peak memory and write-lock time (SQLite only) of one `msmonitor import`."""
    locked, done = [0.0], threading.Event()

    def probe() -> None:
        while not done.is_set():
            if isinstance(db, Path) and db.exists():
                con = sqlite3.connect(db, timeout=0, isolation_level=None)
                try:
                    con.execute("BEGIN IMMEDIATE")
                    con.execute("ROLLBACK")
                except sqlite3.OperationalError:
                    locked[0] += 0.01
                finally:
                    con.close()
            time.sleep(0.01)

    watcher = threading.Thread(target=probe)
    # the child's own peak, read before it exits: a forked child's ru_maxrss
    # would count this (large) process's pages as they were at the fork
    peak_kb, tree_peak_kb = [0], [0]
    start = time.perf_counter()
    child = subprocess.Popen([command, "import", str(backup), "--db", str(db)], stderr=subprocess.PIPE, env=ENV)
    watcher.start()
    while child.poll() is None:
        try:
            status = Path(f"/proc/{child.pid}/status").read_text()
            peak_kb[0] = max(peak_kb[0], int(status.split("VmHWM:")[1].split()[0]))
        except (OSError, IndexError, ValueError):
            pass
        tree_peak_kb[0] = max(tree_peak_kb[0], tree_kb(child.pid))  # sampled every 50 ms
        time.sleep(0.05)
    wall = time.perf_counter() - start
    done.set()
    watcher.join()
    if child.returncode:
        sys.exit(f"import failed: {child.stderr.read().decode() if child.stderr else ''}")
    tree_mb = max(peak_kb[0], tree_peak_kb[0]) / 1024
    return {"seconds": wall, "peak_mb": peak_kb[0] / 1024, "tree_mb": tree_mb, "locked": locked[0]}


def rounds(commands: dict[str, list[str]], runs: int) -> dict[str, list[float]]:
    times: dict[str, list[float]] = {name: [] for name in commands}
    for cmd in commands.values():  # warm-up: page cache, bytecode
        subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=ENV)
    for _ in range(runs):
        for name, cmd in commands.items():
            start = time.perf_counter()
            subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=ENV)
            times[name].append(time.perf_counter() - start)
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=10_000)
    parser.add_argument("--big", action="store_true", help="also 10x the patients (100,000 by default)")
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--postgres", metavar="URL", help="also on PostgreSQL: an empty database or schema")
    parser.add_argument("--command", metavar="PATH", help="time this msmonitor instead of a fresh install")
    args = parser.parse_args()
    today = ["--today", TODAY.isoformat()]
    out = Path(__file__).parent / "out"  # git-ignored; on disk, not in a RAM-backed /tmp
    out.mkdir(exist_ok=True)
    with tempfile.TemporaryDirectory(dir=out) as work:
        folder = Path(work)
        command = args.command or install(folder)
        start = time.perf_counter()
        entries = list(patients(args.size))
        print(f"generated {args.size:,} patients in {time.perf_counter() - start:.1f} s")
        backups = {}
        for size in [args.size] + ([args.size * 10] if args.big else []):
            copies = size // args.size

            backups[size] = folder / f"clinic-{size}.json"
            records = write_backup(backups[size], copied(entries, copies))
            print(f"{size:>7,} patients, {records:>10,} records: backup {backups[size].stat().st_size / 1e6:6.0f} MB")
        fresh = folder / "fresh.json"
        write_backup(fresh, ({**e, "records": []} for e in entries))
        del entries

        imports, dbs = {}, {}
        for size, backup in backups.items():
            dbs[size] = folder / f"clinic-{size}.db"
            imports[size] = run_import(command, backup, dbs[size])
            if args.postgres and size == args.size:
                imports["postgres"] = run_import(command, backup, args.postgres)
            backup.unlink()
        dbs["fresh"] = folder / "fresh.db"
        imports["fresh"] = run_import(command, fresh, dbs["fresh"])

        python = Path(command).parent / "python"  # the floor: the same interpreter's bare typer import
        commands = {"floor": [str(python) if python.exists() else sys.executable, "-c", "import typer"]}
        for size in backups:
            commands[f"due --within 7d, {size:,} patients"] = [command, "due", "--within", "7d", *today]
            commands[f"due --within 7d, {size:,} patients"] += ["--db", str(dbs[size])]
        commands[f"status PATIENT, {args.size:,} patients"] = [command, "status", "p000042", *today]
        commands[f"status PATIENT, {args.size:,} patients"] += ["--db", str(dbs[args.size])]
        commands[f"due --format json, {args.size:,} fresh patients"] = [command, "due", "--format", "json", *today]
        commands[f"due --format json, {args.size:,} fresh patients"] += ["--db", str(dbs["fresh"])]
        if args.postgres:
            on_pg = ["--db", args.postgres]
            commands[f"PostgreSQL: due --within 7d, {args.size:,} patients"] = [
                command,
                "due",
                "--within",
                "7d",
                *today,
                *on_pg,
            ]
            commands[f"PostgreSQL: status PATIENT, {args.size:,} patients"] = [
                command,
                "status",
                "p000042",
                *today,
                *on_pg,
            ]
        times = rounds(commands, args.runs)
        floor = statistics.median(times["floor"])

        print(f"\n{args.runs} interleaved rounds; the floor (python -c 'import typer'): {floor * 1000:.0f} ms")
        for name, values in times.items():
            if name != "floor":
                median = statistics.median(values)
                print(f"  {name:45} {median * 1000:8.0f} ms  {median / floor:6.2f}x the floor")
        print()
        for size, got in imports.items():
            names = {"fresh": f"{args.size:,} fresh patients", "postgres": f"{args.size:,} on PostgreSQL"}
            what = names[size] if isinstance(size, str) else f"{size:,} patients"
            print(
                f"  import, {what:29} {got['seconds']:7.1f} s   {got['seconds'] / floor:6.0f}x the floor   "
                f"peak {got['peak_mb']:5.0f} MB ({got['tree_mb']:.0f} MB with its workers)"
                + ("" if size == "postgres" else f"   write lock held ~{got['locked']:.1f} s")  # probed on SQLite only
            )
        for size in backups:
            print(f"  database, {size:,} patients: {dbs[size].stat().st_size / 1e6:.0f} MB")


if __name__ == "__main__":
    main()
