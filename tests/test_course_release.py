"""The course release (tools/make_course.py) gives a class nothing of the answers: no solution text,
no solution cell, no assignment solution or hidden test, anywhere in it or in the help() of the
nnmath it installs; its functions, pasted into an assignment, score nothing; every link stays in it.

One release is built per session (from the clean copy the book tests build, reusing its execution
cache). ``NNMATH_COURSE_RELEASE=/path/to/release`` tests a release already made instead (with this
repository's _build/html as the instructor edition), e.g. after
``python tools/make_course.py /tmp/course --repository https://github.com/uni-ml/nn-course``.
"""

import ast
import json
import os
import pydoc
import re
import shutil
import subprocess
import sys
import zipfile
from functools import lru_cache
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

import jupytext
import nbformat
import pytest
from conftest import ROOT
from test_student_edition import (
    MIN_FRAGMENT,
    normalise,
    notebook_text,
    site_texts,
    solution_fragments,
)

sys.path.insert(0, str(ROOT / "tools"))
import make_course  # noqa: E402

REPOSITORY = "https://github.com/uni-ml/nn-course"
HUB = "https://hub.example.edu"
BASE_URL = "https://uni-ml.github.io/nn-course/site/"  # make_course's default for REPOSITORY
ASSIGNMENTS = make_course.assignment_names()  # assignments/NAME/NAME.ipynb, as released
# What a student would paste from a chapter's "Check your own" into an assignment question: the
# question's function written with the chapter's (adapters for the arguments that differ).
ADAPTERS = {
    ("backprop_mlp", "my_layer_backward"): "layer_backward = my_layer_backward",
    ("backprop_mlp", "my_backprop"): "backprop = my_backprop",
    ("optimizers", "my_momentum_step"): (
        "def make_momentum(learning_rate, momentum):\n"
        "    return lambda w, g, s: my_momentum_step(w, g, s, alpha=learning_rate, mu=momentum)"
    ),
    ("optimizers", "my_adam_step"): (
        "def make_adam(learning_rate, beta1=0.9, beta2=0.999, eps=1e-8):\n"
        "    return lambda w, g, s: my_adam_step(w, g, s, alpha=learning_rate, beta1=beta1,\n"
        "                                        beta2=beta2, eps=eps)"
    ),
}
# links allowed out of the release: package registries and their documentation, the cited papers
ALLOWED_HOSTS = (
    "pypi.org",
    "numpy.org",
    "docs.python.org",
    "scikit-learn.org",
    "matplotlib.org",
    "sympy.org",
    "docs.sympy.org",
    "pytorch.org",
    "jupyter.org",
    "jupyterbook.org",
    "ipywidgets.readthedocs.io",
    "otter-grader.readthedocs.io",
    "doi.org",
    "arxiv.org",
    "mybinder.org",
    "colab.research.google.com",
    "hub.example.edu",
    "creativecommons.org",
    "opensource.org",
)


# ---------------------------------------------------------------------------- the release


@pytest.fixture(scope="session")
def release(request):
    """(the course release, the instructor edition's HTML it was made beside)."""
    given = os.environ.get("NNMATH_COURSE_RELEASE")
    if given:
        return Path(given), ROOT / "_build" / "html"
    html, _ = request.getfixturevalue("built_book")
    copy = html.parent.parent
    # a new folder every run (make_course refuses one that is not empty), outside the checkout
    out = request.getfixturevalue("tmp_path_factory").mktemp("release") / "course"
    bin_dir = Path(sys.executable).parent
    env = dict(
        os.environ, PATH=f"{bin_dir}{os.pathsep}{os.environ.get('PATH', '')}", PYTHONPATH=str(copy)
    )
    result = subprocess.run(
        [
            sys.executable,
            "tools/make_course.py",
            str(out),
            "--repository",
            REPOSITORY,
            "--jupyterhub",
            HUB,
        ],
        cwd=copy,
        env=env,
        capture_output=True,
        text=True,
        timeout=1800,
    )
    assert result.returncode == 0, (result.stdout + result.stderr)[-5000:]
    assert not re.search(r"WARNING:|ERROR:|Traceback", result.stdout + result.stderr)
    return out, html


@lru_cache(None)
def assigned(name: str, tmp: str) -> dict:
    """``otter assign``'s outputs of one master: its student notebook, autograder notebook, zip."""
    dist = Path(tmp) / name
    if not dist.exists():
        master = ROOT / "assignments" / name / f"{name}.ipynb"
        result = subprocess.run(
            [
                str(Path(sys.executable).parent / "otter"),
                "assign",
                "--no-run-tests",
                master.name,
                str(dist),
            ],
            cwd=master.parent,
            capture_output=True,
            text=True,
            timeout=600,
        )
        assert result.returncode == 0, result.stderr[-3000:]
    (zip_path,) = (dist / "autograder").glob("*.zip")
    return {
        "student": dist / "student" / f"{name}.ipynb",
        "solution": dist / "autograder" / f"{name}.ipynb",
        "zip": zip_path,
    }


@pytest.fixture(scope="session")
def otter_dist(tmp_path_factory):
    pytest.importorskip("otter.api", reason="otter-grader is in requirements-test.txt")
    tmp = str(tmp_path_factory.mktemp("otter"))
    return lambda name: assigned(name, tmp)


def lines(text: str) -> set:
    return {piece for piece in map(normalise, text.split("\n")) if len(piece) >= MIN_FRAGMENT}


