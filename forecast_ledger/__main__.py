"""`python -m forecast_ledger` runs the `ledger` command."""

from forecast_ledger.cli import main

main()
