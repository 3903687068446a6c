"""How soon the chat widget is ready on another site, in a real browser (Chromium via Playwright).

    .venv/bin/python bench/chat/widget_load.py --portal http://127.0.0.1:8483 \\
        --variant new=/static/chat/widget.js --variant old=/static/chat/widget-legacy.js [--loads 10] [--agency springfield]

Each load is a fresh browser context (empty cache, no stored conversation) opening a page on another origin
(a local HTTP server on 127.0.0.1's other name, `localhost`) that carries the one-tag embed of a variant's
script. The page itself times, from the start of navigation (`performance.now()`): *bubble* — the launcher is
in the page (the widget booted); *connected* — the socket's hello arrived after the launcher was clicked (the
page clicks it the moment it appears); *greeting* — the assistant's first message after "Hi" was sent (sent the
moment the socket is connected). The variants alternate load by load (ABAB…, the order flipped every other
round). Prints each load and the median / min / max per variant. Then the median of the per-round differences
against the first variant, and the load average at the start and the end. The variants are script paths on the
portal: to compare an old widget with the served one, copy the old file into STATIC_ROOT under another name before
starting the server (whitenoise serves what STATIC_ROOT holds at start). Session 19's three:

    git show 15450fa^:static/chat/widget.js > var/staticfiles/chat/widget-legacy.js   # the single file
    cp static/chat/widget.js var/staticfiles/chat/widget-parts.js                    # the entry loading its parts
    # (and their .gz, as collectstatic makes: whitenoise.compress.Compressor().compress(path)); then make run and
    ... --variant old=/static/chat/widget-legacy.js --variant parts=/static/chat/widget-parts.js \\
        --variant bundle=/static/chat/widget.js --loads 20
"""

import argparse
import os
import statistics
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from playwright.sync_api import sync_playwright

TIMINGS = """
(() => {
  const t = {};
  window.__widgetTimes = t;
  const seen = new MutationObserver(() => {
    const launcher = document.querySelector(".cd-launcher");
    if (launcher && t.bubble === undefined) { t.bubble = performance.now(); launcher.click(); }
    const connection = document.querySelector(".cd-connection");
    if (t.bubble !== undefined && t.connected === undefined && connection && connection.textContent === "") {
      t.connected = performance.now();
      document.querySelector(".cd-composer textarea").value = "Hi";
      document.querySelector(".cd-composer").requestSubmit();
    }
    if (t.greeting === undefined && document.querySelector(".cd-msg--bot")) {
      t.greeting = performance.now();
      seen.disconnect();
    }
  });
  seen.observe(document, { subtree: true, childList: true, characterData: true });
})();
"""
PHASES = ("bubble", "connected", "greeting")


class EmbeddingSite:
    """Serves /<variant> as a page embedding that variant's script with one tag."""

    def __init__(self, portal: str, variants: dict[str, str], agency: str):
        pages = {
            name: (
                "<!doctype html><html lang='en'><head><title>Another site</title></head><body><h1>Another site</h1>"
                f"<script src='{portal}{path}' data-agency='{agency}' defer></script></body></html>"
            ).encode()
            for name, path in variants.items()
        }

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def do_GET(self):
                body = pages.get(self.path.strip("/"))
                self.send_response(200 if body else 404)
                self.send_header("Content-Type", "text/html; charset=utf-8")
                self.end_headers()
                self.wfile.write(body or b"")

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()
        self.url = f"http://localhost:{self.httpd.server_address[1]}/"


def one_load(browser, url: str) -> dict[str, float]:
    context = browser.new_context(locale="en-US")
    try:
        page = context.new_page()
        page.add_init_script(TIMINGS)
        page.goto(url)
        page.wait_for_function("window.__widgetTimes && window.__widgetTimes.greeting !== undefined", timeout=60_000)
        return page.evaluate("window.__widgetTimes")
    finally:
        context.close()


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--portal", required=True, help="the portal's origin, e.g. http://127.0.0.1:8483")
    parser.add_argument("--variant", action="append", required=True, help="name=/static/path/to/widget.js")
    parser.add_argument("--loads", type=int, default=10, help="loads per variant")
    parser.add_argument("--agency", default="springfield")
    parser.add_argument("--chromium", default="/usr/bin/chromium")
    args = parser.parse_args()
    variants = dict(item.split("=", 1) for item in args.variant)
    site = EmbeddingSite(args.portal.rstrip("/"), variants, args.agency)
    results: dict[str, list[dict[str, float]]] = {name: [] for name in variants}
    start_load = os.getloadavg()
    names = list(variants)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=args.chromium, args=["--no-sandbox", "--disable-gpu"])
        one_load(browser, site.url + names[0])  # warm the server and the browser; not counted
        for round_ in range(args.loads):
            for name in names if round_ % 2 == 0 else names[::-1]:
                times = one_load(browser, site.url + name)
                results[name].append(times)
                print(name, " ".join(f"{phase}={times[phase]:.0f}" for phase in PHASES), flush=True)
                time.sleep(0.2)
        browser.close()
    site.httpd.shutdown()
    print("\nms from navigation start, median (min-max) over", args.loads, "loads each")
    for name in names:
        cells = []
        for phase in PHASES:
            values = [times[phase] for times in results[name]]
            cells.append(f"{phase} {statistics.median(values):.0f} ({min(values):.0f}-{max(values):.0f})")
        print(f"{name:8}", " | ".join(cells))
    # The loads of one round ran next to each other, under much the same load: their differences are less
    # noisy than the difference of the medians.
    for name in names[1:]:
        cells = []
        for phase in PHASES:
            deltas = [mine[phase] - first[phase] for mine, first in zip(results[name], results[names[0]], strict=True)]
            cells.append(f"{phase} {statistics.median(deltas):+.1f}")
        print(f"{name} - {names[0]}, median of the per-round differences:", " | ".join(cells))
    print(
        "load average (1, 5, 15 min): start {:.2f} {:.2f} {:.2f}, end {:.2f} {:.2f} {:.2f}".format(
            *start_load, *os.getloadavg()
        )
    )


if __name__ == "__main__":
    main()
