"""No code a student gets is a solution with a few tokens changed.

The line-by-line leak tests (test_student_edition.py, test_course_release.py) look for a solution's
distinctive lines; a "deliberate mistake" that is the worked answer with ``sum`` made ``mean``
shares none of them verbatim once a line is joined or renamed, and still hands the answer out. So
every code cell a student sees (the chapters' cells not tagged ``solution``, which the student
edition and the course release keep; the assignments' cells outside their solutions and hidden
tests, which ``otter assign`` puts in the student notebook, public tests included) is compared,
as Python tokens, with every solution function (the chapters' cells tagged ``solution``, the
assignments' solutions): with comments and docstrings dropped, local names made one ``NAME``
(attributes, builtins and ``np`` kept), a cell that holds a solution's body with at most
a few tokens changed, inserted or deleted (``is_near_copy``) is a near copy. Variables assigned
once and read once are written in place first (``inlined``), so that joining lines does not hide
a copy either.

Works from the sources (the Markdown chapters, the assignment masters): no build.
"""

from __future__ import annotations

import ast
import builtins
import copy
import difflib
import io
import keyword
import re
import tokenize
from collections import Counter
from functools import lru_cache
from pathlib import Path

import jupytext
import nbformat
import pytest
from conftest import ROOT

# A near copy: at most MAX_PLACES places changed, together at most MAX_SHARE of the solution's
# tokens. The old deliberate mistakes (OLD_MISTAKES below) changed 1 to 5 places, 1 % to 21 % of
# the tokens; the closest cells that are not copies differ in 4 places and 32 % of the tokens, or
# in more places.
MAX_PLACES = 5
MAX_SHARE = 0.25
MIN_TOKENS = 20  # a solution body shorter than this (SGD's one line) says nothing by itself
KEPT_NAMES = set(dir(builtins)) | {"np", "numpy", "nnmath", "self"}
_HIDDEN_TEST = re.compile(r'^\s*"""\s*#\s*BEGIN TEST CONFIG.*?hidden:\s*true', re.S)


def _without_docstrings(tree: ast.AST) -> ast.AST:
    for node in ast.walk(tree):
        body = getattr(node, "body", None)
        if (
            isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.Module))
            and body
            and isinstance(body[0], ast.Expr)
            and isinstance(body[0].value, ast.Constant)
            and isinstance(body[0].value.value, str)
        ):
            node.body = body[1:] or [ast.Pass()]
    return tree


def tokens(source: str) -> list[str]:
    """The code's tokens, as ast.unparse writes it (no comment, no docstring, one layout), with
    local names made ``NAME``: renaming a variable does not hide a copy."""
    out, previous = [], ""
    for token in tokenize.generate_tokens(io.StringIO(source).readline):
        if token.type in (
            tokenize.COMMENT,
            tokenize.NL,
            tokenize.INDENT,
            tokenize.DEDENT,
            tokenize.ENDMARKER,
        ):
            continue
        text = token.string
        if (
            token.type == tokenize.NAME
            and not keyword.iskeyword(text)
            and text not in KEPT_NAMES
            and previous != "."
        ):
            text = "NAME"
        out.append("\n" if token.type == tokenize.NEWLINE else text)
        previous = token.string
    return out


def parse(source: str) -> ast.Module | None:
    """A cell's code, without IPython's magics and shell lines; None if it is not Python."""
    source = re.sub(r"^\s*[%!].*$", "", source, flags=re.M)
    try:
        return ast.parse(source)
    except SyntaxError:
        return None


def _assigned(statement: ast.stmt) -> list[tuple[str, ast.expr]]:
    """(name, value) of ``x = e`` and ``x, y = e1, e2``; [] for anything else."""
    if not (isinstance(statement, ast.Assign) and len(statement.targets) == 1):
        return []
    target, value = statement.targets[0], statement.value
    if isinstance(target, ast.Name):
        return [(target.id, value)]
    if (
        isinstance(target, ast.Tuple)
        and isinstance(value, ast.Tuple)
        and len(target.elts) == len(value.elts)
        and all(isinstance(name, ast.Name) for name in target.elts)
    ):
        return [(name.id, part) for name, part in zip(target.elts, value.elts)]  # type: ignore[attr-defined]
    return []


class _Substitute(ast.NodeTransformer):
    def __init__(self, values: dict):
        self.values = values

    def visit_Name(self, node):
        if isinstance(node.ctx, ast.Load) and node.id in self.values:
            return copy.deepcopy(self.values[node.id])
        return node