@lru_cache(1)
def book_cells() -> tuple[set, str]:
    """(lines of the chapters' code cells tagged ``solution``, everything else the book shows:
    its other cells and prose with the solutions taken out, nnmath's sources)."""
    from test_student_edition import split_solutions

    found, elsewhere = set(), []
    for path in sorted((ROOT / "book").glob("*.md")):
        for cell in jupytext.reads(path.read_text(), fmt="md:myst").cells:
            if cell.cell_type == "code" and "solution" in cell.metadata.get("tags", []):
                found |= lines(cell.source)
            elif cell.cell_type == "code":
                elsewhere.append(cell.source)
            else:
                elsewhere.append(split_solutions(cell.source)[1])
    elsewhere += [path.read_text() for path in (ROOT / "nnmath").rglob("*.py")]
    return found, normalise(" ".join(elsewhere))


def solution_cell_lines() -> set:
    """Lines of the chapters' solution cells that nothing else in the book holds."""
    found, rest = book_cells()
    return {line for line in found if line not in rest}


def assignment_secret_lines(dist: dict) -> set:
    """Lines of an assignment's solution and hidden tests: in its autograder notebook or zip,
    not in its student notebook."""
    secret = set()
    for cell in nbformat.read(dist["solution"], as_version=4).cells:
        if cell.cell_type == "code":
            secret |= lines(cell.source)
    with zipfile.ZipFile(dist["zip"]) as archive:
        for name in archive.namelist():
            if name.endswith((".py", ".ipynb")) and not name.startswith("__"):
                text = archive.read(name).decode()
                secret |= lines(notebook_text_of(text) if name.endswith(".ipynb") else text)
    public = normalise(notebook_text(dist["student"]))
    # a line the book teaches anyway (its code outside the solutions, nnmath) is not distinctive
    return {line for line in secret if line not in public and line not in book_cells()[1]}


def notebook_text_of(raw: str) -> str:
    notebook = json.loads(raw)
    return "\n".join("".join(cell.get("source", "")) for cell in notebook.get("cells", []))


def help_text() -> str:
    """help() of every nnmath module, as a student prints it."""
    import pkgutil

    import nnmath

    texts = [pydoc.render_doc(nnmath, renderer=pydoc.plaintext)]
    for module in pkgutil.walk_packages(nnmath.__path__, "nnmath."):
        texts.append(
            pydoc.render_doc(__import__(module.name, fromlist=["_"]), renderer=pydoc.plaintext)
        )
    return normalise("\n".join(texts))


# ---------------------------------------------------------------------------- what it holds


@pytest.mark.book
def test_the_release_holds_what_a_class_gets_and_nothing_else(release):
    out, _ = release
    top = {path.name for path in out.iterdir()}
    notebooks = {name for name in top if name.endswith(".ipynb")}
    licences = {path.name for pattern in make_course.LICENCES for path in ROOT.glob(pattern)}
    assert top - notebooks == {
        "site",
        "assignments",
        "binder",
        "requirements.txt",
        "README.md",
        ".nojekyll",
        ".gitignore",
        *licences,
    }
    assert len(notebooks) >= 10 and (out / "site" / "index.html").is_file()
    everything = [path.relative_to(out).as_posix() for path in out.rglob("*")]
    for forbidden in (
        "jupyter_execute",
        "_sources",
        ".doctrees",
        "autograder",
        "instructors",
        ".jupyter_cache",
    ):
        assert not [path for path in everything if forbidden in path], forbidden
    for name in ASSIGNMENTS:
        assert (out / "assignments" / name / f"{name}.ipynb").is_file()
    assert not list(out.rglob("*.zip"))
    # nnmath pinned to the release tag, as make_course's default
    assert make_course.default_nnmath() in (out / "requirements.txt").read_text().splitlines()
    assert (out / "binder" / "requirements.txt").is_file()


@pytest.mark.book
def test_the_release_ignores_what_grading_writes_beside_an_assignment(tmp_path):
    """An instructor who makes an autograder or grades in a clone of the course repository, then
    runs git add there, publishes neither the autograder (hidden tests) nor student records: the
    release's .gitignore ignores them, and not the student notebooks it gives the class."""
    if shutil.which("git") is None:
        pytest.skip("needs git")
    make_course.write_gitignore(tmp_path)
    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True)
    beside = "assignments/chain_rule/"
    written = ["dist/x", "submissions/x", "downloads/x", "grades/x", "results/x", "feedback/x"]
    written += ["grades.csv", "grades.results/x", "dry-run.csv"]
    given = [beside + "chain_rule.ipynb", "site/index.html", "requirements.txt"]
    check = ["check-ignore", "--no-index", "--verbose", "--non-matching"]
    run = ["git", "-C", str(tmp_path), *check, *[beside + name for name in written], *given]
    shown = subprocess.run(run, capture_output=True, text=True, timeout=60).stdout.splitlines()
    not_ignored = {line.split("\t")[1] for line in shown if line.startswith("::")}
    assert not_ignored == set(given), not_ignored


def test_the_class_binder_autosaves_and_is_otherwise_the_books(tmp_path):
    """grader.export zips the notebook as last saved: a class's Binder autosaves (the book's does
    not), so a student who never pressed Save does not hand in the blank notebook."""
    make_course.write_environment(tmp_path, "nnmath")
    course = json.loads((tmp_path / "binder" / "overrides.json").read_text())
    book = json.loads((ROOT / "binder" / "overrides.json").read_text())
    plugin = "@jupyterlab/docmanager-extension:plugin"
    assert book[plugin]["autosave"] is False and course[plugin]["autosave"] is True
    course[plugin]["autosave"] = False
    assert course == book
    post_build = (tmp_path / "binder" / "postBuild").read_text()
    assert "on in a course release" in post_build and "no autosave" not in post_build


