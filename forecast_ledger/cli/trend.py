"""``ledger trend``: series, observations, trend claims, fits and milestones."""

from pathlib import Path
from typing import Annotated

import typer

from forecast_ledger.cli.context import Format, FormatOption, echo, settings
from forecast_ledger.errors import InputError

trend_app = typer.Typer(help="Series, observations, trend claims, fits and milestones.",
                        no_args_is_help=True)


@trend_app.command("series")
def series_(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(help="A slug, e.g. metr-50pct-horizon.")],
    unit: Annotated[str | None, typer.Option(help="e.g. minutes.")] = None,
    description: Annotated[str | None, typer.Option(help="What is measured.")] = None,
) -> None:
    """Create a series."""
    with settings(ctx).open() as ledger:
        s = ledger.create_series(name, unit=unit, description=description)
    echo(f"series {s.name} created" + (f" (unit {s.unit})" if s.unit else ""))


def _report_resolved(resolved: list) -> None:
    for p in resolved:
        echo(f"milestone #{p.id}" + (f" ({p.key})" if p.key else "") + " reached: resolved yes")


@trend_app.command()
def observe(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(help="Series name.")],
    date: Annotated[str, typer.Argument(help="YYYY-MM-DD.")],
    value: Annotated[str, typer.Argument(help="The measured value (in the series' unit, or "
                                         "with a unit: '2 hours').")],
    label: Annotated[str | None, typer.Option(help="e.g. the model's name.")] = None,
    source: Annotated[str | None, typer.Option(help="Where the value comes from.")] = None,
) -> None:
    """Add one observation; resolves milestones it reaches."""
    from forecast_ledger.domain.dates import parse_day
    from forecast_ledger.domain.trends import Point, format_quantity, parse_quantity

    s = settings(ctx)
    today = s.today()
    day = parse_day(date)
    with s.open() as ledger:
        series, _ = ledger.series_points(name, end=day)
        point = Point(day, parse_quantity(value, series.unit), label)
        result = ledger.observe(name, [point], today=today, source=source)
    what = f"{name} = {format_quantity(point.value)} {series.unit or ''} on {day}".rstrip()
    echo(f"observed {what}" if result.added else
         f"already recorded: {what}" + (f" ({label})" if label else "") + "; nothing added")
    _report_resolved(result.resolved)


@trend_app.command("import")
def import_(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(help="Series name.")],
    file: Annotated[Path, typer.Argument(help="date,value,label CSV or METR results YAML.")],
    fmt: Annotated[str, typer.Option("--format", help="csv or metr.")] = "csv",
    sota_only: Annotated[bool, typer.Option("--sota-only", help="METR: keep only models "
                                            "marked is_sota.")] = False,
    source: Annotated[str | None, typer.Option(help="Source of the file (default: its "
                                               "name).")] = None,
) -> None:
    """Add observations from a file, all or nothing."""
    from forecast_ledger.domain import trends as tr

    if fmt not in ("csv", "metr"):
        raise InputError(f"--format {fmt!r} is not csv or metr")
    try:
        text = file.read_text(encoding="utf-8-sig")  # a BOM is no column name
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"cannot read {file}: {exc}") from None
    try:
        points = tr.read_metr_points(text, sota_only=sota_only) if fmt == "metr" \
            else tr.read_csv_points(text)
    except InputError as exc:
        raise InputError(f"{file.name}: {exc}; nothing was imported") from None
    s = settings(ctx)
    with s.open() as ledger:
        result = ledger.observe(name, points, today=s.today(), source=source or file.name)
    echo(f"imported into {name}: {_count(result.added, 'observation')} added, "
         f"{result.present} already recorded")
    _report_resolved(result.resolved)


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}" + ("" if n == 1 else "s")


