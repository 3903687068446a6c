"""A local HTTP server publishing CAP documents and an Atom feed of them (the outside feed we cannot reach)."""

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class FeedServer:
    def __init__(self):
        self.documents: dict[str, bytes] = {}  # path → body
        self.hits: list[str] = []
        server = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def do_GET(self):
                server.hits.append(self.path)
                body = server.documents.get(self.path)
                if body is None:
                    self.send_response(404)
                    self.end_headers()
                    return
                self.send_response(200)
                self.send_header("Content-Type", "application/xml")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def stop(self):
        self.httpd.shutdown()
        self.httpd.server_close()


def cap_alert(
    identifier="NWS-1",
    sender="w-nws.webmaster@noaa.gov",
    severity="Severe",
    msg_type="Alert",
    polygon="39.0,-89.0 39.0,-88.9 39.1,-88.9 39.1,-89.0 39.0,-89.0",
    signed=False,
) -> str:
    signature = (
        '<Signature xmlns="http://www.w3.org/2000/09/xmldsig#"><SignedInfo/><SignatureValue>x</SignatureValue></Signature>'
        if signed
        else ""
    )
    return f"""<alert xmlns="urn:oasis:names:tc:emergency:cap:1.2">
  <identifier>{identifier}</identifier><sender>{sender}</sender><sent>2026-12-05T01:00:00-06:00</sent>
  <status>Actual</status><msgType>{msg_type}</msgType><scope>Public</scope>
  <info><language>en-US</language><category>Met</category><event>Flash Flood Warning</event>
    <urgency>Immediate</urgency><severity>{severity}</severity><certainty>Observed</certainty>
    <headline>Flash Flood Warning for Sangamon County</headline>
    <instruction>Move to higher ground now.</instruction>
    <area><areaDesc>Sangamon</areaDesc><polygon>{polygon}</polygon></area></info>{signature}
</alert>"""


def atom(*alerts: str) -> bytes:
    entries = "".join(
        f"<entry><id>urn:x:{i}</id><title>t</title><updated>2026-12-05T07:00:00Z</updated>"
        f'<content type="application/cap+xml">{a}</content></entry>'
        for i, a in enumerate(alerts)
    )
    return (
        '<?xml version="1.0" encoding="UTF-8"?><feed xmlns="http://www.w3.org/2005/Atom"><id>urn:feed</id>'
        f"<title>NWS</title><updated>2026-12-05T07:00:00Z</updated>{entries}</feed>"
    ).encode()