def test_the_release_carries_the_books_licences_unchanged(release):
    out, _ = release
    licences = sorted(path for pattern in make_course.LICENCES for path in ROOT.glob(pattern))
    assert licences, "the book's repository has no licence file"
    for path in licences:
        assert (out / path.name).read_bytes() == path.read_bytes(), path.name
    assert "see `LICENSE`" in (out / "README.md").read_text()


def test_the_licence_files_hold_the_code_and_the_text_licences(tmp_path):
    """What make_course copies (without building a release): MIT for the code, CC BY-SA 4.0 for
    the text and figures, byte for byte."""
    names = make_course.write_licences(tmp_path)
    assert "LICENSE" in names
    text = "".join((tmp_path / name).read_text() for name in names)
    assert "MIT License" in text and "CC BY-SA 4.0" in text
    for name in names:
        assert (tmp_path / name).read_bytes() == (ROOT / name).read_bytes()


@pytest.mark.book
def test_check_your_own_cells_are_stubs_in_the_release(release):
    out, _ = release
    for chapter in (
        "adam",
        "backprop_equations",
        "chain_rule",
        "gradient_checking",
        "momentum",
    ):
        text = notebook_text(out / f"{chapter}.ipynb")
        assert "raise NotImplementedError" in text, chapter
        page = (out / "site" / "book" / f"{chapter}.html").read_text()
        assert "NotImplementedError" in page, chapter


# ---------------------------------------------------------------------------- leaks


@pytest.mark.book
def test_no_solution_of_any_kind_is_in_the_release_or_in_nnmath_help(release, otter_dist):
    out, instructor = release
    secrets = {
        "book solution": {p for pieces in solution_fragments().values() for p in pieces},
        "solution cell": solution_cell_lines(),
    }
    for name in ASSIGNMENTS:
        secrets[f"{name} solution or hidden test"] = assignment_secret_lines(otter_dist(name))
    # the assignments' prompts are published by design: what they state is not a book solution's
    prompts = normalise(
        " ".join(notebook_text(otter_dist(name)["student"]) for name in ASSIGNMENTS)
    )
    secrets["book solution"] = {piece for piece in secrets["book solution"] if piece not in prompts}
    assert all(secrets.values()), {kind: len(found) for kind, found in secrets.items()}
    # the extraction finds them where they are: the instructor edition holds the chapters' ones
    instructor_text = " ".join(text for _, text in site_texts(instructor))
    assert any(line in instructor_text for line in secrets["solution cell"])

    texts = dict((path.relative_to(out).as_posix(), text) for path, text in site_texts(out))
    texts["help(nnmath)"] = help_text()
    leaks = {}
    for where, text in texts.items():
        for kind, found in secrets.items():
            hits = sorted(line for line in found if line in text)
            if hits:
                leaks[f"{where}: {kind}"] = hits[:3]
    assert not leaks, leaks


@pytest.mark.book
def test_no_code_cell_of_the_release_is_a_solution_with_a_few_tokens_changed(release):
    """The release's own notebooks (chapters and assignments) against every solution function,
    token by token (test_near_copies.py: the same measure on the sources, without a build)."""
    from test_near_copies import cell_code, near_copies, parse

    out, _ = release
    visible = {}
    for path in sorted(out.glob("*.ipynb")) + sorted((out / "assignments").glob("*/*.ipynb")):
        for index, cell in enumerate(nbformat.read(path, as_version=4).cells):
            tree = parse(cell.source) if cell.cell_type == "code" else None
            if tree is not None:
                visible.update(cell_code(f"{path.relative_to(out)} cell {index}", tree))
    assert len(visible) > 200
    found = near_copies(ROOT, visible)
    assert not found, found


def question_names(master: Path) -> dict:
    """question -> the names its solution cells define (the functions a student writes)."""
    names, question, in_solution = {}, None, False
    for cell in nbformat.read(master, as_version=4).cells:
        source = cell.source
        if cell.cell_type == "raw":
            match = re.search(r"BEGIN QUESTION\s*\nname:\s*(\w+)", source)
            question = match[1] if match else question
            in_solution = "BEGIN SOLUTION" in source or (
                in_solution and "END SOLUTION" not in source
            )
        elif cell.cell_type == "code" and question and in_solution:
            tree = ast.parse(re.sub(r"^\s*%.*$", "", source, flags=re.M))
            names.setdefault(question, set()).update(
                node.name for node in tree.body if isinstance(node, ast.FunctionDef)
            )
    return names


def pasted(notebooks, assignment: str, wanted: set) -> tuple[str, set]:
    """The functions a student finds in ``notebooks`` for an assignment's question names (same
    name, or a chapter's function an adapter turns into the question's): source, names covered."""
    sources, covered = [], set()
    for path in notebooks:
        for cell in nbformat.read(path, as_version=4).cells:
            if cell.cell_type != "code":
                continue
            try:
                tree = ast.parse(cell.source)
            except SyntaxError:
                continue
            for node in tree.body:
                if not isinstance(node, ast.FunctionDef):
                    continue
                adapter = ADAPTERS.get((assignment, node.name))
                if node.name in wanted or adapter:
                    sources.append(ast.get_source_segment(cell.source, node))
                if adapter:
                    sources.append(adapter)
                    covered |= {
                        name for name in wanted if re.search(rf"\b{name}\b =|def {name}\(", adapter)
                    }
                elif node.name in wanted:
                    covered.add(node.name)
    return "\n\n".join(["import numpy as np", *sources]), covered


