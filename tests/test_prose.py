"""The prose states no computed number by hand: what follows "≈" is glued from the code."""

import re
from pathlib import Path

import pytest

BOOK = Path(__file__).resolve().parents[1] / "book"
CHAPTERS = sorted(BOOK.glob("*.md"))


def prose(path, exercises=True):
    """The chapter's text outside code cells and code blocks (captions, exercises and solutions kept;
    without ``exercises``, the exercises' statements are left out, solutions kept)."""
    kept, blocks = [], []  # blocks: the open fences, "code", "exercise" or "directive"
    for line in path.read_text().splitlines():
        fence = re.match(r"^\s*(`{3,}|~{3,})(.*)$", line)
        if fence:
            info = fence.group(2).strip()
            if not info and blocks:
                blocks.pop()
            else:
                blocks.append(
                    "exercise"
                    if info.startswith("{exercise}")
                    else "directive"
                    if info.startswith("{") and not info.startswith("{code-cell")
                    else "code"
                )
            continue
        if "code" not in blocks and (exercises or "exercise" not in blocks):
            kept.append(line)
    return "\n".join(kept)


@pytest.mark.parametrize("chapter", CHAPTERS, ids=lambda p: p.stem)
def test_no_backtick_fence_has_a_backtick_in_its_info_string(chapter):
    """CommonMark: such a line opens no fence, so every box after it shifts (a dropdown title with
    `--only` in code left two of the instructors' page's labels undefined). Fence such a
    directive with tildes (``~~~{admonition} …``): a tilde fence's info string may hold backticks,
    and jupytext still reads the page as MyST (a ``:::`` fence makes it guess Pandoc Markdown)."""
    lines = chapter.read_text().splitlines()
    bad = [n for n, line in enumerate(lines, 1) if re.match(r"^\s*`{3,}(?!`)[^`]*`", line)]
    assert not bad, f"{chapter.name}: a backtick in a backtick fence's info string, lines {bad}"


@pytest.mark.parametrize("chapter", CHAPTERS, ids=lambda p: p.stem)
def test_jupytext_reads_the_page_as_markdown_or_myst(chapter):
    """Tests and tools read every page with jupytext; a ``:::`` fence in a page without MyST
    front matter makes it guess Pandoc Markdown, which needs pandoc (and reads the page otherwise)."""
    from jupytext.formats import guess_format

    assert guess_format(chapter.read_text(), ".md")[0] in ("myst", "markdown"), chapter.name


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
NUMBER = (
    r"(?:10\^\{?(-?\d+)\}?"  # a bare power of ten, 10^{-8}
    r"|(-?\d+(?:\.\d+)?)(?:\s*(?:\\cdot|·|\\times|×)\s*10\^\{?(-?\d+)\}?)?)"  # 0.5, 5 \cdot 10^{-4}
)
# the whole value, not the first term of an expression: "α = 1/c", "λ = 4 ± √5" state no number
TYPED_PARAMETER = re.compile(
    rf"(?<![\w\\]){SYMBOL}\s*=\s*\$?\s*{NUMBER}(?!\d|\.\d|\s*(?:/|±|\\pm))"
)


def code_constants(path):
    """The numbers a chapter's code cells set: assigned to names (``alpha = 0.5``,
    ``EPOCHS, ALPHA = 20, 1.0``, ``offsets = [1e-3, 1e-6]``) or passed to a call as an argument, by
    position or by keyword (``Adam(0.1)``, ``RMSprop(0.05, beta=0.9)``, ``fit(..., learning_rate=0.1)``)."""
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
            elif isinstance(node, ast.Call):
                parts = node.args + [keyword.value for keyword in node.keywords]
            else:
                continue
            for part in parts:
                try:
                    value = ast.literal_eval(part)
                except ValueError:
                    continue
                # a list or tuple of numbers (``offsets = [1e-3, 1e-6, 1e-9]``), or a dict's values
                # (``rates = {"laptop": 1e10}``), sets each of them
                items = value.values() if isinstance(value, dict) else value
                for item in items if isinstance(value, (list, tuple, dict)) else [value]:
                    if isinstance(item, (int, float)) and not isinstance(item, bool) and item != 0:
                        values.add(float(item))
    return values


