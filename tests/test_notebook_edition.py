"""The notebook edition's converter (_ext/notebook_edition/) on a fixture chapter that uses every
directive and role the book uses."""

import base64
import re
import sys
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "_ext"))
sys.path.insert(0, str(ROOT / "tests"))
import notebook_edition as ne  # noqa: E402

RAW_MARKUP = [
    "{glue",
    "```{",
    ":::{",
    "{doc}",
    "{numref}",
    "{prf:ref}",
    "{cite",
    "(chapter-fixture)=",
    ":label:",
    ":class:",
    ":name:",
]
PNG = base64.b64encode(b"\x89PNG\r\n\x1a\n fixture").decode()

MARKDOWN = [
    """(chapter-fixture)=
# A fixture chapter

```{admonition} Learning objectives
:class: tip
After this chapter you can

1. compute $\\nabla C \\cdot v$;
2. cite {cite:p}`rumelhart1986,werbos1974`.
```

The rate is {glue:text}`rate:.3f`, and the count {glue:text}`count`; see {doc}`other_chapter`,
{doc}`the notation <notation>`, {numref}`fig-fixture`, {prf:ref}`thm-fixture`. Code `{glue:text}` stays.""",
    """```{glue:figure} fig_fixture
:name: fig-fixture

A caption with $x^2$ at {glue:text}`rate:.2f`, as in {numref}`fig-fixture`.
```

````{prf:theorem} Steepest ascent
:label: thm-fixture

The gradient is steepest.
````

````{prf:proof}
By Cauchy–Schwarz.
````

```{prf:algorithm} Backpropagation
:label: alg-fixture

1. forward
2. backward
```

:::{admonition} A colon fence
Inside it, {glue:text}`count`.
:::

```{warning}
Grading outside a container runs the submission's code.
```

```{important}
A release is a snapshot: release again after changing the book.
```

In this static page the explorer shows computed states (in this static page the states are computed
in advance; in Jupyter the same cell gives live widgets).

```python
print("an ordinary code block stays")
```""",
    """## Exercises

```{exercise}
:label: ex-fixture

Show that $1 + 1 = 2$.
```

```{solution} ex-fixture
:class: dropdown

SECRET-SOLUTION-TEXT: count them, {glue:text}`rate:.1f`.
```

As {cite:t}`werbos1974` knew (exercise {ref}`ex-fixture`).""",
    """```{bibliography}
:all:
```

```{tableofcontents}
```""",
]


def glue_output(name, data):
    return nbformat.v4.new_output(
        "display_data",
        data={ne.GLUE_PREFIX + k: v for k, v in data.items()},
        metadata={"scrapbook": {"name": name, "mime_prefix": ne.GLUE_PREFIX}},
    )


def fixture_notebook():
    cells = [nbformat.v4.new_markdown_cell(MARKDOWN[0])]
    setup = nbformat.v4.new_code_cell(
        "from nnmath.book import glue\nglue('rate', 0.25, display=False)"
    )
    setup.metadata["tags"] = ["remove-cell"]
    setup.outputs = [glue_output("rate", {"text/plain": "0.25"})]
    cells.append(setup)
    shown = nbformat.v4.new_code_cell("1 + 1")
    shown.outputs = [
        nbformat.v4.new_output("execute_result", data={"text/plain": "2"}, execution_count=3)
    ]
    hidden = nbformat.v4.new_code_cell("draw()")
    hidden.metadata["tags"] = ["hide-input"]
    explorer = nbformat.v4.new_output(
        "display_data",
        data={
            "text/plain": "<Explorer fixture>",
            "text/html": "<figure>static</figure>",
            ne.WIDGET_VIEW: {"model_id": "box", "version_major": 2, "version_minor": 0},
        },
    )
    hidden.outputs = [explorer]
    figure = nbformat.v4.new_code_cell("plot()")
    figure.metadata["tags"] = ["remove-input"]
    figure.outputs = [
        nbformat.v4.new_output("display_data", data={"image/png": PNG, "text/plain": "<Figure>"})
    ]
    cells += [shown, hidden, figure] + [
        nbformat.v4.new_markdown_cell(text) for text in MARKDOWN[1:]
    ]
    notebook = nbformat.v4.new_notebook(cells=cells)
    notebook.metadata["widgets"] = {
        ne.WIDGET_STATE: {
            "version_major": 2,
            "version_minor": 0,
            "state": {
                "box": {
                    "model_name": "VBoxModel",
                    "state": {"children": ["IPY_MODEL_slider", "IPY_MODEL_image"]},
                },
                "slider": {"model_name": "IntSliderModel", "state": {"value": 1}},
                "image": {
                    "model_name": "ImageModel",
                    "state": {"format": "png"},
                    "buffers": [{"path": ["value"], "data": PNG, "encoding": "base64"}],
                },
            },
        }
    }
    return notebook


