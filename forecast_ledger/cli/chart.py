"""``ledger chart`` and ``ledger report``: pictures of the ledger (forecast_ledger/report/)."""

from pathlib import Path
from typing import Annotated

import typer

from forecast_ledger.cli.context import echo, settings

chart_app = typer.Typer(help="Charts as SVG or PNG (the format follows the file's suffix).",
                        no_args_is_help=True)

OutputOption = Annotated[Path, typer.Option("-o", "--output", help="The file to write: "
                                            ".svg or .png.")]


def _write(ctx: typer.Context, output: Path, draw) -> None:  # noqa: ANN001
    """Check ``output``, draw with the ledger open, and write the file whole or not at all."""
    from forecast_ledger.files import check_output, replaced_on_success
    from forecast_ledger.report import chart_format

    fmt = chart_format(output.name)
    s = settings(ctx)
    with s.open() as ledger:
        target = check_output(output, ledger.path)
        data = draw(ledger, s.today(), fmt)
    with replaced_on_success(target) as temporary:
        temporary.write_bytes(data)
    echo(f"wrote {output}")


@chart_app.command()
def compression(
    ctx: typer.Context,
    topic: Annotated[str, typer.Option(help="The topic to draw.")],
    output: OutputOption,
) -> None:
    """Predicted date against the date it was said, with the diagonal, each claimant, the
    drift line and where it meets the diagonal."""
    from forecast_ledger import report

    _write(ctx, output, lambda ledger, today, fmt: report.compression(
        ledger, topic, today=today, fmt=fmt))


@chart_app.command()
def calibration(
    ctx: typer.Context,
    output: OutputOption,
    by: Annotated[str | None, typer.Option("--by", help="Only this claimant.")] = None,
) -> None:
    """Observed frequency against stated probability, with Wilson intervals and counts."""
    from forecast_ledger import report

    _write(ctx, output, lambda ledger, today, fmt: report.calibration(
        ledger, by, today=today, fmt=fmt))


@chart_app.command()
def trend(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(help="Series name.")],
    output: OutputOption,
) -> None:
    """A series on a log axis, its trend claims' lines and its milestones."""
    from forecast_ledger import report

    _write(ctx, output, lambda ledger, today, fmt: report.trend(
        ledger, name, today=today, fmt=fmt))


def report_command(
    ctx: typer.Context,
    output: Annotated[Path, typer.Option("-o", "--output", help="The HTML file to write.")],
) -> None:
    """One self-contained HTML page: what is due, every topic's finding and chart, scores
    and calibration, trends."""
    from forecast_ledger import report
    from forecast_ledger.errors import InputError
    from forecast_ledger.files import check_output, text_output

    if output.suffix.lower() not in (".html", ".htm"):
        raise InputError(f"the report is an HTML page: name a .html file, not {output.name!r}")
    s = settings(ctx)
    with s.open() as ledger:
        target = check_output(output, ledger.path)
        page = report.html(ledger, today=s.today())
    with text_output(target) as out:
        out.write(page)
    echo(f"wrote {output}")
