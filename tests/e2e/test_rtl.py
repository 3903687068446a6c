"""In a real browser: an Arabic page and its chat widget are laid out right to left (the style sheets use
logical properties, so the layout mirrors), and the chat's own words are Arabic."""

import os

import pytest

pytestmark = pytest.mark.e2e
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # Playwright's sync API runs an event loop


def test_arabic_chat_page_mirrors(live_asgi, arabic_agency, browser, tmp_path):
    context = browser.new_context(locale="ar", viewport={"width": 1000, "height": 900})
    context.add_cookies([{"name": "django_language", "value": "ar", "url": live_asgi.url}])
    page = context.new_page()
    try:
        page.goto(live_asgi.url + "/a/alpha/chat/")
        assert page.evaluate("document.documentElement.dir") == "rtl"
        assert page.locator(".cd-chat").get_attribute("dir") == "rtl"
        page.locator(".cd-connection:empty").wait_for(state="attached")
        box = page.get_by_label("رسالتك")  # "Your message"
        box.fill("Hi")
        box.press("Enter")
        bot = page.locator(".cd-msg--bot", has_text="مرحبًا! أنا المساعد الافتراضي")
        bot.wait_for()
        page.get_by_role("button", name="طرح سؤال").wait_for()  # the menu's "Ask a question"
        # Each button takes its own label's direction: a related question offered from an English FAQ
        # ("When is my trash collected?") keeps its question mark at its end in the mirrored panel.
        assert set(page.locator(".cd-quick").evaluate_all("bs => bs.map(b => b.dir)")) == {"auto"}
        citizen = page.locator(".cd-msg--citizen").first.bounding_box()
        answer = bot.bounding_box()
        # Mirrored: the citizen's bubble sits on the left, the assistant's on the right.
        assert citizen["x"] < answer["x"]
        assert answer["x"] + answer["width"] > citizen["x"] + citizen["width"]
        # The header mirrors too: the site name is on the right half of the page.
        brand = page.locator(".brand").bounding_box()
        assert brand["x"] > 500
        page.screenshot(path=str(tmp_path / "chat-ar.png"), full_page=True)
    finally:
        context.close()


def test_a_left_to_right_page_stays_left_to_right(live_asgi, arabic_agency, page):
    page.goto(live_asgi.url + "/a/alpha/chat/")
    assert page.evaluate("document.documentElement.dir") == "ltr"
    assert page.locator(".cd-chat").get_attribute("dir") == "ltr"
    brand = page.locator(".brand").bounding_box()
    assert brand["x"] < 300


def test_the_widget_follows_the_conversation_language(live_asgi, agency_a, page, tmp_path):
    """An English page: a Chinese greeting turns the widget's own words Chinese, Arabic mirrors the panel,
    and an English message turns both back (each bot message names its language; the catalogue is fetched)."""
    agency_a.languages = ["en", "zh-hans", "ar"]
    agency_a.full_clean()
    agency_a.save()
    page.goto(live_asgi.url + "/a/alpha/chat/")
    page.locator(".cd-connection:empty").wait_for(state="attached")
    chat = page.locator(".cd-chat")
    box = page.locator(".cd-composer textarea")
    assert box.get_attribute("placeholder") == "Type your message…"

    box.fill("你好")
    box.press("Enter")
    page.locator(".cd-msg--bot .cd-speaker", has_text="虚拟助手").wait_for()
    page.locator(".cd-send", has_text="发送").wait_for()
    assert chat.get_attribute("lang") == "zh-hans" and chat.get_attribute("dir") == "ltr"
    assert box.get_attribute("placeholder") != "Type your message…"

    box.fill("مرحبا، أحتاج إلى مساعدة")
    box.press("Enter")
    page.locator(".cd-chat[dir='rtl']").wait_for()
    assert chat.get_attribute("lang") == "ar"
    page.screenshot(path=str(tmp_path / "widget-follows-ar.png"), full_page=True)

    box.fill("Hello, I need some help please")
    box.press("Enter")
    page.locator(".cd-chat[dir='ltr']").wait_for()
    page.locator(".cd-send", has_text="Send").wait_for()
    # Every message's speaker follows, the earlier ones too (tests/e2e/test_chat_speakers.py).
    assert page.locator(".cd-msg--bot .cd-speaker").last.inner_text() == "Assistant"
    assert page.locator(".cd-msg--bot .cd-speaker").first.inner_text() == "Assistant"


