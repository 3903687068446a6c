"""The project's Redis channel layer: channels_redis's messages and semantics, a cheaper group send, and
`exclude` (the sender's socket shows its own message and gets no copy)."""

import asyncio
import uuid

import pytest
from channels_redis.core import RedisChannelLayer as StockLayer
from django.conf import settings

from core.channel_layer import RedisChannelLayer


def _layers(**config):
    base = {**settings.CHANNEL_LAYERS["default"]["CONFIG"], "prefix": f"test-layer-{uuid.uuid4().hex[:8]}"}
    base.update(config)
    return RedisChannelLayer(**base), StockLayer(**base)


async def _nothing(layer, channel, wait=0.3):
    with pytest.raises(asyncio.TimeoutError):
        await asyncio.wait_for(layer.receive(channel), timeout=wait)


async def test_group_send_reaches_every_member_but_the_excluded_one():
    ours, stock = _layers()
    sender, other_tab, agent = await ours.new_channel(), await ours.new_channel(), await stock.new_channel()
    for channel in (sender, other_tab, agent):
        await ours.group_add("chat.c.1.abc", channel)
    await ours.group_send("chat.c.1.abc", {"type": "chat.message", "text": "hi"}, exclude=sender)
    assert (await asyncio.wait_for(ours.receive(other_tab), 5))["text"] == "hi"
    # A process running the stock layer reads what ours sends.
    assert (await asyncio.wait_for(stock.receive(agent), 5))["text"] == "hi"
    await _nothing(ours, sender)
    # Without `exclude`, as channels_redis: everyone, the sender too.
    await ours.group_send("chat.c.1.abc", {"type": "chat.message", "text": "all"})
    for layer, channel in ((ours, sender), (ours, other_tab), (stock, agent)):
        assert (await asyncio.wait_for(layer.receive(channel), 5))["text"] == "all"
    await ours.flush()
    await ours.close_pools()
    await stock.close_pools()


async def test_a_group_of_only_the_sender_sends_nothing():
    ours, stock = _layers()
    sender = await ours.new_channel()
    await ours.group_add("chat.c.1.alone", sender)
    await ours.group_send("chat.c.1.alone", {"type": "chat.message", "text": "mine"}, exclude=sender)
    await _nothing(ours, sender)
    await ours.flush()
    await ours.close_pools()
    await stock.close_pools()


async def test_capacity_and_expired_members_as_channels_redis():
    ours, stock = _layers(capacity=2, group_expiry=1)
    full = "plain.channel.full"
    await stock.group_add("g", full)
    for text in ("1", "2", "3"):  # the third is over capacity and dropped, as channels_redis does
        await ours.group_send("g", {"type": "m", "text": text})
    assert [(await stock.receive(full))["text"] for _ in range(2)] == ["1", "2"]
    await _nothing(stock, full)
    await asyncio.sleep(2.1)  # the membership expires (group_expiry)
    await ours.group_send("g", {"type": "m", "text": "late"})
    await _nothing(stock, full)
    await ours.flush()
    await ours.close_pools()
    await stock.close_pools()


async def test_a_receive_that_is_cancelled_stops_wherever_the_cancel_lands():
    """A consumer's channel-layer receive must end when cancelled (a socket closing, a test's event loop
    shutting down). Python 3.11's `asyncio.wait_for`, which redis-py uses to send a command when
    `socket_timeout` is set, loses a cancellation that arrives as the send completes (CPython gh-86296);
    channels_redis's receive then polled BZPOPMIN forever, and the event loop's teardown waited forever
    for the consumer (the suite hang in tests/chat/test_protocol.py). Cancel at every step of a receive,
    from a fresh connection's handshake to the blocking pop."""
    layer, _stock = _layers()
    # A lost cancellation is seen when the pop in flight returns: with channels_redis's 5 s pop, forty
    # cancels could take 200 s on a slow machine and fail the test's 60 s bound (CI on a1adfca). A 1 s
    # pop keeps each lost cancel to about a second; before the fix the receive polled forever all the same.
    layer.brpop_timeout = 1
    stuck = []
    for steps in range(40):
        if steps % 8 == 0:
            layer._layers.clear()  # now and then a new connection (its handshake)
        task = asyncio.ensure_future(layer.receive(await layer.new_channel()))
        for _ in range(steps):
            await asyncio.sleep(0)
        task.cancel()
        # One BZPOPMIN (1 s here) at most, plus slack for a loaded machine; before the fix the receive
        # polled forever, so any bound tells the two apart.
        await asyncio.wait({task}, timeout=10)
        while not task.done():  # free it for the report (a second cancel lands in the blocking read)
            stuck.append(steps)
            task.cancel()
            await asyncio.wait({task}, timeout=10)
        assert task.cancelled()
    assert stuck == [], f"receive kept polling after a cancel at steps {stuck}"
    await layer.close_pools()
