"""verify's rarer paths (issue 19): each change behind the ledger's back is named, with the
row it was made to; histories the ledger itself writes verify."""

from __future__ import annotations

import pytest

from tests.conftest import seed_small
from tests.store.test_verify import _sql


def trends(cli) -> None:
    seed_small(cli)
    cli.ok("trend", "series", "s", "--unit", "minutes")
    cli.ok("trend", "observe", "s", "2024-01-01", "10")
    cli.ok("trend", "observe", "s", "2025-01-01", "40")
    cli.ok("trend", "claim", "s", "--doubling", "6 months", "--by", "X", "--made",
           "2025-01-01", "--anchor-date", "2025-01-01", "--anchor-value", "40", "--key", "x6")


def refused(cli, statement: str, message: str) -> None:
    _sql(cli, statement)
    result = cli("verify")
    assert result.exit_code == 1, result.stdout
    assert message in result.stderr, result.stderr


@pytest.mark.parametrize("statement, message", [
    ("UPDATE predictions SET outcome = NULL WHERE key = 'first'",
     "prediction 1's resolution differs"),
    ("UPDATE predictions SET resolved_on = NULL WHERE key = 'first'",
     "prediction 1's resolution differs"),
    ("UPDATE predictions SET resolved_on = '2026-01-03' WHERE key = 'first'",
     "prediction 1's resolution differs"),
    ("UPDATE predictions SET evidence = 'made up' WHERE key = 'first'",
     "prediction 1's resolution differs"),
    ("UPDATE events SET prev_hash = '" + "0" * 64 + "' WHERE id = 2", "event 2"),
    ("UPDATE events SET hash = '" + "0" * 64 + "' WHERE id = 3", "event 3"),
])
def test_wiped_verdicts_and_broken_links_are_named(cli, statement, message):
    seed_small(cli)
    refused(cli, statement, message)


@pytest.mark.parametrize("statement, message", [
    ("DELETE FROM observations WHERE value = 40", "observations row 2 is in the history but "
     "missing"),
    ("DELETE FROM trend_claims WHERE key = 'x6'", "trend_claims row 1 is in the history but "
     "missing"),
    ("UPDATE observations SET value = 41 WHERE value = 40",
     "observations row 2 differs from its history"),
    ("UPDATE series SET unit = 'hours' WHERE name = 's'", "series row 1 differs from its "
     "history"),
    ("DELETE FROM series WHERE name = 's'", "series row 1"),
    ("UPDATE events SET payload = replace(payload, 'minutes', 'hours') WHERE kind = 'series'",
     "event 4 (series) was altered: its hash does not match its content"),
])
def test_deleted_or_edited_side_rows_are_named(cli, statement, message):
    trends(cli)
    refused(cli, statement, message)


def test_a_re_resolution_verifies(cli):
    seed_small(cli)
    cli.ok("resolve", "first", "--outcome", "yes", "--on", "2026-01-05", "--reason",
           "new evidence", "--force")
    assert cli.ok("verify").stdout.startswith("ok: 4 events")
    refused(cli, "UPDATE predictions SET outcome = 'no' WHERE key = 'first'",
            "prediction 1's resolution differs")


def test_a_merged_import_of_a_resolved_prediction_verifies(cli, tmp_path):
    seed_small(cli)
    exported = tmp_path / "a.json"
    exported.write_text(cli.export(), encoding="utf-8")
    other = type(cli)(tmp_path / "other.sqlite")
    other.ok("init")
    other.ok("add", "Elsewhere", "--by", "C", "--made", "2024-01-01", "--deadline", "2031")
    assert "2 added" in other.ok("import", str(exported)).stdout
    assert other.ok("verify").stdout.startswith("ok: 4 events, 3 predictions")


def test_an_edit_replayed_by_verify(cli):
    seed_small(cli)
    cli.ok("edit", "second", "--claim", "Second, reworded", "--reason", "typo")
    assert cli.ok("verify").stdout.startswith("ok: 4 events")
    refused(cli, "UPDATE predictions SET claim = 'Second' WHERE key = 'second'",
            "prediction 2 (second) differs from its history")


@pytest.mark.parametrize("statement, line", [
    ("DELETE FROM predictions WHERE key = 'second'",
     "error: prediction 2 is in the history but missing from the ledger: it was deleted"),
    ("UPDATE predictions SET outcome = NULL, resolved_on = NULL, evidence = NULL "
     "WHERE key = 'first'", "error: prediction 1's resolution differs from its history"),
    ("UPDATE predictions SET outcome = 'yes' WHERE key = 'first'",
     "error: prediction 1's resolution differs from its history"),
    ("INSERT INTO tags (prediction_id, tag) VALUES (99, 'planted')",
     "error: tag 'planted' of prediction 99 belongs to no prediction: it was inserted behind "
     "the ledger's back"),
    ("UPDATE events SET prev_hash = hash WHERE id = 2",
     "error: event 2 (add, prediction 2) does not follow the event before it"),
    ("UPDATE predictions SET claim = 'Second!' WHERE key = 'second'",
     "error: prediction 2 (second) differs from its history: it was edited behind the "
     "ledger's back"),
    # Without a key the message quotes the claim's first forty characters.
    ("UPDATE predictions SET key = NULL, claim = 'Forty-one characters long, and one more: "
     "x' WHERE id = 2", "error: prediction 2 (Forty-one characters long, and one more:) "
     "differs from its history: it was edited behind the ledger's back"),
    ("INSERT INTO predictions (uid, claim, claimant, made_on, made_precision, deadline, "
     "deadline_precision, deadline_expression) VALUES ('u-3', 'x', 'y', '2024-01-01', 'day', "
     "'2025-01-01', 'day', '2025')",
     "error: prediction 3 is not in the history: it was inserted behind the ledger's back"),
])
def test_verify_messages_in_full(cli, statement, line):
    seed_small(cli)
    _sql(cli, statement)
    result = cli("verify")
    assert result.exit_code == 1 and result.stderr.strip() == line


