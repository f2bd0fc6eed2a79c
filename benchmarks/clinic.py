"""A clinic of N patients with realistic records: how fast are `due` and `status`?

    python benchmarks/clinic.py                  # 1,000 and 10,000 patients
    python benchmarks/clinic.py --sizes 500 2000 --runs 3

For each size it writes a backup file of N patients (course 1 spread over the
last six years, most with a second course, some with a third; about 88% of the
past monthly panels recorded a few days off their date, some partly, 70% of
the yearly exams), restores it with `msmonitor import` into a fresh database,
then times the installed `msmonitor due --within 7d` and
`msmonitor status <patient>` as subprocesses (median of --runs). Target: `due`
over 10,000 patients under 1 s on a 2-core machine, growing no faster than
linearly (compare the two sizes). Uses the msmonitor on PATH, or the one
beside this Python.
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

from dateutil.relativedelta import relativedelta

from msmonitor.model import PlanOptions
from msmonitor.protocol import load_protocol
from msmonitor.schedule import PlanRequest, compute_plan
from msmonitor.tracking import scheduled_tests

TODAY = date(2026, 11, 21)


def clinic(size: int, seed: int = 7) -> dict:
    rng = random.Random(seed)
    protocols = {"us": load_protocol("us"), "eu": load_protocol("eu")}
    patients = []
    for n in range(size):
        protocol = "eu" if rng.random() < 0.2 else "us"
        sex = rng.choice(["female", "female", "male", None])
        c1 = TODAY - timedelta(days=rng.randint(30, 6 * 365))
        courses = [c1]
        single = rng.random() < 0.1
        c2 = c1 + relativedelta(months=12) + timedelta(days=rng.randint(0, 40))
        if not single and c2 < TODAY:
            courses.append(c2)
            c3 = c2 + relativedelta(months=12) + timedelta(days=rng.randint(10, 400))
            if rng.random() < 0.08 and c3 < TODAY:
                courses.append(c3)
        request = PlanRequest(
            courses[0], courses[1] if len(courses) > 1 else None, tuple(courses[2:]), single, PlanOptions(sex=sex)
        )
        plan = compute_plan(protocols[protocol], request, TODAY)
        records = []
        events: dict[str, list] = {}
        for item in scheduled_tests(plan):
            events.setdefault(item.event_id, []).append(item)
        for items in events.values():
            first = items[0]
            if first.date > TODAY:
                continue
            chance = 0.88 if first.kind == "labs" else 0.7
            if rng.random() > chance:
                continue
            day = first.date + timedelta(days=rng.randint(-5, 9))
            if day > TODAY:
                continue
            tests = [i.test for i in items]
            if rng.random() < 0.05:
                tests = tests[: max(1, len(tests) - 1)]
            records += [{"test": t, "done_on": day.isoformat(), "note": ""} for t in tests]
        patients.append(
            {
                "label": f"p{n:05d}",
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
        )
    return {
        "schema": "msmonitor.backup/1",
        "generator": "benchmarks/clinic.py",
        "exported_at": "",
        "patients": patients,
    }


def timed(cmd: list[str], runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    beside = Path(sys.executable).parent / "msmonitor"
    command = str(beside) if beside.exists() else shutil.which("msmonitor")
    if not command:
        sys.exit("msmonitor is not installed: pip install . first")
    results = {}
    with tempfile.TemporaryDirectory() as work:
        for size in args.sizes:
            backup = Path(work) / f"clinic-{size}.json"
            db = Path(work) / f"clinic-{size}.db"
            start = time.perf_counter()
            data = clinic(size)
            backup.write_text(json.dumps(data))
            made = time.perf_counter() - start
            records = sum(len(p["records"]) for p in data["patients"])
            start = time.perf_counter()
            subprocess.run([command, "import", str(backup), "--db", str(db)], check=True, stderr=subprocess.DEVNULL)
            imported = time.perf_counter() - start
            due = timed([command, "due", "--within", "7d", "--today", TODAY.isoformat(), "--db", str(db)], args.runs)
            status = timed([command, "status", "p00042", "--today", TODAY.isoformat(), "--db", str(db)], args.runs)
            floor = timed([sys.executable, "-c", "import typer"], args.runs)
            results[size] = due
            print(
                f"{size:>6} patients, {records:>8} records: generated in {made:5.1f} s, imported in {imported:5.1f} s, "
                f"db {db.stat().st_size / 1e6:5.1f} MB"
            )
            print(
                f"        due --within 7d: {due * 1000:7.1f} ms   status: {status * 1000:7.1f} ms   "
                f"(python -c 'import typer': {floor * 1000:5.1f} ms)"
            )
    sizes = sorted(results)
    if len(sizes) > 1:
        small, large = sizes[0], sizes[-1]
        print(f"due: {large // small}x the patients took {results[large] / results[small]:.2f}x the time")


if __name__ == "__main__":
    main()
