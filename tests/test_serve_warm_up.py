"""A web process builds the chat's intent layer before it listens: built at the first message instead, the first
message each process read (a citizen's, or the staff's "try a message") waited 4-8 s on make run."""

import uvicorn

from chat.engine import registry, semantic
from portal import serve


def test_the_web_process_warms_the_intent_layer_before_it_serves(monkeypatch):
    order = []
    monkeypatch.setattr(semantic, "warm_up", lambda: order.append("warm"))
    monkeypatch.setattr(serve, "listening_socket", lambda host, port: order.append("listen"))
    monkeypatch.setattr(uvicorn.Server, "run", lambda self, sockets=None: order.append("serve"))
    for name in ("collect", "freeze", "set_threshold"):  # the test process keeps its own collector settings
        monkeypatch.setattr(serve.gc, name, lambda *args: None)
    serve.main(["--port", "8999"])
    assert order == ["warm", "listen", "serve"]
    order.clear()
    serve.main(["--port", "8999", "--no-warm-up"])
    assert order == ["listen", "serve"]


def test_warming_builds_the_spaces_once():
    semantic.reset()
    semantic.warm_up()
    assert list(semantic._spaces) == [semantic._spaces_key()]
    assert semantic._spaces_key()[0] == registry.registry_version()
    built = semantic._spaces[semantic._spaces_key()]
    semantic.warm_up()
    assert semantic._spaces == {semantic._spaces_key(): built}  # not built again
