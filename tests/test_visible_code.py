"""Code a reader can see runs when copied in the order shown.

A chapter hides some cells (``remove-cell``: asserts, glue, figure drawing; ``remove-input``: the
output alone). A reader who copies the visible cells into a fresh notebook must not meet a
NameError: every name a visible cell reads (at its top level or inside the functions it defines)
is bound by a visible cell at or before it, or is a builtin. Hidden cells may bind names for other
hidden cells only. ``hide-input`` cells are visible (folded).
"""

import builtins
import symtable
from pathlib import Path

import jupytext
import pytest
from IPython.core.inputtransformer2 import TransformerManager

BOOK = Path(__file__).resolve().parents[1] / "book"
HIDDEN = {"remove-cell", "remove-input"}
# what a Jupyter kernel provides without an import
KERNEL_NAMES = set(dir(builtins)) | {"display", "get_ipython", "__name__"}


def chapters():
    return sorted(p for p in BOOK.glob("*.md") if "```{code-cell}" in p.read_text())


def bound_and_read(source: str) -> tuple[set[str], set[str]]:
    """The global names a cell binds, and those it reads (in any function it defines too)."""
    python = TransformerManager().transform_cell(source)  # %magics and !commands as Python
    table = symtable.symtable(python, "<cell>", "exec")
    bound, read = set(), set()
    stack = [table]
    while stack:
        scope = stack.pop()
        stack.extend(scope.get_children())
        for symbol in scope.get_symbols():
            name = symbol.get_name()
            at_top = scope.get_type() == "module"
            if at_top and (symbol.is_assigned() or symbol.is_imported()):
                bound.add(name)
            elif not at_top and symbol.is_declared_global() and symbol.is_assigned():
                bound.add(name)
            if symbol.is_referenced() and (at_top or symbol.is_global()):
                read.add(name)
    return bound, read


def unbound_names(path: Path) -> list[str]:
    notebook = jupytext.reads(path.read_text(), fmt="md:myst")
    visible_bound = set(KERNEL_NAMES)
    problems = []
    for number, cell in enumerate(c for c in notebook.cells if c.cell_type == "code"):
        if HIDDEN & set(cell.metadata.get("tags", [])):
            continue
        bound, read = bound_and_read(cell.source)
        visible_bound |= bound
        missing = sorted(read - visible_bound)
        if missing:
            first_line = cell.source.strip().splitlines()[0][:60]
            problems.append(f"code cell {number + 1} ({first_line!r}) reads {', '.join(missing)}")
    return problems


@pytest.mark.parametrize("chapter", chapters(), ids=lambda p: p.stem)
def test_visible_cells_bind_every_name_they_read(chapter):
    problems = unbound_names(chapter)
    assert not problems, (
        f"{chapter.name}: a visible cell reads a name that only a hidden cell (remove-cell or "
        "remove-input) binds, so the copied code fails with a NameError:\n" + "\n".join(problems)
    )


def test_the_check_sees_a_name_bound_only_in_a_hidden_cell(tmp_path):
    chapter = tmp_path / "c.md"
    chapter.write_text(
        "```{code-cell} ipython3\n:tags: [remove-cell]\nimport numpy as np\nrate = 0.1\n```\n\n"
        "```{code-cell} ipython3\ndef step(w):\n    return w - rate * np.ones(2)\n```\n\n"
        "```{code-cell} ipython3\n:tags: [hide-input]\nrate = 0.2\nprint(rate, len([1]))\n```\n"
    )
    assert unbound_names(chapter) == ["code cell 2 ('def step(w):') reads np, rate"]
