"""The chapters' "Check your own" cells: the reader's function, as printed, passes its check, and
the deliberately wrong one next to it fails with the diagnosis the prose announces."""
import ast
from pathlib import Path

import jupytext
import numpy as np
import pytest

BOOK = Path(__file__).resolve().parents[1] / "book"

# chapter: words the diagnosis of its deliberate mistake must contain
MISTAKES = {
    "chain_rule": "evaluated at x instead of at the inner value",
    "backprop_equations": "averaged over the batch instead of summed",
    "gradient_checking": "activation derivative is missing",
    "momentum": "state is not carried",
    "adaptive": "bias correction is missing",
}


def check_cells(chapter):
    """The code cells after the chapter's "### Check your own" heading."""
    cells = jupytext.reads((BOOK / f"{chapter}.md").read_text(), fmt="md:myst").cells
    start = next(i for i, cell in enumerate(cells)
                 if cell.cell_type == "markdown" and "### Check your own" in cell.source)
    return [cell.source for cell in cells[start:] if cell.cell_type == "code"]


def run(source, namespace):
    """Run a cell like Jupyter: return the value of its last line if that is an expression."""
    tree = ast.parse(source)
    last = tree.body.pop() if tree.body and isinstance(tree.body[-1], ast.Expr) else None
    exec(compile(tree, "<cell>", "exec"), namespace)
    return eval(compile(ast.Expression(last.value), "<cell>", "eval"), namespace) if last else None


@pytest.mark.parametrize("chapter", sorted(MISTAKES))
def test_check_your_own_cells(chapter):
    cells = check_cells(chapter)
    assert len(cells) == 2, f"{chapter}: expected the reader's cell and the deliberate mistake"
    namespace = {"np": np}
    yours, mistake = (run(source, namespace) for source in cells)
    assert yours.passed, f"{chapter}: the printed implementation fails:\n{yours}"
    assert yours.max_relative_error < yours.tolerance
    assert not mistake.passed and len(mistake.problems) == 1
    assert MISTAKES[chapter] in mistake.diagnosis, mistake.diagnosis
    assert "✓" in str(yours) and "✗" in str(mistake)
