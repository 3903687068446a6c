"""In a real browser: the widget answers with a citation link (embedded on another site, too, whatever order
its parts arrive in); an agent takes over from the console and the citizen sees the reply; HTML in messages
stays text everywhere."""

import os
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client

from tests.chat.conftest import publish_document

pytestmark = pytest.mark.e2e
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # Playwright's sync API runs an event loop

TRASH = (
    "Trash and recycling pickup. Trash is collected every Monday morning. Put carts at the curb by 6 a.m. "
    "Recycling is collected every other Thursday."
)
SCRIPT = "<script>window.pwned = 1</script><b>bold?</b>"
# The widget's parts (static/chat/widget.js loads each of them from beside itself).
PARTS = sorted(path.name for path in (Path(settings.BASE_DIR) / "static" / "chat" / "widget").glob("*.js"))


@pytest.fixture
def knowledge_a(agency_a, settings):
    settings.KNOWLEDGE_EMBEDDER = "none"
    settings.LLM_BASE_URL = None
    settings.LLM_MODEL = None
    return publish_document(
        agency_a, title="Trash and recycling", content=TRASH, source_url="https://alpha.example/trash"
    )


def _ask(page, text):
    box = page.get_by_label("Your message")
    box.fill(text)
    box.press("Enter")


def test_widget_answers_with_a_citation_link(live_asgi, knowledge_a, page, tmp_path):
    page.goto(live_asgi.url + "/a/alpha/chat/")
    page.locator(".cd-connection:empty").wait_for(state="attached")
    log = page.get_by_role("log", name="Conversation")
    assert log.get_attribute("aria-live") == "polite"
    _ask(page, "When is trash collected?")
    link = page.locator(".cd-msg--bot .cd-sources a:not(.cd-passage)")  # the title link (then "Read the whole passage")
    link.wait_for()
    assert link.get_attribute("href") == "https://alpha.example/trash"
    assert "Trash and recycling" in link.inner_text()
    assert "Monday" in page.locator(".cd-msg--bot .cd-text").last.inner_text()
    assert page.locator(".cd-msg--citizen .cd-text").inner_text() == "When is trash collected?"

    # HTML typed by the citizen is shown as text and never runs.
    _ask(page, SCRIPT)
    page.locator(".cd-msg--citizen .cd-text", has_text="window.pwned").wait_for()
    assert page.locator(".cd-msg--citizen .cd-text").last.inner_text() == SCRIPT
    assert page.evaluate("window.pwned") is None
    assert page.locator(".cd-log b").count() == 0

    # Reload: the conversation comes back from the server, each message once.
    page.reload()
    page.locator(".cd-msg--citizen", has_text="When is trash collected?").wait_for()
    page.locator(".cd-msg--citizen", has_text="window.pwned").wait_for()
    page.wait_for_timeout(300)
    assert page.locator(".cd-msg--citizen").count() == 2
    page.screenshot(path=str(tmp_path / "chat-answer.png"))


class _OtherSite:
    """A page on another origin that embeds the widget with one script tag."""

    def __init__(self, script_src: str, csp: str = ""):
        body = (
            "<!doctype html><html lang='en'><head><title>Springfield news</title></head><body>"
            f"<h1>Another site</h1><script src='{script_src}' data-agency='alpha' defer></script></body></html>"
        ).encode()

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def do_GET(self):
                self.send_response(200)
                self.send_header("Content-Type", "text/html; charset=utf-8")
                if csp:
                    self.send_header("Content-Security-Policy", csp)
                self.end_headers()
                self.wfile.write(body)

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()
        self.url = f"http://localhost:{self.httpd.server_address[1]}/"

    def stop(self):
        self.httpd.shutdown()
        self.httpd.server_close()


def _parts_last_first(page, live_asgi):
    """Holds the widget's part requests until every file in static/chat/widget/ is asked for, then answers
    them from the portal in the reverse of the order they were asked for. Returns the names asked for."""
    asked: list[str] = []
    held = []

    def hold(route):
        asked.append(route.request.url.rsplit("/", 1)[-1])
        held.append(route)
        if len(held) == len(PARTS):
            for waiting in reversed(held):
                waiting.fulfill(response=waiting.fetch())

    page.route(live_asgi.url + "/static/chat/widget/*.js", hold)
    return asked


