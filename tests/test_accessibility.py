"""WCAG 2.1 A/AA in the built book, as an accessibility office audits it: axe-core's rules on every
page, light and dark, at 1280 px and at 320 px (reflow), with zero violations, theme included; and
every explorer operated with the keyboard alone, its description following each state.

axe-core comes from the npm registry into .ci/node_modules (``.ci/run``), nothing from a CDN; the
tests skip without it outside CI and fail in CI. The browser and the site are test_browser's.
"""

import os
from pathlib import Path

import pytest
from conftest import ROOT
from local_site import open_page, wait_for_typesetting
from test_browser import browser, pages, site  # noqa: F401  (fixtures)

from nnmath.explore.static import PICTURE_ALT

AXE = ROOT / ".ci" / "node_modules" / "axe-core" / "axe.min.js"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
WIDTHS = (320, 1280)
SCHEMES = ("light", "dark")

# Chapters whose explorers get their describe= from another helper's branch: until it is merged
# their descriptions do not follow the state, and the keyboard test expects that failure there.
DESCRIBED_ELSEWHERE: set[str] = set()  # every chapter's explorers and figures are described


@pytest.fixture(scope="module")
def axe_source():
    if not AXE.is_file():
        if os.environ.get("CI"):
            pytest.fail(f"{AXE} not found (required in CI: .ci/run installs it)")
        pytest.skip(f"{AXE} not found (npm install --prefix .ci axe-core)")
    return AXE.read_text(encoding="utf-8")


AXE_RUN = """tags => { window.__axe = null;
    axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})
       .then(r => { window.__axe = r.violations.map(v => [v.id, v.nodes.map(n => [n.target.join(' '),
                                                                                  n.failureSummary])]); }); }"""


def start_axe(tab, axe_source):
    """Start axe-core's WCAG 2.1 A/AA rules on the open page, without waiting for them."""
    if not tab.evaluate("() => typeof axe !== 'undefined'"):
        tab.add_script_tag(content=axe_source)
    tab.evaluate(AXE_RUN, WCAG_TAGS)


def axe_result(tab):
    """The violations found by ``start_axe``: ``{rule: [(target, summary)...]}``."""
    tab.wait_for_function("() => window.__axe !== null", timeout=120_000)
    return {rule: nodes for rule, nodes in tab.evaluate("() => window.__axe")}


SETTLED = """() => !document.getAnimations().some(
    a => a instanceof CSSTransition && a.playState === 'running')"""


def audit_both_schemes(tab, axe_source):
    """axe's violations on the open page in each colour scheme, switched in place (the theme
    follows the reader's scheme): ``{scheme: {rule: nodes}}`` of the audits that found something."""
    found = {}
    for scheme in SCHEMES:
        tab.emulate_media(color_scheme=scheme)
        tab.wait_for_function(
            "scheme => document.documentElement.dataset.theme === scheme", arg=scheme
        )
        # and the theme's colour transitions have settled: axe reads colours mid-fade else
        tab.wait_for_timeout(50)
        tab.wait_for_function(SETTLED)
        start_axe(tab, axe_source)
        violations = axe_result(tab)
        if violations:
            found[scheme] = violations
    return found


@pytest.fixture(scope="module")
def audits(browser, site, axe_source):  # noqa: F811
    """Every page loaded once, at 320 px as a phone loads it, then widened to 1280 px; at each
    width axe's violations in both schemes and the equations' tab stops. Returns
    ``(violations, tab_stops)``: ``{"page scheme widthpx": {rule: nodes}}`` and
    ``{"page widthpx": {"stops": n, "unreachable": n}}``, each holding only what was found."""
    html_dir, base = site
    violations, tab_stops = {}, {}
    # the root index.html is only a redirect to book/intro.html (audited itself): axe, run while
    # it navigates, saw the theme half-loaded; the root page is read by its own test instead
    for page in pages(html_dir):
        if page == "index.html":
            continue
        context, tab, _, _ = open_page(browser, base, page, SCHEMES[0], viewport=(WIDTHS[0], 900))
        try:
            wait_for_typesetting(tab)
            for width in WIDTHS:
                if width != WIDTHS[0]:
                    tab.set_viewport_size({"width": width, "height": 900})
                    # the theme looks again at which outputs and tables scroll 300 ms after a resize
                    tab.wait_for_timeout(400)
                else:
                    tab.wait_for_timeout(100)
                stops = tab.evaluate(EQUATION_TAB_STOPS)
                if stops["stops"] or stops["unreachable"]:
                    tab_stops[f"{page} {width}px"] = stops
                for scheme, found in audit_both_schemes(tab, axe_source).items():
                    violations[f"{page} {scheme} {width}px"] = {
                        rule: nodes[:3] for rule, nodes in found.items()
                    }
        finally:
            context.close()
    return violations, tab_stops


