"""Run verify's surviving mutants again with the PostgreSQL half of its tests.

    LEDGER_TEST_POSTGRES_URL=postgresql+psycopg://…/scratch python tools/mutation_postgres.py

tools/mutation.sh runs on SQLite, where the branch of ``verify_connection`` that only other
databases take never runs: its mutants survive there. This runs each surviving mutant of
that function against verify's tests on PostgreSQL, one at a time (they share one scratch
database), and records a kill in mutmut's results, as mutmut would.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
META = ROOT / "mutants" / "forecast_ledger" / "store" / "verify.py.meta"
FUNCTION = "forecast_ledger.store.verify.x_verify_connection__mutmut_"
TESTS = ["tests/store/test_verify.py", "tests/store/test_verify_boundaries.py"]


def main() -> int:
    if not os.environ.get("LEDGER_TEST_POSTGRES_URL"):
        print("set LEDGER_TEST_POSTGRES_URL to a scratch PostgreSQL database")
        return 2
    data = json.loads(META.read_text())
    survivors = [name for name, code in data["exit_code_by_key"].items()
                 if name.startswith(FUNCTION) and code == 0]
    for name in survivors:
        env = {**os.environ, "MUTANT_UNDER_TEST": name, "LEDGER_TODAY": "2026-11-29"}
        code = subprocess.run([sys.executable, "-m", "pytest", "-q", "-x", "-p",
                               "no:cacheprovider", "-k", "postgres", *TESTS],
                              cwd=ROOT / "mutants", env=env, capture_output=True).returncode
        print(f"{name}: {'killed' if code else 'survived'} on PostgreSQL")
        data["exit_code_by_key"][name] = code
    META.write_text(json.dumps(data))
    return 0


if __name__ == "__main__":
    sys.exit(main())
