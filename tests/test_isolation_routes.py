"""The route walker: every URL pattern and every socket route, filled with agency B's real objects.

For each route it asks, as anonymous and as agency A's staff of every role, with every method:
- B's objects under A's slug (or A's jurisdiction) answer 404, exactly as an id that exists nowhere does;
- B's non-public pages under B's slug answer 404 (a login redirect or an API 401/403 for anonymous
  visitors: decided before anything is looked up), again exactly as a made-up id does;
- nothing changed in the database or the stored files, and no answer contains B's private text.
A positive control proves each fill reaches a real object (B's own admin, or a superuser in the admin,
gets something else than for a made-up id), so the walk cannot pass by filling in nonsense.

A new route fails `test_every_route_has_a_known_filling` until its parameters are in FILL, its public
status in PUBLIC (with a reason) or, for routes without an agency, GLOBAL: nobody has to remember.
"""

from __future__ import annotations

import itertools
import json
import logging

import pytest
from django.core.cache import cache
from django.test import Client

from tenants.models import Role
from tests import route_walker as walker
from tests.isolation_world import SECRET, build_world
from tests.route_tables import ADMIN_WITHOUT_AGENCY, FILL, GLOBAL, NO_POSITIVE_CONTROL, PUBLIC, SOCKETS


# --- the tests -------------------------------------------------------------------------------------------
def test_every_route_has_a_known_filling():
    problems = []
    keys = set()
    for route in walker.routes():
        keys.add(route.key)
        missing = [p for p in route.params if p not in FILL and not any(p in k for k in FILL if isinstance(k, tuple))]
        if missing:
            problems.append(f"{route.key}: no way to fill {missing}; add them to FILL")
        if not (route.agency_route or route.open311 or route.admin or route.key in GLOBAL):
            problems.append(f"{route.key}: outside any agency; say in GLOBAL why it shows nothing of one agency")
    for table, name in ((PUBLIC, "PUBLIC"), (GLOBAL, "GLOBAL"), (NO_POSITIVE_CONTROL, "NO_POSITIVE_CONTROL")):
        problems += [f"{name} names a route that no longer exists: {key}" for key in table if key not in keys]
    assert not problems, "\n".join(problems)


def test_socket_routes_are_known():
    from portal.routing import websocket_urlpatterns

    found = {walker.route_template(p.pattern) for p in websocket_urlpatterns}
    assert found == set(SOCKETS), (
        f"socket routes changed: add them to SOCKETS with their frames: {found ^ set(SOCKETS)}"
    )


@pytest.fixture
def world(agency_a, agency_b, staff_a, staff_b, settings, tmp_path, django_capture_on_commit_callbacks):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.KNOWLEDGE_EMBEDDER = "none"
    settings.LLM_BASE_URL = None
    from requests_app import selectors
    from requests_app.services.keys import api_key_cache_clear

    selectors.caches_clear()
    api_key_cache_clear()
    return build_world(agency_b, staff_b, django_capture_on_commit_callbacks)


@pytest.fixture
def quiet_requests():
    """Thousands of expected 404s and 405s: keep django.request's warnings out of the output."""
    logger = logging.getLogger("django.request")
    level = logger.level
    logger.setLevel(logging.ERROR)
    yield
    logger.setLevel(level)


def _clients(staff_a):
    clients = {"anonymous": Client()}
    for role in Role.values:
        client = Client()
        client.force_login(staff_a[role], backend="django.contrib.auth.backends.ModelBackend")
        clients[f"A-{role}"] = client
    return clients