# In the page's text and in its buttons: where "+1" and the last group of the number are drawn.
_NUMBER_ORDER = """
(number) => {
  const out = [];
  const walker = document.createTreeWalker(document.querySelector("main"), NodeFilter.SHOW_TEXT);
  let node;
  while ((node = walker.nextNode())) {
    const at = node.textContent.indexOf(number);
    if (at < 0) continue;
    const first = document.createRange(), last = document.createRange();
    first.setStart(node, at); first.setEnd(node, at + 2);
    last.setStart(node, at + number.length - 4); last.setEnd(node, at + number.length);
    out.push([node.parentElement.closest("p, a").className, first.getBoundingClientRect().x, last.getBoundingClientRect().x]);
  }
  return out;
}
"""


def test_a_phone_number_in_an_arabic_refusal_reads_left_to_right(live_asgi, arabic_agency, browser, tmp_path):
    """In Arabic, "+1 217 555 0100" after Arabic words was drawn "0100 555 217 +1" (its digits and the spaces
    between them took the sentence's direction), in the "I don't know" text and on the "Call" button alike."""
    arabic_agency.contact_phone = "+1 217 555 0100"
    arabic_agency.save(update_fields=["contact_phone"])
    context = browser.new_context(locale="ar", viewport={"width": 1000, "height": 900})
    context.add_cookies([{"name": "django_language", "value": "ar", "url": live_asgi.url}])
    page = context.new_page()
    try:
        page.goto(live_asgi.url + "/a/alpha/ask/")
        page.fill("input[name=question]", "كيف أتبنى قطة من الملجأ؟")  # nothing in the knowledge base answers it
        page.click("form.panel button[type=submit]")
        page.locator(".kb-answer-text").wait_for()
        placed = page.evaluate(_NUMBER_ORDER, "+1 217 555 0100")
        page.screenshot(path=str(tmp_path / "ask-ar-refusal.png"), full_page=True)
    finally:
        context.close()
    assert {kind for kind, _first, _last in placed} >= {"kb-answer-text", "button secondary"}
    assert all(first < last for _kind, first, last in placed), placed


def test_an_arabic_voter_registration_is_arabic_and_right_to_left(live_asgi, arabic_agency, browser, tmp_path):
    """Issue 19: the demo's voter form in Arabic (its questions, options and Yes/No), laid out right to left;
    a street address typed in Latin letters takes its own direction ("1 Main St" stays left to right instead
    of showing as "Main St 1"; the other boxes follow the page, so an Arabic name is typed from the right)."""
    from registrations.demo import install_form
    from tenants.context import agency_context

    arabic_agency.languages = ["en", "es", "zh-hans", "fr", "vi", "ko", "ar", "de"]
    arabic_agency.save(update_fields=["languages"])
    with agency_context(arabic_agency):
        install_form(arabic_agency, "voter-registration")
    context = browser.new_context(locale="ar", viewport={"width": 1000, "height": 1000})
    context.add_cookies([{"name": "django_language", "value": "ar", "url": live_asgi.url}])
    page = context.new_page()
    try:
        page.goto(live_asgi.url + "/a/alpha/register/voter-registration/")
        assert page.evaluate("document.documentElement.dir") == "rtl"
        page.get_by_role("heading", name="تسجيل الناخبين").first.wait_for()
        page.get_by_role("button", name="البدء الآن").click()
        page.get_by_role("heading", name="هل يحق لك التسجيل؟").wait_for()
        citizen = page.get_by_role("group", name="هل أنت مواطن أمريكي؟")
        citizen.get_by_label("نعم").check()
        page.get_by_label("تاريخ الميلاد").fill("1990-03-27")
        page.get_by_role("group", name="هل تسكن في مدينة سبرينغفيلد؟").get_by_label("نعم").check()
        page.get_by_role("button", name="متابعة").click()

        page.get_by_role("heading", name="معلوماتك").wait_for()
        page.get_by_label("الاسم القانوني الكامل").fill("ليلى حداد")
        page.get_by_role("radio", name="رقم الضمان الاجتماعي").check()
        page.get_by_role("textbox", name="رقم الضمان الاجتماعي").fill("123-45-6789")
        page.get_by_role("button", name="متابعة").click()

        page.get_by_role("heading", name="مكان سكنك").wait_for()
        street = page.locator("input[name$='line1']").first
        street.fill("1 Main St")
        assert street.evaluate("el => el.matches(':dir(ltr)')")
        # The question sits on the right half of the page, its text starting at the right edge.
        label = page.get_by_text("عنوان السكن", exact=True).first.bounding_box()
        assert label["x"] + label["width"] > 900
        page.screenshot(path=str(tmp_path / "voter-ar.png"), full_page=True)
    finally:
        context.close()


