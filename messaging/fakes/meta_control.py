"""The control API of the fake Graph API (`manage.py provider_server whatsapp|messenger`): what the person's phone
does (say, press, photo, location), failures to play, and a message's statuses on demand. Mixed into `FakeMeta`."""

from __future__ import annotations


class MetaControl:
    def _control_person(self, data: dict, what: dict) -> dict:
        product = "messenger" if data.get("psid") else "whatsapp"
        if data.get("product"):
            product = str(data["product"])
        try:
            account = self.account(product, str(data.get("account") or ""))
        except (KeyError, ValueError):
            return {"error": f"no {product} account {data.get('account') or ''} here"}
        if not account.hook_url:
            return {"error": "no webhook URL for this account (provider_server --hook-url)"}
        person = {k: str(data[k]) for k in ("phone", "user_id", "name", "psid") if data.get(k)}
        if not (person.get("phone") or person.get("user_id") or person.get("psid")):
            return {"error": "say who writes: phone and/or user_id (WhatsApp) or psid (Messenger)"}
        response, external_id = self.person_says(account, person, what)
        return {"status": response.status_code, "id": external_id}

    def control_fail_after(
        self, to: str = "", code: int = 131026, title: str = "", times: int | None = None, **_ignored
    ):
        """Messages to `to` (a wa_id or a user id) are accepted, then reported `failed` with WhatsApp error `code`
        (code 0: delivered again); with `times`, only that many of them."""
        with self.lock:
            if int(code):
                self.failing[str(to)] = (int(code), title or f"Error {code}", int(times) if times else None)
            else:
                self.failing.pop(str(to), None)
            return {"failing": {key: value[0] for key, value in self.failing.items()}}

    def control_report(self, message_id: str, statuses: list[str] | None = None, **_ignored) -> dict:
        """Post what Meta posts about a message it took: a WhatsApp message's statuses (sent and delivered unless
        `statuses` says which), a Messenger message's echo and delivery (`echo`, `delivered`)."""
        if not any(c.get("id") == message_id for c in self.sent()):
            return {"error": f"no message {message_id} here"}
        return {"answers": self.report(str(message_id), *(statuses or ()))}

    def control_say(self, text: str, **person) -> dict:
        return self._control_person(person, {"text": text})

    def control_press(self, value: str, title: str = "", **person) -> dict:
        return self._control_person(person, {"button": (value, title or value), "list": person.pop("list", False)})

    def control_photo(self, caption: str = "", **person) -> dict:
        return self._control_person(person, {"image": True, "caption": caption})

    def control_location(self, latitude: float, longitude: float, **person) -> dict:
        return self._control_person(person, {"location": (float(latitude), float(longitude))})
