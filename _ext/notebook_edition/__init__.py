"""The notebook edition: every chapter as an ``.ipynb`` that reads like the book.

At the end of an HTML build this writes ``_build/html/notebooks/<chapter>.ipynb`` from the notebook
myst-nb executed (``_build/jupyter_execute/``): glued numbers become their values and glued figures
images; objectives, theorems, proofs, exercises become ordinary Markdown; cross-references become
links to the published pages; solutions are collapsed in ``<details>`` (or left out with
``solutions=False``, the student edition); cells the book removes or hides are collapsed; a first
cell makes the notebook run where it is opened (Binder, Colab, a local clone); outputs are stored,
an explorer's as the image of its default state.

It also points the page's launch and download buttons at this edition (see the README, "Opening a
chapter as a notebook", for the Binder address and how the edition is published).

The package, one job a module (CONTRIBUTING.md, "The editions of the book"):

- ``convert``: one chapter's executed notebook into its edition (no Sphinx);
- ``markdown`` and ``roles``: the book's MyST markup as plain Markdown;
- ``bibliography``: citations and the reference list, formatted by pybtex's own style;
- ``environment``: the ``Book`` the converter needs, from a Sphinx build;
- ``launch``: Binder, JupyterHub and Colab addresses, and the page's buttons;
- here: the Sphinx extension (``setup``) that writes the edition at the end of a build.
"""

from __future__ import annotations

import json
from pathlib import Path

import nbformat

from .bibliography import bibliography_markdown, citations, read_bibliography
from .convert import (
    GLUE_PREFIX,
    STUDENT_STUB,
    WIDGET_STATE,
    WIDGET_VIEW,
    Book,
    convert,
    glue_bundle,
    glue_values,
)
from .environment import book_from_sphinx, runtime_requirements
from .launch import (
    NOTEBOOKS_BRANCH,
    NOTEBOOKS_DIR,
    binder_url,
    colab_url,
    jupyterhub_url,
    point_buttons,
)
from .markdown import NOTEBOOK_PHRASES, markdown
from .roles import KIND_NAMES

_runtime_requirements = runtime_requirements  # the name tools/make_course.py imports

__all__ = [
    "GLUE_PREFIX",
    "KIND_NAMES",
    "NOTEBOOKS_BRANCH",
    "NOTEBOOKS_DIR",
    "NOTEBOOK_PHRASES",
    "STUDENT_STUB",
    "WIDGET_STATE",
    "WIDGET_VIEW",
    "Book",
    "bibliography_markdown",
    "binder_url",
    "book_from_sphinx",
    "citations",
    "colab_url",
    "convert",
    "glue_bundle",
    "glue_values",
    "jupyterhub_url",
    "markdown",
    "read_bibliography",
    "runtime_requirements",
    "setup",
    "with_cached_outputs",
]


def _write_editions(app, exception):
    if exception is not None or app.builder.format != "html":
        return
    executed_dir = Path(app.outdir).parent / "jupyter_execute"
    out = Path(app.outdir) / NOTEBOOKS_DIR
    out.mkdir(parents=True, exist_ok=True)
    book = book_from_sphinx(app)
    for docname in book.order:
        source = executed_dir / f"{docname}.ipynb"
        if not source.is_file():
            continue
        glue_file = source.with_suffix(".glue.json")
        glue = json.loads(glue_file.read_text()) if glue_file.is_file() else {}
        notebook = convert(
            with_cached_outputs(nbformat.read(source, as_version=4), app.env.mystnb_config),
            docname,
            book,
            glue=glue,
            solutions=app.config.notebook_edition_solutions,
        )
        nbformat.write(notebook, out / book.notebook_name(docname))


def with_cached_outputs(notebook, config):
    """The executed notebook with its outputs. On a rebuild, myst-nb takes an unchanged chapter's
    outputs from its jupyter-cache but writes ``jupyter_execute/<chapter>.ipynb`` from the notebook
    as read, without them (it merges them into a copy it keeps to itself); merge them here, from the
    same cache, so the edition of a reused chapter has its figures and explorers too. ``config`` is
    myst-nb's (``app.env.mystnb_config``), which holds the cache's resolved path."""
    if any(cell.get("outputs") for cell in notebook.cells if cell.cell_type == "code"):
        return notebook
    if config.execution_mode != "cache" or not config.execution_cache_path:
        return notebook
    from jupyter_cache import get_cache

    try:
        _, merged = get_cache(config.execution_cache_path).merge_match_into_notebook(notebook)
    except KeyError:  # not in the cache (a page without code, or never executed)
        return notebook
    return merged


def _edition_cells(app, doctree):
    """The pages' cells of this edition: the student edition leaves out the cells tagged
    ``solution`` (myst-nb gives a cell's tags as classes ``tag_<tag>``). The full book keeps
    both a "Check your own" stub and the worked answer after it (tagged ``hide-input``, so the
    page shows the stub to fill in and folds the answer)."""
    from docutils import nodes

    if app.config.notebook_edition_solutions:
        return
    for node in list(doctree.findall(nodes.container)):
        if "tag_solution" in node.get("classes", []) and node.parent is not None:
            node.parent.remove(node)


def setup(app):
    # the student edition (tools/build_student_edition.py) sets these: no solutions, its own branches
    app.add_config_value("notebook_edition_solutions", True, "")
    app.add_config_value("notebook_edition_branch", NOTEBOOKS_BRANCH, "html")
    app.add_config_value(
        "notebook_edition_binder_branch", "", "html"
    )  # "" = the repository's branch
    # what the Colab set-up cell installs nnmath from ("": the repository; a course pins a tag)
    app.add_config_value("notebook_edition_package", "", "html")
    app.connect("html-page-context", point_buttons, priority=600)  # after the theme's (501)
    app.connect("doctree-read", _edition_cells)
    app.connect("build-finished", _write_editions)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
