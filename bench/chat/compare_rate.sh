#!/bin/bash
# Chat latency at a fixed rate, several trees or settings alternating, each run on a freshly started stack
# (issue 13's old-vs-new check and issue 16's chat-alone baseline). Run it under one hold of the bench lock:
#
#   flock /work/bench.lock bash bench/chat/compare_rate.sh OUT_DIR ARM [ARM ...]
#   ARM = name=tree_dir[:VAR=value[,VAR=value]]      e.g. old=/work/clones/old42  new=.  t4=.:CHAT_THREADS=4
#
# Every tree needs the `chatbench` agency (bench/chat/seed_kb.py, ~3-4 min on 2 cores). Each run: the tree's
# stack (`DEBUG=0 WEB_WORKERS=2 manage.py runstack --no-seed`, plus the arm's variables) on PORT (8140), the
# load of bench/crisis/chat_during_broadcast.sh's baseline (200 conversations, RATE q/s for DURATION s,
# seed 1601), the server-side phases from the stored rows (bench/chat/turn_phases.py), then the stack stops.
# Prints one line per run; the JSON of each is in OUT_DIR.
set -u
OUT=${1:?OUT_DIR}
shift
RATE=${RATE:-50}
DURATION=${DURATION:-60}
PORT=${PORT:-8140}
HERE=$(cd "$(dirname "$0")/../.." && pwd)
mkdir -p "$OUT"
OUT=$(cd "$OUT" && pwd)
ulimit -n 65536 2>/dev/null || true
n=0
for arm in "$@"; do
  n=$((n + 1))
  name=${arm%%=*}
  rest=${arm#*=}
  dir=${rest%%:*}
  vars=""
  [ "$rest" != "$dir" ] && vars=$(echo "${rest#*:}" | tr ',' ' ')
  dir=$(cd "$dir" && pwd)
  port=$PORT
  (cd "$dir" && exec env PORT=$port WEB_WORKERS=2 DEBUG=0 $vars .venv/bin/python manage.py runstack --no-seed \
      > "$OUT/stack-$n-$name.log" 2>&1) &
  stack=$!
  for _ in $(seq 1 180); do curl -sf -o /dev/null "http://127.0.0.1:$port/" && break; sleep 1; done
  sleep 5
  since=$(date -u +%Y-%m-%dT%H:%M:%SZ)
  load1=$(cut -d' ' -f1 /proc/loadavg)
  "$HERE/.venv/bin/python" "$HERE/bench/chat/load.py" --url "http://127.0.0.1:$port" --rate "$RATE" \
      --duration "$DURATION" --conversations 200 --phases chat --seed 1601 --output "$OUT/run-$n-$name.json" \
      > "$OUT/run-$n-$name.txt" 2>&1
  (cd "$dir" && .venv/bin/python "$HERE/bench/chat/turn_phases.py" --since "$since") > "$OUT/phases-$n-$name.json" 2>/dev/null
  kill -INT $stack 2>/dev/null
  wait $stack 2>/dev/null
  "$HERE/.venv/bin/python" - "$OUT/run-$n-$name.json" "$OUT/phases-$n-$name.json" "$n $name $(git -C "$dir" log -1 --format=%h) $vars" "$since" "$load1" <<'EOF'
import json, sys
try:
    chat = json.load(open(sys.argv[1]))["chat"]
    lat = chat["latency_ms"]
    head = f"{chat['questions_per_second']} q/s, p50 {lat.get('p50')} p95 {lat.get('p95')} p99 {lat.get('p99')} ms, lost {chat['lost']} dup {chat['duplicated']}"
except Exception as error:  # a failed run still prints its line
    head = f"no result ({error!r})"
try:
    phases = json.load(open(sys.argv[2]))
    stored, turn = phases["question_stored_to_reply_stored_ms"], phases["turn_ms"]
    tail = f"; server: stored->reply p50 {stored.get('p50')} p95 {stored.get('p95')}, turn p50 {turn.get('p50')} p95 {turn.get('p95')} ms"
except Exception:
    tail = "; server phases: none"
print(f"run {sys.argv[3]} at {sys.argv[4]} (load {sys.argv[5]}): {head}{tail}", flush=True)
EOF
  sleep 3
done
