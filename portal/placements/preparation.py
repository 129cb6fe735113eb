"""Preparing and closing a placement: the checklist, the agreement, the evaluation, the outcome.

(Filled in during this session: `detail_context` gives the placement page what it shows of
these; the page renders it with the macro `sections` of templates/placements/_preparation.html.)
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any


async def detail_context(row: Mapping[str, Any], side: str) -> dict[str, Any]:
    """What the placement page shows of the preparation for `side` (constant queries)."""
    return {}
