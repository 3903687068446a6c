"""Knowledge bases of the demo's county and state agencies, written for the demo in the style of real
agencies' public FAQ pages (fictional agencies, no real policy). Each is a list of documents in the shape
`knowledge.services.document_create` takes."""

from frontdoor.demo_knowledge.county import COUNTY
from frontdoor.demo_knowledge.state import (
    MOTOR_VEHICLES,
    NATURAL_RESOURCES,
    PUBLIC_HEALTH,
    REVENUE,
    TRANSPORTATION,
)

DOCUMENTS = {
    "revenue": REVENUE,
    "sangamon-county": COUNTY,
    "motor-vehicles": MOTOR_VEHICLES,
    "public-health": PUBLIC_HEALTH,
    "natural-resources": NATURAL_RESOURCES,
    "transportation": TRANSPORTATION,
}
