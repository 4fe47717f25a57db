"""Files of each foreign format at any size, and the same records as newline-delimited
JSON for the baseline (``sqlite-utils insert --nl``, a loader a user could pick instead)."""

from __future__ import annotations

import csv
import datetime as dt
import json
from pathlib import Path

START = dt.datetime(2020, 1, 1, tzinfo=dt.UTC)


def _when(i: int) -> dt.datetime:
    return START + dt.timedelta(minutes=7 * i)


def _plain(i: int, claimant: str, made: dt.datetime, deadline: dt.date, p: float,
           outcome: str | None) -> dict:
    """What the ledger stores of a record, flat, for the baseline loader."""
    return {"uid": f"bench:{i}", "claim": f"Question {i // 4}?", "claimant": claimant,
            "made_on": made.date().isoformat(), "deadline": deadline.isoformat(),
            "deadline_expression": f"resolve by {deadline}", "probability": p,
            "topic": f"Question {i // 4}?", "outcome": outcome,
            "resolved_on": deadline.isoformat() if outcome else None}


def fatebook(path: Path, n: int) -> list[dict]:
    plain = []
    with path.open("w", encoding="utf-8", newline="") as f:
        out = csv.writer(f)
        out.writerow(["Question title", "Multiple choice option", "Forecast created by",
                      "Forecast (scale = 0-1)", "Forecast created at", "Question created by",
                      "Question created at", "Question resolve by", "Resolution",
                      "Resolved at", "Question notes", "Question tags"])
        for i in range(n):
            made, p = _when(i), round((i % 97 + 1) / 99, 4)
            deadline = (made + dt.timedelta(days=400)).date()
            outcome = ("YES", "NO", "")[i % 3]
            stamp = f"{made:%Y-%m-%d} {made.hour}:{made.minute}:{made.second}"
            out.writerow([f"Question {i // 4}?", "", f"user{i % 13}", p, stamp, "owner",
                          "2019-12-31 0:0:0", f"{deadline} 0:0:0", outcome,
                          f"{deadline} 0:0:0" if outcome else "", "", "ai; bench"])
            plain.append(_plain(i, f"user{i % 13}", made, deadline, p,
                                outcome.lower() or None))
    return plain


def manifold(path: Path, n: int) -> list[dict]:
    markets, plain = [], []
    for i in range(n):
        made, p = _when(i), round((i % 97 + 1) / 99, 4)
        close = made + dt.timedelta(days=400)
        resolved = i % 3 != 2
        markets.append({"id": f"m{i}", "question": f"Question {i // 4}?", "outcomeType": "BINARY",
                        "createdTime": int(made.timestamp() * 1000),
                        "closeTime": int(close.timestamp() * 1000), "probability": p,
                        "isResolved": resolved, "resolution": "YES" if resolved else None,
                        "resolutionTime": int(close.timestamp() * 1000) if resolved else None})
        plain.append(_plain(i, "Manifold market", made, close.date(), p,
                            "yes" if resolved else None))
    path.write_text(json.dumps(markets), encoding="utf-8")
    return plain


def predictionbook(path: Path, n: int) -> list[dict]:
    questions, plain = [], []
    for q in range(0, n, 4):
        made = _when(q)
        deadline = made + dt.timedelta(days=400)
        responses = []
        for i in range(q, min(q + 4, n)):
            responses.append({"id": i, "confidence": i % 99 + 1, "user_label": f"user{i % 13}",
                              "created_at": made.isoformat()})
            plain.append(_plain(i, f"user{i % 13}", made, deadline.date(), (i % 99 + 1) / 100,
                                "yes" if q % 3 else None))
        questions.append({"id": q, "description": f"Question {q // 4}?",
                          "created_at": made.isoformat(), "deadline": deadline.isoformat(),
                          "outcome": True if q % 3 else None, "updated_at": deadline.isoformat(),
                          "responses": responses})
    path.write_text(json.dumps({"predictions": questions}), encoding="utf-8")
    return plain


def metaculus(path: Path, n: int) -> list[dict]:
    """A binary question with ``n`` daily steps of the community forecast (import it with
    ``--every 1d``)."""
    first = dt.datetime(1740, 1, 1, tzinfo=dt.UTC)  # n days end before today
    deadline = first + dt.timedelta(days=n + 10)
    history, plain = [], []
    for i in range(n):
        made, p = first + dt.timedelta(days=i), round((i % 97 + 1) / 99, 4)
        history.append({"start_time": made.timestamp(), "end_time": made.timestamp() + 86400,
                        "centers": [p], "forecaster_count": 10})
        plain.append(_plain(i, "Metaculus community", made, deadline.date(), p, None))
    question = {"id": 1, "question": {"id": 1, "type": "binary", "title": "Bench?",
                                      "scheduled_resolve_time": deadline.isoformat(),
                                      "resolution": None,
                                      "aggregations": {"recency_weighted": {
                                          "history": history}}}}
    path.write_text(json.dumps(question), encoding="utf-8")
    return plain


FORMATS = {"fatebook": (fatebook, "forecasts.csv", ()),
           "predictionbook": (predictionbook, "pb.json", ()),
           "manifold": (manifold, "markets.json", ()),
           "metaculus": (metaculus, "question.json", ("--every", "1d"))}


def write_ndjson(path: Path, plain: list[dict]) -> None:
    with path.open("w", encoding="utf-8") as f:
        for record in plain:
            f.write(json.dumps(record) + "\n")
