"""The HTTP handler: Django's ASGI handler, with the sync middleware chain and view run in one
thread hop per request, on reused threads.

Django's own ASGI handler builds an async middleware chain. Our views and most middleware are
sync, so each request went loop → thread (the outer sync middleware) → loop (an async-capable
middleware, `_get_response_async`) → the same thread (the view), and every request started and
stopped a new thread (`ThreadSensitiveContext()` makes a one-thread executor per request). Here the
chain is built in sync mode, as under WSGI, and runs with one `sync_to_async` call; each request
borrows an idle single-thread executor (the thread-sensitive context keeps a request's sync code
on one thread, so its database connection is its own) and gives it back afterwards.

WebSockets do not come through here (Channels routes them to the consumers).
"""

from concurrent.futures import ThreadPoolExecutor

from asgiref.sync import ThreadSensitiveContext, sync_to_async
from django.core.handlers.asgi import ASGIHandler
from django.core.handlers.base import BaseHandler


class PooledThreadASGIHandler(ASGIHandler):
    max_idle = 64  # threads kept for reuse; a burst beyond it gets threads that end afterwards

    def __init__(self):
        BaseHandler.__init__(self)
        self.load_middleware(is_async=False)
        self._idle: list[ThreadPoolExecutor] = []

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            raise ValueError(f"Django can only handle ASGI/HTTP connections, not {scope['type']}.")
        executor = self._idle.pop() if self._idle else ThreadPoolExecutor(max_workers=1, thread_name_prefix="http")
        try:
            async with ThreadSensitiveContext(executor=executor):
                await self.handle(scope, receive, send)
        finally:
            if len(self._idle) < self.max_idle:
                self._idle.append(executor)
            else:
                executor.shutdown(wait=False)

    async def get_response_async(self, request):
        # BaseHandler.get_response: the sync chain, the request's closer, logging of 4xx/5xx.
        return await sync_to_async(self.get_response, thread_sensitive=True)(request)


def get_application() -> PooledThreadASGIHandler:
    import django

    django.setup(set_prefix=False)
    return PooledThreadASGIHandler()
