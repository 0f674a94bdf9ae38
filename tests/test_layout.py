"""The built book fits the page: on a 1280 px, a 390 px (phone) and a 320 px wide window, no
display equation, table, code block or inline equation runs past the content column unless it
scrolls inside its own box, and the page never scrolls sideways; code wraps at the page width; on
the wide window no equation needs to scroll at all. In
dark mode, figures are shown through the stylesheet's filter, not on the theme's white card.

Uses the book built by the ``built_book`` fixture (tests/conftest.py), served on 127.0.0.1 with
every other host blocked. Needs Debian's Chromium and Playwright; outside CI the tests skip
with the reason when either is missing, in CI they fail.
"""

import os
from pathlib import Path

import local_site
import pytest

WIDTHS = (1280, 390, 320)  # 320 px: WCAG 1.4.10 reflow (a 1280 px window at 400 % zoom)
OVERFLOW_JS = (Path(__file__).parent / "layout" / "overflow.js").read_text()


@pytest.fixture(scope="module")
def chromium():
    reason = local_site.missing_browser()
    if reason:
        if os.environ.get("CI"):
            pytest.fail(f"{reason} (required in CI)")
        pytest.skip(reason)
    with local_site.chromium() as browser:
        yield browser


@pytest.fixture(scope="module")
def served_book(built_book):
    html, result = built_book
    assert result.returncode == 0, result.stdout[-3000:]
    with local_site.serve(html) as base:
        yield html, base


def open_typeset(chromium, base, page, width, scheme="light"):
    """The page at ``width`` px, every other host blocked, once MathJax has typeset it."""
    context, tab, _, _ = local_site.open_page(
        chromium, base, page, color_scheme=scheme, viewport=(width, 900)
    )
    local_site.wait_for_typesetting(tab)
    return context, tab


def book_pages(html):
    return sorted(str(p.relative_to(html)) for p in (html / "book").glob("*.html"))


# The figures' smallest text as shown (CSS px): a glued figure records it at the image's natural
# size (nnmath.book.glue_figure: class nnmath-text-<tenths of a px>, rounded: the text is at
# most 0.05 px smaller), an explorer's picture at its full width (data-text-px); a figure that
# scrolls must be focusable.
FIGURE_TEXT_JS = """() => {
  const out = [], PHONE = %d;
  const check = (box, img, full, natural) => {
    const px = natural * img.getBoundingClientRect().width / full;
    if (px < Math.min(PHONE, natural) - 0.05)
      out.push(`${box.id || box.parentElement.id}: smallest text ${px.toFixed(1)} px`);
    if (box.scrollWidth > box.clientWidth + 1 && box.tabIndex !== 0)
      out.push(`${box.id || box.parentElement.id}: scrolls but is not focusable`);
  };
  for (const img of document.querySelectorAll('.bd-content figure > img')) {
    const f = img.parentElement, m = /(?:^|\\s)nnmath-text-(\\d+)/.exec(f.className);
    if (!m) { out.push(`${f.id}: no recorded text size (glue it with glue_figure)`); continue; }
    check(f, img, img.naturalWidth, (+m[1] - 0.5) / 10);  // rounded to the nearest tenth
  }
  for (const view of document.querySelectorAll('.bd-content .nnx-view')) {
    const img = view.querySelector('img');
    check(view, img, +img.getAttribute('width'), +view.dataset.textPx);
  }
  return out;
}"""


@pytest.fixture(scope="module")
def layouts(chromium, served_book):
    """Each page loaded once at the narrowest width, as a phone loads it, then widened in place to
    each wider one: what runs past the page, ``{width: {page: problems}}``, and (on the phone
    widths) the figures whose text is too small, ``{width: {page: problems}}``."""
    from nnmath.plots import PHONE_TEXT_PX

    html, base = served_book
    found = {width: {} for width in WIDTHS}
    small = {width: {} for width in WIDTHS if width < 600}
    for page in book_pages(html):
        context, tab = open_typeset(chromium, base, page, min(WIDTHS))
        for width in sorted(WIDTHS):
            if width != min(WIDTHS):
                tab.set_viewport_size({"width": width, "height": 900})
                # the theme's and nnmath.js's resize handlers (the theme's waits 300 ms)
                tab.wait_for_timeout(400)
            problems = tab.evaluate(OVERFLOW_JS, width >= 1000)
            if problems:
                found[width][page] = problems
            if width in small and (tiny := tab.evaluate(FIGURE_TEXT_JS % PHONE_TEXT_PX)):
                small[width][page] = tiny
        context.close()
    return found, small


@pytest.fixture(scope="module")
def overflows(layouts):
    return layouts[0]


@pytest.mark.parametrize("width", WIDTHS)
def test_nothing_runs_past_the_page(overflows, width):
    assert not overflows[width], f"at {width} px: {overflows[width]}"


