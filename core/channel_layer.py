"""The Redis channel layer, with a cheaper group send and a way to leave out the sender.

channels_redis sends to a group in four round trips (drop expired members, read the members, drop
expired messages, push), every time, even when the only member is the socket that caused the message
and shows it itself (a citizen's own message and the bot's reply: bench/chat/RESULTS.md). Here:

- the expired members are dropped and the rest read in one pipeline;
- `exclude`: a channel that does not get this message (the sender, which delivers it directly). Other
  tabs of the same conversation and agents watching it still get it;
- with nobody else in the group that is all; otherwise expired messages are dropped and the message
  pushed in one script (channels_redis's script, with its expiry step moved inside).

Messages, keys, capacity and expiry are exactly channels_redis's, so processes running the stock layer
receive them too.

A cancelled receive always ends. redis-py sends each command through `asyncio.wait_for` when
`socket_timeout` is set (it is: see settings), and Python 3.11's `wait_for` loses a cancellation that
arrives in the same event-loop step as the send completes (CPython gh-86296, fixed in 3.12). channels_redis's
receive loop (`while content is None: BZPOPMIN …`) never looks again, so a consumer whose socket closed
(or whose event loop was shutting down) kept polling Redis every 5 s forever, and whatever awaited it (the
consumer's own exit, asyncio's shutdown of the loop) waited forever: the suite hang of issue 13. Here the
loop checks the task's pending cancellation around every pop and raises it.
"""

from __future__ import annotations

import asyncio
import logging
import time

from channels_redis.core import RedisChannelLayer as _RedisChannelLayer

logger = logging.getLogger(__name__)

_SEND_SCRIPT = """
local over_capacity = 0
local current_time = ARGV[#ARGV - 2]
local expiry = ARGV[#ARGV - 1]
local oldest = ARGV[#ARGV]
for i=1,#KEYS do
    redis.call('ZREMRANGEBYSCORE', KEYS[i], 0, oldest)
    if redis.call('ZCOUNT', KEYS[i], '-inf', '+inf') < tonumber(ARGV[i + #KEYS]) then
        redis.call('ZADD', KEYS[i], current_time, ARGV[i])
        redis.call('EXPIRE', KEYS[i], expiry)
    else
        over_capacity = over_capacity + 1
    end
end
return over_capacity
"""


def _raise_lost_cancellation() -> None:
    task = asyncio.current_task()
    if task is not None and task.cancelling():
        raise asyncio.CancelledError("cancelled while receiving (the cancellation was lost in a Redis send)")


class RedisChannelLayer(_RedisChannelLayer):
    async def _brpop_with_clean(self, index, channel, timeout):
        _raise_lost_cancellation()
        member = await super()._brpop_with_clean(index, channel, timeout)
        # A message popped by a receive being cancelled stays in channels_redis's backup queue.
        _raise_lost_cancellation()
        return member

    async def group_send(self, group, message, *, exclude: str | None = None):
        assert self.require_valid_group_name(group), "Group name not valid"
        key = self._group_key(group)
        connection = self.connection(self.consistent_hash(group))
        pipe = connection.pipeline(transaction=False)
        pipe.zremrangebyscore(key, min=0, max=int(time.time()) - self.group_expiry)
        pipe.zrange(key, 0, -1)
        _removed, members = await pipe.execute()
        channel_names = [name for name in (member.decode("utf8") for member in members) if name != exclude]
        if not channel_names:
            return
        by_connection, messages, capacities = self._map_channel_keys_to_connection(channel_names, message)
        now = time.time()
        for index, channel_keys in by_connection.items():
            args = [messages[channel_key] for channel_key in channel_keys]
            args += [capacities[channel_key] for channel_key in channel_keys]
            args += [now, self.expiry, int(now) - int(self.expiry)]
            over = await self.connection(index).eval(_SEND_SCRIPT, len(channel_keys), *channel_keys, *args)
            if over > 0:
                logger.info("%s of %s channels over capacity in group %s", over, len(channel_names), group)
