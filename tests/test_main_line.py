"""tools/main_line.py, the review tool that shows a built page's main line (folds closed)."""

import pytest

from tools.main_line import main, main_line_words, page_text

PAGE = """<html><body><main>
<h1>Momentum</h1><p>The main line says this.</p>
<details><summary>Details: five seeds</summary><p>Seed by seed numbers here.</p>
<details><summary>inner</summary><p>nested text</p></details></details>
<div class="admonition dropdown"><p class="admonition-title">For the expert: a proof</p>
<p>Proof text.</p></div>
<pre>x = 1</pre>
</main></body></html>"""


def test_the_main_line_shows_each_fold_as_one_line_with_its_title_and_size():
    text = page_text(PAGE)
    assert "The main line says this." in text
    assert "Seed by seed" not in text and "nested text" not in text and "Proof text" not in text
    assert "«Details: five seeds», 11 words]" in text  # title and nested fold counted
    assert "«For the expert: a proof», 7 words]" in text
    assert text.count("[FOLDED BOX") == 2
    assert text.index("```") < text.index("x = 1") < text.rindex("```")  # code marked as code


def test_the_full_text_opens_every_fold_and_marks_it():
    text = page_text(PAGE, full=True)
    assert "Seed by seed numbers here." in text and "nested text" in text and "Proof text." in text
    assert text.count("[FOLDED «") == text.count("[/FOLDED]") == 2


def test_a_missing_page_is_named(tmp_path, capsys):
    with pytest.raises(SystemExit):
        main([str(tmp_path / "nope.html")])
    assert "no built page at" in capsys.readouterr().err


def test_every_built_chapter_has_a_main_line_shorter_than_the_page(built_book):
    html_dir, _ = built_book
    for page in sorted((html_dir / "book").glob("*.html")):
        html = page.read_text(encoding="utf-8")
        words = main_line_words(html)
        assert 0 < words <= len(page_text(html, full=True).split()), page.name


# The most words each page's main line (folds closed) may hold. Readers judge a page by its main
# line; each fix round tends to add the sentence the last reader asked for, so a page that grows
# past its budget must move something into a fold titled by what it holds, or cut it.
MAIN_LINE_BUDGET = {
    "sgd": 3845,
    "schedules": 2715,
    "momentum": 3925,
    "nesterov": 2750,
    "adaptive": 2315,
    "adam": 3320,
    "newton": 4225,
    "training_a_network": 3040,
    "depth": 2781,
    "instructors": 3165,
}


@pytest.mark.parametrize("page", sorted(MAIN_LINE_BUDGET))
def test_each_main_line_keeps_to_its_word_budget(built_book, page):
    html_dir, _ = built_book
    words = main_line_words((html_dir / "book" / f"{page}.html").read_text(encoding="utf-8"))
    assert words <= MAIN_LINE_BUDGET[page], (
        f"{page}: the main line has {words} words, over its budget of {MAIN_LINE_BUDGET[page]}"
    )
