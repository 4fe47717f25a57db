"""Extraction measured against gold lists: recall and precision of (claimant, deadline)."""

from __future__ import annotations

import datetime as dt
import tomllib
from pathlib import Path

import pytest

from forecast_ledger.extract import extract, read_article

DATA = Path(__file__).parent.parent / "data" / "extract"
GOLD = tomllib.loads((DATA / "gold.toml").read_text(encoding="utf-8"))["text"]
RECALL, PRECISION = 0.9, 0.7


def pairs(items) -> set[tuple[str, int]]:  # noqa: ANN001
    return {(claimant, int(deadline[:4])) for claimant, deadline in items}


def measured(text: dict) -> tuple[float, float, set, set]:
    article = read_article((DATA / text["file"]).read_text(encoding="utf-8"))
    made = dt.date.fromisoformat(text["made"]) if "made" in text else None
    found = extract(article.text, made=made)
    got = pairs((c.claimant or "?", c.deadline.last.isoformat()) for c in found)
    gold = pairs((c["claimant"], c["deadline"]) for c in text["claims"])
    hits = got & gold
    return len(hits) / len(gold), len(hits) / len(got) if got else 0.0, gold - got, got - gold


@pytest.mark.parametrize("text", GOLD, ids=[t["file"] for t in GOLD])
def test_extraction_against_the_gold_list(text, capsys):
    recall, precision, missed, extra = measured(text)
    with capsys.disabled():
        print(f"\n{text['file']}: recall {recall:.2f}, precision {precision:.2f}"
              + (f"; missed {sorted(missed)}" if missed else "")
              + (f"; extra {sorted(extra)}" if extra else ""))
    assert recall >= RECALL and precision >= PRECISION, (missed, extra)


def test_all_texts_together():
    gold_total = sum(len(pairs((c["claimant"], c["deadline"]) for c in t["claims"]))
                     for t in GOLD)
    hits = found = 0
    for text in GOLD:
        recall, precision, missed, extra = measured(text)
        gold = len(pairs((c["claimant"], c["deadline"]) for c in text["claims"]))
        hits += round(recall * gold)
        found += round(recall * gold) + len(extra)
    assert hits / gold_total >= RECALL and hits / found >= PRECISION


def test_each_gold_sentence_is_in_its_text():
    for text in GOLD:
        body = read_article((DATA / text["file"]).read_text(encoding="utf-8")).text
        for claim in text["claims"]:
            assert claim["sentence"] in body, claim["sentence"]
            assert claim["horizon"] in body, claim["horizon"]
