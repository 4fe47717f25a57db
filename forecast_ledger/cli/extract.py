"""``ledger extract``: dated claims read out of an article (forecast_ledger/extract/)."""

import sys
from pathlib import Path
from typing import Annotated

import typer

from forecast_ledger.cli.context import Format, FormatOption, echo, settings
from forecast_ledger.errors import InputError


def extract_command(
    ctx: typer.Context,
    file: Annotated[str, typer.Argument(help="A UTF-8 text or HTML file ('-': standard "
                                        "input).")],
    made: Annotated[str | None, typer.Option(help="The day the article's statements were "
                                             "made (default: the article's date line). "
                                             "Statements the text dates itself keep their "
                                             "dates.")] = None,
    source: Annotated[str | None, typer.Option(help="Where the text is from: a URL, or a "
                                               "title (default: the file's title).")] = None,
    lang: Annotated[str | None, typer.Option(help="zh or en: read only that language's "
                                             "cue words (default: both).")] = None,
    add: Annotated[str | None, typer.Option(help="Record these candidates, e.g. 1,3 "
                                            "(the sentence becomes the quote).")] = None,
    fmt: FormatOption = Format.table,
) -> None:
    """List the dated predictions an article makes: sentence, claimant, horizon, deadline."""
    from forecast_ledger import render
    from forecast_ledger.domain.dates import parse_day
    from forecast_ledger.extract import extract, read_article

    if lang not in (None, "zh", "en"):
        raise InputError(f"--lang {lang!r} is not zh or en")
    article = read_article(_read(file))
    s = settings(ctx)
    day = parse_day(made) if made else None
    with s.open() as ledger:
        candidates = extract(article.text, made=day, known=ledger.claimants(),
                             topics=ledger.topics(), lang=lang)
        if add is None:
            echo(render.render(render.Extracted(candidates), fmt.value))
            return
        chosen = _chosen(add, len(candidates))
        for number in chosen:  # all or nothing: check every one before recording any
            if candidates[number - 1].claimant is None:
                raise InputError(f"candidate {number} names no claimant: record it with "
                                 "'ledger add … --by WHO'")
        results = [_record(ledger, candidates[n - 1], source, article.title) for n in chosen]
    for number, (prediction, added) in zip(chosen, results, strict=True):
        echo(f"{'added' if added else 'already recorded'}: candidate {number} as "
             f"#{prediction.id} ({prediction.key}), {prediction.claimant}, deadline "
             f"{prediction.deadline.last}")


def _read(file: str) -> str:
    try:
        if file == "-":
            return sys.stdin.buffer.read().decode("utf-8-sig")
        return Path(file).read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError:
        raise InputError(f"{file} is not UTF-8 text") from None
    except OSError as exc:
        raise InputError(f"cannot read {file}: {exc.strerror}") from None


def _chosen(text: str, count: int) -> list[int]:
    numbers = []
    for part in text.split(","):
        if not part.strip().isdigit() or not 1 <= int(part) <= count:
            raise InputError(f"--add {text!r}: give candidate numbers from 1 to {count}, "
                             "separated by commas")
        numbers.append(int(part))
    return list(dict.fromkeys(numbers))


def _record(ledger, candidate, source: str | None, title: str | None):  # noqa: ANN001, ANN202
    from forecast_ledger.domain.records import Prediction, source_fields
    from forecast_ledger.interop.common import stable_id

    url, source_title = source_fields(source, None) if source else (None, title)
    prediction = Prediction(
        claim=candidate.sentence, claimant=candidate.claimant, made_on=candidate.made_on,
        deadline=candidate.deadline, deadline_expression=candidate.horizon,
        uid="extract:" + stable_id(url or source_title, candidate.sentence, candidate.horizon),
        topic=candidate.topic, quote=candidate.sentence, source_url=url,
        source_title=source_title)
    return ledger.add_once(prediction)
