"""Bad input of every kind: one `error:` line, exit 2, ledger unchanged."""

import sqlite3

import pytest

from tests.conftest import Cli

BASE = ["add", "A claim", "--by", "Someone", "--made", "2026-01-01"]


@pytest.mark.parametrize(
    ("args", "match"),
    [
        (["show", "999"], "no prediction has id '999'"),
        (["show", "no-such-key"], "no prediction has key"),
        (["resolve", "999", "--outcome", "yes"], "no prediction"),
        ([*BASE, "--deadline", "soon"], "vague"),
        ([*BASE, "--deadline", "2026-13-01"], "not a real date"),
        (["add", "A claim", "--by", "S", "--made", "2026-02-30", "--deadline", "2027"],
         "not a real date"),
        ([*BASE, "--deadline", "2025"], "before the prediction was made"),
        ([*BASE, "--deadline", "June 30"], "no year"),
        ([*BASE, "--deadline", "2030", "--p", "1.3"], "outside (0, 1)"),
        ([*BASE, "--deadline", "2030", "--p", "0"], "outside (0, 1)"),
        ([*BASE, "--deadline", "2030", "--p", "1"], "outside (0, 1)"),
        ([*BASE, "--deadline", "2030", "--p", "likely"], "not a number"),
        (["add", "   ", "--by", "S", "--made", "2026-01-01", "--deadline", "2030"], "empty"),
        ([*BASE], "exactly one of --deadline and --within"),
        ([*BASE, "--deadline", "2030", "--within", "3y"], "exactly one"),
        ([*BASE, "--deadline", "2030", "--key", "Bad Key!"], "not a slug"),
        ([*BASE, "--deadline", "2030", "--key", "123"], "not a slug"),
        ([*BASE, "--deadline", "2030", "--key", "taken"], "already used"),
        ([*BASE, "--deadline", "2030", "--supersedes", "77"], "no prediction"),
        (["resolve", "taken", "--outcome", "maybe"], "not one of yes, no"),
        (["resolve", "taken", "--outcome", "yes", "--on", "2027-01-01"], "future"),
        (["resolve", "taken", "--outcome", "yes", "--on", "2020-01-01"], "before the prediction"),
        (["due", "--within", "a while"], "duration"),
        (["list", "--status", "late"], "late"),
        (["list", "--bogus"], "no such option"),
        (["frobnicate"], "no such command"),
        (["list", "--format", "xml"], "xml"),
        (["--today", "someday", "due"], "cannot read 'someday'"),
        (["import", "/no/such/file.json"], "cannot read"),
    ],
)
def test_refused(cli, args, match):
    cli.ok("add", "Taken", "--by", "Someone", "--made", "2026-01-01", "--deadline", "2030",
           "--key", "taken")
    cli.refused(*args, match=match)


@pytest.mark.parametrize(
    "content",
    [
        "not json at all",
        '{"format": "forecast-ledger", "version": 1, "predictions": [{"id": 1}]}',
        '{"format": "something-else"}',
        '{"format": "forecast-ledger", "version": 99}',
        '{"format": "forecast-ledger", "version": 1, "predictions": "x"}',
        '{"format": "forecast-ledger", "version": 1, "predictions": [1, 2]}',
    ],
)
def test_malformed_import_changes_nothing(cli, tmp_path, content):
    cli.ok("add", "Taken", "--by", "Someone", "--made", "2026-01-01", "--deadline", "2030")
    path = tmp_path / "bad.json"
    path.write_text(content, encoding="utf-8")
    cli.refused("import", str(path), match="import")


def test_truncated_export_is_refused_whole(cli, tmp_path):
    for i in range(5):
        cli.ok("add", f"Claim {i}", "--by", "S", "--made", "2026-01-01", "--deadline", "2030")
    exported = cli.export()
    empty = Cli(tmp_path / "empty.sqlite")
    empty.ok("init")
    path = tmp_path / "cut.json"
    path.write_text(exported[: len(exported) // 2], encoding="utf-8")
    empty.refused("import", str(path), match="not valid JSON")
    assert empty.ok("list", "--format", "json").json() == []


def test_tampered_export_is_refused(cli, tmp_path):
    cli.ok("add", "Claim", "--by", "S", "--made", "2026-01-01", "--deadline", "2030")
    exported = cli.export().replace('"2030-12-31"', '"2029-12-31"')
    path = tmp_path / "tampered.json"
    path.write_text(exported, encoding="utf-8")
    empty = Cli(tmp_path / "empty.sqlite")
    empty.ok("init")
    empty.refused("import", str(path), match="does not verify")


@pytest.mark.parametrize("kind", ["text", "foreign-sqlite", "truncated", "missing", "folder"])
def test_files_that_are_not_ledgers(tmp_path, kind):
    path = tmp_path / "x.sqlite"
    if kind == "text":
        path.write_text("hello, I am a text file\n" * 100)
    elif kind == "foreign-sqlite":
        conn = sqlite3.connect(path)
        conn.execute("create table moz_places (id integer, url text)")
        conn.commit()
        conn.close()
    elif kind == "truncated":
        good = Cli(tmp_path / "good.sqlite")
        good.ok("init")
        good.ok("add", "Claim", "--by", "S", "--made", "2026-01-01", "--deadline", "2030")
        data = (tmp_path / "good.sqlite").read_bytes()
        path.write_bytes(data[:100])
    elif kind == "folder":
        path.mkdir()
    before = path.read_bytes() if path.is_file() else None
    Cli(path).refused("list", match="" if kind != "missing" else "no ledger", is_ledger=False)
    if before is not None:
        assert path.read_bytes() == before


@pytest.mark.parametrize(("content", "message"), [
    (b'[{"format": "forecast-ledger"}]', "not a forecast-ledger export"),
    (b'{"predictions": [], "format": "forecast-ledger", "version": 1}',
     "not a forecast-ledger export"),  # the header must come first, as export writes it
    (b'{"format": "forecast-ledger", "version": 1, "predictions": [{"claim": "caf\xe9"}]}',
     "not UTF-8 text"),
    (b'{"format": "forecast-ledger", "version": 1,\n"series": [\n],\n  oops}',
     "not valid JSON (Expecting property name enclosed in double quotes at line 4, column 3)"),
])
def test_import_names_what_is_wrong_with_the_file(cli, tmp_path, content, message):
    path = tmp_path / "bad.json"
    path.write_bytes(content)
    cli.refused("import", str(path), match=message)


@pytest.mark.parametrize("fault", ["not json", "tampered"])
def test_a_bad_import_file_does_not_create_a_ledger(cli, tmp_path, fault):
    """The file is read while it is imported, so a new ledger is made first; a fault found
    at the first byte or after every row was written leaves no file behind."""
    cli.ok("add", "Claim", "--by", "S", "--made", "2026-01-01", "--deadline", "2030")
    text = "{not json" if fault == "not json" else \
        cli.export().replace('"2030-12-31"', '"2029-12-31"')
    folder = tmp_path / "elsewhere"
    folder.mkdir()
    path = folder / "bad.json"
    path.write_text(text, encoding="utf-8")
    target = Cli(folder / "new.sqlite")
    target.refused("import", str(path), is_ledger=False,
                   match="not valid JSON" if fault == "not json" else "does not verify")
    assert [p.name for p in folder.iterdir()] == ["bad.json"]