def test_axe_finds_no_wcag_violation_on_any_page(audits):
    violations, _ = audits
    assert not violations, violations


def test_the_root_page_has_a_title_and_a_language(site):  # noqa: F811
    """The root index.html only redirects, so axe never sees it: read it instead."""
    html_dir, _ = site
    text = (html_dir / "index.html").read_text()
    assert '<html lang="en">' in text and "<title>How neural networks learn</title>" in text, text[
        :300
    ]
    assert 'http-equiv="Refresh" content="0; url=book/intro.html"' in text


# -- keyboard ------------------------------------------------------------------------------------
FOCUSED = """() => { const e = document.activeElement;
    return {tag: e.tagName, type: e.type || '', control: e.dataset ? e.dataset.control || '' : '',
            play: e.classList.contains('nnx-play'), inside: !!e.closest('#' + CSS.escape(ID))}; }"""


def description(tab, explorer_id):
    return tab.evaluate(
        "id => document.getElementById(id).querySelector('.nnx-description').textContent",
        explorer_id,
    )


def tab_stops(tab, explorer_id):
    """Focus the explorer's figure, then Tab through it: the focused elements, in order."""
    tab.evaluate(
        "id => { const f = document.getElementById(id); f.tabIndex = -1; f.focus(); }", explorer_id
    )
    stops = []
    for _ in range(20):
        tab.keyboard.press("Tab")
        now = tab.evaluate(FOCUSED.replace("ID", repr(explorer_id)))
        if not now["inside"]:
            break
        stops.append(now)
    tab.evaluate("id => document.getElementById(id).removeAttribute('tabindex')", explorer_id)
    return stops


def operate(tab, explorer_id, stop_index, keys):
    """Tab to the explorer's ``stop_index``-th tab stop and press ``keys``; the description after."""
    tab.evaluate(
        "id => { const f = document.getElementById(id); f.tabIndex = -1; f.focus(); }", explorer_id
    )
    for _ in range(stop_index + 1):
        tab.keyboard.press("Tab")
    for key in keys:
        tab.keyboard.press(key)
    return description(tab, explorer_id)


def check_explorer_by_keyboard(tab, explorer_id):
    """Every control reached with Tab and operated with arrows, Space and Enter; returns the
    problems found (sentences)."""
    problems = []
    controls = tab.evaluate(
        """id => [...document.getElementById(id).querySelectorAll(
        'input[type=range], .nnx-play, fieldset.nnx-choice')].map(e => e.tagName === 'FIELDSET'
            ? 'choice ' + e.querySelector('input').dataset.control
            : (e.type === 'range' ? 'range ' : 'play ') + e.dataset.control)""",
        explorer_id,
    )
    stops = tab_stops(tab, explorer_id)
    reached = [
        ("play " if s["play"] else "choice " if s["type"] == "radio" else "range ") + s["control"]
        for s in stops
    ]
    missing = [c for c in controls if c not in reached]
    if missing:
        problems.append(f"not reached with Tab: {missing} (reached {reached})")
    for k, stop in enumerate(stops):
        before = description(tab, explorer_id)
        if stop["type"] == "range":
            after = operate(tab, explorer_id, k, ["End", "ArrowLeft"])
            if after == before:
                after = operate(tab, explorer_id, k, ["Home", "ArrowRight"])
            what = "slider (Home/End/arrows)"
        elif stop["type"] == "radio":
            after = operate(tab, explorer_id, k, ["ArrowRight"])
            if after == before:
                after = operate(tab, explorer_id, k, ["ArrowLeft"])
            what = "radio group (arrows)"
        elif stop["play"]:
            after = operate(tab, explorer_id, k, ["Enter"])  # plays
            tab.wait_for_timeout(1200)
            after = description(tab, explorer_id) if after == before else after
            tab.keyboard.press("Space")  # pauses; the final state is announced 50 ms later
            tab.wait_for_function(
                "id => document.getElementById(id).querySelector('.nnx-description').textContent",
                arg=explorer_id,
            )
            what = "play button (Enter, Space)"
        else:
            continue
        if after == before:
            problems.append(f"{what} {stop['control']}: description did not change from {before!r}")
        alt = tab.evaluate(
            "id => { const f = document.getElementById(id); return "
            "(f.querySelector('img.nnx-background') || f.querySelector('img.nnx-frame')).alt; }",
            explorer_id,
        )
        # the picture's alt text stays short and points at the sentence, which is read once
        if alt != PICTURE_ALT or alt == description(tab, explorer_id):
            problems.append(
                f"{what} {stop['control']}: the image's alt text {alt!r} is not the short one"
            )
    return problems


