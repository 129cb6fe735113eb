"""The demo's candidates (`portal seed-demo`): twelve fictional people in the two
case-management organisations of the demo district (portal/demo.py), in every status.

Idempotent: looked up by their fixed codes, created once. Every name, date, number and address
below is made up. Identities are sealed with the vault of the settings, the one document is
stored through the storage of the settings.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from typing import Any

from portal.accounts.tables import User
from portal.candidates.tables import (
    Candidate,
    CandidateIdentity,
    CandidateMunicipality,
    CandidateOccupation,
    CandidateStatus,
    Consent,
    ConsentMethod,
    Document,
    DocumentKind,
    Evidence,
    PermitStatus,
    SkillEvidence,
    WorkAccess,
)
from portal.candidates.uploads import new_key as new_document_key
from portal.candidates.vault import IdentityData, Vault, duplicate_hash
from portal.clock import now, today
from portal.reference.tables import Municipality, Programme, occupation_prefixes
from portal.settings import Settings
from portal.storage import Storage, storage_from_settings

# The demo users of portal/demo.py who keep the cases.
CASE_MANAGERS = {
    "felix": "fallmanager@demo.portal.test",
    "berit": "beratung@demo.portal.test",
    "tanja": "teamleitung@demo.portal.test",
}
DEMO_CANDIDATES: list[dict[str, Any]] = [
    {
        "code": "K-DEMA-24",
        "manager": "felix",
        "status": CandidateStatus.active,
        "programme": "WIR-Fallmanagement",
        "identity": {
            "given_names": "Yusuf",
            "family_name": "Haddad",
            "date_of_birth": "1991-03-14",
            "phone": "0555 10203-41",
            "email": "y.haddad@example.org",
            "street": "Lindenweg 4",
            "postcode": "12345",
            "city": "Musterstadt",
            "file_number": "JC-2026-0411",
            "residence_status": "Aufenthaltserlaubnis (§ 25 Abs. 2 AufenthG)",
            "work_access": WorkAccess.free,
            "residence_document_expires": "2028-03-31",
        },
        "profile": {
            "german_level": "B1",
            "german_evidence": Evidence.certificate,
            "languages": [
                {"language": "ar", "level": "C2", "evidence": Evidence.self_assessment},
                {"language": "en", "level": "A2", "evidence": Evidence.estimate},
            ],
            "schooling_years": 10,
            "schooling_level": "3",
            "skills": [
                {"skill": "metal.mig_mag", "evidence": SkillEvidence.observed},
                {"skill": "metal.grinding", "evidence": SkillEvidence.observed},
                {"skill": "metal.measuring", "evidence": SkillEvidence.tested},
                {"skill": "metal.drawings", "evidence": SkillEvidence.self_reported},
            ],
            "work_habits": ["punctuality", "safety_rules", "careful_work"],
            "courses": [
                {"course": "integration_course", "status": "completed"},
                {"course": "b1_dtz", "status": "completed"},
                {"course": "recognition", "status": "started"},
            ],
            "summary": "Sechs Jahre Schweißer in einem Stahlbaubetrieb, vor allem MAG-Kehlnähte. "
            "Möchte die Arbeit in einer deutschen Werkstatt kennenlernen.",
            "hours_per_week": 38,
            "shift_work": True,
            "driving_licences": ["B"],
            "permit_status": PermitStatus.cleared,
            "age_band": "25-34",
        },
        "occupations": [
            ("training", "24422", 6, True),
            ("desired", "24422", None, None),
            ("desired", "24412", None, None),
        ],
        "municipalities": ["Nordheim", "Musterstadt"],
        "consent": {"method": ConsentMethod.oral_interpreter, "language": "ar", "days": 40},
        "days": 45,
    },
    {
        "code": "K-DEMB-24",
        "manager": "felix",
        "status": CandidateStatus.active,
        "programme": "Jobcenter-Projekt Praktikum",
        "identity": {
            "given_names": "Parisa",
            "family_name": "Rahimi",
            "date_of_birth": "1988-11-02",
            "phone": "0555 10203-42",
            "street": "Am Anger 12",
            "postcode": "12347",
            "city": "Osterfeld",
            "file_number": "JC-2026-0388",
            "residence_status": "Aufenthaltserlaubnis (§ 22 AufenthG)",
            "work_access": WorkAccess.free,
        },
        "profile": {
            "german_level": "A2",
            "german_evidence": Evidence.estimate,
            "german_in_course": True,
            "languages": [{"language": "fa", "level": "C2", "evidence": Evidence.self_assessment}],
            "schooling_years": 12,
            "schooling_level": "3",
            "skills": [
                {"skill": "logistics.picking", "evidence": SkillEvidence.observed},
                {"skill": "logistics.scanner", "evidence": SkillEvidence.tested},
                {"skill": "logistics.pallet_truck", "evidence": SkillEvidence.self_reported},
            ],
            "work_habits": ["reliability", "teamwork", "learns_quickly"],
            "courses": [
                {"course": "integration_course", "status": "completed"},
                {"course": "forklift_course", "status": "in_progress"},
            ],
            "summary": "Zwei Jahre Aushilfe im Lager eines Versandhändlers (Kommissionieren mit "
            "Handscanner). Sucht eine Stelle im Wareneingang.",
            "hours_per_week": 30,
            "shift_work": True,
            "permit_status": PermitStatus.cleared,
        },
        "occupations": [("experience", "51311", 2, False), ("desired", "51312", None, None)],
        "municipalities": ["Musterstadt", "Osterfeld"],
        "consent": {"method": ConsentMethod.signed_form, "language": "fa", "days": 20},
        "document": ("Kompetenzpass_Lager.pdf", DocumentKind.competence_passport),
        "days": 30,
    },
    {
        "code": "K-DEMC-24",
        "manager": "felix",
        "status": CandidateStatus.draft,
        "programme": "WIR-Fallmanagement",
        "identity": {
            "given_names": "Senait",
            "family_name": "Tesfay",
            "date_of_birth": "1999-07-21",
            "phone": "0555 10203-43",
            "city": "Musterstadt",
            "residence_status": "Aufenthaltsgestattung",
            "work_access": WorkAccess.permit_per_job,
            "residence_document_expires": "2026-12-31",
        },
        "profile": {
            "german_level": "A1",
            "german_in_course": True,
            "german_evidence": Evidence.test,
            "languages": [{"language": "ti", "level": "C2", "evidence": Evidence.self_assessment}],
            "schooling_years": 8,
            "schooling_level": "2",
            "skills": [{"skill": "gastronomy.food_prep", "evidence": SkillEvidence.self_reported}],
            "permit_status": PermitStatus.being_cleared,
        },
        "occupations": [("experience", "29301", 3, True), ("desired", "29302", None, None)],
        "municipalities": ["Musterstadt"],
        "days": 3,
    },
    {
        "code": "K-DEMD-24",
        "manager": "felix",
        "status": CandidateStatus.placed,
        "programme": "KAI – Kurs . Arbeit . Integration",
        "identity": {
            "given_names": "Oleksandr",
            "family_name": "Kovalenko",
            "date_of_birth": "1985-01-30",
            "phone": "0555 10203-44",
            "email": "o.kovalenko@example.org",
            "street": "Bahnhofstraße 7",
            "postcode": "12346",
            "city": "Nordheim",
            "file_number": "JC-2026-0207",
            "residence_status": "Aufenthaltserlaubnis (§ 24 AufenthG)",
            "work_access": WorkAccess.free,
        },
        "profile": {
            "german_level": "B2",
            "german_evidence": Evidence.certificate,
            "languages": [
                {"language": "uk", "level": "C2", "evidence": Evidence.self_assessment},
                {"language": "ru", "level": "C1", "evidence": Evidence.self_assessment},
            ],
            "schooling_years": 11,
            "schooling_level": "4",
            "skills": [
                {"skill": "metal.manual", "evidence": SkillEvidence.observed},
                {"skill": "metal.drawings", "evidence": SkillEvidence.tested},
                {"skill": "metal.cnc_basics", "evidence": SkillEvidence.self_reported},
            ],
            "work_habits": ["independent", "careful_work", "tidy"],
            "courses": [{"course": "job_german", "status": "completed"}],
            "summary": "Ausgebildeter Zerspanungsmechaniker, zwölf Jahre Berufserfahrung.",
            "hours_per_week": 38,
            "driving_licences": ["B", "BE"],
            "permit_status": PermitStatus.cleared,
        },
        "occupations": [("training", "24202", 12, True), ("desired", "24202", None, None)],
        "municipalities": ["Nordheim"],
        "consent": {"method": ConsentMethod.signed_form, "language": "uk", "days": 70},
        "days": 80,
    },
    {
        "code": "K-DEME-24",
        "manager": "felix",
        "status": CandidateStatus.paused,
        "programme": "Jobcenter-Projekt Praktikum",
        "identity": {
            "given_names": "Mamadou",
            "family_name": "Diallo",
            "date_of_birth": "1996-09-09",
            "phone": "0555 10203-45",
            "city": "Südhausen",
            "residence_status": "Duldung (§ 60a AufenthG)",
            "work_access": WorkAccess.permit_per_job,
            "work_permit_expires": "2026-10-31",
        },
        "profile": {
            "german_level": "A2",
            "german_evidence": Evidence.estimate,
            "languages": [{"language": "fr", "level": "C1", "evidence": Evidence.self_assessment}],
            "schooling_years": 9,
            "schooling_level": "2",
            "skills": [{"skill": "logistics.packing", "evidence": SkillEvidence.observed}],
            "work_habits": ["stamina", "friendly"],
            "permit_status": PermitStatus.being_cleared,
        },
        "occupations": [("desired", "51311", None, None)],
        "municipalities": ["Südhausen", "Musterstadt"],
        # Withdrawn ten days ago: the profile is paused and the retention period runs.
        "consent": {
            "method": ConsentMethod.oral_interpreter,
            "language": "fr",
            "days": 50,
            "withdrawn": 10,
        },
        "days": 55,
    },
    {
        "code": "K-DEMF-24",
        "manager": "tanja",
        "status": CandidateStatus.closed,
        "programme": "WIR-Fallmanagement",
        "identity": {
            "given_names": "Aziz",
            "family_name": "Karimi",
            "date_of_birth": "1993-05-05",
            "phone": "0555 10203-46",
            "city": "Weststadt",
            "residence_status": "Niederlassungserlaubnis",
            "work_access": WorkAccess.free,
        },
        "profile": {
            "german_level": "B1",
            "german_evidence": Evidence.certificate,
            "languages": [{"language": "ps", "level": "C2", "evidence": Evidence.self_assessment}],
            "skills": [{"skill": "logistics.forklift", "evidence": SkillEvidence.certified}],
            "courses": [{"course": "forklift_course", "status": "completed"}],
            "permit_status": PermitStatus.cleared,
        },
        "occupations": [("experience", "51312", 1, False), ("desired", "51312", None, None)],
        "municipalities": ["Weststadt", "Musterstadt"],
        "consent": {"method": ConsentMethod.signed_form, "language": "de", "days": 150},
        "days": 160,
        "closed": 60,  # closed two months ago: erased automatically in four months
    },
    {
        "code": "K-DEMG-24",
        "manager": "felix",
        "status": CandidateStatus.closed,
        "programme": "Jobcenter-Projekt Praktikum",
        # Erased after the retention period: only the pseudonymised facts are left.
        "identity": None,
        "profile": {
            "german_level": "A2",
            "languages": [{"language": "so", "level": "C2", "evidence": Evidence.self_assessment}],
            "skills": [{"skill": "cleaning.routine", "evidence": SkillEvidence.observed}],
            "permit_status": PermitStatus.cleared,
        },
        "occupations": [("desired", "51311", None, None)],
        "municipalities": ["Musterstadt"],
        "consent": {"method": ConsentMethod.oral_interpreter, "language": "so", "days": 400},
        "days": 420,
        "closed": 200,
        "erased": 15,
    },
    {
        "code": "K-DEMH-24",
        "manager": "felix",
        "status": CandidateStatus.active,
        "programme": "Durchstarten in Ausbildung und Arbeit",
        "identity": {
            "given_names": "Hevin",
            "family_name": "Aydin",
            "date_of_birth": "2003-02-17",
            "phone": "0555 10203-48",
            "email": "hevin.aydin@example.org",
            "street": "Schulstraße 3",
            "postcode": "12346",
            "city": "Nordheim",
            "file_number": "JC-2026-0502",
            "residence_status": "Aufenthaltserlaubnis (§ 25b AufenthG)",
            "work_access": WorkAccess.free,
        },
        "profile": {
            "german_level": "A2",
            "german_evidence": Evidence.test,
            "german_in_course": True,
            "languages": [
                {"language": "ku", "level": "C2", "evidence": Evidence.self_assessment},
                {"language": "tr", "level": "B2", "evidence": Evidence.self_assessment},
            ],
            "schooling_years": 9,
            "schooling_level": "2",
            "skills": [
                {"skill": "metal.manual", "evidence": SkillEvidence.observed},
                {"skill": "general.hand_tools", "evidence": SkillEvidence.observed},
            ],
            "work_habits": ["punctuality", "asks_when_unsure", "feedback"],
            "courses": [{"course": "integration_course", "status": "in_progress"}],
            "summary": "Hat beim Onkel in der Werkstatt Tore und Geländer montiert. "
            "Möchte eine Ausbildung im Metallbau beginnen.",
            "hours_per_week": 35,
            "permit_status": PermitStatus.cleared,
            "age_band": "18-24",
        },
        "occupations": [("experience", "24412", 2, True), ("desired", "24412", None, None)],
        "municipalities": ["Nordheim", "Südhausen"],
        "consent": {"method": ConsentMethod.signed_form, "language": "de", "days": 12},
        "days": 15,
    },
    {
        "code": "K-DEMJ-24",
        "manager": "berit",
        "status": CandidateStatus.active,
        "programme": "KAI – Kurs . Arbeit . Integration",
        "identity": {
            "given_names": "Iryna",
            "family_name": "Shevchenko",
            "date_of_birth": "1979-08-25",
            "phone": "0555 20304-51",
            "email": "iryna.s@example.org",
            "street": "Gartenweg 9",
            "postcode": "12348",
            "city": "Südhausen",
            "residence_status": "Aufenthaltserlaubnis (§ 24 AufenthG)",
            "work_access": WorkAccess.free,
        },
        "profile": {
            "german_level": "B1",
            "german_evidence": Evidence.test,
            "languages": [{"language": "uk", "level": "C2", "evidence": Evidence.self_assessment}],
            "schooling_years": 11,
            "schooling_level": "4",
            "skills": [
                {"skill": "gastronomy.cooking", "evidence": SkillEvidence.observed},
                {"skill": "gastronomy.hygiene", "evidence": SkillEvidence.certified},
                {"skill": "gastronomy.food_prep", "evidence": SkillEvidence.observed},
            ],
            "work_habits": ["careful_work", "tidy", "teamwork"],
            "courses": [
                {"course": "food_hygiene", "status": "completed"},
                {"course": "recognition", "status": "partially_granted"},
            ],
            "summary": "Köchin mit Ausbildung und fünf Jahren Erfahrung in einer Kantine.",
            "hours_per_week": 30,
            "shift_work": True,
            "permit_status": PermitStatus.cleared,
        },
        "occupations": [("training", "29302", 5, True), ("desired", "29302", None, None)],
        "municipalities": ["Südhausen", "Musterstadt"],
        "consent": {"method": ConsentMethod.signed_form, "language": "uk", "days": 25},
        "days": 35,
    },
    {
        "code": "K-DEMK-24",
        "manager": "berit",
        "status": CandidateStatus.active,
        "programme": "Jobcenter-Projekt Praktikum",
        "identity": {
            "given_names": "Dmitri",
            "family_name": "Volkov",
            "date_of_birth": "1990-12-12",
            "phone": "0555 20304-52",
            "city": "Musterstadt",
            "residence_status": "Niederlassungserlaubnis",
            "work_access": WorkAccess.free,
        },
        "profile": {
            "german_level": "A2",
            "german_evidence": Evidence.certificate,
            "languages": [{"language": "ru", "level": "C2", "evidence": Evidence.self_assessment}],
            "schooling_years": 11,
            "schooling_level": "3",
            "skills": [
                {"skill": "logistics.forklift", "evidence": SkillEvidence.certified},
                {"skill": "logistics.goods_in", "evidence": SkillEvidence.self_reported},
                {"skill": "logistics.stocktaking", "evidence": SkillEvidence.self_reported},
            ],
            "work_habits": ["reliability", "independent"],
            "courses": [{"course": "forklift_course", "status": "completed"}],
            "summary": "Staplerschein vorhanden; drei Jahre Lagerarbeit vor der Einreise.",
            "hours_per_week": 40,
            "shift_work": True,
            "driving_licences": ["B", "C1"],
            "permit_status": PermitStatus.cleared,
        },
        "occupations": [("experience", "51312", 3, True), ("desired", "51312", None, None)],
        "municipalities": ["Musterstadt", "Weststadt"],
        "consent": {"method": ConsentMethod.electronic, "language": "ru", "days": 8},
        "days": 10,
    },
    {
        "code": "K-DEMM-24",
        "manager": "berit",
        "status": CandidateStatus.draft,
        "programme": None,
        "identity": {
            "given_names": "Abdi",
            "family_name": "Warsame",
            "date_of_birth": "2001-04-01",
            "city": "Musterstadt",
            "work_access": WorkAccess.unknown,
        },
        "profile": {
            "german_level": "A1",
            "german_in_course": True,
            "languages": [{"language": "so", "level": "C2", "evidence": Evidence.self_assessment}],
            "permit_status": PermitStatus.being_cleared,
        },
        "occupations": [("desired", "24422", None, None)],
        "municipalities": [],
        "days": 1,
    },
    {
        "code": "K-DEMN-24",
        "manager": "berit",
        "status": CandidateStatus.closed,
        "programme": "KAI – Kurs . Arbeit . Integration",
        "identity": {
            "given_names": "Nour",
            "family_name": "Saleh",
            "date_of_birth": "1997-06-18",
            "phone": "0555 20304-54",
            "city": "Osterfeld",
            "residence_status": "Aufenthaltserlaubnis (§ 25 Abs. 2 AufenthG)",
            "work_access": WorkAccess.free,
        },
        "profile": {
            "german_level": "B2",
            "german_evidence": Evidence.certificate,
            "languages": [{"language": "ar", "level": "C2", "evidence": Evidence.self_assessment}],
            "schooling_years": 12,
            "schooling_level": "3",
            "skills": [{"skill": "logistics.picking", "evidence": SkillEvidence.observed}],
            "work_habits": ["punctuality", "reliability"],
            "courses": [{"course": "b1_dtz", "status": "completed"}],
            "permit_status": PermitStatus.cleared,
        },
        "occupations": [("desired", "51311", None, None)],
        "municipalities": ["Osterfeld"],
        "consent": {"method": ConsentMethod.signed_form, "language": "ar", "days": 120},
        "days": 130,
        "closed": 5,
    },
]


def demo_pdf(title: str, lines: list[str]) -> bytes:
    """A small valid one-page PDF (Helvetica, A4) with a title and a few lines of text."""

    def text(value: str) -> str:
        escaped = value.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")
        return escaped.encode("cp1252", "replace").decode("latin-1")

    rows = [f"BT /F1 16 Tf 56 780 Td ({text(title)}) Tj ET"]
    rows += [
        f"BT /F1 11 Tf 56 {750 - 18 * number} Td ({text(line)}) Tj ET"
        for number, line in enumerate(lines)
    ]
    stream = "\n".join(rows)
    objects = [
        "<< /Type /Catalog /Pages 2 0 R >>",
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
        "/Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>",
        "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
        f"<< /Length {len(stream.encode('latin-1'))} >>\nstream\n{stream}\nendstream",
    ]
    out = b"%PDF-1.4\n"
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n{body}\nendobj\n".encode("latin-1")
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    out += "".join(f"{offset:010d} 00000 n \n" for offset in offsets).encode()
    out += (
        f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n"
    ).encode()
    return out


DEMO_DOCUMENT = demo_pdf(
    "Kompetenzpass (Demo)",
    [
        "Lager und Logistik: Kommissionieren mit Handscanner, Wareneingang.",
        "Arbeitsverhalten: zuverlässig, arbeitet gut im Team.",
        "Fiktives Dokument für die Demo des Praktikumsportals.",
    ],
)


async def seed_candidates(settings: Settings) -> int:
    """The demo candidates, sealed with the vault of `settings`; the number of them."""
    vault = Vault(settings.identity_keys)
    storage = storage_from_settings(settings)
    codes = [spec["code"] for spec in DEMO_CANDIDATES]
    existing = set(
        await Candidate.select(Candidate.code)
        .where(Candidate.code.is_in(codes))
        .output(as_list=True)
    )
    if len(existing) == len(codes):
        return len(codes)
    users = {
        row["email"]: row
        for row in await User.select(User.id, User.email, User.organisation).where(
            User.email.is_in(list(CASE_MANAGERS.values()))
        )
    }
    places = {
        "municipalities": {
            row["name"]: row["id"]
            for row in await Municipality.select(Municipality._meta.primary_key, Municipality.name)
        },
        "programmes": {
            row["name"]: row["id"]
            for row in await Programme.select(Programme._meta.primary_key, Programme.name)
        },
    }
    for spec in DEMO_CANDIDATES:
        if spec["code"] not in existing:
            manager = users[CASE_MANAGERS[spec["manager"]]]
            await _demo_candidate(
                spec, manager, places, vault, storage, settings.duplicate_hash_key
            )
    return len(codes)


async def _demo_candidate(
    spec: dict[str, Any],
    manager: dict[str, Any],
    places: dict[str, Any],
    vault: Vault,
    storage: Storage,
    hash_key: str,
) -> None:
    """One demo candidate with identity, occupations, municipalities, consent and document."""
    moment = now()

    def ago(days: int | None) -> dt.datetime | None:
        return None if days is None else moment - dt.timedelta(days=days)

    status = spec["status"]
    consent = spec.get("consent")
    closed = ago(spec.get("closed"))
    withdrawn = ago(consent.get("withdrawn")) if consent else None
    columns: dict[str, Any] = {
        name: json.dumps(value) if isinstance(value, list) else value
        for name, value in spec["profile"].items()
    }
    candidate = Candidate(
        code=spec["code"],
        organisation=manager["organisation"],
        case_manager=manager["id"],
        programme=places["programmes"].get(spec["programme"]),
        status=status,
        created_at=ago(spec["days"]),
        updated_at=ago(min(spec["days"], 2)),
        activated_at=ago(consent["days"]) if consent and status != "draft" else None,
        closed_at=closed,
        # The retention period runs from the closing, or from the withdrawal of consent.
        retention_from=closed or withdrawn,
        erased_at=ago(spec.get("erased")),
        earliest_start=today() + dt.timedelta(days=14) if status == "active" else None,
        **columns,
    )
    key = None
    if spec.get("document"):
        key = new_document_key()
        await storage.put(key, DEMO_DOCUMENT, "application/pdf")
    try:
        async with Candidate._meta.db.transaction():
            await candidate.save()
            if spec["identity"] is not None:
                await _demo_identity(
                    candidate.id, IdentityData(**spec["identity"]), vault, hash_key
                )
            for kind, code, years, abroad in spec["occupations"]:
                prefixes: dict[str, Any] = occupation_prefixes(code)
                await CandidateOccupation(
                    candidate=candidate.id,
                    kind=kind,
                    occupation=code,
                    years=years,
                    abroad=abroad,
                    **prefixes,
                ).save()
            for name in spec["municipalities"]:
                await CandidateMunicipality(
                    candidate=candidate.id, municipality=places["municipalities"][name]
                ).save()
            if key is not None:
                filename, kind = spec["document"]
                document = Document(
                    organisation=manager["organisation"],
                    candidate=candidate.id,
                    kind=kind,
                    storage_key=key,
                    filename=filename,
                    content_type="application/pdf",
                    size=len(DEMO_DOCUMENT),
                    checksum=hashlib.sha256(DEMO_DOCUMENT).hexdigest(),
                    uploaded_by=manager["id"],
                    uploaded_at=ago(spec["days"] - 1),
                )
                await document.save()
            if consent:
                await Consent(
                    candidate=candidate.id,
                    show_profile=True,
                    talent_pool=consent["method"] != ConsentMethod.oral_interpreter,
                    release_identity=True,
                    given_on=(moment - dt.timedelta(days=consent["days"])).date(),
                    method=consent["method"],
                    text_version="2026-01",
                    language=consent["language"],
                    recorded_by=manager["id"],
                    recorded_at=ago(consent["days"]),
                    ended_at=withdrawn,
                    ended_reason="withdrawn" if withdrawn else "",
                    ended_by=manager["id"] if withdrawn else None,
                ).save()
    except BaseException:
        # No object without its row: the next run stores the document again.
        if key is not None:
            await storage.delete(key)
        raise


async def _demo_identity(
    candidate_id: Any, identity: IdentityData, vault: Vault, hash_key: str
) -> None:
    person = CandidateIdentity(candidate=candidate_id)
    for name, value in vault.seal_identity(identity, record_id=person.id).items():
        setattr(person, name, value)
    person.dup_hash = duplicate_hash(hash_key, identity.full_name, identity.date_of_birth)
    await person.save()
