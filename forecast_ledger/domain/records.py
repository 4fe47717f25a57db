"""The ledger's records, as frozen dataclasses, and the rules that check a new one.

These know nothing of storage: the store turns rows into these and back.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from dataclasses import dataclass, field, replace
from typing import Any

from forecast_ledger.domain.dates import (
    PRECISIONS,
    Period,
    parse_period,
    period_containing,
    resolve_deadline,
)
from forecast_ledger.errors import InputError

OUTCOMES = ("yes", "no", "ambiguous", "annulled")
OUTCOME_ALIASES = {"yes": "yes", "true": "yes", "y": "yes", "no": "no", "false": "no",
                   "n": "no", "ambiguous": "ambiguous", "annulled": "annulled",
                   "annul": "annulled", "void": "annulled"}
STATUSES = ("pending", "due", "resolved")
# A slug: the form of keys and series names, safe in URLs, file names and shells.
SLUG = re.compile(r"[a-z0-9][a-z0-9._-]{0,127}")
MAX_TEXT = 100_000  # characters in one free-text field
MAX_ID = 2**63 - 1  # the largest id a database integer column holds
# A uid is a UUID (made here) or SOURCE:ID (imported): printable, no spaces.
UID_PATTERN = re.compile(r"[A-Za-z0-9][\x21-\x7e]{0,199}")
# uuid5 namespace of the uids derived from keys (the shipped ledger, older ledgers).
# (uuid itself is imported when a uid is made: 5 ms that `ledger due` does not need)
UID_NAMESPACE = "6f1c5d2e-4b0a-5c7e-9a43-1d2b3c4d5e6f"


@dataclass(frozen=True)
class Resolution:
    """A verdict: the outcome, the day it became knowable, and the evidence."""

    outcome: str
    resolved_on: dt.date
    evidence: str | None = None


@dataclass(frozen=True)
class Prediction:
    """One dated claim by one claimant (SPEC section 2)."""

    claim: str
    claimant: str
    made_on: Period
    deadline: Period
    deadline_expression: str
    id: int | None = None
    uid: str | None = None
    key: str | None = None
    probability: float | None = None
    topic: str | None = None
    criteria: str | None = None
    source_url: str | None = None
    source_title: str | None = None
    quote: str | None = None
    note: str | None = None
    tags: tuple[str, ...] = ()
    supersedes: int | None = None
    trend_claim: int | None = None
    target_value: float | None = None
    resolution: Resolution | None = field(default=None)

    def status(self, today: dt.date) -> str:
        """resolved, due (deadline < today) or pending (deadline today or later)."""
        return status_of(self.deadline.last, self.resolution and self.resolution.outcome,
                         today)

    def days_overdue(self, today: dt.date) -> int | None:
        """today - deadline in days for an unresolved prediction; None once resolved."""
        if self.resolution is not None:
            return None
        return (today - self.deadline.last).days


def status_of(deadline: dt.date, outcome: str | None, today: dt.date) -> str:
    """The status rule on bare values, for code that has no :class:`Prediction` at hand."""
    if outcome is not None:
        return "resolved"
    return "due" if deadline < today else "pending"


EMPTY_HINTS = {"claim": "write what was claimed", "claimant": "write who made the claim",
               "deadline": "write by when", "reason": "write why",
               "note": "write the comment"}


def clean_text(value: str | None, what: str, *, required: bool = False) -> str | None:
    """Strip a free-text field; refuse it when empty (if required), too long or with NULs."""
    if value is None:
        if required:
            raise InputError(f"the {what} is missing")
        return None
    if not isinstance(value, str):
        raise InputError(f"the {what} must be text")
    text = value.strip()
    if not text:
        if required:
            raise InputError(f"the {what} is empty; {EMPTY_HINTS.get(what, 'write it')}")
        return None
    if "\x00" in text:
        raise InputError(f"the {what} contains a NUL character, which a ledger cannot keep")
    if len(text) > MAX_TEXT:
        raise InputError(f"the {what} is {len(text)} characters; at most {MAX_TEXT} are kept")
    return text


def new_uid() -> str:
    """A fresh identity for a prediction recorded here (SPEC §8)."""
    import uuid

    return str(uuid.uuid4())


def key_uid(key: str) -> str:
    """The stable uid of a prediction known by its key: the shipped ledger's, and that of a
    keyed prediction in a ledger made before uids existed."""
    return _uuid5(f"key:{key}")


def legacy_uid(record: dict) -> str:
    """The uid of a prediction recorded before uids existed, derived from what could not
    change in those versions (its key, else its id and the fields fixed when it was added),
    so every copy of an old ledger derives the same one."""
    if record.get("key"):
        return key_uid(record["key"])
    fixed = "\x1f".join(str(record.get(name)) for name in (
        "id", "claim", "claimant", "made_on", "made_precision", "deadline",
        "deadline_precision", "deadline_expression"))
    return _uuid5(f"record:{fixed}")


def _uuid5(name: str) -> str:
    import uuid

    return str(uuid.uuid5(uuid.UUID(UID_NAMESPACE), name))


def check_uid(uid: Any) -> str:
    if not isinstance(uid, str) or not UID_PATTERN.fullmatch(uid):
        raise InputError(f"uid {uid!r} is not a uid (a UUID, or SOURCE:ID without spaces)")
    return uid


def parse_ref(ref: str) -> tuple[int | None, str | None]:
    """An id-or-key argument as (id, None) or (None, key); ``#18`` is id 18."""
    text = ref.strip()
    digits = text[1:] if text.startswith("#") else text
    if digits.isdigit() and digits.isascii():
        value = int(digits)
        if value > MAX_ID:
            raise InputError(f"id {digits} is larger than any id a ledger can hold")
        return value, None
    if text.startswith("#"):
        raise InputError(f"{ref!r} is not an id: write #18 or 18, or give a key")
    return None, text