def paste_scores(notebooks, assignment: str, dist: dict, tmp_path) -> dict:
    """{question: (score, possible)} of the student notebook with every question's cell replaced by
    what ``notebooks`` define for it, graded in-process by the assignment's autograder."""
    import otter.api

    names = question_names(ROOT / "assignments" / assignment / f"{assignment}.ipynb")
    student = nbformat.read(dist["student"], as_version=4)
    covered_questions = {}
    for question, wanted in names.items():
        source, covered = pasted(notebooks, assignment, wanted)
        if not covered:
            continue
        covered_questions[question] = covered
        for cell in student.cells:
            defined = re.findall(r"^def (\w+)\(", cell.source, re.M)
            if cell.cell_type == "code" and set(defined) & covered:
                cell.source = source
                break
    if not covered_questions:
        return {}
    path = tmp_path / f"{assignment}.ipynb"
    nbformat.write(student, path)
    results = otter.api.grade_submission(str(path), str(dist["zip"]), quiet=True)
    return {
        question: (results.results[question].score, results.results[question].possible)
        for question in covered_questions
    }


@pytest.mark.book
def test_pasting_the_full_book_would_score_so_the_paste_test_can_fail(
    release, otter_dist, tmp_path
):
    _, instructor = release
    notebooks = sorted((instructor / "notebooks").glob("*.ipynb"))
    scores = paste_scores(notebooks, "backprop_mlp", otter_dist("backprop_mlp"), tmp_path)
    assert scores and all(score > 0 for score, _ in scores.values()), scores


@pytest.mark.book
@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_pasting_the_release_scores_nothing(release, otter_dist, tmp_path, assignment):
    out, _ = release
    notebooks = sorted(out.glob("*.ipynb")) + sorted(
        path
        for name in ASSIGNMENTS
        if name != assignment
        for path in (out / "assignments" / name).glob("*.ipynb")
    )
    scores = paste_scores(notebooks, assignment, otter_dist(assignment), tmp_path)
    assert all(score == 0 for score, _ in scores.values()), scores


# ---------------------------------------------------------------------------- links


def links(out: Path):
    """(file, link) of every link and source address in the release's pages, notebooks, README."""
    for path in sorted(out.rglob("*")):
        if path.suffix == ".html":
            text = path.read_text()
            for link in re.findall(r'(?:href|src)="([^"]+)"', text):
                yield path, __import__("html").unescape(link)
        elif path.suffix in (".ipynb", ".md"):
            text = notebook_text(path) if path.suffix == ".ipynb" else path.read_text()
            # (a pip requirement "nnmath @ https://..." or "... @ git+https://..." is an install
            # source, not a link)
            pattern = (
                r"\]\(([^)\s]+)\)|<(https?://[^>\s]+)>|(?<!git\+)(?<!@ )(https?://[^\s)\"'>\],]+)"
            )
            for link in re.findall(pattern, text):
                yield path, next(part for part in link if part)


@lru_cache(1)
def cited() -> set:
    """The addresses of the sources the book cites: references.bib's url and doi fields."""
    bib = (ROOT / "references.bib").read_text()
    urls = {url.rstrip("/") for url in re.findall(r"url\s*=\s*[{\"]([^}\"]+)", bib)}
    return urls | {f"https://doi.org/{doi}" for doi in re.findall(r"doi\s*=\s*[{\"]([^}\"]+)", bib)}


def allowed(link: str, base_url: str) -> bool:
    from urllib.parse import parse_qs, unquote, urlparse

    if link.startswith(base_url):
        return True
    parsed = urlparse(link)
    if parsed.scheme in ("", "data", "mailto", "attachment") or link.startswith("#"):
        return True
    if link.rstrip("/") in cited():
        return True  # a source the book cites (references.bib)
    host = parsed.hostname or ""
    if host == "github.com" or host.endswith("githubusercontent.com"):
        return parsed.path.startswith(REPOSITORY.removeprefix("https://github.com"))
    if not any(host == allowed or host.endswith("." + allowed) for allowed in ALLOWED_HOSTS):
        return False
    # launch buttons: what they pull must be the release
    for value in [unquote(link)] + [v for vs in parse_qs(parsed.query).values() for v in vs]:
        for repo in re.findall(r"repo=([^&]+)", unquote(value)):
            if unquote(repo).rstrip("/") != REPOSITORY:
                return False
    if host == "mybinder.org":
        return parsed.path.startswith("/v2/gh/" + REPOSITORY.removeprefix("https://github.com/"))
    return True


@pytest.mark.book
def test_every_link_stays_in_the_release(release):
    out, _ = release
    base_url = BASE_URL
    site = out / "site"
    outside, broken = {}, set()
    for path, link in links(out):
        if not allowed(link, base_url):
            outside.setdefault(link, str(path.relative_to(out)))
        elif link.startswith(base_url):
            target = site / link[len(base_url) :].split("#")[0].split("?")[0]
            if not (target.is_file() or (target / "index.html").is_file()):
                broken.add(link)
        elif (
            "{{" not in link
            and "://" not in link
            and not link.startswith(("#", "data:", "mailto:"))
            and path.suffix == ".html"
        ):  # ({{ }}: a theme template in _static, not a page)
            target = (path.parent / link.split("#")[0].split("?")[0]).resolve()
            if link.split("#")[0] and not target.exists():
                broken.add(f"{path.relative_to(out)} -> {link}")
    assert not outside, outside
    assert not broken, sorted(broken)[:20]
    jupyterhub = [link for _, link in links(site / "book") if link.startswith(HUB)]
    assert jupyterhub and all("user-redirect/git-pull" in link for link in jupyterhub)
    # Binder's home folder is the release: its buttons open a notebook there, pulling no copy
    binder = [link for _, link in links(site / "book") if link.startswith("https://mybinder.org")]
    assert binder and not [link for link in binder if "git-pull" in unquote(link)]
    opened = {parse_qs(urlsplit(link).query)["urlpath"][0] for link in binder}
    assert {path.removeprefix("lab/tree/") for path in opened} <= {
        path.name for path in out.glob("*.ipynb")
    }, opened