@trend_app.command()
def claim(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(help="Series name.")],
    doubling: Annotated[str, typer.Option(help="Doubling time: 7 months, 212 days, 半年.")],
    by: Annotated[str, typer.Option("--by", help="Who claims it.")],
    made: Annotated[str, typer.Option(help="When it was claimed.")],
    anchor_date: Annotated[str | None, typer.Option(help="Date of the starting value "
                                                    "(default: the frontier then).")] = None,
    anchor_value: Annotated[str | None, typer.Option(help="The starting value.")] = None,
    key: Annotated[str | None, typer.Option(help="Unique slug.")] = None,
    source: Annotated[str | None, typer.Option(help="URL or title.")] = None,
    quote: Annotated[str | None, typer.Option(help="The verbatim words.")] = None,
    note: Annotated[str | None, typer.Option(help="Free text.")] = None,
) -> None:
    """Record a trend claim: the series doubles every DURATION."""
    from forecast_ledger.domain.trends import format_quantity

    with settings(ctx).open() as ledger:
        c = ledger.add_trend_claim(name, doubling=doubling, claimant=by, made=made,
                                   anchor_date=anchor_date, anchor_value=anchor_value,
                                   key=key, source=source, quote=quote, note=note)
    echo(f"trend claim #{c.id}" + (f" ({c.key})" if c.key else "") +
         f": {c.series} doubles every {c.doubling_days:.0f} days; anchor "
         f"{format_quantity(c.anchor_value)} on {c.anchor_date}")


def _window(text: str) -> tuple:
    from forecast_ledger.domain.dates import parse_period

    start, sep, end = text.partition(":")
    if not sep:
        raise InputError(f"window {text!r} must be FROM:TO, e.g. 2019-01-01:2024-12-31")
    return (parse_period(start).first if start.strip() else None,
            parse_period(end).last if end.strip() else None)


@trend_app.command()
def fit(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(help="Series name.")],
    start: Annotated[str | None, typer.Option("--from", help="First date.")] = None,
    end: Annotated[str | None, typer.Option("--to", help="Last date.")] = None,
    fmt: FormatOption = Format.table,
) -> None:
    """Doubling time of the observations in a window (log2 least squares)."""
    from forecast_ledger import render

    with settings(ctx).open() as ledger:
        window = ledger.fit(name, *_window(f"{start or ''}:{end or ''}"))
    echo(render.render(render.Fit(window), fmt.value))


@trend_app.command()
def compare(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(help="Series name.")],
    window: Annotated[list[str] | None, typer.Option(help="FROM:TO; give two.")] = None,
    claim: Annotated[list[str] | None, typer.Option(help="A trend claim id or key; give "
                                                    "two.")] = None,
    fmt: FormatOption = Format.table,
) -> None:
    """Doubling times of two windows (or two claims) and their ratio, second / first."""
    from forecast_ledger import render

    with settings(ctx).open() as ledger:
        comparison = ledger.compare(name, windows=[_window(w) for w in window or []],
                                    claims=claim or [])
    echo(render.render(render.Comparison(comparison), fmt.value))


@trend_app.command()
def project(
    ctx: typer.Context,
    claim: Annotated[str, typer.Argument(help="Trend claim id or key.")],
    target: Annotated[str, typer.Option(help="e.g. '8 hours', '1 week', '167 hours'.")],
    key: Annotated[str | None, typer.Option(help="Key for the milestone.")] = None,
) -> None:
    """Record the milestone a trend claim implies: a prediction dated by its projection."""
    with settings(ctx).open() as ledger:
        p = ledger.project(claim, target, key=key)
    echo(f"milestone #{p.id}" + (f" ({p.key})" if p.key else "") +
         f": {p.claim}, projected for {p.deadline.last}" +
         (f"; already reached, resolved yes on {p.resolution.resolved_on}"
          if p.resolution else ""))


@trend_app.command("list")
def list_(ctx: typer.Context, fmt: FormatOption = Format.table) -> None:
    """Series with their numbers of observations and claims."""
    from forecast_ledger import render

    with settings(ctx).open() as ledger:
        found = ledger.all_series()
    echo(render.render(render.SeriesList(found), fmt.value))


@trend_app.command()
def show(ctx: typer.Context, name: Annotated[str, typer.Argument(help="Series name.")],
         fmt: FormatOption = Format.table) -> None:
    """A series with its observations, trend claims and milestones."""
    from forecast_ledger import render

    s = settings(ctx)
    with s.open() as ledger:
        detail = ledger.series_detail(name)
    echo(render.render(render.SeriesDetail(*detail, s.today()), fmt.value))