BOOK = ne.Book(
    base_url="https://example.org/book/",
    repository="https://github.com/org/repo",
    titles={
        "book/fixture": "A fixture chapter",
        "book/other_chapter": "Another chapter",
        "book/notation": "Notation",
    },
    order=["book/intro", "book/fixture", "book/other_chapter", "book/bibliography"],
    sections={"chapter-fixture": ("book/fixture", "A fixture chapter")},
    numbers={
        "fig-fixture": ("book/fixture", "figure", "5"),
        "thm-fixture": ("book/fixture", "theorem", "1"),
        "alg-fixture": ("book/fixture", "algorithm", "2"),
        "ex-fixture": ("book/fixture", "exercise", "7"),
    },
    citations={"rumelhart1986": "Rumelhart et al. 1986", "werbos1974": "Werbos 1974"},
    bibliography="- Werbos (1974). *Beyond Regression*.",
    requirements=["numpy>=1.26,<3"],
)
GLUE = {
    "count": {
        "output_type": "display_data",
        "metadata": {"scrapbook": {"name": "count", "mime_prefix": ne.GLUE_PREFIX}},
        "data": {"text/plain": "42"},
    },
    "fig_fixture": {
        "output_type": "display_data",
        "metadata": {"scrapbook": {"name": "fig_fixture", "mime_prefix": ne.GLUE_PREFIX}},
        "data": {"image/png": PNG, "text/plain": "<Figure>"},
    },
}


def edition(**options):
    return ne.convert(fixture_notebook(), "book/fixture", BOOK, glue=GLUE, **options)


def markdown_of(notebook):
    return "\n\n".join(cell.source for cell in notebook.cells if cell.cell_type == "markdown")


def test_the_fixture_uses_every_directive_and_role_of_the_book():
    used = set()
    for chapter in (ROOT / "book").glob("*.md"):
        text = chapter.read_text()
        used |= set(re.findall(r"^(?:`{3,}|:{3,})\{([\w:-]+)\}", text, re.M)) - {"code-cell"}
        used |= {f"role:{name}" for name in re.findall(r"\{([\w:-]+)\}`", text)}
    fixture = "\n".join(MARKDOWN)
    covered = set(re.findall(r"^(?:`{3,}|:{3,})\{([\w:-]+)\}", fixture, re.M))
    covered |= {f"role:{name}" for name in re.findall(r"\{([\w:-]+)\}`", fixture)}
    assert used - covered == set(), "add these to the fixture chapter"


def test_no_raw_book_markup_remains():
    text = markdown_of(edition())
    code_span = "Code `{glue:text}` stays"  # inline code is the author's, kept verbatim
    assert code_span in text
    text = text.replace(code_span, "")
    for markup in RAW_MARKUP:
        assert markup not in text, markup


def test_glued_values_and_figures():
    notebook = edition()
    text = markdown_of(notebook)
    assert "The rate is 0.250, and the count 42" in text
    assert "Inside it, 42." in text
    figure_cell = next(
        cell for cell in notebook.cells if "attachment:fig_fixture.png" in cell.source
    )
    assert figure_cell.attachments["fig_fixture.png"] == {"image/png": PNG}
    assert "**Fig. 5.** A caption with $x^2$ at 0.25, as in [Fig. 5](" in figure_cell.source
    # the alt text: roles resolved (no raw markup even where it does not show), no math (it breaks the image)
    assert (
        "![A caption with at 0.25, as in Fig. 5.](attachment:fig_fixture.png)" in figure_cell.source
    )


