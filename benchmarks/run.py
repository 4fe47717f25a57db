"""Speed and memory at scale, each figure a ratio against a baseline run in the same process.

    python benchmarks/run.py                 # full run: 1,000,000 predictions (slow; manual)
    python benchmarks/run.py --n 10000       # the small run CI does, so this cannot rot

Writes benchmarks/RESULTS.md (with --out) and prints the same table. Machines are shared and
noisy, so every target is a ratio: ours / a baseline measured moments before or after.
"""

from __future__ import annotations

import argparse
import compileall
import datetime as dt
import hashlib
import json
import os
import platform
import random
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from contextlib import closing
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from forecast_ledger.domain.chain import GENESIS, canonical_json, event_hash  # noqa: E402

TODAY = "2026-11-29"
PY = sys.executable
LEDGER = [PY, "-m", "forecast_ledger"]


def run(cmd: list[str], **kw) -> float:
    """Wall seconds of a command. Its output goes to /dev/null: reading a 178 MB report
    back through a pipe would time this script, not the command."""
    start = time.perf_counter()
    proc = subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
                          **kw)
    elapsed = time.perf_counter() - start
    if proc.returncode not in (0, 1):
        raise SystemExit(f"{' '.join(cmd)} failed: {proc.stderr.strip()}")
    return elapsed


def peak_mb(cmd: list[str], **kw) -> tuple[float, float]:
    """Run ``cmd`` under a tiny wrapper that reports the child's wall time and own peak RSS."""
    wrapper = ("import resource, subprocess, sys, time; t = time.perf_counter(); "
               "p = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL); "
               "r = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss; "
               "print(time.perf_counter() - t, r / 1024, p.returncode)")
    out = subprocess.run([PY, "-c", wrapper, *cmd], capture_output=True, text=True, check=True,
                         **kw)
    seconds, mb, code = out.stdout.split()
    if code != "0":
        raise SystemExit(f"{' '.join(cmd)} exited {code}")
    return float(seconds), float(mb)


def best_of(times: int, fn) -> float:  # noqa: ANN001
    return min(fn() for _ in range(times))


def median_of(times: int, fn) -> float:  # noqa: ANN001
    return statistics.median(fn() for _ in range(times))


# --- a synthetic ledger ------------------------------------------------------------------------

def synthetic_records(n: int, due: int, topics: int, seed: int = 7):
    """n predictions in ``topics`` topics; exactly ``due`` are past their deadline."""
    rng = random.Random(seed)
    today = dt.date.fromisoformat(TODAY)
    due_ids = set(rng.sample(range(1, n + 1), min(due, n)))
    for i in range(1, n + 1):
        made = dt.date(2000, 1, 1) + dt.timedelta(days=rng.randrange(0, 9000))
        if i in due_ids:
            deadline = made + dt.timedelta(days=rng.randrange(1, max(2, (today - made).days)))
        else:
            deadline = today + dt.timedelta(days=rng.randrange(0, 20000))
        yield {
            "id": i, "uid": f"00000000-0000-4000-8000-{i:012d}", "key": None,
            "claim": f"Synthetic claim number {i} about topic {i % topics}",
            "claimant": f"claimant-{i % 997}", "made_on": made.isoformat(),
            "made_precision": "day", "deadline": deadline.isoformat(),
            "deadline_precision": "day", "deadline_expression": deadline.isoformat(),
            "probability": round(rng.uniform(0.05, 0.95), 2), "topic": f"topic-{i % topics}",
            "criteria": None, "source_url": None, "source_title": None, "quote": None,
            "note": None, "tags": [], "supersedes": None, "trend_claim": None,
            "target_value": None, "outcome": None, "resolved_on": None, "evidence": None,
        }


