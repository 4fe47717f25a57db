"""The Ledger API: everything the command line does, usable from Python.

    from forecast_ledger import Ledger
    ledger = Ledger.open("predictions.sqlite")
    for p in ledger.due(today=date(2026, 11, 29)):
        print(p.claim, p.days_overdue(date(2026, 11, 29)))

Each public method is one transaction. Every change appends a hash-chained event (see
domain/chain.py) in the same transaction as the change itself, so the history and the
records can never disagree except by tampering, which :meth:`Ledger.verify` finds.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Iterator
from contextlib import AbstractContextManager
from dataclasses import dataclass, replace
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

from sqlalchemy import Connection, Engine, and_, or_, select

from forecast_ledger.clock import system_now
from forecast_ledger.domain.chain import GENESIS, Event, EventKind
from forecast_ledger.domain.dates import Duration, shifted
from forecast_ledger.domain.records import (
    Prediction,
    Resolution,
    clean_text,
    prediction_to_dict,
    status_of,
    suggested_key,
)
from forecast_ledger.errors import Conflict, InputError, NotFound, StoreError, TamperError
from forecast_ledger.store import schema
from forecast_ledger.store.db import (
    drop_schema,
    ensure_schema,
    make_engine,
    set_journal_mode,
    sqlite_path,
    stream_rows,
)
from forecast_ledger.store.events import (
    EventWriter,
    event_from_row,
    read_transaction,
    write_transaction,
)
from forecast_ledger.store.rows import (
    E,
    P,
    T,
    apply_edit,
    apply_resolution,
    as_date,
    fetch_prediction,
    folded,
    insert_prediction,
    iso,
    iter_records,
    same_text,
    select_predictions,
    status_condition,
)

if TYPE_CHECKING:
    from forecast_ledger.domain.compression import Forecast
    from forecast_ledger.domain.score import Scored
    from forecast_ledger.domain.trends import Comparison, Observed, WindowFit
    from forecast_ledger.store.transfer import Imported
    from forecast_ledger.store.verify import VerifyReport

# The orders a listing can take: --sort FIELD (a leading '-' reverses it).
SORTS = {"id": P.c.id, "made": P.c.made_on, "made_on": P.c.made_on, "deadline": P.c.deadline,
         "claimant": P.c.claimant, "by": P.c.claimant, "topic": P.c.topic,
         "probability": P.c.probability, "key": P.c.key, "resolved_on": P.c.resolved_on}


@dataclass(frozen=True)
class Selection:
    """Which predictions a listing shows, in which order and how many. Text matches ignore
    case; ``search`` finds a piece of the claim, quote or note (any script)."""

    status: str | None = None
    topic: str | None = None
    claimant: str | None = None
    tag: str | None = None
    search: str | None = None
    sort: str = "id"
    limit: int | None = None


def _selected(today: dt.date, s: Selection) -> tuple[list, tuple, int | None]:
    conditions = status_condition(s.status, today) if s.status is not None else []
    if s.topic is not None:
        conditions.append(same_text(P.c.topic, s.topic))
    if s.claimant is not None:
        conditions.append(same_text(P.c.claimant, s.claimant))
    if s.tag is not None:
        conditions.append(P.c.id.in_(select(T.c.prediction_id).where(same_text(T.c.tag, s.tag))))
    if s.search is not None:
        term = s.search.strip().casefold()
        if not term:
            raise InputError("the search text is empty")
        conditions.append(or_(*(folded(P.c[name]).contains(term, autoescape=True)
                                for name in ("claim", "quote", "note"))))
    column = SORTS.get(s.sort.lstrip("-"))
    if column is None:
        raise InputError(f"cannot sort by {s.sort!r}; sort by one of {', '.join(SORTS)} "
                         "(a leading '-' reverses)")
    order = column.desc() if s.sort.startswith("-") else column.asc()
    if s.limit is not None and s.limit < 1:
        raise InputError(f"the limit must be 1 or more, not {s.limit}")
    return conditions, (order, P.c.id), s.limit


class Ledger:
    """A forecast ledger in one database. Open it with :meth:`Ledger.open`."""

    def __init__(self, engine: Engine, now: Callable[[], str] = system_now, *,
                 created: bool = False):
        self.engine = engine
        self._now = now
        self.created = created  # the schema was made when it was opened

    @classmethod
    def import_file(cls, db: str, source: str | dict | IO[str], *, fmt: str | None = "ledger",
                    name: str = "the import file", now: Callable[[], str] = system_now,
                    **options: Any) -> Imported:
        """Import a file into the ledger at ``db``, creating it if need be.

        ``fmt`` is one of ``interop.FORMATS`` (None: told from the file, which must then be
        a seekable text stream); ``options`` go to the converter (``every_days`` and
        ``topic`` for Metaculus). A new SQLite ledger is built in a temporary file beside
        its path and renamed into place only when the import succeeded: a bad file or a
        killed import leaves no ledger behind, and the same command can simply be run
        again.
        """
        from forecast_ledger.files import check_output, replaced_on_success

        def into(ledger: Ledger) -> Imported:
            kind, document = fmt, None
            if kind is None:
                from forecast_ledger.interop import detect
                from forecast_ledger.store.importing import import_errors

                with import_errors():
                    kind, document = detect(source, name)  # type: ignore[arg-type]
            if kind == "ledger":
                return ledger.import_json(source)
            from forecast_ledger.interop import records

            return ledger.import_foreign(records(kind, source, name,  # type: ignore[arg-type]
                                                 document=document, **options),
                                         source=kind)

        path = sqlite_path(db)
        if path is None or path.exists():
            with cls.open(db, create=True, now=now) as ledger:
                try:
                    return into(ledger)
                except BaseException:
                    if ledger.created:  # leave the empty database as it was found
                        drop_schema(ledger.engine)
                    raise
        with replaced_on_success(check_output(Path(path))) as temporary:
            with cls.open(str(temporary), create=True, now=now) as ledger:
                # Nobody else can have this file open: filling it without a write-ahead log
                # writes each page once, not twice (10% of a large import).
                set_journal_mode(ledger.engine, "delete")
                result = into(ledger)
                set_journal_mode(ledger.engine, "wal")
                return result

    @classmethod
    def open(cls, db: str, *, create: bool = False,
             now: Callable[[], str] = system_now) -> Ledger:
        """Open (and with ``create``, make) the ledger at a path or SQLAlchemy URL.

        An older ledger is migrated; a file that is not a ledger raises StoreError.
        """
        engine = make_engine(db, create=create)
        try:
            created = ensure_schema(engine, create=create)
        except BaseException:
            engine.dispose()
            raise
        return cls(engine, now, created=created)

    @property
    def path(self) -> Path | None:
        """The file of a SQLite ledger; None for other databases."""
        url = self.engine.url
        if url.drivername.startswith("sqlite") and url.database not in (None, "", ":memory:"):
            return Path(url.database)  # type: ignore[arg-type]
        return None

    def close(self) -> None:
        self.engine.dispose()

    def __enter__(self) -> Ledger:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # --- transactions -------------------------------------------------------------------

    def reading(self, *, snapshot: bool = False) -> AbstractContextManager[Connection]:
        """One read transaction; with ``snapshot``, one consistent view for all its
        statements (verify, backup and export use it while others write)."""
        return read_transaction(self.engine, snapshot=snapshot)

    def writing(self) -> AbstractContextManager[EventWriter]:
        """One write transaction with an :class:`EventWriter`; all or nothing."""
        return write_transaction(self.engine, self._now())

    # --- predictions --------------------------------------------------------------------

    def clock_today(self) -> dt.date:
        """The system clock's date. "Today" for reports can be any date, but nothing is
        written dated after this one: a verdict, a made date or an observation cannot come
        from the future."""
        return dt.date.fromisoformat(self._now()[:10])

    def _refuse_future(self, day: dt.date, what: str, *, options: tuple[str, ...]) -> None:
        """Nothing is written dated after the system clock's date (SPEC: writes are never
        dated after the real clock; 'today' only sets the date reports are made as of)."""
        if day > self.clock_today():
            raise InputError(f"{what} {day} is after the system clock's date "
                             f"({self.clock_today()}): nothing is recorded from the future "
                             "('today' sets the date reports are made as of)", options=options)

    def add(self, prediction: Prediction) -> Prediction:
        """Record a new prediction; returns it with its id (and a new uid unless it has
        one). A made date after the system clock's date is refused."""
        self._refuse_future(prediction.made_on.first, "the made date", options=("made",))
        with self.writing() as events:
            if prediction.key is None:
                prediction = replace(prediction, key=_free_key(events.conn, suggested_key(
                    prediction.claim, prediction.claimant, prediction.made_on)))
            return insert_prediction(events, prediction)

    def add_once(self, prediction: Prediction) -> tuple[Prediction, bool]:
        """Record ``prediction`` unless one with its uid is already here: (the prediction,
        whether it was added). How a claim read from a text is recorded only once."""
        with self.reading() as conn:
            here = conn.execute(select(P.c.id).where(P.c.uid == prediction.uid)).scalar()
            if here is not None:
                return fetch_prediction(conn, str(here)), False
        return self.add(prediction), True

    def claimants(self) -> list[str]:
        """Every claimant's name as recorded."""
        with self.reading() as conn:
            return list(conn.execute(select(P.c.claimant).distinct()).scalars())

    def topics(self) -> list[str]:
        with self.reading() as conn:
            return list(conn.execute(select(P.c.topic).where(P.c.topic.is_not(None))
                                     .distinct()).scalars())

    def get(self, ref: str | int) -> Prediction:
        """The prediction with this id or key; NotFound otherwise."""
        with self.reading() as conn:
            return fetch_prediction(conn, str(ref))

    def predictions(self, *, today: dt.date, **selection: Any) -> list[Prediction]:
        """Predictions chosen by ``selection`` (the fields of :class:`Selection`: status,
        topic, claimant, tag, search, sort, limit), by id unless sorted otherwise."""
        conditions, order_by, limit = _selected(today, Selection(**selection))
        with self.reading() as conn:
            return select_predictions(conn, *conditions, order_by=order_by, limit=limit)

    def iter_records(self, *, today: dt.date, **selection: Any) -> Iterator[dict]:
        """The same predictions as plain dicts in the export/JSON form, streamed from one
        read transaction (held open until the iterator is exhausted or closed): several
        times faster than :meth:`predictions`, in constant memory."""
        conditions, order_by, limit = _selected(today, Selection(**selection))
        with self.reading() as conn:
            yield from iter_records(conn, *conditions, order_by=order_by, limit=limit)

    def due(self, *, today: dt.date, within: Duration | None = None) -> list[Prediction]:
        """Unresolved predictions past their deadline, most overdue first; with ``within``,
        also those whose deadline falls from today to today + within."""
        with self.reading() as conn:
            return select_predictions(conn, self._due_condition(today, within),
                                      order_by=(P.c.deadline, P.c.id))

    def due_records(self, *, today: dt.date, within: Duration | None = None) -> list[dict]:
        """The same as :meth:`due`, as plain dicts in the export/JSON form (faster)."""
        with self.reading() as conn:
            return list(iter_records(conn, self._due_condition(today, within),
                                     order_by=(P.c.deadline, P.c.id)))

    @staticmethod
    def _due_condition(today: dt.date, within: Duration | None):  # noqa: ANN205
        condition = and_(*status_condition("due", today))
        if within is not None:
            horizon = shifted(today, within.delta(), f"{today} plus the window asked for")
            condition = or_(condition, and_(*status_condition("pending", today),
                                            P.c.deadline <= horizon))
        return condition

    def resolve(
        self,
        ref: str | int,
        outcome: str,
        *,
        today: dt.date,
        on: dt.date | None = None,
        evidence: str | None = None,
        reason: str | None = None,
        force: bool = False,
    ) -> Prediction:
        """Resolve (or re-resolve, with a reason) a prediction; returns it resolved.

        ``on`` is the day the outcome happened or became knowable (default ``today``).
        A 'no' while the claim can still come true (today on or before the deadline) is
        refused unless ``force`` with a ``reason``.
        """
        resolved_on = on or today
        self._refuse_future(resolved_on, "the resolution date", options=("on",))
        evidence = clean_text(evidence, "evidence")
        reason = clean_text(reason, "reason")
        with self.writing() as events:
            p = fetch_prediction(events.conn, str(ref))
            _check_resolution(p, outcome, resolved_on, today, reason, force)
            new = Resolution(outcome, resolved_on, evidence)
            apply_resolution(events, p, new, reason=reason, forced=force)
            return replace(p, resolution=new)

    # Changing these of a resolved prediction changes what was judged: only with force.
    JUDGED = ("claim", "made_on", "deadline", "probability")

    def edit(self, ref: str | int, *, reason: str, force: bool = False,
             **fields: str | list[str] | None) -> tuple[Prediction, dict]:
        """Correct a record (SPEC §8): ``fields`` as a user types them — claim, claimant,
        made, deadline (an expression, read from the made date), probability, topic,
        criteria, source_url, source_title, quote, note, key (an empty text clears an
        optional field) and add_tags / remove_tags (lists). Returns the prediction as
        edited and the changes, each with its old and new value, as its event holds them.
        """
        from forecast_ledger.domain.records import revised

        reason_text = clean_text(reason, "reason", required=True)
        with self.writing() as events:
            old = fetch_prediction(events.conn, str(ref))
            new = revised(old, **fields)
            self._refuse_future(new.made_on.first, "the made date", options=("made",))
            before, after = prediction_to_dict(old), prediction_to_dict(new)
            judged = [f for f in self.JUDGED if before[f] != after[f]]
            if old.resolution is not None and judged and not force:
                raise Conflict(f"prediction {old.key or old.id} is resolved; changing its "
                               f"{', '.join(judged)} changes what was judged and must be "
                               "forced", options=("force",))
            changes = apply_edit(events, old, new, reason=reason_text,  # type: ignore[arg-type]
                                 forced=force)
            if not changes:
                raise InputError("nothing to change: every value given is the one recorded")
            return new, changes

    def note(self, ref: str | int, text: str, *, today: dt.date,
             on: dt.date | None = None) -> Event:
        """Append a dated comment (evidence gathered before the verdict) to a prediction's
        history; ``on`` defaults to today and may not be after the system clock's date."""
        body = clean_text(text, "note", required=True)
        day = on or today
        self._refuse_future(day, "the note's date", options=("on",))
        with self.writing() as events:
            p = fetch_prediction(events.conn, str(ref))
            payload = {"text": body, "on": day.isoformat()}
            prev_hash, event_id = events.prev_hash, events.next_id
            digest = events.append(EventKind.NOTE, p.id, payload)
            return Event(event_id, EventKind.NOTE, p.id, events.now, payload, prev_hash,
                         digest)

    # --- history ------------------------------------------------------------------------

    def history(self, ref: str | int) -> list[Event]:
        """Every event about one prediction, oldest first."""
        with self.reading() as conn:
            p = fetch_prediction(conn, str(ref))
            rows = conn.execute(select(E).where(E.c.prediction_id == p.id).order_by(E.c.id))
            return [event_from_row(r) for r in rows]

    def head(self) -> tuple[int, str]:
        """(number of events, hash of the last one): publish it to prove nothing was rewritten."""
        with self.reading() as conn:
            row = conn.execute(select(E.c.id, E.c.hash).order_by(E.c.id.desc()).limit(1)).first()
        return (row[0], row[1]) if row else (0, GENESIS)

    # --- compression ---------------------------------------------------------------------

    def forecasts(self, *, today: dt.date, topic: str | None = None,
                  since: dt.date | None = None, until: dt.date | None = None,
                  ) -> Iterator[tuple[str, Forecast]]:
        """(topic, Forecast) for every prediction that has a topic, streamed."""
        from forecast_ledger.domain.compression import Forecast

        query = select(P.c.topic, P.c.id, P.c.key, P.c.claimant, iso(P.c.made_on),
                       iso(P.c.deadline), P.c.outcome).where(P.c.topic.is_not(None))
        if topic is not None:
            query = query.where(same_text(P.c.topic, topic))
        if since is not None:
            query = query.where(P.c.made_on >= since)
        if until is not None:
            query = query.where(P.c.made_on <= until)
        with self.reading() as conn:
            for t, pid, key, who, made, deadline, outcome in stream_rows(conn, query):
                deadline = as_date(deadline)
                yield t, Forecast(pid, key, who, as_date(made), deadline,
                                  status_of(deadline, outcome, today))

    def check_topic(self, topic: str) -> None:
        """NotFound, naming the nearest topic there is, when no prediction has ``topic``."""
        import difflib

        with self.reading() as conn:
            if conn.execute(select(P.c.id).where(same_text(P.c.topic, topic)).limit(1)).first():
                return
            topics = list(conn.execute(select(P.c.topic).where(P.c.topic.is_not(None))
                                       .distinct()).scalars())
        close = difflib.get_close_matches(topic.casefold(), topics, n=1, cutoff=0.4)
        raise NotFound(f"no prediction has the topic {topic!r}" +
                       (f"; did you mean {close[0]!r}?" if close else
                        "; 'ledger list' shows the topics"))

    def scored(self, *, topic: str | None = None,
               claimant: str | None = None) -> Iterator[Scored]:
        """What scoring needs of each prediction, streamed."""
        from forecast_ledger.domain.score import Scored

        query = select(P.c.claimant, P.c.probability, P.c.outcome, P.c.deadline,
                       P.c.resolved_on).order_by(P.c.id)
        if topic is not None:
            query = query.where(same_text(P.c.topic, topic))
        if claimant is not None:
            query = query.where(same_text(P.c.claimant, claimant))
        with self.reading() as conn:
            for row in conn.execution_options(yield_per=20_000).execute(query):
                yield Scored(*row)

    # --- trends (store/trends.py) ---------------------------------------------------------

    def create_series(self, name: str, *, unit: str | None = None,
                      description: str | None = None):  # noqa: ANN201
        from forecast_ledger.store import trends

        with self.writing() as events:
            return trends.create_series(events, name, unit, description)

    def observe(self, series: str, points: list, *, today: dt.date,
                source: str | None = None) -> Observed:
        """Add observations (domain.trends.Point), leaving out those already recorded;
        returns the counts and the milestones the new ones resolved. An observation dated
        after today, or after the system clock's date, is refused."""
        from forecast_ledger.store import trends

        with self.writing() as events:
            found = trends.get_series(events.conn, series)
            return trends.add_observations(events, found, points, source,
                                           min(today, self.clock_today()))

    def add_trend_claim(self, series: str, **fields: str | None):  # noqa: ANN201
        """Record a trend claim (doubling, claimant, made, anchor_date, anchor_value, key …)."""
        from forecast_ledger.store import trends

        with self.writing() as events:
            found = trends.get_series(events.conn, series)
            return trends.add_trend_claim(events, found, **fields)  # type: ignore[arg-type]

    def project(self, claim: str, target: str, *, key: str | None = None) -> Prediction:
        """The milestone prediction a trend claim implies for a target value."""
        from forecast_ledger.store import trends

        with self.writing() as events:
            stored = trends.project_milestone(events, claim, target, key=key)
        return self.get(stored.id)  # type: ignore[arg-type]

    def series_points(self, series: str, start: dt.date | None = None,
                      end: dt.date | None = None):  # noqa: ANN201
        """(Series, observations in the window)."""
        from forecast_ledger.store import trends

        with self.reading() as conn:
            found = trends.get_series(conn, series)
            return found, trends.observations(conn, found, start, end)

    def series_detail(self, series: str):  # noqa: ANN201
        """(Series, observations, trend claims, milestone predictions)."""
        from forecast_ledger.store import trends

        with self.reading() as conn:
            found = trends.get_series(conn, series)
            claims = trends.trend_claims(conn, found)
            ids = [c.id for c in claims]
            milestones = select_predictions(conn, P.c.trend_claim.in_(ids)) if ids else []
            return found, trends.observations(conn, found), claims, milestones

    def fit(self, series: str, start: dt.date | None = None,
            end: dt.date | None = None) -> WindowFit:
        """The doubling time of a series' observations from ``start`` to ``end``."""
        from forecast_ledger.domain.trends import WindowFit, doubling_fit

        found, points = self.series_points(series, start, end)
        return WindowFit(found.name, start, end, doubling_fit(points))

    def compare(self, series: str, *, windows: list[tuple] = (),  # type: ignore[assignment]
                claims: list[str] = ()) -> Comparison:  # type: ignore[assignment]
        """Two windows ((start, end) pairs) or two trend claims (ids or keys) of one series,
        and their doubling-time ratio."""
        from forecast_ledger.domain.trends import Comparison

        if len(windows) + len(claims) != 2 or (windows and claims):
            raise InputError("compare two windows or two trend claims",
                             options=("window", "claim"))
        if windows:
            first, second = (self.fit(series, *bounds) for bounds in windows)
            return Comparison(series, first, second)
        found = [self.trend_claim(ref) for ref in claims]
        for ref, c in zip(claims, found, strict=True):
            if c.series != series:
                raise InputError(f"trend claim {ref} is about {c.series}, not {series}")
        return Comparison(series, found[0], found[1])

    def trend_claim(self, ref: str):  # noqa: ANN201
        from forecast_ledger.store import trends

        with self.reading() as conn:
            return trends.get_trend_claim(conn, ref)

    def all_series(self):  # noqa: ANN201
        from forecast_ledger.store import trends

        with self.reading() as conn:
            return trends.list_series(conn)

    # --- whole-ledger operations (each in its own module) ---------------------------------

    def export_json(self, out: IO[str]) -> int:
        """Stream the whole ledger, as one snapshot, as JSON to a text file object;
        returns the number of predictions."""
        from forecast_ledger.store.transfer import write_export

        with self.reading(snapshot=True) as conn:
            return write_export(conn, out)

    def export_ics(self, out: IO[str]) -> None:
        """Write the open deadlines as an iCalendar file (interop/ics.py) to ``out``."""
        from forecast_ledger.interop.ics import calendar

        stamp = dt.datetime.fromisoformat(self._now())
        with self.reading() as conn:
            out.write(calendar(iter_records(conn, P.c.outcome.is_(None)),
                               stamp=stamp).decode("utf-8"))

    def export_csv(self, out: IO[str], *, today: dt.date) -> None:
        """Write every prediction with every field, its notes and its links as CSV
        (interop/ledger_csv.py), which ``import --from csv`` reads back as it was."""
        import json

        from forecast_ledger.interop import ledger_csv
        from forecast_ledger.render import with_status

        with self.reading() as conn:
            notes: dict[int, list[dict]] = {}
            for pid, payload in conn.execute(select(E.c.prediction_id, E.c.payload).where(
                    E.c.kind == EventKind.NOTE).order_by(E.c.id)):
                note = json.loads(payload)
                notes.setdefault(pid, []).append({"on": note["on"], "text": note["text"]})
            older = P.alias("older")
            superseded = dict(conn.execute(select(P.c.id, older.c.uid).join(
                older, P.c.supersedes == older.c.id)).all())
            claims = schema.trend_claims
            claim_keys = dict(conn.execute(select(claims.c.id, claims.c.key)).all())

            def rows() -> Iterator[dict]:
                for record in iter_records(conn, order_by=(P.c.id,)):
                    pid = record["id"]
                    yield {**with_status(record, today), "notes": notes.get(pid, []),
                           "supersedes": superseded.get(pid),
                           "trend_claim": claim_keys.get(record["trend_claim"])}

            ledger_csv.write(out, rows())

    def import_json(self, source: str | dict | IO[str]) -> Imported:
        """Import an export (its text, an open text file, or the parsed dict), all or
        nothing. Into an empty ledger it is restored exactly, the file read as it is
        imported (a million predictions need no more memory than a few thousand); into one
        with records it is merged by uid, which holds the file in memory, so importing a
        file twice adds nothing (SPEC §9)."""
        from forecast_ledger.store.importing import import_data
        from forecast_ledger.store.transfer import sections_of

        with self.writing() as events:
            return import_data(events, sections_of(source))

    def import_foreign(self, records: Iterable[dict], *, source: str) -> Imported:
        """Take in records without a history (interop/ converts them: our CSV, Fatebook,
        PredictionBook, Metaculus, Manifold), all or nothing, matched by uid so that a
        second import adds nothing (SPEC §9). ``source`` is the format's name: a change
        in another tool's export is an edit here; one in our own CSV is a conflict."""
        from forecast_ledger.store.importing import import_records

        with self.writing() as events:
            return import_records(events, records, source=source, owned=source != "csv",
                                  latest=self.clock_today())

    def verify(self, *, head: str | None = None) -> VerifyReport:
        """Recompute the chain and replay it against the records; TamperError on a fault.

        ``head`` is a hash published earlier (or its first 16 or more characters): the
        history must still contain it, or events were removed or rewritten since."""
        if head is not None and len(head.strip()) < 16:
            raise InputError("a published head needs at least 16 characters of the hash")
        report = self._verify()
        if head is not None and not self.has_event_hash(head.strip().lower()):
            raise TamperError(f"head {head.strip()} is not in this ledger's history: events "
                              "were removed or rewritten since it was published")
        return report

    def _verify(self) -> VerifyReport:
        from forecast_ledger.store.verify import verify_connection

        with self.reading(snapshot=True) as conn:
            return verify_connection(conn, second_reader=self.reading)

    def backup(self, path: str) -> str:
        """Write a consistent copy to ``path`` (which must not exist) while others may be
        writing. It appears there complete or not at all.

        SQLite ledgers use SQLite's online backup (a new ledger file); other databases are
        exported as JSON from one snapshot (restore with ``ledger import``). Returns which
        kind was written.
        """
        import sqlite3

        from forecast_ledger.files import check_output, replaced_on_success, text_output

        target = check_output(Path(path), self.path)
        if target.exists():
            raise Conflict(f"{target} already exists; choose a new backup path")
        try:
            if self.engine.dialect.name != "sqlite":
                with text_output(target) as out:
                    self.export_json(out)
                return "json"
            with replaced_on_success(target) as temporary, self.engine.connect() as conn:
                dest = sqlite3.connect(temporary)
                try:
                    conn.connection.dbapi_connection.backup(dest)  # type: ignore[union-attr]
                finally:
                    dest.close()
        except (sqlite3.Error, OSError) as exc:
            raise StoreError(f"the backup to {target} failed: {exc}") from None
        return "sqlite"

    def has_event_hash(self, prefix: str) -> bool:
        """Whether an event's hash starts with ``prefix`` (a published head)."""
        with self.reading() as conn:
            return conn.execute(select(E.c.id).where(E.c.hash.startswith(prefix, autoescape=True))
                                .limit(1)).first() is not None

    def is_empty(self) -> bool:
        with self.reading() as conn:
            return conn.execute(select(E.c.id).limit(1)).first() is None


