"""Run the book's chapters outside Jupyter Book: the harness that tests and benchmarks use to reach
a chapter's objects (its explorers above all). Not part of the nnmath package a reader installs.

    from tools.chapters import chapter_explorers, run_chapter

``tools`` is found from the repository root: pytest puts it on the path (``pythonpath`` in
pyproject.toml); a script elsewhere inserts the root itself, as benchmarks/explorers.py does.
"""

from __future__ import annotations

from pathlib import Path

__all__ = ["run_chapter", "explorers_in", "chapter_explorers", "chapters_with_explorers"]


def run_chapter(path) -> dict:
    """Run the code cells of a MyST Markdown chapter (skipping those tagged ``skip-execution``)
    in a fresh namespace and return it. A cell tagged ``raises-exception`` may raise, as in Jupyter
    (a student's stub that is not written yet)."""
    import jupytext

    path = Path(path)
    if not path.is_file():
        raise ValueError(f"no chapter at {path}")
    notebook = jupytext.reads(path.read_text(), fmt="md:myst")
    namespace: dict = {"__name__": f"chapter_{path.stem}"}
    for cell in notebook.cells:
        tags = cell.metadata.get("tags", []) if cell.cell_type == "code" else ["skip-execution"]
        if "skip-execution" in tags:
            continue
        try:
            # dont_inherit: the cells run as in Jupyter, without this module's __future__ annotations
            exec(compile(cell.source, str(path), "exec", dont_inherit=True), namespace)
        except Exception:
            if "raises-exception" not in tags:
                raise
    return namespace


def chapters_with_explorers(book_dir) -> list[Path]:
    """The chapters in ``book_dir`` whose code builds an explorer."""
    return [path for path in sorted(Path(book_dir).glob("*.md")) if "Explorer(" in path.read_text()]


def explorers_in(namespace: dict) -> dict:
    """The explorers a chapter's namespace (from :func:`run_chapter`) holds, by variable name."""
    from nnmath.explore import Explorer

    return {name: value for name, value in namespace.items() if isinstance(value, Explorer)}


def chapter_explorers(book_dir):
    """Run each chapter in ``book_dir`` that builds an explorer; yield (chapter, name, explorer)."""
    for chapter in chapters_with_explorers(book_dir):
        for name, explorer in explorers_in(run_chapter(chapter)).items():
            yield chapter.stem, name, explorer