@pytest.mark.parametrize("which", ["key IS NOT NULL", "key IS NULL"])
def test_an_old_ledgers_uid_must_be_the_one_its_history_implies(tmp_path, which):
    """A ledger from before uids: each row's uid is derived from its add event. A uid
    changed behind its back is named, keyed or not."""
    import shutil
    from pathlib import Path

    from tests.conftest import Cli

    copy = tmp_path / "old.sqlite"
    shutil.copy(Path(__file__).parents[1] / "data" / "ledger-schema-0001.sqlite", copy)
    cli = Cli(copy)
    assert cli.ok("verify").stdout.startswith("ok: ")
    import sqlite3

    with sqlite3.connect(copy) as conn:
        pid = conn.execute(f"SELECT id FROM predictions WHERE {which} LIMIT 1").fetchone()[0]
        conn.execute("UPDATE predictions SET uid = 'planted:1' WHERE id = ?", (pid,))
    result = cli("verify")
    assert result.exit_code == 1
    assert result.stderr.startswith(f"error: prediction {pid} (") and \
        "differs from its history" in result.stderr



def test_a_malformed_event_in_a_rewritten_chain_is_named_in_full(sqlite_cli):
    from tests.store.test_verify import _rehash

    seed_small(sqlite_cli)
    _sql(sqlite_cli, "UPDATE events SET kind = 'edit', payload = '{}' WHERE id = 3")
    _rehash(sqlite_cli.db)
    result = sqlite_cli("verify")
    assert result.exit_code == 1 and result.stderr.strip() == \
        "error: event 3 (edit, prediction 1) is malformed: the ledger never writes such an event"


@pytest.mark.parametrize("payload", ["[]", "{}", "not json", '"text"', '{"outcome": null}'],
                         ids=["list", "empty", "not-json", "string", "no-verdict-fields"])
def test_a_malformed_add_in_a_rewritten_chain_is_named_in_full(sqlite_cli, payload):
    """An add payload is read only for a row the comparison inside SQLite could not clear;
    one the ledger never writes is named as such, with its event."""
    from tests.store.test_verify import _rehash

    seed_small(sqlite_cli)
    _sql(sqlite_cli, f"UPDATE events SET payload = '{payload}' WHERE id = 2")
    _rehash(sqlite_cli.db)
    result = sqlite_cli("verify")
    assert result.exit_code == 1 and result.stderr.strip() == \
        "error: event 2 (add, prediction 2) is malformed: the ledger never writes such an event"


def test_an_add_payload_rewritten_in_another_layout_is_named(sqlite_cli):
    """The history holds each record as canonical JSON (sorted keys, no spaces): the same
    record laid out otherwise, in a rehashed chain, is not what the ledger wrote."""
    import json
    import sqlite3

    from tests.store.test_verify import _rehash

    seed_small(sqlite_cli)
    conn = sqlite3.connect(sqlite_cli.db)
    payload = conn.execute("SELECT payload FROM events WHERE id = 2").fetchone()[0]
    conn.execute("UPDATE events SET payload = ? WHERE id = 2",
                 (json.dumps(json.loads(payload), ensure_ascii=False, sort_keys=True),))
    conn.commit()
    conn.close()
    _rehash(sqlite_cli.db)
    result = sqlite_cli("verify")
    assert result.exit_code == 1 and result.stderr.strip() == (
        "error: prediction 2 (second) differs from its history: it was edited behind the "
        "ledger's back")


def test_a_prediction_added_already_resolved_verifies_and_its_verdict_is_checked(sqlite_cli):
    """Older ledgers recorded a merged prediction with its verdict inside the add event (no
    resolve event): that verdict is the one its row must hold."""
    from tests.store.test_verify import _rehash

    seed_small(sqlite_cli)
    import sqlite3

    conn = sqlite3.connect(sqlite_cli.db)
    conn.execute("DELETE FROM events WHERE id = 3")
    payload = conn.execute("SELECT payload FROM events WHERE id = 1").fetchone()[0]
    conn.execute("UPDATE events SET payload = ? WHERE id = 1", (payload.replace(
        '"outcome":null,', '"outcome":"no",').replace(
        '"resolved_on":null,', '"resolved_on":"2026-01-02",'),))
    conn.commit()
    conn.close()
    _rehash(sqlite_cli.db)
    assert sqlite_cli.ok("verify").stdout.startswith("ok: 2 events, 2 predictions")
    refused(sqlite_cli, "UPDATE predictions SET outcome = 'yes' WHERE id = 1",
            "prediction 1's resolution differs from its history")
