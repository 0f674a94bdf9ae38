"""The book's Sphinx extensions in _ext/: their functions on Sphinx's own script objects, and a
small Jupyter Book built with and without them (a few seconds; no execution, no network)."""

import json
import subprocess
import sys
from pathlib import Path

import pytest
from sphinx.builders.html._assets import _JavaScript

from _ext.inline_scripts_once import unique_scripts
from _ext.no_widget_state import WIDGET_STATE, without_widget_state

ROOT = Path(__file__).parents[1]
THEBE = 'const THEBE_JS_URL = "x"'


def test_an_inline_script_registered_as_none_and_as_empty_is_written_once():
    # what Sphinx 7.4 holds for one app.add_js_file(None, body=...) made after the builder started
    scripts = [
        _JavaScript("_static/doctools.js", priority=200),
        _JavaScript(None, body=THEBE, priority=500),
        _JavaScript("", body=THEBE, priority=500),
        _JavaScript("", body="var other = 1;"),
        _JavaScript("_static/doctools.js", priority=200),
    ]
    assert unique_scripts(scripts) == [scripts[0], scripts[1], scripts[3]]
    # a script with other attributes (here async) is another script
    assert (
        len(unique_scripts([_JavaScript("a.js"), _JavaScript("a.js", **{"async": "async"})])) == 2
    )


def test_the_widget_state_is_dropped_and_nothing_else():
    state = _JavaScript(None, type=WIDGET_STATE, body='{"state": {}}')
    kept = [
        _JavaScript("_static/doctools.js"),
        _JavaScript(None, type="text/x-thebe-config", body="{}"),
    ]
    assert without_widget_state([kept[0], state, kept[1]]) == kept


def build_small_book(tmp_path, extensions):
    """A one-page book and a notebook carrying widget state, built as the book is (-W -n)."""
    book = tmp_path / "book"
    book.mkdir()
    local = "".join(f"\n    {name}: {ROOT / '_ext'}" for name in extensions)
    (book / "_config.yml").write_text(
        "title: small\nonly_build_toc_files: true\nexecute:\n  execute_notebooks: 'off'\n"
        + (f"sphinx:\n  local_extensions:{local}\n" if extensions else "")
    )
    (book / "_toc.yml").write_text("format: jb-book\nroot: index\nchapters:\n  - file: widgets\n")
    (book / "index.md").write_text("# Small\n\nA page.\n")
    widget_state = {
        WIDGET_STATE: {
            "state": {"abc": {"model_name": "LayoutModel", "state": {}}},
            "version_major": 2,
            "version_minor": 0,
        }
    }
    (book / "widgets.ipynb").write_text(
        json.dumps(
            {
                "nbformat": 4,
                "nbformat_minor": 5,
                "metadata": {
                    "widgets": widget_state,
                    "kernelspec": {
                        "name": "python3",
                        "display_name": "Python 3",
                        "language": "python",
                    },
                },
                "cells": [
                    {
                        "cell_type": "markdown",
                        "id": "a",
                        "metadata": {},
                        "source": "# Widgets\n\nA notebook.",
                    }
                ],
            }
        )
    )
    jupyter_book = Path(sys.executable).with_name("jupyter-book")
    run = subprocess.run(
        [str(jupyter_book), "build", str(book), "-W", "-n", "--keep-going"],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-3000:]
    html = book / "_build" / "html"
    return (html / "index.html").read_text(), (html / "widgets.html").read_text()


def test_a_built_page_writes_each_script_once_and_no_widget_state(tmp_path):
    index, widgets = build_small_book(tmp_path, ["inline_scripts_once", "no_widget_state"])
    for page in (index, widgets):
        assert page.count("const THEBE_JS_URL") == 1 and page.count("var togglebuttonSelector") == 1
        assert WIDGET_STATE not in page


def test_without_the_extensions_sphinx_writes_scripts_twice_and_myst_nb_embeds_the_state(tmp_path):
    """What the extensions work around. When this fails, a newer Sphinx or myst-nb no longer does
    it: remove the extension concerned (see its docstring)."""
    index, widgets = build_small_book(tmp_path, [])
    assert index.count("const THEBE_JS_URL") == 2, (
        "Sphinx writes inline scripts once now: drop inline_scripts_once"
    )
    assert WIDGET_STATE in widgets, (
        "myst-nb no longer embeds widget state here: drop no_widget_state"
    )


# -- accessible_markup: each fix, and whether upstream still needs it ------------------------------
from _ext import accessible_markup  # noqa: E402


def _installed(package, *parts):
    import importlib.util

    return (
        Path(importlib.util.find_spec(package).origin)
        .parent.joinpath(*parts)
        .read_text(encoding="utf-8")
    )


