"""The Ledger API on its own, without the CLI (on SQLite and PostgreSQL)."""

import datetime as dt
import io
import json

import pytest

from forecast_ledger import Ledger
from forecast_ledger.domain.records import new_prediction
from forecast_ledger.errors import Conflict, InputError, NotFound, TamperError

TODAY = dt.date(2026, 11, 29)
NOW = "2026-11-29T12:00:00+00:00"


@pytest.fixture
def ledger(cli):
    with Ledger.open(str(cli.db), now=lambda: NOW) as opened:
        yield opened


def _add(ledger, claim="A claim", made="2024-01-01", deadline="2025", **extra):
    return ledger.add(new_prediction(claim=claim, claimant="Ann", made=made,
                                     deadline=deadline, **extra))


def test_add_assigns_an_id_and_a_uid_and_get_finds_it_by_id_key_or_hash_id(ledger):
    p = _add(ledger, key="ann-2025")
    assert p.id == 1 and len(p.uid) == 36
    assert ledger.get(1) == ledger.get("ann-2025") == ledger.get("#1") == p
    with pytest.raises(NotFound):
        ledger.get("#2")


def test_predictions_and_iter_records_agree_and_filter_by_status(ledger):
    _add(ledger, claim="due one")
    _add(ledger, claim="pending one", deadline="2030")
    assert [p.claim for p in ledger.predictions(today=TODAY, status="due")] == ["due one"]
    records = list(ledger.iter_records(today=TODAY, status="pending"))
    assert [r["claim"] for r in records] == ["pending one"]
    with pytest.raises(InputError):
        ledger.predictions(today=TODAY, status="late")


def test_due_orders_most_overdue_first_and_within_adds_pending(ledger):
    from forecast_ledger.domain.dates import parse_duration

    _add(ledger, claim="later", deadline="2026-06-30")
    _add(ledger, claim="earlier", deadline="2025-06-30")
    _add(ledger, claim="soon", deadline="2026-12-15")
    assert [p.claim for p in ledger.due(today=TODAY)] == ["earlier", "later"]
    assert [p.claim for p in ledger.due(today=TODAY, within=parse_duration("30d"))][-1] == \
        "soon"


def test_resolve_rules_and_history(ledger):
    p = _add(ledger, deadline="2030")
    with pytest.raises(Conflict) as refused:
        ledger.resolve(p.id, "no", today=TODAY)
    assert refused.value.options == ("force", "reason")
    ledger.resolve(p.id, "no", today=TODAY, force=True, reason="cancelled outright")
    with pytest.raises(Conflict):
        ledger.resolve(p.id, "yes", today=TODAY)  # a change needs a reason
    ledger.resolve(p.id, "annulled", today=TODAY, reason="the question was void")
    assert [e.kind for e in ledger.history(p.id)] == ["add", "resolve", "re-resolve"]
    assert all(e.recorded_at == NOW for e in ledger.history(p.id))


def test_nothing_is_written_dated_after_the_clock(ledger):
    p = _add(ledger)
    with pytest.raises(InputError):
        ledger.resolve(p.id, "no", today=dt.date(2027, 1, 1))
    with pytest.raises(InputError):
        _add(ledger, made="2026-12-01", deadline="2030")


def test_verify_with_a_published_head(ledger):
    _add(ledger)
    count, head = ledger.head()
    assert (count, ledger.verify(head=head[:16]).head) == (1, head)
    with pytest.raises(TamperError):
        ledger.verify(head="0" * 16)
    with pytest.raises(InputError):
        ledger.verify(head="abc")


def test_trend_fit_and_compare(ledger):
    from forecast_ledger.domain.trends import Point

    ledger.create_series("s", unit="minutes")
    points = [Point(dt.date(2024, 1, 1), 10), Point(dt.date(2024, 7, 1), 20),
              Point(dt.date(2024, 10, 1), 40)]
    assert ledger.observe("s", points, today=TODAY).added == 3
    assert ledger.observe("s", points[:1], today=TODAY).present == 1
    whole = ledger.fit("s")
    assert whole.fit.points == 3 and whole.doubling_days > 0
    comparison = ledger.compare("s", windows=[(dt.date(2024, 1, 1), dt.date(2024, 7, 1)),
                                              (dt.date(2024, 7, 1), dt.date(2024, 10, 1))])
    assert comparison.ratio == pytest.approx(92 / 182)
    with pytest.raises(InputError):
        ledger.compare("s", windows=[(None, None)])


def test_export_and_import_file_round_trip(ledger, tmp_path):
    _add(ledger, key="one", tags=["x"])
    out = io.StringIO()
    assert ledger.export_json(out) == 1
    data = json.loads(out.getvalue())
    assert data["version"] == 2 and data["predictions"][0]["tags"] == ["x"]
    copy = tmp_path / "copy.sqlite"
    result = Ledger.import_file(str(copy), out.getvalue())
    assert (result.added, result.present) == (1, 0)
    again = Ledger.import_file(str(copy), out.getvalue())
    assert (again.added, again.present) == (0, 1)
