"""`ledger import --from …`: other tools' exports and our CSV, end to end on both backends."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from forecast_ledger import Ledger

DATA = Path(__file__).parent.parent / "data" / "interop"
METACULUS = DATA / "metaculus-5121.json"
FILES = [("fatebook.csv", "fatebook", 7, 12), ("predictionbook.json", "predictionbook", 5, 9),
         ("manifold.json", "manifold", 4, 7), (str(METACULUS), "metaculus", 20, 20)]


@pytest.mark.parametrize("name, fmt, count, events", FILES)
@pytest.mark.parametrize("told", [True, False])
def test_each_format_imports_once(cli, name, fmt, count, events, told):
    path = str(DATA / name)
    given = ["--from", fmt] if told else []
    first = cli.ok("import", path, *given).stdout
    assert f": {count} added, 0 already present" in first
    again = cli.ok("import", path, *given).stdout
    assert f": 0 added, {count} already present" in again
    assert f"ok: {events} events, {count} predictions" in cli.ok("verify").stdout


def test_a_newer_fatebook_export_adds_only_what_is_new(cli, tmp_path):
    full = (DATA / "fatebook.csv").read_text(encoding="utf-8")
    header, *rows = full.splitlines(keepends=True)
    older = tmp_path / "older.csv"  # before the GPT-5 question resolved, one forecast fewer
    older.write_text(header + "".join(r.replace('"NO",2025-07-02 9:15:0', ",")
                                      for r in rows[:1] + rows[2:]), encoding="utf-8")
    assert "6 added" in cli.ok("import", str(older)).stdout
    newer = tmp_path / "newer.csv"
    newer.write_text(full, encoding="utf-8")
    out = cli.ok("import", str(newer)).stdout
    assert "1 added, 4 already present, 2 updated" in out
    listed = cli.ok("list", "--by", "Grace Hopper", "--format", "json").json()
    assert [(p["outcome"], p["resolved_on"]) for p in listed] == [("no", "2025-07-02")]


def test_a_moved_manifold_market_is_an_edit_and_its_verdict_keeps_the_forecast(cli, tmp_path):
    market = json.loads((DATA / "manifold.json").read_text(encoding="utf-8"))[1]
    path = tmp_path / "market.json"
    path.write_text(json.dumps(market), encoding="utf-8")
    cli.ok("import", str(path))
    moved = {**market, "probability": 0.81, "lastBetTime": market["lastBetTime"] + 86400000}
    path.write_text(json.dumps(moved), encoding="utf-8")
    assert "1 updated" in cli.ok("import", str(path)).stdout
    with Ledger.open(str(cli.db)) as ledger:
        edit = ledger.history(1)[-1]
    assert edit.kind == "edit" and edit.payload["changes"]["probability"] == {
        "old": 0.72, "new": 0.81}
    assert edit.payload["reason"] == "changed in the manifold file"
    resolved = {**moved, "probability": 0.99, "isResolved": True, "resolution": "YES",
                "resolutionTime": 1756684800000}  # 2025-09-01
    path.write_text(json.dumps(resolved), encoding="utf-8")
    assert "1 updated" in cli.ok("import", str(path)).stdout
    shown = cli.ok("list", "--format", "json").json()[0]
    assert (shown["probability"], shown["outcome"]) == (0.81, "yes")


def test_metaculus_compression_shows_the_crowds_date_moving(cli):
    cli.ok("import", str(METACULUS), "--from", "metaculus")
    report = cli.ok("compression", "--topic", "metaculus-5121", "--format", "json").json()
    topic = report[0] if isinstance(report, list) else report["topics"][0]
    text = json.dumps(topic)
    assert "compressing" in text
    table = cli.ok("compression", "--topic", "metaculus-5121").stdout
    assert "2064 → 2033" in table and "Metaculus commu" in table


def test_metaculus_options(cli):
    out = cli.ok("import", str(METACULUS), "--every", "365d", "--topic", "agi-metaculus").stdout
    assert "6 added" in out
    assert len(cli.ok("list", "--topic", "agi-metaculus", "--format", "json").json()) == 6
    cli.refused("import", str(DATA / "manifold.json"), "--from", "manifold", "--every", "9d",
                match="--every and --topic are for --from metaculus")
    cli.refused("import", str(METACULUS), "--every", "a while", match="not a period")


# --- our CSV: lossless ----------------------------------------------------------------------

def build_rich(cli) -> None:
    cli.ok("add", "=SUM(A1) looks like a formula", "--by", "Ada", "--made", "2024-01-01",
           "--deadline", "2026", "--key", "formula", "--tag", "odd;tag", "--tag", "ai",
           "--p", "0.3333333333333333", "--note", "line one\nline two")
    cli.ok("add", "到2029年，AI将超越人类", "--by", "库兹韦尔", "--made", "2024-03",
           "--deadline", "2029年", "--key", "kurzweil", "--topic", "agi", "--quote",
           "'quoted' text", "--source", "https://example.org/a?b=1,2")
    cli.ok("add", "Restated", "--by", "Ada", "--made", "2025-01-01", "--deadline",
           "end of 2027", "--supersedes", "formula")
    cli.ok("resolve", "kurzweil", "--outcome", "no", "--on", "2026-01-02", "--evidence",
           "it did not, \"yet\"", "--force", "--reason", "retracted")
    cli.ok("note", "formula", "checked, still open", "--on", "2025-06-01")


def test_the_csv_export_imports_back_as_it_was(cli, tmp_path):
    build_rich(cli)
    written = tmp_path / "ledger.csv"
    cli.ok("export", "--format", "csv", "-o", str(written))
    assert "0 added, 3 already present" in cli.ok("import", str(written)).stdout
    copy = type(cli)(tmp_path / "copy.sqlite")
    assert "3 added" in copy.ok("import", str(written), "--from", "csv").stdout
    again = tmp_path / "again.csv"
    copy.ok("export", "--format", "csv", "-o", str(again))
    assert again.read_text(encoding="utf-8") == written.read_text(encoding="utf-8")
    ours, theirs = (c.ok("list", "--format", "json").json() for c in (cli, copy))
    assert ours == theirs
    notes = [c.ok("show", "formula").stdout.count("note of 2025-06-01: checked") for c in
             (cli, copy)]
    assert notes[0] == notes[1] > 0
    with Ledger.open(str(tmp_path / "copy.sqlite")) as ledger:
        first = ledger.get("formula")
        assert first.claim.startswith("=SUM") and first.tags == ("ai", "odd;tag")
        assert first.note == "line one\nline two" and first.probability == 1 / 3


def test_the_shipped_ledger_csv_re_imports_into_itself(seeded, tmp_path):
    written = tmp_path / "shipped.csv"
    seeded.ok("export", "--format", "csv", "-o", str(written))
    assert "0 added, 66 already present" in seeded.ok("import", str(written)).stdout


def test_a_csv_whose_prediction_differs_here_is_refused(cli, tmp_path):
    build_rich(cli)
    written = tmp_path / "ledger.csv"
    cli.ok("export", "--format", "csv", "-o", str(written))
    cli.ok("edit", "kurzweil", "--topic", "agi-timelines", "--reason", "rename", "--force")
    # line 4: the first prediction's note takes two lines
    cli.refused("import", str(written), match="ledger.csv:4: prediction kurzweil differs "
                "here in topic")


def test_a_csv_milestone_needs_its_trend_claim(seeded, tmp_path):
    written = tmp_path / "shipped.csv"
    seeded.ok("export", "--format", "csv", "-o", str(written))
    fresh = type(seeded)(tmp_path / "fresh.sqlite")
    fresh.ok("init")
    fresh.refused("import", str(written), match="the JSON export carries series and trend")


# --- refusals -------------------------------------------------------------------------------

def test_a_malformed_row_refuses_the_whole_file(cli, tmp_path):
    bad = tmp_path / "fatebook.csv"
    bad.write_text((DATA / "fatebook.csv").read_text(encoding="utf-8").replace(
        ",0.7,", ",seventy,"), encoding="utf-8")
    cli.ok("import", str(DATA / "manifold.json"))
    cli.refused("import", str(bad), match="fatebook.csv:7: 'Forecast (scale = 0-1)' "
                "'seventy' is not a number")


def test_an_unknown_file_asks_which_tool_wrote_it(cli, tmp_path):
    odd = tmp_path / "odd.json"
    odd.write_text('{"rows": []}', encoding="utf-8")
    cli.refused("import", str(odd), match="cannot tell what odd.json was exported from")


def test_nothing_is_imported_dated_after_the_system_clock(cli, tmp_path):
    future = tmp_path / "future.csv"
    future.write_text((DATA / "fatebook.csv").read_text(encoding="utf-8").replace(
        "2025-03-01 7:5:9", "2099-03-01 7:5:9").replace("2025-04-20", "2099-04-20"),
        encoding="utf-8")
    cli.refused("import", str(future), match="after today's date")


def test_the_same_uid_twice_in_one_file_is_refused(cli, tmp_path):
    text = (DATA / "fatebook.csv").read_text(encoding="utf-8")
    twice = tmp_path / "twice.csv"
    twice.write_text(text + text.splitlines(keepends=True)[1], encoding="utf-8")
    cli.refused("import", str(twice), match="twice.csv:9: uid fatebook:")


@pytest.mark.parametrize("name, fmt, count, events", FILES[:3])
def test_a_file_saved_with_a_byte_order_mark_imports(cli, tmp_path, name, fmt, count, events):
    """Excel's "CSV UTF-8" and some editors begin a file with a BOM; it is not part of the
    first column's name."""
    marked = tmp_path / Path(name).name
    marked.write_bytes(b"\xef\xbb\xbf" + (DATA / name).read_bytes())
    assert f": {count} added" in cli.ok("import", str(marked)).stdout
    assert f": 0 added, {count} already present" in cli.ok("import", str(marked), "--from",
                                                          fmt).stdout
