"""Code cells tagged ``solution`` compute the answers of exercises, and the student edition drops
them: nothing else in a chapter may depend on them."""

import ast
import re
from pathlib import Path

import jupytext
import pytest

BOOK = Path(__file__).resolve().parents[1] / "book"
CHAPTERS = sorted(BOOK.glob("*.md"))


def solution_text_removed(text):
    """The chapter without its {solution} blocks (a block may hold a nested ``` code block)."""
    kept, depth = [], 0
    for line in text.splitlines():
        if depth == 0 and re.match(r"`{3,}\{solution\}", line):
            depth = 1
            continue
        if depth:
            fence = re.match(r"^(`{3,})(.*)$", line)
            if fence:
                depth += 1 if fence.group(2).strip() else -1
            continue
        kept.append(line)
    return "\n".join(kept)


def names(source, kind):
    tree = ast.parse(source)
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Name) and isinstance(node.ctx, kind):
            found.add(node.id)
        elif kind is ast.Store and isinstance(node, (ast.FunctionDef, ast.ClassDef)):
            found.add(node.name)
    return found


@pytest.mark.parametrize("chapter", CHAPTERS, ids=lambda p: p.stem)
def test_nothing_outside_the_solutions_needs_a_solution_cell(chapter):
    text = chapter.read_text()
    cells = [cell for cell in jupytext.reads(text, fmt="md:myst").cells if cell.cell_type == "code"]
    solution = [("solution" in cell.metadata.get("tags", [])) for cell in cells]
    defined_elsewhere = set().union(
        *(names(c.source, ast.Store) for c, s in zip(cells, solution) if not s)
    )
    only_in_solutions = set()
    for index, (cell, is_solution) in enumerate(zip(cells, solution)):
        # a worked answer the full book shows follows the stub the student edition shows instead
        after_stub = index > 0 and "student-stub" in cells[index - 1].metadata.get("tags", [])
        if is_solution:
            assert "remove-cell" in cell.metadata["tags"] or after_stub, (
                f"{chapter.name}: a solution cell must be hidden or follow a student-stub cell"
            )
            only_in_solutions |= names(cell.source, ast.Store) - defined_elsewhere
        else:
            needed = names(cell.source, ast.Load) & only_in_solutions
            assert not needed, (
                f"{chapter.name}: a cell uses {sorted(needed)}, defined only in solution cells"
            )
    # what a solution cell glues is referred to only inside {solution} blocks
    outside = solution_text_removed(text)
    for cell, is_solution in zip(cells, solution):
        if is_solution:
            for key in re.findall(r'glue\(\s*"([^"]+)"', cell.source):
                assert not re.search(r"\{glue:[a-z]*\}`" + re.escape(key) + r"[`:]", outside), (
                    f"{chapter.name}: {key} is glued in a solution cell but used outside the solutions"
                )


def test_solution_text_removal_keeps_nested_code_blocks_inside(tmp_path):
    text = "a\n```{solution} ex\n:class: dropdown\n\n```python\nx = 1\n```\n\n{glue:text}`k`\n```\nb {glue:text}`m`\n"
    assert solution_text_removed(text) == "a\nb {glue:text}`m`"
