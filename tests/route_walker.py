"""The route walker's machinery: enumerating URL patterns, filling them, snapshotting, judging answers.

The tests are in tests/test_isolation_routes.py, the tables (what each parameter means, which routes are
public) in tests/route_tables/.
"""

from __future__ import annotations

import hashlib
import itertools
import os
import re
from dataclasses import dataclass

from django.apps import apps
from django.db import connection
from django.urls import Resolver404, URLPattern, URLResolver, get_resolver, resolve
from django.urls.resolvers import RoutePattern

from tests.route_tables import FILL

METHODS = ("get", "post", "put", "patch", "delete")
ADMIN_METHODS = ("get", "post")  # the admin's views treat every other method as a GET


# --- enumerating routes ----------------------------------------------------------------------------------
@dataclass
class Route:
    key: str  # the route with converters dropped: "a/<agency_slug>/report/<code>/"
    parts: list  # the pattern objects from the root
    callback: object
    params: list[str]

    @property
    def agency_route(self) -> bool:
        return "agency_slug" in self.params

    @property
    def open311(self) -> bool:
        return self.key.startswith("open311/")

    @property
    def admin(self) -> bool:
        return self.key.startswith("admin/")

    @property
    def object_params(self) -> list[str]:
        return [p for p in self.params if p not in ("agency_slug", "fmt", "app_label", "language")]


_CONVERTER = re.compile(r"<(?:\w+:)?(\w+)>")


def route_template(pattern) -> str:
    if isinstance(pattern, RoutePattern):
        return _CONVERTER.sub(r"<\1>", str(pattern._route))
    regex = pattern._regex
    out, i = [], 0
    while i < len(regex):
        if regex.startswith("(?P<", i):
            name = regex[i + 4 : regex.index(">", i)]
            depth, j = 0, i
            while True:  # skip the group, nested parentheses included
                if regex[j] == "\\":
                    j += 2
                    continue
                depth += {"(": 1, ")": -1}.get(regex[j], 0)
                j += 1
                if depth == 0:
                    break
            out.append(f"<{name}>")
            i = j
        elif regex[i] == "\\":
            out.append(regex[i + 1])
            i += 2
        elif regex[i] in "^$":
            i += 1
        else:
            out.append(regex[i])
            i += 1
    return "".join(out)


def routes() -> list[Route]:
    found = []

    def walk(patterns, prefix, parts):
        for entry in patterns:
            template = prefix + route_template(entry.pattern)
            if isinstance(entry, URLResolver):
                walk(entry.url_patterns, template, [*parts, entry])
            elif isinstance(entry, URLPattern):
                params = re.findall(r"<(\w+)>", template)
                found.append(Route(key=template, parts=[*parts, entry], callback=entry.callback, params=params))

    walk(get_resolver().url_patterns, "", [])
    return found


def fills(route, world, *, ghost: bool) -> list[dict]:
    """Every combination of B's values (or the one made-up combination) for the route's parameters."""
    axes, left = [], [p for p in route.params if p != "agency_slug"]
    for key, spec in FILL.items():
        if isinstance(key, tuple) and all(p in left for p in key):
            values, phantom = spec
            axes.append([phantom] if ghost else values(world, route))
            left = [p for p in left if p not in key]
    for name in left:
        values, phantom = FILL[name]
        axes.append([{name: phantom}] if ghost else [{name: v} for v in values(world, route)])
    combos = []
    for combo in itertools.product(*axes):
        merged = {}
        for part in combo:
            merged.update(part)
        combos.append(merged)
    return combos


def url(route, slug: str | None, values: dict) -> str:
    values = {**values, "agency_slug": slug or ""}
    url = "/" + re.sub(r"<(\w+)>", lambda m: str(values[m[1]]), route.key)
    if route.open311 and slug:
        url += f"?jurisdiction_id={slug}"
    return url


def resolves_to(route, url) -> bool:
    try:
        return resolve(url.split("?")[0]).func is route.callback
    except Resolver404:
        return False


