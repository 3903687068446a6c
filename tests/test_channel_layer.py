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