def test_widget_embedded_on_another_site_opens_a_bubble(live_asgi, knowledge_a, page):
    site = _OtherSite(live_asgi.url + "/static/chat/widget.js")
    asked = _parts_last_first(page, live_asgi)
    try:
        page.goto(site.url)
        bubble = page.get_by_role("button", name="Chat with us")
        bubble.wait_for()
        assert sorted(asked) == PARTS  # every part, once, from the script's own origin, though they came last first
        bubble.focus()
        page.keyboard.press("Enter")  # keyboard opens it
        assert bubble.is_hidden()
        assert page.evaluate("document.activeElement.tagName") == "TEXTAREA"
        dialog = page.get_by_role("dialog")
        _ask(page, "Hi")
        menu = dialog.get_by_role("button", name="Ask a question")
        menu.wait_for()
        menu.click()
        page.locator(".cd-msg--bot", has_text="What would you like to know").wait_for()
        _ask(page, "When is trash collected?")
        page.locator(".cd-msg--bot .cd-sources a[href='https://alpha.example/trash']").wait_for()
        page.keyboard.press("Escape")  # closes, focus back on the bubble
        assert page.evaluate("document.activeElement.textContent") == "Chat with us"
    finally:
        site.stop()


def test_a_part_that_cannot_load_leaves_the_page_alone(live_asgi, agency_a, page):
    site = _OtherSite(live_asgi.url + "/static/chat/widget.js")
    page.route(live_asgi.url + "/static/chat/widget/render.js", lambda route: route.fulfill(status=404, body="missing"))
    try:
        with page.expect_console_message(lambda message: "CivicDesk chat did not start" in message.text) as said:
            page.goto(site.url)
        assert "widget/render.js could not be loaded" in said.value.text
        assert page.locator(".cd-chat").count() == 0  # no half-built widget
        assert page.evaluate("window.CivicDeskChat") is None
    finally:
        site.stop()


def _staff_context(browser, live_asgi, user):
    client = Client()
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    context = browser.new_context(locale="en-US")
    context.add_cookies([{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_asgi.url}])
    return context


def test_agent_takes_over_and_the_citizen_sees_the_reply(
    live_asgi, knowledge_a, agency_a, staff_a, browser, page, tmp_path
):
    agent_context = _staff_context(browser, live_asgi, staff_a["agent"])
    console = agent_context.new_page()
    try:
        console.goto(live_asgi.url + "/a/alpha/staff/inbox/")
        console.locator("#console-status", has_text="Signed in as agent of alpha").wait_for()

        page.goto(live_asgi.url + "/a/alpha/chat/")
        page.locator(".cd-connection:empty").wait_for(state="attached")
        _ask(page, SCRIPT)
        _ask(page, "I want to talk to a person")
        page.locator(".cd-msg--bot", has_text="number 1 in the queue").wait_for()
        assert "Waiting for a person" in page.locator(".cd-who").inner_text()

        item = console.locator("#queue button").first
        item.wait_for()
        # The list names the channel the conversation came in on (the chat page is a web page or the widget).
        assert item.locator(".item-meta").inner_text().split(" · ")[1] in {"Web page", "Widget"}
        assert item.locator(".item-meta").inner_text().split(" · ")[2] == "English"  # the language's name, not "en"
        item.click()
        console.locator("#transcript .role-citizen", has_text="window.pwned").wait_for()
        # the citizen's HTML is text in the console too
        assert console.locator("#transcript .role-citizen .text").first.inner_text() == SCRIPT
        assert console.evaluate("window.pwned") is None
        console.get_by_role("button", name="Claim").click()
        page.locator(".cd-msg--system", has_text="agent of alpha joined").wait_for()
        # the state frame and the system line are separate frames: the header may update a moment later
        page.locator(".cd-who", has_text="You are chatting with agent of alpha").wait_for(timeout=10_000)

        console.get_by_label("Message").fill("Internal: check the permit file")
        console.get_by_role("button", name="Add internal note").click()
        console.locator("#transcript .role-note", has_text="check the permit file").wait_for()

        send = console.get_by_role("button", name="Send to citizen")
        send.wait_for()
        console.wait_for_function("!document.getElementById('send-reply').disabled")
        console.get_by_label("Message").fill("Hello, this is the agent. How can I help?")
        send.click()
        reply = page.locator(".cd-msg--agent", has_text="Hello, this is the agent")
        reply.wait_for()
        assert reply.locator(".cd-speaker").inner_text() == "agent of alpha"
        # the bot stays silent while the agent owns the conversation
        bot_messages = page.locator(".cd-msg--bot").count()
        _ask(page, "My permit number is 123")
        console.locator("#transcript .role-citizen", has_text="permit number").wait_for()
        page.wait_for_timeout(800)
        assert page.locator(".cd-msg--bot").count() == bot_messages
        assert "check the permit file" not in page.content()
        page.screenshot(path=str(tmp_path / "citizen.png"))
        console.screenshot(path=str(tmp_path / "console.png"))

        # Handed back: the console's header follows, though the conversation has left the agent's lists.
        console.get_by_role("button", name="Hand back").click()
        page.locator(".cd-who", has_text="the virtual assistant").wait_for(timeout=10_000)
        console.locator("#transcript-meta", has_text="With the assistant").wait_for(timeout=10_000)
        assert console.get_by_role("button", name="Hand back").is_hidden()
    finally:
        agent_context.close()


