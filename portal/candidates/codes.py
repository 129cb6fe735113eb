"""Candidate codes such as K-7QX4-2M: random, never derived from a personal datum."""

from __future__ import annotations

import secrets

# No 0/O, 1/I/L: a code is read out on the phone and copied by hand.
ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"


def new_code() -> str:
    """31^6 ≈ 890 million codes; the unique index catches the rare collision (callers retry)."""
    chars = "".join(secrets.choice(ALPHABET) for _ in range(6))
    return f"K-{chars[:4]}-{chars[4:]}"


def looks_like_code(value: str) -> bool:
    value = value.strip().upper()
    return (
        len(value) == 9
        and value.startswith("K-")
        and value[6] == "-"
        and all(ch in ALPHABET for ch in value[2:6] + value[7:])
    )
