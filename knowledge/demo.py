"""Demo knowledge bases, written for the demo (fictional agencies; no real policy).

springfield: street repairs, trash and recycling, parks (+ a Spanish FAQ), a flood crisis notice and a
staff-only IT policy. revenue: refunds, deductions, payments, a storm tax-relief crisis notice and a
staff-only data-security policy. Idempotent: a document with the same title is left alone.
"""

import json

from knowledge import services
from knowledge.demo_faqs import TRASH_FAQ_DE, TRASH_FAQ_ES, TRASH_FAQ_ZH
from knowledge.models import Document
from tenants.context import agency_context

STREET_REPAIRS = """# Street repairs

## Reporting a pothole
Report a pothole online through Springfield Public Works, in the chat on this site, or by calling 311
(217 555 0100 from a mobile phone). Give the nearest address or intersection and, if you can, a photo.
You receive a reference number to track the repair.

## How fast potholes are fixed
A crew inspects every pothole report within two business days. Most potholes are filled within five
business days after the inspection. Potholes deeper than 10 cm on a main road are treated as hazards
and are made safe the same day, usually with a temporary cold patch that is replaced later.

## Damage to your car
If a pothole damaged your vehicle, you can file a claim with the City Clerk within 60 days. Include
the date, the exact location, repair receipts and photos. The city pays only when the pothole had been
reported before and was not repaired within a reasonable time.

## Sidewalks and curbs
Property owners keep the sidewalk in front of their property clear of snow, ice and vegetation. The city
repairs sidewalks that are raised or cracked by more than 2 cm under its 50/50 sidewalk program: the city
pays half and the owner pays half. Sign up for the program before April 1 for work in the same year.

## Street lights
Report a dark or flickering street light with the pole number (on a metal tag at eye level). Street
lights on city poles are repaired within seven days; lights on utility poles are passed to the utility,
which usually fixes them within two weeks.
"""

TRASH_FAQ = [
    {
        "question": "When is my trash collected?",
        "answer": "Trash and recycling are collected once a week on the same day. Your collection day depends "
        "on your address: enter it on the Sanitation page or ask in the chat. Put carts at the curb by 6:00 a.m. "
        "on collection day and bring them back in by the end of the day.",
    },
    {
        "question": "Is trash collected on holidays?",
        "answer": "When a holiday falls on a weekday, collection for that day and every later day of the week "
        "slides one day later. The holidays that shift collection are New Year's Day, Memorial Day, Independence "
        "Day, Labor Day, Thanksgiving and Christmas Day.",
    },
    {
        "question": "What can I put in the recycling cart?",
        "answer": "Recycle clean and dry paper, cardboard (flattened), plastic bottles and tubs numbered 1, 2 and "
        "5, metal cans and glass bottles and jars. Do not put plastic bags, food waste, garden hoses, batteries "
        "or electronics in the recycling cart. Loose items only: do not bag your recycling.",
    },
    {
        "question": "How do I get rid of a couch, mattress or other bulky items?",
        "answer": "Schedule a bulk item pickup at least three business days ahead. Each household gets two free "
        "bulk pickups a year of up to five items each; after that a pickup costs $35. Mattresses must be wrapped "
        "in plastic. Appliances with refrigerant (fridges, air conditioners) need a separate $25 freon pickup.",
    },
    {
        "question": "My cart is damaged or missing. How do I get a new one?",
        "answer": "Request a repair or replacement cart online or by calling 311. Damaged carts are repaired or "
        "replaced for free within ten business days. A larger 96-gallon trash cart costs $5 per month extra.",
    },
    {
        "question": "When is yard waste collected?",
        "answer": "Yard waste is collected weekly on your regular day from April 1 to November 30. Use paper "
        "yard-waste bags or a cart marked 'Yard Waste'. Branches must be shorter than 1.2 m and tied in bundles "
        "lighter than 20 kg. Leaves are also collected by the vacuum truck in October and November.",
    },
    {
        "question": "Where can I take batteries, paint and electronics?",
        "answer": "Take household hazardous waste such as batteries, paint, motor oil, chemicals and electronics "
        "to the Household Hazardous Waste Drop-off at 2000 N Grand Ave, open Saturdays 8:00-14:00. It is free "
        "for Springfield residents; bring proof of address.",
    },
]

