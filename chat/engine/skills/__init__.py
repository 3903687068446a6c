"""The skills this app ships: greeting menu, knowledge-base answers, handoff, feedback, status."""


def register_builtin_skills() -> None:
    from chat.engine.registry import register_skill
    from chat.engine.skills.answer import AnswerSkill
    from chat.engine.skills.feedback import FeedbackSkill
    from chat.engine.skills.greeting import GreetingSkill, ThanksSkill
    from chat.engine.skills.handoff import HandoffSkill
    from chat.engine.skills.status import CheckStatusSkill

    for skill in (GreetingSkill(), AnswerSkill(), CheckStatusSkill(), HandoffSkill(), FeedbackSkill(), ThanksSkill()):
        register_skill(skill)
