"""What every command shares: the settings built from the global options, output formats."""

from __future__ import annotations

import datetime as dt
import sys
from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING, Annotated

import typer

if TYPE_CHECKING:
    from forecast_ledger.store.ledger import Ledger


class Format(StrEnum):
    table = "table"
    json = "json"
    csv = "csv"


FormatOption = Annotated[Format, typer.Option("--format", help="table (for people), json or csv "
                                              "(for scripts; stable keys).")]


@dataclass
class Settings:
    """What every command needs, built once from the global options (the context object)."""

    db: str
    today_text: str | None

    def today(self) -> dt.date:
        """--today, else LEDGER_TODAY, else the system clock (read here, at the edge)."""
        if self.today_text:
            from forecast_ledger.domain.dates import parse_day

            return parse_day(self.today_text)
        from forecast_ledger.clock import system_today

        return system_today()

    def open(self, *, create: bool = False) -> Ledger:
        from forecast_ledger.store.ledger import Ledger

        return Ledger.open(self.db, create=create)


def settings(ctx: typer.Context) -> Settings:
    return ctx.find_object(Settings)  # type: ignore[return-value]


def echo(text: str) -> None:
    """Print a command's output. Not typer.echo: on a pipe it scans the whole text for
    terminal colour codes to strip, which took 12 s on a 1,000,000-prediction report, and
    we print none."""
    sys.stdout.write(text)
    sys.stdout.write("\n")


