"""Bounds for the suite, so a hang fails within minutes and says where it hung.

- Every test: pytest-timeout (pyproject: `timeout`, method "thread") dumps every thread's stack and ends
  the run. Just before it fires, `AsyncioTasksDump` writes every pending asyncio task with the chain of
  awaits it is suspended in: a thread dump only shows an event loop waiting in select().
- Coroutine tests (the socket tests): their body runs under `asyncio.timeout` (a stuck await fails that
  test alone, with its traceback), and every communicator a test opened is disconnected at teardown as an
  ASGI server would (`websocket.disconnect`), then cancelled, each with a bounded wait; a consumer that
  still does not end fails the test with its stack instead of leaving pytest-asyncio's loop teardown
  (`_cancel_all_tasks`, which waits without a limit) to hang.
"""

from __future__ import annotations

import asyncio
import functools
import gc
import io
import sys
import threading

DISCONNECT_GRACE_SECONDS = 5.0
CANCEL_GRACE_SECONDS = 10.0


def bounded(func, seconds: float):
    """The coroutine function `func`, failing with TimeoutError after `seconds`."""

    @functools.wraps(func)
    async def run_bounded(*args, **kwargs):
        async with asyncio.timeout(seconds):
            return await func(*args, **kwargs)

    return run_bounded


def await_chain(task: asyncio.Task) -> list[str]:
    """Where a suspended task is: its coroutine and everything it awaits, innermost last."""
    lines, coro, depth = [], task.get_coro(), 0
    while coro is not None and depth < 50:
        frame = getattr(coro, "cr_frame", None) or getattr(coro, "gi_frame", None) or getattr(coro, "ag_frame", None)
        if frame is not None:
            lines.append(f"  {frame.f_code.co_filename}:{frame.f_lineno} in {frame.f_code.co_name}")
        awaited = (
            getattr(coro, "cr_await", None) or getattr(coro, "gi_yieldfrom", None) or getattr(coro, "ag_await", None)
        )
        if awaited is not None and frame is None and not hasattr(awaited, "cr_frame"):
            lines.append(f"  awaiting {awaited!r}")
        coro, depth = awaited, depth + 1
    waiter = getattr(task, "_fut_waiter", None)
    if waiter is not None:
        lines.append(f"  waiting for {waiter!r}")
    return lines


def describe(tasks) -> str:
    out = io.StringIO()
    for task in tasks:
        out.write(f"{task!r} (cancel requests: {task.cancelling()})\n")
        out.write("\n".join(await_chain(task)) + "\n")
    return out.getvalue()


async def close_communicators(opened: list) -> None:
    """Disconnect, then cancel, every communicator's application that is still running; fail with the
    stacks of any that do not end."""
    running = {}
    for communicator in opened:
        future = getattr(communicator, "_future", None)
        if future is None or future.done():
            continue
        running[future] = communicator
        if communicator.scope.get("type") == "websocket":
            communicator.input_queue.put_nowait({"type": "websocket.disconnect", "code": 1000})
        else:
            future.cancel()
    if not running:
        return
    _done, pending = await asyncio.wait(running, timeout=DISCONNECT_GRACE_SECONDS)
    for future in pending:
        future.cancel()
    if pending:
        _done, pending = await asyncio.wait(pending, timeout=CANCEL_GRACE_SECONDS)
    for future in running:
        if future.done() and not future.cancelled():
            future.exception()  # retrieved: an application that failed at shutdown is not this test's result
    if pending:
        report = describe(pending)
        sys.__stderr__.write(f"\nConsumers still running {CANCEL_GRACE_SECONDS:.0f} s after cancel:\n{report}\n")
        raise AssertionError(f"{len(pending)} socket application(s) did not stop when cancelled:\n{report}")


class AsyncioTasksDump:
    """Write every pending asyncio task (all loops) to stderr after `seconds`, unless cancelled."""

    def __init__(self, nodeid: str, seconds: float):
        self.nodeid = nodeid
        self.timer = threading.Timer(max(seconds, 1.0), self.dump)
        self.timer.daemon = True

    def start(self) -> AsyncioTasksDump:
        self.timer.start()
        return self

    def cancel(self) -> None:
        self.timer.cancel()

    def dump(self) -> None:
        try:
            tasks = [obj for obj in gc.get_objects() if isinstance(obj, asyncio.Task) and not obj.done()]
            report = describe(tasks) if tasks else "(none)\n"
        except Exception as error:  # a diagnostic must not fail: the timeout's own dump follows
            report = f"(could not list the tasks: {error!r})\n"
        sys.__stderr__.write(f"\n+++ {self.nodeid} is about to time out; pending asyncio tasks:\n{report}")
        sys.__stderr__.flush()
