"""The prose states no computed number by hand: what follows "≈" is glued from the code."""
import re
from pathlib import Path

import pytest

BOOK = Path(__file__).resolve().parents[1] / "book"
CHAPTERS = sorted(BOOK.glob("*.md"))


def prose(path):
    """The chapter's text outside code cells and code blocks (captions, exercises and solutions kept)."""
    kept, blocks = [], []          # blocks: the open fences, "code" or "directive"
    for line in path.read_text().splitlines():
        fence = re.match(r"^\s*(`{3,}|~{3,})(.*)$", line)
        if fence:
            info = fence.group(2).strip()
            if not info and blocks:
                blocks.pop()
            else:
                blocks.append("directive" if info.startswith("{") and not info.startswith("{code-cell")
                              else "code")
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
    page.write_text("text\n```{code-cell} ipython3\nx ≈ 3\n```\n\n```{glue:figure} f\nIt is ≈ 7.\n```\n"
                    "after ≈ 8\n```python\ny ≈ 9\n```\n")
    text = prose(page)
    assert "≈ 7" in text and "≈ 8" in text and "≈ 3" not in text and "≈ 9" not in text


REFERENCE = re.compile(r"\b(?:later|next|previous|following|coming|earlier) chapters?\b|\boptimi[sz]er chapters?\b"
                       r"|<!--\s*(?:link:|optimizer-link)", re.IGNORECASE)


@pytest.mark.parametrize("chapter", CHAPTERS, ids=lambda p: p.stem)
def test_references_to_other_chapters_are_links(chapter):
    """A paragraph that points at another chapter links it with {doc}, so Sphinx checks the target."""
    unlinked = [paragraph.strip()[:80] for paragraph in re.split(r"\n\s*\n", prose(chapter))
                if REFERENCE.search(paragraph) and "{doc}`" not in paragraph]
    assert not unlinked, f"{chapter.name}: chapters named without a {{doc}} link: {unlinked}"
