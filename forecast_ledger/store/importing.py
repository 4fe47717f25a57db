"""`ledger import`: one entry for both ways a file comes in, and one set of refusals.

Into an empty ledger an export is restored verbatim and verified (transfer.py); into a
ledger with records it is merged by uid (merge.py). Records without a history (our CSV,
other tools' exports, converted by interop/) are matched by uid and compared by their
state (merge_records.py). Whatever is wrong with the file becomes
one ImportFileError; a conflict with this ledger's history stays a Conflict.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable, Iterator
from contextlib import contextmanager

from sqlalchemy import select

from forecast_ledger.errors import ImportFileError, InputError, TamperError
from forecast_ledger.store.db import advance_id_sequences
from forecast_ledger.store.events import EventWriter
from forecast_ledger.store.json_stream import NotAnObject
from forecast_ledger.store.merge import merge
from forecast_ledger.store.merge_records import merge_records
from forecast_ledger.store.rows import E
from forecast_ledger.store.transfer import NOT_AN_EXPORT, Imported, Sections, restore
from forecast_ledger.store.verify import verify_connection


def import_data(events: EventWriter, sections: Sections) -> Imported:
    """Import an export's sections in the caller's write transaction, reading them as it
    goes. Into an empty ledger the file is restored verbatim and verified; into one with
    records it is merged by uid (store/merge.py). Any fault in the file raises, and the
    caller's transaction undoes everything."""
    conn = events.conn
    empty = conn.execute(select(E.c.id).limit(1)).first() is None
    with import_errors():
        if empty:
            count = restore(events, sections)
            verify_connection(conn)
            advance_id_sequences(conn)
            return Imported(added=count)
        return merge(events, sections)


def import_records(events: EventWriter, records: Iterable[dict], *, source: str,
                   owned: bool, latest: dt.date) -> Imported:
    """Take in records without a history (our CSV, another tool's export: interop/) in the
    caller's write transaction, matched by uid (store/merge_records.py)."""
    with import_errors():
        return merge_records(events, records, source=source, owned=owned, latest=latest)


@contextmanager
def import_errors() -> Iterator[None]:
    """Whatever is wrong with the file, as one ImportFileError (a conflict with this
    ledger's history stays a Conflict)."""
    try:
        yield
    except NotAnObject:
        raise ImportFileError(NOT_AN_EXPORT) from None
    except json.JSONDecodeError as exc:
        raise ImportFileError(f"the import file is not valid JSON ({exc.msg} at line "
                              f"{exc.lineno}, column {exc.colno}); nothing was "
                              "imported") from None
    except UnicodeDecodeError:
        raise ImportFileError("the import file is not UTF-8 text; nothing was "
                              "imported") from None
    except RecursionError:
        raise ImportFileError("the import file nests its values too deeply to be an "
                              "export; nothing was imported") from None
    except TamperError as exc:
        raise ImportFileError(f"the import file does not verify: {exc}; nothing was "
                              "imported") from None
    except InputError as exc:
        raise ImportFileError(f"the import file is malformed: {exc}; nothing was "
                              "imported") from None
