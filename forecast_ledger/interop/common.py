"""What every converter shares: the record it returns, where a fault is, and reading times.

A converter turns a foreign file into *records*: dicts in the form of ``ledger export``'s
predictions (``domain.records.record_from_dict`` checks them), each with a ``uid`` of the
form ``SOURCE:ID`` that stays the same in every later export of the same account, and
``notes`` (``[{"on": "YYYY-MM-DD", "text": ...}]``) and ``at``, the place in the
file it came from. The store takes them in
through its one idempotent import path (store/merge.py).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from collections.abc import Iterator
from typing import IO, Any

from forecast_ledger.domain.records import record_from_dict
from forecast_ledger.errors import ImportFileError, InputError

MULTI = "; "  # how Fatebook (and our CSV) join several values in one cell


class Where:
    """A place in a foreign file: ``file:line`` or ``file:$.path``, for messages."""

    def __init__(self, name: str, at: str):
        self.name, self.at = name, at

    def fail(self, message: str) -> ImportFileError:
        return ImportFileError(f"{self.name}:{self.at}: {message}; nothing was imported")

    def record(self, fields: dict) -> dict:
        """``fields`` checked as an export's prediction is, in normal form, with what only
        a foreign record has (``notes``, and a restatement's or milestone's links by uid
        and key); a fault is named with this place."""
        extras = {name: fields.pop(name, None) for name in EXTRAS}
        fields.setdefault("made_precision", "day")  # other tools keep times, so days
        fields.setdefault("deadline_precision", "day")
        try:
            record = record_from_dict(fields)
        except InputError as exc:
            raise self.fail(str(exc)) from None
        return {**record, **extras, "notes": extras["notes"] or [],
                "at": f"{self.name}:{self.at}"}


EXTRAS = ("notes", "supersedes_uid", "trend_claim_key")


def stable_id(*parts: Any) -> str:
    """A short id that the same parts always give: for formats whose rows carry no id of
    their own (Fatebook's CSV), so that a newer export of the same forecasts matches."""
    text = "\x1f".join("" if p is None else str(p) for p in parts)
    return hashlib.sha256(text.encode()).hexdigest()[:20]


def utc_day(moment: dt.datetime) -> dt.date:
    if moment.tzinfo is not None:
        moment = moment.astimezone(dt.UTC)
    return moment.date()


def iso_moment(value: Any, where: Where, what: str) -> dt.datetime:
    """An ISO 8601 date or time (``2015-03-10T04:12:50Z``, ``2015-03-10``)."""
    if isinstance(value, str):
        try:
            return dt.datetime.fromisoformat(value.strip())
        except ValueError:
            pass
    raise where.fail(f"{what} {value!r} is not an ISO 8601 date or time")


def unix_moment(value: Any, where: Where, what: str, *, per_second: int = 1) -> dt.datetime:
    """Unix time in seconds (Metaculus) or milliseconds (Manifold: ``per_second=1000``)."""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        try:
            return dt.datetime.fromtimestamp(value / per_second, dt.UTC)
        except (OverflowError, OSError, ValueError):
            pass
    unit = "milliseconds" if per_second == 1000 else "seconds"
    raise where.fail(f"{what} {value!r} is not a time in Unix {unit}")


LOOSE_TIME = re.compile(r"([0-9]{4})-([0-9]{1,2})-([0-9]{1,2})"
                        r"(?:[ T]([0-9]{1,2}):([0-9]{1,2})(?::([0-9]{1,2})(?:\.[0-9]+)?)?)?")


def loose_moment(value: str, where: Where, what: str) -> dt.datetime:
    """A time written ``YYYY-M-D H:M:S`` with or without padding (Fatebook writes
    ``2024-03-05 14:07:3``), read as UTC; or any ISO 8601 time, with its offset."""
    match = LOOSE_TIME.fullmatch(value.strip())
    if match:
        year, month, day, hour, minute, second = (int(g or 0) for g in match.groups())
        try:
            return dt.datetime(year, month, day, hour, minute, second, tzinfo=dt.UTC)
        except ValueError:
            pass
    return iso_moment(value, where, what)


def split_multi(cell: str | None) -> list[str]:
    return [part.strip() for part in (cell or "").split(MULTI.strip()) if part.strip()]


def csv_rows(stream: IO[str], name: str, required: tuple[str, ...]) -> Iterator[
        tuple[Where, dict[str, str]]]:
    """The rows of a CSV file with a header, each with its place (the line it starts on);
    refuses a file that lacks one of the ``required`` columns or has a row of another
    length."""
    import csv

    reader = csv.reader(stream)
    try:
        header = next(reader, [])
        missing = [c for c in required if c not in header]
        if missing:
            raise Where(name, "1").fail(
                f"the header lacks the column{'s' if len(missing) > 1 else ''} "
                + ", ".join(repr(c) for c in missing))
        width, line = len(header), reader.line_num + 1
        for cells in reader:
            where = Where(name, str(line))
            if len(cells) != width:
                if not cells:  # a blank line
                    line = reader.line_num + 1
                    continue
                raise where.fail(f"the row has {len(cells)} cells where the header has "
                                 f"{width}")
            yield where, dict(zip(header, cells, strict=True))
            line = reader.line_num + 1
    except csv.Error as exc:
        raise Where(name, str(reader.line_num)).fail(f"not readable as CSV ({exc})") from None


def json_document(stream: IO[str], name: str) -> Any:
    import json

    try:
        return json.load(stream)
    except json.JSONDecodeError as exc:
        raise Where(name, f"{exc.lineno}").fail(f"not valid JSON ({exc.msg}, column "
                                                f"{exc.colno})") from None
    except RecursionError:
        raise Where(name, "$").fail("the JSON nests too deeply") from None


def field(item: Any, key: str, where: Where, kinds: type | tuple[type, ...],
          *, required: bool = True) -> Any:
    """``item[key]`` checked to be of ``kinds`` (None allowed when not ``required``)."""
    if not isinstance(item, dict):
        raise where.fail("expected a JSON object")
    value = item.get(key)
    if value is None and not required:
        return None
    if value is None:
        raise Where(where.name, f"{where.at}.{key}").fail("is missing")
    if not isinstance(value, kinds) or isinstance(value, bool) and bool not in (
            kinds if isinstance(kinds, tuple) else (kinds,)):
        raise Where(where.name, f"{where.at}.{key}").fail(f"{value!r} has the wrong type")
    return value
