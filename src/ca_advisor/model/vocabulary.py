"""The closed vocabularies of proposal format v1 (see docs/proposal-format.md).

One place for every allowed value, so that the proposal model, the rule-condition
validator and the error messages ("expected one of ...") all read the same lists;
and for the one default the format gives a value (``served_countries``).
"""

FORMAT_V1 = "ca-advisor/proposal/v1"
SUPPORTED_FORMATS = (FORMAT_V1,)


def served_countries(countries: list[str] | None, recipients: list[str]) -> list[str]:
    """The countries a component serves, as the format says: its ``countries``, and
    when they are absent (or empty) every recipient.  The model, the plain reader and
    the fact count all read it here."""
    return list(countries) if countries else list(recipients)

CENTRAL_ASIAN_STATES = ("kazakhstan", "kyrgyzstan", "tajikistan", "turkmenistan", "uzbekistan")

CHANNELS = ("bilateral", "nato-pfp", "nato", "eu", "osce", "un", "csto", "sco", "coalition")

THREATS = (
    "afghanistan-spillover", "terrorism", "insurgency", "narcotics", "organised-crime",
    "regional-instability", "border-disputes", "natural-disaster", "other",
)

THREAT_ASSESSMENTS = ("recipient", "russia", "csto", "sponsor", "joint", "independent")

COMPONENT_KINDS = (
    "equipment-transfer", "training", "intelligence-sharing", "capacity-building", "exercise",
    "infrastructure", "basing", "facility-access", "funding", "advisory", "transit",
)

FORCES = (
    "armed-forces", "security-service", "security-service-special-forces", "interior-ministry",
    "border-service", "national-guard", "emergencies-ministry", "foreign-intelligence",
    "customs", "drug-control", "civilian",
)

PURPOSES = (
    "counter-terrorism", "counter-insurgency", "border-security", "counter-narcotics",
    "threat-assessment", "intelligence", "mountain-warfare", "small-unit-tactics",
    "combined-arms", "peacekeeping", "logistics", "disaster-response", "modernisation",
    "defence-institution-building",
)

CAPABILITIES = (
    "reconnaissance", "strike", "armour", "protected-mobility", "artillery", "air-defence",
    "combat-aircraft", "attack-helicopter", "transport-helicopter", "transport", "engineering",
    "communications", "small-arms", "night-vision", "protective-gear", "spare-parts",
    "non-lethal", "other",
)

EQUIPMENT_SOURCES = ("drawdown", "excess-defence-articles", "new")

NEEDS_ASSESSMENTS = ("none", "recipient-request", "joint", "independent")

SLUG_PATTERN = r"^[a-z0-9][a-z0-9-]*$"
RULE_ID_PATTERN = r"^[A-Z]{2,}[0-9]{3,}$"
SEVERITIES = ("error", "warning", "info")  # of a rule's findings, worst first