def test_bubble_starts_closed_and_console_hides_unavailable_actions(live_asgi, agency_a, staff_a, browser, page):
    page.goto(live_asgi.url + "/a/alpha/")
    page.add_script_tag(url=live_asgi.url + "/static/chat/widget.js")  # no data-agency: nothing happens
    assert page.locator(".cd-chat").count() == 0
    page.evaluate(
        """url => { const s = document.createElement('script'); s.src = url; s.dataset.agency = 'alpha';
                    document.body.appendChild(s); }""",
        live_asgi.url + "/static/chat/widget.js",
    )
    page.get_by_role("button", name="Chat with us").wait_for()
    assert page.locator(".cd-panel").is_hidden()

    context = _staff_context(browser, live_asgi, staff_a["agent"])
    console = context.new_page()
    try:
        console.goto(live_asgi.url + "/a/alpha/staff/inbox/")
        console.locator("#console-status", has_text="Signed in").wait_for()
        assert console.locator("#console-actions").is_hidden()
        assert console.locator("#composer").is_hidden()
    finally:
        context.close()


def test_the_assistants_buttons_are_put_out_of_reach_when_a_person_joins(live_asgi, agency_a, staff_a, page):
    """Seen on make run: after the agent joined, the handoff message's "Back to the assistant" was still live, and
    pressing it only sent its label to the agent (a conversation with a person is not left by a button)."""
    from chat import services
    from chat.models import Conversation
    from tenants.context import agency_context

    page.goto(live_asgi.url + "/a/alpha/chat/")
    page.locator(".cd-connection:empty").wait_for(state="attached")
    _ask(page, "I want to talk to a person")
    back = page.get_by_role("button", name="Back to the assistant")
    back.wait_for()
    assert back.is_enabled()
    with agency_context(agency_a):
        conversation = Conversation.objects.for_agency(agency_a).get()
        services.conversation_claim(agency=agency_a, actor=staff_a["agent"], conversation_id=conversation.pk)
    page.locator(".cd-who", has_text="You are chatting with agent of alpha").wait_for(timeout=10_000)
    assert back.is_disabled()
    page.reload()  # replayed: the agent's line puts them out of reach again
    page.locator(".cd-msg--system", has_text="joined").wait_for()
    with agency_context(agency_a):
        services.message_post_agent(agency=agency_a, actor=staff_a["agent"], conversation_id=conversation.pk, text="Hi")
    page.locator(".cd-msg--agent", has_text="Hi").wait_for()
    assert page.get_by_role("button", name="Back to the assistant").is_disabled()
