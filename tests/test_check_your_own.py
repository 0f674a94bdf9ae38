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
    "adam": "bias correction is missing",
}


def check_cells(chapter):
    """The code cells after the chapter's "### Check your own" heading."""
    cells = jupytext.reads((BOOK / f"{chapter}.md").read_text(), fmt="md:myst").cells
    start = next(
        i
        for i, cell in enumerate(cells)
        if cell.cell_type == "markdown" and "### Check your own" in cell.source
    )
    return [cell.source for cell in cells[start:] if cell.cell_type == "code"]


def run(source, namespace):
    """Run a cell like Jupyter: return the value of its last line if that is an expression."""
    tree = ast.parse(source)
    last = tree.body.pop() if tree.body and isinstance(tree.body[-1], ast.Expr) else None
    exec(compile(tree, "<cell>", "exec"), namespace)
    return eval(compile(ast.Expression(last.value), "<cell>", "eval"), namespace) if last else None


def check_cell_tags(chapter):
    cells = jupytext.reads((BOOK / f"{chapter}.md").read_text(), fmt="md:myst").cells
    start = next(
        i
        for i, cell in enumerate(cells)
        if cell.cell_type == "markdown" and "### Check your own" in cell.source
    )
    return [cell.metadata.get("tags", []) for cell in cells[start:] if cell.cell_type == "code"]


@pytest.mark.parametrize("chapter", sorted(MISTAKES))
def test_check_your_own_cells(chapter):
    cells = check_cells(chapter)
    assert len(cells) == 3, (
        f"{chapter}: expected the student's stub, the worked answer, the deliberate mistake"
    )
    stub_tags, worked_tags, mistake_tags = check_cell_tags(chapter)
    assert "student-stub" in stub_tags and "raises-exception" in stub_tags
    assert "solution" in worked_tags and "solution" not in mistake_tags
    # the student edition: the stub, then the mistake, without the worked answer
    student = {"np": np}
    with pytest.raises(NotImplementedError):
        run(cells[0], student)
    mistake = run(cells[2], student)
    assert not mistake.passed and len(mistake.problems) == 1
    assert MISTAKES[chapter] in mistake.diagnosis, mistake.diagnosis
    # the full book: the worked answer passes
    namespace = {"np": np}
    yours = run(cells[1], namespace)
    assert yours.passed, f"{chapter}: the printed implementation fails:\n{yours}"
    assert yours.max_relative_error < yours.tolerance
    assert "✓" in str(yours) and "✗" in str(mistake)


@pytest.mark.parametrize("chapter", sorted(MISTAKES))
def test_the_stub_gives_the_signature_and_the_check_but_no_answer(chapter):
    stub, worked, _ = check_cells(chapter)
    signature = lambda source: [
        line for line in source.splitlines() if line.startswith(("def ", "check_"))
    ]
    assert signature(stub) == signature(worked)
    body = ast.parse(stub)
    functions = [
        node
        for node in body.body
        if isinstance(node, ast.FunctionDef) and node.name.startswith("my_")
    ]
    assert len(functions) == 1
    statements = functions[0].body
    assert isinstance(statements[0], ast.Expr) and isinstance(
        statements[0].value, ast.Constant
    )  # docstring
    assert len(statements) == 2 and isinstance(statements[1], ast.Raise)