def inlined(body: list[ast.stmt]) -> list[ast.stmt]:
    """``body`` with every variable that is assigned once and read once written in its place:
    ``grad_W = delta @ a.T; return grad_W`` and ``return delta @ a.T`` read the same."""
    body = copy.deepcopy(body)
    again = True
    while again:
        again = False
        for i, statement in enumerate(body):
            pairs = _assigned(statement)
            if not pairs:
                continue
            rest = ast.Module(body=body[i + 1 :], type_ignores=[])
            names = [node for node in ast.walk(rest) if isinstance(node, ast.Name)]
            stored = {node.id for node in names if not isinstance(node.ctx, ast.Load)}
            used = {
                name: sum(1 for node in names if node.id == name and isinstance(node.ctx, ast.Load))
                for name, _ in pairs
            }
            reads = {
                node.id
                for _, value in pairs
                for node in ast.walk(value)
                if isinstance(node, ast.Name)
            }
            if all(used[name] == 1 for name, _ in pairs) and not stored & (set(used) | reads):
                values = dict(pairs)
                body = body[:i] + [_Substitute(values).visit(s) for s in body[i + 1 :]]
                again = True
                break
    return body


def body_tokens(function: ast.FunctionDef) -> list[str]:
    body = _without_docstrings(ast.Module(body=inlined(function.body), type_ignores=[]))
    return tokens(ast.unparse(body))


def difference(solution: list[str], code: list[str]) -> tuple[int, int]:
    """(tokens changed, places changed) between ``solution`` and the stretch of ``code`` closest to
    it. Tokens: the solution's tokens the stretch lacks, or the tokens it has besides, whichever
    is more (a token replaced counts once); places: the runs of tokens replaced, inserted or
    deleted."""
    matcher = difflib.SequenceMatcher(None, solution, code, autojunk=False)
    blocks = [block for block in matcher.get_matching_blocks() if block.size]
    if not blocks:
        return len(solution), 1
    start, end = blocks[0].b, blocks[-1].b + blocks[-1].size
    matched = sum(block.size for block in blocks)
    stretch = difflib.SequenceMatcher(None, solution, code[start:end], autojunk=False)
    places = sum(1 for operation, *_ in stretch.get_opcodes() if operation != "equal")
    return max(len(solution) - matched, end - start - matched), places


def is_near_copy(solution: list[str], code: list[str]) -> bool:
    tokens_changed, places = difference(solution, code)
    return places <= MAX_PLACES and tokens_changed <= MAX_SHARE * len(solution)


# ---------------------------------------------------------------------------- the two sides


def chapter_cells(book: Path):
    """(where, source, tagged solution) of every code cell of the chapters in ``book``."""
    for path in sorted(book.glob("*.md")):
        cells = jupytext.reads(path.read_text(), fmt="md:myst").cells
        for index, cell in enumerate(cells):
            if cell.cell_type == "code":
                tags = cell.metadata.get("tags", [])
                yield f"{path.stem} cell {index}", cell.source, "solution" in tags


def assignment_cells(assignments: Path):
    """(where, source, is a solution) of every code cell of the assignment masters; hidden tests
    are neither side (a student never sees them)."""
    for master in sorted(assignments.glob("*/*.ipynb")):
        if master.stem != master.parent.name:
            continue
        in_solution = False
        for index, cell in enumerate(nbformat.read(master, as_version=4).cells):
            if cell.cell_type == "raw":
                if "BEGIN SOLUTION" in cell.source:
                    in_solution = True
                elif "END SOLUTION" in cell.source:
                    in_solution = False
            elif cell.cell_type == "code" and not _HIDDEN_TEST.match(cell.source):
                yield f"{master.stem} cell {index}", cell.source, in_solution


@lru_cache(None)
def sides(root: Path = ROOT) -> tuple[dict, dict]:
    """({solution function: its body's tokens}, {student-visible code: its tokens})."""
    solutions, visible = {}, {}
    cells = [*chapter_cells(root / "book"), *assignment_cells(root / "assignments")]
    for where, source, is_solution in cells:
        tree = parse(source)
        if tree is None:
            continue
        functions = [node for node in ast.walk(tree) if isinstance(node, ast.FunctionDef)]
        if is_solution:
            for function in functions:
                found = body_tokens(function)
                if len(found) >= MIN_TOKENS:
                    solutions[f"{where}: {function.name}"] = found
        else:
            visible.update(cell_code(where, tree))
    return solutions, visible


def cell_code(where: str, tree: ast.Module) -> dict:
    """The token streams a student-visible cell is compared by: every function in it, and the
    cell as a whole (code outside functions)."""
    found = {
        f"{where}: {node.name}": body_tokens(node)
        for node in ast.walk(tree)
        if isinstance(node, ast.FunctionDef)
    }
    found[where] = tokens(ast.unparse(_without_docstrings(tree)))
    return found