def test_a_course_binder_opens_its_home_folder_with_one_copy_of_each_notebook():
    """A course release's main is both Binder's environment and the notebooks, so Binder's home
    folder already holds every chapter and assignment: the launch button opens the chapter there.
    An nbgitpuller pull of the same branch would add a second copy of each (in notebooks/), and
    students would work in one and export from the other. The book's own Binder still pulls its
    notebook edition, from another branch."""
    sys.path.insert(0, str(ROOT / "_ext"))
    import notebook_edition as ne

    config = make_course.course_config(REPOSITORY, BASE_URL, HUB, "nnmath")
    sphinx = config["sphinx"]["config"]
    options = {
        "repository_url": config["repository"]["url"],
        "repository_branch": config["repository"]["branch"],
        "launch_buttons": config["launch_buttons"],
    }
    link = ne.binder_url(
        options,
        "book/chain_rule",
        sphinx["notebook_edition_branch"],
        sphinx["notebook_edition_binder_branch"],
    )
    assert link == (
        "https://mybinder.org/v2/gh/uni-ml/nn-course/main?urlpath=lab%2Ftree%2Fchain_rule.ipynb"
    )
    assert "git-pull" not in unquote(link)
    book = ne.binder_url(options, "book/chain_rule", "notebooks", "main")
    assert "git-pull" in unquote(book) and "targetpath%3Dnotebooks" in book
    readme = " ".join(make_course.README.split())
    assert "notebooks/" not in readme and "`assignments/<name>/<name>.ipynb`" in readme


def test_allowed_refuses_the_book_repository_and_other_hosts():
    base = BASE_URL
    assert allowed(base + "book/intro.html", base)
    assert allowed("https://doi.org/10.1038/323533a0", base)
    assert not allowed(
        "https://nnmath-book.github.io/how-neural-networks-learn/book/intro.html", base
    )
    assert not allowed(
        "https://github.com/nnmath-book/how-neural-networks-learn/blob/main/book/sgd.md", base
    )
    assert not allowed(
        "https://mybinder.org/v2/gh/nnmath-book/how-neural-networks-learn/main", base
    )
    assert not allowed(
        f"{HUB}/hub/user-redirect/git-pull?repo=https%3A%2F%2Fgithub.com%2Fother%2Frepo", base
    )
    assert allowed(f"{HUB}/hub/user-redirect/git-pull?repo={REPOSITORY}&branch=main", base)


def test_a_repository_given_with_git_gives_the_same_links(tmp_path, monkeypatch, capsys):
    """GitHub's "Code" button gives https://github.com/ORG/REPO.git: make_course drops the .git (and
    says so), or the site's address and Binder's links would end in REPO.git."""
    given = "https://github.com/ORG/nn-course.git"
    assert make_course.course_repository(given) == "https://github.com/ORG/nn-course"
    assert make_course.course_repository(given + "/") == "https://github.com/ORG/nn-course"
    assert make_course.pages_url(given) == "https://ORG.github.io/nn-course/site/"
    config = make_course.course_config(given, "https://x.example/", "", "nnmath")
    assert config["repository"]["url"] == "https://github.com/ORG/nn-course"
    seen = {}

    def build(html, extra):  # stands in for the book build: what the release would link to
        seen.update(extra)
        raise RuntimeError("stop here")

    monkeypatch.setattr(make_course.build_student_edition, "build", build)
    monkeypatch.setattr(make_course, "check_otter", lambda: "otter-grader")
    with pytest.raises(RuntimeError, match="stop here"):
        make_course.make(tmp_path / "course", repository=given, only=["chain_rule"])
    assert seen["repository"]["url"] == "https://github.com/ORG/nn-course"
    assert seen["sphinx"]["config"]["html_baseurl"] == "https://ORG.github.io/nn-course/site/"
    assert "no trailing .git" in capsys.readouterr().out


def _clone_with_one_commit(path):
    """A git repository at ``path`` holding nnmath/datasets.py in one commit, no tag; returns the
    git command prefix that works in it."""
    git = ["git", "-C", str(path), "-c", "user.name=t", "-c", "user.email=t@example.org"]
    (path / "nnmath").mkdir()
    (path / "nnmath" / "datasets.py").write_text("def digits(): ...\n")
    subprocess.run(["git", "init", "-q", str(path)], check=True)
    subprocess.run([*git, "add", "-A"], check=True)
    subprocess.run([*git, "commit", "-qm", "first"], check=True)
    return git


