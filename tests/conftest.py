"""Shared test helpers: a pinned "today", a temporary ledger, and the CLI driven end to end."""

from __future__ import annotations

import datetime as dt
import json
import os
from dataclasses import dataclass
from pathlib import Path

import pytest
from typer.testing import CliRunner

from forecast_ledger.cli import app

TODAY = "2026-11-29"
REPO = Path(__file__).resolve().parents[1]


@dataclass
class Result:
    exit_code: int
    stdout: str
    stderr: str

    def json(self):
        return json.loads(self.stdout)


class Cli:
    """Runs `ledger` against one ledger (a file, or a database URL) with today pinned."""

    built: list[Path | str] | None = None  # the ledgers the running test made (see below)

    def __init__(self, db: Path | str, today: str = TODAY):
        self.db = db
        self.today = today
        if Cli.built is not None:
            Cli.built.append(db)

    def __call__(self, *args: str, today: str | None = None, input: str | None = None) -> Result:
        runner = CliRunner()
        result = runner.invoke(app, ["--db", str(self.db), "--today", today or self.today,
                                     *args], input=input, prog_name="ledger")
        return Result(result.exit_code, result.stdout, result.stderr)

    def ok(self, *args: str, **kw) -> Result:
        result = self(*args, **kw)
        assert result.exit_code == 0, (result.stdout, result.stderr)
        assert result.stderr == ""
        return result

    def exists(self) -> bool:
        return isinstance(self.db, str) or self.db.exists()

    def export(self) -> str:
        return self.ok("export").stdout

    def refused(self, *args: str, match: str = "", is_ledger: bool = True, **kw) -> Result:
        """The command fails with one `error:` line, exit 2, and the ledger is unchanged."""
        before = self.export() if is_ledger and self.exists() else None
        result = self(*args, **kw)
        assert result.exit_code == 2, (result.stdout, result.stderr)
        lines = result.stderr.strip().splitlines()
        assert len(lines) == 1 and lines[0].startswith("error: "), result.stderr
        assert "Traceback" not in result.stderr + result.stdout
        assert match.lower() in lines[0].lower(), lines[0]
        if before is not None:
            assert self.export() == before
        return result


def seed_small(cli: Cli) -> None:
    """Two predictions (keys first, second); first resolved no."""
    cli.ok("add", "First", "--by", "A", "--made", "2024-01-01", "--deadline", "2025",
           "--key", "first")
    cli.ok("add", "Second", "--by", "B", "--made", "2024-01-01", "--deadline", "2030",
           "--key", "second")
    cli.ok("resolve", "first", "--outcome", "no", "--on", "2026-01-02")


@pytest.fixture(autouse=True)
def fixed_terminal_width(monkeypatch):
    """Tables fit the terminal; tests pin its width so their output is the same anywhere."""
    monkeypatch.setenv("COLUMNS", "120")


@pytest.fixture(autouse=True)
def every_ledger_round_trips(tmp_path_factory):
    """After each test, every ledger it built that still verifies is exported, imported
    into a new ledger and exported again: the two exports must be equal. A ledger the
    suite can build is one its own export can restore (issue 11)."""
    Cli.built = []
    yield
    built, Cli.built = Cli.built, None
    for db in dict.fromkeys(built):
        round_trip(db, tmp_path_factory.mktemp("round-trip"))


def round_trip(db: Path, folder: Path) -> None:
    import io

    from forecast_ledger import Ledger
    from forecast_ledger.errors import LedgerError

    try:
        with Ledger.open(str(db)) as ledger:
            ledger.verify()
            out = io.StringIO()
            ledger.export_json(out)
    except (LedgerError, OSError):
        return  # not a ledger, or tampered with on purpose
    copy = folder / "copy.sqlite"
    Ledger.import_file(str(copy), out.getvalue())
    again = io.StringIO()
    with Ledger.open(str(copy)) as ledger:
        ledger.export_json(again)
    assert again.getvalue() == out.getvalue(), f"{db} does not survive export and import"


@pytest.fixture
def today() -> dt.date:
    return dt.date.fromisoformat(TODAY)


def postgres_url() -> str:
    """The scratch PostgreSQL database named by LEDGER_TEST_POSTGRES_URL, emptied; the test
    is skipped where there is none (CI always has one: .ci/run installs and starts it)."""
    url = os.environ.get("LEDGER_TEST_POSTGRES_URL")
    if not url and os.environ.get("CI"):
        pytest.fail("CI runs every test on PostgreSQL too: .ci/run sets "
                    "LEDGER_TEST_POSTGRES_URL")
    if not url:
        pytest.skip("set LEDGER_TEST_POSTGRES_URL to a scratch PostgreSQL database to run "
                    "the PostgreSQL half (README: Teams)")
    from sqlalchemy import create_engine, text

    engine = create_engine(url)
    with engine.begin() as conn:
        conn.execute(text("DROP SCHEMA public CASCADE; CREATE SCHEMA public"))
    engine.dispose()
    return url


BACKENDS = ["sqlite", "postgresql"]


def _ledger(backend: str, tmp_path: Path, name: str) -> Path | str:
    return tmp_path / f"{name}.sqlite" if backend == "sqlite" else postgres_url()


@pytest.fixture(params=BACKENDS)
def cli(request, tmp_path: Path) -> Cli:
    """A new, empty ledger: each test that takes it runs on SQLite and on PostgreSQL."""
    c = Cli(_ledger(request.param, tmp_path, "ledger"))
    c.ok("init")
    return c


@pytest.fixture(params=BACKENDS)
def seeded(request, tmp_path: Path) -> Cli:
    """The shipped claims, freshly loaded, on SQLite and on PostgreSQL."""
    c = Cli(_ledger(request.param, tmp_path, "seeded"))
    c.ok("init", "--seed")
    return c


@pytest.fixture
def sqlite_cli(tmp_path: Path) -> Cli:
    """A new ledger file, for what only a file has (its path, SQLite's own tools)."""
    c = Cli(tmp_path / "ledger.sqlite")
    c.ok("init")
    return c


@pytest.fixture
def sqlite_seeded(tmp_path: Path) -> Cli:
    c = Cli(tmp_path / "seeded.sqlite")
    c.ok("init", "--seed")
    return c
