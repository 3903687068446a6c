"""The skill registry: the plug-in point for everything the assistant can do.

A skill serves one intent. Apps register theirs in `AppConfig.ready()`:

    from chat.engine.registry import Skill, register_skill

    class ReportProblemSkill(Skill):
        name = "report_problem"
        label = _("Report a problem")
        description = "The citizen wants to report a problem such as a pothole or a broken street light."
        menu_order = 20
        examples = {"en": ["report a pothole", …], "es": […], "zh-hans": […]}
        keywords = {"en": ["pothole", "broken"], …}

        def handle(self, turn):
            …
            return turn.reply(text, actions=[…], state={"step": "location", …})   # keep going
            return turn.reply(text)                                              # done

    register_skill(ReportProblemSkill())

A skill that runs a multi-turn flow returns `state=` (JSON-serialisable); the conversation keeps it in
`Conversation.skill_state` and routes the citizen's next message to the same skill with
`turn.state` set, until the skill returns no state (done) or the citizen cancels ("cancel", "menu").
`handle` returning None means "not mine": the engine routes the message as if no flow were running.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.utils.translation import gettext_lazy

from chat.engine.types import BotReply, Turn, quick_reply

if TYPE_CHECKING:
    from tenants.models import Agency


class Skill:
    name: str = ""
    label = gettext_lazy("Skill")
    description: str = ""  # for the LLM's tool list
    parameters: dict = {"type": "object", "properties": {}}  # JSON schema of the tool's arguments
    examples: dict[str, list[str]] = {}
    keywords: dict[str, list[str]] = {}
    max_words: int | None = None  # longer messages are never this intent (e.g. a greeting)
    keyword_max_words: int | None = None  # keywords count only in messages up to this many words
    # Keywords that name the purpose whatever the topic (asking for a person, asking after something sent, a
    # salutation): they count even beside an example that shares the topic closely, short of a strong match
    # ("checking on the report I made about the pothole" is near "report a pothole"), and decide over the
    # encoder's nearest example (`chat.understanding`). Tried before the skill's `keywords`.
    purpose_keywords: dict[str, list[str]] = {}
    negated_purpose = False  # True: a purpose keyword right after a negation does not count (`chat.engine.negation`)
    # False: a request to act, never a question about its topic ("how long does it take to fix a
    # pothole?" is not a report) unless the question names the act itself (`request_words`: "how do I
    # report a pothole?").
    questions: bool = True
    request_words: dict[str, list[str]] = {}
    # With `questions` False: a long message that tells its matter and then asks ("There's a huge pothole on Elm and
    # my tire blew out on it. Can you send someone?") may be this intent all the same (`intents.asks_about_a_topic`).
    asked_after_telling = False
    # With `questions` False: a question about the way its act is done (anonymously, without an account, by phone:
    # `question_words.MANNER`) is a question about it, even naming the act ("can I report graffiti anonymously?").
    asked_how = False
    # Words that name the intent itself ("complaint", "Lob", "投诉"), matched as whole words, as word
    # beginnings with a trailing * ("complain*"), Han text anywhere: a statement that names it is this intent when the semantic layer is unsure
    # (`chat.understanding.classify`); a question about it is not ("how do I file a complaint?").
    cues: dict[str, list[str]] = {}
    menu_order: int | None = None  # shown in the greeting menu when not None
    events: tuple[str, ...] = ()  # conversation events this skill may speak up on (see `on_event`)
    after_close = False  # its replies in a closed conversation leave it closed (the rating)

    def available(self, agency: Agency) -> bool:
        return True

    def handle(self, turn: Turn) -> BotReply | None:
        raise NotImplementedError

    def on_event(self, event: str, turn: Turn) -> BotReply | None:
        """Something happened to the conversation that no citizen message caused (`turn.message` is
        None), e.g. `"closed"` by an agent. Return a reply to say something (with `state=` to start a
        flow), or None. The engine asks each skill listing `event` in `events`; the first reply wins."""
        return None

    def menu_action(self) -> dict:
        return quick_reply(self.label, self.name)


_skills: dict[str, Skill] = {}
_version = 0


def register_skill(skill: Skill) -> None:
    global _version
    if not skill.name:
        raise ValueError("A skill needs a name (its intent).")
    _skills[skill.name] = skill
    _version += 1


def unregister_skill(name: str) -> None:
    global _version
    _skills.pop(name, None)
    _version += 1


def get_skill(name: str) -> Skill | None:
    return _skills.get(name)


def all_skills() -> list[Skill]:
    return list(_skills.values())


def registry_version() -> int:
    return _version


def menu(agency: Agency) -> list[Skill]:
    entries = [skill for skill in _skills.values() if skill.menu_order is not None and skill.available(agency)]
    return sorted(entries, key=lambda skill: skill.menu_order)
