"""The registration flow engine: plain Python, no Django.

Definitions (JSON) are validated and parsed by `load_definition`; a `Flow` runs one form for one
person, step by step (web) or question by question (chat). Runners live outside this package:
`registrations.views.wizard` (web) and `chat.engine.forms.FormSkill` (chat: reports, registrations).
"""

from registrations.engine.conditions import evaluate
from registrations.engine.definition import DEFINITION_SCHEMA
from registrations.engine.display import display_value, mask_value
from registrations.engine.fields import clean_value
from registrations.engine.flow import Flow
from registrations.engine.i18n import LANGUAGES, FieldError, localize, message, normalize_language
from registrations.engine.parsing import parse_text
from registrations.engine.questions import parse_command, review_command
from registrations.engine.rules import prune, validate_submission, visible_fields, visible_steps
from registrations.engine.schema import (
    DefinitionError,
    FieldSpec,
    FormSpec,
    StepSpec,
    load_definition,
)
from registrations.engine.state import CONFIRMED, REVIEW, STEPS, FlowState, Question, SummaryItem, SummarySection
from registrations.engine.validators import IDENTIFIERS, check_identifier

__all__ = [
    "CONFIRMED",
    "DEFINITION_SCHEMA",
    "IDENTIFIERS",
    "LANGUAGES",
    "REVIEW",
    "STEPS",
    "DefinitionError",
    "FieldError",
    "FieldSpec",
    "Flow",
    "FlowState",
    "FormSpec",
    "Question",
    "StepSpec",
    "SummaryItem",
    "SummarySection",
    "check_identifier",
    "clean_value",
    "display_value",
    "evaluate",
    "load_definition",
    "localize",
    "mask_value",
    "message",
    "normalize_language",
    "parse_command",
    "parse_text",
    "prune",
    "review_command",
    "validate_submission",
    "visible_fields",
    "visible_steps",
]
