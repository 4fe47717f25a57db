"""The command line (typer). Commands live in app.py and trend.py."""

from forecast_ledger.cli.app import app, main

__all__ = ["app", "main"]
