"""The ``Book`` the converter needs, read from a Sphinx build: titles, table-of-contents order,
numbered labels, sections, citations and the bibliography, the published address, and what the
Colab set-up cell installs. Duck-typed on Sphinx's application: nothing here imports Sphinx.
"""

from __future__ import annotations

import re
from pathlib import Path

from .bibliography import bibliography_markdown, citations, read_bibliography
from .convert import Book


def book_from_sphinx(app) -> Book:
    """What the converter needs to know about the book Sphinx has just read."""
    env = app.env
    options = app.config.html_theme_options or {}
    repository = options.get("repository_url", "").rstrip("/")
    base_url = app.config.html_baseurl or _pages_url(repository)
    numbers = {}
    for docname, kinds in env.toc_fignumbers.items():
        for kind, labels in kinds.items():
            for label, number in labels.items():
                numbers[label] = (docname, kind, ".".join(map(str, number)))
    sections = {
        label: (docname, title)
        for label, (docname, _, title) in env.domaindata["std"]["labels"].items()
        if title
    }
    bibliography = read_bibliography(
        Path(app.srcdir) / name for name in getattr(app.config, "bibtex_bibfiles", [])
    )
    style = getattr(app.config, "bibtex_default_style", "alpha")  # sphinxcontrib-bibtex's
    order = [app.config.root_doc]
    order += [doc for doc in _toctree_order(env, app.config.root_doc) if doc not in order]
    return Book(
        base_url=base_url.rstrip("/") + "/",
        repository=repository,
        titles={doc: title.astext() for doc, title in env.titles.items()},
        order=order,
        sections=sections,
        numbers=numbers,
        citations=citations(bibliography),
        bibliography=bibliography_markdown(bibliography, style),
        requirements=runtime_requirements(Path(app.srcdir) / "requirements.txt"),
        package=app.config.notebook_edition_package,
    )


def _toctree_order(env, docname, seen=None):
    seen = seen if seen is not None else set()
    for child in env.toctree_includes.get(docname, []):
        if child not in seen:
            seen.add(child)
            yield child
            yield from _toctree_order(env, child, seen)


def _pages_url(repository):
    match = re.match(r"https://github\.com/([^/]+)/([^/]+)", repository)
    return f"https://{match[1]}.github.io/{match[2]}/" if match else ""


def runtime_requirements(path):
    """The requirements a chapter needs when run (not those for building the book or the kernel)."""
    build_only = ("jupyter-book", "jupytext", "sphinx", "ipykernel", "jupyterlab", "nbgitpuller")
    if not path.is_file():
        return []
    lines = [line.split("#")[0].strip() for line in path.read_text().splitlines()]
    return [
        line
        for line in lines
        if line and not line.startswith("-") and not line.startswith(build_only)
    ]
