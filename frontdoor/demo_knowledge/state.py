"""The demo state agencies' knowledge bases: motor vehicles, public health, natural resources, transportation
and revenue."""

from frontdoor.demo_knowledge.faq import faq

MOTOR_VEHICLES = [
    faq(
        "Driver's licences and ID cards",
        "https://mvs.example.gov/drivers",
        [
            (
                "How do I renew my driver's licence?",
                "Most drivers can renew online every other renewal if they received a renewal notice with a PIN "
                "and have no violations. Otherwise renew at any Motor Vehicle Services facility. A standard licence "
                "costs $30 and is valid for four years. Drivers 79 and older renew in person and take a vision test.",
            ),
            (
                "What do I need for a REAL ID?",
                "Bring one document proving identity (a US passport or certified birth certificate), proof of your "
                "Social Security number, two documents proving your address (a utility bill, bank statement) and "
                "proof of signature. A REAL ID costs $30 and is required to board domestic flights.",
            ),
            (
                "How do I get my first driver's licence?",
                "Drivers under 18 complete driver education and hold an instruction permit for nine months. All new "
                "drivers pass a vision test, a written test on the rules of the road and a driving test. Book the "
                "driving test online.",
            ),
            (
                "How do I change the address on my driver's licence?",
                "Report a new address within 10 days online or at a facility. The address change is free; a "
                "corrected card with the new address costs $5.",
            ),
            (
                "My licence was lost or stolen. How do I get a duplicate?",
                "Request a duplicate online or at any facility. A duplicate licence costs $5 and a duplicate ID "
                "card $5. Report a stolen licence to the police as well.",
            ),
            (
                "How do I get a state ID card?",
                "A state ID card is for residents who do not drive. It costs $20 and is free for residents 65 and "
                "older and for people with a disability. Bring the same documents as for a REAL ID.",
            ),
        ],
        tags=["drivers"],
    ),
    faq(
        "Vehicle titles, registration and plates",
        "https://mvs.example.gov/vehicles",
        [
            (
                "How do I renew my vehicle registration sticker?",
                "Renew your registration online, by mail or at a facility with the renewal notice. Passenger car "
                "registration costs $151 a year. Your vehicle must pass the emissions test if the notice says so.",
            ),
            (
                "How do I title and register a car I just bought?",
                "A dealer files the title for you. From a private seller, apply for the title within 20 days with "
                "the signed-over title, the vehicle use tax form and proof of insurance. The title fee is $165.",
            ),
            (
                "How do I get a disability parking placard?",
                "Send the application for persons with disabilities, certified by your doctor, physician assistant "
                "or nurse practitioner. Placards and plates for persons with disabilities are free.",
            ),
            (
                "How do I transfer my plates to another car?",
                "Plates stay with you, not the car. Transfer them when you title the new vehicle; the transfer "
                "costs $25.",
            ),
        ],
        tags=["vehicles"],
    ),
]

PUBLIC_HEALTH = [
    faq(
        "Vital records: birth and death certificates",
        "https://health.example.gov/vital-records",
        [
            (
                "How do I order a certified copy of a birth certificate?",
                "Order from the State Division of Vital Records online, by mail or in person at 925 E Ridgely Ave, "
                "for any birth in the state. A certified copy costs $15 and each additional copy $2. You must be the "
                "person named, a parent on the record, or a legal guardian, and show a valid photo ID. Mail orders "
                "take four to six weeks.",
            ),
            (
                "How do I correct a mistake on a birth certificate?",
                "Send an affidavit and certificate of correction with documents proving the correct information. "
                "The correction costs $15, which includes one certified copy of the corrected record.",
            ),
            (
                "How do I get a death certificate from the state?",
                "Certified copies of death records are available from Vital Records for $19 each. Next of kin, "
                "the executor of the estate and people who need the record to settle a legal or property matter "
                "may order one.",
            ),
            (
                "How do I add the father's name to a birth certificate?",
                "Both parents sign a Voluntary Acknowledgment of Paternity, at the hospital or later at a local "
                "health department, and it is filed with Vital Records. There is no fee.",
            ),
        ],
        tags=["vital records"],
    ),
    faq(
        "Immunizations, food safety and disease prevention",
        "https://health.example.gov/programs",
        [
            (
                "Which vaccines does my child need for school?",
                "Children entering kindergarten need the DTaP, polio, MMR, hepatitis B and varicella series. "
                "Sixth graders need Tdap and meningococcal vaccine. Ask your doctor or local health department; the "
                "Vaccines for Children program provides free vaccines to eligible children.",
            ),
            (
                "Where can I get my immunization record?",
                "Request your record from the state immunization registry online or ask the provider who gave the "
                "vaccine. Records are free.",
            ),
            (
                "How do I report food poisoning or a dirty restaurant?",
                "File a food safety complaint online or call the food safety hotline at 217 555 0550. Tell us the "
                "restaurant's name and address, what you ate and when. Inspectors follow up on complaints within "
                "five business days.",
            ),
            (
                "Where can I see restaurant inspection results?",
                "Restaurant inspection reports from the past three years are published in the food inspection "
                "search on our website, by restaurant name or ZIP code.",
            ),
            (
                "Where can I get a flu shot or COVID-19 vaccine?",
                "Flu and COVID-19 vaccines are offered by pharmacies, doctors and local health departments. Adults "
                "without insurance can get them free at local health department clinics.",
            ),
            (
                "How do I get my well water tested?",
                "Private well owners can order a water test kit from the state laboratory for $18. Test for "
                "bacteria every year and for nitrates every three years.",
            ),
        ],
        tags=["immunization", "food safety"],
    ),
]

