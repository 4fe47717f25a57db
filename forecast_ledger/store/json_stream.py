"""Read one large JSON object member by member, and its arrays item by item.

``json.load`` on a million-prediction export builds the whole document at once: 1.3 GB of
text and about 4 GB of objects. This reader hands the standard library's C decoder one value
at a time from a sliding buffer, so only the current item is held. Any layout works
(one record per line as ``ledger export`` writes it, pretty-printed, or all on one line).

    for name, value in members(stream):
        if isinstance(value, Items):
            for item in value: ...   # an array, streamed
        else: ...                    # any other value, whole

A malformed document raises :class:`json.JSONDecodeError` with the line and column in the
whole file, where the error was found.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import IO, Any

_DECODER = json.JSONDecoder()
_SPACE = re.compile(r"[ \t\n\r]*")
_READ = 1 << 20  # characters per read; doubled while one value does not fit


class NotAnObject(ValueError):
    """The document is not a JSON object (it may still be valid JSON)."""


class Items:
    """An array member being read. Iterate it before asking for the next member; whatever
    was not read is skipped then."""

    def __init__(self, reader: _Reader):
        self._items = _read_array(reader)

    def __iter__(self) -> Iterator[Any]:
        return self._items  # one pass: a second loop goes on where the first stopped

    def skip(self) -> None:
        for _ in self._items:
            pass


def _read_array(reader: _Reader) -> Iterator[Any]:
    if reader.peek() != "]":
        while True:
            yield reader.value()
            if reader.peek() != ",":
                break
            reader.pos += 1
    reader.take("]")


def members(stream: IO[str]) -> Iterator[tuple[str, Any]]:
    """The (name, value) members of the JSON object in ``stream``, in file order; an array
    value comes as :class:`Items`. Raises JSONDecodeError unless the stream holds exactly
    one object."""
    reader = _Reader(stream)
    if reader.peek() not in ("{", "") and _is_json(reader):
        raise NotAnObject("the document is not a JSON object")
    reader.take("{")
    if reader.peek() == "}":
        reader.take("}")
    else:
        while True:
            if reader.peek() != '"':
                reader.fail("Expecting property name enclosed in double quotes")
            name = reader.value()
            reader.take(":")
            if reader.peek() == "[":
                reader.take("[")
                items = Items(reader)
                yield name, items
                items.skip()
            else:
                yield name, reader.value()
            if reader.peek() == "}":
                reader.take("}")
                break
            reader.take(",")
    if reader.peek() != "":
        reader.fail("Extra data")


def _is_json(reader: _Reader) -> bool:
    try:
        reader.value()
        return reader.peek() == ""
    except json.JSONDecodeError:
        return False


class _Reader:
    """A window on the stream; ``pos`` indexes ``text``, which starts ``lines`` newlines and
    ``column`` characters (on its first line) into the file."""

    def __init__(self, stream: IO[str]):
        self.stream = stream
        self.text = ""
        self.pos = 0
        self.eof = False
        self.lines = 0
        self.column = 0

    def _more(self) -> bool:
        """Drop what was read, append the next piece of the stream; False at its end."""
        done = self.text[:self.pos]
        newlines = done.count("\n")
        self.lines += newlines
        self.column = (self.column if newlines == 0 else 0) + len(done) - (done.rfind("\n") + 1)
        self.text = self.text[self.pos:]
        self.pos = 0
        piece = self.stream.read(max(_READ, len(self.text)))
        if not piece:
            self.eof = True
            return False
        self.text += piece
        return True

    def peek(self) -> str:
        """The next character that is not white space ('' at the end), not consumed."""
        while True:
            self.pos = _SPACE.match(self.text, self.pos).end()  # type: ignore[union-attr]
            if self.pos < len(self.text):
                return self.text[self.pos]
            if not self._more():
                return ""

    def take(self, char: str) -> None:
        if self.peek() != char:
            self.fail(f"Expecting {char!r} delimiter" if char in ",:" else f"Expecting {char!r}")
        self.pos += 1

    def value(self) -> Any:
        self.peek()
        while True:
            try:
                value, end = _DECODER.raw_decode(self.text, self.pos)
            except json.JSONDecodeError as exc:
                if self.eof:
                    self.fail(exc.msg, exc.pos)
                self._more()  # perhaps the value goes on past the window
                continue
            if end == len(self.text) and not self.eof:
                self._more()  # a number cut in two would still decode
                continue
            self.pos = end
            return value

    def fail(self, message: str, pos: int | None = None) -> None:
        """Raise JSONDecodeError at ``pos`` (default: here), placed in the whole file."""
        error = json.JSONDecodeError(message, self.text, self.pos if pos is None else pos)
        if error.lineno == 1:
            error.colno += self.column
        error.lineno += self.lines
        raise error
