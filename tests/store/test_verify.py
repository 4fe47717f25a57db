"""ledger verify names what was changed behind the ledger's back (SPEC §7)."""


import sqlite3

import pytest

from forecast_ledger import Ledger
from forecast_ledger.domain.records import new_prediction
from tests.conftest import seed_small

# --- tamper evidence ------------------------------------------------------------------------

def test_verify_ok_reports_count_and_head(cli):
    seed_small(cli)
    out = cli.ok("verify").stdout
    assert out.startswith("ok: 3 events, 2 predictions, head ")
    full = out.split("head ")[1].strip()
    assert cli.ok("head").stdout.startswith(full[:16])


def _sql(cli, statement):
    """Change the ledger behind its back, on either backend, with foreign keys unchecked."""
    from sqlalchemy import create_engine, text

    from forecast_ledger.store.db import database_url

    engine = create_engine(database_url(str(cli.db)))
    with engine.begin() as conn:
        if conn.dialect.name == "sqlite":
            conn.exec_driver_sql("PRAGMA foreign_keys=OFF")
        else:
            conn.exec_driver_sql("SET session_replication_role = replica")
        conn.execute(text(statement))
    engine.dispose()


@pytest.mark.parametrize(("statement", "message"), [
    ("UPDATE predictions SET deadline = '2031-12-31' WHERE key = 'second'",
     "prediction 2 (second) differs from its history"),
    ("UPDATE predictions SET outcome = 'yes' WHERE key = 'first'",
     "prediction 1's resolution differs"),
    ("UPDATE events SET payload = replace(payload, '2030-12-31', '2031-12-31') WHERE id = 2",
     "event 2 (add, prediction 2) was altered"),
    ("DELETE FROM events WHERE id = 3", "prediction 1's resolution differs"),
    ("DELETE FROM events WHERE id = 2", "event 2 is missing"),
    ("INSERT INTO predictions (claim, claimant, made_on, made_precision, deadline, "
     "deadline_precision, deadline_expression) VALUES ('x', 'y', '2024-01-01', 'day', "
     "'2025-01-01', 'day', '2025')", "inserted behind the ledger's back"),
    ("UPDATE predictions SET claim = 'Second!' WHERE id = 2", "prediction 2"),
])
def test_verify_names_what_was_edited_behind_the_ledgers_back(cli, statement, message):
    seed_small(cli)
    _sql(cli, statement)
    result = cli("verify")
    assert result.exit_code == 1
    assert result.stderr.startswith("error: ") and message in result.stderr, result.stderr


@pytest.mark.parametrize("fast_path", [True, False], ids=["sqlite-json", "exact-only"])
@pytest.mark.parametrize(("statement", "message"), [
    ("UPDATE predictions SET deadline = '2031-12-31' WHERE key = 'second'",
     "prediction 2 (second) differs from its history"),
    ("INSERT INTO tags (prediction_id, tag) VALUES (2, 'sneaked-in')",
     "prediction 2 (second) differs from its history"),
    ("DELETE FROM predictions WHERE id = 2", "prediction 2 is in the history but missing"),
    ("UPDATE predictions SET probability = 0.5 WHERE id = 1", "prediction 1 (first) differs"),
])
def test_both_replay_paths_find_an_edited_row(cli, monkeypatch, fast_path, statement, message):
    """SQLite compares rows inside the database; other databases (and SQLite's suspects)
    take the exact Python comparison. Each must find the edit alone."""
    from forecast_ledger.store import verify

    if not fast_path:  # what PostgreSQL does: every row is a suspect
        monkeypatch.setattr(verify, "_sqlite_suspects", lambda conn: [1, 2])
    seed_small(cli)
    cli.ok("verify")
    _sql(cli, statement)
    result = cli("verify")
    assert result.exit_code == 1 and message in result.stderr, result.stderr


def test_a_float_sqlite_prints_differently_still_verifies(sqlite_cli):
    # SQLite's json_object prints 0.30000000000000004 as 0.3: the row is a suspect, and
    # the exact comparison clears it.
    sqlite_cli.ok("add", "Odd float", "--by", "A", "--made", "2024-01-01", "--deadline", "2030",
           "--p", "0.30000000000000004", "--tag", "b", "--tag", "a")
    from forecast_ledger.store.verify import _sqlite_suspects

    ledger = Ledger.open(str(sqlite_cli.db))
    with ledger.reading() as conn:
        assert _sqlite_suspects(conn) == [1]
    ledger.close()
    assert sqlite_cli.ok("verify").stdout.startswith("ok: 1 events, 1 predictions")


def test_an_honest_ledger_has_no_suspects(sqlite_cli):
    """The comparison inside SQLite clears every honest row, tags, floats and Chinese text
    included: otherwise each would be rebuilt in Python, and verify would crawl."""
    sqlite_cli.ok("init", "--seed")
    sqlite_cli.ok("add", "两年内实现", "--by", "某人", "--made", "2024-01-01", "--within", "两年内",
                  "--p", "0.7", "--tag", "zeta", "--tag", "阿尔法", "--tag", "alpha")
    sqlite_cli.ok("resolve", "1", "--outcome", "yes", "--on", "2025-01-01", "--evidence", "e")
    from forecast_ledger.store.verify import _sqlite_suspects

    ledger = Ledger.open(str(sqlite_cli.db))
    with ledger.reading() as conn:
        tagged = conn.exec_driver_sql("SELECT count(DISTINCT prediction_id) FROM tags").scalar()
        assert tagged > 1 and _sqlite_suspects(conn) == []
    ledger.close()


