"""The demo district: organisations of every kind and a user for every role.

Idempotent: records are looked up by e-mail address / name before they are created, so running
the set-up twice changes nothing. Each feature extends this file.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from portal.accounts.passwords import hash_password
from portal.accounts.tables import Chamber, Organisation, OrgKind, OrgStatus, Role, SizeClass, User
from portal.clock import now, today
from portal.employers.tables import Slot, SlotKind, SlotStatus
from portal.pages.services import save_site_text
from portal.pages.tables import PageSlug, SiteText
from portal.reference import services as reference
from portal.reference.limits import save_limit
from portal.reference.loading import load_reference
from portal.reference.tables import Municipality, OperatingLimit, Programme, occupation_prefixes

DEMO_PASSWORD = "Praktikum-Demo-2026"  # noqa: S105 - printed for the demo on purpose

ORGANISATIONS: list[tuple[str, OrgKind, OrgStatus, dict[str, Any]]] = [
    # name, kind, status, extra
    ("Koordinierungsstelle Landkreis Musterland", OrgKind.operator, OrgStatus.active, {}),
    ("Jobcenter Musterland", OrgKind.case_management, OrgStatus.active, {}),
    ("Integrationszentrum Musterstadt e. V.", OrgKind.case_management, OrgStatus.active, {}),
    (
        "Metallbau Schmidt GmbH",
        OrgKind.employer,
        OrgStatus.active,
        {"sector": "Metall- und Stahlbau", "size_class": SizeClass.small, "chamber": Chamber.hwk},
    ),
    (
        "Logistik Nord GmbH & Co. KG",
        OrgKind.employer,
        OrgStatus.active,
        {"sector": "Lager und Logistik", "size_class": SizeClass.medium, "chamber": Chamber.ihk},
    ),
    (
        "Gasthaus Zur Linde",
        OrgKind.employer,
        OrgStatus.pending,
        {"sector": "Gastronomie", "size_class": SizeClass.micro, "chamber": Chamber.ihk},
    ),
    # A chamber's statistics show its member employers (the employers' chamber membership).
    ("IHK Musterregion", OrgKind.chamber, OrgStatus.active, {"chamber": Chamber.ihk}),
    ("Handwerkskammer Musterregion", OrgKind.chamber, OrgStatus.active, {"chamber": Chamber.hwk}),
    ("Landkreis Musterland – Sozialdezernat", OrgKind.authority, OrgStatus.active, {}),
]

USERS = [
    # e-mail, name, role, organisation
    ("admin@demo.portal.test", "Petra Koordinatorin", Role.operator_admin, 0),
    ("teamleitung@demo.portal.test", "Tanja Teamleitung", Role.team_lead, 1),
    ("fallmanager@demo.portal.test", "Felix Fallmanager", Role.case_manager, 1),
    ("beratung@demo.portal.test", "Berit Beraterin", Role.case_manager, 2),
    ("chef@metallbau.demo.portal.test", "Stefan Schmidt", Role.employer_admin, 3),
    ("meister@metallbau.demo.portal.test", "Murat Meister", Role.employer_member, 3),
    ("personal@logistik.demo.portal.test", "Lena Lager", Role.employer_admin, 4),
    ("wirt@linde.demo.portal.test", "Gerd Gastwirt", Role.employer_admin, 5),
    ("statistik@ihk.demo.portal.test", "Ida Statistik", Role.statistics_viewer, 6),
    ("statistik@hwk.demo.portal.test", "Hanna Handwerk", Role.statistics_viewer, 7),
    ("controlling@landkreis.demo.portal.test", "Carl Controlling", Role.statistics_viewer, 8),
]

# The demo district and its municipalities. The AGS are made up: no Land has the key 99.
DISTRICT = "Landkreis Musterland"
MUNICIPALITIES = [
    ("Musterstadt", "09999001"),
    ("Nordheim", "09999002"),
    ("Südhausen", "09999003"),
    ("Weststadt", "09999004"),
    ("Osterfeld", "09999005"),
]
EMPLOYER_MUNICIPALITIES = {
    "Metallbau Schmidt GmbH": "Nordheim",
    "Logistik Nord GmbH & Co. KG": "Musterstadt",
    "Gasthaus Zur Linde": "Südhausen",
}
PROGRAMMES = [
    (
        "WIR-Fallmanagement",
        "Fallmanagement für Geflüchtete und Zugewanderte in Hessen (WIR – Vielfalt und Teilhabe).",
    ),
    (
        "Durchstarten in Ausbildung und Arbeit",
        "Landesinitiative Nordrhein-Westfalen für junge Geduldete und Gestattete.",
    ),
    (
        "KAI – Kurs . Arbeit . Integration",
        "Programm des Landkreises Leipzig: Sprachkurs, Praktikum und Begleitung in Arbeit.",
    ),
    (
        "Jobcenter-Projekt Praktikum",
        "Praktika über das Jobcenter, z. B. als Maßnahme bei einem Arbeitgeber (§45 SGB III).",
    ),
]

# The demo employers' contact person (company profile), set where none is given yet.
EMPLOYER_CONTACTS = {
    "Metallbau Schmidt GmbH": (
        "Stefan Schmidt",
        "05551 12345-0",
        "chef@metallbau.demo.portal.test",
    ),
    "Logistik Nord GmbH & Co. KG": (
        "Lena Lager",
        "0555 98765-12",
        "personal@logistik.demo.portal.test",
    ),
}
# Slots of the demo employers in every state an employer sets. Days count from today, so that
# the demo always has upcoming slots: (first day, last day) or, for a window, (first, last, days).
SLOTS: list[dict[str, Any]] = [
    {
        "employer": "Metallbau Schmidt GmbH",
        "title": "Orientierungspraktikum Schweißen (MAG)",
        "occupation": "24422",
        "kind": SlotKind.orientation_internship,
        "status": SlotStatus.open,
        "days": (14, 27),
        "tasks": "Werkstücke vorbereiten, heften, einfache MAG-Kehlnähte unter Anleitung.",
        "requirements": "Interesse an Metall, Sicherheitsschuhe (werden sonst gestellt).",
        "min_german": "A2",
        "hours_per_week": 38,
        "places": 2,
        "safety_equipment": True,
        "hire_possible": True,
    },
    {
        "employer": "Metallbau Schmidt GmbH",
        "title": "Praktikum Metallbearbeitung: Sägen, Bohren, Entgraten",
        "occupation": "24202",
        "kind": SlotKind.employer_measure,
        "status": SlotStatus.open,
        "days": (7, 60, 21),
        "tasks": "Zuschnitt an der Bandsäge, Bohren nach Zeichnung, Entgraten und Messen.",
        "requirements": "Grundrechenarten; eine Zeichnung lesen lernen wir gemeinsam.",
        "min_german": "A2",
        "hours_per_week": 35,
        "places": 1,
        "safety_equipment": True,
        "hire_possible": True,
    },
    {
        "employer": "Metallbau Schmidt GmbH",
        "title": "Hospitation in der Schlosserei",
        "occupation": "24412",
        "kind": SlotKind.job_shadowing,
        "status": SlotStatus.draft,
        "days": (30, 32),
        "tasks": "Einen Tag im Team mitlaufen: Montage von Geländern und Toren.",
        "hours_per_week": 24,
        "places": 1,
    },
    {
        "employer": "Metallbau Schmidt GmbH",
        "title": "Probearbeit Metallbauer/in",
        "occupation": "24412",
        "kind": SlotKind.training_slot,
        "status": SlotStatus.closed,
        "days": (-40, -31),
        "tasks": "Probearbeit vor einer Ausbildung zur Metallbauerin / zum Metallbauer.",
        "min_german": "B1",
        "hours_per_week": 38,
        "places": 1,
        "safety_equipment": True,
        "hire_possible": True,
    },
    {
        # Open without a nomination and ending soon: the employer's dashboard and the
        # console's attention list show a slot about to expire unfilled.
        "employer": "Metallbau Schmidt GmbH",
        "title": "Schnupperpraktikum Blechbearbeitung",
        "occupation": "24412",
        "kind": SlotKind.job_shadowing,
        "status": SlotStatus.open,
        "days": (2, 12),
        "tasks": "Bleche zuschneiden, kanten und entgraten; Einblick in die Fertigung.",
        "min_german": "A2",
        "hours_per_week": 30,
        "places": 1,
        "safety_equipment": True,
        "hire_possible": False,
    },
    {
        "employer": "Logistik Nord GmbH & Co. KG",
        "title": "Praktikum Lager und Kommissionierung",
        "occupation": "51311",
        "kind": SlotKind.orientation_internship,
        "status": SlotStatus.open,
        "days": (10, 29),
        "tasks": "Ware annehmen, einlagern, nach Liste kommissionieren, Handscanner bedienen.",
        "requirements": "Schichtbereitschaft (Früh- oder Spätschicht).",
        "min_german": "A2",
        "hours_per_week": 40,
        "places": 3,
        "safety_equipment": True,
        "hire_possible": True,
    },
    {
        "employer": "Logistik Nord GmbH & Co. KG",
        "title": "Praktikum Wareneingang mit Staplerschein",
        "occupation": "51312",
        "kind": SlotKind.training_slot,
        "status": SlotStatus.paused,
        "days": (21, 30),
        "tasks": "Wareneingang prüfen, mit dem Gabelstapler einlagern, Bestände buchen.",
        "requirements": "Staplerschein",
        "min_german": "B1",
        "hours_per_week": 40,
        "places": 1,
        "safety_equipment": True,
    },
    {
        "employer": "Logistik Nord GmbH & Co. KG",
        "title": "Hospitation Versand",
        "occupation": "51311",
        "kind": SlotKind.job_shadowing,
        "status": SlotStatus.draft,
        "days": (45, 46),
        "tasks": "Verpacken, Etikettieren, Übergabe an die Paketdienste.",
        "hours_per_week": 16,
        "places": 2,
    },
]

SITE_TEXTS = {
    (
        PageSlug.imprint,
        "de",
    ): "Landkreis Musterland – Koordinierungsstelle Arbeitsmarktintegration\n\n"
    "Musterstraße 1, 12345 Musterstadt\n\nE-Mail: koordination@landkreis-musterland.example.org",
    (PageSlug.imprint, "en"): "District of Musterland – Coordination office for labour-market "
    "integration\n\nMusterstraße 1, 12345 Musterstadt, Germany\n\n"
    "E-mail: koordination@landkreis-musterland.example.org",
    (PageSlug.privacy, "de"): "Verantwortlich für die Datenverarbeitung ist der Landkreis "
    "Musterland. Profile von Teilnehmenden werden pseudonymisiert gezeigt; Namen und Kontaktdaten "
    "erhalten Arbeitgeber erst nach Zusage und Einwilligung.",
    (PageSlug.privacy, "en"): "The district of Musterland is the controller. Participants' "
    "profiles are shown pseudonymised; employers receive names and contact details only after "
    "they accept and the person has consented.",
    (PageSlug.accessibility, "de"): "Barrieren gefunden? Schreiben Sie uns an "
    "barrierefreiheit@landkreis-musterland.example.org oder rufen Sie an: 01234 56789-0.",
    (PageSlug.accessibility, "en"): "Found a barrier? Write to "
    "barrierefreiheit@landkreis-musterland.example.org or call +49 1234 56789-0.",
}


async def _organisation(name: str, kind: OrgKind, status: OrgStatus, extra: dict) -> object:
    row = await Organisation.select(Organisation.id).where(Organisation.name == name).first()
    if row:
        return row["id"]
    organisation = Organisation(
        name=name,
        kind=kind,
        status=status,
        street="Musterstraße 1",
        postcode="12345",
        city="Musterstadt",
        decided_at=now() if status != OrgStatus.pending else None,
        **extra,
    )
    await organisation.save()
    return organisation.id


async def _reference_data() -> dict[str, int]:
    """Occupations, the district's municipalities and the programmes; the municipalities' ids."""
    # `make run` loads the occupations before the demo; a demo set up on its own needs them too.
    await load_reference()
    known = {
        row["name"]: row["id"]
        for row in await Municipality.select(Municipality._meta.primary_key, Municipality.name)
    }
    for name, ags in MUNICIPALITIES:
        if name not in known:
            inserted = await Municipality.insert(
                Municipality(name=name, ags=ags, district=DISTRICT)
            ).returning(Municipality._meta.primary_key)
            known[name] = inserted[0]["id"]
    programmes = {row["name"] for row in await Programme.select(Programme.name)}
    for name, description in PROGRAMMES:
        if name not in programmes:
            await Programme(name=name, description=description).save()
    return known


async def _place_employers(municipality_ids: dict[str, int]) -> None:
    """Each demo employer in its municipality, unless someone has chosen one for it since."""
    for employer, municipality in EMPLOYER_MUNICIPALITIES.items():
        await Organisation.update(
            {Organisation.municipality: municipality_ids[municipality]}
        ).where((Organisation.name == employer) & Organisation.municipality.is_null())


async def _employer_contacts() -> None:
    """The demo employers' contact person, unless someone has entered one since."""
    for employer, (name, phone, email) in EMPLOYER_CONTACTS.items():
        await Organisation.update(
            {
                Organisation.contact_name: name,
                Organisation.contact_phone: phone,
                Organisation.contact_email: email,
            }
        ).where((Organisation.name == employer) & (Organisation.contact_name == ""))