def parse_probability(value: str | float | None) -> float | None:
    """0.7, '0.7' or '70%' -> 0.7; must lie strictly between 0 and 1."""
    if value is None or value == "":
        return None
    text = str(value).strip()
    try:
        p = float(text[:-1]) / 100 if text.endswith("%") else float(text)
    except ValueError:
        raise InputError(f"probability {text!r} is not a number; give e.g. 0.7 or 70%") from None
    if not (0 < p < 1) or math.isnan(p):
        raise InputError(
            f"probability {text} is outside (0, 1); give a number strictly between 0 and 1 "
            "(leave it out for a flat assertion)"
        )
    return p


def parse_outcome(value: str) -> str:
    outcome = OUTCOME_ALIASES.get(value.strip().lower())
    if outcome is None:
        raise InputError(f"outcome {value!r} is not one of yes, no, ambiguous, annulled")
    return outcome


def is_slug(text: str | None) -> bool:
    return bool(text) and SLUG.fullmatch(text) is not None  # type: ignore[arg-type]


KEY_STOPWORDS = frozenset(
    "the and for any all are but can from has have its not that this was will with than "
    "into onto over under when what which who would could should been being about".split())


def suggested_key(claim: str, claimant: str, made_on: Period) -> str:
    """A readable key for a prediction that has none: the claimant's last name, the year it
    was made and the first two words of the claim that say something (``musk-2026-smarter-
    surpass``). Words that are not ASCII are left out (a slug must be safe everywhere)."""
    name = re.findall(r"[a-z0-9]+", claimant.casefold())
    words = [w for w in re.findall(r"[a-z0-9]+", claim.casefold())
             if len(w) >= 3 and w not in KEY_STOPWORDS and not w.isdigit()][:2]
    parts = [*name[-1:], f"{made_on.first.year:04d}", *(words or ["claim"])]
    return "-".join(parts)[:120].rstrip("-")


def check_key(key: str | None) -> str | None:
    if key is None:
        return None
    if not is_slug(key) or key.isdigit():
        raise InputError(
            f"key {key!r} is not a slug: use lower-case letters, digits, '-', '.', '_' "
            "(not only digits), e.g. musk-2026-smartest-human"
        )
    return key


def check_tags(tags: list[str] | tuple[str, ...]) -> tuple[str, ...]:
    """Clean, de-duplicated and sorted, so that a ledger's tags round-trip in one order."""
    cleaned = []
    for tag in tags:
        text = clean_text(tag, "tag", required=True)
        assert text is not None
        if len(text) > 64 or "," in text:
            raise InputError(f"tag {tag!r} must be a short label without commas")
        if text not in cleaned:
            cleaned.append(text)
    return tuple(sorted(cleaned))


def source_fields(source: str | None, title: str | None = None) -> tuple[str | None,
                                                                         str | None]:
    """(URL, title) from what a user gave as the source: text without '://' is a title."""
    if source and "://" not in source and title is None:
        return None, source
    return source, title