def near_copies(root: Path = ROOT, visible: dict | None = None) -> dict:
    """{student-visible code: (the solution it nearly copies, tokens changed, places changed)};
    ``visible`` (where -> tokens) is compared instead of the sources' own when given."""
    solutions, own = sides(root)
    visible = own if visible is None else visible
    found = {}
    for where, code in visible.items():
        have = Counter(code)
        for name, solution in solutions.items():
            # a quick bound first: the tokens the two have in common
            if sum((have & Counter(solution)).values()) < (1 - MAX_SHARE) * len(solution):
                continue
            if is_near_copy(solution, code):
                found[where] = (name, *difference(solution, code))
    return found


# ---------------------------------------------------------------------------- the tests


def test_both_sides_are_found():
    solutions, visible = sides(ROOT)
    names = " ".join(solutions)
    for expected in (
        "my_layer_backward",
        "my_backprop",
        "my_momentum_step",
        "my_adam_step",
        "layer_backward",
        "train_epoch",
        "make_adam",
    ):
        assert expected in names, expected
    assert len(visible) > 200
    # a cell tagged solution is never on the students' side
    assert not [where for where in visible if where in solutions]


# the deliberate mistakes as they were (issue 18): each the worked answer with one thing changed
OLD_MISTAKES = {
    "layer backward, ∇b averaged": '''
def wrong_layer_backward(W, b, a_prev, grad_a):
    """A deliberate mistake: ∇b averaged over the batch instead of summed."""
    a = 1 / (1 + np.exp(-(W @ a_prev + b)))
    delta = grad_a * a * (1 - a)
    return delta, delta @ a_prev.T, delta.mean(axis=1, keepdims=True), W.T @ delta
''',
    "momentum, velocity not carried": '''
def wrong_momentum_step(w, grad, v, alpha=0.1, mu=0.9):
    """A deliberate mistake: the velocity is not carried from one step to the next."""
    v = np.zeros_like(w)
    v = mu * v - alpha * grad
    return w + v, v
''',
    "backprop without f'(z)": '''
def wrong_backprop(net, x, t):
    """A deliberate mistake: (BP2) without the activation derivative."""
    forward, L = net.forward(x), net.L
    delta = {L: net.loss.gradient(forward.a[L], t) * net.f[L].derivative(forward.z[L])}
    for l in range(L - 1, 0, -1):
        delta[l] = net.W[l + 1].T @ delta[l + 1]                                          # ⊙ f'(z^l) missing
    return ({l: delta[l] @ forward.a[l - 1].T for l in delta},
            {l: delta[l].sum(axis=1, keepdims=True) for l in delta})
''',
    "Adam without bias correction": '''
def uncorrected_adam_step(w, grad, state, alpha=0.01, beta1=0.9, beta2=0.999, eps=1e-8):
    """Adam as source 002 writes it: no bias correction."""
    t, v, s = state if state is not None else (0, np.zeros_like(w), np.zeros_like(w))
    v = beta1 * v + (1 - beta1) * grad
    s = beta2 * s + (1 - beta2) * grad**2
    return w - alpha * v / (np.sqrt(s) + eps), (t + 1, v, s)
''',
}


@pytest.mark.parametrize("mistake", sorted(OLD_MISTAKES))
def test_the_old_deliberate_mistakes_are_near_copies(mistake):
    """The test can fail: each of the mistakes the chapters printed before is caught."""
    solutions, _ = sides(ROOT)
    (function,) = parse(OLD_MISTAKES[mistake]).body
    code = body_tokens(function)
    assert [name for name, solution in solutions.items() if is_near_copy(solution, code)], mistake


def test_the_measure():
    def body(source):
        (function,) = parse("def f(g, a):\n" + source).body
        return body_tokens(function)

    right = body(
        "    delta = g * a * (1 - a)\n    grad_b = delta.sum(axis=1)\n    return delta, grad_b"
    )
    assert difference(right, right) == (0, 0)
    renamed_and_joined = body("    d = g * a * (1 - a)\n    return d, d.sum(axis=1)")
    assert difference(right, renamed_and_joined) == (0, 0)
    assert difference(right, body("    d = g * a * (1 - a)\n    return d, d.mean(axis=1)")) == (
        1,
        1,
    )
    assert is_near_copy(right, tokens("x = 1\n" * 30) + right)
    assert not is_near_copy(right, body("    return np.ones(3), None"))


def test_no_code_a_student_gets_is_a_solution_with_a_few_tokens_changed():
    found = near_copies()
    assert not found, found