def test_book_constructs_become_markdown():
    text = markdown_of(edition())
    assert (
        "> **Learning objectives**\n>\n> After this chapter you can\n>\n> 1. compute $\\nabla C \\cdot v$;"
        in text
    )
    assert "> **Theorem 1 (Steepest ascent).** The gradient is steepest." in text
    assert "> *Proof.* By Cauchy–Schwarz. $\\square$" in text
    assert "> **Algorithm 2 (Backpropagation).** 1. forward" in text
    assert "**Exercise 7.** Show that $1 + 1 = 2$." in text
    assert "> **Warning**\n>\n> Grading outside a container runs the submission's code." in text
    assert '```python\nprint("an ordinary code block stays")\n```' in text
    assert "- Werbos (1974). *Beyond Regression*." in text
    assert "- [Another chapter](other_chapter.ipynb)" in text


def test_cross_references_link_to_the_published_pages():
    text = markdown_of(edition())
    assert "[Another chapter](https://example.org/book/book/other_chapter.html)" in text
    assert "[the notation](https://example.org/book/book/notation.html)" in text
    assert "[Fig. 5](https://example.org/book/book/fixture.html#fig-fixture)" in text
    assert "[Theorem 1](https://example.org/book/book/fixture.html#thm-fixture)" in text
    assert "([Rumelhart et al. 1986; Werbos 1974](https://example.org/book/book/" in text
    assert "As [Werbos 1974](https://example.org/book/book/bibliography.html) knew" in text
    assert "(exercise [Exercise 7](https://example.org/book/book/fixture.html#ex-fixture))" in text


def test_static_page_wording_is_adapted():
    text = markdown_of(edition())
    assert "static page" not in text
    assert "In the book's web page the explorer" in text
    assert (
        "(run the cell for live widgets; until then its stored output shows the default state)"
        in text
    )


def test_solutions_collapsed_or_absent():
    text = markdown_of(edition())
    match = re.search(
        r"<details>\n<summary>Solution to Exercise 7</summary>\n\n(.*?)\n\n</details>", text, re.S
    )
    assert match and "SECRET-SOLUTION-TEXT: count them, 0.2." in match[1]
    assert text.count("SECRET-SOLUTION-TEXT") == 1
    student = markdown_of(edition(solutions=False))
    assert "SECRET-SOLUTION-TEXT" not in student and "<details>" not in student
    assert "**Exercise 7.**" in student


def test_code_cells_hidden_as_in_the_book_with_outputs_stored():
    code = [cell for cell in edition().cells if cell.cell_type == "code"]
    setup, removed, shown, hidden, figure = code
    assert "google.colab" in setup.source and "numpy>=1.26,<3" in setup.source
    assert (
        removed.metadata.jupyter == {"source_hidden": True, "outputs_hidden": True}
        and removed.outputs == []
    )
    assert "jupyter" not in shown.metadata and shown.outputs[0].data["text/plain"] == "2"
    assert shown.outputs[0].execution_count is None
    assert hidden.metadata.jupyter == {"source_hidden": True}
    assert (
        figure.metadata.jupyter == {"source_hidden": True}
        and figure.outputs[0].data["image/png"] == PNG
    )
    # the explorer is stored as the image of its default state; its widget needs a kernel
    assert hidden.outputs[0].data == {"text/plain": "<Explorer fixture>", "image/png": PNG}


def test_the_setup_cell_is_a_clear_message_without_nnmath(tmp_path):
    import subprocess

    setup = edition().cells[1].source
    # -S: no site-packages, so no nnmath, as on a machine without the book's requirements
    result = subprocess.run(
        [sys.executable, "-S", "-I", "-c", setup], capture_output=True, text=True, cwd=tmp_path
    )
    assert result.returncode != 0
    assert "This chapter needs the nnmath package" in result.stderr
    assert "pip install -r requirements.txt" in result.stderr


def test_notebook_is_valid_and_ids_unique():
    notebook = edition()
    nbformat.validate(notebook)
    ids = [cell.id for cell in notebook.cells]
    assert len(ids) == len(set(ids))
    assert "widgets" not in notebook.metadata