def test_every_explorer_is_operated_by_keyboard_and_says_its_state(browser, site):  # noqa: F811
    html_dir, base = site
    report, found = {}, 0
    for page in pages(html_dir):
        if "nnmath-explorer" not in (html_dir / page).read_text():
            continue
        context, tab, problems, _ = open_page(browser, base, page)
        for explorer_id in tab.evaluate(
            "() => [...document.querySelectorAll('figure.nnmath-explorer')].map(f => f.id)"
        ):
            found += 1
            bad = check_explorer_by_keyboard(tab, explorer_id)
            caption = tab.evaluate(
                "id => document.getElementById(id).querySelector('figcaption').textContent",
                explorer_id,
            )
            if not caption.strip():
                bad.append("no caption")
            if bad:
                report[f"{page} #{explorer_id}"] = bad
        assert not problems["console"], problems
        context.close()
    assert found >= 3, "explorers not found in the built book"
    expected = {
        key: bad
        for key, bad in report.items()
        if Path(key.split()[0]).stem in DESCRIBED_ELSEWHERE
        and all("description did not change" in b for b in bad)
    }
    unexpected = {key: bad for key, bad in report.items() if key not in expected}
    assert not unexpected, unexpected
    if expected:
        pytest.xfail(f"describe= not merged yet for {sorted(expected)}")


def test_play_jumps_to_the_end_when_the_reader_asks_for_reduced_motion(browser, site):  # noqa: F811
    html_dir, base = site
    page = next(
        page for page in pages(html_dir) if 'class="nnx-play"' in (html_dir / page).read_text()
    )
    context, tab, _, _ = open_page(browser, base, page, reduced_motion="reduce")
    button = tab.query_selector(".nnx-play")
    k = button.get_attribute("data-control")
    explorer = button.evaluate_handle("b => b.closest('figure')").as_element()
    slider = explorer.query_selector(f'input[type=range][data-control="{k}"]')
    slider.evaluate("r => { r.value = 0; r.dispatchEvent(new Event('input')); }")
    button.focus()
    tab.keyboard.press("Enter")
    assert slider.evaluate("r => +r.value") == int(slider.get_attribute("max")), page  # at once
    assert button.get_attribute("aria-label").startswith("play "), "no animation started"
    context.close()


def test_play_keeps_the_live_region_quiet_until_it_stops(browser, site):  # noqa: F811
    """A sentence every few hundred milliseconds would drown a screen reader: while Play runs the
    description is not live; when it stops, the live region gets the final state once."""
    html_dir, base = site
    page = next(
        page for page in pages(html_dir) if 'class="nnx-play"' in (html_dir / page).read_text()
    )
    context, tab, _, _ = open_page(browser, base, page)
    button = tab.query_selector(".nnx-play")
    explorer = button.evaluate_handle("b => b.closest('figure')").as_element()
    description = explorer.query_selector(".nnx-description")
    button.click()
    assert description.get_attribute("aria-live") == "off", page
    # nothing else in the explorer speaks while it plays: the value beside the slider (an
    # <output>, implicitly a live region) is hidden, the slider's aria-valuetext says it
    speaking = explorer.evaluate(
        """f => [...f.querySelectorAll('output, [aria-live], [role=status], [role=log]')]
        .filter(e => !e.closest('[aria-hidden=true]') && e.getAttribute('aria-live') !== 'off')
        .map(e => e.outerHTML.slice(0, 80))"""
    )
    assert not speaking, (page, speaking)
    button.click()  # pause
    assert description.get_attribute("aria-live") == "polite", page
    tab.wait_for_function(
        "d => d.textContent.length > 0", arg=description, timeout=2000
    )  # the stopped state, announced
    spec = explorer.query_selector("script.nnx-spec").evaluate("s => JSON.parse(s.textContent)")
    assert description.text_content() in spec["descriptions"], page
    context.close()


# -- alt text --------------------------------------------------------------------------------------
FILE_NAME = r"(^|/)[\w.-]+\.(png|jpe?g|gif|svg|webp)$"


def bad_alt_texts(page_html):
    """The informative images of a page whose alt text is missing, empty, a file name, or the
    same as the caption of their figure: ``[(src or alt, why)]``. Decorative images (an explorer's
    transparent layer) say so with ``aria-hidden="true"``."""
    import re

    from bs4 import BeautifulSoup

    bad = []
    for img in BeautifulSoup(page_html, "html.parser").find_all("img"):
        if img.get("aria-hidden") == "true" or img.get("role") in ("presentation", "none"):
            continue
        alt = (img.get("alt") or "").strip()
        where = alt[:60] or img.get("src", "")[:60]
        figure = img.find_parent("figure")
        caption = figure.find("figcaption") if figure else None
        caption_text = " ".join(caption.get_text(" ").split()) if caption else ""
        if not alt:
            bad.append((where, "no alt text"))
        elif re.search(FILE_NAME, alt):
            bad.append((where, "a file name"))
        elif caption_text and (
            " ".join(alt.split()) == caption_text or caption_text.endswith(" ".join(alt.split()))
        ):
            bad.append((where, "the same as the caption"))
    return bad