def test_the_overflow_check_catches_a_clipped_equation_table_and_code(chromium, served_book):
    """The check itself: plant an over-wide equation, table and code line in a page."""
    html, base = served_book
    context, tab = open_typeset(chromium, base, "book/backprop_loop.html", 1280)
    assert tab.evaluate(OVERFLOW_JS, True) == []
    tab.evaluate("""() => {
        const article = document.querySelector('.bd-article');
        article.insertAdjacentHTML('beforeend',
          '<div style="overflow:hidden"><table id="planted"><tr><td style="white-space:nowrap">' + 'x'.repeat(300) + '</td></tr></table></div>' +
          '<pre style="white-space:pre;overflow-x:auto">' + 'y'.repeat(300) + '</pre>');
        const eq = document.querySelector('mjx-container[display="true"]');
        eq.style.overflow = 'visible'; eq.parentElement.style.overflow = 'visible';
        eq.querySelector('mjx-math').style.paddingRight = '2000px';
    }""")
    problems = tab.evaluate(OVERFLOW_JS, True)
    context.close()
    assert any(p.startswith("table overflows") for p in problems), problems
    assert any(p.startswith("code does not wrap") for p in problems), problems
    assert any(p.startswith("equation wider") for p in problems), problems


def test_dark_mode_shows_figures_through_the_filter(chromium, served_book):
    from nnmath.plots import DARK_MODE_FILTER

    html, base = served_book
    context, tab = open_typeset(chromium, base, "book/worked_example.html", 1280, "dark")
    styles = tab.evaluate("""() => [...document.querySelectorAll('.bd-content img')]
        .filter(i => i.getClientRects().length)
        .map(i => { const s = getComputedStyle(i); return [s.filter, s.backgroundColor, s.paddingTop]; })""")
    explorer_cards = tab.evaluate("""() => [...document.querySelectorAll('.cell_output div.text_html')]
        .filter(e => e.querySelector('.nnmath-explorer')).map(e => getComputedStyle(e).backgroundColor)""")
    context.close()
    assert styles, "no figure on the worked example page"
    assert explorer_cards and set(explorer_cards) == {"rgba(0, 0, 0, 0)"}, explorer_cards
    for filter_, background, padding in styles:
        assert filter_ == DARK_MODE_FILTER, filter_
        assert background == "rgba(0, 0, 0, 0)" and padding == "0px", (background, padding)


def test_dark_mode_colours_are_what_nnmath_plots_computes(chromium, served_book):
    """dark_mode_color, on which the contrast tests of tests/test_plots.py rest, is what the
    browser shows: a strip of the book's colours, put in a page in dark mode, screenshotted."""
    import base64
    import io

    import matplotlib.colors as mcolors
    from PIL import Image

    from nnmath.plots import ROLE_COLORS, TEXT_COLORS, dark_mode_color

    html, base = served_book
    colors = ["#ffffff", *TEXT_COLORS.values(), *ROLE_COLORS.values()]
    strip = Image.new("RGB", (20 * len(colors), 20))
    for i, color in enumerate(colors):
        strip.paste(
            tuple(round(255 * v) for v in mcolors.to_rgb(color)), (20 * i, 0, 20 * i + 20, 20)
        )
    png = io.BytesIO()
    strip.save(png, "PNG")
    uri = "data:image/png;base64," + base64.b64encode(png.getvalue()).decode()
    context, tab = open_typeset(chromium, base, "book/notation.html", 1280, "dark")
    tab.evaluate(
        """([uri, width]) => document.querySelector('.bd-article').insertAdjacentHTML('afterbegin',
        `<img id="probe" src="${uri}" width="${width}" height="20" style="image-rendering:pixelated">`)""",
        [uri, strip.width],
    )
    tab.wait_for_function("() => document.getElementById('probe').complete")
    shot = Image.open(io.BytesIO(tab.locator("#probe").screenshot())).convert("RGB")
    context.close()
    for i, color in enumerate(colors):
        shown = shot.getpixel((20 * i + 10, 10))
        expected = tuple(round(255 * v) for v in mcolors.to_rgb(dark_mode_color(color)))
        assert max(abs(a - b) for a, b in zip(shown, expected)) <= 2, (color, shown, expected)


@pytest.mark.parametrize("width", [w for w in WIDTHS if w < 600])
def test_figure_text_is_legible_on_a_phone(layouts, width):
    """On a phone every figure (glued figures, network diagrams, explorers' pictures) shows its
    smallest text at PHONE_TEXT_PX or more (or at its natural size when that is smaller), keeping
    its size and scrolling sideways in its own, focusable box; shrunk to the column, the widest
    were at 4-6 px."""
    _, small = layouts
    assert not small[width], f"at {width} px: {small[width]}"
