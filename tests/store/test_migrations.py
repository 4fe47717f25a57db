"""Schema and migrations: alembic's head is the one the code expects, and matches the models."""

import shutil
import sqlite3
import subprocess
import sys

from alembic.autogenerate import compare_metadata
from alembic.config import Config
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import create_engine

from forecast_ledger.store import db
from forecast_ledger.store.ledger import Ledger
from forecast_ledger.store.schema import metadata
from tests.conftest import REPO, Cli


def test_head_revision_constant_matches_alembic():
    config = Config()
    config.set_main_option("script_location", str(db.Path(db.__file__).parent / "migrations"))
    script = ScriptDirectory.from_config(config)
    assert script.get_current_head() == db.HEAD_REVISION
    assert {r.revision for r in script.walk_revisions()} == set(db.KNOWN_REVISIONS)


def test_migrated_database_matches_the_models(tmp_path):
    path = tmp_path / "new.sqlite"
    Ledger.open(str(path), create=True).close()
    engine = create_engine(f"sqlite:///{path}")
    with engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), metadata)
    assert diff == []


def test_new_ledger_is_in_wal_mode(tmp_path):
    path = tmp_path / "new.sqlite"
    Ledger.open(str(path), create=True).close()
    assert sqlite3.connect(path).execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_a_ledger_built_by_an_import_is_in_wal_mode(tmp_path):
    """A new file is filled without the write-ahead log (each page written once), then
    handed over as any ledger is."""
    import io
    import shutil
    from pathlib import Path

    source = tmp_path / "source.sqlite"
    shutil.copy(Path(__file__).parents[2] / "predictions.sqlite", source)
    exported = io.StringIO()
    with Ledger.open(str(source)) as ledger:
        count = ledger.export_json(exported)
    path = tmp_path / "imported.sqlite"
    assert Ledger.import_file(str(path), exported.getvalue()).added == count > 0
    assert sqlite3.connect(path).execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    with Ledger.open(str(path)) as ledger:
        assert ledger.verify().predictions == count


def test_opening_an_up_to_date_ledger_does_not_import_alembic(tmp_path):
    path = tmp_path / "new.sqlite"
    Ledger.open(str(path), create=True).close()
    code = (f"import sys; from forecast_ledger import Ledger; Ledger.open({str(path)!r}); "
            "print('alembic' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_help_does_not_import_sqlalchemy():
    code = ("import sys; from forecast_ledger.cli import app\n"
            "try:\n    app(['--help'])\nexcept SystemExit:\n    pass\n"
            "print('sqlalchemy' in sys.modules, 'alembic' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip().splitlines()[-1] == "False False"


def test_ledger_made_with_the_first_schema_opens_and_verifies(tmp_path):
    copy = tmp_path / "old.sqlite"
    shutil.copy(REPO / "tests/data/ledger-schema-0001.sqlite", copy)
    cli = Cli(copy)
    out = cli.ok("verify").stdout
    assert out.startswith("ok: ")
    rows = cli.ok("list", "--format", "json").json()
    assert len(rows) >= 3 and any(r["outcome"] == "no" for r in rows)
    assert any("你好" in r["claim"] for r in rows)
    assert cli.ok("trend", "show", "s", "--format", "json").json()["claims"]
