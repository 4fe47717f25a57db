"""Converters between foreign formats and the ledger's records: pure, no database.

One module per format. ``records`` picks the converter (or tells the format from the
file, where that is unambiguous) and returns the records the store imports
(``Ledger.import_foreign``). Our own JSON export is not converted: it carries its history
and goes through ``Ledger.import_json``.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import IO, Any

from forecast_ledger.errors import ImportFileError

FORMATS = ("ledger", "csv", "fatebook", "predictionbook", "metaculus", "manifold")
HEAD = 1 << 16  # characters read to tell the format


def detect(stream: IO[str], name: str) -> tuple[str, Any]:
    """(format, the parsed JSON document or None) of a seekable text file, rewound.

    A JSON file is ours when it begins with our ``format`` header; otherwise it is parsed
    and told by its shape. A CSV file is told by its header."""
    from forecast_ledger.interop import ledger_csv, manifold, metaculus
    from forecast_ledger.interop.common import json_document

    head = stream.read(HEAD).lstrip("\ufeff \t\r\n")
    stream.seek(0)
    if head.startswith(("{", "[")):
        if '"forecast-ledger"' in head[:200]:
            return "ledger", None
        document = json_document(stream, name)
        stream.seek(0)
        if metaculus.is_metaculus(document):
            return "metaculus", document
        if manifold.is_manifold(document):
            return "manifold", document
        if _is_predictionbook(document):
            return "predictionbook", document
        raise _unknown(name)
    header = head.split("\n", 1)[0]
    from forecast_ledger.interop import fatebook

    if fatebook.HEADER_MARK in header:
        return "fatebook", None
    if all(column in header for column in ledger_csv.REQUIRED):
        return "csv", None
    raise _unknown(name)


def _is_predictionbook(document: Any) -> bool:
    items = document.get("predictions") if isinstance(document, dict) else document
    return isinstance(items, list) and bool(items) and isinstance(items[0], dict) \
        and "responses" in items[0] and "deadline" in items[0]


def _unknown(name: str) -> ImportFileError:
    return ImportFileError(f"cannot tell what {name} was exported from; say it with --from "
                           f"({', '.join(FORMATS)}); nothing was imported")


def records(fmt: str, stream: IO[str], name: str, *, document: Any = None,
            every_days: int | None = None, topic: str | None = None) -> Iterator[dict]:
    """The records of a foreign file (``fmt`` is not ``ledger``); ``document`` is the
    parsed JSON when :func:`detect` already read it."""
    from forecast_ledger.interop import (
        fatebook,
        ledger_csv,
        manifold,
        metaculus,
        predictionbook,
    )
    from forecast_ledger.interop.common import json_document

    if fmt in ("csv", "fatebook"):
        return (ledger_csv if fmt == "csv" else fatebook).read(stream, name)
    if document is None:
        document = json_document(stream, name)
    if fmt == "metaculus":
        return metaculus.convert(document, name, every_days=every_days, topic=topic)
    if fmt == "manifold":
        return manifold.convert(document, name)
    if fmt == "predictionbook":
        return predictionbook.convert(document, name)
    raise ImportFileError(f"unknown format {fmt!r}; use one of {', '.join(FORMATS)}")
