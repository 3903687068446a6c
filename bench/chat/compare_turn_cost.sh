#!/bin/bash
# CPU per chat turn (bench/chat/turn_cost.py), several trees or settings alternating, ROUNDS rounds. Run it
# under one hold of the bench lock, un-niced:
#
#   flock /work/bench.lock bash bench/chat/compare_turn_cost.sh ARM [ARM ...]
#   ARM = name=tree_dir[:VAR=value[,VAR=value]]      e.g. old=/work/clones/old42  new=.
#
# Every tree needs the `chatbench` agency (bench/chat/seed_kb.py). Prints one line per run, then each arm's
# median process CPU and PostgreSQL CPU per turn.
set -u
ROUNDS=${ROUNDS:-3}
TURNS=${TURNS:-300}
results=$(mktemp)
for round in $(seq 1 "$ROUNDS"); do
  for arm in "$@"; do
    name=${arm%%=*}
    rest=${arm#*=}
    dir=${rest%%:*}
    vars=""
    [ "$rest" != "$dir" ] && vars=$(echo "${rest#*:}" | tr ',' ' ')
    line=$(cd "$dir" && env DEBUG=0 $vars .venv/bin/python bench/chat/turn_cost.py --turns "$TURNS" 2>&1 | grep -E "^turn")
    echo "round $round $name $(git -C "$dir" log -1 --format=%h) load $(cut -d' ' -f1 /proc/loadavg): $line"
    echo "$name|$line" >> "$results"
  done
done
python3 - "$results" "$@" <<'EOF'
import re, statistics, sys
rows = [line.rstrip("\n").split("|", 1) for line in open(sys.argv[1])]
for arm in sys.argv[2:]:
    name = arm.split("=", 1)[0]
    cpu = [float(m.group(1)) for n, line in rows if n == name and (m := re.search(r"process CPU ([\d.]+) ms", line))]
    pg = [float(m.group(1)) for n, line in rows if n == name and (m := re.search(r"PostgreSQL CPU ([\d.]+) ms", line))]
    if cpu:
        print(f"{name}: process CPU per turn median {statistics.median(cpu):.2f} ms {cpu}; "
              f"PostgreSQL median {statistics.median(pg):.2f} ms {pg}")
EOF
rm -f "$results"