def new_prediction(
    *,
    claim: str,
    claimant: str,
    made: str,
    deadline: str,
    key: str | None = None,
    probability: str | float | None = None,
    topic: str | None = None,
    criteria: str | None = None,
    source_url: str | None = None,
    source_title: str | None = None,
    quote: str | None = None,
    note: str | None = None,
    tags: list[str] | tuple[str, ...] = (),
    supersedes: int | None = None,
) -> Prediction:
    """Validate what a user typed and build a :class:`Prediction` (without an id yet)."""
    made_on = parse_period(made)
    expression = clean_text(deadline, "deadline", required=True)
    assert expression is not None
    return Prediction(
        claim=clean_text(claim, "claim", required=True),  # type: ignore[arg-type]
        claimant=clean_text(claimant, "claimant", required=True),  # type: ignore[arg-type]
        made_on=made_on,
        deadline=resolve_deadline(expression, made_on),
        deadline_expression=expression,
        key=check_key(clean_text(key, "key")),
        probability=parse_probability(probability),
        topic=clean_text(topic, "topic"),
        criteria=clean_text(criteria, "criteria"),
        source_url=clean_text(source_url, "source URL"),
        source_title=clean_text(source_title, "source title"),
        quote=clean_text(quote, "quote"),
        note=clean_text(note, "note"),
        tags=check_tags(tags),
        supersedes=supersedes,
    )


def revised(p: Prediction, *, claim: str | None = None, claimant: str | None = None,
            made: str | None = None, deadline: str | None = None,
            probability: str | None = None, add_tags: list[str] | tuple = (),
            remove_tags: list[str] | tuple = (), **optional: str | None) -> Prediction:
    """``p`` with the fields a user gave replaced, each checked as :func:`new_prediction`
    checks it. ``None`` leaves a field as it is; an empty text clears an optional one
    (topic, criteria, source_url, source_title, quote, note, key, probability). A new made
    date re-reads the deadline's expression from it when the expression can be read."""
    unknown = set(optional) - {"topic", "criteria", "source_url", "source_title", "quote",
                               "note", "key"}
    if unknown:
        raise InputError(f"cannot edit {', '.join(sorted(unknown))}")
    changes: dict[str, Any] = {}
    if claim is not None:
        changes["claim"] = clean_text(claim, "claim", required=True)
    if claimant is not None:
        changes["claimant"] = clean_text(claimant, "claimant", required=True)
    made_on = parse_period(made) if made is not None else p.made_on
    if made is not None:
        changes["made_on"] = made_on
    if deadline is not None:
        expression = clean_text(deadline, "deadline", required=True)
        changes["deadline"] = resolve_deadline(expression, made_on)  # type: ignore[arg-type]
        changes["deadline_expression"] = expression
    elif made is not None:
        try:
            changes["deadline"] = resolve_deadline(p.deadline_expression, made_on)
        except InputError:
            if p.deadline.last < made_on.first:
                raise InputError(f"the deadline {p.deadline.last} would be before the new "
                                 f"made date {made_on.label()}") from None
    if probability is not None:
        changes["probability"] = parse_probability(probability)
    for name, value in optional.items():
        if value is not None:
            text = clean_text(value, name.replace("_", " "))
            changes[name] = check_key(text) if name == "key" else text
    if add_tags or remove_tags:
        removed = {t.strip() for t in remove_tags}
        changes["tags"] = check_tags([t for t in (*p.tags, *add_tags) if t not in removed])
    return replace(p, **changes)


# --- plain-dict form: event payloads, export files, JSON output ----------------------------

def prediction_to_dict(p: Prediction) -> dict:
    """The stable dict form of a prediction (export files and event payloads use it)."""
    r = p.resolution
    return {
        "id": p.id,
        "uid": p.uid,
        "key": p.key,
        "claim": p.claim,
        "claimant": p.claimant,
        "made_on": p.made_on.first.isoformat(),
        "made_precision": p.made_on.precision,
        "deadline": p.deadline.last.isoformat(),
        "deadline_precision": p.deadline.precision,
        "deadline_expression": p.deadline_expression,
        "probability": p.probability,
        "topic": p.topic,
        "criteria": p.criteria,
        "source_url": p.source_url,
        "source_title": p.source_title,
        "quote": p.quote,
        "note": p.note,
        "tags": list(p.tags),
        "supersedes": p.supersedes,
        "trend_claim": p.trend_claim,
        "target_value": p.target_value,
        "outcome": r.outcome if r else None,
        "resolved_on": r.resolved_on.isoformat() if r else None,
        "evidence": r.evidence if r else None,
    }