async def _slots(municipality_ids: dict[str, int]) -> None:
    """The demo employers' slots, looked up by employer and title (created once)."""
    employers = {
        row["name"]: row
        for row in await Organisation.select(
            Organisation.id, Organisation.name, Organisation.municipality
        ).where(Organisation.name.is_in(list(EMPLOYER_CONTACTS)))
    }
    first_day = today()
    moment = now()
    for spec in SLOTS:
        employer = employers[spec["employer"]]
        if await Slot.exists().where(
            (Slot.employer == employer["id"]) & (Slot.title == spec["title"])
        ):
            continue
        days = spec["days"]
        start, end = (first_day + dt.timedelta(days=offset) for offset in days[:2])
        name, phone, email = EMPLOYER_CONTACTS[spec["employer"]]
        values: dict[str, Any] = {
            **{k: v for k, v in spec.items() if k not in ("employer", "days")},
            **occupation_prefixes(spec["occupation"]),
            "employer": employer["id"],
            "municipality": employer["municipality"]
            or municipality_ids[EMPLOYER_MUNICIPALITIES[spec["employer"]]],
            "start_date": start,
            "end_date": end,
            "flexible": len(days) == 3,
            "duration_days": days[2] if len(days) == 3 else (end - start).days + 1,
            "contact_name": name,
            "contact_phone": phone,
            "contact_email": email,
            # Open, paused and closed slots were published once.
            "published_at": moment if spec["status"] != SlotStatus.draft else None,
        }
        await Slot(**values).save()


