"""The catalogues of the competence summary (PRODUCT.md section 4), as people read them.

Codes are stored (in Candidate's JSON columns and columns with choices); labels are English
message ids, translated where shown. A code once stored must stay in its catalogue: a profile
that holds a code no longer listed shows nothing for it (`profile.load_profile` skips it).
"""

from __future__ import annotations

from dataclasses import dataclass

from portal.candidates.tables import Evidence, PermitStatus, SkillEvidence
from portal.i18n import N_


@dataclass(frozen=True)
class Field:
    """An occupational field with its skills checklist (code → label)."""

    code: str
    label: str
    skills: dict[str, str]


FIELDS: tuple[Field, ...] = (
    Field(
        "metal",
        N_("Metal"),
        {
            "metal.drawings": N_("Reading technical drawings"),
            "metal.measuring": N_("Measuring tools (calliper, micrometer)"),
            "metal.manual": N_("Manual metalworking (filing, sawing, drilling)"),
            "metal.mig_mag": N_("MIG/MAG welding"),
            "metal.tig": N_("TIG welding"),
            "metal.grinding": N_("Grinding"),
            "metal.cnc_basics": N_("CNC basics"),
            "metal.forklift": N_("Forklift licence"),
        },
    ),
    Field(
        "logistics",
        N_("Logistics and warehouse"),
        {
            "logistics.picking": N_("Order picking"),
            "logistics.goods_in": N_("Receiving and checking goods"),
            "logistics.packing": N_("Packing and shipping"),
            "logistics.scanner": N_("Handheld scanner"),
            "logistics.pallet_truck": N_("Pallet truck"),
            "logistics.forklift": N_("Forklift licence"),
            "logistics.stocktaking": N_("Stocktaking"),
        },
    ),
    Field(
        "gastronomy",
        N_("Gastronomy and kitchen"),
        {
            "gastronomy.food_prep": N_("Preparing food (washing, cutting, portioning)"),
            "gastronomy.cooking": N_("Cooking simple dishes"),
            "gastronomy.hygiene": N_("Kitchen hygiene rules"),
            "gastronomy.dishwashing": N_("Dishwashing and kitchen cleaning"),
            "gastronomy.equipment": N_("Kitchen equipment"),
            "gastronomy.service": N_("Serving guests"),
        },
    ),
    Field(
        "care",
        N_("Care"),
        {
            "care.basic_care": N_("Help with basic care"),
            "care.mobility": N_("Help with moving and walking"),
            "care.meals": N_("Help with meals"),
            "care.household": N_("Housekeeping in care"),
            "care.activities": N_("Company and activities"),
            "care.documentation": N_("Simple care documentation"),
        },
    ),
    Field(
        "construction",
        N_("Construction"),
        {
            "construction.site_work": N_("General site work"),
            "construction.masonry": N_("Masonry"),
            "construction.concrete": N_("Concrete and formwork"),
            "construction.drywall": N_("Drywall"),
            "construction.painting": N_("Painting and decorating"),
            "construction.tiling": N_("Tiling"),
            "construction.scaffolding": N_("Scaffolding"),
            "construction.power_tools": N_("Power tools"),
        },
    ),
    Field(
        "cleaning",
        N_("Cleaning"),
        {
            "cleaning.routine": N_("Routine cleaning of offices and rooms"),
            "cleaning.sanitary": N_("Cleaning sanitary facilities"),
            "cleaning.agents": N_("Dosing cleaning agents correctly"),
            "cleaning.machines": N_("Floor cleaning machines"),
            "cleaning.windows": N_("Window cleaning"),
        },
    ),
    Field(
        "retail",
        N_("Retail"),
        {
            "retail.shelves": N_("Stocking shelves"),
            "retail.presentation": N_("Presenting goods"),
            "retail.till": N_("Working the till"),
            "retail.customers": N_("Advising customers"),
            "retail.fresh_food": N_("Fresh food counter"),
        },
    ),
    Field(
        "gardening",
        N_("Gardening and landscaping"),
        {
            "gardening.planting": N_("Planting and tending plants"),
            "gardening.lawn": N_("Lawn care"),
            "gardening.hedges": N_("Cutting hedges and trees"),
            "gardening.paving": N_("Paving"),
            "gardening.machines": N_("Garden machinery"),
        },
    ),
    Field(
        "general",
        N_("General"),
        {
            "general.pc_basics": N_("PC basics"),
            "general.office": N_("Text and spreadsheet programs"),
            "general.email": N_("E-mail and internet"),
            "general.hand_tools": N_("Hand tools"),
            "general.arithmetic": N_("Everyday arithmetic and measuring"),
            "general.customer_contact": N_("Dealing with customers"),
        },
    ),
)
# Every skill code → (field code, label).
SKILLS: dict[str, tuple[str, str]] = {
    skill: (field.code, label) for field in FIELDS for skill, label in field.skills.items()
}
FIELD_LABELS = {field.code: field.label for field in FIELDS}