def write_export(path: Path, n: int, due: int, topics: int, plain: Path) -> None:
    """A valid export file (hash chain included), and the same predictions as
    newline-delimited JSON in ``plain`` for the baseline loader."""
    prev = GENESIS
    recorded_at = "2026-11-29T00:00:00+00:00"
    with open(path, "w", encoding="utf-8") as out, open(plain, "w", encoding="utf-8") as nl:
        out.write('{"format": "forecast-ledger", "version": 2, "series": [], '
                  '"trend_claims": [], "observations": [],\n"predictions": [')
        events = []
        for record in synthetic_records(n, due, topics):
            out.write(("\n" if record["id"] == 1 else ",\n") + json.dumps(record))
            payload = canonical_json(record)
            digest = event_hash(prev, record["id"], "add", record["id"], recorded_at, payload)
            events.append(f'{{"id": {record["id"]}, "kind": "add", "prediction_id": '
                          f'{record["id"]}, "recorded_at": "{recorded_at}", "payload": '
                          f'{payload}, "prev_hash": "{prev}", "hash": "{digest}"}}')
            prev = digest
            nl.write(json.dumps(record) + "\n")
        out.write('\n],\n"events": [\n' + ",\n".join(events) + "\n]\n}\n")


# --- baselines -------------------------------------------------------------------------------

def sqlite_utils() -> str | None:
    """The sqlite-utils command of the benchmark's environment (.ci/run installs it)."""
    import shutil

    return shutil.which("sqlite-utils", path=str(Path(PY).parent)) or shutil.which(
        "sqlite-utils")


def baseline_loader(plain: Path, tmp: Path) -> float:
    """``sqlite-utils insert`` of the same predictions into one table: what a user could
    pick instead of ``ledger import`` (it neither validates nor writes a history)."""
    db = tmp / "plain.sqlite"
    db.unlink(missing_ok=True)
    return run([sqlite_utils(), "insert", str(db), "predictions", str(plain), "--nl"])


def baseline_compression(n: int, due: int, topics: int, check_with: Path | None = None) -> float:
    """The independent loop of baselines.py over the same forecasts, already in memory.
    With ``check_with`` (a ledger of the same records), its JSON must equal the ledger's."""
    import baselines

    today = dt.date.fromisoformat(TODAY)
    rows = [(r["topic"], r["id"], r["key"], r["claimant"],
             dt.date.fromisoformat(r["made_on"]), deadline := dt.date.fromisoformat(
                 r["deadline"]), "due" if deadline < today else "pending")
            for r in synthetic_records(n, due, topics)]
    start = time.perf_counter()
    text = baselines.compression_json(rows, TODAY)
    elapsed = time.perf_counter() - start
    if check_with is not None:
        ours = subprocess.run([*LEDGER, "--db", str(check_with), "--today", TODAY,
                               "compression", "--format", "json"], capture_output=True,
                              text=True, check=True).stdout.rstrip("\n")
        if ours != text:
            raise SystemExit("the compression baseline and the ledger disagree: fix one")
    return elapsed


def baseline_hash(db: Path) -> float:
    conn = sqlite3.connect(db)
    blobs = [(p + h).encode() for p, h in conn.execute("SELECT payload, prev_hash FROM events")]
    conn.close()
    start = time.perf_counter()
    for blob in blobs:
        hashlib.sha256(blob).hexdigest()
    return time.perf_counter() - start


def reading_events(db: Path) -> float:
    """What verify cannot do without: every event's columns read into Python by the
    sqlite3 driver (no SQLAlchemy, no hashing, no comparison), from a warm cache."""
    conn = sqlite3.connect(db)
    query = "SELECT id, kind, prediction_id, recorded_at, payload, prev_hash, hash FROM events"
    for _ in conn.execute(query):  # warm the page cache as the baseline's own read did
        pass
    start = time.perf_counter()
    for _ in conn.execute(query + " ORDER BY id"):
        pass
    elapsed = time.perf_counter() - start
    conn.close()
    return elapsed