# Every route x every role x every method, with a fingerprint of every table after each request: under
# row-level security each statement also carries the agency (set_config), and the walk took 254 s (setup +
# call) against main's 143 s on this shared machine (load 10-18), over the suite's 300 s at load 18.
@pytest.mark.timeout(600)
def test_http_routes_show_nothing_of_agency_b(world, staff_a, staff_b, superuser, settings, quiet_requests):
    clients = _clients(staff_a)
    owners = {"B-admin": staff_b["admin"], "B-supervisor": staff_b["supervisor"], "superuser": superuser}
    for name, user in owners.items():
        owners[name] = Client()
        owners[name].force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    media = settings.MEDIA_ROOT
    problems: list[str] = []
    walked = 0

    def check(route, url, ghost_url, values, ghost_values, *, who, client, method):
        nonlocal walked
        walked += 1
        cache.clear()  # rate limits count per client: every request starts afresh
        response = walker.send(client, method, url)
        outcome = walker.outcome(response, values)
        if response.status_code >= 500 or not walker.allowed(route, outcome, anonymous=who == "anonymous"):
            problems.append(f"{method.upper()} {url} as {who}: {outcome}")
        elif outcome != "404":
            cache.clear()
            ghost = walker.outcome(walker.send(client, method, ghost_url), ghost_values)
            if ghost != outcome:
                problems.append(
                    f"{method.upper()} {url} as {who}: {outcome}, but {ghost} for an id that does not exist"
                )
        if SECRET in walker.body(response):
            problems.append(f"{method.upper()} {url} as {who}: shows B's private text")

    def requests_for(methods):
        """GET as everyone; writes as anonymous and A's admin (the role every gate lets through). Under
        B's slug A's roles make no difference (none is a role in B): anonymous and A's admin there."""
        for method in methods:
            for who, client in clients.items():
                if who in ("anonymous", "A-admin") or method == "get":
                    yield method, who, client

    for route in walker.routes():
        before = walker.snapshot(media)
        methods = walker.ADMIN_METHODS if route.admin else walker.METHODS
        ghost_values = walker.fills(route, world, ghost=True)[0]
        if route.agency_route or route.open311:
            contexts = []
            if route.object_params:
                contexts.append("alpha")  # B's objects under A's slug
            if route.key not in PUBLIC:
                contexts.append("beta")  # B's pages without a role in B
            for slug, values, (method, who, client) in itertools.product(
                contexts, walker.fills(route, world, ghost=False), list(requests_for(methods))
            ):
                if slug == "beta" and who not in ("anonymous", "A-admin"):
                    continue
                url = walker.url(route, slug, values)
                if not walker.resolves_to(route, url):
                    continue  # a value meant for another route with this parameter name
                check(
                    route,
                    url,
                    walker.url(route, slug, ghost_values),
                    values,
                    ghost_values,
                    who=who,
                    client=client,
                    method=method,
                )
            if route.key in PUBLIC and not route.object_params:
                for who, client in clients.items():  # A's own public page: nothing of B on it
                    body = walker.body(client.get(walker.url(route, "alpha", {**ghost_values})))
                    if SECRET in body:
                        problems.append(f"{route.key} under alpha as {who}: shows B's private text")
        elif route.object_params:  # the admin's object pages, stored files
            fills = walker.fills(route, world, ghost=False)
            if not fills and "/".join(route.key.split("/")[1:3]).replace("/", ".") not in ADMIN_WITHOUT_AGENCY:
                problems.append(f"{route.key}: no object of B to walk it with; add one to the world")
            for values, (method, who, client) in itertools.product(fills, list(requests_for(methods))):
                url = walker.url(route, None, values)
                if not walker.resolves_to(route, url):
                    continue
                check(
                    route,
                    url,
                    walker.url(route, None, ghost_values),
                    values,
                    ghost_values,
                    who=who,
                    client=client,
                    method=method,
                )
        else:
            # Lists and pages without an object (the admin's changelists, the staff home, the directory):
            # walked by everyone, and B's private text must not be on them.
            for who, client in clients.items():
                url = walker.url(route, None, ghost_values)
                response = client.get(url)
                walked += 1
                if response.status_code >= 500:
                    problems.append(f"GET {url} as {who}: {response.status_code}")
                if SECRET in walker.body(response):
                    problems.append(f"GET {url} as {who}: shows B's private text")
        changed = walker.diff(before, walker.snapshot(media))
        if changed:
            problems.append(f"{route.key}: requests from outside B changed {changed}")

    # Positive control: B's own staff (the superuser in Django admin) tell B's objects from made-up ones.
    for route in walker.routes():
        if not route.object_params or route.key in NO_POSITIVE_CONTROL:
            continue
        if route.admin and route.key.endswith("/<object_id>/"):
            continue  # Django's redirect to …/change/: it looks nothing up
        if route.admin and not walker.fills(route, world, ghost=False):
            continue  # a model no agency owns (ADMIN_WITHOUT_AGENCY)
        slug = "beta" if (route.agency_route or route.open311) else None
        ghost_url = walker.url(route, slug, walker.fills(route, world, ghost=True)[0])
        seen = set()
        # B's admin, or B's supervisor (who alone may open sensitive uploads); the superuser in the admin.
        for owner, method in itertools.product(
            [owners["superuser"]] if route.admin else [owners["B-admin"], owners["B-supervisor"]], ("get", "post")
        ):
            cache.clear()
            ghost = walker.outcome(walker.send(owner, method, ghost_url), {})
            for values in walker.fills(route, world, ghost=False):
                if not walker.resolves_to(route, walker.url(route, slug, values)):
                    continue
                cache.clear()
                seen.add(
                    (method, walker.outcome(walker.send(owner, method, walker.url(route, slug, values)), {}), ghost)
                )
            if any(real != ghost for _m, real, ghost in seen):
                break
            if route.admin and {real for _m, real, _g in seen} == {"403"}:
                break  # the admin allows this to nobody (e.g. deleting transcripts or audit entries)
        else:
            problems.append(
                f"{route.key}: B's own staff cannot tell B's objects from made-up ones {sorted(seen)}; "
                "the fill reaches nothing, fix FILL"
            )
    assert walked > 1000
    assert not problems, f"{len(problems)} problems:\n" + "\n".join(problems[:200])