def test_a_clone_whose_nnmath_is_not_the_tags_is_said(tmp_path):
    """The class installs the tag of pyproject's version, not the clone: make_course warns when the
    clone's nnmath/ differs from that tag (a chapter may import what the tag lacks)."""
    git = _clone_with_one_commit(tmp_path)
    assert make_course.unreleased_nnmath(tmp_path) == ""  # no tag in this clone: nothing to say
    subprocess.run([*git, "tag", f"v{make_course.version()}"], check=True)
    assert make_course.unreleased_nnmath(tmp_path) == ""
    (tmp_path / "nnmath" / "datasets.py").write_text("def digits(): ...\ndef split(): ...\n")
    assert "nnmath/datasets.py" in make_course.unreleased_nnmath(tmp_path)
    assert "differs from the tag" in make_course.nnmath_tag_warning(tmp_path)


def test_a_clone_without_the_pins_tag_is_warned_with_the_check(tmp_path, monkeypatch, capsys):
    """A clone without this version's tag (a tagless clone, a tag not yet pushed) may mean the
    default pin 404s for the class and every autograder: make() says so, before it builds, with
    the git ls-remote check the page gives; a clone with the tag and nnmath/ as tagged is quiet."""
    git = _clone_with_one_commit(tmp_path)
    tag = f"v{make_course.version()}"
    warning = make_course.nnmath_tag_warning(tmp_path)
    assert f"no tag {tag}" in warning
    assert f"git ls-remote --tags {make_course.BOOK_REPOSITORY} {tag}" in warning
    subprocess.run([*git, "tag", tag], check=True)
    assert make_course.nnmath_tag_warning(tmp_path) == ""

    def build(html, extra):  # stands in for the book build: the warning comes before it
        raise RuntimeError("stop here")

    monkeypatch.setattr(make_course.build_student_edition, "build", build)
    monkeypatch.setattr(make_course, "check_otter", lambda: "otter-grader")
    monkeypatch.setattr(make_course, "has_tag", lambda tag, root=None: False)
    with pytest.raises(RuntimeError, match="stop here"):
        make_course.make(tmp_path / "course", repository="https://github.com/ORG/nn-course")
    assert f"warning: this clone has no tag {tag}" in capsys.readouterr().out
    with pytest.raises(RuntimeError, match="stop here"):  # another pin: the tag is not used
        make_course.make(
            tmp_path / "course2", repository="https://github.com/ORG/nn-course", nnmath="nnmath"
        )
    assert "warning" not in capsys.readouterr().out


# ---------------------------------------------------------------------------- the environment


def test_the_default_pin_is_the_books_tag_as_a_plain_download():
    """otter grade's Docker image (ubuntu:22.04 and Miniforge: otter 7's grade/Dockerfile and
    setup.sh install no git) cannot install a ``git+`` requirement: the default pin, which the
    class installs and assignments/requirements.txt repeats for the autograder, is GitHub's archive
    of the book's repository (_config.yml's repository.url) at this version's tag."""
    from packaging.requirements import Requirement

    config = __import__("yaml").safe_load((ROOT / "_config.yml").read_text())
    assert make_course.BOOK_REPOSITORY == config["repository"]["url"]
    pin = Requirement(make_course.default_nnmath())  # what pip parses a requirement line with
    assert pin.name == "nnmath" and not pin.specifier and not pin.extras
    tag = f"v{make_course.version()}"
    assert pin.url == f"{make_course.BOOK_REPOSITORY}/archive/refs/tags/{tag}.tar.gz"
    autograder = [
        line
        for line in (ROOT / "assignments" / "requirements.txt").read_text().splitlines()
        if line.startswith("nnmath")
    ]
    assert autograder == [make_course.default_nnmath()]


