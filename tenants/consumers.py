"""The one scoping base for agency WebSocket consumers under /ws/a/<slug>/….

It resolves the agency before anything else runs, closes with 4404 for an unknown agency, sets the
tenant context and the audit actor for every event, and does not let subclasses override the entry
points: they implement `agency_connect`, `agency_receive_json` and `agency_disconnect`.
"""

from auditlog.context import set_actor
from channels.consumer import get_handler_name
from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncJsonWebsocketConsumer

from core.input_guard import BadInput, json_loads_checked, text_check
from tenants.context import agency_context
from tenants.selectors import agency_get_public
from tenants.timezones import agency_time

CLOSE_UNKNOWN_AGENCY = 4404
CLOSE_FORBIDDEN = 4403
MAX_FRAME_BYTES = 16 * 1024

_SEALED = ("websocket_connect", "connect", "receive", "receive_json", "websocket_receive", "disconnect")


async def json_frame(consumer, text_data, bytes_data) -> dict | None:
    """The JSON object a client's frame carries, or None once `consumer.send_error` has told the client why
    not: a binary frame, one over MAX_FRAME_BYTES, NUL, unpaired surrogates (raw or as \\u escapes), nesting
    past 32 levels, invalid JSON, anything but an object. The socket stays open. Every socket reads its
    frames through this, the agency's sockets and the portal's chat alike."""
    if bytes_data is not None or text_data is None:
        await consumer.send_error("unsupported", "Send JSON text frames.")
        return None
    if len(text_data.encode("utf-8", "surrogatepass")) > MAX_FRAME_BYTES:
        await consumer.send_error("too_large", f"Frames are limited to {MAX_FRAME_BYTES} bytes.")
        return None
    try:
        text_check(text_data, "frame")
        content = json_loads_checked(text_data)
    except BadInput as error:
        await consumer.send_error(error.code, error.message)
        return None
    if not isinstance(content, dict):
        await consumer.send_error("bad_json", "Frames must be JSON objects.")
        return None
    return content


class AgencyScopedConsumer(AsyncJsonWebsocketConsumer):
    agency = None

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        for name in _SEALED:
            if name in cls.__dict__:
                raise TypeError(f"{cls.__name__} may not override {name}; implement agency_{name} hooks instead")

    @property
    def user(self):
        return self.scope.get("user")

    async def dispatch(self, message):
        # Channels' own dispatch first hops to its shared sync thread to close stale database connections,
        # for every frame and channel-layer event. These consumers touch the database only through
        # `database_sync_to_async` or `chat.asyncdb.db`, which close stale connections around each call in
        # the thread that runs it, so that hop was pure overhead on every chat message (bench/chat/RESULTS.md).
        handler = getattr(self, get_handler_name(message), None)
        if handler is None:
            raise ValueError(f"No handler for message type {message['type']}")
        await handler(message)

    async def connect(self):
        slug = self.scope["url_route"]["kwargs"].get("agency_slug", "")
        self.agency = await database_sync_to_async(agency_get_public)(slug=slug)
        if self.agency is None:
            await self.close(code=CLOSE_UNKNOWN_AGENCY)
            return
        with self._event_context():
            await self.agency_connect()

    async def receive(self, text_data=None, bytes_data=None, **kwargs):
        if self.agency is None:
            return
        content = await json_frame(self, text_data, bytes_data)
        if content is None:
            return
        with self._event_context():
            await self.agency_receive_json(content)

    async def disconnect(self, code):
        if self.agency is None:
            return
        with self._event_context():
            await self.agency_disconnect(code)

    def _event_context(self):
        return _EventContext(self)

    async def send_error(self, code: str, message: str) -> None:
        await self.send_json({"type": "error", "code": code, "message": message})

    async def agency_connect(self):
        await self.accept()

    async def agency_receive_json(self, content: dict):
        await self.send_error("unknown_type", "Unknown message type.")

    async def agency_disconnect(self, code):
        pass


class _EventContext:
    """Tenant scope plus audit actor for the duration of one socket event."""

    def __init__(self, consumer: AgencyScopedConsumer):
        self.consumer = consumer
        self._stack = []

    def __enter__(self):
        user = self.consumer.user
        agency_cm = agency_context(self.consumer.agency)
        agency_cm.__enter__()
        self._stack.append(agency_cm)
        time_cm = agency_time(self.consumer.agency)
        time_cm.__enter__()
        self._stack.append(time_cm)
        if user is not None and getattr(user, "is_authenticated", False):
            client = self.consumer.scope.get("client") or (None, None)
            actor_cm = set_actor(user, remote_addr=client[0], remote_port=client[1])
            actor_cm.__enter__()
            self._stack.append(actor_cm)
        return self

    def __exit__(self, *exc):
        while self._stack:
            self._stack.pop().__exit__(*exc)
        return False
