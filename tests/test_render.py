"""The one output layer: views in three formats, rounding once, escaping for terminals."""

import datetime as dt
import json

import pytest

from forecast_ledger import render
from forecast_ledger.domain.compression import Forecast, topic_report
from forecast_ledger.domain.score import score
from forecast_ledger.domain.trends import DoublingFit, WindowFit

D = dt.date
TODAY = D(2026, 11, 29)


def _report(*pairs):
    return topic_report("t", [Forecast(i, None, "x", made, deadline, "pending")
                              for i, (made, deadline) in enumerate(pairs, start=1)])


@pytest.mark.parametrize(("value", "digits", "sign", "shown"), [
    (None, 2, False, "—"), (0.125, 2, False, "0.12"), (1.0, 1, True, "+1.0"),
    (-0.004, 2, True, "-0.00"), (12.0, 0, False, "12"),
])
def test_number_rounds_for_tables(value, digits, sign, shown):
    assert render.number(value, digits, sign) == shown


def test_json_keeps_full_precision_and_tables_round():
    fit = WindowFit("s", None, None, DoublingFit(11, 212.17641934401215, 0.98049, D(2019, 2, 14),
                                                 D(2025, 2, 25)))
    data = json.loads(render.render(render.Fit(fit), "json"))
    assert data["doubling_days"] == 212.17641934401215 and data["r2"] == 0.98049
    assert render.render(render.Fit(fit), "table") == (
        "s 2019-02-14 to 2025-02-25: doubles every 212.2 days (6.97 months), R² 0.980, "
        "11 points")
    csv = render.render(render.Fit(fit), "csv").splitlines()
    assert csv[0] == "series,from,to,points,doubling_days,doubling_months,r2"


@pytest.mark.parametrize(("pairs", "words"), [
    (((D(2016, 1, 1), D(2061, 12, 31)), (D(2023, 10, 1), D(2047, 12, 31))),
     "moved 14.0 years earlier, 2061 → 2047"),
    (((D(2002, 1, 1), D(2029, 12, 31)), (D(2017, 1, 1), D(2029, 12, 31))),
     "the date held at 2029-12-31"),
    (((D(2024, 4, 8), D(2025, 12, 31)), (D(2026, 1, 22), D(2026, 12, 31))),
     "moved 1.0 years later"),
])
def test_the_finding_sentence(pairs, words):
    assert words in render.finding(_report(*pairs))


def test_a_date_that_recedes_never_converges():
    report = _report((D(2020, 1, 1), D(2021, 1, 1)), (D(2022, 1, 1), D(2023, 1, 1)))
    assert "never converges" in render.finding(report)


def test_compression_view_in_three_formats():
    view = render.Compression([_report((D(2016, 1, 1), D(2061, 12, 31)),
                                       (D(2023, 10, 1), D(2047, 12, 31)))], TODAY)
    data = json.loads(render.render(view, "json"))
    assert data["as_of"] == "2026-11-29" and data["topics"][0]["trend"] == "compressing"
    assert render.render(view, "csv").count("\n") == 2  # header and two predictions
    assert render.render(view, "table").startswith("as of 2026-11-29\n\nt — compressing")
    empty = render.Compression([], TODAY)
    assert render.render(empty, "table") == "as of 2026-11-29: no topic has two or more " \
        "predictions"


def test_score_view_titles_its_calibration_by_the_claimant_asked_for():
    from forecast_ledger.domain.score import Scored

    rows = [Scored("Alice Zhang", 0.8, "yes", D(2025, 1, 1), D(2025, 1, 1)),
            Scored("Alice Zhang", 0.3, "no", D(2025, 1, 1), D(2025, 2, 1))]
    overall, claimants = score(rows, TODAY)
    text = render.render(render.Score(overall, claimants, TODAY, title="Alice Zhang"), "table")
    assert "calibration (Alice Zhang; 90% Wilson interval)" in text


@pytest.mark.parametrize(("text", "shown"), [
    ("plain", "plain"), ("a\x1b[31mb", "a\\x1b[31mb"), ("\x9b2J", "\\x9b2J"),
    ("tab\tand\nnewline", "tab\tand\nnewline"), ("中文", "中文"), (None, None), (5, 5),
])
def test_shown_escapes_control_characters_only(text, shown):
    assert render.shown(text) == shown


def test_cut_counts_wide_characters_double():
    assert render.cut("人工智能将超越人类", 10) == "人工智能…"
    assert render.cut("short", 10) == "short"
