"""The student edition (tools/build_student_edition.py) leaves every exercise solution out of
everything a student can reach: the pages, the search index, _sources/, every downloadable notebook,
the notebook edition, and what the launch buttons open. The instructor edition keeps them (checked
on the same texts, so the leak test cannot pass by looking for the wrong thing)."""

import html as html_lib
import json
import os
import re
import subprocess
import sys
from functools import lru_cache
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlparse

import pytest
import yaml
from conftest import ROOT
from local_site import toc_pages

sys.path.insert(0, str(ROOT / "tools"))
import build_student_edition  # noqa: E402

STUDENT_COMMAND = ["python", "tools/build_student_edition.py"]  # the README's, word for word
MIN_FRAGMENT = 20  # characters: shorter pieces ("so", "$x$") say nothing about a leak

_SOLUTION_OPEN = re.compile(r"^(?P<fence>`{3,}|:{3,})\{solution\}")
_OPTION = re.compile(r"^:[\w-]+:.*$")
# the markup that renders differently in HTML and in a notebook: split the text at it
_MARKUP = re.compile(
    r"\$\$.*?\$\$|\$[^$]+\$|\{[\w:-]+\}`[^`]*`|``[^`]+``|`[^`]+`|\[[^\]]*\]\([^)]*\)|"
    r"\*\*|\*|(?<!\w)_|_(?!\w)|\\\\|<[^>]+>",
    re.S,
)
_TYPOGRAPHY = str.maketrans(
    {
        "\u2019": "'",
        "\u2018": "'",
        "\u201c": '"',
        "\u201d": '"',
        "\u2013": "-",
        "\u2014": "-",
        "\u2026": "...",
        "\u00a0": " ",
    }
)


def normalise(text: str) -> str:
    """Whitespace collapsed and Sphinx's smart quotes and dashes undone."""
    return re.sub(r"\s+", " ", text.translate(_TYPOGRAPHY)).strip()


def split_solutions(markdown: str):
    """(bodies of the chapter's solution directives, the rest of the chapter)."""
    lines, solutions, rest, i = markdown.split("\n"), [], [], 0
    while i < len(lines):
        match = _SOLUTION_OPEN.match(lines[i])
        if not match:
            rest.append(lines[i])
            i += 1
            continue
        fence, end = match["fence"], i + 1
        while end < len(lines) and not (
            len(lines[end].strip()) >= len(fence) and set(lines[end].strip()) == {fence[0]}
        ):
            end += 1
        body = [line for line in lines[i + 1 : end] if not _OPTION.match(line)]
        solutions.append("\n".join(body))
        i = end + 1
    return solutions, "\n".join(rest)


def fragments(solution: str) -> list[str]:
    """The distinctive pieces of a solution: its prose between the markup, its math, its code lines
    (each as a reader sees it, whitespace normalised, at least MIN_FRAGMENT characters)."""
    pieces = []
    code = re.findall(r"^(`{3,})[^\n]*\n(.*?)^\1\s*$", solution, re.S | re.M)
    for _, block in code:
        pieces += block.split("\n")
    solution = re.sub(r"^(`{3,})[^\n]*\n.*?^\1\s*$", "\n", solution, flags=re.S | re.M)
    spans = (
        r"\{[\w:-]+\}`[^`]*`|\$\$(.*?)\$\$|\$([^$]+)\$|``([^`]+)``|`([^`]+)`"  # a role is not code
    )
    for match in re.finditer(spans, solution, re.S):
        pieces += [group for group in match.groups() if group is not None]
    pieces += _MARKUP.split(solution)
    return [piece for piece in map(normalise, pieces) if len(piece) >= MIN_FRAGMENT]


def shown_code():
    """The package's sources: chapters show some of its code (inspect.getsource)."""
    return sorted((ROOT / "nnmath").rglob("*.py"))


@lru_cache(1)
def solution_fragments() -> dict:
    """chapter -> fragments found in its solutions and nowhere else in the book's sources."""
    chapters = sorted((ROOT / "book").glob("*.md"))
    elsewhere = normalise(
        " ".join(
            [split_solutions(path.read_text())[1] for path in chapters]
            + [path.read_text() for path in shown_code()]
        )
    )
    found = {}
    for path in chapters:
        solutions, _ = split_solutions(path.read_text())
        pieces = {
            piece
            for solution in solutions
            for piece in fragments(solution)
            if piece not in elsewhere
        }
        if pieces:
            found[path.stem] = sorted(pieces)
    return found


# ---------------------------------------------------------------------------- what a student gets


def notebook_text(path: Path) -> str:
    """Everything a notebook shows or stores as text: sources, text outputs, metadata."""
    notebook = json.loads(path.read_text())
    parts = []
    for cell in notebook.get("cells", []):
        parts.append("".join(cell.get("source", "")))
        for output in cell.get("outputs", []):
            parts.append("".join(output.get("text", "")))
            for mime, data in output.get("data", {}).items():
                if mime.startswith("text/") or mime.endswith("json"):
                    parts.append(data if isinstance(data, str) else json.dumps(data))
    parts.append(json.dumps(notebook.get("metadata", {})))
    return "\n".join(parts)


