"""``--format html``: the page's content and escaping, and the page in a real browser
(headless Chromium over the DevTools protocol, see browser.py): every finding shown,
filters that change what is shown, no request leaving the page, a screenshot that is
not blank, and a printable PDF."""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import pytest
from browser import Chromium, find_chromium, png_pixels
from click.testing import CliRunner
from markupsafe import escape

from ca_advisor.cli import main

REPO = Path(__file__).resolve().parent.parent
HOSTILE_TITLE = '</title><script>window.__pwned = 1</script><img src="https://example.org/x.png" onerror="window.__pwned = 2">'
HOSTILE_REASON = '<b>bold</b> & "quoted" <a href="https://example.org">link</a>'


@pytest.fixture(scope="module")
def pages(tmp_path_factory):
    """The bundled examples plus one proposal with markup in its title, checked as of a
    date that makes evidence stale, with a waiver whose reason holds markup: the page
    and the JSON report of the same run."""
    root = tmp_path_factory.mktemp("html")
    raven = (REPO / "proposals" / "us-uz-2013-raven-uav.yaml").read_text()
    title = re.search(r"^title: .*$", raven, flags=re.M).group(0)
    (root / "hostile.yaml").write_text(
        raven.replace("id: us-uz-2013-raven-uav", "id: hostile-title").replace(title, f"title: {json.dumps(HOSTILE_TITLE)}"))
    (root / "waivers.yaml").write_text(
        f"waivers:\n  - {{proposal: hostile-title, rule: CA203, reason: {json.dumps(HOSTILE_REASON)}, "
        "approved_by: Board}\n")
    args = ["check", str(REPO / "proposals"), str(root / "hostile.yaml"), "--waivers", str(root / "waivers.yaml"),
            "--as-of", "2025-01-01"]
    page = root / "report.html"
    run = CliRunner().invoke(main, [*args, "--format", "html", "--output", str(page)])
    assert run.exit_code == 1 and run.stderr == ""
    report = json.loads(CliRunner().invoke(main, [*args, "--format", "json"]).stdout)
    return page, report


def findings(report: dict) -> list[tuple[dict, dict]]:
    return [(r, f) for r in report["results"] for f in r["findings"]]


def test_every_finding_is_on_the_page_with_its_parts(pages):
    page, report = pages
    text = page.read_text(encoding="utf-8")
    assert text.count('<article class="finding') == len(findings(report)) > 60
    raven = next(r for r in report["results"] if r["proposal_id"] == "us-uz-2013-raven-uav")
    ca203 = next(f for f in raven["findings"] if f["rule_id"] == "CA203")
    for part in (ca203["message"], ca203["reasoning"], ca203["recommendation"], ca203["evidence"][0]["quote"],
                 ca203["evidence"][0]["citation"], ca203["stale"]["message"]):
        assert escape(part) in text, part


def test_the_page_is_self_contained(pages):
    text = pages[0].read_text(encoding="utf-8")
    assert "default-src 'none'" in text
    # no reference to anything outside the page: only in-page anchors
    assert re.findall(r'(?:src|href)="(?!#)[^"]*"', text) == []
    assert "<link" not in text and "@import" not in text and "url(" not in text


def test_everything_from_a_proposal_or_waiver_is_escaped(pages):
    text = pages[0].read_text(encoding="utf-8")
    assert HOSTILE_TITLE not in text and HOSTILE_REASON not in text
    assert escape(HOSTILE_TITLE) in text
    assert f"Waived: {escape(HOSTILE_REASON)} (approved by Board)" in text
    assert text.count("<script>") == 1  # the page's own


def test_summary_matrix_and_timeline(pages):
    text = pages[0].read_text(encoding="utf-8")
    row = re.search(r'<a href="#proposal-\d+">us-uz-2013-termez-base</a>.*?</tr>', text, flags=re.S).group(0)
    assert re.findall(r'<td class="num [a-z]+">(\d+)</td>', row) == ["1", "0", "1", "0", "2", "0"]
    assert ('data-proposal="us-uz-2013-termez-base" data-rule="CA401"\n'
            '            title="us-uz-2013-termez-base: 1 CA401 finding(s), worst error">1</button>') in text
    assert "uzbekistan foreign_military_bases = banned" in text
    assert 'class="evidence-mark"' in text


# --- in a real browser ------------------------------------------------------------

@pytest.fixture(scope="module")
def browser(pages, tmp_path_factory):
    binary = find_chromium()
    if binary is None:
        if os.environ.get("CA_ADVISOR_REQUIRE_BROWSER"):  # set by .ci/run, which installs Chromium
            pytest.fail("CA_ADVISOR_REQUIRE_BROWSER is set but no Chromium was found")
        pytest.skip("no Chromium found: install the 'chromium' package (apt-get install -y chromium; "
                    ".ci/run does) or name the browser in CA_ADVISOR_BROWSER")
    chromium = Chromium(binary, tmp_path_factory.mktemp("chromium-profile"))
    try:
        chromium.page("Network.enable")
        chromium.page("Page.enable")
        chromium.page("Emulation.setDeviceMetricsOverride", width=1200, height=900, deviceScaleFactor=1,
                      mobile=False)
        chromium.page("Page.navigate", url=pages[0].as_uri())
        chromium.wait_for("Page.loadEventFired")
        yield chromium
    finally:
        chromium.close()


