#!/usr/bin/env python3
"""An example client of the portal's JSON API, with nothing but Python's standard library.

It creates an internship slot (published at once) for the employer whose token it is given,
then reads every nomination waiting for the employer's answer, a page at a time.

    PORTAL_URL=https://portal.example.org PORTAL_TOKEN=ppt_… python3 docs/api_client_example.py

What it shows: the Bearer token; JSON in and out; an Idempotency-Key on the creating POST (so a
retry after a timeout does not create the slot twice); problem details (RFC 9457) with their
field messages; cursor pagination; waiting as Retry-After says when the token is over its
rate limit (429). The API's description: PORTAL_URL/schema.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from typing import Any

BASE = os.environ.get("PORTAL_URL", "http://127.0.0.1:8000").rstrip("/") + "/api/v1"
TOKEN = os.environ.get("PORTAL_TOKEN", "")


class ApiError(Exception):
    """An answer with problem details: the title, and each field's message."""

    def __init__(self, problem: dict[str, Any]) -> None:
        fields = "; ".join(f"{e['field']}: {e['message']}" for e in problem.get("errors", []))
        super().__init__(f"{problem.get('status')} {problem.get('title')} {fields}".strip())
        self.problem = problem


def call(method: str, path: str, body: Any = None, headers: dict[str, str] | None = None) -> Any:
    """One request; JSON back. Waits and tries again on 429, raises ApiError on a problem."""
    request = urllib.request.Request(  # noqa: S310 - the URL is the portal's
        BASE + path,
        data=None if body is None else json.dumps(body).encode(),
        method=method,
        headers={
            "Authorization": f"Bearer {TOKEN}",
            "Accept": "application/json",
            "Accept-Language": "de",
            **({"Content-Type": "application/json"} if body is not None else {}),
            **(headers or {}),
        },
    )
    for _attempt in range(5):
        try:
            with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310
                return json.load(response)
        except urllib.error.HTTPError as error:
            if error.code == 429:
                time.sleep(int(error.headers.get("Retry-After", "1")))
                continue
            raise ApiError(json.load(error)) from None
    raise ApiError({"status": 429, "title": "Too many requests"})


def pages(path: str, **params: str) -> Any:
    """Every row of a list, following next_cursor."""
    cursor = None
    while True:
        query = {**params, **({"cursor": cursor} if cursor else {})}
        page = call("GET", f"{path}?{urllib.parse.urlencode(query)}")
        yield from page["data"]
        cursor = page["next_cursor"]
        if not cursor:
            return


def create_slot() -> dict[str, Any]:
    municipality = call("GET", "/municipalities")[0]
    occupation = call("GET", "/occupations?q=Metallbau")["data"][0]
    start = dt.date.today() + dt.timedelta(days=30)
    slot = {
        "title": "Orientierungspraktikum Metallbau",
        "kind": "orientation_internship",
        "occupation": occupation["code"],
        "tasks": "Bohren, Feilen, Messen, Schweißen unter Anleitung",
        "municipality": municipality["id"],
        "start_date": start.isoformat(),
        "end_date": (start + dt.timedelta(days=13)).isoformat(),
        "hours_per_week": 35,
        "places": 1,
        "publish": True,
    }
    # The same key for a retry of this very request: the portal then answers it again.
    return call("POST", "/slots", slot, {"Idempotency-Key": str(uuid.uuid4())})  # type: ignore[no-any-return]


def main() -> int:
    if not TOKEN:
        print("Please set PORTAL_TOKEN (and PORTAL_URL).", file=sys.stderr)
        return 2
    try:
        slot = create_slot()
        print(f"Slot created: {slot['id']} {slot['title']} ({slot['status']})")
        waiting = list(pages("/placements", state="proposed"))
    except ApiError as error:
        print(f"Refused: {error}", file=sys.stderr)
        return 1
    print(f"{len(waiting)} nomination(s) waiting for an answer:")
    for placement in waiting:
        print(
            f"  {placement['candidate_code']} for “{placement['slot_title']}”: {placement['note']}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
