"""Build the student edition of the book: every exercise solution left out (README, "Student edition").

    python tools/build_student_edition.py            # -> _build/student/html

It merges ``_config_student.yml`` over ``_config.yml`` (mappings merged key by key, anything else
replaced), writes the result next to the output (``_build/student/_config.yml``) and runs Jupyter
Book's own build on it, as ``jupyter-book build . -W -n --keep-going`` does, but into its own
directory, so the instructor edition in ``_build/html`` is left alone. The chapters' outputs come
from the instructor build's execution cache (``_build/.jupyter_cache``): the code is the same, so a
chapter the instructor build ran is not run again.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
OVERLAY = ROOT / "_config_student.yml"
LEFT_OUT = ["book/instructors"]  # pages for instructors only: in no student edition


def student_toc(path: Path, root: Path = ROOT) -> Path:
    """The book's table of contents without the pages in LEFT_OUT (and parts left empty), written
    to ``path``."""
    toc = yaml.safe_load((root / "_toc.yml").read_text())
    parts = []
    for part in toc.get("parts", []):
        chapters = [
            chapter for chapter in part.get("chapters", []) if chapter.get("file") not in LEFT_OUT
        ]
        if chapters:
            parts.append({**part, "chapters": chapters})
    toc["parts"] = parts
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(yaml.safe_dump(toc, sort_keys=False))
    return path


def merged(base: dict, overlay: dict) -> dict:
    """``base`` with ``overlay`` on top: mappings merged key by key, any other value replaced."""
    result = dict(base)
    for key, value in overlay.items():
        if isinstance(value, dict) and isinstance(result.get(key), dict):
            result[key] = merged(result[key], value)
        else:
            result[key] = value
    return result


def student_config(
    root: Path = ROOT, overlay: Path = OVERLAY, cache: Path | None = None, extra: dict | None = None
) -> dict:
    """The student edition's Jupyter Book configuration, with paths made absolute (it is written
    elsewhere than the book); ``extra`` is merged on top (tools/make_course.py: the course's URLs)."""
    for path in (root / "_config.yml", overlay):
        if not path.is_file():
            raise ValueError(f"no configuration file at {path}")
    config = merged(
        yaml.safe_load((root / "_config.yml").read_text()) or {},
        yaml.safe_load(overlay.read_text()) or {},
    )
    config = merged(config, extra or {})
    extensions = config.get("sphinx", {}).get("local_extensions", {})
    for name, folder in extensions.items():
        extensions[name] = str((root / folder).resolve())
    if "student_edition" not in extensions:
        raise ValueError(
            f"{overlay}: sphinx.local_extensions must load student_edition (from _ext)"
        )
    execute = config.setdefault("execute", {})
    execute["cache"] = str(
        Path(cache or execute.get("cache") or root / "_build" / ".jupyter_cache").resolve()
    )
    return config


def build(
    output: Path,
    *,
    root: Path = ROOT,
    overlay: Path = OVERLAY,
    cache: Path | None = None,
    strict: bool = True,
    extra: dict | None = None,
    toc: Path | None = None,
) -> int:
    """Build the student edition's HTML into ``output``; Sphinx's exit status (0: built clean).
    ``extra``: configuration merged over the student overlay; ``toc``: another table of contents
    (default: the book's without LEFT_OUT, the instructors' page)."""
    from jupyter_book.sphinx import build_sphinx

    output = Path(output).resolve()
    config_path = output.parent / "_config.yml"
    config_path.parent.mkdir(parents=True, exist_ok=True)
    config_path.write_text(
        "# written by tools/build_student_edition.py: _config.yml + _config_student.yml\n"
        + yaml.safe_dump(student_config(root, overlay, cache, extra), sort_keys=False)
    )
    print(f"Student edition: {root} -> {output} (configuration {config_path})")
    toc = toc or student_toc(output.parent / "_toc.yml", root)
    overrides = {
        "external_toc_path": Path(toc).resolve().as_posix(),
        "student_edition_left_out": LEFT_OUT,
        "latex_individualpages": False,
    }
    if strict:
        overrides["nitpicky"] = True  # like -n
    result = build_sphinx(
        root,
        output,
        noconfig=True,
        path_config=str(config_path),
        confoverrides=overrides,
        builder="html",
        warningiserror=strict,
        keep_going=strict,
    )
    return result if isinstance(result, int) else 1


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument(
        "--output",
        type=Path,
        default=ROOT / "_build" / "student" / "html",
        help="where the HTML goes (default: _build/student/html)",
    )
    parser.add_argument(
        "--cache",
        type=Path,
        default=None,
        help="jupyter-cache to reuse (default: the instructor build's, _build/.jupyter_cache)",
    )
    parser.add_argument(
        "--no-strict",
        dest="strict",
        action="store_false",
        help="do not treat warnings as errors (the default is -W -n --keep-going)",
    )
    args = parser.parse_args(argv)
    return build(args.output, cache=args.cache, strict=args.strict)


if __name__ == "__main__":
    sys.exit(main())