@pytest.mark.django_db(transaction=True)
async def test_socket_routes_show_nothing_of_agency_b(agency_a, agency_b, staff_a, staff_b, settings, tmp_path):
    from channels.db import database_sync_to_async
    from django.contrib.auth.models import AnonymousUser

    settings.MEDIA_ROOT = tmp_path / "media"
    settings.KNOWLEDGE_EMBEDDER = "none"
    settings.LLM_BASE_URL = None

    class _Commit:  # the world is built in autocommit here: on-commit work runs at once
        def __init__(self, execute=True):
            pass

        def __enter__(self):
            return []

        def __exit__(self, *exc):
            return False

    world = await database_sync_to_async(build_world)(agency_b, staff_b, _Commit)
    conversation_id = world.values["conversation"][0]
    media = settings.MEDIA_ROOT
    before = await database_sync_to_async(walker.snapshot)(media)
    problems = []
    users = {"anonymous": AnonymousUser(), **{f"A-{role}": staff_a[role] for role in Role.values}}

    # The inbox of B, for anyone without a role in B: 4404, as for an agency that does not exist.
    for who, user in users.items():
        for slug in ("beta", "no-such-agency"):
            communicator, connected, code = await walker.connect(f"/ws/a/{slug}/inbox/", user)
            closed = await walker.closed_with(communicator, connected, code)
            if closed != 4404:
                problems.append(f"inbox of {slug} as {who}: close {closed}")
            await communicator.disconnect()

    # A's inbox, as A's agents, naming B's conversation in every frame: the same "not_found" as a made-up id.
    for who in ("A-agent", "A-supervisor", "A-admin"):
        communicator, connected, _code = await walker.connect("/ws/a/alpha/inbox/", users[who])
        assert connected, who
        hello = await communicator.receive_json_from(timeout=10)
        assert conversation_id not in str(hello)
        for frame_type in SOCKETS["ws/a/<agency_slug>/inbox/"]["frames"]:
            answers = await walker.inbox_answers(communicator, frame_type, conversation_id, wait=0.5)
            if answers[0] != answers[1]:
                # A loaded machine may answer one of the two after the short wait (seen at load 20): let any late
                # answer arrive, then ask both again with a long wait before calling it a difference.
                while not await communicator.receive_nothing(timeout=2):
                    await communicator.receive_json_from(timeout=5)
                answers = await walker.inbox_answers(communicator, frame_type, conversation_id, wait=5)
            if answers[0] != answers[1] or (answers[0] is not None and answers[0][0] != "error"):
                problems.append(
                    f"inbox frame {frame_type} as {who}: {answers[0]} for B's conversation, {answers[1]} for none"
                )
        await communicator.disconnect()

    # A's chat with B's conversation token: the same refusal as an unknown token, and none of B's messages.
    for token in (world.values["chat_token"][0], "made-up-token-" + "x" * 30):
        communicator, connected, code = await walker.connect(f"/ws/a/alpha/chat/?token={token}&after_seq=0")
        frames = []
        while connected:
            output = await communicator.receive_output(timeout=5)
            if output["type"] == "websocket.close":
                code = output.get("code")
                break
            frames.append(output.get("text", ""))
        if code != 4401 or any(SECRET in frame or conversation_id in frame for frame in frames):
            problems.append(
                f"chat under alpha with {'B' if 'made-up' not in token else 'no'} token: close {code}, {frames}"
            )
        await communicator.disconnect()

    # The portal's chat asked for B's staff-only text: never answered from it.
    communicator, connected, _code = await walker.connect("/ws/chat/")
    assert connected
    await communicator.receive_json_from(timeout=10)
    await communicator.send_json_to({"type": "message", "text": "What is the overtime code?", "client_msg_id": "x"})
    seen = []
    while not await communicator.receive_nothing(timeout=3):
        seen.append(json.dumps(await communicator.receive_json_from(timeout=5)))
    if not seen or any("7731" in frame for frame in seen):
        problems.append(f"portal chat answered from B's staff-only text: {seen}")
    await communicator.disconnect()

    changed = walker.diff(before, await database_sync_to_async(walker.snapshot)(media))
    if changed:
        problems.append(f"sockets from outside B changed {changed}")
    assert not problems, "\n".join(problems)
