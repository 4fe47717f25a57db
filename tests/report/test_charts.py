"""Charts, checked by structure (the SVG's parts and labels), not by pixels."""

from __future__ import annotations

import os
import shutil
import warnings
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from forecast_ledger import Ledger
from forecast_ledger.report import charts

SVG = "{http://www.w3.org/2000/svg}"
DATA = Path(__file__).parent.parent / "data" / "interop"


def parsed(path: Path) -> tuple[ET.Element, set[str], str]:
    root = ET.parse(path).getroot()
    ids = {e.get("id") for e in root.iter() if e.get("id")}
    text = " ".join("".join(e.itertext()) for e in root.iter(f"{SVG}text"))
    return root, ids, text


def test_compression_chart_of_the_shipped_survey(seeded, tmp_path):
    out = tmp_path / "c.svg"
    assert seeded.ok("chart", "compression", "--topic", "hlmi-expert-survey", "-o",
                     str(out)).stdout == f"wrote {out}\n"
    _, ids, text = parsed(out)
    assert {"diagonal", "drift-line", "convergence", "claimant-0"} <= ids
    assert "hlmi-expert-survey — compressing" in text
    assert "AI Impacts expert survey (ESPAI)" in text  # the legend names the claimant
    assert "converges 2036-04" in text and "drift -1.31 years per year" in text


def test_restatements_are_joined(seeded, tmp_path):
    out = tmp_path / "t.svg"
    seeded.ok("chart", "compression", "--topic", "ai-smarter-than-any-human", "-o", str(out))
    _, ids, _ = parsed(out)
    assert {"restatement-0", "restatement-1"} <= ids


def test_each_claimant_gets_a_marker_style_and_a_legend_entry(seeded, tmp_path):
    out = tmp_path / "d.svg"
    seeded.ok("chart", "compression", "--topic", "driverless-ride-hailing", "-o", str(out))
    root, ids, text = parsed(out)
    assert {"claimant-0", "claimant-1", "claimant-2"} <= ids and "claimant-3" not in ids
    with Ledger.open(str(seeded.db)) as ledger:
        names = {p.claimant for p in ledger.predictions(today=ledger.clock_today(),
                                                         topic="driverless-ride-hailing")}
    assert all(name in text for name in names)
    shapes = {next(e.iter(f"{SVG}use")).get("{http://www.w3.org/1999/xlink}href")
              for e in root.iter() if (e.get("id") or "").startswith("claimant-")}
    assert len(shapes) == 3  # three marker shapes


def test_a_topic_of_hundreds_of_points_stays_readable(cli, tmp_path):
    """The Metaculus import: small markers, one legend entry, the convergence marked."""
    cli.ok("import", str(DATA / "metaculus-5121.json"), "--every", "7d")
    out = tmp_path / "m.svg"
    cli.ok("chart", "compression", "--topic", "metaculus-5121", "-o", str(out))
    root, ids, text = parsed(out)
    assert {"diagonal", "drift-line", "convergence", "claimant-0"} <= ids
    assert "Metaculus community" in text and "metaculus-5121 — compressing" in text
    points = next(e for e in root.iter() if e.get("id") == "claimant-0")
    shown = len(cli.ok("list", "--topic", "metaculus-5121", "--format", "json").json())
    assert len(list(points.iter(f"{SVG}use"))) == shown > 100  # one marker per forecast


def test_calibration_chart(cli, tmp_path):
    cli.ok("import", str(DATA / "fatebook.csv"))
    out = tmp_path / "cal.svg"
    cli.ok("chart", "calibration", "--by", "Ada Lovelace", "-o", str(out))
    _, ids, text = parsed(out)
    assert {"diagonal", "bin-0"} <= ids
    assert "Calibration — Ada Lovelace" in text and "n=" in text
    everyone = tmp_path / "all.svg"
    cli.ok("chart", "calibration", "-o", str(everyone))
    assert "all claimants" in parsed(everyone)[2]


