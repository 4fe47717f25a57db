"""The converters alone: foreign file in, our records out (no database)."""

from __future__ import annotations

import copy
import io
import json
from pathlib import Path

import pytest

from forecast_ledger.errors import ImportFileError
from forecast_ledger.interop import detect, records
from forecast_ledger.interop import metaculus as mc

DATA = Path(__file__).parent.parent / "data" / "interop"
METACULUS = DATA / "metaculus-5121.json"


def read(fmt: str, text: str, **options) -> list[dict]:
    return list(records(fmt, io.StringIO(text, newline=""), "file", **options))


def read_file(fmt: str, name: str, **options) -> list[dict]:
    return read(fmt, (DATA / name).read_text(encoding="utf-8"), **options)


# --- Fatebook -------------------------------------------------------------------------------

def test_fatebook_one_prediction_per_forecast():
    rows = read_file("fatebook", "fatebook.csv")
    assert len(rows) == 7
    first = rows[0]
    assert (first["claim"], first["claimant"], first["made_on"], first["deadline"]) == (
        "Will GPT-5 be released before July 2025?", "Ada Lovelace", "2024-03-05", "2025-07-01")
    assert first["probability"] == 0.35 and first["tags"] == ["ai", "releases"]
    assert first["topic"] == first["claim"] and first["note"] == "Counts only a model named GPT-5."
    assert (first["outcome"], first["resolved_on"]) == ("no", "2025-07-02")
    assert first["uid"].startswith("fatebook:") and len({r["uid"] for r in rows}) == 7
    assert rows[3]["claim"].endswith("— OpenAI") and rows[3]["outcome"] is None
    assert [r["outcome"] for r in rows[5:]] == ["yes", "ambiguous"]
    assert "马拉松" in rows[5]["claim"]


def test_fatebook_uids_do_not_depend_on_the_rows_around_them():
    text = (DATA / "fatebook.csv").read_text(encoding="utf-8")
    header, *lines = text.splitlines(keepends=True)
    alone = read("fatebook", header + lines[2])
    assert alone[0]["uid"] == read("fatebook", text)[2]["uid"]


@pytest.mark.parametrize("written, day", [
    ("2024-03-05 14:07:3", "2024-03-05"), ("2024-3-5 4:7:3", "2024-03-05"),
    ("2024-03-05 23:59:59", "2024-03-05"), ("2024-03-05T23:30:00-02:00", "2024-03-06"),
    ("2024-03-05", "2024-03-05"),
])
def test_fatebook_times_unpadded_or_iso(written, day):
    text = (DATA / "fatebook.csv").read_text(encoding="utf-8").replace(
        "2024-03-05 14:07:3", written, 1)
    assert read("fatebook", text)[0]["made_on"] == day


# --- PredictionBook -------------------------------------------------------------------------

def test_predictionbook_one_prediction_per_response_with_a_confidence():
    rows = read_file("predictionbook", "predictionbook.json")
    assert [(r["claimant"], r["probability"]) for r in rows] == [
        ("ada", 0.7), ("gwern", 0.15), ("ada", 0.4), ("ada", 0.05), ("ada", 0.5)]
    assert [r["outcome"] for r in rows] == ["no", "no", "yes", None, "annulled"]
    assert rows[0]["uid"] == "predictionbook:1001:5001"
    assert rows[0]["source_url"] == "https://predictionbook.com/predictions/1001"
    assert rows[2]["resolved_on"] == "2024-12-06" and rows[0]["deadline"] == "2020-12-31"


# --- Manifold --------------------------------------------------------------------------------

def test_manifold_markets():
    rows = read_file("manifold", "manifold.json")
    assert [r["outcome"] for r in rows] == ["no", None, "ambiguous", "annulled"]
    assert all(r["claimant"] == "Manifold market" for r in rows)
    first = rows[0]
    assert first["uid"] == "manifold:xq7Zm0pK1" and first["probability"] == 0.18
    # milliseconds: 1735500000000 is 2024-12-29, the close 1735603200000 is 2024-12-31
    assert (first["made_on"], first["deadline"], first["resolved_on"]) == (
        "2024-12-29", "2024-12-31", "2025-01-01")
    assert rows[3]["made_on"] == "2023-04-01"  # no trades: its creation


# --- Metaculus -------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def question() -> dict:
    return json.loads(METACULUS.read_text(encoding="utf-8"))


