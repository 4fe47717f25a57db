"""The scanner, the claimants and `ledger extract` end to end."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from forecast_ledger.domain.dates import period_containing
from forecast_ledger.errors import InputError
from forecast_ledger.extract import extract, read_article
from forecast_ledger.extract.horizons import horizons

DATA = Path(__file__).parent.parent / "data" / "extract"
MADE = period_containing(dt.date(2026, 2, 15), "day")


@pytest.mark.parametrize("sentence, expected", [
    ("到2035年，AI的能力将超越人类。", [("到2035年", "2035-12-31")]),
    ("Within the next 12 to 18 months most of the code will be written by AI.",
     [("Within the next 12 to 18 months", "2027-08-15")]),
    ("AGI will arrive by the end of the decade.", [("by the end of the decade", "2029-12-31")]),
    ("他预计今年底、最迟明年就能实现。", [("今年底、最迟明年", "2027-12-31")]),
    ("她认为两三年内就会普及。", [("两三年内", "2029-02-15")]),
    ("He expects it in 6 to 12 months.", [("in 6 to 12 months", "2027-02-15")]),
    ("It could happen by 2030 or 2031.", [("by 2030 or 2031", "2031-12-31")]),
    ("预计2027年中上市。", [("2027年中", "2027-08-31")]),
    # not horizons: past dates, rates, lengths, ages, years as subjects, "two years ago"
    ("In 2016 Hinton said radiologists would be obsolete by 2021.", []),
    ("2025年4月发布的模型将被淘汰。", []),
    ("复杂度大约每半年翻一番,最近可能加速到每四个月。", []),
    ("The hardware costs halve every three years.", []),
    ("2026年将会是疯狂的一年。", []),
    ("我今年25岁。", []),
    ("能独立完成长达一个月的项目", []),
    ("现在重读两年前的那篇文章", []),
    ("甚至可能不需要等到明年", []),
    ("He worked there from 2008 to 2019.", []),
])
def test_horizons_in_sentences(sentence, expected):
    found = [(h.expression, h.deadline.last.isoformat()) for h in horizons(sentence, MADE)]
    assert found == expected


def test_every_form_the_grammar_reads_is_found_in_a_sentence():
    """The scanner is the grammar: each of its example deadlines that lies ahead is found
    whole inside a sentence that predicts."""
    from forecast_ledger.domain.dates import EXAMPLES, resolve_deadline

    missed = []
    for form in EXAMPLES:
        try:
            expected = resolve_deadline(form, MADE).last
        except InputError:
            continue  # lies in the past from this made date
        sentence = f"She expects it {form} at the latest." if form.isascii() else \
            f"她预计{form}实现。"
        found = [h for h in horizons(sentence, MADE) if h.deadline.last == expected]
        if not found:
            missed.append(form)
    assert missed == []


@pytest.mark.parametrize("text, speakers", [
    ("马斯克表示,到2030年AI将超越人类。", ["Elon Musk"]),
    ("黄仁勋周四（22日）称,五年内AI会通过所有测试。", ["Jensen Huang"]),
    ("Maria Chen spoke first. She said robots will be sold by 2028.", ["Maria Chen"]),
    ("The company Helix Labs said it will ship by 2027.", ["Helix Labs"]),
    ("Robots will be sold by 2028, said Tomas Okafor.", ["Tomas Okafor"]),
])
def test_claimants(text, speakers):
    assert [c.claimant for c in extract(text, made=dt.date(2026, 1, 20))] == speakers


def test_a_statement_dated_in_the_text_counts_from_that_day():
    found = extract("PUBLISHED: 2026-01-24\n黄仁勋周四（22日）称,12个月内AI会通过所有测试。")
    assert found[0].made_on.first == dt.date(2026, 1, 22)
    assert found[0].deadline.last == dt.date(2027, 1, 22)


def test_without_any_date_it_asks_for_made():
    """Without a made date a past year cannot be told from a deadline, nor a horizon read."""
    for text in ("He expects it within 12 months.", "He expects it by 2030."):
        with pytest.raises(InputError, match="give the day they were made"):
            extract(text)


def test_html_is_reduced_to_its_text():
    article = read_article((DATA / "fusion-interview.html").read_text(encoding="utf-8"))
    assert article.title == "The long road to fusion power: an interview"
    assert "tracking" not in article.text and "margin" not in article.text
    assert "<Funding> doubles" in article.text


# --- the command --------------------------------------------------------------------------

ARTICLE = str(DATA / "article.txt")


def test_extract_lists_the_articles_claims(seeded):
    out = seeded.ok("extract", ARTICLE, "--made", "2026-02-15").stdout
    for name in ("Ray Kurzweil", "Elon Musk", "Avital Balwit", "Jimmy Ba", "METR"):
        assert name in out
    rows = seeded.ok("extract", ARTICLE, "--made", "2026-02-15", "--format", "json").json()
    assert [(r["claimant"], r["deadline"]) for r in rows][:2] == [
        ("Ray Kurzweil", "2029-12-31"), ("Elon Musk", "2026-12-31")]
    assert rows[0]["horizon"] == "在2029年" and rows[0]["deadline_precision"] == "year"
    csv = seeded.ok("extract", ARTICLE, "--made", "2026-02-15", "--format", "csv").stdout
    assert csv.splitlines()[0].startswith("number,claimant,horizon,deadline")


def test_add_records_the_chosen_candidates_once(cli):
    first = cli.ok("extract", ARTICLE, "--made", "2026-02-15", "--add", "1,5",
                   "--source", "https://example.org/article").stdout
    assert first.count("added: candidate") == 2
    again = cli.ok("extract", ARTICLE, "--made", "2026-02-15", "--add", "5,1",
                   "--source", "https://example.org/article").stdout
    assert again.count("already recorded") == 2
    rows = cli.ok("list", "--format", "json").json()
    assert len(rows) == 2
    kurzweil = next(r for r in rows if r["claimant"] == "Ray Kurzweil")
    assert kurzweil["quote"] == "雷·库兹韦尔,谷歌的未来学家,曾信誓旦旦地预测奇点将在2029年到来。"
    assert kurzweil["deadline"] == "2029-12-31" and kurzweil["made_on"] == "2026-02-15"
    assert kurzweil["source_url"] == "https://example.org/article"
    assert kurzweil["deadline_expression"] == "在2029年"


def test_extract_reads_standard_input(cli):
    text = "PUBLISHED: 2026-01-22\nMaria Chen said robots will be sold within two years.\n"
    rows = cli.ok("extract", "-", "--format", "json", input=text).json()
    assert [(r["claimant"], r["deadline"]) for r in rows] == [("Maria Chen", "2028-01-22")]


@pytest.mark.parametrize("args, match", [
    ([ARTICLE], "give the day they were made (--made)"),
    ([ARTICLE, "--made", "2026-02-15", "--add", "0"], "from 1 to 8"),
    ([ARTICLE, "--made", "2026-02-15", "--add", "1,x"], "from 1 to 8"),
    ([ARTICLE, "--made", "2026-02-15", "--lang", "fr"], "not zh or en"),
    (["missing.txt"], "cannot read missing.txt"),
])
def test_extract_refusals(cli, tmp_path, monkeypatch, args, match):
    monkeypatch.chdir(tmp_path)
    cli.refused("extract", *args, match=match)


def test_a_candidate_without_a_claimant_is_not_added(cli, tmp_path):
    path = tmp_path / "anon.txt"
    path.write_text("PUBLISHED: 2026-01-22\nRobots will be sold within two years.\n",
                    encoding="utf-8")
    cli.refused("extract", str(path), "--add", "1", match="names no claimant")


def test_a_file_that_is_not_utf8_is_refused(cli, tmp_path):
    path = tmp_path / "latin1.txt"
    path.write_bytes("Café will open by 2030.".encode("latin-1"))
    cli.refused("extract", str(path), match="not UTF-8")


def test_a_byte_order_mark_is_not_part_of_the_first_sentence(cli, tmp_path):
    text = "Maria Chen said robots will be sold within two years.\n"
    marked = tmp_path / "marked.txt"
    marked.write_bytes(b"\xef\xbb\xbf" + text.encode())
    for source, given in ((str(marked), None), ("-", "\ufeff" + text)):
        rows = cli.ok("extract", source, "--made", "2026-01-22", "--format", "json",
                      input=given).json()
        assert [r["sentence"] for r in rows] == [text.strip()]