def test_trend_chart_names_time_as_metr_does(seeded, tmp_path):
    out = tmp_path / "metr.svg"
    seeded.ok("chart", "trend", "metr-50pct-horizon", "-o", str(out))
    _, ids, text = parsed(out)
    assert {"observations", "claim-0", "claim-3", "milestone-0"} <= ids
    for tick in ("1 min", "1 hour", "1 day", "1 week", "1 month"):
        assert tick in text
    assert "doubles every 4 months" in text and "milestone at its deadline: pending" in text


@pytest.mark.parametrize("suffix", ["svg", "png"])
def test_the_format_follows_the_suffix(seeded, tmp_path, suffix):
    out = tmp_path / f"c.{suffix}"
    seeded.ok("chart", "compression", "--topic", "hlmi-expert-survey", "-o", str(out))
    magic = b"\x89PNG" if suffix == "png" else b"<?xml"
    assert out.read_bytes().startswith(magic)


@pytest.mark.parametrize("args, match", [
    (["compression", "--topic", "hlmi-expert-survey", "-o", "c.jpg"], "name a .svg or .png"),
    (["compression", "--topic", "no-such-topic", "-o", "c.svg"], "no-such-topic"),
    (["compression", "--topic", "hlmi-expert-survey", "-o", "missing/c.svg"],
     "does not exist"),
    (["trend", "no-such-series", "-o", "t.svg"], "no-such-series"),
    (["calibration", "--by", "Nobody At All", "-o", "c.svg"], "Nobody At All"),
])
def test_bad_chart_requests_are_refused(seeded, tmp_path, monkeypatch, args, match):
    monkeypatch.chdir(tmp_path)
    seeded.refused("chart", *args, match=match)
    assert list(tmp_path.glob("*.svg")) == list(tmp_path.glob("*.jpg")) == []


def test_chinese_text_is_drawn_with_glyphs_not_boxes(sqlite_cli, tmp_path):
    """A PNG with Chinese claimants is drawn without a missing glyph (matplotlib warns
    for each one it has to draw as a box). CI installs a CJK font (fonts-wqy-microhei)."""
    if len(charts.fonts()) == 1:
        if os.environ.get("CI"):
            pytest.fail("CI must have a font with Chinese glyphs (.ci/run installs one)")
        pytest.skip("this machine has no font with Chinese glyphs")
    for made, deadline in (("2020-01-01", "2035"), ("2024-01-01", "2030")):
        sqlite_cli.ok("add", "到2030年，AI将超越人类", "--by", "黄仁勋", "--made", made,
                      "--deadline", deadline, "--topic", "超越人类")
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # "Glyph 40644 missing from font(s) DejaVu Sans"
        sqlite_cli.ok("chart", "compression", "--topic", "超越人类", "-o",
                      str(tmp_path / "zh.png"))
    _, _, text = parsed(_svg(sqlite_cli, tmp_path))
    assert "超越人类" in text and "黄仁勋" in text


def _svg(cli, tmp_path: Path) -> Path:
    out = tmp_path / "zh.svg"
    cli.ok("chart", "compression", "--topic", "超越人类", "-o", str(out))
    return out


def test_charts_are_the_same_every_time(seeded, tmp_path):
    a, b = tmp_path / "a.svg", tmp_path / "b.svg"
    for out in (a, b):
        seeded.ok("chart", "trend", "metr-50pct-horizon", "-o", str(out))
    assert a.read_bytes() == b.read_bytes()


def test_due_and_help_do_not_import_the_chart_libraries(tmp_path):
    import subprocess
    import sys

    shutil.copy(Path(__file__).parents[2] / "predictions.sqlite", tmp_path / "p.sqlite")
    code = ("import sys; from typer.testing import CliRunner; "
            "from forecast_ledger.cli.app import app; "
            f"r = CliRunner().invoke(app, ['--db', {str(tmp_path / 'p.sqlite')!r}, "
            "'--today', '2026-11-29', 'due']); assert r.exit_code == 0, r.output; "
            "CliRunner().invoke(app, ['--help']); "
            "print(sorted(m for m in ('matplotlib', 'jinja2') if m in sys.modules))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.stdout.strip() == "[]", done.stderr
