"""Helpers for chat tests: the real chat routes over the real Redis channel layer."""

import asyncio

import pytest
from channels.routing import URLRouter
from channels.testing import WebsocketCommunicator

from chat.routing import websocket_urlpatterns
from tests.conftest import only_status_providers


def chat_application():
    return URLRouter(websocket_urlpatterns)


async def citizen(
    slug: str, *, token: str | None = None, after_seq: int | None = None, channel: str = "", lang: str = ""
):
    """Connect a citizen; returns (communicator, hello frame). `lang`: what the widget sends (its page's or the
    browser's language)."""
    query = []
    if token:
        query.append(f"token={token}")
    if after_seq is not None:
        query.append(f"after_seq={after_seq}")
    if channel:
        query.append(f"channel={channel}")
    if lang:
        query.append(f"lang={lang}")
    path = f"/ws/a/{slug}/chat/" + ("?" + "&".join(query) if query else "")
    communicator = WebsocketCommunicator(chat_application(), path)
    connected, _code = await communicator.connect(timeout=10)
    assert connected
    hello = await communicator.receive_json_from(timeout=10)
    return communicator, hello


async def staff_socket(slug: str, user):
    communicator = WebsocketCommunicator(chat_application(), f"/ws/a/{slug}/inbox/")
    communicator.scope["user"] = user
    connected, code = await communicator.connect(timeout=10)
    return communicator, connected, code


async def frames_until(communicator, predicate, *, timeout: float = 10.0, skip=("typing", "delta", "state")):
    """Receive frames until one satisfies `predicate`; returns all non-skipped frames seen."""
    seen = []
    deadline = asyncio.get_running_loop().time() + timeout
    while True:
        remaining = deadline - asyncio.get_running_loop().time()
        if remaining <= 0:
            raise AssertionError(f"no matching frame; saw {seen}")
        frame = await communicator.receive_json_from(timeout=remaining)
        if frame.get("type") in skip:
            continue
        seen.append(frame)
        if predicate(frame):
            return seen


async def message_frames(communicator, count: int, *, timeout: float = 10.0) -> list[dict]:
    """The next `count` message frames (anything else is skipped)."""
    found = []
    deadline = asyncio.get_running_loop().time() + timeout
    while len(found) < count:
        remaining = deadline - asyncio.get_running_loop().time()
        if remaining <= 0:
            raise AssertionError(f"only {len(found)} of {count} messages: {found}")
        frame = await communicator.receive_json_from(timeout=remaining)
        if frame.get("type") == "message":
            found.append(frame)
    return found


async def nothing_more(communicator, *, wait: float = 0.6, types=("message",)) -> None:
    """Assert no frame of `types` arrives within `wait` seconds (without cancelling the consumer,
    which a receive timeout would do)."""
    deadline = asyncio.get_running_loop().time() + wait
    while True:
        remaining = deadline - asyncio.get_running_loop().time()
        if remaining <= 0:
            return
        if await communicator.receive_nothing(timeout=remaining):
            return
        frame = await communicator.receive_json_from(timeout=1)
        assert frame.get("type") not in types, frame


@pytest.fixture
def no_status_providers():
    with only_status_providers():
        yield


@pytest.fixture(autouse=True)
async def _settle_bot_turns():
    """A fresh channel layer per test (a test that timed out mid-receive must not poison the next
    one's event loop); bot turns outlive their socket by design: let them finish before the database
    is flushed."""
    from channels.layers import channel_layers

    channel_layers.backends.pop("default", None)
    yield
    from chat.consumers import wait_for_background

    await wait_for_background()


@pytest.fixture
def lexical_knowledge(settings):
    """Knowledge answers without the dense model (lexical + full text: fast and deterministic)."""
    settings.KNOWLEDGE_EMBEDDER = "none"
    settings.LLM_BASE_URL = None
    settings.LLM_MODEL = None


def publish_document(agency, *, title: str, content: str, source_url: str = "", language: str = "en"):
    """Create and index a knowledge document synchronously (no Celery)."""
    from django.db import transaction

    from knowledge import services as knowledge
    from tenants.context import agency_context

    with agency_context(agency), transaction.atomic():
        document = knowledge.document_create(
            agency=agency,
            actor=None,
            title=title,
            content=content,
            source_url=source_url,
            language=language,
            queue=False,
        )
        version = document.versions.get()
        knowledge.document_version_index(agency=agency, version_id=version.pk)
        return document


@pytest.fixture
def learned_intents(settings):
    """The intent layer as shipped: both encoders, the semantic and the learned detectors (fresh caches)."""
    from chat.engine import semantic

    settings.KNOWLEDGE_EMBEDDER = "minilm"
    settings.KNOWLEDGE_MULTILINGUAL_EMBEDDER = "use"
    settings.CHAT_SEMANTIC_INTENTS = True
    settings.CHAT_LEARNED_INTENTS = True
    semantic.reset()
    yield
    semantic.reset()
