"""Idle sockets stay up: the channel layer's blocking receive (5 s) must not trip the Redis read
timeout (this killed idle consumers with redis-py's 5 s default)."""

import asyncio
import json

import pytest
import websockets

pytestmark = pytest.mark.django_db(transaction=True)


def test_idle_sockets_survive_the_channel_layer_poll(live_asgi, agency_a):
    async def idle_then_ping(path):
        async with websockets.connect(f"{live_asgi.ws_url}{path}", ping_interval=None) as ws:
            await ws.recv()
            await asyncio.sleep(6.5)
            await ws.send(json.dumps({"type": "ping"}))
            return json.loads(await asyncio.wait_for(ws.recv(), 5))["type"]

    async def main():
        paths = ["/ws/a/alpha/chat/"] * 4 + ["/ws/health/"] * 2
        return await asyncio.gather(*(idle_then_ping(path) for path in paths), return_exceptions=True)

    assert asyncio.run(main()) == ["pong"] * 6
