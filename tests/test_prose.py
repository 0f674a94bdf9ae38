"""The prose states no computed number by hand: what follows "≈" is glued from the code."""

import re
from pathlib import Path

import pytest

BOOK = Path(__file__).resolve().parents[1] / "book"
CHAPTERS = sorted(BOOK.glob("*.md"))


def prose(path):
    """The chapter's text outside code cells and code blocks (captions, exercises and solutions kept)."""
    kept, blocks = [], []  # blocks: the open fences, "code" or "directive"
    for line in path.read_text().splitlines():
        fence = re.match(r"^\s*(`{3,}|~{3,})(.*)$", line)
        if fence:
            info = fence.group(2).strip()
            if not info and blocks:
                blocks.pop()
            else:
                blocks.append(
                    "directive"
                    if info.startswith("{") and not info.startswith("{code-cell")
                    else "code"
                )
            continue
        if "code" not in blocks:
            kept.append(line)
    return "\n".join(kept)


@pytest.mark.parametrize("chapter", CHAPTERS, ids=lambda p: p.stem)
def test_no_typed_number_after_approx(chapter):
    typed = re.findall(r"(?:\\approx|≈)\s*\$?\s*(-?\d[\d.,]*)", prose(chapter))
    assert not typed, f"{chapter.name}: numbers typed after ≈ (glue them): {typed}"


def test_prose_filter_sees_captions_and_skips_code(tmp_path):
    page = tmp_path / "page.md"
    page.write_text(
        "text\n```{code-cell} ipython3\nx ≈ 3\n```\n\n```{glue:figure} f\nIt is ≈ 7.\n```\n"
        "after ≈ 8\n```python\ny ≈ 9\n```\n"
    )
    text = prose(page)
    assert "≈ 7" in text and "≈ 8" in text and "≈ 3" not in text and "≈ 9" not in text


REFERENCE = re.compile(
    r"\b(?:later|next|previous|following|coming|earlier) chapters?\b|\boptimi[sz]er chapters?\b"
    r"|<!--\s*(?:link:|optimizer-link)",
    re.IGNORECASE,
)


@pytest.mark.parametrize("chapter", CHAPTERS, ids=lambda p: p.stem)
def test_references_to_other_chapters_are_links(chapter):
    """A paragraph that points at another chapter links it with {doc}, so Sphinx checks the target."""
    unlinked = [
        paragraph.strip()[:80]
        for paragraph in re.split(r"\n\s*\n", prose(chapter))
        if REFERENCE.search(paragraph) and "{doc}`" not in paragraph
    ]
    assert not unlinked, f"{chapter.name}: chapters named without a {{doc}} link: {unlinked}"


# -- a parameter value typed in prose beside the code constant that sets it ------------------------
SYMBOL = (
    r"(?:α|μ|β|γ|ε|κ|λ|\\alpha|\\mu|\\beta|\\gamma|\\varepsilon|\\epsilon|\\kappa|\\lambda"
    r"|\|B\||\\lvert B \\rvert)(?:_\{?[\w\\]+\}?)?"
)
NUMBER = r"(-?\d+(?:\.\d+)?)(?:\s*(?:\\cdot|·|\\times|×)\s*10\^\{?(-?\d+)\}?)?"
TYPED_PARAMETER = re.compile(rf"(?<![\w\\]){SYMBOL}\s*=\s*\$?\s*{NUMBER}")


def code_constants(path):
    """The numbers a chapter's code cells assign to names: ``alpha = 0.5``, ``EPOCHS, ALPHA = 20, 1.0``."""
    import ast

    source, values = path.read_text(), set()
    for cell in re.findall(r"^```\{code-cell\}[^\n]*\n(.*?)^```", source, re.S | re.M):
        code = "\n".join(line for line in cell.splitlines() if not line.startswith(":"))
        try:
            tree = ast.parse(code)
        except SyntaxError:
            continue
        for node in ast.walk(tree):
            if isinstance(node, ast.Assign):
                parts = node.value.elts if isinstance(node.value, ast.Tuple) else [node.value]
                for part in parts:
                    try:
                        value = ast.literal_eval(part)
                    except ValueError:
                        continue
                    if (
                        isinstance(value, (int, float))
                        and not isinstance(value, bool)
                        and value != 0
                    ):
                        values.add(float(value))
    return values


def typed_parameters(text):
    """(as typed, value) for every "symbol = number" in ``text``."""
    found = []
    for match in TYPED_PARAMETER.finditer(text):
        mantissa, exponent = match.group(1), match.group(2)
        found.append((match.group(0), float(mantissa) * 10.0 ** int(exponent or 0)))
    return found


# chapters whose typed parameters issue 19 asks other hands to glue; strict: remove once they pass
NOT_YET_GLUED: set[str] = set()


@pytest.mark.parametrize(
    "chapter",
    [
        pytest.param(c, marks=pytest.mark.xfail(strict=True, reason="issue 19"))
        if c.stem in NOT_YET_GLUED
        else c
        for c in CHAPTERS
    ],
    ids=lambda p: p.stem,
)
def test_no_parameter_typed_beside_its_code_constant(chapter):
    """A value the code sets ("alpha = 0.5") is glued into the prose, not typed as "α = 0.5"."""
    constants = code_constants(chapter)
    typed = [
        text
        for text, value in typed_parameters(prose(chapter))
        if any(abs(value - c) <= 1e-12 * max(1.0, abs(c)) for c in constants)
        and not (text.startswith("|B|") and value == 1)
    ]  # |B| = 1 defines single-example SGD
    assert not typed, (
        f"{chapter.name}: parameter values typed beside the code that sets them (glue them): {typed}"
    )


def test_typed_parameter_detector_sees_the_forms_the_book_uses(tmp_path):
    page = tmp_path / "page.md"
    page.write_text(
        "```{code-cell} ipython3\n:tags: [remove-cell]\nepochs, alpha = 20, 0.5\nMU = 0.95\n"
        "RATE = 5e-4\n```\n\nWe use $\\alpha = 0.5$ and μ = 0.95, at $\\alpha = 5 \\cdot 10^{-4}$.\n"
        "Glued: $\\alpha =$ {glue:text}`alpha`; another value, $\\mu = 0.9$; $\\alpha_0 = 1$.\n"
    )
    constants = code_constants(page)
    assert constants == {20.0, 0.5, 0.95, 5e-4}
    typed = typed_parameters(prose(page))
    assert [value for _, value in typed] == [0.5, 0.95, 5e-4, 0.9, 1.0]
    flagged = [text for text, value in typed if value in constants]
    assert flagged == ["\\alpha = 0.5", "μ = 0.95", "\\alpha = 5 \\cdot 10^{-4}"]
