"""Candidates: the pseudonymised profile, the encrypted identity, consent and documents.

The two parts of a candidate live in two tables (PRODUCT.md section 3): `Candidate` holds what
an employer may see (a random code, the competence summary), `CandidateIdentity` what only the
owning organisation may read — every personal column there is ciphertext (see `vault.py`).
"""

from __future__ import annotations

import enum

from piccolo.columns import (
    JSON,
    UUID,
    Boolean,
    Date,
    ForeignKey,
    Integer,
    OnDelete,
    Text,
    Timestamptz,
    Varchar,
)
from piccolo.columns.defaults.timestamptz import TimestamptzNow
from piccolo.table import Table

from portal.accounts.tables import Organisation, User
from portal.reference.tables import CEFR, Municipality, Occupation, Programme


class CandidateStatus(enum.StrEnum):
    draft = "draft"
    active = "active"
    placed = "placed"
    paused = "paused"
    closed = "closed"


class Evidence(enum.StrEnum):
    """How a language level is known (PRODUCT.md section 4)."""

    certificate = "certificate"
    test = "test"
    self_assessment = "self_assessment"
    estimate = "estimate"  # the case manager's estimate


class SkillEvidence(enum.StrEnum):
    """How a skill is known."""

    self_reported = "self_reported"
    observed = "observed"
    tested = "tested"
    certified = "certified"


class PermitStatus(enum.StrEnum):
    """The work permit as an employer may see it — never the residence status behind it."""

    cleared = "cleared"
    being_cleared = "being_cleared"


class WorkAccess(enum.StrEnum):
    """Access to the labour market, kept (encrypted) in the identity."""

    free = "free"
    permit_per_job = "permit_per_job"
    not_allowed = "not_allowed"
    unknown = "unknown"


class OccupationKind(enum.StrEnum):
    desired = "desired"
    training = "training"  # vocational training completed
    experience = "experience"  # work experience


class Candidate(Table):
    """The pseudonymised profile: nothing in it identifies the person."""

    id = UUID(primary_key=True)
    # Random, not derived from any personal datum (codes.new_code), e.g. K-7QX4-2M.
    code = Varchar(length=12, unique=True)
    organisation = ForeignKey(references=Organisation, on_delete=OnDelete.restrict, index=True)
    case_manager = ForeignKey(
        references=User, on_delete=OnDelete.set_null, null=True, default=None, index=True
    )
    programme = ForeignKey(
        references=Programme, on_delete=OnDelete.set_null, null=True, default=None, index=True
    )
    status = Varchar(length=10, choices=CandidateStatus, default=CandidateStatus.draft, index=True)
    # German (matched against a slot's minimum, hence columns of their own).
    german_level = Varchar(length=2, choices=CEFR, null=True, default=None, index=True)
    german_in_course = Boolean(default=False)
    german_evidence = Varchar(length=20, choices=Evidence, null=True, default=None)
    # [{"language": "ar", "level": "C2", "evidence": "self_assessment"}] (ISO 639-1 codes).
    languages = JSON(default="[]")
    schooling_years = Integer(null=True, default=None)
    # ISCED 2011 level of the highest schooling completed ("0" … "8").
    schooling_level = Varchar(length=1, null=True, default=None)
    # [{"skill": "metal.mig_mag", "evidence": "observed"}] (codes of competences.SKILLS).
    skills = JSON(default="[]")
    # ["punctuality", …] (codes of competences.WORK_HABITS), observed by the case manager.
    work_habits = JSON(default="[]")
    # [{"course": "integration_course", "status": "completed"}] (codes of competences.COURSES).
    courses = JSON(default="[]")
    # Free text shown to employers: checked by the PII guard (pii.py) before it is saved.
    summary = Text(default="")
    # Availability and mobility.
    earliest_start = Date(null=True, default=None, index=True)
    hours_per_week = Integer(null=True, default=None)
    shift_work = Boolean(default=False)
    # ["B", "C1", …]
    driving_licences = JSON(default="[]")
    permit_status = Varchar(
        length=15, choices=PermitStatus, default=PermitStatus.being_cleared, index=True
    )
    # An age band at most, and only if the person agreed (PRODUCT.md section 4); empty = none.
    age_band = Varchar(length=10, default="")
    created_at = Timestamptz(default=TimestamptzNow(), index=True)
    updated_at = Timestamptz(default=TimestamptzNow())
    activated_at = Timestamptz(null=True, default=None)
    closed_at = Timestamptz(null=True, default=None)
    # When the retention period began (case closed or consent withdrawn); None while it runs.
    retention_from = Timestamptz(null=True, default=None, index=True)
    # Identity, documents and free text erased; the pseudonymised facts stay for statistics.
    erased_at = Timestamptz(null=True, default=None, index=True)


