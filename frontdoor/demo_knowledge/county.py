"""The demo county's knowledge base: the clerk, property tax, roads and the clinic, and a staff-only procedure."""

from frontdoor.demo_knowledge.faq import faq

COUNTY = [
    faq(
        "County Clerk: marriage licences and vital records",
        "https://sangamon.example.gov/clerk/faq",
        [
            (
                "How do we get a marriage licence?",
                "Both of you come in person to the County Clerk's office at 200 S 9th St, Room 101, with a valid "
                "photo ID and your Social Security numbers. The licence costs $60 (cash, check or card) and is "
                "valid for 60 days in the state, starting the day after it is issued. No blood test is required.",
            ),
            (
                "How do I get a certified copy of a birth certificate for someone born in the county?",
                "The County Clerk issues certified copies of births that happened in Sangamon County. Order at the "
                "counter or by mail with the request form and a copy of your photo ID. The first certified copy "
                "costs $15 and each additional copy of the same record $4. Births from other counties: order from "
                "the State Department of Public Health's Vital Records office.",
            ),
            (
                "How do I get a death certificate?",
                "Certified copies of deaths recorded in the county cost $17 for the first copy and $6 for each "
                "additional copy. Funeral homes usually order them for the family. You must have a personal or "
                "property interest in the record to receive a certified copy.",
            ),
            (
                "How do I register to vote or change my voting address?",
                "Register online with the State Board of Elections, or in person at the County Clerk's election "
                "office with two forms of identification, one showing your current address. Registration closes "
                "28 days before an election; grace-period registration is available at the Clerk's office "
                "up to and including election day.",
            ),
            (
                "Where is my polling place and how do I vote by mail?",
                "Your polling place is printed on your voter card and shown in the voter look-up on the Clerk's "
                "election page. Apply for a vote-by-mail ballot online or by mail; the application must reach the "
                "Clerk at least five days before the election.",
            ),
            (
                "How do I file an assumed business name?",
                "Businesses operating under a name other than the owner's legal name file an assumed name "
                "certificate with the County Clerk. The filing fee is $5, plus publication in a local newspaper "
                "for three consecutive weeks.",
            ),
        ],
        tags=["clerk", "vital records", "elections"],
    ),
    faq(
        "Property tax: assessment, bills and exemptions",
        "https://sangamon.example.gov/treasurer/property-tax",
        [
            (
                "When is my property tax bill due?",
                "County property tax bills are mailed in May and paid in two equal installments: the first is due "
                "in June and the second in September. A late installment costs 1.5% interest per month. Pay online, "
                "by mail, at participating banks or at the Treasurer's office.",
            ),
            (
                "How is my property assessed?",
                "The Supervisor of Assessments values property at one third of its fair market value. Assessment "
                "notices are published each year; if you disagree with your assessed value you can file an appeal "
                "with the Board of Review within 30 days of publication.",
            ),
            (
                "What property tax exemptions can I apply for?",
                "Homeowners who live in their home may receive the general homestead exemption. Seniors 65 or older "
                "may also apply for the senior citizens exemption and, with household income below $65,000, the "
                "senior assessment freeze. Veterans with a disability may qualify for a disabled veterans exemption. "
                "Apply with the Supervisor of Assessments.",
            ),
            (
                "I bought a house. Why is the tax bill in the previous owner's name?",
                "Bills are mailed to the owner on record when they are printed. Send the Treasurer a copy of your "
                "deed to update the mailing name and address. The buyer and seller usually settle the year's taxes "
                "at closing.",
            ),
        ],
        tags=["property tax"],
    ),
    faq(
        "County roads, bridges and the health clinic",
        "https://sangamon.example.gov/highway",
        [
            (
                "Who maintains my road?",
                "The County Highway Department maintains county highways and bridges outside city limits. Streets "
                "inside the City of Springfield belong to the city's Public Works department, and interstates and "
                "numbered state routes to the State Department of Transportation.",
            ),
            (
                "How do I report a pothole or a washed-out culvert on a county road?",
                "Report it to the County Highway Department online or by phone at 217 555 0330 with the road name "
                "and the nearest crossroad. Crews inspect reports within three business days.",
            ),
            (
                "When are county roads plowed?",
                "County snowplows clear county highways first, then township roads under county agreement, starting "
                "when two inches of snow have fallen. Rural roads may take 24 hours after a storm ends.",
            ),
            (
                "Does the county health clinic give vaccines?",
                "The county clinic at 2833 S Grand Ave E gives childhood and adult vaccines, including flu shots, "
                "by appointment Monday to Friday. Bring your insurance card and immunization record; no one is "
                "turned away for inability to pay.",
            ),
            (
                "How do I get a permit for a new driveway onto a county highway?",
                "Apply for an access permit from the County Highway Department before you build. The permit is free "
                "for residential driveways; a culvert may be required.",
            ),
        ],
        tags=["roads", "clinic"],
    ),
    {
        "title": "Clerk's office cash handling procedure",
        "format": "markdown",
        "audience": "staff",
        "content": "# Cash handling (staff only)\n\n## Closing the drawer\nCount the drawer with a second clerk "
        "at 16:30. Over or short by more than $5: call the chief deputy clerk at extension 4410 before leaving.",
        "tags": ["internal"],
    },
]
