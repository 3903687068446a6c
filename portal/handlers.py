"""The HTTP handler: Django's ASGI handler, with the sync middleware chain and view run in one
thread hop per request, on reused threads.

Django's own ASGI handler builds an async middleware chain. Our views and most middleware are
sync, so each request went loop → thread (the outer sync middleware) → loop (an async-capable
middleware, `_get_response_async`) → the same thread (the view), and every request started and
stopped a new thread (`ThreadSensitiveContext()` makes a one-thread executor per request). Here the
chain is built in sync mode, as under WSGI, and runs with one `sync_to_async` call; each request
borrows an idle single-thread executor (the thread-sensitive context keeps a request's sync code
on one thread, so its database connection is its own) and gives it back afterwards.

Messaging webhooks (/hooks/) go through a chain of their own, `settings.HOOK_MIDDLEWARE`: a provider's
signed delivery uses no session, locale, CSRF, login, messages, audit actor or lockout, and the
acknowledgement must be fast (`messaging.hook_middleware`).

WebSockets do not come through here (Channels routes them to the consumers).
"""

from concurrent.futures import ThreadPoolExecutor

from asgiref.sync import ThreadSensitiveContext, sync_to_async
from django.conf import settings
from django.core.handlers.asgi import ASGIHandler
from django.core.handlers.base import BaseHandler
from django.core.handlers.exception import convert_exception_to_response
from django.utils.module_loading import import_string

HOOK_PREFIX = "/hooks/"


def hook_handler() -> BaseHandler:
    """A handler whose chain is `settings.HOOK_MIDDLEWARE` (the webhooks'), built as Django's
    `load_middleware` builds a sync chain (those middleware are all sync and always used)."""
    handler = BaseHandler()
    handler._view_middleware, handler._template_response_middleware, handler._exception_middleware = [], [], []
    get_response = convert_exception_to_response(handler._get_response)
    for path in reversed(settings.HOOK_MIDDLEWARE):
        middleware = import_string(path)(get_response)
        if hasattr(middleware, "process_view"):
            handler._view_middleware.insert(0, middleware.process_view)
        if hasattr(middleware, "process_template_response"):
            handler._template_response_middleware.append(middleware.process_template_response)
        if hasattr(middleware, "process_exception"):
            handler._exception_middleware.append(middleware.process_exception)
        get_response = convert_exception_to_response(middleware)
    handler._middleware_chain = get_response
    return handler


class PooledThreadASGIHandler(ASGIHandler):
    max_idle = 64  # threads kept for reuse; a burst beyond it gets threads that end afterwards

    def __init__(self):
        BaseHandler.__init__(self)
        self.load_middleware(is_async=False)
        self._hooks = hook_handler()
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
        handler = self._hooks if request.path_info.startswith(HOOK_PREFIX) else self
        return await sync_to_async(handler.get_response, thread_sensitive=True)(request)


def get_application() -> PooledThreadASGIHandler:
    import django

    django.setup(set_prefix=False)
    return PooledThreadASGIHandler()