PARKS_HTML = """<!DOCTYPE html><html><head><title>Parks and Forestry</title></head><body>
<nav class="site-nav"><a href="/">Home</a> | <a href="/parks">Parks</a> | <a href="/contact">Contact</a></nav>
<header class="banner"><p>City of Springfield</p></header>
<main>
<h1>Parks and Forestry</h1>
<h2>Park hours</h2>
<p>City parks are open every day from 6:00 a.m. to 10:00 p.m. Playgrounds close at dusk. Lakeside Park's
boat launch opens at 5:00 a.m. from May to September.</p>
<h2>Reserving a picnic shelter</h2>
<p>Picnic shelters can be reserved online up to twelve months ahead. A half-day reservation costs $40 and a
full day $70 for residents; non-residents pay double. Cancel at least 14 days ahead for a full refund.
Shelters that are not reserved are first come, first served.</p>
<h2>Dogs in parks</h2>
<p>Dogs are welcome on a leash no longer than 2 m. Off-leash dogs are allowed only inside the fenced dog
parks at Washington Park and Centennial Park. Pick up after your dog; bags are provided at the entrances.</p>
<h2>Swimming pools</h2>
<p>The outdoor pools at Douglas Park and Iles Park open on Memorial Day weekend and close in mid-August.
Daily admission is $4 for adults and $2 for children under 13; a season pass costs $60 for a resident
family.</p>
<h2>Trees on city property</h2>
<p>The city plants and maintains trees between the sidewalk and the street. Report a fallen branch, a dead
tree or a tree blocking a sign and a forestry crew will inspect it within ten business days. Storm damage
that blocks a street is cleared first.</p>
</main>
<footer class="footer"><p>© City of Springfield · Privacy · Accessibility</p></footer>
</body></html>"""

SPRINGFIELD_CRISIS = """# Flood emergency: road closures, sandbags and trash collection

The Sangamon River is expected to crest above flood stage this week. Springfield has opened its
Emergency Operations Center.

## Road closures
Do not drive through flooded streets: 30 cm of moving water can sweep a car away. Closed roads are marked
with barricades; the current list of closures is posted at the top of this site and updated every hour.

## Sandbags
Free sandbags are available at the Public Works yard, 2100 E Converse Ave, and at Fire Station 7, every day
from 7:00 to 19:00. Bring your own shovel; limit 25 bags per household.

## Trash and recycling during the flood
Collection continues on normal days except in closed areas, where it resumes the day after the road
reopens. Put flood-damaged items at the curb separately from trash; special debris pickups will be announced.

## Emergency help
If you are in danger, call 911. For shelter information call 211.
"""

SPRINGFIELD_STAFF = """# IT acceptable use and password policy (staff only)

## Passwords
Use a password of at least 14 characters for your city account and turn on multi-factor authentication.
Never share your password, including with IT staff. Passwords are not rotated on a schedule; change yours
immediately if you think it has been exposed.

## Reporting a security incident
Report a lost laptop or phone, a suspicious email or a possible data breach to the IT Service Desk at
extension 4357 (HELP) within one hour. Do not try to investigate yourself and do not delete the email.

## Remote work
Connect through the city VPN when working remotely. Resident data may not be stored on personal devices or
personal cloud accounts.
"""