def test_metaculus_date_question_samples_a_step_per_quarter_and_the_latest(question):
    rows = list(mc.convert(question, "q.json"))
    assert len(rows) == 20
    assert (rows[0]["made_on"], rows[0]["deadline"]) == ("2020-10-08", "2064-10-14")
    assert (rows[-1]["made_on"], rows[-1]["deadline"]) == ("2025-06-19", "2033-08-27")
    assert rows[0]["note"] == "quartiles 2040-04-09 to 2102-06-07; 1 forecasters"
    assert {r["topic"] for r in rows} == {"metaculus-5121"}
    assert {r["claimant"] for r in rows} == {"Metaculus community"}
    assert all(r["probability"] == 0.5 and r["outcome"] is None for r in rows)
    made = [r["made_on"] for r in rows[:-1]]
    quarters = [(int(m[:4]), (int(m[5:7]) - 1) // 3) for m in made]
    assert len(set(quarters)) == len(quarters)  # one per quarter


def test_metaculus_every(question):
    rows = list(mc.convert(question, "q.json", every_days=365))
    # a step at least 365 days after the last one kept (the history has gaps), and the latest
    assert [r["made_on"] for r in rows] == ["2020-10-08", "2021-11-01", "2022-11-02",
                                            "2023-11-04", "2024-11-06", "2025-06-19"]


def test_a_newer_metaculus_export_keeps_the_earlier_samples(question):
    older = copy.deepcopy(question)
    history = older["question"]["aggregations"]["recency_weighted"]["history"]
    del history[200:]
    old = [r["uid"] for r in mc.convert(older, "q.json")]
    new = {r["uid"] for r in mc.convert(question, "q.json")}
    assert set(old[:-1]) <= new  # only the older file's "latest" is not a quarter's first


@pytest.mark.parametrize("x, expected", [(0.0, "2020-08-25"), (1.0, "2199-12-25"),
                                         (0.5, "2110-04-26")])
def test_metaculus_linear_scaling(question, x, expected):
    assert mc._scaled(question["question"], x, mc.Where("q", "$")).isoformat() == expected


def test_metaculus_logarithmic_scaling():
    # zero point 0: log scale from 1 to 100 (as Unix seconds), so x = 0.5 is 10 seconds
    q = {"scaling": {"range_min": 86400, "range_max": 8640000, "zero_point": 0}}
    day = mc._scaled(q, 0.5, mc.Where("q", "$"))
    assert day.isoformat() == "1970-01-11"  # 864000 s: geometric middle of 1 and 100 days


def test_metaculus_binary_question_and_resolution():
    question = {"id": 1, "question": {
        "id": 1, "type": "binary", "title": "Will it rain?",
        "scheduled_resolve_time": "2025-01-01T00:00:00Z", "resolution": "yes",
        "actual_resolve_time": "2025-01-02T10:00:00Z",
        "aggregations": {"recency_weighted": {"history": [
            {"start_time": 1704067200, "centers": [0.3]},
            {"start_time": 1711929600, "centers": [0.6]}]}}}}
    rows = list(mc.convert(question, "q.json"))
    assert [(r["made_on"], r["probability"], r["outcome"]) for r in rows] == [
        ("2024-01-01", 0.3, "yes"), ("2024-04-01", 0.6, "yes")]
    assert rows[0]["deadline"] == "2025-01-01" and rows[0]["resolved_on"] == "2025-01-02"


@pytest.mark.parametrize("resolved, outcome", [
    ("2064-10-14", "yes"), ("2064-10-15", "no"), ("2030-01-01", "yes"),
    ("above_upper_bound", "no"), ("below_lower_bound", "yes"), ("annulled", "annulled")])
def test_metaculus_resolved_date_question(question, resolved, outcome):
    """Each sample says "by its median date": it came true when the event did by then."""
    q = copy.deepcopy(question)
    q["question"] |= {"resolution": resolved, "actual_resolve_time": "2025-07-01T00:00:00Z"}
    first = next(mc.convert(q, "q.json"))  # median 2064-10-14
    assert first["outcome"] == outcome and first["resolved_on"] == "2025-07-01"


# --- detection ------------------------------------------------------------------------------

@pytest.mark.parametrize("name, fmt", [("fatebook.csv", "fatebook"),
                                       ("predictionbook.json", "predictionbook"),
                                       ("manifold.json", "manifold")])
def test_formats_are_told_from_the_file(name, fmt):
    with (DATA / name).open(encoding="utf-8", newline="") as stream:
        assert detect(stream, name)[0] == fmt
        assert stream.tell() == 0


def test_metaculus_and_ledger_files_are_told_apart():
    with METACULUS.open(encoding="utf-8") as stream:
        assert detect(stream, "q.json")[0] == "metaculus"
    assert detect(io.StringIO('{"format": "forecast-ledger", "version": 2}'), "x")[0] == "ledger"


@pytest.mark.parametrize("text", ['{"what": 1}', "a,b,c\n1,2,3\n", "[]", ""])
def test_an_unknown_file_asks_for_from(text):
    with pytest.raises(ImportFileError, match="say it with --from"):
        detect(io.StringIO(text), "x")


# --- malformed input: refused with the place and what was wrong -------------------------------

FATEBOOK = (DATA / "fatebook.csv").read_text(encoding="utf-8")
PB = json.loads((DATA / "predictionbook.json").read_text(encoding="utf-8"))
MANIFOLD = json.loads((DATA / "manifold.json").read_text(encoding="utf-8"))


def _pb(change) -> str:
    data = copy.deepcopy(PB)
    change(data)
    return json.dumps(data)


def _mf(change) -> str:
    data = copy.deepcopy(MANIFOLD)
    change(data)
    return json.dumps(data)


MALFORMED = [
    ("fatebook", FATEBOOK.replace(",0.35,", ",1.35,", 1), "file:2: ", "between 0 and 1"),
    ("fatebook", FATEBOOK.replace(",0.2,", ",maybe,", 1), "file:3: ", "not a number"),
    ("fatebook", FATEBOOK.replace("2024-09-12 8:0:45", "12/09/2024", 1), "file:3: ",
     "'Forecast created at'"),
    ("fatebook", FATEBOOK.replace('"YES",2025-04-20 18:0:0', '"MAYBE",2025-04-20 18:0:0'),
     "file:7: ", "not YES, NO or AMBIGUOUS"),
    ("fatebook", FATEBOOK.replace('"YES",2025-04-20 18:0:0', '"YES",'), "file:7: ",
     "'Resolved at' is empty"),
    ("fatebook", FATEBOOK.replace("2025-04-20 0:0:0", "2025-02-20 0:0:0"), "file:7: ",
     "before made_on"),
    ("fatebook", FATEBOOK.replace('"Forecast created by",', "", 1), "file:1: ",
     "'Forecast created by'"),
    ("fatebook", FATEBOOK + '"short row",,"x"\n', "file:9: ", "cells where the header has"),
    ("predictionbook", _pb(lambda d: d["predictions"][1]["responses"][0].update(
        confidence=140)), "file:$.predictions[1].responses[0].confidence: ",
     "between 0 and 100"),
    ("predictionbook", _pb(lambda d: d["predictions"][0].update(outcome="yes")),
     "file:$.predictions[0].outcome: ", "not true, false or null"),
    ("predictionbook", _pb(lambda d: d["predictions"][2].pop("deadline")),
     "file:$.predictions[2].deadline: ", "missing"),
    ("predictionbook", _pb(lambda d: d["predictions"][2].update(deadline="soon")),
     "file:$.predictions[2]: ", "not an ISO 8601"),
    ("manifold", _mf(lambda d: d[1].update(outcomeType="MULTIPLE_CHOICE")),
     "file:$[1].outcomeType: ", "'MULTIPLE_CHOICE' markets are not read"),
    ("manifold", _mf(lambda d: d[0].update(resolution="MAYBE")), "file:$[0].resolution: ",
     "not YES, NO, MKT or CANCEL"),
    ("manifold", _mf(lambda d: d[2].update(closeTime="tomorrow")), "file:$[2].closeTime: ",
     "wrong type"),
    ("manifold", _mf(lambda d: d[3].update(probability=None)), "file:$[3].probability: ",
     "missing"),
    ("manifold", "[{", "file:1: ", "not valid JSON"),
]


@pytest.mark.parametrize("fmt, text, place, reason", MALFORMED)
def test_malformed_rows_are_refused_with_their_place(fmt, text, place, reason):
    with pytest.raises(ImportFileError) as caught:
        read(fmt, text)
    message = str(caught.value)
    assert message.startswith(place) and reason in message, message
    assert message.endswith("nothing was imported")