def record_from_dict(d: Any) -> dict:
    """Check :func:`prediction_to_dict`'s form of a prediction field by field, and return
    it in normal form (what ``prediction_to_dict`` would give). Raises :class:`InputError`
    naming the field that is wrong.

    The one validation of stored form: :func:`prediction_from_dict` builds on it, and a
    million-record import calls it alone, without making a :class:`Prediction`.
    """
    if not isinstance(d, dict):
        raise InputError("each prediction must be a JSON object")
    made_on = period_containing(_day(d, "made_on"), _precision(d, "made_precision"))
    deadline = period_containing(_day(d, "deadline"), _precision(d, "deadline_precision"))
    if deadline.last < made_on.first:
        raise InputError(f"deadline {deadline.last} is before made_on {made_on.first}")
    outcome = d.get("outcome")
    resolved_on = evidence = None
    if outcome is not None:
        outcome = parse_outcome(str(outcome))
        resolved_on = _day(d, "resolved_on").isoformat()
        evidence = _optional_str(d, "evidence")
    tags = d.get("tags") or []
    if not isinstance(tags, list) or not all(isinstance(t, str) for t in tags):
        raise InputError("field 'tags' must be a list of text")
    target = d.get("target_value")
    if target is not None and (isinstance(target, bool) or not isinstance(target, (int, float))
                               or not math.isfinite(target) or target <= 0):
        raise InputError("field 'target_value' must be a positive, finite number")
    record = {
        "id": _optional_int(d, "id"),
        "uid": None,
        "key": check_key(_optional_str(d, "key")),
        "claim": clean_text(d.get("claim"), "claim", required=True),
        "claimant": clean_text(d.get("claimant"), "claimant", required=True),
        "made_on": made_on.first.isoformat(),
        "made_precision": made_on.precision,
        "deadline": deadline.last.isoformat(),
        "deadline_precision": deadline.precision,
        "deadline_expression": clean_text(d.get("deadline_expression"), "deadline_expression",
                                          required=True),
        "probability": parse_probability(d.get("probability")),
        "topic": _optional_str(d, "topic"),
        "criteria": _optional_str(d, "criteria"),
        "source_url": _optional_str(d, "source_url"),
        "source_title": _optional_str(d, "source_title"),
        "quote": _optional_str(d, "quote"),
        "note": _optional_str(d, "note"),
        "tags": list(check_tags(tags)) if tags else [],
        "supersedes": _optional_int(d, "supersedes"),
        "trend_claim": _optional_int(d, "trend_claim"),
        "target_value": float(target) if target is not None else None,
        "outcome": outcome,
        "resolved_on": resolved_on,
        "evidence": evidence,
    }
    uid = d.get("uid")
    record["uid"] = legacy_uid(record) if uid is None else check_uid(uid)
    return record


def prediction_from_dict(d: Any) -> Prediction:
    """Rebuild a prediction from :func:`prediction_to_dict`'s form, checking every field
    (:func:`record_from_dict`)."""
    r = record_from_dict(d)
    resolution = None
    if r["outcome"] is not None:
        resolution = Resolution(r["outcome"], dt.date.fromisoformat(r["resolved_on"]),
                                r["evidence"])
    return Prediction(
        id=r["id"], uid=r["uid"], key=r["key"], claim=r["claim"], claimant=r["claimant"],
        made_on=period_containing(dt.date.fromisoformat(r["made_on"]), r["made_precision"]),
        deadline=period_containing(dt.date.fromisoformat(r["deadline"]),
                                   r["deadline_precision"]),
        deadline_expression=r["deadline_expression"], probability=r["probability"],
        topic=r["topic"], criteria=r["criteria"], source_url=r["source_url"],
        source_title=r["source_title"], quote=r["quote"], note=r["note"],
        tags=tuple(r["tags"]), supersedes=r["supersedes"], trend_claim=r["trend_claim"],
        target_value=r["target_value"], resolution=resolution,
    )


# Field checks for record_from_dict (module level: closures rebuilt on every call were a
# tenth of a million-record import).

def _day(d: dict, name: str) -> dt.date:
    try:
        return dt.date.fromisoformat(d[name])
    except (KeyError, TypeError, ValueError):
        raise InputError(f"field {name!r} must be a date YYYY-MM-DD") from None


def _precision(d: dict, name: str) -> str:
    value = d.get(name)
    if value not in PRECISIONS:
        raise InputError(f"field {name!r} must be day, month, quarter, half, third or year")
    return value


def _optional_str(d: dict, name: str) -> str | None:
    value = d.get(name)
    if value is None:
        return None
    if not isinstance(value, str):
        raise InputError(f"field {name!r} must be text")
    return clean_text(value, name)


def _optional_int(d: dict, name: str) -> int | None:
    value = d.get(name)
    if value is not None and (not isinstance(value, int) or isinstance(value, bool)
                              or not 0 < value <= MAX_ID):
        raise InputError(f"field {name!r} must be a whole number from 1 to {MAX_ID}")
    return value
