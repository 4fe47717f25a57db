"""A team on one PostgreSQL (issue 14); each test runs on SQLite too."""

import multiprocessing
import time

import pytest
from sqlalchemy import create_engine, inspect

from forecast_ledger import Ledger
from forecast_ledger.domain.records import new_prediction
from forecast_ledger.errors import LedgerError
from forecast_ledger.store.db import database_url
from tests.conftest import BACKENDS, Cli, postgres_url


def _fresh(backend, tmp_path):
    return str(tmp_path / "team.sqlite") if backend == "sqlite" else postgres_url()


def test_writes_work_after_an_import_restored_ids(seeded, tmp_path):
    """The README's setup path: export a file ledger, import it into the team database,
    then keep writing (on PostgreSQL the id sequences must move past the imported ids)."""
    path = tmp_path / "x.json"
    path.write_text(seeded.export(), encoding="utf-8")
    # on PostgreSQL the team database replaces the seeded one (the suite has one database)
    team = Cli(_fresh("postgresql" if isinstance(seeded.db, str) else "sqlite", tmp_path))
    team.ok("import", str(path))
    out = team.ok("add", "After the move", "--by", "A", "--made", "2026-01-01",
                  "--deadline", "2027").stdout
    assert out.startswith("added #67")
    team.ok("trend", "series", "another")
    team.ok("trend", "observe", "another", "2026-01-01", "5")
    team.ok("trend", "claim", "another", "--doubling", "6 months", "--by", "A", "--made",
            "2026-02-01")
    team.ok("verify")


@pytest.mark.parametrize("backend", BACKENDS)
def test_a_failed_import_into_a_new_database_leaves_nothing_behind(backend, tmp_path):
    db = _fresh(backend, tmp_path)
    bad = tmp_path / "bad.json"
    bad.write_text('{"format": "forecast-ledger", "version": 2, "predictions": [{}]}',
                   encoding="utf-8")
    Cli(db).refused("import", str(bad), is_ledger=False, match="malformed")
    if backend == "sqlite":
        assert not (tmp_path / "team.sqlite").exists()
    else:
        engine = create_engine(database_url(db))
        with engine.connect() as conn:
            assert inspect(conn).get_table_names() == []
        engine.dispose()


# --- many writers, verify and backup meanwhile ----------------------------------------------

def _worker(db: str, worker: int, rounds: int) -> None:
    ledger = Ledger.open(db)
    today = ledger.clock_today()
    for i in range(rounds):
        p = ledger.add(new_prediction(claim=f"worker {worker} claim {i}",
                                      claimant=f"w{worker}", made="2026-01-01",
                                      deadline="2026-06-30"))
        if i % 2 == 0:
            ledger.resolve(p.id, "yes", today=today, on=today, evidence=f"seen by {worker}")
    ledger.close()


def _checker(db: str, folder: str, stop, results) -> None:  # noqa: ANN001
    """verify and backup in a loop until told to stop; counts its runs and false alarms."""
    from pathlib import Path

    ledger = Ledger.open(db)
    runs = alarms = 0
    while not stop.is_set():
        try:
            ledger.verify()
        except LedgerError as exc:
            alarms += 1
            results.put(f"verify: {exc}")
        ledger.backup(str(Path(folder) / f"backup-{runs}"))
        runs += 1
    ledger.close()
    results.put(("done", runs, alarms))


@pytest.mark.parametrize("backend", BACKENDS)
def test_eight_writers_with_verify_and_backup_looping(backend, tmp_path):
    db = _fresh(backend, tmp_path)
    Ledger.open(db, create=True).close()
    ctx = multiprocessing.get_context("spawn")
    stop, results = ctx.Event(), ctx.Queue()
    checker = ctx.Process(target=_checker, args=(db, str(tmp_path), stop, results))
    checker.start()
    writers = [ctx.Process(target=_worker, args=(db, w, 20)) for w in range(8)]
    for w in writers:
        w.start()
    for w in writers:
        w.join(300)
    time.sleep(0.5)
    stop.set()
    messages = [results.get(timeout=120)]
    while messages[-1][0] != "done":
        messages.append(results.get(timeout=120))
    checker.join(60)
    assert [w.exitcode for w in writers] == [0] * 8
    *alarms, (_, runs, alarm_count) = messages
    assert alarm_count == 0, alarms[:3]
    assert runs >= 2
    with Ledger.open(db) as ledger:
        report = ledger.verify()
    assert (report.predictions, report.events) == (160, 160 + 80)
    for n in range(runs):  # every backup restores and verifies
        backup = tmp_path / f"backup-{n}"
        if backend == "sqlite":
            restored = Ledger.open(str(backup))
        else:
            restored = Ledger.open(str(tmp_path / f"restored-{n}.sqlite"), create=True)
            restored.import_json(backup.read_text(encoding="utf-8"))
        with restored:
            restored.verify()
