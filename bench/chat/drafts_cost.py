"""CPU cost of the inbox's drafts broadcast (*Forms the citizen started*, `realtime.broadcast_drafts`) per form turn.

    .venv/bin/python bench/chat/drafts_cost.py [--forms 15] [--rounds 3]

The form turns of `form_turn_cost.py` (a report: start, category, location, description, skip the photo, the
category's question, cancel at the review: seven turns, six of which change the draft), through the real channel
layer (the embedded Redis) and, where an agent watches, a real console socket (`InboxConsumer` over channels'
WebsocketCommunicator, in this process; a supervisor's) that has opened the conversation. Four arms, interleaved form by form in one
run so that the machine's load falls on each alike:

    old, nobody     the broadcast turned off (`broadcast_drafts` a no-op: the turns as before the panel)
    new, nobody     the broadcast sent, to a conversation no console has opened
    old, console    a console watches; the broadcast off (it gets the message frames only)
    new, console    a console watches and reads the drafts again for its member on each change (a frame when they changed)

Per turn: this process's CPU (the turn and, with a console, the consumer's work), PostgreSQL's CPU (the postmaster
found by its data directory and its children at each reading, on this machine; a backend that ends within a turn is
not counted) and wall time; after each turn the sends it handed off are awaited and
the console is drained until it has been quiet for 50 ms, so its work lands on the turn that caused it.
"""

import argparse
import asyncio
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench" / "chat"))
sys.path.insert(0, str(ROOT / "bench" / "requests"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

import django  # noqa: E402

django.setup()

import psutil  # noqa: E402
from asgiref.sync import sync_to_async  # noqa: E402
from channels.routing import URLRouter  # noqa: E402
from channels.testing import WebsocketCommunicator  # noqa: E402
from common import postgres_processes  # noqa: E402  (bench/requests/common.py)
from django.contrib.auth import get_user_model  # noqa: E402
from form_turn_cost import TURNS, agency_with_catalogue  # noqa: E402

from chat import realtime, services  # noqa: E402
from chat.engine.engine import bot_turn  # noqa: E402
from chat.routing import websocket_urlpatterns  # noqa: E402
from tenants.context import agency_context  # noqa: E402
from tenants.models import Membership, Role  # noqa: E402

ARMS = [("old", "nobody"), ("new", "nobody"), ("old", "console"), ("new", "console")]
REAL_BROADCAST = realtime.broadcast_drafts


def pg_snapshot(postmaster) -> dict[int, float]:
    """CPU seconds so far of each of PostgreSQL's processes now (backends come and go with connections: the console's
    reads open their own; a fixed list would miss those and count the ones that ended as going back to zero)."""
    cpu = {}
    for process in [postmaster, *postmaster.children(recursive=True)]:
        try:
            times = process.cpu_times()
        except psutil.Error:
            continue
        cpu[process.pid] = times.user + times.system
    return cpu


def pg_spent(before: dict[int, float], after: dict[int, float]) -> float:
    """What PostgreSQL spent between two snapshots (a backend that ended in between is not counted)."""
    return sum(seconds - before.get(pid, 0.0) for pid, seconds in after.items())


def supervisor_of(agency):
    """The console's member: a supervisor, who may open a conversation still with the assistant (an agent sees the
    queue and their own conversations; once one takes it the assistant, and so the form, is silent)."""
    user, _created = get_user_model().objects.get_or_create(username="formbench-supervisor")
    with agency_context(agency):
        Membership.objects.for_agency(agency).update_or_create(
            agency=agency, user=user, defaults={"role": Role.SUPERVISOR}
        )
    return user


async def drain(console) -> int:
    frames = 0
    while not await console.receive_nothing(timeout=0.05, interval=0.005):  # (a timed-out receive ends the app)
        await console.receive_output(timeout=1)
        frames += 1
    return frames


async def one_form(agency, agent, arm, totals, pids) -> None:
    version, watcher = arm
    realtime.broadcast_drafts = REAL_BROADCAST if version == "new" else (lambda conversation: None)
    with agency_context(agency):
        conversation, _token = await sync_to_async(services.conversation_start)(agency=agency, channel="widget")
    console = None
    if watcher == "console":
        console = WebsocketCommunicator(URLRouter(websocket_urlpatterns), "/ws/a/formbench/inbox/?lang=en")
        console.scope["user"] = agent
        connected, _code = await console.connect(timeout=10)
        assert connected
        await console.receive_json_from(timeout=10)  # hello
        await console.send_json_to({"type": "open", "conversation_id": str(conversation.pk)})
        opened = await console.receive_json_from(timeout=10)
        assert opened["type"] == "transcript", opened

    def turn(text: str, action: str) -> None:
        with agency_context(agency):
            received = services.message_receive(
                agency=agency, conversation_id=conversation.pk, text=text, action=action
            )
            assert bot_turn(agency=agency, conversation_id=conversation.pk, citizen_seq=received.message.seq)

    for text, action in TURNS:
        wall, cpu, pg = time.perf_counter(), time.process_time(), pg_snapshot(pids)
        await sync_to_async(turn)(text, action)
        await realtime.wait_for_sends()
        frames = await drain(console) if console is not None else 0
        spent = totals.setdefault(arm, {"cpu": [], "pg": [], "wall": [], "frames": 0})
        spent["cpu"].append(time.process_time() - cpu)
        spent["pg"].append(pg_spent(pg, pg_snapshot(pids)))
        spent["wall"].append(time.perf_counter() - wall - (0.05 if console is not None else 0))
        spent["frames"] += frames
    if console is not None:
        await console.disconnect()


async def run(forms: int, rounds: int) -> None:
    agency = await sync_to_async(agency_with_catalogue)()
    agent = await sync_to_async(supervisor_of)(agency)
    pids = postgres_processes()[0]  # the postmaster
    totals: dict = {}
    for arm in ARMS:  # warm-up: every path once
        await one_form(agency, agent, arm, {}, pids)
    for _round in range(rounds):
        for _ in range(forms):
            for arm in ARMS:
                await one_form(agency, agent, arm, totals, pids)
    load = os.getloadavg()
    print(
        f"load average {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}; {rounds * forms} forms per arm, {len(TURNS)} turns each"
    )
    print(
        f"{'arm':<16} {'process CPU':>12} {'PostgreSQL CPU':>15} {'wall p50':>9} {'console frames':>15}   (per turn, ms)"
    )
    for arm in ARMS:
        spent = totals[arm]
        n = len(spent["cpu"])
        print(
            f"{arm[0] + ', ' + arm[1]:<16} {sum(spent['cpu']) / n * 1000:>12.2f} {sum(spent['pg']) / n * 1000:>15.2f} "
            f"{statistics.median(spent['wall']) * 1000:>9.1f} {spent['frames'] / n:>15.2f}"
        )
    for watcher in ("nobody", "console"):
        old, new = totals[("old", watcher)], totals[("new", watcher)]
        n = len(old["cpu"])
        extra = (sum(new["cpu"]) - sum(old["cpu"])) / n * 1000
        extra_pg = (sum(new["pg"]) - sum(old["pg"])) / n * 1000
        print(f"the broadcast, {watcher}: +{extra:.2f} ms process CPU, +{extra_pg:.2f} ms PostgreSQL CPU per turn")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--forms", type=int, default=15)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    asyncio.run(run(args.forms, args.rounds))


if __name__ == "__main__":
    main()
