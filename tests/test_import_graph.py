"""CONTRIBUTING's import rules, read from every module's own import statements: the core imports
no leaf; a leaf imports the core and no other leaf; within the core no cycle."""

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "nnmath"
LEAVES = {"symbolic", "plots", "explore", "book"}


def top_module(path):
    """``nnmath.plots.style`` -> ``plots``; ``nnmath/network.py`` -> ``network``."""
    parts = path.relative_to(PACKAGE).with_suffix("").parts
    return parts[0] if parts[0] != "__init__" else "__init__"


def imported_nnmath_modules(path):
    """The top-level nnmath modules a file imports (absolute or relative), anywhere in it."""
    module_parts = ["nnmath", *path.relative_to(PACKAGE).with_suffix("").parts]
    package = module_parts[:-1] if module_parts[-1] != "__init__" else module_parts[:-1]
    found = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package[: len(package) - node.level + 1]
                names = [".".join(base + ([node.module] if node.module else []))]
                if not node.module:  # from . import a, b
                    names = [".".join(base + [alias.name]) for alias in node.names]
            else:
                names = [node.module or ""]
        else:
            continue
        for name in names:
            parts = name.split(".")
            if parts[0] == "nnmath" and len(parts) > 1:
                found.add(parts[1])
    return found


def import_graph():
    graph = {}
    for path in PACKAGE.rglob("*.py"):
        graph.setdefault(top_module(path), set()).update(imported_nnmath_modules(path))
    for module, imports in graph.items():
        imports.discard(module)
    return graph


def test_the_core_imports_no_leaf_and_no_leaf_imports_another():
    graph = import_graph()
    assert LEAVES <= set(graph), set(graph)
    wrong = {
        module: sorted(imports & LEAVES)
        for module, imports in graph.items()
        if module != "__init__"
    }
    wrong = {module: others for module, others in wrong.items() if others}
    assert not wrong, f"imports of a leaf from the core or from another leaf: {wrong}"
    assert not graph["__init__"] & LEAVES, graph["__init__"]


def test_the_core_has_no_import_cycle():
    graph = {m: i - LEAVES for m, i in import_graph().items() if m not in LEAVES | {"__init__"}}
    done, active = set(), []

    def visit(module):
        if module in active:
            pytest.fail("import cycle: " + " -> ".join(active[active.index(module) :] + [module]))
        if module in done:
            return
        active.append(module)
        for other in sorted(graph.get(module, ())):
            visit(other)
        active.pop()
        done.add(module)

    for module in sorted(graph):
        visit(module)


def test_the_reader_sees_a_leaf_to_leaf_edge(tmp_path, monkeypatch):
    """The graph reader itself: a relative import of another leaf is found."""
    fake = tmp_path / "nnmath"
    (fake / "explore").mkdir(parents=True)
    (fake / "explore" / "images.py").write_text("from ..plots import ROLE_COLORS\n")
    monkeypatch.setattr(__import__(__name__), "PACKAGE", fake)
    assert imported_nnmath_modules(fake / "explore" / "images.py") == {"plots"}
