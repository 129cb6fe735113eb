"""Reference data: occupations (KldB 2010), municipalities and programmes.

Occupations ship with the project (data/kldb2010.csv); municipalities and programmes are set up
by the operator (CLI and seed now, console screens later).
"""

from __future__ import annotations

import enum

from piccolo.columns import Boolean, Integer, Text, Timestamptz, Varchar
from piccolo.table import Table


class CEFR(enum.StrEnum):
    """Common European Framework of Reference levels (German skills of a person or a slot)."""

    a1 = "A1"
    a2 = "A2"
    b1 = "B1"
    b2 = "B2"
    c1 = "C1"
    c2 = "C2"


class Occupation(Table):
    """One entry of the Klassifikation der Berufe 2010 at any level (1 to 5 digits).

    The code is hierarchical by prefix: 2 (field) > 24 (main group) > 244 (group) > 2441 >
    24412. `level` is the number of digits.
    """

    code = Varchar(length=5, primary_key=True)
    level = Integer(index=True)
    name = Varchar(length=300)
    # The code one level up; None for the ten occupational areas.
    parent = Varchar(length=5, null=True, default=None, index=True)


def occupation_prefixes(code: str) -> dict[str, str]:
    """The prefix columns of a row's occupation (slots, candidates' occupations): a search by
    any level of the hierarchy is an equality."""
    return {
        "occupation_area": code[:1],
        "occupation_main_group": code[:2],
        "occupation_group": code[:3] if len(code) >= 3 else "",
    }


class Municipality(Table):
    name = Varchar(length=100)
    # Amtlicher Gemeindeschlüssel (8 digits), where known.
    ags = Varchar(length=8, null=True, default=None, unique=True)
    district = Varchar(length=100, default="")
    active = Boolean(default=True, index=True)


class Programme(Table):
    name = Varchar(length=150, unique=True)
    description = Text(default="")
    active = Boolean(default=True, index=True)


class OperatingLimit(Table):
    """A limit set in the console (reference/limits.py names them and their bounds)."""

    key = Varchar(length=40, unique=True)
    value = Integer()
    updated_at = Timestamptz(null=True, default=None)
