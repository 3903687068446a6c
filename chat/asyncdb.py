"""Run ORM code from the consumers on a pool of threads.

Channels' `database_sync_to_async` runs everything on one shared thread, so one slow bot turn (an LLM
call) would stall every socket of the process. Chat work is independent per conversation, so it
runs on its own thread pool (`CHAT_THREADS`, default 16), each thread with its own database
connection, closed around each call when stale (as Channels does; CONN_MAX_AGE applies). Context
variables (the tenant scope, the audit actor) are copied into the thread.
"""

import os
from concurrent.futures import ThreadPoolExecutor

from asgiref.sync import SyncToAsync
from django import db as django_db

# The event loop thread shares the GIL with these threads: web processes shorten the switch interval at
# start (`core.process.tune`) so the sockets stay responsive while a turn runs Python code.
_executor = ThreadPoolExecutor(max_workers=int(os.environ.get("CHAT_THREADS", "16")), thread_name_prefix="chat")


class _PooledDatabaseSyncToAsync(SyncToAsync):
    def thread_handler(self, loop, *args, **kwargs):
        django_db.close_old_connections()
        try:
            return super().thread_handler(loop, *args, **kwargs)
        finally:
            django_db.close_old_connections()


def db(func):
    return _PooledDatabaseSyncToAsync(func, thread_sensitive=False, executor=_executor)