def _free_key(conn: Connection, key: str) -> str:
    """``key``, or ``key-2``, ``key-3`` … the first that no prediction has."""
    taken = set(conn.execute(select(P.c.key).where(
        or_(P.c.key == key, P.c.key.like(f"{key}-%")))).scalars())
    number, candidate = 1, key
    while candidate in taken:
        number += 1
        candidate = f"{key}-{number}"
    return candidate


def _check_resolution(p: Prediction, outcome: str, resolved_on: dt.date, today: dt.date,
                      reason: str | None, force: bool) -> None:
    label = p.key or str(p.id)
    if p.resolution is not None and reason is None:
        raise Conflict(
            f"prediction {label} is already resolved {p.resolution.outcome} on "
            f"{p.resolution.resolved_on}; changing it needs a reason", options=("reason",)
        )
    if resolved_on > today:
        raise InputError(f"the resolution date {resolved_on} is after today ({today}); a "
                         "verdict cannot come from the future", options=("on",))
    if resolved_on < p.made_on.first:
        raise InputError(f"the resolution date {resolved_on} is before the prediction was "
                         f"made ({p.made_on.label()})", options=("on",))
    if outcome == "no" and today <= p.deadline.last:
        if not (force and reason):
            raise Conflict(
                f"prediction {label} can still come true until its deadline "
                f"{p.deadline.last}; resolving it 'no' now must be forced, with a reason",
                options=("force", "reason"),
            )