# --- what must not change --------------------------------------------------------------------------------
def snapshot(media_root) -> dict:
    """Every table's row count and a digest of all its rows (all agencies, on purpose), and the stored files."""
    state = {}
    with connection.cursor() as cursor:
        for model in apps.get_models():
            table = model._meta.db_table
            if table in ("django_session",) or model._meta.proxy:
                continue
            digest = "SELECT count(*), md5(coalesce(string_agg(t::text, '|' ORDER BY t::text), '')) FROM {} t"
            cursor.execute(digest.format(connection.ops.quote_name(table)))
            state[table] = cursor.fetchone()
    files = []
    for root, _dirs, names in os.walk(media_root):
        for name in names:
            path = os.path.join(root, name)
            files.append((path, os.path.getsize(path)))
    state["<media>"] = hashlib.sha256(repr(sorted(files)).encode()).hexdigest()
    return state


def diff(before, after) -> list[str]:
    return [table for table in before if before[table] != after.get(table)]


# --- judging answers -------------------------------------------------------------------------------------
def login_redirect(response) -> bool:
    location = response.get("Location", "")
    return response.status_code == 302 and (
        location.startswith("/staff/login/") or location.startswith("/admin/login/")
    )


def outcome(response, values: dict) -> str:
    """The status, and where a redirect goes with the filled values blanked (to compare with a made-up id)."""
    if login_redirect(response):
        return "login"
    if response.status_code in (301, 302, 303, 307, 308):
        location = response.get("Location", "")
        for value in values.values():
            location = location.replace(str(value), "<x>")
        return f"{response.status_code} {location}"
    return str(response.status_code)


def body(response) -> str:
    if getattr(response, "streaming", False):
        return ""
    return response.content.decode("utf-8", "replace")


FORM_BODY = {
    "status": "closed",
    "to_status": "closed",
    "public_note": "hijacked",
    "internal_note": "hijacked",
    "staff_note": "hijacked",
    "note": "hijacked",
    "text": "hijacked",
    "name": "Hijacked",
    "title": "Hijacked",
    "post": "yes",
    "response": "hijacked",
    "email": "intruder@example.test",
    "confirm": "1",
    "action": "close",
}
JSON_BODY = {"title": "Hijacked", "audience": "public", "answers": {}, "status": "closed"}


def send(client, method, url):
    if method == "get":
        return client.get(url)
    if method == "post":
        return client.post(url, FORM_BODY)
    if method == "delete":
        return client.delete(url)
    return getattr(client, method)(url, JSON_BODY, content_type="application/json")


def allowed(route, outcome: str, *, anonymous: bool) -> bool:
    if outcome in ("404", "405"):
        return True
    if route.admin:  # the admin refuses before it looks (403 without the model permission, redirects)
        return not outcome.startswith("2")
    return anonymous and outcome in ("login", "401", "403")


# --- sockets ---------------------------------------------------------------------------------------------
def socket_application():
    from channels.routing import URLRouter

    from portal.routing import websocket_urlpatterns

    return URLRouter(websocket_urlpatterns)


async def connect(path: str, user=None):
    from channels.testing import WebsocketCommunicator

    communicator = WebsocketCommunicator(socket_application(), path)
    if user is not None:
        communicator.scope["user"] = user
    connected, code = await communicator.connect(timeout=10)
    return communicator, connected, code


async def closed_with(communicator, connected, code) -> int | None:
    """The close code of a socket that was refused at connect or closed right after accepting."""
    if not connected:
        return code
    while True:
        output = await communicator.receive_output(timeout=5)
        if output["type"] == "websocket.close":
            return output.get("code")


async def inbox_answers(communicator, frame_type, conversation_id, *, wait: float) -> list:
    """The inbox's answer (type, code) or None to `frame_type` naming B's conversation, then a made-up one."""
    from tests.isolation_world import ghost_uuid

    answers = []
    for target in (conversation_id, ghost_uuid()):
        await communicator.send_json_to({"type": frame_type, "conversation_id": target, "text": "hijacked"})
        answer = None
        if not await communicator.receive_nothing(timeout=wait):
            answer = await communicator.receive_json_from(timeout=5)
            answer = (answer.get("type"), answer.get("code"))
        answers.append(answer)
    return answers