def _verify_floor_parts(db: Path):  # noqa: ANN202
    """What any verify of this ledger must do, with nothing else: read and hash every event
    (one text per event, sqlite3 + hashlib), read every value of the rows it compares inside
    SQLite (their lengths, compared with nothing), and check the file's pages
    (quick_check). Three functions, each on a connection of its own, the page cache warm."""
    events = "SELECT id, kind, prediction_id, recorded_at, payload, prev_hash, hash FROM events"
    with closing(sqlite3.connect(db)) as conn:  # (sqlite3's own `with` does not close)
        rows = tuple(
            f"SELECT count(*) FROM {table} WHERE " + " + ".join(
                f"coalesce(length({column[1]}), 0)"
                for column in conn.execute(f"PRAGMA table_info({table})")) + " >= 0"
            for table in ("predictions", "tags"))
        for query in (events, *rows):  # warm the page cache as the baseline's own read did
            for _ in conn.execute(query):
                pass

    def hashing() -> None:
        conn, sha256 = sqlite3.connect(db), hashlib.sha256
        for event_id, kind, pid, recorded_at, payload, prev_hash, _ in conn.execute(
                events + " ORDER BY id"):
            sha256(f"{event_id}{kind}{payload}{pid}{prev_hash}{recorded_at}".encode()).hexdigest()
        conn.close()

    def reading() -> None:
        conn = sqlite3.connect(db)
        for query in rows:
            conn.execute(query).fetchall()
        conn.close()

    def pages() -> None:
        conn = sqlite3.connect(db)
        conn.execute("PRAGMA quick_check").fetchall()
        conn.close()

    return hashing, reading, pages


def verify_floor(db: Path) -> float:
    """The floor's three parts one after the other, halved: the best two cores could do if
    they shared the work perfectly (an ideal, not a measurement of two cores)."""
    parts = _verify_floor_parts(db)
    start = time.perf_counter()
    for part in parts:
        part()
    return (time.perf_counter() - start) / 2


def verify_floor_at_once(db: Path) -> float:
    """The floor's three parts at once, as verify runs them: the hashing in Python on this
    thread, SQLite's reads and page check on two others (they release Python's lock)."""
    import threading

    hashing, *others = _verify_floor_parts(db)
    threads = [threading.Thread(target=part) for part in others]
    start = time.perf_counter()
    for thread in threads:
        thread.start()
    hashing()
    for thread in threads:
        thread.join()
    return time.perf_counter() - start


def fit_benchmark() -> tuple[str, str, float, float, str]:
    """Issue 4: a doubling-time fit over 100,000 points, against statistics' regression."""
    import math

    from forecast_ledger.domain.trends import Point, doubling_fit

    rng = random.Random(3)
    start = dt.date(2000, 1, 1)
    points = [Point(start + dt.timedelta(days=i % 9000), 2 ** (i / 5000) + rng.random())
              for i in range(100_000)]
    began = time.perf_counter()
    doubling_fit(points)
    ours = time.perf_counter() - began
    xs = [p.on.toordinal() for p in points]
    ys = [math.log2(p.value) for p in points]
    began = time.perf_counter()
    statistics.linear_regression(xs, ys)
    base = time.perf_counter() - began
    return ("trend fit over 100,000 points", "statistics.linear_regression on the same",
            ours, base, "well under 1 s")


def postgres_import(url: str, export: Path, n: int, due: int, topics: int, tmp: Path,
                    env: dict) -> tuple[str, str, float, float, str]:
    """Issue 14: `ledger import` into PostgreSQL against psql's \\copy of the same rows
    into a table of the same shape."""
    import csv

    plain = url.replace("+psycopg", "")

    def psql(command: str) -> None:
        subprocess.run(["psql", plain, "-q", "-v", "ON_ERROR_STOP=1", "-c", command],
                       check=True, capture_output=True)

    columns = ("id integer primary key, uid varchar(200), key varchar(128), claim text, "
               "claimant varchar(200), made_on date, made_precision varchar(8), deadline date, "
               "deadline_precision varchar(8), deadline_expression text, probability float, "
               "topic varchar(200), criteria text, source_url text, source_title text, "
               "quote text, note text, supersedes integer, trend_claim integer, "
               "target_value float, outcome varchar(10), resolved_on date, evidence text")
    rows = tmp / "rows.csv"
    with open(rows, "w", newline="", encoding="utf-8") as out:
        writer = csv.writer(out)
        for record in synthetic_records(n, due, topics):
            writer.writerow(["" if v is None else v for k, v in record.items() if k != "tags"])
    psql("DROP SCHEMA public CASCADE; CREATE SCHEMA public")
    psql(f"CREATE TABLE p ({columns})")
    start = time.perf_counter()
    psql(f"\\copy p FROM '{rows}' WITH (FORMAT csv)")
    base = time.perf_counter() - start
    psql("DROP SCHEMA public CASCADE; CREATE SCHEMA public")
    ours = run([*LEDGER, "--db", url, "import", str(export)], env=env)
    return (f"import {n:,} predictions into PostgreSQL", "psql \\copy of the same rows",
            ours, base, "bulk (COPY); no target")