class CandidateOccupation(Table):
    """Desired occupations, vocational training and work experience, by KldB 2010 code."""

    candidate = ForeignKey(references=Candidate, on_delete=OnDelete.cascade, index=True)
    kind = Varchar(length=12, choices=OccupationKind, index=True)
    occupation = ForeignKey(references=Occupation, on_delete=OnDelete.restrict, index=True)
    # The code's prefixes, as on Slot, so that matching by level is an indexed equality.
    occupation_area = Varchar(length=1, index=True)
    occupation_main_group = Varchar(length=2, index=True)
    occupation_group = Varchar(length=3, default="", index=True)
    years = Integer(null=True, default=None)
    # Where the training or experience was gained: abroad or in Germany — never the country.
    abroad = Boolean(null=True, default=None)


class CandidateMunicipality(Table):
    """A municipality the candidate can reach for work."""

    candidate = ForeignKey(references=Candidate, on_delete=OnDelete.cascade, index=True)
    municipality = ForeignKey(references=Municipality, on_delete=OnDelete.cascade, index=True)


class CandidateIdentity(Table):
    """Who the person is. Every text column but `dup_hash` holds AES-GCM ciphertext."""

    id = UUID(primary_key=True)
    candidate = ForeignKey(
        references=Candidate, on_delete=OnDelete.cascade, unique=True, index=True
    )
    given_names = Text(default="")
    family_name = Text(default="")
    date_of_birth = Text(default="")
    phone = Text(default="")
    email = Text(default="")
    street = Text(default="")
    postcode = Text(default="")
    city = Text(default="")
    file_number = Text(default="")
    residence_status = Text(default="")
    work_access = Text(default="")
    residence_document_expires = Text(default="")
    work_permit_expires = Text(default="")
    notes = Text(default="")
    # Keyed hash of normalised name + date of birth, for the duplicate hint across organisations.
    dup_hash = Varchar(length=64, default="", index=True)
    updated_at = Timestamptz(default=TimestamptzNow())


class DocumentKind(enum.StrEnum):
    certificate = "certificate"
    competence_passport = "competence_passport"
    consent_form = "consent_form"
    agreement = "agreement"
    evaluation = "evaluation"
    other = "other"


class Document(Table):
    """A stored file; the bytes are in the storage (storage.py) under a random key."""

    id = UUID(primary_key=True)
    organisation = ForeignKey(references=Organisation, on_delete=OnDelete.restrict, index=True)
    candidate = ForeignKey(
        references=Candidate, on_delete=OnDelete.cascade, null=True, default=None, index=True
    )
    kind = Varchar(length=20, choices=DocumentKind)
    storage_key = Varchar(length=64, unique=True)
    # The uploader's file name, kept as metadata only (never used as a path or a key).
    filename = Varchar(length=255, default="")
    # Decided from the bytes (uploads.sniff), not from the name or the browser's claim.
    content_type = Varchar(length=40)
    size = Integer()
    checksum = Varchar(length=64)  # SHA-256, hex
    # A redacted copy the case manager marked as shareable with the employers the candidate is
    # nominated to; everything else stays with the owning organisation.
    shareable = Boolean(default=False)
    uploaded_by = ForeignKey(references=User, on_delete=OnDelete.set_null, null=True, default=None)
    uploaded_at = Timestamptz(default=TimestamptzNow())


class ConsentMethod(enum.StrEnum):
    signed_form = "signed_form"
    oral_interpreter = "oral_interpreter"
    oral = "oral"
    electronic = "electronic"


class Consent(Table):
    """What the person agreed to, when and how; at most one is active (ended_at is None)."""

    id = UUID(primary_key=True)
    candidate = ForeignKey(references=Candidate, on_delete=OnDelete.cascade, index=True)
    show_profile = Boolean(default=False)  # pseudonymised profile shown to employers
    talent_pool = Boolean(default=False)  # profile in the employers' talent pool
    release_identity = Boolean(default=False)  # name and contact to an employer who accepts
    given_on = Date()
    method = Varchar(length=20, choices=ConsentMethod)
    text_version = Varchar(length=40)
    # The language the consent was explained and given in (ISO 639-1).
    language = Varchar(length=8)
    document = ForeignKey(references=Document, on_delete=OnDelete.set_null, null=True, default=None)
    recorded_by = ForeignKey(references=User, on_delete=OnDelete.set_null, null=True, default=None)
    recorded_at = Timestamptz(default=TimestamptzNow())
    ended_at = Timestamptz(null=True, default=None, index=True)
    # "withdrawn" by the person, or "superseded" by a newer consent.
    ended_reason = Varchar(length=12, default="")
    ended_by = ForeignKey(references=User, on_delete=OnDelete.set_null, null=True, default=None)
