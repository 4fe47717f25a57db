"""`ledger report`: one self-contained page, escaped, and opened in a real browser."""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

import pytest

DATA = Path(__file__).parent.parent / "data" / "interop"
HOSTILE = '<script>window.pwned = 1</script><img src=x onerror="window.pwned = 2">'


def make_report(cli, tmp_path: Path) -> str:
    out = tmp_path / "report.html"
    assert cli.ok("report", "-o", str(out)).stdout == f"wrote {out}\n"
    return out.read_text(encoding="utf-8")


def test_the_report_of_the_shipped_ledger(seeded, tmp_path):
    page = make_report(seeded, tmp_path)
    for heading in ("Due: past the deadline", "Compression: how forecasts", "Scores and "
                    "calibration", "Trends"):
        assert heading in page
    table = seeded.ok("compression", "--topic", "hlmi-expert-survey").stdout
    finding = table.split("hlmi-expert-survey — ", 1)[1].split("\n", 1)[0]
    trend, sentence = finding.split(": ", 1)
    assert f'<p class="finding"><strong>{trend}</strong>: {sentence}</p>' in page
    topics = len(seeded.ok("compression", "--format", "json").json()["topics"])
    series = len(seeded.ok("trend", "list", "--format", "json").json())
    assert page.count("<svg") == topics + 1 + series  # every topic, calibration, series
    assert len(set(re.findall(r'id="([^"]+)"', page))) == len(re.findall(r'id="', page))
    # self-contained: nothing is fetched from anywhere
    assert not re.search(r'(src|href)="(https?:)?//', page)
    assert "<script" not in page


def test_stored_text_is_shown_as_text(cli, tmp_path):
    for made in ("2020-01-01", "2022-01-01"):
        cli.ok("add", HOSTILE, "--by", HOSTILE, "--made", made, "--deadline", "2025",
               "--topic", HOSTILE)
    page = make_report(cli, tmp_path)
    assert "<script" not in page and "<img" not in page
    assert "&lt;script&gt;window.pwned = 1&lt;/script&gt;" in page


def test_the_report_after_a_metaculus_import(cli, tmp_path):
    cli.ok("import", str(DATA / "metaculus-5121.json"))
    page = make_report(cli, tmp_path)
    assert "<h3>metaculus-5121</h3>" in page and "2064 → 2033" in page


def test_the_report_must_be_an_html_file(seeded, tmp_path):
    seeded.refused("report", "-o", str(tmp_path / "report.pdf"), match="name a .html file")


CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")


def test_the_report_opens_in_a_real_browser(sqlite_seeded, tmp_path):
    """Headless Chromium opens the page from a file:// URL: no console error, no request
    leaves the machine, no stored text runs, the charts are drawn, and the screenshot is
    not blank."""
    if CHROMIUM is None:
        if os.environ.get("CI"):
            pytest.fail("CI must have Chromium (.ci/run installs Debian's chromium)")
        pytest.skip("no chromium on this machine")
    playwright = pytest.importorskip("playwright.sync_api")
    for made in ("2020-01-01", "2022-01-01"):
        sqlite_seeded.ok("add", HOSTILE, "--by", "Mallory", "--made", made, "--deadline",
                         "2025", "--topic", "hostile")
    make_report(sqlite_seeded, tmp_path)
    errors: list[str] = []
    requests: list[str] = []
    with playwright.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.on("request", lambda r: requests.append(r.url))
        page.goto((tmp_path / "report.html").as_uri())
        page.wait_for_load_state("load")
        assert page.evaluate("window.pwned") is None
        body = page.inner_text("body")
        assert "<script>window.pwned = 1</script>" in body  # shown, as text
        assert page.locator("svg").count() >= 3
        box = page.locator("section.topic svg").first.bounding_box()
        assert box is not None and box["width"] > 300 and box["height"] > 200
        shot = tmp_path / "report.png"
        page.screenshot(path=str(shot), full_page=False)
        browser.close()
    assert errors == []
    assert all(url.startswith("file://") for url in requests), requests
    from PIL import Image

    image = Image.open(shot).convert("L")
    low, high = image.getextrema()
    assert high - low > 100  # text and lines on a white page, not one flat colour
    assert len(image.getcolors(maxcolors=256) or []) > 20
