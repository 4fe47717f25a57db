#!/usr/bin/env bash
# Mutation testing of the pure core (forecast_ledger/domain/) and verify
# (forecast_ledger/store/verify.py) with mutmut; prints the kill rate per module.
#
#   bash tools/mutation.sh            # all of them (tens of minutes on two cores)
#   bash tools/mutation.sh 'forecast_ledger.domain.score*'   # one module's mutants
#   MUTATION_POSTGRES_URL=postgresql+psycopg://…/scratch bash tools/mutation.sh
#       # also runs verify's PostgreSQL-only branch (tools/mutation_postgres.py)
#
# Manual, not in CI. mutmut's settings are in pyproject.toml ([tool.mutmut]): which files
# are mutated and which tests judge them. Mutants and results go to mutants/ (ignored by
# git); `.venv/bin/mutmut show NAME` shows one mutant, `.venv/bin/mutmut browse` all.
# Equivalent mutants (no test can tell them apart from the original) are listed, with the
# reason, in tools/equivalent-mutants.txt; the rate leaves them out.
set -euo pipefail
cd "$(dirname "$0")/.."
[ -x .venv/bin/mutmut ] || .venv/bin/pip install -q -e '.[test,mutation]'
unset LEDGER_TEST_POSTGRES_URL  # SQLite only: the domain has no database, verify is the same
export LEDGER_TODAY=2026-11-29
.venv/bin/mutmut run --max-children "${MUTATION_JOBS:-2}" "$@" >/dev/null || true
# verify's branch for other databases: its survivors again, on PostgreSQL when given one
if [ -n "${MUTATION_POSTGRES_URL:-}" ]; then
  LEDGER_TEST_POSTGRES_URL="$MUTATION_POSTGRES_URL" .venv/bin/python tools/mutation_postgres.py
fi
.venv/bin/python tools/mutation_report.py