def test_verify_compares_again_when_a_write_lands_between_its_two_reads(sqlite_cli, monkeypatch):
    """ledger verify compares the rows on a second connection while the first walks the
    chain; if a write lands in between, the comparison is redone on the first one."""
    import threading
    from contextlib import contextmanager

    from forecast_ledger.store import verify

    seed_small(sqlite_cli)
    ledger, other = Ledger.open(str(sqlite_cli.db)), Ledger.open(str(sqlite_cli.db))

    landed, once = [], threading.Lock()

    @contextmanager
    def later_reader():  # (verify opens two at once: one checks the pages, one the rows)
        with once:
            if not landed:
                landed.append(other.add(new_prediction(
                    claim="Landed meanwhile", claimant="C", made="2026-01-01", deadline="2030")))
        with other.reading() as conn:
            yield conn

    compared_on = []
    real = verify._sqlite_suspects
    monkeypatch.setattr(verify, "_sqlite_suspects",
                        lambda conn: compared_on.append(conn) or real(conn))
    with ledger.reading() as conn:
        conn.exec_driver_sql("SELECT count(*) FROM events").scalar()  # this snapshot: 3 events
        report = verify.verify_connection(conn, second_reader=later_reader)
    assert (report.events, report.predictions) == (3, 2)
    assert len(compared_on) == 2 and compared_on[1] is conn
    assert other.verify().events == 4
    ledger.close()
    other.close()


def _rehash(db) -> None:
    """Recompute every event's hash, as someone rewriting the history would."""
    from forecast_ledger.domain.chain import GENESIS, event_hash

    conn = sqlite3.connect(db)
    prev = GENESIS
    rows = conn.execute("SELECT id, kind, prediction_id, recorded_at, payload FROM events "
                        "ORDER BY id").fetchall()
    for event_id, kind, pid, recorded_at, payload in rows:
        digest = event_hash(prev, event_id, kind, pid, recorded_at, payload)
        conn.execute("UPDATE events SET prev_hash = ?, hash = ? WHERE id = ?",
                     (prev, digest, event_id))
        prev = digest
    conn.commit()
    conn.close()


def test_a_prediction_added_twice_in_a_rewritten_history_is_named(sqlite_cli):
    seed_small(sqlite_cli)
    _sql(sqlite_cli, "UPDATE events SET prediction_id = 1 WHERE id = 2")
    _rehash(sqlite_cli.db)
    result = sqlite_cli("verify")
    assert result.exit_code == 1, result.stderr
    assert "event 2 (add, prediction 1) adds a prediction that was already added" in \
        result.stderr


def test_a_rewritten_history_still_disagrees_with_the_records(sqlite_cli):
    seed_small(sqlite_cli)
    _sql(sqlite_cli, "UPDATE events SET payload = replace(payload, '2030-12-31', '2031-12-31') "
              "WHERE id = 2")
    _rehash(sqlite_cli.db)
    result = sqlite_cli("verify")
    assert result.exit_code == 1 and "prediction 2 (second) differs" in result.stderr


def test_a_published_head_proves_the_history_was_not_cut(cli):
    seed_small(cli)
    published = cli.ok("head").stdout.split()[0]
    cli.ok("verify", "--head", published)
    cli.ok("add", "Later", "--by", "C", "--made", "2026-01-01", "--deadline", "2030")
    cli.ok("verify", "--head", published)  # still in the (longer) history
    _sql(cli, "DELETE FROM events WHERE id >= 3")
    _sql(cli, "DELETE FROM predictions WHERE id = 3")
    _sql(cli, "UPDATE predictions SET outcome = NULL, resolved_on = NULL, evidence = NULL "
              "WHERE id = 1")
    cli.ok("verify")  # a consistent but cut history verifies on its own…
    result = cli("verify", "--head", published)  # …but not against the published head
    assert result.exit_code == 1 and "not in this ledger's history" in result.stderr


def test_rewriting_an_event_and_its_hash_still_breaks_the_chain(sqlite_cli):
    seed_small(sqlite_cli)
    conn = sqlite3.connect(sqlite_cli.db)
    conn.execute("UPDATE events SET hash = CASE substr(hash, 1, 1) WHEN 'f' THEN '0' ELSE 'f' "
                 "END || substr(hash, 2) WHERE id = 2")  # always a different hash
    conn.commit()
    conn.close()
    result = sqlite_cli("verify")
    assert result.exit_code == 1 and "event 2" in result.stderr


@pytest.mark.parametrize("payload", ['{"changes": 5}', '{"outcome": "no"}', '[]', '{}'])
def test_a_rewritten_chain_with_a_malformed_event_is_named_not_a_crash(sqlite_cli, payload):
    """A forger who rehashes the chain around a payload the ledger never writes gets a
    tamper report, not an internal error."""
    seed_small(sqlite_cli)
    conn = sqlite3.connect(sqlite_cli.db)
    conn.execute("UPDATE events SET kind = 'edit', payload = ? WHERE id = 3", (payload,))
    conn.commit()
    conn.close()
    _rehash(sqlite_cli.db)
    result = sqlite_cli("verify")
    assert result.exit_code == 1 and "is malformed" in result.stderr, result.stderr