# --- the run -----------------------------------------------------------------------------------

def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=1_000_000, help="predictions (default 1e6)")
    parser.add_argument("--out", type=Path, help="write the results as Markdown here")
    parser.add_argument("--postgres", help="a scratch PostgreSQL database (SQLAlchemy URL) "
                        "for the import row; default: $LEDGER_TEST_POSTGRES_URL; its public "
                        "schema is dropped")
    args = parser.parse_args()
    n, due, topics = args.n, max(1, args.n // 100), max(1, args.n // 1000)
    # Byte-compile the package as `pip install` does. With PYTHONDONTWRITEBYTECODE set (as on
    # the CI machines) an editable checkout is compiled from source on every start, 20 ms
    # that an installed copy, and every baseline library, never pays.
    compileall.compile_dir(REPO / "forecast_ledger", quiet=1)
    env = {**os.environ, "LEDGER_TODAY": TODAY}
    results: list[tuple[str, str, float, float, str]] = []

    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        export, plain = tmp / "export.json", tmp / "export.ndjson"
        write_export(export, n, due, topics, plain)
        db = tmp / "big.sqlite"

        ours, mb = peak_mb([*LEDGER, "--db", str(db), "import", str(export)], env=env)
        if sqlite_utils():
            base = baseline_loader(plain, tmp)
            results.append((f"`ledger import`, {n:,} predictions (JSON export)",
                            "sqlite-utils insert --nl of the same predictions", ours, base,
                            "≤ 1.0×"))
        results.append((f"`ledger import`, {n:,} predictions: peak memory", "—", mb, 0.0,
                        "streamed (no target)"))

        def import_orm() -> float:
            return run([PY, "-c", "import sqlalchemy.orm"])

        base = median_of(5, import_orm)
        ours = median_of(5, lambda: run([*LEDGER, "--db", str(db), "due", "--format", "json"],
                                        env=env))
        results.append((f"`ledger due --format json`, {n:,} predictions, {due:,} due",
                        "python -c 'import sqlalchemy.orm'", ours, base, "≤ 1.5×"))

        shipped = REPO / "predictions.sqlite"
        base = median_of(5, import_orm)
        ours = median_of(5, lambda: run([*LEDGER, "--db", str(shipped), "due"], env=env))
        results.append(("`ledger due`, shipped ledger", "python -c 'import sqlalchemy.orm'",
                        ours, base, "≤ 1.3×"))

        base = median_of(5, lambda: run([PY, "-c", "import typer"]))
        ours = median_of(5, lambda: run([*LEDGER, "--help"]))
        results.append(("`ledger --help`", "python -c 'import typer'", ours, base, "≤ 1.5×"))

        if n <= 20_000:  # the small run (CI) checks that both compute the same JSON
            baseline_compression(n, due, topics, check_with=db)
        base = median_of(3, lambda: baseline_compression(n, due, topics))
        ours = median_of(3, lambda: run([*LEDGER, "--db", str(db), "compression", "--format",
                                         "json"], env=env))
        results.append((f"`ledger compression --format json`, {topics:,} topics",
                        "an independent plain-Python loop (benchmarks/baselines.py) over "
                        "the same forecasts in memory", ours, base, "≤ 3×"))

        seconds, mb = peak_mb([*LEDGER, "--db", str(db), "export"])
        results.append((f"`ledger export`, {n:,} predictions: peak memory", "—", mb, 300.0,
                        "< 300 MB"))
        seconds, mb = peak_mb([*LEDGER, "--db", str(db), "list", "--format", "json"], env=env)
        results.append((f"`ledger list --format json`, {n:,} predictions: peak memory", "—",
                        mb, 100.0, "< 100 MB"))

        # Each verify row is the median of three runs: a run takes seconds, and this
        # machine's neighbours move single runs by a fifth.
        base = median_of(3, lambda: baseline_hash(db))
        floor = median_of(3, lambda: reading_events(db))
        results.append((f"floor of verify: read the {n:,} events through the driver, "
                        "hash nothing", "hashlib.sha256 over the same bytes", floor, base,
                        "(a floor, no target)"))
        # A command also starts: the ledger's storage is SQLAlchemy (SPEC), imported by any
        # command that opens a ledger.
        started = median_of(5, lambda: run([PY, "-c", "import sqlalchemy"]))
        halved = median_of(3, lambda: verify_floor(db))
        results.append((f"floor of verify, ideal: hash the {n:,} events, read the rows, check "
                        "the pages, one after the other; halved, plus `python -c 'import "
                        "sqlalchemy'`", "hashlib.sha256 over the same bytes", halved + started,
                        base, "(a floor, no target)"))
        at_once = median_of(3, lambda: verify_floor_at_once(db))
        results.append(("floor of verify, measured: the same three at once on two cores (the "
                        "hashing in Python, SQLite's two in threads), plus the same start-up",
                        "hashlib.sha256 over the same bytes", at_once + started, base,
                        "(a floor, no target)"))
        ours = median_of(3, lambda: run([*LEDGER, "--db", str(db), "verify"], env=env))
        results.append((f"`ledger verify`, {n:,} events", "hashlib.sha256 over the same bytes",
                        ours, base, "≤ 4×"))

        results.append(fit_benchmark())
        results += importer_rows(max(1, n // 10), tmp, env)

        url = args.postgres or os.environ.get("LEDGER_TEST_POSTGRES_URL")
        if url:
            results.append(postgres_import(url, export, n, due, topics, tmp, env))

    report = render(results, n)
    print(report)
    if args.out:
        args.out.write_text(report, encoding="utf-8")


def importer_rows(count: int, tmp: Path, env: dict) -> list[tuple]:
    """Each foreign format imported into a new ledger, against ``sqlite-utils insert`` of
    the same records from newline-delimited JSON into one table: a plain loader a user
    could pick instead (the ledger also validates, hashes and writes the history).
    sqlite-utils is installed in the benchmark's environment only (.ci/run)."""
    import importers

    loader = sqlite_utils()
    if loader is None:
        print("sqlite-utils is not installed: the importer rows are left out", file=sys.stderr)
        return []
    rows = []
    for fmt, (write, name, extra) in importers.FORMATS.items():
        source, plain, db = tmp / name, tmp / f"{fmt}.ndjson", tmp / f"{fmt}.sqlite"
        importers.write_ndjson(plain, write(source, count))
        other = tmp / f"{fmt}-plain.sqlite"

        def baseline(other: Path = other, plain: Path = plain) -> float:
            other.unlink(missing_ok=True)
            return run([loader, "insert", str(other), "predictions", str(plain), "--nl"])

        def ours(db: Path = db, source: Path = source, fmt: str = fmt,
                 extra: tuple = extra) -> float:
            db.unlink(missing_ok=True)
            return run([*LEDGER, "--db", str(db), "import", str(source), "--from", fmt,
                        *extra], env=env)

        base, mine = median_of(3, baseline), median_of(3, ours)
        rows.append((f"`ledger import --from {fmt}`, {count:,} records",
                     "sqlite-utils insert --nl of the same records", mine, base, "≤ 1.5×"))
    return rows


def render(results, n: int) -> str:  # noqa: ANN001
    lines = [
        f"# Benchmark results ({n:,} predictions)",
        "",
        f"- date: {dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC",
        f"- machine: {platform.machine()}, {os.cpu_count()} cores, Python "
        f"{platform.python_version()}, SQLite {sqlite3.sqlite_version}",
        f"- command: `python benchmarks/run.py --n {n}`",
        "",
        "| what | baseline | ours | baseline | ratio | target |",
        "|---|---|---|---|---|---|",
    ]
    for what, baseline, ours, base, target in results:
        if "memory" in what:
            lines.append(f"| {what} | {baseline} | {ours:.0f} MB | — | — | {target} |")
        else:
            lines.append(f"| {what} | {baseline} | {ours:.3f} s | {base:.3f} s | "
                         f"{ours / base:.2f}× | {target} |")
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    main()