def test_unknown_glue_is_a_clear_error():
    notebook = fixture_notebook()
    notebook.cells[0].source += "\n{glue:text}`missing:.2f`"
    with pytest.raises(ValueError, match="missing"):
        ne.convert(notebook, "book/fixture", BOOK, glue=GLUE)


def test_launch_addresses():
    options = {
        "repository_url": "https://github.com/org/repo",
        "repository_branch": "main",
        "launch_buttons": {"binderhub_url": "https://mybinder.org"},
    }
    assert ne.binder_url(options, "book/steepest_descent") == (
        "https://mybinder.org/v2/gh/org/repo/main?urlpath=git-pull%3Frepo%3Dhttps%253A%252F%252Fgithub.com"
        "%252Forg%252Frepo%26branch%3Dnotebooks%26targetpath%3Dnotebooks%26urlpath%3Dlab%252Ftree%252F"
        "notebooks%252Fsteepest_descent.ipynb"
    )
    assert ne.colab_url(options, "book/steepest_descent") == (
        "https://colab.research.google.com/github/org/repo/blob/notebooks/steepest_descent.ipynb"
    )


def test_the_bibliography_reads_like_the_html_books():
    """pybtex's style (sphinxcontrib-bibtex's default, "alpha") formats it, as on the HTML page."""
    data = ne.read_bibliography([ROOT / "references.bib"])
    entries = ne.bibliography_markdown(data, "alpha").split("\n")
    assert len(entries) == len(data.entries)
    assert (
        "- [RHW86] David E. Rumelhart, Geoffrey E. Hinton, and Ronald J. Williams. Learning "
        "representations by back-propagating errors. *Nature*, 323(6088):533–536, 1986. "
        "[doi:10.1038/323533a0](https://doi.org/10.1038/323533a0)." in entries
    )
    assert (
        "- [Nie15] Michael A. Nielsen. *Neural Networks and Deep Learning*. Determination Press, "
        "2015. URL: [http://neuralnetworksanddeeplearning.com](http://neuralnetworksanddeeplearning.com)."
        in entries
    )
    assert ne.citations(data)["rumelhart1986"] == "Rumelhart et al. 1986"
    assert ne.citations(data)["glorot2010"] == "Glorot and Bengio 2010"


def test_the_setup_cell_does_nothing_where_nnmath_is_installed(tmp_path):
    """On Binder and in a clone with the requirements: no output, no install, no error."""
    import os
    import subprocess

    setup = edition().cells[1].source
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    # the cell may install nothing: any subprocess it started would fail here
    script = (
        "import subprocess\ndef run(*a, **k): raise AssertionError('the setup cell ran ' + repr(a))\n"
        "subprocess.run = subprocess.Popen = run\n" + setup
    )
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, cwd=tmp_path, env=env
    )
    assert (result.returncode, result.stdout, result.stderr) == (0, "", "")


# ---------------------------------------------------------------------------- the built book's buttons


class _Links(__import__("html.parser").parser.HTMLParser):
    """Every <a>'s href and class in a page."""

    def __init__(self):
        super().__init__()
        self.links = []

    def handle_starttag(self, tag, attrs):
        if tag == "a":
            attrs = dict(attrs)
            self.links.append(
                (attrs.get("href", ""), attrs.get("class", "") or "", attrs.get("title", "") or "")
            )


@pytest.fixture(scope="module")
def built_html(request):
    import os

    existing = os.environ.get(
        "NNMATH_NOTEBOOK_EDITION"
    )  # a build's _build/html/notebooks, as test_jupyterlab
    if existing:
        return Path(existing).parent
    html, result = request.getfixturevalue("built_book")
    assert result.returncode == 0, result.stdout[-3000:]
    return html