def page_text(path: Path) -> str:
    """An HTML page's text as a reader sees it (tags stripped, entities decoded), plus its markup."""
    raw = path.read_text()
    text = re.sub(r"<(script|style)\b.*?</\1>", " ", raw, flags=re.S)
    return html_lib.unescape(re.sub(r"<[^>]+>", "", text)) + "\n" + html_lib.unescape(raw)


def site_texts(site: Path):
    """(path, normalised text) of every text file under ``site``: pages, search index, notebooks,
    anything in _sources/ or elsewhere."""
    for path in sorted(site.rglob("*")):
        if not path.is_file() or path.suffix in (
            ".png",
            ".jpg",
            ".svg",
            ".woff",
            ".woff2",
            ".ttf",
            ".ico",
        ):
            continue
        if path.suffix == ".ipynb":
            text = notebook_text(path)
        elif path.suffix == ".html":
            text = page_text(path)
        else:
            try:
                text = path.read_text()
            except UnicodeDecodeError:
                continue
        yield path, normalise(text)


def search_terms(site: Path) -> set:
    index = (site / "searchindex.js").read_text()
    data = json.loads(index[index.index("(") + 1 : index.rindex(")")])
    return set(data["terms"])


def solution_only_terms(executed: Path) -> set:
    """The search terms (Sphinx's own stemmed words) of the solutions that nothing else in the book
    uses: not its other text, not the code it shows, not the outputs of its cells (``executed``: the
    instructor build's jupyter_execute/), not its bibliography."""
    from sphinx.search.en import SearchEnglish

    search = SearchEnglish({})

    def terms(text, minimum=0):
        return {search.stem(word.lower()) for word in search.split(text) if len(word) > minimum}

    solutions, rest = set(), set()
    for path in sorted((ROOT / "book").glob("*.md")):
        bodies, other = split_solutions(path.read_text())
        solutions |= terms(" ".join(bodies), minimum=3)
        rest |= terms(other)
    for path in [*shown_code(), ROOT / "references.bib"]:
        rest |= terms(path.read_text())
    for path in executed.rglob("*.ipynb"):
        rest |= terms(html_lib.unescape(re.sub(r"<[^>]+>", " ", notebook_text(path))))
    return solutions - rest


# ---------------------------------------------------------------------------- without a build


def test_the_fragments_are_the_solutions():
    chapters = solution_fragments()
    assert len(chapters) >= 8, chapters.keys()
    assert sum(map(len, chapters.values())) >= 40
    some = " ".join(chapters["backprop_loop"])
    assert "The bias unit is the constant 1, not a function of" in some
    assert "np.vstack([A, np.ones((1, A.shape[1]))])" in some  # code in a solution counts too


def test_the_student_configuration_sets_every_switch_and_its_own_branches():
    config = build_student_edition.student_config()
    sphinx = config["sphinx"]
    assert Path(sphinx["local_extensions"]["student_edition"]).is_absolute()
    assert sphinx["local_extensions"]["notebook_edition"] == str(
        ROOT / "_ext"
    )  # the book's own, kept
    assert sphinx["config"]["notebook_edition_branch"] == "notebooks-student"
    assert sphinx["config"]["notebook_edition_binder_branch"] not in ("", "main")
    assert sphinx["config"][
        "nb_mime_priority_overrides"
    ]  # the instructor settings survive the merge
    assert (
        Path(config["execute"]["cache"]) == ROOT / "_build" / ".jupyter_cache"
    )  # reuses the instructor's
    assert config["html"]["use_repository_button"] is False


def test_the_student_edition_does_not_mention_the_instructor_edition():
    sys.path.insert(0, str(ROOT / "_ext"))
    import student_edition

    for path in sorted((ROOT / "book").glob("*.md")):
        docname = f"book/{path.stem}"
        if docname in ("book/instructors",):
            continue  # the instructors' page (the course release leaves it out)
        text = student_edition.student_wording(docname, path.read_text())
        assert "instructor edition" not in text.lower(), docname
        assert "{doc}`instructors`" not in text, docname
        # nor sent to the book's own repository, which holds every solution (an instructor's
        # trial found the intro's clone command), nor promised a worked answer the edition lacks
        assert "git clone https://github.com/nnmath-book" not in text, docname
        assert "worked answer" not in text.lower(), docname
    with pytest.raises(ValueError, match="no longer says"):
        student_edition.student_wording("book/intro", "# How neural networks learn\n")


def test_the_student_table_of_contents_leaves_out_the_instructors_page(tmp_path):
    toc = yaml.safe_load(build_student_edition.student_toc(tmp_path / "_toc.yml").read_text())
    files = [chapter["file"] for part in toc["parts"] for chapter in part["chapters"]]
    assert "book/instructors" not in files and "book/intro" not in files  # intro is the root
    assert toc["root"] == yaml.safe_load((ROOT / "_toc.yml").read_text())["root"]
    assert len(files) == len(toc_pages()) - 1 - len(build_student_edition.LEFT_OUT)


