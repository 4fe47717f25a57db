"""Backups: consistent copies while others write."""


import multiprocessing
import time

from forecast_ledger import Ledger
from tests.conftest import Cli, seed_small
from tests.store.test_concurrency import _writer

# --- backups --------------------------------------------------------------------------------

def test_backup_is_a_consistent_ledger(cli, tmp_path):
    """SQLite's backup is a ledger file; another database's is a JSON export, restored
    with `ledger import`. Either way the restored ledger is the original."""
    seed_small(cli)
    target = tmp_path / "backup"
    out = cli.ok("backup", str(target)).stdout
    if "JSON export" in out:
        copy = Cli(tmp_path / "restored.sqlite")
        copy.ok("import", str(target))
    else:
        copy = Cli(target)
    assert copy.export() == cli.export()
    copy.ok("verify")
    cli.refused("backup", str(target), match="already exists")


def test_backup_while_another_process_writes(tmp_path):
    db = str(tmp_path / "busy.sqlite")
    Ledger.open(db, create=True).close()
    ctx = multiprocessing.get_context("spawn")
    writer = ctx.Process(target=_writer, args=(db, 0, 200))
    writer.start()
    copies = []
    for n in range(5):
        time.sleep(0.2)
        target = tmp_path / f"b{n}.sqlite"
        with Ledger.open(db) as ledger:
            ledger.backup(str(target))
        copies.append(target)
    writer.join(120)
    assert writer.exitcode == 0
    for target in copies:
        with Ledger.open(str(target)) as ledger:
            report = ledger.verify()  # each copy is a consistent prefix of the history
            assert report.events == report.predictions