REFUNDS_FAQ = [
    {
        "question": "Where is my refund?",
        "answer": "Use the 'Where's My Refund' service with your Social Security number, the filing status and "
        "the exact refund amount from your return. Status is updated once a day, overnight.",
    },
    {
        "question": "How long does it take to get my refund?",
        "answer": "Most refunds for returns filed electronically with direct deposit are issued within 21 days. "
        "Paper returns take 8 to 10 weeks. Returns claiming the earned income credit are not refunded before "
        "March 1, by law, so that the credit can be verified.",
    },
    {
        "question": "Why is my refund smaller than I expected?",
        "answer": "Your refund may have been reduced to pay a debt you owe: past-due state taxes, child support, "
        "a student loan in default or money owed to another state agency. You will receive a letter that "
        "explains each offset and whom to contact to dispute it.",
    },
    {
        "question": "Can I change my bank account for direct deposit after filing?",
        "answer": "No. Once the return is accepted the bank account cannot be changed. If the bank rejects the "
        "deposit because the account is closed, the department mails a paper check to the address on the return "
        "within about two weeks.",
    },
    {
        "question": "I received a refund I was not expecting. What should I do?",
        "answer": "Do not spend it. Call Individual Income Tax at 217 555 0200. If the refund was a direct "
        "deposit, the department will tell you how to return it; a paper check can be voided and mailed back.",
    },
]

DEDUCTIONS = """# Deductions and credits

## Standard exemption
Each person on the return can claim a personal exemption of $2,775 for the tax year, unless your federal
adjusted gross income is above $250,000 (single) or $500,000 (married filing jointly).

## Property tax credit
Homeowners can claim a credit of 5% of the property tax paid on their main home during the year. Keep your
property tax bill: it shows the amount paid and the parcel number requested on the schedule.

## Education expense credit
Parents of students in kindergarten through 12th grade can claim 25% of qualified education expenses above
$250, up to a credit of $750 per family. Qualified expenses are tuition, book rental and lab fees; uniforms
and sports fees do not qualify.

## Retirement income
Most retirement income is not taxed by the state: Social Security benefits, qualified pension payments and
IRA distributions can be subtracted from your income if they were included in federal adjusted gross income.

## Charitable contributions
The state does not have itemized deductions; charitable contributions reduce your state tax only through
the federal adjusted gross income where allowed.
"""

PAYMENTS = """# Paying your taxes

## Ways to pay
Pay online from a bank account for free, or by credit or debit card through the payment processor (a fee of
about 2.5% applies). You can also mail a check or money order made payable to the State Department of
Revenue, with the payment voucher.

## Payment plans
If you cannot pay in full, request an installment agreement online. Balances under $10,000 can usually be
paid over up to 24 months. Penalties stop growing while you keep the agreement, but interest continues.

## Penalties and interest
A late-payment penalty of 2% applies when tax is paid up to 30 days late, and 10% after that. Interest is
charged from the original due date. Filing on time, even when you cannot pay, avoids the late-filing penalty.

## Estimated payments
If you expect to owe more than $1,000 when you file, make quarterly estimated payments, due on April 15,
June 15, September 15 and January 15.
"""

REVENUE_CRISIS = """# Storm disaster tax relief: extended deadlines

After the severe storms and tornadoes declared a disaster by the Governor, taxpayers in the affected
counties get more time.

## Extended deadlines
Filing and payment deadlines that fall between the start of the disaster and October 31 are postponed to
November 1. This includes the annual income tax return, quarterly estimated payments and business returns.

## Who qualifies
Individuals and businesses whose address of record is in an affected county qualify automatically; you do
not need to ask. Relief workers and taxpayers whose records are in the area can call to request relief.

## Replacement records
Copies of prior-year returns are free for storm victims. Write 'STORM RELIEF' at the top of the request.
"""

REVENUE_STAFF = """# Taxpayer data security policy (staff only)

## Handling taxpayer information
Federal tax information (FTI) may only be viewed for an assigned case. Browsing records out of curiosity is
a crime and leads to dismissal. Lock your screen whenever you leave your desk.

## Email and printing
Never email full Social Security numbers; use the last four digits. Printed FTI must be shredded in the
locked consoles, never placed in recycling bins.

## Incidents
Report any suspected disclosure to the Disclosure Officer and the IT Security Office within one hour,
at extension 7300.
"""


