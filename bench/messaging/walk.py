"""Play a citizen on one channel against `make run` and the local provider servers, and print what the
provider server received back (issue 15's end-to-end walk; not a benchmark).

The provider servers (`manage.py provider_server …`, see the README's "Messaging channels") post the
provider's real signed webhooks to the app; this script asks them to, then waits until the app's replies
stop arriving and prints each one in short: its text, its buttons, its template.

    .venv/bin/python bench/messaging/walk.py telegram say "Hi"
    .venv/bin/python bench/messaging/walk.py whatsapp press report
    .venv/bin/python bench/messaging/walk.py sms say "1"
    .venv/bin/python bench/messaging/walk.py messenger photo --caption "pothole"
    .venv/bin/python bench/messaging/walk.py whatsapp location 39.7817 -89.6501
    .venv/bin/python bench/messaging/walk.py telegram calls          # everything sent so far

Ports: --fakes telegram=8181,whatsapp=8182,messenger=8183,sms=8184 (the defaults).
"""

from __future__ import annotations

import argparse
import json
import time

import httpx

PEOPLE = {  # one person per channel, in the form each control API wants
    "telegram": {"chat_id": 4242},
    "whatsapp": {"phone": "15551230001", "name": "Walk Citizen"},
    "messenger": {"psid": "7001002003"},
    "sms": {"sender": "+15557650001"},
}


def short(kind: str, call: dict) -> str:
    """One call the app made to the provider, in a line or a few."""
    body = call.get("body") or {}
    if kind == "telegram":
        keyboard = (body.get("reply_markup") or {}).get("inline_keyboard") or []
        buttons = [f"{b.get('text')}={b.get('callback_data') or b.get('url')}" for row in keyboard for b in row]
        text = body.get("text") or body.get("caption") or ""
        return f"[{call.get('method')}] {text}" + (f"\n    buttons: {buttons}" if buttons else "")
    if kind in ("whatsapp", "messenger"):
        if kind == "whatsapp":
            kind_ = body.get("type")
            if kind_ == "text":
                return f"[text] {body['text']['body']}"
            if kind_ == "interactive":
                inter = body["interactive"]
                action = inter.get("action") or {}
                options = [f"{b['reply']['title']}={b['reply']['id']}" for b in action.get("buttons", [])]
                options += [f"{r['title']}={r['id']}" for s in action.get("sections", []) for r in s.get("rows", [])]
                return f"[interactive {inter.get('type')}] {inter.get('body', {}).get('text')}\n    options: {options}"
            if kind_ == "template":
                return f"[template] {json.dumps(body['template'], ensure_ascii=False)}"
            return f"[{kind_}] {json.dumps(body, ensure_ascii=False)[:300]}"
        message = body.get("message") or {}
        quick = [f"{q.get('title')}={q.get('payload')}" for q in message.get("quick_replies", [])]
        tag = f" tag={body.get('tag')}" if body.get("tag") else ""
        return f"[{body.get('messaging_type')}{tag}] {message.get('text')}" + (f"\n    quick: {quick}" if quick else "")
    media = body.get("MediaUrl") or []
    sender = "SMS" if call.get("method") == "Messages" else f"{call.get('method')}, not the app"  # Twilio's own
    return f"[{sender} to {body.get('To')}] {body.get('Body')}" + (f" media={media}" if media else "")


def option_title(kind: str, base: str, value: str) -> str:
    """The title of the button or quick reply carrying `value` in the newest message that offered it."""
    for call in reversed(httpx.get(f"{base}/_control/calls").json()["calls"]):
        body = call.get("body") or {}
        if kind == "messenger":
            options = [(q.get("payload"), q.get("title")) for q in (body.get("message") or {}).get("quick_replies", [])]
        else:
            action = (body.get("interactive") or {}).get("action") or {}
            options = [(b["reply"]["id"], b["reply"]["title"]) for b in action.get("buttons", [])]
            options += [(r["id"], r["title"]) for s in action.get("sections", []) for r in s.get("rows", [])]
        for option_value, title in options:
            if option_value == value:
                return str(title)
    return ""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--fakes", default="telegram=8181,whatsapp=8182,messenger=8183,sms=8184")
    parser.add_argument("--person", default="", help="JSON overriding the channel's person")
    parser.add_argument("--settle", type=float, default=4.0, help="seconds with nothing new before stopping")
    parser.add_argument("--timeout", type=float, default=40.0)
    parser.add_argument("kind", choices=sorted(PEOPLE))
    parser.add_argument("action", choices=["say", "press", "photo", "location", "calls"])
    parser.add_argument("args", nargs="*")
    parser.add_argument("--caption", default="")
    options = parser.parse_args()
    ports = dict(item.split("=") for item in options.fakes.split(","))
    base = f"http://127.0.0.1:{ports[options.kind]}"
    person = {**PEOPLE[options.kind], **(json.loads(options.person) if options.person else {})}
    total = httpx.get(f"{base}/_control/calls").json()["total"]
    if options.action == "calls":
        for call in httpx.get(f"{base}/_control/calls").json()["calls"]:
            print(short(options.kind, call))
        return
    text = " ".join(options.args)
    if options.action == "say":
        data = {**person, "text": text}
    elif options.action == "press":
        if options.kind == "telegram":
            data = {**person, "data": text}
        elif options.kind == "sms":
            data = {**person, "text": text}
        else:  # the option's title as the phone shows it (the last message that offered this value)
            data = {**person, "value": text, "title": option_title(options.kind, base, text) or text}
    elif options.action == "photo":
        data = {**person, "caption": options.caption}
        if options.kind == "sms":
            data = {**person, "text": options.caption, "photos": 1}
    else:
        latitude, longitude = (float(value) for value in options.args)
        data = {**person, "latitude": latitude, "longitude": longitude}
    action = "say" if options.kind == "sms" else options.action
    answer = httpx.post(f"{base}/_control/{action}", json=data, timeout=60).json()
    print(f"> {options.kind} {options.action} {text or options.caption}: webhook answered {answer}")
    seen, last_new, started = total, time.monotonic(), time.monotonic()
    while time.monotonic() - started < options.timeout:
        calls = httpx.get(f"{base}/_control/calls", params={"since": seen}).json()["calls"]
        for call in calls:
            if call.get("method") in ("answerCallbackQuery", "getFile"):
                continue
            print("< " + short(options.kind, call))
        if calls:
            seen += len(calls)
            last_new = time.monotonic()
        elif seen > total and time.monotonic() - last_new > options.settle:
            break
        time.sleep(0.3)
    if seen == total:
        print("< (nothing sent back)")


if __name__ == "__main__":
    main()