async def seed() -> list[tuple[str, str, str]]:
    municipality_ids = await _reference_data()
    org_ids = [await _organisation(*spec) for spec in ORGANISATIONS]
    await _place_employers(municipality_ids)
    await _employer_contacts()
    await _slots(municipality_ids)
    password_hash = await hash_password(DEMO_PASSWORD)
    accounts = []
    for email, name, role, index in USERS:
        if not await User.exists().where(User.email == email):
            await User.insert(
                User(
                    email=email,
                    display_name=name,
                    role=role,
                    organisation=org_ids[index],
                    password_hash=password_hash,
                    email_confirmed_at=now(),
                )
            )
        accounts.append((email, role.value, ORGANISATIONS[index][0]))
    for (slug, language), body in SITE_TEXTS.items():
        exists = await SiteText.exists().where(
            (SiteText.slug == slug) & (SiteText.language == language)
        )
        if not exists:
            await save_site_text(slug, language, body)
    await _console_story()
    return accounts


# A programme that ended: the coordination office retired it in the console (the cases that
# named it keep it), and set the audit log's retention — so the audit log shows the console.
ENDED_PROGRAMME = ("ESF-Modellprojekt Brücke (beendet)", "Lief bis Ende 2025; keine neuen Fälle.")


async def _console_story() -> None:
    """The operator's own entries in the audit log, made once through the console's services."""
    row = await User.select(User.id, User.organisation).where(User.email == USERS[0][0]).first()
    if row is None:
        return
    actor = reference.Actor(row["id"], row["organisation"], "127.0.0.1")
    if not await Programme.exists().where(Programme.name == ENDED_PROGRAMME[0]):
        ended = await reference.add_programme(
            ENDED_PROGRAMME[0], description=ENDED_PROGRAMME[1], actor=actor
        )
        await reference.set_programme_active(reference.primary_key(ended), False, actor=actor)
    if not await OperatingLimit.exists().where(OperatingLimit.key == "audit_retention_months"):
        await save_limit(
            "audit_retention_months",
            36,
            actor_id=actor.id,
            actor_organisation_id=actor.organisation_id,
        )


async def create_operator_admin(
    email: str, display_name: str, organisation_name: str, password: str
) -> None:
    email = email.strip().lower()
    if await User.exists().where(User.email == email):
        raise ValueError("a user with this e-mail address exists already")
    org_id = await _organisation(organisation_name, OrgKind.operator, OrgStatus.active, {})
    await User.insert(
        User(
            email=email,
            display_name=display_name,
            role=Role.operator_admin,
            organisation=org_id,
            password_hash=await hash_password(password),
            email_confirmed_at=now(),
        )
    )
