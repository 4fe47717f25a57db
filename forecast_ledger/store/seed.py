"""``ledger init --seed``: build a ledger from the human-editable files in ``fixtures/``.

Every ``*.toml`` file there is read in name order. ``[[prediction]]`` entries are claims
(``deadline`` is the expression as the source phrased it; ``supersedes`` names an earlier
key). Trend data (``[[series]]``, ``[[trend_claim]]``, ``[[milestone]]``) goes through
store/trends.py. Everything goes in the caller's one transaction: a bad fixture loads
nothing. A fixture's uid is derived from its key, so every build of the shipped ledger
gives a prediction the same uid and merges of two copies recognise each other.
"""

from __future__ import annotations

import datetime as dt
import tomllib
from dataclasses import replace
from pathlib import Path

from sqlalchemy import select

from forecast_ledger.domain import trends as tr
from forecast_ledger.domain.dates import parse_day
from forecast_ledger.domain.records import (
    Prediction,
    Resolution,
    clean_text,
    key_uid,
    new_prediction,
    parse_outcome,
)
from forecast_ledger.errors import Conflict, ImportFileError, InputError, NotFound, StoreError
from forecast_ledger.store import trends
from forecast_ledger.store.events import EventWriter
from forecast_ledger.store.rows import E, apply_resolution, insert_prediction

PREDICTION_FIELDS = {"key", "claim", "claimant", "made", "deadline", "probability", "topic",
                     "criteria", "source_url", "source_title", "quote", "note", "tags",
                     "supersedes"}
# A fixture of an already-decided claim also carries its verdict (fixtures/track_record.toml).
RESOLUTION_FIELDS = {"outcome", "resolved_on", "evidence"}


def default_fixtures() -> Path:
    """The shipped fixtures: installed as the package ``forecast_ledger.fixtures`` (a wheel),
    else the fixtures/ folder of the source checkout this package runs from."""
    installed = Path(__file__).resolve().parents[1] / "fixtures"
    if installed.is_dir():
        return installed
    return Path(__file__).resolve().parents[2] / "fixtures"


def read_fixtures(folder: Path | None = None) -> dict[str, list[dict]]:
    """All entries of all fixture files, by table name ('prediction', 'series', ...)."""
    folder = folder or default_fixtures()
    files = sorted(folder.glob("*.toml")) if folder.is_dir() else []
    if not files:
        raise StoreError(f"no fixture files (*.toml) in {folder}", options=("fixtures",))
    tables: dict[str, list[dict]] = {}
    for path in files:
        try:
            data = tomllib.loads(path.read_text(encoding="utf-8"))
        except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
            raise ImportFileError(f"{path.name}: {exc}") from None
        for name, entries in data.items():
            for entry in entries:
                tables.setdefault(name, []).append({**entry, "_file": path, "_folder": folder})
    return tables


def seed_ledger(events: EventWriter, folder: Path | None = None) -> dict[str, int]:
    """Load the fixtures into an empty ledger, in the caller's write transaction; returns
    counts of what was loaded."""
    tables = read_fixtures(folder)
    if events.conn.execute(select(E.c.id).limit(1)).first() is not None:
        raise StoreError("the ledger already holds records; the shipped claims load only "
                         "into a new ledger")
    counts: dict[str, int] = {}
    counts.update(_seed_trends(events, tables))
    ids: dict[str, int] = {}
    for entry in tables.get("prediction", []):
        prediction = _fixture_prediction(entry, ids)
        stored = insert_prediction(events, prediction)
        ids[stored.key] = stored.id  # type: ignore[index,assignment]
        if "outcome" in entry:
            _seed_resolution(events, entry, stored)
            counts["resolved"] = counts.get("resolved", 0) + 1
    counts["predictions"] = len(ids)
    counts.update(_seed_milestones(events, tables))
    return {k: v for k, v in counts.items() if v}


