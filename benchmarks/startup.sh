#!/usr/bin/env bash
# Start-up cost of msmonitor commands against the bare `import typer` floor.
#
# Installs the project (not editable, bytecode compiled as for a user) into a
# fresh virtual environment, then times, interleaved in the same run so that
# a burst of load on the machine hits every command alike:
#   floor:  python -c "import typer"
#   help:   msmonitor --help
#   plan:   msmonitor plan --course1 2024-01-10
#   ics:    msmonitor plan --course1 2024-01-10 --ics FILE
# and prints each command's median and minimum wall time and their ratio to the
# floor (target: plan <= 1.3x). The minimum is the steadiest figure on a shared
# machine. Also writes `python -X importtime` of `plan` to
# benchmarks/out/importtime-plan.txt. With hyperfine installed
# (apt-get install hyperfine), HYPERFINE=1 also runs it for a second opinion.
#
#   benchmarks/startup.sh            # 40 rounds
#   RUNS=100 benchmarks/startup.sh
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(dirname "$here")"
runs="${RUNS:-40}"
out="$here/out"
mkdir -p "$out"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

python3 -m venv "$work/venv"
"$work/venv/bin/pip" install --quiet "$root" >/dev/null 2>&1
py="$work/venv/bin/python"
ms="$work/venv/bin/msmonitor"
export PYTHONDONTWRITEBYTECODE=  # use the installed bytecode, as a user's run would

"$py" -X importtime -c "import sys; sys.argv=['msmonitor','plan','--course1','2024-01-10']; from msmonitor.cli import main; main()" \
  >/dev/null 2>"$out/importtime-plan.txt" || true

"$py" - "$runs" "$py" "$ms" "$work/plan.ics" <<'PY'
import statistics, subprocess, sys, time
runs, py, ms, ics = int(sys.argv[1]), sys.argv[2], sys.argv[3], sys.argv[4]
commands = {
    "floor": [py, "-c", "import typer"],
    "help": [ms, "--help"],
    "plan": [ms, "plan", "--course1", "2024-01-10"],
    "ics": [ms, "plan", "--course1", "2024-01-10", "--ics", ics],
}
times = {name: [] for name in commands}
for name, cmd in commands.items():  # warm-up
    subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
for _ in range(runs):
    for name, cmd in commands.items():
        start = time.perf_counter()
        subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
        times[name].append(time.perf_counter() - start)
floor_median, floor_min = statistics.median(times["floor"]), min(times["floor"])
print(f"{runs} interleaved rounds")
for name, values in times.items():
    median, low = statistics.median(values), min(values)
    print(f"{name:6} median {median*1000:6.1f} ms ({median/floor_median:.2f}x)   min {low*1000:6.1f} ms ({low/floor_min:.2f}x)")
extra = statistics.median(times["ics"]) - statistics.median(times["plan"])
print(f"exporting the calendar adds {extra*1000:.0f} ms to plan (median)")
PY

if [ "${HYPERFINE:-}" = 1 ] && command -v hyperfine >/dev/null; then
  hyperfine -N --warmup 5 --runs "$runs" "$py -c 'import typer'" "$ms plan --course1 2024-01-10"
fi
echo "importtime profile of plan: $out/importtime-plan.txt"