# Observed by the case manager (or in an earlier internship).
WORK_HABITS: dict[str, str] = {
    "punctuality": N_("Punctuality"),
    "reliability": N_("Reliability"),
    "teamwork": N_("Teamwork"),
    "careful_work": N_("Careful work"),
    "safety_rules": N_("Follows safety rules"),
    "independent": N_("Works independently"),
    "asks_when_unsure": N_("Asks when unsure"),
    "stamina": N_("Physical stamina"),
    "learns_quickly": N_("Learns quickly"),
    "tidy": N_("Keeps the workplace tidy"),
    "feedback": N_("Takes on feedback"),
    "friendly": N_("Friendly with customers and colleagues"),
}

COURSE_STATUSES: dict[str, str] = {
    "completed": N_("completed"),
    "in_progress": N_("in progress"),
    "started": N_("started"),
    "granted": N_("granted"),
    "partially_granted": N_("partially granted"),
}
_COURSE = ("completed", "in_progress")
_PROCEDURE = ("started", "granted", "partially_granted")


@dataclass(frozen=True)
class Course:
    label: str
    statuses: tuple[str, ...]  # codes of COURSE_STATUSES, in the order offered


COURSES: dict[str, Course] = {
    "integration_course": Course(N_("Integration course"), _COURSE),
    "b1_dtz": Course(N_("B1 certificate (DTZ)"), _COURSE),
    "job_german": Course(N_("Job-related German course (DeuFöV)"), _COURSE),
    # Recognition of a foreign qualification (BQFG, Anerkennungsgesetz): a procedure, not a course.
    "recognition": Course(N_("Recognition of a foreign qualification"), _PROCEDURE),
    "first_aid": Course(N_("First aid course"), _COURSE),
    "forklift_course": Course(N_("Forklift licence course"), _COURSE),
    "welding_certificate": Course(N_("Welding certificate"), _COURSE),
    "food_hygiene": Course(N_("Food hygiene instruction (§43 IfSG)"), _COURSE),
    "pc_course": Course(N_("Computer course"), _COURSE),
    "care_basics": Course(N_("Basic care course"), _COURSE),
}

# ISCED 2011 levels of the highest schooling or education completed, in plain words.
ISCED_LEVELS: dict[str, str] = {
    "0": N_("No school completed"),
    "1": N_("Primary school"),
    "2": N_("Lower secondary school (e.g. Hauptschule, Realschule)"),
    "3": N_("Upper secondary school or vocational school (e.g. Abitur, Berufsschule)"),
    "4": N_("Post-secondary education below university level"),
    "5": N_("Short course at a university or college (up to three years)"),
    "6": N_("Bachelor's degree or equivalent"),
    "7": N_("Master's degree or equivalent"),
    "8": N_("Doctorate"),
}

EVIDENCE_LABELS: dict[str, str] = {
    Evidence.certificate: N_("certificate"),
    Evidence.test: N_("test"),
    Evidence.self_assessment: N_("self-assessment"),
    Evidence.estimate: N_("case manager's estimate"),
}
SKILL_EVIDENCE_LABELS: dict[str, str] = {
    SkillEvidence.self_reported: N_("self-reported"),
    SkillEvidence.observed: N_("observed"),
    SkillEvidence.tested: N_("tested"),
    SkillEvidence.certified: N_("certified"),
}
PERMIT_LABELS: dict[str, str] = {
    PermitStatus.cleared: N_("Work permit cleared"),
    PermitStatus.being_cleared: N_("Work permit being cleared"),
}

# An age band at most, and only if the person agreed (PRODUCT.md section 4): never the age.
AGE_BANDS: dict[str, str] = {
    "18-24": "18–24",
    "25-34": "25–34",
    "35-44": "35–44",
    "45-54": "45–54",
    "55+": "55+",
}

# Driving licence classes (Fahrerlaubnisklassen); a forklift licence is a course or a skill.
DRIVING_LICENCES: dict[str, str] = {
    "B": N_("B (car)"),
    "BE": N_("BE (car with trailer)"),
    "C1": N_("C1 (lorry up to 7.5 t)"),
    "C": N_("C (lorry)"),
    "CE": N_("CE (lorry with trailer)"),
    "D": N_("D (bus)"),
}

OCCUPATION_KINDS_SHOWN: dict[str, str] = {
    "training": N_("Vocational training"),
    "experience": N_("Work experience"),
}
WHERE_LABELS: dict[str, str] = {
    "abroad": N_("abroad"),
    "germany": N_("in Germany"),
}