def _seed_resolution(events: EventWriter, entry: dict, p: Prediction) -> None:
    """The verdict a fixture records, checked as `ledger resolve` checks one."""
    where = f"{entry['_file'].name}, prediction {entry.get('key', '?')!r}"
    try:
        outcome = parse_outcome(str(entry["outcome"]))
        on = parse_day(str(entry["resolved_on"]))
        evidence = clean_text(entry.get("evidence"), "evidence", required=True)
    except (InputError, KeyError) as exc:
        raise ImportFileError(f"{where}: {exc} (a verdict needs outcome, resolved_on and "
                              "evidence)") from None
    if on < p.made_on.first or (outcome == "no" and on <= p.deadline.last):
        raise ImportFileError(f"{where}: resolved {outcome} on {on}, before it was made or "
                              f"while it could still come true (deadline {p.deadline.last})")
    apply_resolution(events, p, Resolution(outcome, on, evidence), reason=None, forced=False)


def _fixture_prediction(entry: dict, ids: dict[str, int]):  # noqa: ANN202
    where = f"{entry['_file'].name}, prediction {entry.get('key', '?')!r}"
    unknown = set(entry) - PREDICTION_FIELDS - RESOLUTION_FIELDS - {"_file", "_folder"}
    if unknown:
        raise ImportFileError(f"{where}: unknown fields {', '.join(sorted(unknown))}")
    if not entry.get("key"):
        raise ImportFileError(f"{where}: every fixture needs a key")
    try:
        prediction = new_prediction(**{k: v for k, v in entry.items()
                                       if k in PREDICTION_FIELDS - {"supersedes"}})
    except InputError as exc:
        raise ImportFileError(f"{where}: {exc}") from None
    if "supersedes" in entry:
        if entry["supersedes"] not in ids:
            raise ImportFileError(f"{where}: supersedes {entry['supersedes']!r}, which is not "
                                  "an earlier fixture")
        prediction = replace(prediction, supersedes=ids[entry["supersedes"]])
    return replace(prediction, uid=key_uid(prediction.key))  # type: ignore[arg-type]


# --- fixtures -----------------------------------------------------------------------------

def _seed_trends(events: EventWriter, tables: dict, today: dt.date | None = None) -> dict:
    """Load ``[[series]]`` (with observation files) and ``[[trend_claim]]`` fixtures."""
    counts = {"series": 0, "observations": 0, "trend claims": 0}
    for entry in tables.get("series", []):
        where = f"{entry['_file'].name}, series {entry.get('name', '?')!r}"
        try:
            series = trends.create_series(events, entry["name"], entry.get("unit"),
                                   entry.get("description"))
            points: list[tr.Point] = []
            if "import" in entry:
                path = Path(entry["_folder"]) / entry["import"]
                text = path.read_text(encoding="utf-8")
                if entry.get("format", "csv") == "metr":
                    points = tr.read_metr_points(text, sota_only=entry.get("sota_only", False))
                else:
                    points = tr.read_csv_points(text)
            trends.add_observations(events, series, points, entry.get("source"),
                             today or dt.date.max)
        except (InputError, KeyError, OSError) as exc:
            raise ImportFileError(f"{where}: {exc}") from None
        counts["series"] += 1
        counts["observations"] += len(points)
    for entry in tables.get("trend_claim", []):
        where = f"{entry['_file'].name}, trend claim {entry.get('key', '?')!r}"
        try:
            series = trends.get_series(events.conn, entry["series"])
            trends.add_trend_claim(events, series, doubling=entry["doubling"],
                            claimant=entry["claimant"], made=entry["made"],
                            anchor_date=entry.get("anchor_date"),
                            anchor_value=entry.get("anchor_value"), key=entry.get("key"),
                            source=entry.get("source"), quote=entry.get("quote"),
                            note=entry.get("note"))
        except (InputError, KeyError, NotFound) as exc:
            raise ImportFileError(f"{where}: {exc}") from None
        counts["trend claims"] += 1
    return counts


def _seed_milestones(events: EventWriter, tables: dict) -> dict:
    count = 0
    for entry in tables.get("milestone", []):
        where = f"{entry['_file'].name}, milestone {entry.get('key', '?')!r}"
        try:
            key = entry.get("key")
            trends.project_milestone(events, entry["claim"], entry["target"], key=key,
                                     uid=key_uid(key) if key else None)
        except (InputError, KeyError, NotFound, Conflict) as exc:
            raise ImportFileError(f"{where}: {exc}") from None
        count += 1
    return {"milestones": count}

