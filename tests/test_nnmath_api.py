"""The class installs a released nnmath (the tag of pyproject's version), not this working tree.

``nnmath/API.txt`` records the public names of each released version. The chapters and the
assignments may import only names of the current version's list, and the current nnmath must
have every one of them: a new public function imported before its version is bumped (and tagged)
fails here, instead of in a student's Binder. Print the current names with
``python tests/test_nnmath_api.py``; a released version's list never changes.
"""

import importlib
import inspect
import json
import pkgutil
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
API = ROOT / "nnmath" / "API.txt"


def recorded() -> dict[str, dict[str, set[str]]]:
    """API.txt as {version: {module: names}}."""
    versions, current = {}, None
    for line in API.read_text().splitlines():
        if match := re.fullmatch(r"\[(\d+\.\d+\.\d+)\]", line.strip()):
            current = versions.setdefault(match[1], {})
        elif line.strip() and not line.startswith("#"):
            module, names = line.split(":")
            current[module.strip()] = set(names.split())
    return versions


def public_names() -> dict[str, set[str]]:
    """Every nnmath module and the public names it defines or re-exports from nnmath."""
    import nnmath

    found = {}
    for info in pkgutil.walk_packages(nnmath.__path__, "nnmath."):
        if not any(part.startswith("_") for part in info.name.split(".")):
            importlib.import_module(info.name)
    for name in ["nnmath", *sorted(m for m in sys.modules if m.startswith("nnmath."))]:
        if any(part.startswith("_") for part in name.split(".")):
            continue
        module = sys.modules[name]
        found[name] = {
            attr
            for attr, value in vars(module).items()
            if not attr.startswith("_")
            and (
                value.__name__ if inspect.ismodule(value) else getattr(value, "__module__", name)
            ).startswith("nnmath")
        }
    return found


IMPORT = re.compile(
    r"^[ \t]*(?:from[ \t]+(nnmath[\w.]*)[ \t]+import[ \t]+(\([^)]*\)|[^\n#]*)"
    r"|import[ \t]+(nnmath[\w.]*))",
    re.MULTILINE,
)


def imported() -> set[tuple[str, str, str]]:
    """(file, module, name) of every nnmath import in book/*.md and assignments/*/*.ipynb."""
    texts = {p: p.read_text() for p in sorted((ROOT / "book").glob("*.md"))}
    for notebook in sorted((ROOT / "assignments").glob("*/*.ipynb")):
        cells = json.loads(notebook.read_text())["cells"]
        texts[notebook] = "\n".join("".join(cell["source"]) for cell in cells)
    found = set()
    for path, text in texts.items():
        for module, names, whole in IMPORT.findall(text):
            where = str(path.relative_to(ROOT))
            if whole:
                found.add((where, whole, ""))
            for name in names.strip("() \n").replace("\n", " ").split(","):
                if name.split():
                    found.add((where, module, name.split()[0]))
    return found


def test_the_book_and_the_assignments_import_only_what_the_pinned_nnmath_has():
    import nnmath

    api = recorded()
    assert nnmath.__version__ in api, (
        f"nnmath/API.txt has no [{nnmath.__version__}]: record the new version's names "
        "(python tests/test_nnmath_api.py prints them)"
    )
    names = api[nnmath.__version__]
    uses = imported()
    assert any(module == "nnmath.datasets" and name == "split" for _, module, name in uses)
    missing = sorted(
        f"{where}: {module} {name}".strip()
        for where, module, name in uses
        if module not in names
        or name
        and name not in names[module]
        and f"{module}.{name}" not in names
    )
    assert not missing, (
        f"imported, but not in nnmath {nnmath.__version__} as released (nnmath/API.txt): "
        f"{missing}. A new public name needs a new version: bump pyproject.toml, CHANGELOG, tag"
    )


def test_the_current_nnmath_has_every_name_its_version_records():
    import nnmath

    have = public_names()
    lost = sorted(
        f"{module}.{name}"
        for module, names in recorded()[nnmath.__version__].items()
        for name in names
        if name not in have.get(module, ())
    )
    assert not lost, f"nnmath/API.txt lists names this nnmath lacks: {lost}"


if __name__ == "__main__":
    for module, names in sorted(public_names().items()):
        print(f"{module}: {' '.join(sorted(names))}")