def test_accessible_markup_fixes_names_and_roles_and_nothing_else():
    page = (
        '<button class="btn search-button-field search-button__button pst-js-only" title="Search" '
        'aria-label="Search" data-bs-placement="bottom">'
        '<i class="theme-switch fa-solid fa-sun                fa-lg" data-mode="light" title="Light"></i>'
        '<summary aria-label="Toggle hidden content">'
        '<div role="list" class="citation-list">\n<div class="citation" id="id3" role="doc-biblioentry">'
        '<button aria-label="Search">'
    )
    fixed = accessible_markup.fix_markup(page)
    assert 'title="Search" data-bs-placement' in fixed and 'title="Light"' not in fixed
    assert "<summary>" in fixed and 'role="list"' not in fixed and "doc-biblioentry" not in fixed
    assert fixed.endswith('<button aria-label="Search">')  # another button keeps its label
    assert accessible_markup.fix_markup(fixed) == fixed


def test_the_root_page_has_a_title_a_language_and_a_link():
    page = accessible_markup.redirect_page("A & B", "book/intro.html")
    assert '<html lang="en">' in page and "<title>A &amp; B</title>" in page
    assert 'content="0; url=book/intro.html"' in page and '<a href="book/intro.html">' in page


@pytest.mark.parametrize(
    "name, source",
    [
        (
            "SEARCH_BUTTON",
            (
                "pydata_sphinx_theme",
                "theme",
                "pydata_sphinx_theme",
                "components",
                "search-button-field.html",
            ),
        ),
        (
            "THEME_SWITCH",
            (
                "pydata_sphinx_theme",
                "theme",
                "pydata_sphinx_theme",
                "components",
                "theme-switcher.html",
            ),
        ),
        ("HIDDEN_CELL_SUMMARY", ("myst_nb", "sphinx_.py")),
        ("CITATION_LIST", ("docutils", "writers", "_html_base.py")),
        ("CITATION_ROLE", ("docutils", "writers", "_html_base.py")),
    ],
)
def test_upstream_still_writes_what_accessible_markup_fixes(name, source):
    """When this fails, upstream fixed the markup: drop the fix from _ext/accessible_markup.py."""
    text = _installed(source[0], *source[1:])
    marker = {
        "SEARCH_BUTTON": "aria-label=\"{{ _('Search') }}\"",
        "THEME_SWITCH": "title=\"{{ _('Light') }}\"",
        "HIDDEN_CELL_SUMMARY": '<summary aria-label="Toggle hidden content">',
        "CITATION_LIST": '<div role="list" class="citation-list">',
        "CITATION_ROLE": 'role="doc-biblioentry"',
    }[name]
    assert marker in text, f"{source[-1]} no longer writes {marker}: {name} can go"


def test_sphinx_external_toc_still_writes_a_bare_redirect():
    """When this fails, the root page has a title upstream: the redirect_page fix can go."""
    text = _installed("sphinx_external_toc", "events.py")
    assert 'redirect_text = f\'<meta http-equiv="Refresh"' in text


def test_icons_become_the_svg_fontawesome_js_would_make():
    from _ext.fontawesome_subset import FONTAWESOME_SCRIPT, with_svg_icons

    page = (
        '<script defer src="../_static/scripts/fontawesome.js?digest=abc"></script>\n'
        '<button aria-label="Color mode"><i class="theme-switch fa-solid fa-moon  fa-lg" '
        'data-mode="dark"></i></button><span class="fa-solid fa-bars"></span>'
        '<i class="fab fa-github"></i><i class="fa-solid fa-no-such-icon"></i>'
    )
    written = with_svg_icons(page, {})
    assert not FONTAWESOME_SCRIPT.search(written) and "fontawesome.js" not in written
    assert '<svg class="svg-inline--fa fa-moon theme-switch fa-lg" data-mode="dark" ' in written
    assert 'data-prefix="fab" data-icon="github"' in written
    assert 'data-icon="bars"' in written and 'aria-hidden="true" focusable="false"' in written
    assert '<i class="fa-solid fa-no-such-icon"></i>' in written  # unknown: left as it was


def test_the_theme_still_loads_fontawesome_js_and_draws_icons_with_its_font():
    """What _ext/fontawesome_subset.py works around is still what the theme does."""
    import pydata_sphinx_theme

    from _ext.fontawesome_subset import css_glyphs, theme_webfonts

    theme = Path(pydata_sphinx_theme.__file__).parent / "theme" / "pydata_sphinx_theme"
    macros = (theme / "static" / "webpack-macros.html").read_text()
    assert "<script defer src=\"{{ pathto('_static/scripts/fontawesome.js'" in macros
    css = (theme / "static" / "styles" / "pydata-sphinx-theme.css").read_text()
    assert len(css_glyphs(css)) >= 10
    assert (theme_webfonts() / "fa-solid-900.ttf").is_file()
