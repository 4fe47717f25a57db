"""Corrections and notes (SPEC §8): every edit an event with old and new values, verified;
notes listed in order."""

import json

from tests.conftest import Cli


def _add(cli):
    cli.ok("add", "AI smrter than humans", "--by", "Elon musk", "--made", "2024-04-08",
           "--within", "2 years", "--tag", "a", "--key", "musk")


def test_an_edit_records_old_and_new_values_and_verifies(cli):
    _add(cli)
    out = cli.ok("edit", "musk", "--claim", "AI smarter than humans", "--by", "Elon Musk",
                 "--add-tag", "b", "--reason", "typos").stdout
    assert "claim 'AI smrter than humans' → 'AI smarter than humans'" in out
    shown = cli.ok("show", "musk", "--format", "json").json()
    assert (shown["claim"], shown["claimant"]) == ("AI smarter than humans", "Elon Musk")
    [edit] = [e for e in shown["history"] if e["kind"] == "edit"]
    assert edit["payload"] == {
        "changes": {"claim": {"old": "AI smrter than humans", "new": "AI smarter than humans"},
                    "claimant": {"old": "Elon musk", "new": "Elon Musk"},
                    "tags": {"old": ["a"], "new": ["a", "b"]}},
        "reason": "typos", "forced": False}
    assert "edited claim 'AI smrter than humans'" in cli.ok("show", "musk").stdout
    cli.ok("verify")


def test_a_new_made_date_rereads_a_relative_deadline(cli):
    _add(cli)
    cli.ok("edit", "musk", "--made", "2024-05-01", "--reason", "said in May")
    shown = cli.ok("show", "musk", "--format", "json").json()
    assert (shown["made_on"], shown["deadline"]) == ("2024-05-01", "2026-05-01")
    cli.ok("edit", "musk", "--deadline", "end of 2026", "--p", "70%", "--topic", "ai",
           "--remove-tag", "a", "--reason", "the source says end of 2026")
    shown = cli.ok("show", "musk", "--format", "json").json()
    assert (shown["deadline"], shown["probability"], shown["topic"]) == \
        ("2026-12-31", 0.7, "ai")
    cli.ok("edit", "musk", "--topic", "", "--reason", "no topic after all")
    assert cli.ok("show", "musk", "--format", "json").json()["topic"] is None
    cli.ok("verify")


def test_a_resolved_prediction_needs_force_to_change_what_was_judged(cli):
    _add(cli)
    cli.ok("resolve", "musk", "--outcome", "no", "--on", "2026-06-01")
    cli.refused("edit", "musk", "--p", "0.6", "--reason", "x", match="--force")
    cli.refused("edit", "musk", "--deadline", "2030", "--reason", "x", match="must be forced")
    cli.ok("edit", "musk", "--topic", "ai", "--reason", "a topic is not what was judged")
    cli.ok("edit", "musk", "--p", "0.6", "--reason", "the quote gave 60%", "--force")
    assert cli.ok("show", "musk", "--format", "json").json()["probability"] == 0.6
    cli.ok("verify")


def test_bad_edits_are_refused_and_change_nothing(cli):
    _add(cli)
    cli.ok("add", "Other", "--by", "B", "--made", "2024-01-01", "--deadline", "2030",
           "--key", "taken")
    cli.refused("edit", "musk", "--reason", "nothing", match="nothing to change")
    cli.refused("edit", "musk", "--claim", "", "--reason", "x", match="claim is empty")
    cli.refused("edit", "musk", "--key", "taken", "--reason", "x", match="already used")
    cli.refused("edit", "musk", "--deadline", "2020", "--reason", "x", match="before")
    cli.refused("edit", "musk", "--claim", "x", "--reason", "  ", match="reason")
    cli.refused("edit", "nosuch", "--claim", "x", "--reason", "x", match="no prediction")
    cli.refused("edit", "musk", "--made", "2999-01-01", "--reason", "x", match="clock")


def test_an_edit_made_behind_the_ledgers_back_is_still_named(sqlite_cli):
    import sqlite3

    _add(sqlite_cli)
    sqlite_cli.ok("edit", "musk", "--claim", "AI smarter than humans", "--reason", "typo")
    conn = sqlite3.connect(sqlite_cli.db)
    conn.execute("UPDATE predictions SET claim = 'AI smrter than humans'")
    conn.commit()
    conn.close()
    result = sqlite_cli("verify")
    assert result.exit_code == 1 and "differs from its history" in result.stderr


def test_notes_are_dated_listed_in_order_and_never_from_the_future(cli):
    _add(cli)
    cli.ok("note", "#1", "Grok 3 is out; not yet smarter", "--on", "2025-02-20")
    cli.ok("note", "musk", "Still not")
    shown = cli.ok("show", "musk", "--format", "json").json()
    assert [(n["on"], n["text"]) for n in shown["notes"]] == [
        ("2025-02-20", "Grok 3 is out; not yet smarter"), ("2026-11-29", "Still not")]
    table = cli.ok("show", "musk").stdout
    assert "notes:\n  2025-02-20  Grok 3 is out; not yet smarter\n  2026-11-29  Still not" \
        in table
    cli.refused("note", "musk", "x", "--on", "2999-01-01", match="future")
    cli.refused("note", "musk", "   ", match="empty")
    cli.ok("verify")


def test_edits_and_notes_merge_with_their_history(cli, tmp_path):
    _add(cli)
    path = tmp_path / "old.json"
    path.write_text(cli.export(), encoding="utf-8")
    other = Cli(tmp_path / "other.sqlite")
    other.ok("init")
    other.ok("import", str(path))
    cli.ok("edit", "musk", "--claim", "AI smarter than humans", "--reason", "typo")
    cli.ok("note", "musk", "evidence")
    path.write_text(cli.export(), encoding="utf-8")
    assert "1 updated" in other.ok("import", str(path)).stdout
    mine = other.ok("show", "musk", "--format", "json").json()
    assert mine["claim"] == "AI smarter than humans"
    assert [e["kind"] for e in mine["history"]] == ["add", "edit", "note"]
    other.ok("verify")
    assert json.loads(other.export())["predictions"][0]["claim"] == "AI smarter than humans"
