"""Compression figures on hand-worked examples (SPEC section 5)."""

import datetime as dt

import pytest

from forecast_ledger.domain.compression import Forecast, classify, compression_report, topic_report

D = dt.date


def forecasts(*pairs):
    return [Forecast(i, None, "x", made, deadline, "pending")
            for i, (made, deadline) in enumerate(pairs, start=1)]


def test_compressing_expert_survey_shape():
    # 2061 asked in 2016, 2047 asked in 2023: the date moved 14 years earlier in 7.
    r = topic_report("t", forecasts((D(2016, 1, 1), D(2061, 1, 1)), (D(2023, 1, 1), D(2047, 1, 1))))
    assert r.drift == pytest.approx(-2.0)
    assert r.trend == "compressing"
    # d = 2061 - 2(m - 2016) meets d = m at m = 2031.0
    assert r.convergence_date == D(2031, 1, 1)
    assert r.steps[1].pull_in_years == pytest.approx((D(2061, 1, 1) - D(2047, 1, 1)).days / 365.25)
    assert r.steps[0].pull_in_years is None


def test_holding_kurzweil_shape():
    r = topic_report("t", forecasts((D(2002, 1, 1), D(2029, 12, 31)),
                                    (D(2005, 1, 1), D(2029, 12, 31)),
                                    (D(2017, 3, 1), D(2029, 12, 31))))
    assert r.drift == pytest.approx(0.0, abs=1e-12)
    assert r.trend == "holding"
    assert r.convergence_date == D(2029, 12, 31)  # holding topics converge on their date
    assert r.steps[0].lead_years == pytest.approx(10226 / 365.25)
    assert r.steps[2].lead_years == pytest.approx(4688 / 365.25)
    assert r.lead_ratio == pytest.approx(4688 / 10226)
    assert r.lead_halving_years is not None and r.lead_halving_years > 0


def test_slipping():
    r = topic_report("t", forecasts((D(2020, 1, 1), D(2030, 1, 1)), (D(2022, 1, 1), D(2031, 1, 1))))
    assert r.drift == pytest.approx(0.5)
    assert r.trend == "slipping"
    assert r.convergence_date == D(2040, 1, 1)


def test_receding_never_converges():
    r = topic_report("t", forecasts((D(2024, 1, 1), D(2025, 1, 1)), (D(2026, 1, 1), D(2027, 1, 1))))
    assert r.drift == pytest.approx(1.0, abs=1e-3)
    assert r.trend == "receding"
    assert r.convergence_date is None
    assert r.lead_ratio == pytest.approx(365 / 366)
    assert r.drift >= 1 and r.convergence_date is None  # render: "never converges"


def test_lead_halving_time():
    # lead 8 years asked 2016, 4 years asked 2018: lead halves every 2 years.
    r = topic_report("t", forecasts((D(2016, 1, 1), D(2024, 1, 1)), (D(2018, 1, 1), D(2022, 1, 1))))
    assert [s.lead_years for s in r.steps] == [8.0, 4.0]
    assert r.lead_halving_years == pytest.approx(2.0)
    assert r.drift == pytest.approx(-1.0)
    assert r.convergence_date == D(2020, 1, 1)


def test_lead_growing_has_no_halving_time():
    r = topic_report("t", forecasts((D(2020, 1, 1), D(2021, 1, 1)), (D(2021, 1, 1), D(2030, 1, 1))))
    assert r.lead_halving_years is None


@pytest.mark.parametrize(("drift", "word"), [(-0.1, "compressing"), (-0.0999, "holding"),
                                             (0.0999, "holding"), (0.1, "slipping"),
                                             (0.8999, "slipping"), (0.9, "receding"),
                                             (None, None)])
def test_thresholds(drift, word):
    assert classify(drift) == word


def test_one_prediction_is_no_topic_and_same_day_has_no_fit():
    single = [("a", f) for f in forecasts((D(2020, 1, 1), D(2030, 1, 1)))]
    same_day = [("b", f) for f in forecasts((D(2020, 1, 1), D(2030, 1, 1)),
                                            (D(2020, 1, 1), D(2025, 1, 1)))]
    [report] = compression_report(single + same_day)
    assert report.topic == "b"
    assert report.drift is None and report.trend is None
    assert report.convergence_date is None and report.lead_halving_years is None
    assert report.lead_ratio == pytest.approx((D(2025, 1, 1) - D(2020, 1, 1)).days /
                                              (D(2030, 1, 1) - D(2020, 1, 1)).days)


def test_two_thousand_predictions():
    start = D(2000, 1, 1)
    many = forecasts(*[(start + dt.timedelta(days=3 * i), D(2040, 6, 30)) for i in range(2000)])
    r = topic_report("big", reversed(many))  # order of input does not matter
    assert len(r.steps) == 2000
    assert [s.forecast.id for s in r.steps] == list(range(1, 2001))
    assert r.trend == "holding" and abs(r.drift) < 1e-9
    assert r.convergence_date == D(2040, 6, 30)