VISIBLE = "Array.from(document.querySelectorAll('article.finding')).filter(a => !a.hidden && a.offsetParent)"


def shown(browser) -> list[str]:
    """The findings a reader sees: proposal and rule of each."""
    return browser.evaluate(f"{VISIBLE}.map(a => a.dataset.proposal + ' ' + a.dataset.rule)")


def choose(browser, **filters) -> None:
    browser.evaluate("document.getElementById('filter-reset').click()")
    for key, value in filters.items():
        browser.evaluate(f"(() => {{ const s = document.getElementById('filter-{key}'); s.value = {json.dumps(value)};"
                         " s.dispatchEvent(new Event('change')); })()")


def test_the_browser_shows_every_finding(browser, pages):
    all_findings = findings(pages[1])
    assert len(shown(browser)) == len(all_findings)
    assert browser.evaluate("document.getElementById('shown').textContent") == \
        f"{len(all_findings)} of {len(all_findings)} findings shown"


@pytest.mark.parametrize("filters,keep", [
    ({"severity": "error"}, lambda r, f: f["severity"] == "error" and not f["waived"]),
    ({"severity": "waived"}, lambda r, f: f["waived"] is not None),
    ({"rule": "CA302"}, lambda r, f: f["rule_id"] == "CA302"),
    ({"proposal": "us-uz-2013-termez-base"}, lambda r, f: r["proposal_id"] == "us-uz-2013-termez-base"),
    ({"country": "kyrgyzstan"}, lambda r, f: "kyrgyzstan" in r["recipients"]
     or any(x["country"] == "kyrgyzstan" for x in f["facts_used"])),
    ({"country": "uzbekistan", "severity": "warning"},
     lambda r, f: f["severity"] == "warning" and not f["waived"]
     and ("uzbekistan" in r["recipients"] or any(x["country"] == "uzbekistan" for x in f["facts_used"]))),
])
def test_filters_change_what_is_shown(browser, pages, filters, keep):
    choose(browser, **filters)
    expected = sorted(f"{r['proposal_id']} {f['rule_id']}" for r, f in findings(pages[1]) if keep(r, f))
    assert 0 < len(expected) < len(findings(pages[1]))
    assert sorted(shown(browser)) == expected
    assert browser.evaluate("document.getElementById('shown').textContent").startswith(f"{len(expected)} of ")


def test_a_matrix_cell_shows_its_findings(browser):
    browser.evaluate("document.querySelector('.matrix button[data-proposal=\"us-uz-2013-termez-base\"]"
                     "[data-rule=\"CA401\"]').click()")
    assert shown(browser) == ["us-uz-2013-termez-base CA401"]


def test_nothing_on_the_page_ran_or_asked_for_anything(browser, pages):
    assert browser.evaluate("typeof window.__pwned") == "undefined"
    assert browser.evaluate("document.scripts.length") == 1
    requests = [e["params"]["request"]["url"] for e in browser.events
                if e.get("method") == "Network.requestWillBeSent"]
    assert requests == [pages[0].as_uri()]


def test_a_screenshot_is_not_blank(browser):
    choose(browser)
    width, height, pixels = png_pixels(browser.screenshot())
    assert (width, height) == (1200, 900)
    assert len(set(pixels)) > 32  # a blank page is a handful of values (filter bytes, one colour)


def test_it_prints(browser):
    import base64
    pdf = base64.b64decode(browser.page("Page.printToPDF", printBackground=True)["data"])
    assert pdf.startswith(b"%PDF-")
    assert len(re.findall(rb"/Type\s*/Page[^s]", pdf)) > 5  # every finding, reasoning open, over many pages


def test_the_page_names_rule_packs_and_labels_their_sources(tmp_path):
    kg_2015 = REPO / "packs" / "public-record-2014" / "proposals" / "us-kg-2015-airfield-access.yaml"
    page = CliRunner().invoke(main, ["check", str(kg_2015), "--pack", "public-record-2014", "--format", "html"]).stdout
    assert "; rule packs: public-record-2014 1.0.0 (shipped with ca-advisor).</p>" in page
    assert "<cite>Public record: the United" in page and "(public-record)</cite>" in page
    assert ('kyrgyzstan us_transit_center = closed</span> since 2014-06-03 <span class="muted">(Public record: the '
            'United States hands over the Transit Center at Manas (3 June 2014); public-record)</span>') in page
