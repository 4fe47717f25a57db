"""Writers at once: all succeed, nothing half-written (SPEC §7)."""


import multiprocessing

import pytest

from forecast_ledger import Ledger
from forecast_ledger.domain.records import new_prediction
from tests.conftest import postgres_url

# --- concurrency --------------------------------------------------------------------------

def _writer(db: str, worker: int, count: int) -> None:
    ledger = Ledger.open(db)
    for i in range(count):
        ledger.add(new_prediction(claim=f"worker {worker} claim {i}", claimant=f"w{worker}",
                                  made="2026-01-01", deadline="2027"))
    ledger.close()


def _fresh_database(kind: str, tmp_path) -> str:  # noqa: ANN001
    """A new, empty ledger database: a SQLite file, or the scratch PostgreSQL emptied."""
    return str(tmp_path / "shared.sqlite") if kind == "sqlite" else postgres_url()


@pytest.mark.parametrize("kind", ["sqlite", "postgresql"])
def test_four_processes_adding_at_once(tmp_path, kind):
    db = _fresh_database(kind, tmp_path)
    Ledger.open(db, create=True).close()
    ctx = multiprocessing.get_context("spawn")
    procs = [ctx.Process(target=_writer, args=(db, w, 100)) for w in range(4)]
    for p in procs:
        p.start()
    for p in procs:
        p.join(120)
    assert [p.exitcode for p in procs] == [0, 0, 0, 0]
    with Ledger.open(db) as ledger:
        report = ledger.verify()
        assert (report.events, report.predictions) == (400, 400)
        assert len(ledger.predictions(today=__import__("datetime").date(2026, 11, 29))) == 400
