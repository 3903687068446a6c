#!/bin/sh
# The cost of row-level security (issue 14): each benchmark as before it (--rls off / BENCH_RLS=off: connected
# as the owner, exempt from the policies, no per-transaction set_config) and as the app runs now, alternately,
# in one session. Needs the chatbench agency (bench/chat/seed_kb.py). Run under the benchmark lock:
#     flock /work/bench.lock sh bench/rls_cost.sh [rounds] [open311 requests]
set -e
ROUNDS=${1:-2}
REQUESTS=${2:-2000}
PY=.venv/bin/python
for round in $(seq "$ROUNDS"); do
  for mode in off on; do
    echo "== round $round, rls $mode, load $(cut -d' ' -f1-3 /proc/loadavg)"
    $PY bench/chat/turn_cost.py --turns 200 --rls $mode | head -1
    $PY bench/knowledge/search_rls.py --queries 300 --rls $mode
    BENCH_RLS=$mode $PY bench/requests/replay_open311.py --limit "$REQUESTS" | grep -E "^sent|latency|rows in|cpu|CPU" || true
  done
done
