#!/usr/bin/env bash
# Start-up cost of msmonitor commands against the bare `import typer` floor.
#
# Installs the project (not editable, so bytecode is compiled as for a user)
# into a fresh virtual environment, then times, in the same run:
#   floor:  python -c "import typer"
#   help:   msmonitor --help
#   plan:   msmonitor plan --course1 2024-01-10
#   ics:    msmonitor plan --course1 2024-01-10 --ics <file>   (when the command supports it)
# and prints each command's mean time as a ratio of the floor (target: plan <= 1.3x).
# Uses hyperfine when installed (apt-get install hyperfine), otherwise a
# python loop over subprocess runs. Also writes the -X importtime profile of
# `plan` to benchmarks/out/importtime-plan.txt.
#
#   benchmarks/startup.sh            # 30 runs each
#   RUNS=100 benchmarks/startup.sh
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(dirname "$here")"
runs="${RUNS:-30}"
out="$here/out"
mkdir -p "$out"
venv="$(mktemp -d)/venv"
trap 'rm -rf "$(dirname "$venv")"' EXIT

python3 -m venv "$venv"
"$venv/bin/pip" install --quiet "$root" >/dev/null 2>&1
py="$venv/bin/python"
ms="$venv/bin/msmonitor"
ics_file="$(dirname "$venv")/plan.ics"
export PYTHONDONTWRITEBYTECODE=  # let the installed bytecode be used as it would be for a user

declare -a names=(floor help plan)
declare -a cmds=("$py -c 'import typer'" "$ms --help" "$ms plan --course1 2024-01-10")
if "$ms" plan --help | grep -q -- "--ics"; then
  names+=(ics)
  cmds+=("$ms plan --course1 2024-01-10 --ics $ics_file")
fi

"$py" -X importtime -c "import sys; sys.argv=['msmonitor','plan','--course1','2024-01-10']; from msmonitor.cli import main; main()" \
  >/dev/null 2>"$out/importtime-plan.txt" || true

if command -v hyperfine >/dev/null; then
  hyperfine -N --warmup 5 --runs "$runs" --export-json "$out/startup.json" "${cmds[@]}" >/dev/null
  "$py" - "$out/startup.json" "${names[@]}" <<'PY'
import json, sys
results = json.load(open(sys.argv[1]))["results"]
names = sys.argv[2:]
floor = results[0]
for name, r in zip(names, results):
    print(f"{name:6} mean {r['mean']*1000:7.1f} ms  median {r['median']*1000:7.1f} ms  min {r['min']*1000:7.1f} ms"
          f"  ratio(mean) {r['mean']/floor['mean']:.2f}x  ratio(median) {r['median']/floor['median']:.2f}x")
PY
else
  "$py" - "$runs" "${names[@]}" -- "${cmds[@]}" <<'PY'
import shlex, statistics, subprocess, sys, time
runs = int(sys.argv[1]); split = sys.argv.index("--")
names, cmds = sys.argv[2:split], sys.argv[split + 1:]
def median_time(cmd):
    times = []
    for _ in range(runs):
        t = time.perf_counter(); subprocess.run(shlex.split(cmd), stdout=subprocess.DEVNULL, check=True)
        times.append(time.perf_counter() - t)
    return statistics.median(times)
base = None
for name, cmd in zip(names, cmds):
    m = median_time(cmd); base = base or m
    print(f"{name:6} median {m*1000:7.1f} ms  ratio {m/base:.2f}x")
PY
fi
echo "importtime profile of plan: $out/importtime-plan.txt"
