"""Clean refusals at the edges, nothing written from the future, safe terminal output
(issue 11)."""

import json
import os
import shutil
import subprocess
import sys

import pytest

from forecast_ledger import Ledger
from forecast_ledger.clock import system_today
from tests.conftest import Cli

FUTURE = "2999-01-01"  # after any system clock this suite will run on


def _add(cli, *extra):
    cli.ok("add", "Kept", "--by", "A", "--made", "2024-01-01", "--deadline", "2025",
           "--key", "kept", *extra)


# --- --today is for reports, not for writing the future ---------------------------------------

def test_a_verdict_dated_after_the_system_clock_is_refused(cli):
    _add(cli)
    cli.refused("resolve", "kept", "--outcome", "no", today=FUTURE, match="future")
    cli.refused("resolve", "kept", "--outcome", "no", "--on", FUTURE, today=FUTURE,
                match="future")
    # reports as of a later day still work
    assert cli.ok("due", "--format", "json", today=FUTURE).json()[0]["key"] == "kept"


def test_a_made_date_after_the_system_clock_is_refused(cli):
    cli.refused("add", "x", "--by", "A", "--made", FUTURE, "--within", "1 year",
                today=FUTURE, match="future")


def test_an_observation_after_the_system_clock_is_refused(cli):
    cli.ok("trend", "series", "s")
    cli.refused("trend", "observe", "s", FUTURE, "5", today=FUTURE, match="after today")


def test_the_system_clock_today_is_still_accepted(cli):
    today = system_today().isoformat()
    _add(cli)
    cli.ok("resolve", "kept", "--outcome", "no", "--on", today, today=today)


# --- milestones cannot fall due before they were claimed ----------------------------------------

def test_a_milestone_projected_before_its_claim_was_made_is_refused(cli):
    cli.ok("trend", "series", "h", "--unit", "minutes")
    cli.ok("trend", "claim", "h", "--doubling", "4 months", "--by", "M", "--made", "2026-02-15",
           "--anchor-date", "2025-11-24", "--anchor-value", "290", "--key", "late")
    cli.refused("trend", "project", "late", "--target", "300 minutes",
                match="before the claim was made")


# --- refusals instead of internal errors ------------------------------------------------------

@pytest.mark.parametrize(("args", "today", "match"), [
    (["add", "x", "--by", "A", "--made", "2026-01-01", "--within", "9999 years"], None,
     "beyond the calendar"),
    (["due", "--within", "1d"], "9999-12-31", "beyond the calendar"),
    (["show", "9223372036854775808"], None, "larger than any id"),
    (["show", "#99999999999999999999"], None, "larger than any id"),
    (["resolve", "99999999999999999999", "--outcome", "yes"], None, "larger than any id"),
])
def test_numbers_beyond_the_calendar_or_an_id_are_refused(cli, args, today, match):
    cli.refused(*args, today=today, match=match)


def test_a_deadline_on_the_last_day_of_the_calendar_works(cli):
    cli.ok("add", "x", "--by", "A", "--made", "2026-01-01", "--deadline", "9999")
    assert cli.ok("list", "--format", "json").json()[0]["deadline"] == "9999-12-31"
    assert cli.ok("due", "--within", "1 year", "--format", "json").json() == []
    assert cli.ok("list", "--format", "json", today="9999-12-31").json()[0]["status"] == \
        "pending"


def test_arguments_that_are_not_utf8_are_refused(tmp_path):
    db = tmp_path / "l.sqlite"
    Cli(db).ok("init")
    result = subprocess.run([sys.executable, "-m", "forecast_ledger", "--db", str(db), "add",
                             b"caf\xe9", "--by", "A", "--made", "2026-01-01", "--deadline",
                             "2027"], capture_output=True, text=True,
                            env={**os.environ, "LEDGER_TODAY": "2026-11-29"})
    assert result.returncode == 2
    assert result.stderr.startswith("error: argument 4 is not UTF-8 text")
    assert Cli(db).ok("list", "--format", "json").json() == []


@pytest.mark.parametrize("into", ["empty", "existing"])
def test_deeply_nested_json_is_refused(cli, tmp_path, into):
    path = tmp_path / "deep.json"
    path.write_text('{"format": "forecast-ledger", "version": 2, "predictions": ['
                    + "[" * 100_000 + "]" * 100_000 + "]}", encoding="utf-8")
    if into == "existing":
        _add(cli)
        cli.refused("import", str(path), match="nests")
    else:
        Cli(tmp_path / "new.sqlite").refused("import", str(path), is_ledger=False,
                                             match="nests")
        assert not (tmp_path / "new.sqlite").exists()


def test_deeply_nested_yaml_is_refused(cli, tmp_path):
    cli.ok("trend", "series", "s")
    path = tmp_path / "deep.yaml"
    path.write_text("a: " + "[" * 10_000 + "]" * 10_000 + "\n", encoding="utf-8")
    cli.refused("trend", "import", "s", str(path), "--format", "metr")


def test_an_internal_error_exits_3(cli, monkeypatch):
    from forecast_ledger.store import ledger

    def broken(*args, **kwargs):
        raise RuntimeError("a bug")

    monkeypatch.setattr(ledger.Ledger, "head", broken)
    result = cli("head")
    assert result.exit_code == 3
    assert result.stderr.startswith("error: internal error (RuntimeError: a bug)")


# --- terminal output ----------------------------------------------------------------------

def test_control_sequences_are_escaped_in_tables_and_kept_in_json(cli):
    claim = "Benign\x1b]0;pwned\x07\x1b[2J text \x9b31m"
    cli.ok("add", claim, "--by", "A\x1b[31m", "--made", "2024-01-01", "--deadline", "2025",
           "--note", "note\x1b[1m")
    for args in (["list"], ["due"], ["show", "1"]):
        out = cli.ok(*args).stdout
        assert "\x1b" not in out and "\x9b" not in out and "\x07" not in out, args
        assert "\\x1b" in out
    assert cli.ok("show", "1", "--format", "json").json()["claim"] == claim
    assert json.loads(cli.export())["predictions"][0]["claim"] == claim


# --- a read-only ledger -------------------------------------------------------------------

@pytest.fixture
def read_only_folder(tmp_path):
    """A folder on a file system mounted read-only (so even root cannot write there)."""
    folder = tmp_path / "ro"
    folder.mkdir()
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=20m", "tmpfs", str(folder)],
                             capture_output=True)
    if mounted.returncode != 0:
        pytest.skip("needs to mount a tmpfs (root on Linux)")
    try:
        yield folder
    finally:
        subprocess.run(["umount", str(folder)], check=True)


def test_a_read_only_ledger_in_a_read_only_folder_can_be_listed_and_verified(
        sqlite_seeded, read_only_folder):
    shutil.copy(sqlite_seeded.db, read_only_folder / "ledger.sqlite")
    subprocess.run(["mount", "-o", "remount,ro", str(read_only_folder)], check=True)
    cli = Cli(read_only_folder / "ledger.sqlite")
    assert len(cli.ok("list", "--format", "json").json()) == 66
    assert cli.ok("verify").stdout.startswith("ok: 109 events, 66 predictions")
    cli.ok("due")
    cli.ok("export")
    cli.refused("add", "x", "--by", "A", "--made", "2026-01-01", "--within", "1y",
                match="read-only")
    with Ledger.open(str(read_only_folder / "ledger.sqlite")) as ledger:
        assert ledger.verify().predictions == 66
