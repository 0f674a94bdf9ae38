"""Accessible names and roles the theme and its extensions get wrong (Sphinx extension).

axe-core's WCAG 2.1 A/AA rules (tests/test_accessibility.py) fail on markup the book does not
write. Each fix below is one named, exact replacement in the written pages, and names where the
markup comes from; tests/test_ext.py checks that the upstream source still writes it: when that
test fails, upstream has fixed it and the fix can go. Versions checked: pydata-sphinx-theme 0.17.1,
myst-nb 1.4.0, docutils 0.21, sphinx-external-toc 1.1.0.

* SEARCH_BUTTON (pydata-sphinx-theme ``components/search-button-field.html``): the button's
  ``aria-label="Search"`` hides its visible text "Search Ctrl+K" (2.5.3 label in name); without
  the label its name is its text.
* THEME_SWITCH (pydata-sphinx-theme ``components/theme-switcher.html``): the icons' ``title``
  makes Font Awesome give each a name ("Light"), text that the button's name "Color mode" does
  not contain (2.5.3); without a title the icons are decoration (``aria-hidden``).
* HIDDEN_CELL_SUMMARY (myst-nb ``sphinx_.visit_HideCellInput``): ``aria-label="Toggle hidden
  content"`` on a summary whose visible text is "Show code cell source" (2.5.3).
* CITATION_LIST, CITATION_ROLE (docutils ``_html_base.visit_citation``): ``role="list"`` around
  entries that are not list items (they hold back-links), and the deprecated
  ``doc-biblioentry`` role (4.1.2); plain ``div``s read correctly.
* The root ``index.html`` (sphinx-external-toc's ``ensure_index_file`` writes a bare
  ``<meta>`` redirect, no ``<title>``, no ``lang``): written here first as a whole page, so that
  it is kept (it only writes a missing one).
"""

from __future__ import annotations

import html
import re
from pathlib import Path

SEARCH_BUTTON = (
    re.compile(
        r'(<button class="btn search-button-field search-button__button[^"]*" '
        r'title="[^"]*") aria-label="[^"]*"'
    ),
    r"\1",
)
THEME_SWITCH = (
    re.compile(r'(<i class="theme-switch [^"]*" data-mode="\w+")\s+title="[^"]*"'),
    r"\1",
)
HIDDEN_CELL_SUMMARY = (re.compile(r'<summary aria-label="Toggle hidden content">'), "<summary>")
CITATION_LIST = (
    re.compile(r'<div role="list" class="citation-list">'),
    '<div class="citation-list">',
)
CITATION_ROLE = (re.compile(r'(<div class="citation" id="[^"]*") role="doc-biblioentry"'), r"\1")
FIXES = {
    "SEARCH_BUTTON": SEARCH_BUTTON,
    "THEME_SWITCH": THEME_SWITCH,
    "HIDDEN_CELL_SUMMARY": HIDDEN_CELL_SUMMARY,
    "CITATION_LIST": CITATION_LIST,
    "CITATION_ROLE": CITATION_ROLE,
}

REDIRECT = """<!DOCTYPE html>
<html lang="{lang}">
<head>
<meta charset="utf-8">
<title>{title}</title>
<meta http-equiv="Refresh" content="0; url={url}">
</head>
<body><p><a href="{url}">{title}</a></p></body>
</html>
"""


def fix_markup(text: str) -> str:
    """``text`` with every fix applied."""
    for pattern, replacement in FIXES.values():
        text = pattern.sub(replacement, text)
    return text


def redirect_page(title: str, url: str, lang: str = "en") -> str:
    """The root page: a titled page in a language that sends the reader to ``url``."""
    return REDIRECT.format(
        lang=html.escape(lang), title=html.escape(title), url=html.escape(url, quote=True)
    )


def _fix_pages(app, exception):
    if exception is not None or app.builder.format != "html":
        return
    outdir = Path(app.outdir)
    for page in outdir.rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        fixed = fix_markup(text)
        if fixed != text:
            page.write_text(fixed, encoding="utf-8")
    index = outdir / "index.html"
    root = app.config.root_doc
    if root != "index" and app.builder.name == "html":
        index.write_text(
            redirect_page(
                app.config.html_title or app.config.project,
                f"{root}.html",
                app.config.language or "en",
            ),
            encoding="utf-8",
        )


def setup(app):
    # before sphinx-external-toc's ensure_index_file (priority 500), which keeps an existing page
    app.connect("build-finished", _fix_pages, priority=400)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
