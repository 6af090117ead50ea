#!/usr/bin/env sh
# Time `guifan demo` for a few seeds and record the figures in bench/results/.
set -eu
cd "$(dirname "$0")/.."
out="bench/results/demo-$(date +%Y-%m-%d).md"
{
  echo "# guifan demo wall time ($(date +%Y-%m-%d), $(nproc) cores, load before: $(cut -d' ' -f1 /proc/loadavg))"
  echo
  echo "Command: \`sh bench/demo_time.sh\` (runs \`.venv/bin/guifan demo --seed N --out /tmp/demo-N\`)"
  echo
  echo "| seed | orders | visits | timers fired | wall seconds |"
  echo "|---|---|---|---|---|"
  for seed in 1 2 3; do
    start=$(date +%s.%N)
    .venv/bin/guifan demo --seed "$seed" --out "/tmp/demo-$seed" >/dev/null
    end=$(date +%s.%N)
    .venv/bin/python - "$seed" "$start" "$end" <<'PY'
import json, sys
seed, start, end = sys.argv[1], float(sys.argv[2]), float(sys.argv[3])
s = json.load(open(f"/tmp/demo-{seed}/report.json"))["summary"]
print(f"| {seed} | {s['orders']} | {s['visits']} | {s['timers_fired']} | {end - start:.1f} |")
PY
  done
} > "$out"
cat "$out"