@pytest.mark.book
def test_every_chapters_buttons_open_its_notebook_edition(built_html):
    import json
    from urllib.parse import parse_qs, urljoin, urlsplit

    import yaml
    from test_jupyterlab import chapters_with_code

    config = yaml.safe_load((ROOT / "_config.yml").read_text())
    options = {
        "repository_url": config["repository"]["url"],
        "repository_branch": config["repository"]["branch"],
        "launch_buttons": config["launch_buttons"],
    }
    chapters = chapters_with_code()
    assert len(chapters) >= 10
    for chapter, page in chapters.items():
        parser = _Links()
        parser.feed((built_html / page).read_text())
        links = parser.links
        download = [href for href, cls, _ in links if "btn-download-notebook-button" in cls]
        assert download == [f"../{ne.NOTEBOOKS_DIR}/{chapter}.ipynb"], (chapter, download)
        notebook = built_html / urlsplit(urljoin(f"https://x/{page}", download[0])).path.lstrip("/")
        cells = json.loads(notebook.read_text())["cells"]
        assert cells[1]["metadata"]["tags"] == ["notebook-setup"], (
            f"{chapter}: the download is not the edition"
        )
        binder = [href for href, _, title in links if title == "Launch on Binder"]
        assert binder == [ne.binder_url(options, f"book/{chapter}")], (chapter, binder)
        pull = parse_qs(urlsplit(parse_qs(urlsplit(binder[0]).query)["urlpath"][0]).query)
        assert pull["branch"] == [ne.NOTEBOOKS_BRANCH] and pull["repo"] == [
            options["repository_url"]
        ]
        assert pull["urlpath"] == [f"lab/tree/{ne.NOTEBOOKS_DIR}/{chapter}.ipynb"], (chapter, pull)
        colab = [href for href, _, title in links if title == "Launch on Colab"]
        assert colab == [ne.colab_url(options, f"book/{chapter}")], (chapter, colab)
        assert colab[0].endswith(f"/blob/{ne.NOTEBOOKS_BRANCH}/{chapter}.ipynb")
        # no button opens the raw chapter as a notebook
        assert not [href for href, cls, _ in links if ".ipynb" in href and "_sources" in href], (
            chapter
        )


def test_cells_that_compute_an_answer_are_dropped_from_the_student_edition():
    notebook = fixture_notebook()
    answer = nbformat.v4.new_code_cell("threshold = 0.6  # SECRET-ANSWER-CODE")
    answer.metadata["tags"] = ["remove-cell", "solution"]
    notebook.cells.append(answer)

    def sources(**options):
        return "\n".join(
            cell.source
            for cell in ne.convert(notebook, "book/fixture", BOOK, glue=GLUE, **options).cells
        )

    assert "SECRET-ANSWER-CODE" in sources()
    assert "SECRET-ANSWER-CODE" not in sources(solutions=False)


def test_a_chapter_reused_from_the_execution_cache_keeps_its_outputs(tmp_path):
    """On a rebuild myst-nb writes a cache hit's executed notebook without outputs; the edition
    takes them from the same jupyter-cache (a clean build's notebook already has them)."""
    from types import SimpleNamespace

    from jupyter_cache import get_cache
    from jupyter_cache.base import CacheBundleIn

    as_read = nbformat.v4.new_notebook(
        cells=[nbformat.v4.new_markdown_cell("# A chapter"), nbformat.v4.new_code_cell("1 + 1")],
        metadata={
            "kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}
        },
    )
    executed = nbformat.from_dict(as_read)
    executed.cells[1].execution_count = 1
    executed.cells[1].outputs = [
        nbformat.v4.new_output("execute_result", {"text/plain": "2"}, execution_count=1)
    ]
    cache = get_cache(tmp_path / "cache")
    cache.cache_notebook_bundle(CacheBundleIn(executed, str(tmp_path / "chapter.ipynb")))
    config = SimpleNamespace(execution_mode="cache", execution_cache_path=str(tmp_path / "cache"))

    merged = ne.with_cached_outputs(nbformat.from_dict(as_read), config)
    assert merged.cells[1].outputs[0]["data"]["text/plain"] == "2"
    # a notebook that has its outputs, or is not in the cache, or is built without the cache,
    # is used as it is
    assert ne.with_cached_outputs(executed, config) is executed
    other = nbformat.from_dict(as_read)
    other.cells[1].source = "2 + 2"
    assert ne.with_cached_outputs(other, config) is other
    off = SimpleNamespace(execution_mode="force", execution_cache_path=str(tmp_path / "cache"))
    unexecuted = nbformat.from_dict(as_read)
    assert ne.with_cached_outputs(unexecuted, off) is unexecuted
