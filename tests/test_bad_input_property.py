"""Property: no text a client can send makes a representative set of endpoints answer 5xx, and no frame
drops a socket. Hypothesis draws arbitrary text, with NUL, unpaired surrogates, control characters,
calendar extremes and deep JSON mixed in; the edges (core/input_guard.py) must turn the bad ones into
clear 4xx answers or error frames. Bounded: few examples per property, the whole file in well under a
minute."""

import asyncio
import json
from urllib.parse import quote

import pytest
from django.test import Client
from hypothesis import HealthCheck, given
from hypothesis import settings as hsettings
from hypothesis import strategies as st

from requests_app.services import OnDuplicate, Reporter, service_request_create
from tenants.context import agency_context
from tests.requests_app.conftest import LAT, LONG, make_catalogue

BOUNDED = hsettings(
    max_examples=12,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    derandomize=True,
)

NASTY = st.sampled_from(
    [
        "\x00",
        "\ud800",
        "\udfff",
        "\ud83d",
        "9999-12-31",
        "0001-01-01",
        "-1",
        "¥",
        "%00",
        "'",
        "../",
        "\u2028",
        "x" * 300,
    ]
)
TEXT = st.one_of(
    st.text(max_size=30),
    NASTY,
    st.builds(lambda a, b, c: a + b + c, st.text(max_size=8), NASTY, st.text(max_size=8)),
    st.text(alphabet=st.characters(categories=["Cs", "Cc"]), max_size=6),
)


def deep_json(levels: int) -> str:
    return "[" * levels + "]" * levels


JSON_VALUE = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(), TEXT),
    lambda children: st.one_of(st.lists(children, max_size=3), st.dictionaries(TEXT, children, max_size=3)),
    max_leaves=8,
)


def q(value: str) -> str:
    """Percent-encode exactly what a client could put on the wire (a lone surrogate: its raw bytes)."""
    return quote(value.encode("utf-8", "surrogatepass"), safe="")


def form_body(data: dict[str, str]) -> str:
    return "&".join(f"{q(key)}={q(value)}" for key, value in data.items())


def json_body(value) -> str:
    return json.dumps(value)  # escapes surrogates and NUL as \\uXXXX, as a browser's JSON.stringify does


@pytest.fixture
def world(agency_a, agency_b, staff_a, settings, tmp_path):
    from registrations.demo import install_form

    settings.MEDIA_ROOT = tmp_path / "media"
    settings.KNOWLEDGE_EMBEDDER = "none"
    settings.KNOWLEDGE_MULTILINGUAL_EMBEDDER = "none"
    settings.LLM_BASE_URL = None
    make_catalogue(agency_a)
    with agency_context(agency_a):
        install_form(agency_a, "voter-registration")
        request = service_request_create(
            agency=agency_a,
            category="pothole",
            description="Deep hole",
            lat=LAT,
            long=LONG,
            attributes={"size": "large"},
            on_duplicate=OnDuplicate.FILE,
            reporter=Reporter(email="ann@example.com"),
        ).request
    staff = Client()
    staff.force_login(staff_a["admin"], backend="django.contrib.auth.backends.ModelBackend")
    return {"anonymous": Client(), "staff": staff, "reference": request.reference}


def assert_no_server_error(response, what):
    assert response.status_code < 500, (what, response.status_code, response.content[:300])


@BOUNDED
@given(value=TEXT, other=TEXT)
def test_query_strings_and_paths_never_give_a_server_error(world, value, other):
    anonymous, staff, ref = world["anonymous"], world["staff"], world["reference"]
    v, o = q(value), q(other)
    for client, url in (
        (anonymous, f"/?q={v}"),
        (anonymous, f"/api/v1/agencies/?search={v}"),
        (anonymous, f"/a/alpha/track/?reference={v}"),
        (anonymous, f"/api/v1/a/alpha/status/{v or 'x'}/"),
        (anonymous, f"/a/alpha/requests/map/?category={v}"),
        (anonymous, f"/api/v1/a/alpha/requests/nearby/?service_code={v}&lat={o}&long={v}"),
        (anonymous, f"/open311/v2/requests.json?jurisdiction_id=alpha&service_code={v}&status={o}"),
        (anonymous, f"/open311/v2/requests.json?jurisdiction_id=alpha&start_date={v}&end_date={o}"),
        (anonymous, f"/open311/v2/requests/{v or 'x'}.json?jurisdiction_id=alpha"),
        (anonymous, f"/open311/v2/services/{v or 'x'}.xml?jurisdiction_id={o}"),
        (anonymous, f"/open311/v2/tokens/{v or 'x'}.json?jurisdiction_id=alpha"),
        (staff, f"/a/alpha/staff/requests/?q={v}&status={o}&category={v}&department={o}&older_than_days={v}"),
        (staff, f"/a/alpha/staff/requests/{v or 'x'}/"),
        (staff, f"/a/alpha/staff/requests/{ref}/?tab={v}"),
        (staff, f"/a/alpha/staff/registrations/?q={v}&status={o}&form={v}"),
        (staff, f"/a/alpha/staff/registrations/{v or 'x'}/"),
        (staff, f"/a/alpha/staff/knowledge/?q={v}"),
        (staff, f"/a/alpha/staff/audit/?q={v}&page={o}"),
        (staff, f"/api/v1/a/alpha/knowledge/documents/?search={v}&tag={o}&limit={v}"),
    ):
        assert_no_server_error(client.get(url), url)