NATURAL_RESOURCES = [
    faq(
        "Hunting and fishing licences",
        "https://dnr.example.gov/licensing",
        [
            (
                "How do I renew my hunting licence?",
                "Hunting licences expire on March 31 each year. Renew online through the licence system, by phone at "
                "1 888 555 0610, or at any licence vendor such as sporting goods stores. A resident hunting licence "
                "costs $12.50; the habitat stamp ($5.50) is also required for most hunters. Have your previous "
                "licence number or your date of birth and driver's licence number ready.",
            ),
            (
                "How do I buy a fishing licence?",
                "Buy a fishing licence online, by phone or from a licence vendor. A resident annual fishing licence "
                "costs $15, a 24-hour licence $5.50. Residents under 16 and blind or disabled residents fish free.",
            ),
            (
                "Do I need hunter safety education?",
                "Anyone born on or after January 1, 1980 must complete a hunter safety course before buying a "
                "hunting licence. Courses are free; register online for a classroom or online course.",
            ),
            (
                "How do I apply for a deer or turkey permit?",
                "Firearm deer and spring turkey permits are issued by lottery. Apply online during the application "
                "periods in April and May. Archery deer permits are sold over the counter.",
            ),
            (
                "How do I report my harvested deer?",
                "Report every harvested deer by 22:00 on the day of harvest online or by phone. You receive a "
                "confirmation number to write on your permit.",
            ),
        ],
        tags=["hunting", "fishing"],
    ),
    faq(
        "State parks, camping and boating",
        "https://dnr.example.gov/parks",
        [
            (
                "How do I reserve a campsite in a state park?",
                "Reserve campsites online up to six months ahead. Sites with electricity cost $20 a night and "
                "primitive sites $8. Sites not reserved are first come, first served.",
            ),
            (
                "How do I register my boat?",
                "Motorboats and sailboats used on public waters are registered with the Department of Natural "
                "Resources, not the motor vehicle office. Registration lasts three years and costs $18 for boats "
                "under 16 feet. Canoes and kayaks need a water usage stamp.",
            ),
            (
                "There is a raccoon in my attic. Who can remove it?",
                "Hire a licensed nuisance wildlife control operator; the list is on our website by county. Do not "
                "try to trap animals that may carry rabies.",
            ),
            (
                "I found an injured wild animal. What should I do?",
                "Leave young animals where they are: their parents are usually nearby. For an injured animal call a "
                "licensed wildlife rehabilitator.",
            ),
        ],
        tags=["parks", "boating", "wildlife"],
    ),
    {
        "title": "Conservation police: licence fraud investigation guide",
        "format": "markdown",
        "audience": "staff",
        "content": "# Licence fraud (staff only)\n\n## Duplicate resident licences\nWhen one person holds two "
        "resident hunting licences in one season, refer the case to conservation police sergeant badge 1187 "
        "with the two licence numbers; do not contact the licence holder.",
        "tags": ["internal"],
    },
]

TRANSPORTATION = [
    faq(
        "State highways: potholes, snow and road conditions",
        "https://dot.example.gov/highways",
        [
            (
                "How do I report a pothole on an interstate or state highway?",
                "Report potholes on interstates and numbered state routes to the Department of Transportation online "
                "or at 1 800 555 0710. Give the route number, direction and nearest exit or mile marker. Crews "
                "patch reported potholes on interstates within 48 hours.",
            ),
            (
                "Where can I check winter road conditions?",
                "The winter road conditions map shows state highways as clear, partly covered or covered, updated "
                "every hour from November to March. Call 511 for conditions by phone.",
            ),
            (
                "A pothole on a state highway damaged my car. Can I be reimbursed?",
                "Claims for damage on state highways are filed with the State Court of Claims within one year. "
                "Include photos, repair estimates and the exact location.",
            ),
            (
                "How do I get a permit to move an oversize or overweight load?",
                "Apply for oversize and overweight permits online. A single-trip permit starts at $15 and is issued "
                "within one business day.",
            ),
            (
                "Where are the road construction lane closures?",
                "The road construction map lists lane closures and detours on state highways, updated daily.",
            ),
        ],
        tags=["highways"],
    ),
]

REVENUE = [
    faq(
        "Registering a business for state taxes",
        "https://revenue.example.gov/business/register",
        [
            (
                "How do I register a new business for sales tax and withholding?",
                "Register online with the business tax registration form before you start selling or paying "
                "employees. Registration is free. You receive your account number within five business days; "
                "display the certificate of registration at your place of business.",
            ),
            (
                "Do I need a separate registration for each business location?",
                "Yes. Each place where you sell goods needs its own certificate of registration; add new "
                "locations to your existing account online.",
            ),
            (
                "How do I close my business tax account?",
                "File final returns for every tax you are registered for and close the account online within 30 "
                "days of closing the business.",
            ),
        ],
        tags=["business"],
    ),
]