_LINK_ORDER = """
(links) => links.map((a) => {
  const text = a.firstChild;
  const at = (i) => { const r = document.createRange(); r.setStart(text, i); r.setEnd(text, i + 1); return r.getBoundingClientRect().x; };
  const s = text.textContent;
  return [s, at(0) < at(1), at(s.indexOf("?")) < at(s.indexOf("?") + 1)];
})
"""


def test_a_link_in_an_arabic_sentence_reads_left_to_right(live_asgi, arabic_agency, staff_a, browser, tmp_path):
    """Seen on make run (the widget on another site, an Arabic citizen): "يمكنك تتبّعه هنا: /a/springfield/track/?
    reference=SPR-2026-000011" was drawn "a/springfield/track/?/reference=…", the path's slashes taking the
    sentence's direction; in the agent's Arabic inbox too. Each link is isolated left to right."""
    from django.test import Client

    text = "يمكنك تتبّعه هنا: /a/alpha/track/?reference=ALP-2026-000123 شكرا"
    context = browser.new_context(locale="ar", viewport={"width": 1000, "height": 900})
    context.add_cookies([{"name": "django_language", "value": "ar", "url": live_asgi.url}])
    client = Client()
    client.force_login(staff_a["agent"], backend="django.contrib.auth.backends.ModelBackend")
    staff = browser.new_context(locale="ar", viewport={"width": 1200, "height": 900})
    staff.add_cookies(
        [
            {"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_asgi.url},
            {"name": "django_language", "value": "ar", "url": live_asgi.url},
        ]
    )
    try:
        page = context.new_page()
        page.goto(live_asgi.url + "/a/alpha/chat/")
        page.locator(".cd-connection:empty").wait_for(state="attached")
        box = page.get_by_label("رسالتك")
        box.fill(text)
        box.press("Enter")
        link = page.locator(".cd-msg--citizen[data-seq] .cd-text a", has_text="/a/alpha/track/")
        link.wait_for()
        page.screenshot(path=str(tmp_path / "chat-ar-link.png"))
        assert link.evaluate_all(_LINK_ORDER) == [["/a/alpha/track/?reference=ALP-2026-000123", True, True]]

        box.fill("أريد التحدث مع موظف")
        box.press("Enter")
        page.locator(".cd-msg--bot").nth(1).wait_for()
        console = staff.new_page()
        console.goto(live_asgi.url + "/a/alpha/staff/inbox/")
        console.locator("#queue button").first.click()
        shown = console.locator("#transcript .role-citizen .text a", has_text="/a/alpha/track/")
        shown.wait_for()
        console.screenshot(path=str(tmp_path / "inbox-ar-link.png"))
        assert console.evaluate("document.documentElement.dir") == "rtl"
        assert shown.evaluate_all(_LINK_ORDER) == [["/a/alpha/track/?reference=ALP-2026-000123", True, True]]
    finally:
        context.close()
        staff.close()


_LAST_PERIOD = """(text) => {
  const p = [...document.querySelectorAll('.cd-msg--bot .cd-text')].find(node => node.textContent.includes(text));
  const node = [...p.childNodes].find(child => child.nodeType === 3 && child.textContent.includes(text));
  const at = node.textContent.indexOf(text) + text.length;
  const rect = (from, to) => { const r = document.createRange(); r.setStart(node, from); r.setEnd(node, to);
    return r.getBoundingClientRect(); };
  return {period: rect(at - 1, at).left, word: rect(at - 4, at - 1).left, right: p.getBoundingClientRect().right};
}"""


def test_an_english_answer_under_an_arabic_note_keeps_its_own_direction(arabic_chat_showing, tmp_path):
    """Found by the session-21 walk: an Arabic question answered from an English passage shows the Arabic note ("This
    answer is only available in English.") above the English text in one message; the whole message took the note's
    direction, and the English paragraph's closing period was drawn at its left ("…by the end of the day" with "."
    before "the curb"). Each paragraph of a message now takes its own direction."""
    english = "Put carts at the curb by 6:00 a.m. on collection day and bring them back in by the end of the day."
    page = arabic_chat_showing(f"هذه الإجابة متاحة باللغة الإنجليزية فقط.\n\n{english}", "by the end of the day")
    placed = page.evaluate(_LAST_PERIOD, "end of the day.")
    page.screenshot(path=str(tmp_path / "chat-ar-english-answer.png"), full_page=True)
    assert placed["period"] > placed["word"], placed  # "day." reads left to right, its period after "day"