@BOUNDED
@given(value=TEXT, other=TEXT)
def test_form_fields_never_give_a_server_error(world, value, other):
    staff, ref = world["staff"], world["reference"]
    for url, data in (
        (f"/a/alpha/staff/requests/{ref}/note/", {"public_note": value, "internal_note": other}),
        (f"/a/alpha/staff/requests/{ref}/status/", {"to_status": value, "public_note": other}),
        (f"/a/alpha/staff/requests/{ref}/assign/", {"assignee": value, "department": other}),
        (f"/a/alpha/staff/requests/{ref}/merge/", {"into": value}),
        ("/a/alpha/staff/registrations/forms/voter-registration/", {"action": "retire", "version": value}),
        ("/a/alpha/staff/registrations/forms/new/", {"slug": value, "title": other}),
        ("/a/alpha/report/pothole/", {"description": value, "address": other, "lat": value, "long": other}),
        ("/api/v1/a/alpha/knowledge/documents/", {"title": value, "content": other, "tags": value}),
    ):
        response = staff.post(url, form_body(data), content_type="application/x-www-form-urlencoded")
        assert_no_server_error(response, url)


@BOUNDED
@given(value=JSON_VALUE, question=TEXT, depth=st.integers(min_value=1, max_value=3000))
def test_json_bodies_never_give_a_server_error(world, value, question, depth):
    anonymous, staff = world["anonymous"], world["staff"]
    for client, url, body in (
        (anonymous, "/api/v1/a/alpha/ask/", json_body({"question": question, "language": value})),
        (anonymous, "/api/v1/a/alpha/ask/", json_body(value)),
        (anonymous, "/api/v1/a/alpha/ask/", '{"question": ' + deep_json(depth) + "}"),
        (staff, "/api/v1/a/alpha/knowledge/search/", json_body({"question": question, "language": "de"})),
        (staff, "/api/v1/a/alpha/knowledge/documents/", json_body({"title": question, "tags": value})),
        (anonymous, "/api/v1/a/alpha/forms/voter-registration/submissions/", json_body({"answers": value})),
        (staff, "/a/alpha/staff/registrations/forms/voter-registration/preview/", deep_json(depth)),
        (staff, "/a/alpha/staff/registrations/forms/voter-registration/preview/", json_body(value)),
    ):
        assert_no_server_error(client.post(url, body, content_type="application/json"), url)
    preview = "/a/alpha/staff/registrations/forms/voter-registration/preview/"
    assert_no_server_error(staff.post(preview, deep_json(depth), content_type="text/plain"), preview)


FRAME = st.one_of(
    st.builds(lambda text, cid: {"type": "message", "text": text, "client_msg_id": cid}, TEXT, TEXT),
    st.builds(lambda value: {"type": "action", "value": value}, TEXT),
    st.builds(lambda kind, value: {"type": kind, "value": value}, TEXT, JSON_VALUE),
)


async def _socket_survives(communicator, frames: list[str]) -> None:
    from tests.chat.conftest import frames_until

    for frame in frames:
        await communicator.send_to(text_data=frame)
    await communicator.send_json_to({"type": "ping"})
    # Every frame answered (an error, an echo, a reply, a rate limit); the socket is still open: the ping
    # is answered, or refused as a rate limit, and nothing closed it (a close fails receive_json_from).
    await frames_until(
        communicator,
        lambda f: f["type"] == "pong" or f.get("code") == "rate_limited",
        timeout=20,
        skip=(),
    )


@pytest.mark.django_db(transaction=True)
@hsettings(
    max_examples=4,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    derandomize=True,
)
@given(
    frames=st.lists(
        st.one_of(FRAME.map(json_body), st.integers(1, 200).map(deep_json), TEXT.filter(bool)), min_size=1, max_size=6
    )
)
def test_citizen_and_inbox_sockets_survive_any_frame(agency_a, staff_a, settings, frames):
    from tests.chat.conftest import citizen, staff_socket

    settings.KNOWLEDGE_EMBEDDER = "none"
    settings.KNOWLEDGE_MULTILINGUAL_EMBEDDER = "none"
    settings.LLM_BASE_URL = None

    async def run():
        chat, _hello = await citizen("alpha")
        await _socket_survives(chat, frames)
        await chat.disconnect()
        inbox, connected, _code = await staff_socket("alpha", staff_a["agent"])
        assert connected
        await inbox.receive_json_from(timeout=10)
        await _socket_survives(inbox, frames)
        await inbox.disconnect()

    asyncio.run(run())
