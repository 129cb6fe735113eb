"""The statistics' summary: counts of the placements' events per day and dimension.

Statistics count events, not identities. Every event row of a placement is announced by the
placements (`placements.effects.EVENT_LOGGED`, in the change's transaction); `count_event`
raises the matching counts of `StatsSummary` in that same transaction. `rebuild` recomputes
the whole summary from the event rows and says whether it equals the maintained one.

Both paths read an event the same way (`counted`, `Dimensions`), so they cannot drift. A
count keeps the placement's dimensions as they are when it is counted (the slot's occupation
and municipality, the candidate's programme); the rebuild takes them as they are then.
Erasing a person (retention) leaves the event rows, the placement's codes and the candidate's
registration date, so no figure changes.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any
from uuid import UUID

from piccolo.engine.postgres import PostgresEngine
from piccolo.engine.sqlite import SQLiteEngine

from portal import events
from portal.clock import TIMEZONE
from portal.placements.effects import EVENT_LOGGED
from portal.placements.tables import Outcome, Placement, PlacementEvent, PlacementState
from portal.stats import cache
from portal.stats.tables import StatsSummary

S = PlacementState

# The waiting times counted once per candidate: the metric of the first event → its duration.
FIRSTS = {
    ("nominated", ""): "days_nomination",
    ("started", ""): "days_internship",
    ("outcome", Outcome.hired.value): "days_hire",
}
# The summary's key, in the order of the unique index (the migration).
KEY = (
    "day",
    "metric",
    "reason",
    "days",
    "employer",
    "occupation_area",
    "occupation_main_group",
    "municipality",
    "programme",
    "slot_kind",
)
Key = tuple[Any, ...]


def counted(action: str, to_state: str, reason: str, outcome: str | None) -> list[tuple[str, str]]:
    """(metric, reason) of the counts one event raises (none for checklist items, messages…)."""
    if action in ("nominate", "request"):
        return [("nominated", "")]
    if action in ("follow_up.3", "follow_up.6"):
        return [(f"follow_up_{action[-1]}", reason)]
    if to_state == S.accepted:
        return [("accepted", "")]
    if to_state in (S.declined, S.withdrawn, S.aborted):
        return [(to_state, reason)]
    if to_state == S.in_progress:
        return [("started", "")]
    if to_state == S.completed:
        return [("completed", "")]
    if to_state == S.outcome:
        return [("outcome", outcome or "")]
    return []


@dataclass(frozen=True)
class Dimensions:
    employer: UUID
    occupation_area: str
    occupation_main_group: str
    municipality: int
    programme: int
    slot_kind: str
    registered_on: dt.date

    @classmethod
    def of(cls, row: dict[str, Any]) -> Dimensions:
        return cls(
            employer=_uuid(row["employer"]),
            occupation_area=row["occupation_area"] or "",
            occupation_main_group=row["occupation_main_group"] or "",
            municipality=row["municipality"] or 0,
            programme=row["programme"] or 0,
            slot_kind=row["slot_kind"] or "",
            registered_on=local_day(row["registered_at"]),
        )


def keys_of(day: dt.date, metric: str, reason: str, dims: Dimensions, first: bool) -> Iterable[Key]:
    """The summary keys one count of (metric, reason) raises; the duration too if `first`."""
    rest = (
        str(dims.employer),
        dims.occupation_area,
        dims.occupation_main_group,
        dims.municipality,
        dims.programme,
        dims.slot_kind,
    )
    yield (day, metric, reason, 0, *rest)
    duration = FIRSTS.get((metric, reason))
    if duration and first:
        yield (day, duration, "", max((day - dims.registered_on).days, 0), *rest)


def local_day(moment: dt.datetime | str) -> dt.date:
    if isinstance(moment, str):
        moment = dt.datetime.fromisoformat(moment)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.UTC)
    return moment.astimezone(TIMEZONE).date()


def _uuid(value: Any) -> UUID:
    return value if isinstance(value, UUID) else UUID(str(value))


# -- maintained with every event --------------------------------------------------------------

_DIMENSION_SQL = """
SELECT p.employer AS employer, p.candidate AS candidate, p.outcome AS outcome,
       s.occupation_area AS occupation_area, s.occupation_main_group AS occupation_main_group,
       s.municipality AS municipality, s.kind AS slot_kind,
       c.programme AS programme, c.created_at AS registered_at