def _documents(slug: str) -> list[dict]:
    if slug == "springfield":
        return [
            {
                "title": "Street repairs: potholes, sidewalks and street lights",
                "format": "markdown",
                "content": STREET_REPAIRS,
                "tags": ["streets", "potholes"],
                "source_url": "https://springfield.example.gov/public-works/streets",
            },
            {
                "title": "Trash and recycling FAQ",
                "format": "faq_json",
                "content": json.dumps(TRASH_FAQ),
                "tags": ["trash", "recycling"],
                "source_url": "https://springfield.example.gov/sanitation/faq",
            },
            {
                "title": "Parks and Forestry",
                "format": "html",
                "content": PARKS_HTML,
                "tags": ["parks"],
                "source_url": "https://springfield.example.gov/parks",
            },
            {
                "title": "Basura, reciclaje y baches: preguntas frecuentes",
                "format": "faq_json",
                "language": "es",
                "content": json.dumps(TRASH_FAQ_ES, ensure_ascii=False),
                "tags": ["español"],
            },
            {
                "title": "Müll, Recycling und Schlaglöcher: häufige Fragen",
                "format": "faq_json",
                "language": "de",
                "content": json.dumps(TRASH_FAQ_DE, ensure_ascii=False),
                "tags": ["deutsch"],
            },
            {
                "title": "垃圾、回收和路面坑洞：常见问题",  # noqa: RUF001
                "format": "faq_json",
                "language": "zh-hans",
                "content": json.dumps(TRASH_FAQ_ZH, ensure_ascii=False),
                "tags": ["中文"],
            },
            {
                "title": "Flood emergency information",
                "format": "markdown",
                "content": SPRINGFIELD_CRISIS,
                "is_crisis": True,
                "tags": ["emergency", "flood"],
            },
            {
                "title": "IT acceptable use and password policy",
                "format": "markdown",
                "content": SPRINGFIELD_STAFF,
                "audience": "staff",
                "tags": ["hr", "it"],
            },
        ]
    if slug == "revenue":
        return [
            {
                "title": "Refunds FAQ",
                "format": "faq_json",
                "content": json.dumps(REFUNDS_FAQ),
                "tags": ["refunds"],
                "source_url": "https://revenue.example.gov/individuals/refunds",
            },
            {
                "title": "Deductions and credits",
                "format": "markdown",
                "content": DEDUCTIONS,
                "tags": ["deductions"],
                "source_url": "https://revenue.example.gov/individuals/deductions",
            },
            {
                "title": "Paying your taxes",
                "format": "markdown",
                "content": PAYMENTS,
                "tags": ["payments"],
                "source_url": "https://revenue.example.gov/payments",
            },
            {
                "title": "Storm disaster tax relief",
                "format": "markdown",
                "content": REVENUE_CRISIS,
                "is_crisis": True,
                "tags": ["emergency"],
            },
            {
                "title": "Taxpayer data security policy",
                "format": "markdown",
                "content": REVENUE_STAFF,
                "audience": "staff",
                "tags": ["it", "security"],
            },
        ]
    return []


def seed_demo(agencies: dict) -> None:
    for slug, agency in agencies.items():
        with agency_context(agency):
            existing = set(Document.objects.for_agency(agency).values_list("title", flat=True))
            version_ids = []
            for spec in _documents(slug):
                if spec["title"] in existing:
                    continue
                document = services.document_create(agency=agency, actor=None, queue=False, **spec)
                version_ids.append(document.versions.get().pk)
            if version_ids:
                # Indexed right away so the demo answers as soon as `make run` is up.
                services.versions_index(agency=agency, version_ids=version_ids, maintain_indexes=False)
