import os
import shutil

import pytest

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")


@pytest.fixture(scope="module")
def browser():
    # Module scope: Playwright's sync API holds an event loop open while it runs, which would break
    # asyncio-based tests collected after the browser tests.
    if not shutil.which(CHROMIUM):
        if os.environ.get("CIVICDESK_REQUIRE_BROWSER") == "1":
            pytest.fail(f"Chromium is required at {CHROMIUM} (apt-get install chromium)")
        pytest.skip(f"Chromium not installed at {CHROMIUM}")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-dev-shm-usage",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
                "--disable-quic",
            ],
        )
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(locale="en-US")
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def arabic_agency(agency_a):
    agency_a.languages = ["en", "ar"]
    agency_a.full_clean()
    agency_a.save()
    return agency_a


@pytest.fixture
def arabic_chat_showing(live_asgi, arabic_agency, browser):
    """`show(text, waiting_for)`: the Arabic chat page after the citizen says hello and the bot posts `text`,
    reloaded until a bot message holding `waiting_for` is drawn (the page, its context closed after the test)."""
    from chat import services
    from chat.engine.types import BotReply
    from chat.models import Conversation
    from tenants.context import agency_context

    context = browser.new_context(locale="ar", viewport={"width": 900, "height": 900})
    context.add_cookies([{"name": "django_language", "value": "ar", "url": live_asgi.url}])

    def show(text: str, waiting_for: str):
        page = context.new_page()
        page.goto(live_asgi.url + "/a/alpha/chat/")
        page.locator(".cd-connection:empty").wait_for(state="attached")
        box = page.get_by_label("رسالتك")
        box.fill("مرحبا")
        box.press("Enter")
        page.locator(".cd-msg--bot").first.wait_for()
        with agency_context(arabic_agency):
            conversation = Conversation.objects.for_agency(arabic_agency).get()
            services.bot_reply_post(
                agency=arabic_agency,
                conversation_id=conversation.pk,
                reply_to_seq=None,
                reply=BotReply(text=text, decision={"language": "ar"}),
            )
        page.reload()
        page.locator(".cd-msg--bot", has_text=waiting_for).wait_for()
        return page

    yield show
    context.close()
