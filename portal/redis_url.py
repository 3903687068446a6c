"""The Redis databases CivicDesk uses, derived from one `REDIS_URL`.

The cache, the channel layer and the Celery broker each need a database of their own (the cache's
`clear()` empties its whole database). `REDIS_URL` names the server and, optionally, the first of
them: `redis://host:6379` (no number) means databases 1, 2 and 3, as always; `redis://host:6379/4` (or
`?db=4`, or `unix:///run/redis.sock?db=4`) means 4, 5 and 6. Tests use a broker of their own two
databases further on (first + 4), the benchmarks one six further on (first + 6), so a `make run`
worker never takes their tasks. A URL that cannot work (an unknown scheme, a database that is not a
number, or one past the server's 16) is refused at start with one line saying why.
"""

from __future__ import annotations

from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from django.core.exceptions import ImproperlyConfigured

DEFAULT_FIRST = 1  # no number in the URL: databases 1, 2, 3 (0 stays free for other tools)
REDIS_DATABASES = 16  # Redis's default `databases` setting
OFFSETS = {"cache": 0, "channels": 1, "broker": 2, "test_broker": 4, "bench_broker": 6}
SCHEMES = ("redis", "rediss", "unix")


def _split(url: str):
    parts = urlsplit(url)
    if parts.scheme not in SCHEMES:
        raise ImproperlyConfigured(
            f"REDIS_URL must start with redis://, rediss:// or unix:// (got {url.split(':', 1)[0]!r})."
        )
    query = parse_qsl(parts.query, keep_blank_values=True)
    numbers = [value for key, value in query if key == "db"]
    if parts.scheme != "unix":
        path = parts.path.strip("/")
        if path:
            numbers.append(path)
    if len(numbers) > 1:
        raise ImproperlyConfigured("REDIS_URL names its database twice (path and ?db=); give it once.")
    return parts, [(key, value) for key, value in query if key != "db"], numbers[0] if numbers else None


def first_database(url: str) -> int:
    """The first database CivicDesk uses on the server of `url`."""
    _parts, _query, number = _split(url)
    if number is None:
        return DEFAULT_FIRST
    if not number.isdigit():
        raise ImproperlyConfigured(f"REDIS_URL's database must be a number, e.g. redis://host:6379/4 (got {number!r}).")
    return int(number)


def database_url(url: str, role: str) -> str:
    """`url` pointed at the database of `role` (see OFFSETS), or ImproperlyConfigured if it cannot exist."""
    first = first_database(url)
    database = first + OFFSETS[role]
    if database >= REDIS_DATABASES:
        highest = REDIS_DATABASES - 1 - OFFSETS[role]
        raise ImproperlyConfigured(
            f"REDIS_URL starts at database {first}, so the {role.replace('_', ' ')} would need database {database}; "
            f"a Redis server has {REDIS_DATABASES} (0-{REDIS_DATABASES - 1}). Use a database number from 0 to "
            f"{highest}, or none (databases {DEFAULT_FIRST}-{DEFAULT_FIRST + OFFSETS['broker']})."
        )
    parts, query, _number = _split(url)
    if parts.scheme == "unix":
        return f"unix://{parts.netloc}{parts.path}?{urlencode([*query, ('db', str(database))])}"
    return urlunsplit(parts._replace(path=f"/{database}", query=urlencode(query)))
