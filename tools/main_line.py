"""The text of a built chapter page as a reader meets it, for reviewing a chapter.

    python tools/main_line.py _build/html/book/sgd.html          # the main line
    python tools/main_line.py _build/html/book/sgd.html --full   # everything, folds marked
    python tools/main_line.py _build/html/book/*.html --count    # main-line words per page

The *main line* is what a student reads with every fold closed: each dropdown and each folded code
cell shows as one line, «[FOLDED BOX, closed by default: title, N words]», since a student opens a
fold only when its title makes them curious. ``--full`` is what an expert reads: every fold's content, between
[FOLDED «title»] and [/FOLDED]. CONTRIBUTING.md ("Reviewing a chapter") says how readings use it.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from bs4 import BeautifulSoup, Tag

# A sphinx-design dropdown and a MyST `{dropdown}` admonition build to <details> or to an
# admonition with class "dropdown"; a folded code cell (hide-input, hide-output) to <details>.
FOLDS = "div.admonition.dropdown, details, .toggle"


def _outermost_folds(main: Tag) -> list[Tag]:
    folds = main.select(FOLDS)
    return [fold for fold in folds if not any(other in fold.parents for other in folds)]


def page_text(html: str, full: bool = False) -> str:
    """The readable text of a page's <main>: folds closed (the main line) or open and marked."""
    soup = BeautifulSoup(html, "html.parser")
    main = soup.find("main") or soup
    for fold in _outermost_folds(main):
        title_tag = fold.find("summary") or fold.find(class_="admonition-title")
        title = title_tag.get_text(" ", strip=True) if title_tag else "(untitled)"
        if full:
            fold.insert_before(soup.new_string(f"\n[FOLDED «{title}»]\n"))
            fold.insert_after(soup.new_string("\n[/FOLDED]\n"))
        else:
            words = len(fold.get_text(" ", strip=True).split())
            fold.replace_with(
                soup.new_string(f"\n[FOLDED BOX, closed by default: «{title}», {words} words]\n")
            )
    for block in main.find_all("pre"):
        block.insert_before(soup.new_string("\n```\n"))
        block.insert_after(soup.new_string("\n```\n"))
    lines = [line.rstrip() for line in main.get_text("\n").splitlines()]
    kept: list[str] = []
    for line in lines:  # at most one blank line in a row
        if line or (kept and kept[-1]):
            kept.append(line)
    return "\n".join(kept).strip() + "\n"


def main_line_words(html: str) -> int:
    """Words on the main line, the fold markers counted as the line a reader sees."""
    return len(page_text(html).split())


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("pages", nargs="+", type=Path, help="built HTML pages")
    mode = parser.add_mutually_exclusive_group()
    mode.add_argument("--full", action="store_true", help="every fold open, marked")
    mode.add_argument("--count", action="store_true", help="main-line words per page")
    args = parser.parse_args(argv)
    for page in args.pages:
        if not page.is_file():
            parser.error(f"no built page at {page} (build the book first: jupyter-book build .)")
    for page in args.pages:
        html = page.read_text(encoding="utf-8")
        if args.count:
            print(f"{main_line_words(html):6d}  {page}")
        else:
            sys.stdout.write(page_text(html, full=args.full))
    return 0


if __name__ == "__main__":
    sys.exit(main())
