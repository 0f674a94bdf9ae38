"""The student edition: the book with every exercise solution left out of everything a reader gets.

Loaded only by the student build (``_config_student.yml``, built by ``tools/build_student_edition.py``).
Setting each switch here, rather than trusting the overlay to list them all, means the edition cannot
be built with one of them forgotten:

- ``hide_solutions`` (sphinx-exercise): no solution in the pages or the search index;
- ``html_copy_source = False``: no ``_sources/<page>.md`` (the Markdown sources hold the solutions),
  and no "download source" button pointing at a file that is not there;
- ``notebook_edition_solutions = False``: the notebook edition (_ext/notebook_edition.py) without them;
- ``_sources/`` removed after the build: sphinx-book-theme copies each page's executed notebook
  there (``_build/jupyter_execute/<page>.ipynb``, the whole chapter, solutions included) for its
  download button, which the notebook edition already replaces with the edition's notebook.
"""
from __future__ import annotations

import shutil
from pathlib import Path

SWITCHES = {"hide_solutions": True, "html_copy_source": False, "notebook_edition_solutions": False}


def _set_switches(app, config):
    if "notebook_edition" not in config.extensions:
        raise ValueError("student_edition: the notebook_edition extension must be loaded too "
                         "(the student edition includes the notebook edition without solutions)")
    for name, value in SWITCHES.items():
        config[name] = value


def _drop_source_button(app, pagename, templatename, context, doctree):
    """The theme's "download source" button points into _sources/, which the edition does not ship."""
    for group in context.get("header_buttons", []):
        if group.get("label") == "download-buttons":
            group["buttons"] = [button for button in group.get("buttons", [])
                                if button.get("label") != "download-source-button"]


def _remove_sources(app, exception):
    if exception is None and app.builder.format == "html":
        shutil.rmtree(Path(app.outdir) / "_sources", ignore_errors=True)


def setup(app):
    app.connect("config-inited", _set_switches, priority=900)  # after every extension added its values
    app.connect("html-page-context", _drop_source_button, priority=700)  # after the theme's (501)
    app.connect("build-finished", _remove_sources)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