def test_a_pin_of_that_form_installs_with_no_git(tmp_path):
    """pip takes such a pin with no git on the PATH and no network: here the same requirement on a
    file:// tarball laid out as GitHub's archive of a tag (one top folder, REPO-VERSION/), made of
    the files nnmath is built from. (--dry-run: pip builds the metadata and installs nothing.)"""
    import tarfile

    import tomllib
    from packaging.requirements import Requirement

    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    version = project["version"]
    top = f"{make_course.BOOK_REPOSITORY.rsplit('/', 1)[1]}-{version}"
    archive = tmp_path / f"v{version}.tar.gz"
    with tarfile.open(archive, "w:gz") as tar:
        for name in ("pyproject.toml", project["readme"], "LICENSE", "nnmath"):
            tar.add(
                ROOT / name,
                arcname=f"{top}/{name}",
                filter=lambda info: None if "__pycache__" in info.name else info,
            )
    pin = make_course.default_nnmath().replace(Requirement(make_course.default_nnmath()).url, "")
    pin += archive.as_uri()
    bin_dir = Path(sys.executable).parent
    assert not (bin_dir / "git").exists()
    done = subprocess.run(
        [sys.executable, "-m", "pip", "install", "--dry-run", "--no-deps", "--no-index"]
        + ["--no-build-isolation", "--quiet", "--report", "-", pin],
        env={"PATH": str(bin_dir), "HOME": str(tmp_path), "PIP_NO_INPUT": "1"},
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    (installed,) = json.loads(done.stdout)["install"]
    assert (installed["metadata"]["name"], installed["metadata"]["version"]) == ("nnmath", version)


def test_the_class_gets_the_instructors_otter_grader():
    """The class checks its work with the otter-grader the instructors assign and grade with:
    make_course takes its line from requirements-instructors.txt, the one list of the instructors'
    tools, which the tests' requirements include and pyproject.toml's instructors extra repeats.
    The line pins one version, the one installed here: otter assign pins the autograder to the
    otter that runs it (test_assignments.py holds the autograder's pin to it)."""
    import tomllib
    from packaging.requirements import Requirement
    from test_lock import requirements

    instructors = {str(r) for r in requirements(ROOT / "requirements-instructors.txt")}
    (otter,) = [r for r in instructors if Requirement(r).name == "otter-grader"]
    students = [str(Requirement(line)) for line in make_course.runtime_requirements("nnmath")]
    assert [r for r in students if Requirement(r).name == "otter-grader"] == [otter]
    assert instructors <= {str(r) for r in requirements(ROOT / "requirements-test.txt")}
    extra = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    extra = {str(Requirement(r)) for r in extra["optional-dependencies"]["instructors"]}
    assert instructors <= extra, instructors - extra
    assert otter == f"otter-grader=={make_course.check_otter()}"


def test_a_release_with_another_otter_is_refused_before_anything_is_written(tmp_path, monkeypatch):
    """An environment whose otter-grader is not the pinned one would give the autograder (otter
    assign pins the otter that runs it) another otter than the class's: make_course says so."""
    import importlib.metadata

    monkeypatch.setattr(importlib.metadata, "version", lambda name: "7.99.0")
    out = tmp_path / "course"
    with pytest.raises(
        ValueError, match="otter-grader 7.99.0.*pip install -r requirements-instructors"
    ):
        make_course.make(out, repository=REPOSITORY, only=["chain_rule"])
    assert not out.exists()


def test_a_release_made_again_keeps_every_cell_id(tmp_path):
    """otter assign gives the cells it adds random ids: released twice with nothing changed, the
    notebook is the same byte for byte (nbgitpuller has nothing to merge into students' copies),
    and its ids are unique and valid."""
    pytest.importorskip("otter", reason="otter-grader is in requirements-test.txt")
    first, second = tmp_path / "first", tmp_path / "second"
    make_course.student_assignments(first, ["chain_rule"])
    make_course.student_assignments(second, ["chain_rule"])
    notebook = first / "chain_rule" / "chain_rule.ipynb"
    assert notebook.read_bytes() == (second / "chain_rule" / "chain_rule.ipynb").read_bytes()
    cells = nbformat.read(notebook, as_version=4).cells
    nbformat.validate(nbformat.read(notebook, as_version=4))
    assert len({cell.id for cell in cells}) == len(cells) > 10


# ---------------------------------------------------------------------------- week by week


def test_only_refuses_an_unknown_assignment_before_writing_anything(tmp_path, capsys):
    out = tmp_path / "course"
    with pytest.raises(SystemExit) as stopped:
        make_course.main([str(out), "--only", "chain_rule", "chain-rule"])
    assert stopped.value.code == 2
    message = capsys.readouterr().err
    assert "'chain-rule'" in message and all(name in message for name in ASSIGNMENTS), message
    assert not out.exists()


def test_only_refuses_a_folder_that_is_not_a_release(tmp_path):
    (tmp_path / "notes.txt").write_text("mine")
    with pytest.raises(ValueError, match="not a course release"):
        make_course.make(tmp_path, repository=REPOSITORY, only=["chain_rule"])
    assert [path.name for path in tmp_path.iterdir()] == ["notes.txt"]


def test_only_releases_the_named_assignments_and_leaves_the_others(tmp_path, monkeypatch):
    """Week by week: a first release with one assignment, then --only into it (a clone of the
    course repository, .git and all) adds or replaces that one's folder and touches nothing else.
    The book build is replaced by a stand-in page (the release fixture builds the real one)."""
    pytest.importorskip("otter", reason="otter-grader is in requirements-test.txt")

    def build(html, extra):
        (html / "notebooks").mkdir(parents=True)
        (html / "index.html").write_text("<p>the book</p>")
        (html / "notebooks" / "intro.ipynb").write_text("{}")
        return 0

    monkeypatch.setattr(make_course.build_student_edition, "build", build)
    out = tmp_path / "nn-course"
    make_course.make(out, repository=REPOSITORY, only=["chain_rule"], build_dir=tmp_path / "b")
    assert sorted(path.name for path in (out / "assignments").iterdir()) == ["chain_rule"]
    assert (out / "assignments" / "chain_rule" / "chain_rule.ipynb").is_file()
    assert (out / ".gitignore").is_file()

    def snapshot(*skip):
        return {
            path.relative_to(out).as_posix(): path.read_bytes()
            for path in out.rglob("*")
            if path.is_file() and not path.relative_to(out).as_posix().startswith(skip)
        }

    (out / ".git").mkdir()
    (out / ".git" / "HEAD").write_text("ref: refs/heads/main\n")
    (out / "assignments" / "chain_rule" / "answers.txt").write_text("left as it was")
    before = snapshot()
    make_course.make(out, repository=REPOSITORY, only=["digits"])
    after = snapshot()
    added = {key for key in after if key.startswith("assignments/digits/")}
    assert "assignments/digits/digits.ipynb" in added
    assert {key: after[key] for key in after if key not in added} == before

    # again for one released before: only its folder is replaced (stale files go), no other
    make_course.make(out, repository=REPOSITORY, only=["chain_rule"])
    assert not (out / "assignments" / "chain_rule" / "answers.txt").exists()
    assert (out / "assignments" / "chain_rule" / "chain_rule.ipynb").is_file()
    assert snapshot("assignments/chain_rule/") == {
        key: value for key, value in after.items() if not key.startswith("assignments/chain_rule/")
    }


# ---------------------------------------------------------------------------- a blank hand-in


def released_notebook(path: Path) -> Path:
    """A student notebook as otter assign writes one (an answer stub, a check, its export cell),
    given the export's check as make_course releases it."""
    notebook = nbformat.v4.new_notebook()
    notebook.cells = [
        nbformat.v4.new_code_cell('import otter\ngrader = otter.Notebook("chain_rule.ipynb")'),
        nbformat.v4.new_markdown_cell("## Question 1\n\nWrite `dh`."),
        nbformat.v4.new_code_cell("def dh(x):\n    ..."),
        nbformat.v4.new_code_cell('grader.check("q1")'),
        nbformat.v4.new_markdown_cell("## Submission\n\nThe cell below will generate a zip file."),
        nbformat.v4.new_code_cell(
            "# Save your notebook first, then run this cell to export your submission.\n"
            "grader.export(pdf=False, run_tests=True)"
        ),
    ]
    nbformat.write(notebook, path)
    make_course.warn_when_unchanged(path)
    make_course.stable_cell_ids(path)
    return path


def run_export_cell(
    folder: Path, monkeypatch, grading: bool = False, name: str = "chain_rule.ipynb"
) -> tuple[str, list]:
    """Run the export cell of the notebook ``name`` in this process, in ``folder``, as the kernel
    would (with a stand-in for otter's grader): what it prints, and the exports it made."""
    import contextlib
    import io

    (export,) = [
        cell
        for cell in nbformat.read(folder / name, as_version=4).cells
        if make_course.EXPORT in cell.source
    ]
    exported = []

    class Grader:
        _grading_mode = grading

        def export(self, **options):
            exported.append(options)

    monkeypatch.chdir(folder)
    printed = io.StringIO()
    with contextlib.redirect_stdout(printed):
        exec(export.source, {"grader": Grader()})
    return printed.getvalue(), exported


def test_the_export_warns_when_the_notebook_is_still_the_released_one(tmp_path, monkeypatch):
    """A student who never saved, or who answered in a renamed copy, hands in the notebook as
    released: its export cell says so (and still exports). JupyterLab's save (outputs, execution
    counts, metadata, sources as lists of lines) is not a change; an answer is; grading (otter's
    grading mode) and a missing file say nothing."""
    notebook = released_notebook(tmp_path / "chain_rule.ipynb")
    blank = notebook.read_text()
    printed, exported = run_export_cell(tmp_path, monkeypatch)
    assert "WARNING: chain_rule.ipynb is still the notebook as it was handed out" in printed
    assert "File → Save" in printed and "chain_rule (1).ipynb" in printed
    assert exported == [{"pdf": False, "run_tests": True}]

    saved = json.loads(notebook.read_text())  # as JupyterLab saves it, answers untouched
    for cell in saved["cells"]:
        cell["source"] = "".join(cell["source"]).splitlines(keepends=True)
        if cell["cell_type"] == "code":
            cell["execution_count"], cell["outputs"] = (
                3,
                [{"name": "stdout", "output_type": "stream", "text": ["q1 results: ...\n"]}],
            )
    saved["metadata"]["kernelspec"] = {"name": "python3", "display_name": "Python 3"}
    notebook.write_text(json.dumps(saved, indent=1))
    assert "WARNING" in run_export_cell(tmp_path, monkeypatch)[0]
    assert run_export_cell(tmp_path, monkeypatch, grading=True)[0] == ""

    answered = [
        line.replace("    ...", "    return 1 - np.tanh(x) ** 2")
        for line in saved["cells"][2]["source"]
    ]
    saved["cells"][2]["source"] = answered
    notebook.write_text(json.dumps(saved, indent=1))
    printed, exported = run_export_cell(tmp_path, monkeypatch)
    assert printed == "" and len(exported) == 1

    # answered in a renamed copy beside the blank one: the export, run in the copy, zips the blank
    notebook.rename(tmp_path / "chain_rule (1).ipynb")
    notebook.write_text(blank)
    printed = run_export_cell(tmp_path, monkeypatch, name="chain_rule (1).ipynb")[0]
    assert "WARNING: chain_rule.ipynb is still the notebook" in printed
    notebook.unlink()  # no chain_rule.ipynb at all: otter's export says so itself, the check not
    assert run_export_cell(tmp_path, monkeypatch, name="chain_rule (1).ipynb")[0] == ""


def test_a_released_notebook_warns_until_answered(tmp_path, monkeypatch, otter_dist):
    """The same on a real release (otter assign's export cell): untouched, the export warns; and
    the check does not change a grade (the solution, given it, gets full marks)."""
    from otter.api import grade_submission

    dist = otter_dist("chain_rule")
    solution = tmp_path / "chain_rule.ipynb"
    shutil.copy(dist["solution"], solution)
    make_course.warn_when_unchanged(solution)
    assert "WARNING" in solution.read_text()
    graded = grade_submission(str(solution), str(dist["zip"]), quiet=True)
    assert graded.total == graded.possible > 0
    make_course.student_assignments(tmp_path / "release", ["chain_rule"])
    folder = tmp_path / "release" / "chain_rule"
    printed, exported = run_export_cell(folder, monkeypatch)
    assert "WARNING: chain_rule.ipynb is still the notebook" in printed and len(exported) == 1
    notebook = nbformat.read(folder / "chain_rule.ipynb", as_version=4)
    stub = next(
        cell
        for cell in notebook.cells
        if cell.cell_type == "code"
        and "..." in cell.source
        and make_course.EXPORT not in cell.source
    )
    stub.source += "\n# a first answer"
    nbformat.write(notebook, folder / "chain_rule.ipynb")
    assert run_export_cell(folder, monkeypatch)[0] == ""
