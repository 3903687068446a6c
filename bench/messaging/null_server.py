"""A trivial HTTP server for measuring `burst.py` itself: every POST is answered 200 "ok" at once (no
Django, no database), and `GET /_control/calls` says no replies were sent. What `burst.py` measures against
it is the load generator's own cost: its acknowledgement times and how long it needs to send the burst.

    .venv/bin/python bench/messaging/null_server.py --port 8129 &
    flock /work/bench.lock .venv/bin/python bench/messaging/burst.py --state var/bench-null.json \\
        --rate 300 --seconds 60 --stall 1 --drain-timeout 1

It writes the state file `burst.py` reads (`--state`, default var/bench-null.json) with the secrets of
bench/messaging/stack.py (the signatures are computed by the generator as in a real run, never checked).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "bench" / "messaging"))

OK = b"HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 2\r\n\r\nok"
CALLS = b'{"calls": [], "total": 0}'
CALLS_ANSWER = b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: %d\r\n\r\n%s" % (
    len(CALLS),
    CALLS,
)


async def serve(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    try:
        while True:
            head = await reader.readuntil(b"\r\n\r\n")
            length = 0
            for line in head.split(b"\r\n")[1:]:
                name, _sep, value = line.partition(b":")
                if name.strip().lower() == b"content-length":
                    length = int(value.strip() or 0)
            if length:
                await reader.readexactly(length)
            writer.write(CALLS_ANSWER if head.startswith(b"GET /_control/calls") else OK)
            await writer.drain()
    except (asyncio.IncompleteReadError, ConnectionError):
        pass
    finally:
        writer.close()


async def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8129)
    parser.add_argument("--state", default=str(ROOT / "var" / "bench-null.json"))
    args = parser.parse_args()
    from stack import AGENCY, SECRETS

    base = f"http://{args.host}:{args.port}"
    state = {
        "base": base,
        "agency": AGENCY,
        "fakes": dict.fromkeys(SECRETS, base),
        "secrets": SECRETS,
        "whatsapp_phone_number_id": "106540352242922",
        "messenger_page_id": "1122334455",
        "sms_account_sid": "ACbench0001",
        "sms_number": "+15550001111",
    }
    Path(args.state).write_text(json.dumps(state, indent=2))
    server = await asyncio.start_server(serve, args.host, args.port, backlog=1024)
    print(f"null server on {base}; state in {args.state}", flush=True)
    async with server:
        await server.serve_forever()


if __name__ == "__main__":
    asyncio.run(main())