def typed_parameters(text):
    """(as typed, value) for every "symbol = number" in ``text``."""
    found = []
    for match in TYPED_PARAMETER.finditer(text):
        power, mantissa, exponent = match.group(1), match.group(2), match.group(3)
        value = 10.0 ** int(power) if power else float(mantissa) * 10.0 ** int(exponent or 0)
        found.append((match.group(0), value))
    return found


@pytest.mark.parametrize("chapter", CHAPTERS, ids=lambda p: p.stem)
def test_no_parameter_typed_beside_its_code_constant(chapter):
    """A value the code sets ("alpha = 0.5", "Adam(0.1)") is glued into the prose, not typed as
    "α = 0.5". An exercise's statement may type its givens: there the prose sets the value and the
    solution's code follows it (a glue from a solution cell would not exist in the student edition)."""
    constants = code_constants(chapter)
    typed = [
        text
        for text, value in typed_parameters(prose(chapter, exercises=False))
        if any(abs(value - c) <= 1e-12 * abs(c) for c in constants)
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


def test_typed_parameter_detector_sees_call_arguments(tmp_path):
    """A value passed to a call (Adam(0.1), beta=0.9, a power of ten) and typed in the prose fails
    the chapter test; a fraction, an expression, an exercise's given and a value no code sets pass."""
    page = tmp_path / "page.md"
    code = (
        "```{code-cell} ipython3\nsteps = first_three_steps(Adam(0.1, bias_correction=True))\n"
        "racer = RMSprop(0.05, beta=0.9)\ncheck(step, eps=1e-8)\n"
        "assert np.allclose(a, b, atol=1e-15)\n```\n\n"
    )
    planted = "The table runs Adam ($\\alpha = 0.1$), RMSprop with β = 0.9.\nAnd ε = 10^{-8}.\n"
    page.write_text(code + planted)
    assert {0.1, 0.05, 0.9, 1e-8} <= code_constants(page)
    with pytest.raises(AssertionError, match=r"alpha = 0.1.*β = 0.9.*ε = 10\^\{-8\}"):
        test_no_parameter_typed_beside_its_code_constant(page)
    page.write_text(
        code + "One step lands at $\\alpha = 1/c$; $\\lambda = 4 \\pm \\sqrt 5$; ε = 0 here;"
        " μ = 0.95 is set by no code.\n\n```{exercise}\n:label: ex\n\nTry $\\alpha = 0.1$.\n```\n"
    )
    test_no_parameter_typed_beside_its_code_constant(page)  # nothing to flag


# -- a power of ten typed anywhere in prose, equal to a value the code sets ------------------------
POWER_OF_TEN = re.compile(
    r"(?<![\d.^])(?:(\d+(?:\.\d+)?)\s*(?:\\cdot|·|\\times|×)\s*)?10\^\{?(-?\d+)\}?"
)


def typed_powers_of_ten(text):
    """(as typed, value) for every "10^{-8}" or "2 \\times 10^{-9}" in ``text``, whatever precedes it
    (``(here $10^{-8}$)``, ``w_2^{(0)} = 10^{-9}``, a table's heading)."""
    return [
        (match.group(0), float(match.group(1) or 1) * 10.0 ** int(match.group(2)))
        for match in POWER_OF_TEN.finditer(text)
    ]


def exercise_statements(path):
    """The text of the chapter's ``{exercise}`` blocks: the givens a solution may restate."""
    blocks = re.findall(r"^(`{3,})\{exercise\}[^\n]*\n(.*?)^\1\s*$", path.read_text(), re.S | re.M)
    return "\n".join(body for _, body in blocks)


@pytest.mark.parametrize("chapter", CHAPTERS, ids=lambda p: p.stem)
def test_no_power_of_ten_typed_beside_its_code_constant(chapter):
    """A setting the code gives as a power of ten (``eps=1e-8``, ``offsets = [1e-3, 1e-6, 1e-9]``)
    is glued where the prose states it (``nnmath.book.power_of_ten`` writes it as text), not typed
    as ``$10^{-8}$``: the symbol need not be next to it, as in "ε > 0 (here $10^{-8}$)"."""
    constants = code_constants(chapter)
    givens = [value for _, value in typed_powers_of_ten(exercise_statements(chapter))]
    typed = [
        text
        for text, value in typed_powers_of_ten(prose(chapter, exercises=False))
        if any(abs(value - c) <= 1e-12 * abs(c) for c in constants)
        and not any(abs(value - given) <= 1e-12 * abs(given) for given in givens)
    ]  # a solution may restate its exercise's givens
    assert not typed, f"{chapter.name}: powers of ten typed beside the code that sets them: {typed}"


def test_power_of_ten_detector_sees_the_forms_the_book_used(tmp_path):
    page = tmp_path / "page.md"
    code = "```{code-cell} ipython3\noffsets = [1e-3, 1e-6, 1e-9]\ncheck(step, eps=1e-8)\n```\n\n"
    page.write_text(
        code
        + "The small $\\varepsilon > 0$ (here $10^{-8}$); from $w_2^{(0)} = 10^{-9}$ the gradient "
        "is $2 \\times 10^{-9}$.\n\n| from $10^{-3}$ | $10^{-6}$ |\n"
    )
    assert {1e-3, 1e-6, 1e-9, 1e-8} <= code_constants(page)
    found = typed_powers_of_ten(prose(page))
    assert [value for _, value in found] == pytest.approx([1e-8, 1e-9, 2e-9, 1e-3, 1e-6])
    with pytest.raises(AssertionError, match=r"10\^\{-8\}.*10\^\{-9\}.*10\^\{-3\}.*10\^\{-6\}"):
        test_no_power_of_ten_typed_beside_its_code_constant(page)
    page.write_text(
        code + "Glued: {glue:text}`eps`; $10^{12}$ operations a second, $h^2 = 10^{-10}$.\n\n"
        "```{exercise}\n:label: ex\n\nCut the error by $10^{-3}$.\n```\n\n"
        "```{solution} ex\n:class: dropdown\n\n$k = \\ln 10^{-3}/\\ln\\rho$.\n```\n"
    )
    # no code sets these, or the exercise gives them: nothing to flag
    test_no_power_of_ten_typed_beside_its_code_constant(page)


def test_power_of_ten_writes_the_glued_text():
    from nnmath.book import power_of_ten

    assert [power_of_ten(x) for x in (1e-8, 2e-9, 5e-4, 1e12, 2.5e-9, 1.999999e-9)] == [
        "10⁻⁸",
        "2·10⁻⁹",
        "5·10⁻⁴",
        "10¹²",
        "2.5·10⁻⁹",
        "2·10⁻⁹",
    ]
    with pytest.raises(ValueError, match="non-zero"):
        power_of_ten(0.0)


# -- the step count is k; t is the target (book/notation.md), except in adaptive and adam --------
STEP_WRITTEN_T = re.compile(r"\\alpha_t\b|\^\{?t\}?(?![\w{])|step (?:count )?\$t\$|\$t\$ steps")


@pytest.mark.parametrize(
    "chapter",
    [c for c in CHAPTERS if c.stem not in ("adaptive", "adam", "notation")],
    ids=lambda p: p.stem,
)
def test_step_count_is_k_where_t_is_the_target(chapter):
    """Issue 19: t was both the target and the step count. The notation table keeps t for the
    target and k for steps; adaptive and adam, which have no targets, write Kingma and Ba's β^t and
    say so."""
    found = STEP_WRITTEN_T.findall(prose(chapter))
    assert not found, f"{chapter.name}: a step count written t (the book's steps are k): {found}"


def test_adaptive_says_its_step_count_is_t():
    for chapter in ("adaptive", "adam"):
        text = (BOOK / f"{chapter}.md").read_text()
        assert "the step count is $t$, as in Kingma and Ba's formulas" in text, chapter
    notation = (BOOK / "notation.md").read_text()
    assert "a step count only in {doc}`adaptive` and {doc}`adam`" in notation
