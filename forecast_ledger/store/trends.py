"""Series, observations, trend claims and milestones in the store.

A milestone is an ordinary prediction (``trend_claim`` and ``target_value`` set) whose
deadline is the date its trend claim projects; an observation at or above the target, dated
between the claim and the deadline, resolves it ``yes`` with the observation as evidence.
Functions here run inside a transaction the caller opened (an :class:`EventWriter` or a
connection); the :class:`~forecast_ledger.store.ledger.Ledger` methods open them.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Connection, func, insert, select

from forecast_ledger.domain import trends as tr
from forecast_ledger.domain.chain import EventKind
from forecast_ledger.domain.dates import parse_day, parse_duration, parse_period, period_containing
from forecast_ledger.domain.records import (
    Prediction,
    Resolution,
    check_key,
    clean_text,
    is_slug,
    parse_ref,
    source_fields,
)
from forecast_ledger.domain.trends import Observed, Series, TrendClaim
from forecast_ledger.errors import Conflict, InputError, NotFound
from forecast_ledger.store import schema
from forecast_ledger.store.bulk import bulk_insert
from forecast_ledger.store.db import advance_id_sequences
from forecast_ledger.store.events import EventWriter
from forecast_ledger.store.rows import (
    P,
    append_row_event,
    apply_resolution,
    insert_prediction,
    iso,
    row_to_prediction,
)

S = schema.series
O = schema.observations  # noqa: E741
C = schema.trend_claims


# --- series and observations --------------------------------------------------------------

def create_series(events: EventWriter, name: str, unit: str | None,
                  description: str | None) -> Series:
    if not is_slug(name):
        raise InputError(f"series name {name!r} must be a slug such as metr-50pct-horizon")
    if events.conn.execute(select(S.c.id).where(S.c.name == name)).first():
        raise Conflict(f"series {name!r} already exists")
    unit = clean_text(unit, "unit")
    description = clean_text(description, "description")
    new_id = events.conn.execute(insert(S).values(name=name, unit=unit,
                                                  description=description)).inserted_primary_key[0]
    append_row_event(events, EventKind.SERIES, S, new_id)
    return Series(new_id, name, unit, description)


def get_series(conn: Connection, name: str) -> Series:
    row = conn.execute(select(S).where(S.c.name == name)).first()
    if row is None:
        raise NotFound(f"no series named {name!r}; 'ledger trend list' shows them")
    return Series(row.id, row.name, row.unit, row.description)


def list_series(conn: Connection) -> list[tuple[Series, int, int]]:
    """Every series with its number of observations and trend claims."""
    n_obs = (select(func.count()).where(O.c.series_id == S.c.id).scalar_subquery())
    n_claims = (select(func.count()).where(C.c.series_id == S.c.id).scalar_subquery())
    rows = conn.execute(select(S, n_obs.label("n_obs"), n_claims.label("n_claims"))
                        .order_by(S.c.name))
    return [(Series(r.id, r.name, r.unit, r.description), r.n_obs, r.n_claims) for r in rows]


def observations(conn: Connection, series: Series, start: dt.date | None = None,
                 end: dt.date | None = None) -> list[tr.Point]:
    query = select(O.c.observed_on, O.c.value, O.c.label).where(O.c.series_id == series.id)
    if start:
        query = query.where(O.c.observed_on >= start)
    if end:
        query = query.where(O.c.observed_on <= end)
    return [tr.Point(r.observed_on, r.value, r.label)
            for r in conn.execute(query.order_by(O.c.observed_on, O.c.id))]


def add_observations(events: EventWriter, series: Series, points: list[tr.Point],
                     source: str | None, today: dt.date, *,
                     resolve_milestones: bool = True) -> Observed:
    """Record observations; one already recorded (same series, date, value and label), or
    given twice, is left as it is. With ``resolve_milestones``, resolves the milestones new
    ones reach, each by the first point (in the given order) that reaches it.

    Rows go in with one bulk insert; the events are then written in the points' order,
    each observation followed by the resolutions it caused, as recording them one by one
    would have written them."""
    source = clean_text(source, "source")
    conn = events.conn
    known = {(on if isinstance(on, str) else on.isoformat(), value, label)
             for on, value, label in conn.execute(select(
                 iso(O.c.observed_on), O.c.value, O.c.label).where(O.c.series_id == series.id))}
    rows: list[dict] = []
    present = 0
    next_id = (conn.execute(select(func.max(O.c.id))).scalar() or 0) + 1
    for point in points:
        if point.on > today:
            raise InputError(f"observation dated {point.on} is after today ({today})")
        if not (point.value > 0) or point.value == float("inf"):
            raise InputError(f"observation of {point.on}: value must be a positive number")
        label = clean_text(point.label, "label")
        identity = (point.on.isoformat(), float(point.value), label)
        if identity in known:
            present += 1
            continue
        known.add(identity)
        rows.append({"id": next_id + len(rows), "series_id": series.id,
                     "observed_on": identity[0], "value": identity[1], "label": label,
                     "source": source})
    bulk_insert(conn, O, iter(rows))
    advance_id_sequences(conn)
    open_milestones = _open_milestones(conn, series) if resolve_milestones and rows else []
    resolved: list[Prediction] = []
    for row in rows:
        events.append(EventKind.OBSERVE, None, row)
        point = tr.Point(dt.date.fromisoformat(row["observed_on"]), row["value"], row["label"])
        reached = [p for p in open_milestones
                   if p.target_value <= point.value  # type: ignore[operator]
                   and p.made_on.first <= point.on <= p.deadline.last]
        for prediction in reached:
            _resolve_reached(events, series, prediction, point, source)
            open_milestones.remove(prediction)
        resolved += reached
    return Observed(len(rows), present, resolved)


def _open_milestones(conn: Connection, series: Series) -> list[Prediction]:
    claim_ids = select(C.c.id).where(C.c.series_id == series.id)
    return [row_to_prediction(row) for row in conn.execute(select(P).where(
        P.c.trend_claim.in_(claim_ids), P.c.outcome.is_(None)).order_by(P.c.id))]


def find_observation(conn: Connection, series_id: int, on: dt.date, value: float,
                     label: str | None) -> int | None:
    """The id of the observation (series, date, value, label), if recorded."""
    same_label = O.c.label.is_(None) if label is None else O.c.label == label
    return conn.execute(select(O.c.id).where(
        O.c.series_id == series_id, O.c.observed_on == on, O.c.value == value, same_label,
    ).limit(1)).scalar()


def _resolve_reached(events: EventWriter, series: Series, prediction: Prediction,
                     point: tr.Point, source: str | None) -> None:
    evidence = (f"observation {point.label or ''} on {point.on}: "
                f"{tr.format_quantity(point.value)} {series.unit or ''} ≥ target "
                f"{tr.format_quantity(prediction.target_value)}"  # type: ignore[arg-type]
                + (f" ({source})" if source else "")).replace("  ", " ")
    apply_resolution(events, prediction, Resolution("yes", point.on, evidence),
                     reason="an observation reached the target", forced=False)


# --- trend claims -------------------------------------------------------------------------

def add_trend_claim(events: EventWriter, series: Series, *, doubling: str, claimant: str,
                    made: str, anchor_date: str | None = None, anchor_value: str | None = None,
                    key: str | None = None, source: str | None = None,
                    quote: str | None = None, note: str | None = None) -> TrendClaim:
    conn = events.conn
    made_on = parse_period(made)
    doubling_days = parse_duration(doubling).approx_days()
    if doubling_days <= 0:
        raise InputError("the doubling time must be positive")
    key = check_key(clean_text(key, "key"))
    if key and conn.execute(select(C.c.id).where(C.c.key == key)).first():
        raise Conflict(f"trend claim key {key!r} is already used")
    if (anchor_date is None) != (anchor_value is None):
        raise InputError("give both an anchor date and an anchor value, or neither",
                         options=("anchor_date", "anchor_value"))
    if anchor_date is not None:
        anchor_on = parse_day(anchor_date)
        value = tr.parse_quantity(anchor_value, series.unit)  # type: ignore[arg-type]
    else:
        known = observations(conn, series, end=made_on.first)
        if not known:
            raise InputError(f"series {series.name!r} has no observation on or before "
                             f"{made_on.label()}; give an anchor date and value",
                             options=("anchor_date", "anchor_value"))
        # The frontier when the claim was made: the highest value observed by then.
        best = max(known, key=lambda p: (p.value, p.on))
        anchor_on, value = best.on, best.value
    if value <= 0:
        raise InputError("the anchor value must be positive")
    new_id = conn.execute(insert(C).values(
        key=key, series_id=series.id,
        claimant=clean_text(claimant, "claimant", required=True),
        made_on=made_on.first, made_precision=made_on.precision, doubling_days=doubling_days,
        doubling_expression=clean_text(doubling, "doubling", required=True),
        anchor_date=anchor_on, anchor_value=value, source=clean_text(source, "source"),
        quote=clean_text(quote, "quote"), note=clean_text(note, "note"),
    )).inserted_primary_key[0]
    append_row_event(events, EventKind.TREND_CLAIM, C, new_id)
    return get_trend_claim(conn, str(new_id))


def get_trend_claim(conn: Connection, ref: str) -> TrendClaim:
    claim_id, key = parse_ref(ref)
    where = C.c.id == claim_id if claim_id is not None else C.c.key == key
    row = conn.execute(select(C, S.c.name).join(S, S.c.id == C.c.series_id).where(where)).first()
    if row is None:
        raise NotFound(f"no trend claim has {'id' if claim_id is not None else 'key'} "
                       f"{ref.strip()!r}; "
                       "'ledger trend show SERIES' lists them")
    return TrendClaim(row.id, row.key, row.name, row.claimant,
                      period_containing(row.made_on, row.made_precision), row.doubling_days,
                      row.doubling_expression, row.anchor_date, row.anchor_value, row.source,
                      row.quote, row.note)


def trend_claims(conn: Connection, series: Series) -> list[TrendClaim]:
    ids = conn.execute(select(C.c.id).where(C.c.series_id == series.id)
                       .order_by(C.c.made_on, C.c.id)).scalars()
    return [get_trend_claim(conn, str(i)) for i in ids]


# --- milestones ---------------------------------------------------------------------------

def project_milestone(events: EventWriter, claim_ref: str, target: str, *,
                      key: str | None = None, uid: str | None = None) -> Prediction:
    """Record the milestone prediction a trend claim implies for ``target``. Refused when
    the projected date falls before the claim was made: a prediction cannot be due before
    it was said (the claim's anchor lies after it, or the target is reached already)."""
    conn = events.conn
    claim = get_trend_claim(conn, claim_ref)
    series = get_series(conn, claim.series)
    value = tr.parse_quantity(target, series.unit)
    if value <= claim.anchor_value:
        raise InputError(f"target {target} is not above the claim's anchor value "
                         f"({tr.format_quantity(claim.anchor_value)} {series.unit or ''})")
    projected = tr.project(claim.anchor_date, claim.anchor_value, claim.doubling_days, value)
    if projected < claim.made_on.first:
        raise InputError(
            f"the projected date for {target.strip()}, {projected}, is before the claim was "
            f"made ({claim.made_on.label()}); a milestone must fall due after it was claimed")
    unit = series.unit or ""
    prediction = Prediction(
        claim=f"{series.name} reaches {target.strip()} ({tr.format_quantity(value)} {unit})"
        .replace(" )", ")"),
        claimant=claim.claimant,
        made_on=claim.made_on,
        deadline=period_containing(projected, "day"),
        deadline_expression=(f"projected: doubling every {claim.doubling_expression} from "
                             f"{tr.format_quantity(claim.anchor_value)} {unit} on "
                             f"{claim.anchor_date}"),
        key=check_key(clean_text(key, "key")),
        topic=f"{series.name}-reaches-{tr.quantity_slug(value)}-{unit}".rstrip("-"),
        criteria=f"An observation of {series.name} at or above "
                 f"{tr.format_quantity(value)} {unit}, dated "
                 f"on or before the deadline.",
        source_url=source_fields(claim.source)[0],
        source_title=source_fields(claim.source)[1],
        quote=claim.quote,
        note=f"Milestone of trend claim #{claim.id}"
             + (f" ({claim.key})" if claim.key else ""),
        trend_claim=claim.id,
        target_value=value,
        uid=uid,
    )
    stored = insert_prediction(events, prediction, kind=EventKind.PROJECT)
    reached = [p for p in observations(conn, series, start=claim.made_on.first,
                                       end=stored.deadline.last) if p.value >= value]
    if reached:
        _resolve_reached(events, series, reached[0], None)
    return stored
