"""The demo district: organisations of every kind and a user for every role.

Idempotent: records are looked up by e-mail address / name before they are created, so running
the set-up twice changes nothing. Each feature extends this file.
"""

from __future__ import annotations

from portal.accounts.passwords import hash_password
from portal.accounts.services import now
from portal.accounts.tables import Chamber, Organisation, OrgKind, OrgStatus, Role, SizeClass, User
from portal.pages.services import save_site_text
from portal.pages.tables import PageSlug, SiteText
from portal.reference.services import load_reference
from portal.reference.tables import Municipality, Programme

DEMO_PASSWORD = "Praktikum-Demo-2026"  # noqa: S105 - printed for the demo on purpose

ORGANISATIONS = [
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
    ("IHK Musterregion", OrgKind.chamber, OrgStatus.active, {}),
    ("Handwerkskammer Musterregion", OrgKind.chamber, OrgStatus.active, {}),
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


async def seed() -> list[tuple[str, str, str]]:
    municipality_ids = await _reference_data()
    org_ids = [await _organisation(*spec) for spec in ORGANISATIONS]
    await _place_employers(municipality_ids)
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
    return accounts


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
