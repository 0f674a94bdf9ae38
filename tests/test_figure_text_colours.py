"""Every text colour a chapter sets on a figure comes from nnmath.plots' checked palette.

``nnmath.plots.TEXT_COLORS`` holds shades with a contrast of at least 4.5:1 on the white figure
face, in light mode and through the dark mode's filter (tests/test_plots.py checks them; WCAG 2.1
1.4.3). A chapter that sets a text colour directly with matplotlib (``ax.text(..., color=...)``,
``set_title``, ``annotate``, ``clabel``, tick and legend label colours) bypasses that check: the
vermillion of the lines (#D55E00) is only 3.87:1 as text. This reads each chapter's code cells
and accepts a text colour only as ``TEXT_COLORS[...]`` or a literal colour that reaches 4.5:1 on
white in both modes.
"""

import ast
from pathlib import Path

import jupytext
import matplotlib.colors as mcolors
import pytest

from nnmath.plots import MIN_CONTRAST, contrast_ratio, dark_mode_color

BOOK = Path(__file__).resolve().parents[1] / "book"
TEXT_CALLS = {
    "text",
    "annotate",
    "set_title",
    "suptitle",
    "title",
    "set_xlabel",
    "set_ylabel",
    "xlabel",
    "ylabel",
    "figtext",
    "clabel",
    "legend",
    "tick_params",
    "set_tick_params",
    "table",
    "bar_label",
}
COLOUR_KEYWORDS = {"color", "c", "colors", "labelcolor", "fontcolor", "textcolor"}


def readable_literal(node) -> bool:
    """A literal colour with MIN_CONTRAST on white, in light and dark mode."""
    if not (isinstance(node, ast.Constant) and isinstance(node.value, str)):
        return False
    try:
        colour = mcolors.to_hex(node.value)
    except ValueError:
        return False
    return (
        contrast_ratio(colour, "white") >= MIN_CONTRAST
        and contrast_ratio(dark_mode_color(colour), dark_mode_color("white")) >= MIN_CONTRAST
    )


def from_palette(node) -> bool:
    return (
        isinstance(node, ast.Subscript)
        and isinstance(node.value, ast.Name)
        and node.value.id == "TEXT_COLORS"
    ) or readable_literal(node)


def text_colours(source: str):
    """(line, call, keyword, expression) of every text colour set in ``source``."""
    for node in ast.walk(ast.parse(source)):
        if not (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr in TEXT_CALLS
        ):
            continue
        for keyword in node.keywords:
            values = []
            if keyword.arg in COLOUR_KEYWORDS:
                values = [keyword.value]
            elif keyword.arg in ("fontdict", "textprops") and isinstance(keyword.value, ast.Dict):
                values = [
                    v
                    for k, v in zip(keyword.value.keys, keyword.value.values)
                    if isinstance(k, ast.Constant) and k.value in COLOUR_KEYWORDS
                ]
            for value in values:
                yield node.lineno, node.func.attr, keyword.arg, value


def chapter_code(path: Path):
    notebook = jupytext.reads(path.read_text(), fmt="md:myst")
    for cell in notebook.cells:
        if cell.cell_type == "code":
            yield "\n".join(
                line
                for line in cell.source.splitlines()
                if not line.lstrip().startswith(("%", "!"))
            )


def test_the_scan_finds_a_colour_set_directly():
    source = (
        'ax.set_title("3 → 5", fontsize=11, color=OKABE_ITO["vermillion"])\n'
        'ax.text(0, 0, "a", color=TEXT_COLORS["weight"])\n'
        'ax.annotate("b", (0, 0), color="#D55E00")\n'
        'ax.text(0, 0, "c", color="#1a1a1a", fontdict={"color": colour})\n'
    )
    found = [(line, call, from_palette(value)) for line, call, _, value in text_colours(source)]
    assert found == [
        (1, "set_title", False),
        (2, "text", True),
        (3, "annotate", False),
        (4, "text", True),
        (4, "text", False),
    ]


@pytest.mark.parametrize("chapter", sorted(BOOK.glob("*.md")), ids=lambda p: p.stem)
def test_chapters_set_text_colours_from_the_checked_palette(chapter):
    unchecked = [
        f"{call}(..., {keyword}={ast.unparse(value)}) (line {line} of its cell)"
        for source in chapter_code(chapter)
        for line, call, keyword, value in text_colours(source)
        if not from_palette(value)
    ]
    assert not unchecked, unchecked