FROM placement p JOIN slot s ON s.id = p.slot JOIN candidate c ON c.id = p.candidate
"""
# Whether the candidate had an event of the same first-kind before (lower id).
_EARLIER = {
    ("nominated", ""): "e.action IN ('nominate', 'request')",
    ("started", ""): "e.to_state = 'in_progress'",
    ("outcome", Outcome.hired.value): "e.to_state = 'outcome' AND p.outcome = 'hired'",
}


async def count_event(
    *,
    event_id: int,
    placement_id: UUID,
    action: str,
    to_state: str,
    reason: str,
    moment: dt.datetime,
) -> None:
    """Raise the summary's counts for one event, in the caller's transaction."""
    if not counted(action, to_state, reason, "x"):
        return
    rows = await Placement.raw(_DIMENSION_SQL + "WHERE p.id = {}", _param(placement_id))
    if not rows:
        return
    row = rows[0]
    dims = Dimensions.of(row)
    day = local_day(moment)
    keys: list[Key] = []
    for metric, why in counted(action, to_state, reason, row["outcome"]):
        first = False
        if (metric, why) in _EARLIER:
            earlier = await PlacementEvent.raw(
                "SELECT COUNT(*) AS n FROM placement_event e "  # noqa: S608 (our own condition)
                "JOIN placement p ON p.id = e.placement "
                f"WHERE p.candidate = {{}} AND e.id < {{}} AND {_EARLIER[(metric, why)]}",
                _param(row["candidate"]),
                event_id,
            )
            first = earlier[0]["n"] == 0
        keys.extend(keys_of(day, metric, why, dims, first))
    await add(Counter(keys))


async def add(counts: Counter[Key]) -> None:
    """Add `counts` to the summary (an upsert on its unique key)."""
    columns = ", ".join((*KEY, "events"))
    marks = ", ".join("{}" for _ in range(len(KEY) + 1))
    sql = (
        f"INSERT INTO stats_summary ({columns}) VALUES ({marks}) "  # noqa: S608
        f"ON CONFLICT ({', '.join(KEY)}) DO UPDATE SET events = stats_summary.events + "
        "excluded.events"
    )
    for key, n in counts.items():
        values = list(key)
        values[4] = _param(values[4])
        await StatsSummary.raw(sql, *values, n)


def _param(value: Any) -> Any:
    """A UUID as the engine takes it (SQLite keeps text)."""
    if isinstance(StatsSummary._meta.db, SQLiteEngine):
        return str(value)
    return _uuid(value)


def subscribe() -> None:
    """Count the placements' events (every entry point calls it, like the placements')."""
    events.subscribe(EVENT_LOGGED, count_event)


# -- rebuilt from the events ------------------------------------------------------------------

_EVENTS_SQL = (
    "SELECT e.id AS id, e.action AS action, e.to_state AS to_state, e.reason AS reason, "
    "e.created_at AS created_at, p.employer AS employer, p.candidate AS candidate, "
    "p.outcome AS outcome, s.occupation_area AS occupation_area, "
    "s.occupation_main_group AS occupation_main_group, s.municipality AS municipality, "
    "s.kind AS slot_kind, c.programme AS programme, c.created_at AS registered_at "
    "FROM placement_event e JOIN placement p ON p.id = e.placement "
    "JOIN slot s ON s.id = p.slot JOIN candidate c ON c.id = p.candidate "
    "WHERE e.id > {} ORDER BY e.id LIMIT {}"
)
BATCH = 20_000


async def recompute() -> tuple[Counter[Key], int]:
    """The summary as the event rows give it, and how many events were read."""
    counts: Counter[Key] = Counter()
    seen_first: set[tuple[str, str, str]] = set()
    last, read = 0, 0
    while True:
        batch = await PlacementEvent.raw(_EVENTS_SQL, last, BATCH)
        if not batch:
            break
        for row in batch:
            read += 1
            pairs = counted(row["action"], row["to_state"], row["reason"], row["outcome"])
            if not pairs:
                continue
            dims = Dimensions.of(row)
            day = local_day(row["created_at"])
            for metric, why in pairs:
                mark = (str(row["candidate"]), metric, why)
                first = (metric, why) in FIRSTS and mark not in seen_first
                if first:
                    seen_first.add(mark)
                counts.update(keys_of(day, metric, why, dims, first))
        last = batch[-1]["id"]
    return counts, read


async def stored() -> Counter[Key]:
    rows = await StatsSummary.select(*(StatsSummary._meta.get_column_by_name(k) for k in KEY),
                                     StatsSummary.events)  # fmt: skip
    counts: Counter[Key] = Counter()
    for row in rows:
        key = tuple(str(row[k]) if k == "employer" else row[k] for k in KEY)
        if row["events"]:
            counts[key] += row["events"]
    return counts


def _row(key: Key, n: int) -> StatsSummary:
    values = dict(zip(KEY, key, strict=True))
    values["employer"] = _uuid(values["employer"])
    return StatsSummary(**values, events=n)


@dataclass(frozen=True)
class Rebuilt:
    events: int
    rows: int
    differences: int  # keys whose count differed from the maintained summary

    @property
    def equal(self) -> bool:
        return self.differences == 0


async def rebuild(*, write: bool = True) -> Rebuilt:
    """Recompute the summary from the event rows; replace it (`write`) and report whether the
    maintained one was equal. One transaction: the events cannot change in between."""
    db = StatsSummary._meta.db
    async with db.transaction() as transaction:
        fresh, read = await recompute()
        old = await stored()
        differing = {key for key in fresh.keys() | old.keys() if fresh[key] != old[key]}
        if write and differing:
            await StatsSummary.delete(force=True)
            connection = getattr(transaction, "connection", None)
            if isinstance(db, PostgresEngine) and connection is not None:
                # COPY: millions of rows in seconds (the bench's 3 million events).
                await connection.copy_records_to_table(
                    "stats_summary",
                    records=[(*key[:4], _uuid(key[4]), *key[5:], n) for key, n in fresh.items()],
                    columns=[*KEY, "events"],
                )
            else:
                rows = [_row(key, n) for key, n in fresh.items()]
                for start in range(0, len(rows), 1000):
                    await StatsSummary.insert(*rows[start : start + 1000])
        if write:
            # The counts kept of past periods were read from the summary replaced (or from a
            # damaged one, which is why it was rebuilt).
            await cache.forget()
    return Rebuilt(events=read, rows=len(fresh), differences=len(differing))
