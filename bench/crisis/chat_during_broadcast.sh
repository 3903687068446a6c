#!/bin/sh
# Chat latency for other citizens while a 100,000-subscriber broadcast runs (issue 16), with its baseline in the
# same hold of the bench lock: the chat load alone first, then the same load started once the broadcast is sending.
#
#   .venv/bin/python bench/chat/seed_kb.py                                    # agency chatbench (978 FAQ documents)
#   DEBUG=0 WEB_WORKERS=2 PORT=8130 .venv/bin/python manage.py runstack --no-seed &   # the stack under test
#   flock /work/bench.lock sh bench/crisis/chat_during_broadcast.sh [URL] [RATE] [SUBSCRIBERS] [OUT_DIR]
#   (TAG=-real BROADCAST_ARGS="--rate email=50,sms=30 --provider-limits email=50,sms=30": the providers' limits)
#   STACK=1: this script starts that stack itself (on URL's port, output in OUT_DIR/stack$TAG.log) and stops it.
#
# The broadcast (bench/crisis/broadcast.py) uses the same PostgreSQL and Redis as the stack (this checkout's
# var/), its own Celery worker (SIGKILLed at 5 % sent and restarted) and the stack's worker. The chat load waits
# START_AFTER seconds after the broadcast is launched (its 100,000 subscriptions are written and the worker has
# started by then), so the measured minute overlaps the fan-out and the sending.
set -eu
URL=${1:-http://127.0.0.1:8130}
RATE=${2:-50}
SUBSCRIBERS=${3:-100000}
OUT=${4:-bench/crisis/results}
START_AFTER=${START_AFTER:-40}
DURATION=${DURATION:-60}
PY=.venv/bin/python
mkdir -p "$OUT"
if [ "${STACK:-0}" = 1 ]; then
    PORT=${URL##*:}
    DEBUG=0 WEB_WORKERS=${WEB_WORKERS:-2} PORT=$PORT $PY manage.py runstack --no-seed > "$OUT/stack${TAG:-}.log" 2>&1 &
    STACK_PID=$!
    trap 'kill -INT $STACK_PID 2>/dev/null; wait $STACK_PID' EXIT
    i=0
    until curl -sf "$URL/health/" > /dev/null; do
        i=$((i + 1)); [ $i -lt 300 ] || { echo "the stack did not start (see $OUT/stack${TAG:-}.log)" >&2; exit 1; }
        sleep 1
    done
    sleep 5  # the workers' start
fi
echo "baseline: chat alone at $RATE q/s" >&2
$PY bench/chat/load.py --url "$URL" --rate "$RATE" --duration "$DURATION" --conversations 200 --phases chat \
    --seed 1601 --output "$OUT/chat-alone${TAG:-}.json" > /dev/null
echo "broadcast to $SUBSCRIBERS subscribers, chat at $RATE q/s after ${START_AFTER} s" >&2
# shellcheck disable=SC2086 # BROADCAST_ARGS: more options, e.g. the providers' real limits
$PY bench/crisis/broadcast.py --subscribers "$SUBSCRIBERS" --kill-at 0.05 --timeout "${BROADCAST_TIMEOUT:-240}" \
    ${BROADCAST_ARGS:-} > "$OUT/broadcast-with-chat${TAG:-}.json" &
BROADCAST=$!
sleep "$START_AFTER"
$PY bench/chat/load.py --url "$URL" --rate "$RATE" --duration "$DURATION" --conversations 200 --phases chat \
    --seed 1602 --output "$OUT/chat-during-broadcast${TAG:-}.json" > /dev/null
wait "$BROADCAST"
for f in chat-alone${TAG:-} chat-during-broadcast${TAG:-}; do
    printf '%s: ' "$f"
    $PY -c "import json,sys; r=json.load(open(sys.argv[1]))['chat']; print(r['questions_per_second'], 'q/s', r['latency_ms'], 'lost', r['lost'], 'dup', r['duplicated'])" "$OUT/$f.json"
done