def test_a_missing_overlay_or_extension_is_named(tmp_path):
    with pytest.raises(ValueError, match="no configuration file"):
        build_student_edition.student_config(overlay=tmp_path / "nothing.yml")
    overlay = tmp_path / "overlay.yml"
    overlay.write_text("title: no extension\n")
    with pytest.raises(ValueError, match="student_edition"):
        build_student_edition.student_config(overlay=overlay)


def test_the_readme_documents_the_command():
    readme = (ROOT / "README.md").read_text()
    assert "### Student edition" in readme
    assert " ".join(STUDENT_COMMAND) in readme


# ---------------------------------------------------------------------------- the two builds


@pytest.fixture(scope="session")
def student_book(built_book):
    """The README's student build in the same clean copy as the instructor build (so it reuses
    that build's execution cache): (instructor _build/html, student _build/student/html, result)."""
    html, _ = built_book
    copy = html.parent.parent
    bin_dir = Path(sys.executable).parent
    env = dict(
        os.environ, PATH=f"{bin_dir}{os.pathsep}{os.environ.get('PATH', '')}", PYTHONPATH=str(copy)
    )
    result = subprocess.run(
        [sys.executable, *STUDENT_COMMAND[1:]],
        cwd=copy,
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
    )
    return html, copy / "_build" / "student" / "html", result


@pytest.mark.book
def test_student_edition_builds_clean_and_leaves_the_instructor_build_alone(student_book):
    instructor, student, result = student_book
    output = result.stdout + result.stderr
    assert result.returncode == 0, output[-5000:]
    assert not re.search(r"WARNING:|ERROR:|Traceback|Execution Failed", output), output[-5000:]
    assert "Using cached notebook" in output
    assert "Executing notebook" not in output, (
        "the student build ran chapters the instructor build had cached"
    )

    left_out = {f"{docname}.html" for docname in build_student_edition.LEFT_OUT}
    assert all((student / page).is_file() for page in toc_pages() if page not in left_out)
    assert not any((student / page).exists() for page in left_out)  # the instructors' page
    assert (instructor / "_sources").is_dir() and list((instructor / "notebooks").glob("*.ipynb"))


@pytest.mark.book
def test_no_solution_reaches_a_student(student_book):
    instructor, student, _ = student_book
    expected = solution_fragments()
    everything = " ".join(text for _, text in site_texts(instructor))
    missing = [piece for pieces in expected.values() for piece in pieces if piece not in everything]
    assert not missing, (
        f"solution text not found in the instructor edition (the extraction is off): {missing}"
    )
    for chapter, pieces in expected.items():
        edition = normalise(notebook_text(instructor / "notebooks" / f"{chapter}.ipynb"))
        assert all(piece in edition for piece in pieces), (
            f"instructor notebook edition of {chapter}"
        )

    assert not (student / "_sources").exists()
    notebooks = sorted((student / "notebooks").glob("*.ipynb"))
    assert {path.stem for path in notebooks} >= set(expected)
    leaks = {}
    for path, text in site_texts(student):
        found = [piece for pieces in expected.values() for piece in pieces if piece in text]
        if found:
            leaks[str(path.relative_to(student))] = found[:3]
    assert not leaks, leaks


@pytest.mark.book
def test_the_search_index_has_no_solution_words(student_book):
    instructor, student, _ = student_book
    only_in_solutions = solution_only_terms(instructor.parent / "jupyter_execute")
    assert only_in_solutions & search_terms(instructor), (
        "the instructor index should hold solution words"
    )
    assert not only_in_solutions & search_terms(student)


@pytest.mark.book
def test_launch_and_download_buttons_open_the_student_edition(student_book):
    _, student, _ = student_book
    config = build_student_edition.student_config()["sphinx"]["config"]
    branch, environment = (
        config["notebook_edition_branch"],
        config["notebook_edition_binder_branch"],
    )
    for chapter in solution_fragments():
        page = (student / "book" / f"{chapter}.html").read_text()
        links = [html_lib.unescape(link) for link in re.findall(r'href="([^"]+)"', page)]
        binder = [link for link in links if "mybinder.org" in link]
        colab = [link for link in links if "colab.research.google.com" in link]
        assert len(binder) == 1 and len(colab) == 1, chapter
        path = urlparse(binder[0]).path
        assert path.endswith(f"/{environment}"), binder[0]  # Binder's home holds no book sources
        pull = parse_qs(urlparse(unquote(parse_qs(urlparse(binder[0]).query)["urlpath"][0])).query)
        assert pull["branch"] == [branch], binder[0]
        assert f"/blob/{branch}/{chapter}.ipynb" in colab[0]
        assert not [link for link in links if "_sources/" in link], chapter
        download = [link for link in links if link.endswith(".ipynb") and "://" not in link]
        assert download == [f"../notebooks/{chapter}.ipynb"], download
        assert (student / "notebooks" / f"{chapter}.ipynb").is_file()
        assert "github.com/" not in " ".join(
            link for link in links if "colab" not in link and "mybinder" not in link
        ), chapter
