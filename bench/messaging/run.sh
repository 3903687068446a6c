#!/bin/bash
# One messaging benchmark run, unattended, from the checkout: start the bench stack (un-niced), wait until it
# answers, run burst.py, stop the stack. Run it inside the bench lock:
#
#   flock /work/bench.lock bench/messaging/run.sh "--concurrency 4" "--rate 50 --seconds 60 --stall 30 --drain-timeout 300"
#
# $1: stack.py's options (besides --port/--fake-port/--drop-backlog), $2: burst.py's. Needs the demo agency
# (`manage.py seed_demo`, which `make run` also does). PORT (default 8120) and the three after it are used.
set -u
cd "$(dirname "$0")/../.."
PORT=${PORT:-8120}
echo "=== $(git log --oneline -1 | cut -c1-70) $(date -u +%T) load $(cut -d' ' -f1-3 /proc/loadavg) stack[$1] burst[$2]"
rm -f var/bench-messaging.json
# shellcheck disable=SC2086  # the options are meant to split
.venv/bin/python bench/messaging/stack.py --port "$PORT" --fake-port $((PORT + 1)) --drop-backlog $1 > var/bench-stack.log 2>&1 &
STACK=$!
for _ in $(seq 1 120); do
  test -f var/bench-messaging.json && curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$PORT/health/" | grep -q 200 && break
  sleep 1
done
sleep 8  # the worker's pool processes
# shellcheck disable=SC2086
.venv/bin/python bench/messaging/burst.py --state var/bench-messaging.json $2
echo "=== end $(date -u +%T) load $(cut -d' ' -f1-3 /proc/loadavg)"
kill -INT "$STACK"
wait "$STACK"
