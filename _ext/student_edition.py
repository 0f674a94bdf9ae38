"""The student edition: the book with every exercise solution left out of everything a reader gets.

Loaded only by the student build (``_config_student.yml``, built by ``tools/build_student_edition.py``).
Setting each switch here, rather than trusting the overlay to list them all, means the edition cannot
be built with one of them forgotten:

- ``hide_solutions`` (sphinx-exercise): no solution in the pages or the search index;
- ``html_copy_source = False``: no ``_sources/<page>.md`` (the Markdown sources hold the solutions),
  so no "download source" button (and the ".ipynb" one is given back, opening the notebook edition);
- ``notebook_edition_solutions = False``: the notebook edition (_ext/notebook_edition/) without them;
- the pages' words about the editions (``STUDENT_WORDING``): no mention of the instructor edition;
- ``_sources/`` removed after the build, in case anything still wrote there: with copied sources
  sphinx-book-theme copies each page's executed notebook there (the whole chapter, solutions
  included) for its download button.
"""

from __future__ import annotations

import shutil
from pathlib import Path

SWITCHES = {"hide_solutions": True, "html_copy_source": False, "notebook_edition_solutions": False}

# Text the student edition says differently: (page, the instructor edition's words, the student
# edition's). A student is not told of an edition with the answers. Each sentence must be found
# word for word (an edit to the page that drops one is an error, not a silent leak).
STUDENT_WORDING = [
    (
        "book/intro",
        "In the\ninstructor edition, the book as published, each solution folds out under its exercise (hidden\n"
        "until you open it); the student edition, built for courses ({doc}`instructors`), leaves the\n"
        "solutions out.",
        "In this\nedition, made for courses, the exercises come without their solutions: they are yours to work\nout.",
    ),
    (  # the book's own repository holds every solution: a student works from the course's
        "book/intro",
        "git clone https://github.com/nnmath-book/how-neural-networks-learn\n"
        "cd how-neural-networks-learn\n"
        "python -m pip install -r requirements.txt jupyterlab\n"
        "jupyter lab book/forward_pass.md     # jupytext opens the .md chapter as a notebook",
        "git clone <the address of the course repository>   # your instructor gives it to you\n"
        "cd <the folder it made>\n"
        "python -m pip install -r requirements.txt jupyterlab\n"
        "jupyter lab                          # each chapter is a notebook (.ipynb) there",
    ),
]


def _set_switches(app, config):
    if "notebook_edition" not in config.extensions:
        raise ValueError(
            "student_edition: the notebook_edition extension must be loaded too "
            "(the student edition includes the notebook edition without solutions)"
        )
    for name, value in SWITCHES.items():
        config[name] = value


def _notebook_download(app, pagename, templatename, context, doctree):
    """Without copied sources the theme offers neither the ``.ipynb`` nor the source download; give
    back the ``.ipynb`` one, which notebook_edition (priority 600) points at the edition's notebook,
    and drop the source one (it would point into _sources/, which the edition does not ship)."""
    executed = Path(app.outdir).parent / "jupyter_execute" / f"{pagename}.ipynb"
    for group in context.get("header_buttons", []):
        if group.get("label") != "download-buttons":
            continue
        buttons = [
            button
            for button in group.get("buttons", [])
            if button.get("label") != "download-source-button"
        ]
        if executed.is_file() and not any(
            button.get("label") == "download-notebook-button" for button in buttons
        ):
            buttons.insert(
                0,
                {
                    "type": "link",
                    "url": "",
                    "text": ".ipynb",
                    "icon": "fas fa-code",
                    "tooltip": "Download the notebook edition",
                    "label": "download-notebook-button",
                },
            )
        group["buttons"] = buttons


def _left_out_reference(app, env, node, contnode):
    """A ``{doc}`` reference to a page the edition leaves out of its table of contents (the course
    release leaves out the instructors' page): its text, without a link and without a warning."""
    if node.get("reftype") == "doc" and node.get("reftarget", "").rsplit("/", 1)[-1] in {
        name.rsplit("/", 1)[-1] for name in app.config.student_edition_left_out
    }:
        return contnode
    return None


def student_wording(docname: str, source: str) -> str:
    """``source`` of page ``docname`` with the student edition's wording (``STUDENT_WORDING``)."""
    for page, instructor, student in STUDENT_WORDING:
        if page != docname:
            continue
        if instructor not in source:
            raise ValueError(
                f"student_edition: {page} no longer says {instructor[:60]!r}…; update "
                "STUDENT_WORDING in _ext/student_edition.py with the page's new words"
            )
        source = source.replace(instructor, student)
    return source


def _reword(app, docname, source):
    source[0] = student_wording(docname, source[0])


def _remove_sources(app, exception):
    if exception is None and app.builder.format == "html":
        shutil.rmtree(Path(app.outdir) / "_sources", ignore_errors=True)


def setup(app):
    app.add_config_value(
        "student_edition_left_out", [], "env"
    )  # docnames not in this edition's toc
    app.connect("missing-reference", _left_out_reference)
    app.connect("source-read", _reword)
    app.connect(
        "config-inited", _set_switches, priority=900
    )  # after every extension added its values
    # after the theme's buttons (501), before notebook_edition points them at the edition (600)
    app.connect("html-page-context", _notebook_download, priority=550)
    app.connect("build-finished", _remove_sources)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
