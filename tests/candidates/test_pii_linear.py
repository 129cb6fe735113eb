"""The PII guard's work grows linearly with the text (STACK-NOTES 15, issue 14).

Before the patterns were rewritten, 5,000 × "A" took 0.4 s and the time grew with the square of
the length (a 1 MB summary kept the event loop busy for more than 20 minutes). Measured after the
rewrite on the 2-core development machine, 100,000 characters each, while other test runs shared
it: 0.15–0.34 s wall time, at most 0.17 s CPU time per input (slowest: "prepositions", "at and
dots"). A quadratic pattern would take minutes; the bound leaves room for a slow CI machine.
"""

import time

import pytest

from portal.candidates.pii import find_personal_data

SIZE = 100_000
BOUND_SECONDS = 1.0


def _repeat(piece: str, tail: str = "") -> str:
    return (piece * (SIZE // len(piece) + 1))[: SIZE - len(tail)] + tail


WORST = {
    # one long token: every position a possible start of an e-mail's local part
    "letters": _repeat("A"),
    "digits": _repeat("1", "x"),
    "local part characters": _repeat("a.b-c+d_", "@"),
    # digit runs with the separators of phone numbers and dates
    "digits and spaces": _repeat("1 "),
    "digits and dashes": _repeat("1-"),
    "digits and slashes": _repeat("1/"),
    "digits and dots": _repeat("1."),
    "phone-like starts": _repeat("0 (0", "a"),
    "plus and digits": _repeat("+4", "a"),
    # name-like words: capitalised, hyphenated compounds before a street word
    "name-like words": _repeat("Hans Müller "),
    "hyphenated capitals": _repeat("Ab-", " Str"),
    "capital words and street": _repeat("Ab str "),
    "prepositions": _repeat("An der Ab "),
    # '@' and dots
    "at signs": _repeat("@"),
    "at and dots": _repeat("a@b."),
    "dots": _repeat("."),
    "written at": _repeat("a(at)b(dot)"),
    # whitespace runs after the words that take one
    "whitespace": _repeat(" \n\t"),
    "born and spaces": "geboren" + " " * (SIZE - 8) + "x",
    "age and spaces": "1" + " " * (SIZE - 2) + "x",
    "months": _repeat("1 Mai "),
    "years": _repeat("1 Jahre "),
    "umlauts": _repeat("ÄÖÜäöüß"),
}


@pytest.mark.parametrize("text", WORST.values(), ids=WORST.keys())
def test_it_checks_100k_characters_in_linear_time(text: str) -> None:
    assert len(text) == SIZE
    # CPU time of this thread, not wall time: other processes on a loaded machine (load 10 on
    # two cores during a parallel run) must not make the test fail; the work is what is bounded.
    started = time.thread_time()
    find_personal_data(text, names=["Amina Haddad-Khalil"])
    assert time.thread_time() - started < BOUND_SECONDS