def test_alt_text_check_catches_empty_file_names_and_captions():
    assert bad_alt_texts('<img src="a.png" alt="../_images/20bc.png">') == [
        ("../_images/20bc.png", "a file name")
    ]
    assert bad_alt_texts('<img src="a.png" alt="">') == [("a.png", "no alt text")]
    assert bad_alt_texts(
        '<figure><img src="a.png" alt="The loss"><figcaption><p><span>Fig. 1 </span>'
        "The loss</p></figcaption></figure>"
    ) == [("The loss", "the same as the caption")]
    assert (
        bad_alt_texts(
            '<img src="a.png" alt="" aria-hidden="true">'
            '<figure><img src="b.png" alt="A valley at w = 2"><figcaption>The loss</figcaption>'
            "</figure>"
        )
        == []
    )


def test_every_informative_image_has_meaningful_alt_text(site):  # noqa: F811
    html_dir, _ = site
    report = {
        page: bad
        for page in pages(html_dir)
        if (bad := bad_alt_texts((html_dir / page).read_text()))
    }
    # chapters whose figures get their alt text from another helper's branch, until it is merged
    expected = {page: bad for page, bad in report.items() if Path(page).stem in DESCRIBED_ELSEWHERE}
    unexpected = {page: bad for page, bad in report.items() if page not in expected}
    assert not unexpected, unexpected
    if expected:
        pytest.xfail(f"alt text not merged yet for {sorted(expected)}")


# -- tab stops -------------------------------------------------------------------------------------
EQUATION_TAB_STOPS = """() => {
  const boxes = [...document.querySelectorAll('.bd-content div.math, .bd-content span.math, '
                                              + '.bd-content mjx-container')];
  const scrolls = e => e.scrollWidth > e.clientWidth + 1 && ['auto', 'scroll'].includes(getComputedStyle(e).overflowX);
  return {stops: boxes.filter(e => e.tabIndex >= 0 && !scrolls(e)).length,
          unreachable: boxes.filter(e => scrolls(e) && e.tabIndex < 0).length};
}"""


def test_equations_are_tab_stops_only_when_they_scroll(audits):
    """MathJax's menu made every formula a tab stop (up to 208 a page); now only a formula whose
    box scrolls is, so that a keyboard can scroll it (WCAG 2.1.1): at 320 px as loaded, and at
    1280 px after the window widens."""
    _, tab_stops = audits
    assert not tab_stops, tab_stops


FOCUS_RING = """el => { el.focus(); const s = getComputedStyle(el);
  return {focused: document.activeElement === el, style: s.outlineStyle,
          width: parseFloat(s.outlineWidth)}; }"""


def test_buttons_show_focus_and_say_what_they_show(browser, site):  # noqa: F811
    """WCAG 2.4.7 and 2.5.3, which axe does not test: the exercises' solution buttons
    (sphinx-togglebutton: no outline, named "Toggle hidden content" while they show "Click to
    show") and the theme's header buttons (no change on focus) get a visible ring, and a toggle
    button's name is the hint it shows, before and after a click (an audit found both)."""
    html_dir, base = site
    page = next(p for p in pages(html_dir) if "dropdown admonition" in (html_dir / p).read_text())
    context, tab, _, _ = open_page(browser, base, page)
    tab.wait_for_function("() => document.querySelector('button.toggle-button')")
    toggles = tab.query_selector_all("button.toggle-button")
    headers = tab.query_selector_all(".bd-header-article .btn, .bd-header-article .sidebar-toggle")
    assert toggles and len(headers) >= 3, (len(toggles), len(headers))
    unringed = []
    for button in [toggles[0], *headers]:
        if not button.is_visible():
            continue
        ring = button.evaluate(FOCUS_RING)
        if not ring["focused"] or ring["style"] == "none" or ring["width"] < 2:
            unringed.append((button.evaluate("b => b.className"), ring))
    assert not unringed, unringed
    tab.wait_for_function(
        "() => [...document.querySelectorAll('button.toggle-button')].every("
        "b => b.getAttribute('aria-label') === b.dataset.toggleHint)"
    )
    first = toggles[0]
    shown_before = first.get_attribute("aria-label")
    first.click()
    tab.wait_for_function("b => b.getAttribute('aria-label') === b.dataset.toggleHint", arg=first)
    assert first.get_attribute("aria-label") != shown_before  # "Click to hide" now
    context.close()
