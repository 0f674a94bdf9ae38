"""Helpers for the chapters themselves (imports myst-nb; not imported by ``import nnmath``)."""
from __future__ import annotations

from pathlib import Path

import numpy as np
from myst_nb import glue as _glue

__all__ = ["glue", "run_chapter", "chapter_explorers"]


def glue(name: str, value, display: bool = False):
    """myst-nb's ``glue``, with numpy scalars turned into Python numbers first.

    myst-nb formats ``{glue:text}`name:.3f``` by parsing the value's ``repr``; numpy 2 writes
    ``np.float64(0.5)``, which it cannot parse.
    """
    if isinstance(value, np.generic):
        value = value.item()
    return _glue(name, value, display=display)


def run_chapter(path) -> dict:
    """Run the code cells of a MyST Markdown chapter (skipping those tagged ``skip-execution``)
    in a fresh namespace and return it: tests and benchmarks reach a chapter's objects this way."""
    import jupytext

    path = Path(path)
    if not path.is_file():
        raise ValueError(f"no chapter at {path}")
    notebook = jupytext.reads(path.read_text(), fmt="md:myst")
    namespace: dict = {"__name__": f"chapter_{path.stem}"}
    for cell in notebook.cells:
        if cell.cell_type == "code" and "skip-execution" not in cell.metadata.get("tags", []):
            exec(compile(cell.source, str(path), "exec"), namespace)
    return namespace


def chapter_explorers(book_dir):
    """Run each chapter in ``book_dir`` that builds an explorer; yield (chapter, name, explorer)."""
    from nnmath.explore import Explorer

    for chapter in sorted(Path(book_dir).glob("*.md")):
        if "Explorer(" in chapter.read_text():
            for name, value in run_chapter(chapter).items():
                if isinstance(value, Explorer):
                    yield chapter.stem, name, value
