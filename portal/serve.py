"""One web server process: uvicorn serving the ASGI app on its own listening socket (SO_REUSEPORT).

`runstack` starts `WEB_WORKERS` of these on the same port. With uvicorn's own `--workers` all processes
accept from one shared socket, and whichever is awake takes the next connection: a burst of chat sockets
landed 800 on one worker and 200 on the other, which then ran out of CPU while the first idled
(bench/chat/RESULTS.md). WebSockets stay for the whole conversation, so that imbalance lasted. With a
socket per process the kernel spreads new connections evenly over the processes.

    python -m portal.serve --host 127.0.0.1 --port 8000
"""

from __future__ import annotations

import argparse
import gc
import logging
import socket

import uvicorn

logger = logging.getLogger("uvicorn.error")


WEB_GC_THRESHOLD = (20_000, 20, 20)


def listening_socket(host: str, port: int) -> socket.socket:
    family, kind, proto, _name, address = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)[0]
    sock = socket.socket(family, kind, proto)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
    sock.bind(address)
    return sock


def port_is_free(host: str, port: int) -> bool:
    """True unless something already listens there (a socket without SO_REUSEPORT cannot join theirs)."""
    family, kind, proto, _name, address = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)[0]
    with socket.socket(family, kind, proto) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind(address)
        except OSError:
            return False
    return True


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8000)
    parser.add_argument("--ws-max-size", type=int, default=1024 * 1024)
    parser.add_argument(
        "--no-warm-up", dest="warm_up", action="store_false", help="Build the intent layer at the first message."
    )
    args = parser.parse_args(argv)
    from portal.asgi import application  # here, not at the top: runstack imports this module too

    if args.warm_up:
        from chat.engine.semantic import warm_up

        warm_up()  # before the freeze below: the intent layer's arrays live as long as the process
        from knowledge.retrieval.crosslingual import warm_up_dictionaries

        warm_up_dictionaries()  # the dictionaries of answers across languages, likewise
        from knowledge.embedders.e5 import e5_embedder

        e5_embedder()  # e5's second look across languages (~1 s to load), not at a citizen's first such question

    # Everything loaded so far (Django, the app, the libraries) lives as long as the process: move it out
    # of the garbage collector's sight, and collect young objects less often. Under chat load the
    # collector spent up to 0.6 s of every 10 s in each web process walking ~250,000 long-lived
    # objects; after this, at most 0.1 s (bench/chat/RESULTS.md).
    gc.collect()
    gc.freeze()
    gc.set_threshold(*WEB_GC_THRESHOLD)
    config = uvicorn.Config(
        application,
        host=args.host,
        port=args.port,
        ws_max_size=args.ws_max_size,
        # Chat frames are small: compressing each costs more CPU than it saves bytes, and every socket's
        # compression state costs memory.
        ws_per_message_deflate=False,
        timeout_graceful_shutdown=5,
        lifespan="off",
        access_log=False,
    )
    sock = listening_socket(args.host, args.port)
    logger.info("Web process serving http://%s:%d", args.host, args.port)
    uvicorn.Server(config).run(sockets=[sock])


if __name__ == "__main__":
    main()
