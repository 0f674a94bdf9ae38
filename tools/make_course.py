"""Write a course release: a repository a class can be given, with no solution in it.

    python tools/make_course.py OUT [--repository https://github.com/ORG/COURSE]
                                    [--base-url https://ORG.github.io/COURSE/]
                                    [--jupyterhub https://hub.example.edu] [--nnmath SPEC]
                                    [--only NAME [NAME ...]]

``--only`` releases the named assignments only (week by week): into a new OUT, a whole release with
only those assignments; into an existing release (a clone of the course repository, say), only
``assignments/NAME/`` of each NAME is written or replaced, and nothing else in OUT changes (no
book build: the site, notebooks, environment and the other assignments stay as they are). An
unknown NAME is refused before anything is written.

OUT holds, and only holds:

- ``site/``: the student edition's HTML (every exercise solution and solution cell left out, the
  instructors' page too), its ``html_baseurl`` and buttons pointing into the release;
- ``*.ipynb``: its notebook edition (the notebooks the launch buttons open, at the root: Binder's
  home folder is the release's ``main`` branch, and Colab and a JupyterHub's nbgitpuller take them
  from it);
- ``assignments/<name>/``: the student versions of the assignments (``otter assign``'s
  ``student/`` folder: no solution, no hidden test);
- ``binder/``, ``requirements.txt``: the environment (nnmath pinned to the book's release tag);
- ``README.md`` for students;
- ``.gitignore``: what grading writes beside an assignment (``dist/``, ``submissions/``, grades,
  feedback: student records), the book's own lines for it, so that ``git add`` in a clone of the
  course repository never publishes them;
- the book's licence files (``LICENSE``: the code's MIT and the text and figures' CC BY-SA 4.0),
  copied as they are, so the course's copy carries the terms it is given under.

Nothing of the build (``jupyter_execute/``, ``.doctrees``, the execution cache) is copied: the
student build runs in ``_build/course/`` of this repository and reuses the instructor build's cache.
Push OUT to the course's own (public) repository; keep changed masters in a private copy of the
book's repository (the book's own repository is public and holds every solution).
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tools"))
import build_student_edition  # noqa: E402

# The book's own repository, _config.yml's repository.url: where the class installs nnmath from.
BOOK_REPOSITORY = yaml.safe_load((ROOT / "_config.yml").read_text())["repository"]["url"]
LEFT_OUT = build_student_edition.LEFT_OUT  # pages for instructors only
COURSE_BRANCH = "main"  # the release's branch: notebooks, Binder environment, site


def version() -> str:
    import tomllib

    return tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["version"]


def default_nnmath() -> str:
    """The pip requirement the class installs nnmath by: GitHub's archive of the book's repository
    at this version's tag. A plain download (no ``git+``): otter's grading image has no git."""
    return f"nnmath @ {BOOK_REPOSITORY}/archive/refs/tags/v{version()}.tar.gz"


def course_repository(repository: str) -> str:
    """The repository's web address, as Binder and Pages take it: GitHub's "Code" button gives
    https://github.com/ORG/REPO.git, whose trailing ``.git`` (and any ``/``) is dropped here."""
    return repository.rstrip("/").removesuffix(".git")


def has_tag(tag: str, root: Path = ROOT) -> bool:
    """Whether this clone holds the tag ``tag`` (``git rev-parse --verify refs/tags/TAG``)."""
    git = ["git", "-C", str(root), "rev-parse", "-q", "--verify", f"refs/tags/{tag}"]
    return subprocess.run(git, capture_output=True).returncode == 0


def unreleased_nnmath(root: Path = ROOT) -> str:
    """What ``git diff --stat`` shows between this clone's ``nnmath/`` and this version's tag, which
    the class installs by default: '' when they agree, or when the clone has no such tag
    (:func:`nnmath_tag_warning` says that)."""
    tag = f"v{version()}"
    if not has_tag(tag, root):
        return ""
    diff = subprocess.run(
        ["git", "-C", str(root), "diff", "--stat", tag, "--", "nnmath"],
        capture_output=True,
        text=True,
    )
    return diff.stdout.strip()


def nnmath_tag_warning(root: Path = ROOT) -> str:
    """The warning make() prints before a release with the default pin: '' when the clone holds
    this version's tag and its nnmath/ agrees with it. A tag missing from the clone may be missing
    from GitHub too, and then every install of the pin (the class's, every autograder's) fails."""
    tag = f"v{version()}"
    if not has_tag(tag, root):
        return (
            f"warning: this clone has no tag {tag}. The class and the autograders install nnmath "
            f"from that tag on GitHub ({default_nnmath()}); if GitHub lacks it too, every one of "
            f"those installs fails. Check the remote:\n    git ls-remote --tags {BOOK_REPOSITORY} "
            f"{tag}\nIt must print a line ending in refs/tags/{tag}; then "
            f"git fetch --tags {BOOK_REPOSITORY} brings the tag here and ends this warning. "
            "If it prints nothing, release with --nnmath and another pin."
        )
    if changed := unreleased_nnmath(root):
        return (
            f"warning: this clone's nnmath/ differs from the tag {tag} the class installs "
            f"(a chapter may need what the tag lacks; bump the version and tag it):\n{changed}"
        )
    return ""


def pages_url(repository: str) -> str:
    """GitHub Pages' address of the release's site: https://ORG.github.io/REPO/site/."""
    parts = course_repository(repository).split("github.com/")
    if len(parts) != 2 or parts[1].count("/") != 1:
        raise ValueError(
            f"--repository must be https://github.com/ORG/REPO, got {repository!r}; "
            "give --base-url for a release hosted elsewhere"
        )
    org, repo = parts[1].split("/")
    return f"https://{org}.github.io/{repo}/site/"


def course_config(repository: str, base_url: str, jupyterhub: str, nnmath: str) -> dict:
    """What the course release changes in the student edition: every address into the release."""
    launch = {"binderhub_url": "https://mybinder.org", "notebook_interface": "jupyterlab"}
    if jupyterhub:
        launch["jupyterhub_url"] = jupyterhub.rstrip("/")
    return {
        "repository": {
            "url": course_repository(repository),
            "branch": COURSE_BRANCH,
            "path_to_book": "",
        },
        "launch_buttons": launch,
        "sphinx": {
            "config": {
                "html_baseurl": base_url,
                "notebook_edition_branch": COURSE_BRANCH,  # the notebooks are at its root
                "notebook_edition_binder_branch": COURSE_BRANCH,  # and so is binder/: no solutions there
                "notebook_edition_package": nnmath,
            }
        },
    }


def assignment_names() -> list[str]:
    """The assignments: every ``assignments/NAME/NAME.ipynb`` master (other notebooks beside a
    master, a submission being graded say, are not masters)."""
    return sorted(
        path.parent.name
        for path in (ROOT / "assignments").glob("*/*.ipynb")
        if path.stem == path.parent.name
    )


def chosen_assignments(only=None) -> list[str]:
    """The assignments ``--only`` names (all when it names none), refusing an unknown name."""
    names = assignment_names()
    if not only:
        return names
    unknown = [name for name in only if name not in names]
    if unknown:
        raise ValueError(
            f"no assignment named {', '.join(map(repr, unknown))}: "
            f"the assignments are {', '.join(names)} (assignments/NAME/NAME.ipynb)"
        )
    return [name for name in names if name in only]


def is_release(out: Path) -> bool:
    """Whether ``out`` holds a course release this tool made (a clone of the course repository)."""
    return (out / "site" / "index.html").is_file() and (out / "README.md").is_file()


def otter_requirement() -> str:
    """The otter-grader line of requirements-instructors.txt: the one place its version is set.
    The class installs it; ``otter assign`` pins the autograder (Gradescope, ``otter grade``) to
    the otter that runs it, which :func:`check_otter` holds to this line."""
    return next(
        line.split("#")[0].strip()
        for line in (ROOT / "requirements-instructors.txt").read_text().splitlines()
        if line.startswith("otter-grader")
    )


def check_otter() -> str:
    """The version of the otter-grader that assigns; refused (ValueError) unless it is the one
    requirements-instructors.txt pins, since the autograder would then run another otter than
    the class checks with."""
    from importlib.metadata import PackageNotFoundError
    from importlib.metadata import version as installed

    from packaging.requirements import Requirement

    wanted = otter_requirement()
    try:
        found = installed("otter-grader")
    except PackageNotFoundError:
        found = None
    if found is None or not Requirement(wanted).specifier.contains(found, prereleases=True):
        raise ValueError(
            f"this environment has otter-grader {found or '(none)'}, requirements-instructors.txt "
            f"pins {wanted}: otter assign pins the autograder to the otter that runs it, and the "
            "class installs the pinned one. Run pip install -r requirements-instructors.txt"
        )
    return found


def stable_cell_ids(notebook: Path) -> None:
    """Give every cell of a released notebook an id made from its content. ``otter assign`` gives
    the cells it adds random ids, so each release would change every notebook, and nbgitpuller
    would merge those changed lines into the copies students already work in."""
    import hashlib

    import nbformat

    found = nbformat.read(notebook, as_version=4)
    seen = set()
    for cell in found.cells:
        digest = hashlib.sha1(f"{cell.cell_type}\0{cell.source}".encode()).hexdigest()[:12]
        cell.id, n = digest, 1
        while cell.id in seen:  # the same cell twice: number the repeats
            n += 1
            cell.id = f"{digest}-{n}"
        seen.add(cell.id)
    nbformat.write(found, notebook)


EXPORT = "grader.export("  # what the export cell otter assign adds calls (and no other cell)

# Put before the export cell's grader.export(...): a student who never saved, or who works in a
# renamed copy ("chain_rule (1).ipynb"), would hand in the notebook as released, with no word.
# Stand-alone (json, hashlib): the class's nnmath is a release tag that may not have a helper.
EXPORT_CHECK = """\
def as_released(path={path!r}, released={released!r}):
    \"\"\"Whether the notebook the export zips is still the one handed out, every cell as it was.\"\"\"
    import hashlib
    import json

    try:
        with open(path, encoding="utf-8") as file:
            texts = ["".join(cell["source"]) for cell in json.load(file)["cells"]]
    except (OSError, ValueError, KeyError):
        return False
    texts = [text for text in texts if {export!r} not in text]  # all but this cell
    return hashlib.sha256("\\0".join(texts).encode()).hexdigest()[:16] == released


if as_released() and not getattr(type(grader), "_grading_mode", False):
    print(
        "WARNING: {path} is still the notebook as it was handed out: none of your answers "
        "is in it, and the zip below hands in a blank notebook.\\n"
        "Save it (File → Save) and run this cell again. If your answers are in a copy "
        "({stem} (1).ipynb, say), rename or upload that copy as {path}, in this folder."
    )
"""


def released_fingerprint(cells) -> str:
    """What :data:`EXPORT_CHECK` compares: a hash of every cell's text but the export cell's."""
    import hashlib

    texts = ["".join(cell["source"]) for cell in cells if EXPORT not in "".join(cell["source"])]
    return hashlib.sha256("\0".join(texts).encode()).hexdigest()[:16]


def warn_when_unchanged(notebook: Path) -> None:
    """Put :data:`EXPORT_CHECK` in a released notebook's export cell, before ``grader.export``:
    the export then says so when the notebook it zips is still the one released."""
    import nbformat

    found = nbformat.read(notebook, as_version=4)
    (export,) = [cell for cell in found.cells if EXPORT in cell.source]
    check = EXPORT_CHECK.format(
        path=notebook.name,
        stem=notebook.stem,
        released=released_fingerprint(found.cells),
        export=EXPORT,
    )
    head, call = export.source.rsplit("\n", 1) if "\n" in export.source else ("", export.source)
    export.source = "\n".join(part for part in (head, check, call) if part)
    nbformat.write(found, notebook)


def student_assignments(out: Path, names=None) -> list[str]:
    """``otter assign`` on the named masters (default: all); only each one's student folder goes
    into ``out/NAME``, replacing what was there, its notebooks' cell ids made from their content
    (:func:`stable_cell_ids`), its export cell warning of a blank hand-in
    (:func:`warn_when_unchanged`). Other folders in ``out`` are left as they are."""
    otter = Path(sys.executable).parent / "otter"
    names = assignment_names() if names is None else names
    check_otter()
    for name in names:
        master = ROOT / "assignments" / name / f"{name}.ipynb"
        with tempfile.TemporaryDirectory() as tmp:
            dist = Path(tmp) / "dist"
            result = subprocess.run(
                [str(otter), "assign", "--no-run-tests", master.name, str(dist)],
                cwd=master.parent,
                capture_output=True,
                text=True,
                timeout=600,
            )
            if result.returncode:
                raise RuntimeError(f"otter assign {master}: {result.stderr[-3000:]}")
            for notebook in (dist / "student").rglob("*.ipynb"):
                if notebook.stem == name:  # the assignment's own notebook: it has the export
                    warn_when_unchanged(notebook)
                stable_cell_ids(notebook)
            shutil.rmtree(out / name, ignore_errors=True)  # only once the new one is made
            shutil.copytree(dist / "student", out / name)
    return names


def runtime_requirements(nnmath: str) -> list[str]:
    """What a student's environment needs: nnmath at the release, the chapters' requirements
    (not those for building the book) and otter-grader for the assignments' checks, the version
    requirements-instructors.txt pins (:func:`otter_requirement`), so that the class checks with
    the otter that assigns and grades."""
    sys.path.insert(0, str(ROOT / "_ext"))
    from notebook_edition import _runtime_requirements

    otter = otter_requirement()
    return [
        nnmath,
        *[
            line
            for line in _runtime_requirements(ROOT / "requirements.txt")
            if not line.startswith("-")
        ],
        otter,
    ]


README = """# {title}

The course edition of *How neural networks learn*: the book, its chapters as notebooks, and
the assignments.

- **Read the book**: {base_url}
- **Run a chapter**: every page has a launch button (Binder{hub}, Colab); the notebooks are the
  `*.ipynb` files here.
- **Assignments**: `assignments/<name>/<name>.ipynb` (after a chapter's Binder button, in the
  `assignments/` folder of JupyterLab's file browser{hub_folder}). They run on Binder{hub} or your
  own machine, not on Colab (their checks and export do not work there). Open one, answer the
  questions, run `grader.check("q1")` for the public checks, and hand in the file your instructor
  asks for (the notebook's last cell, the export, makes it). Save the notebook (*File* → *Save*)
  before you run the export: it zips the notebook as last saved, and warns when that is still the
  blank one. A Binder session is temporary and deleted when it ends: download the zip (and your
  notebook) before you close it. To go on in a new session, upload your saved notebook into the
  assignment's folder under its own name, over the blank one
  (`assignments/<name>/<name>.ipynb`): the export zips the notebook of that name, so a copy
  renamed by the download (`<name> (1).ipynb`) hands in the blank one. Rename it back.
- **Run locally**: `pip install -r requirements.txt jupyterlab`, then `jupyter lab`.

"Check your own" cells in the chapters give a function to write and a check that says what is wrong.

Licence: the text and figures are CC BY-SA 4.0, the code MIT (*How neural networks learn*,
release {version}, by {author}); see `LICENSE`.
"""


LICENCES = ("LICENSE*", "LICENCE*", "COPYING*")  # the repository's licence files, by name


def write_licences(out: Path) -> list[str]:
    """Copy every licence file of the book's repository into the release; their names."""
    found = sorted({path for pattern in LICENCES for path in ROOT.glob(pattern) if path.is_file()})
    if not found:
        raise RuntimeError(f"no licence file ({', '.join(LICENCES)}) in {ROOT} to give the course")
    for path in found:
        shutil.copy2(path, out / path.name)
    return [path.name for path in found]


def write_gitignore(out: Path) -> None:
    """The release's ``.gitignore``: the book's lines for what grading writes beside a master
    (``assignments/*/dist/``, ``submissions/``, grades, feedback), so that an instructor who makes
    an autograder or grades in a clone of the course repository cannot publish student records,
    or the autograder with its hidden tests, with ``git add``."""
    lines = [
        line
        for line in (ROOT / ".gitignore").read_text().splitlines()
        if line.startswith("assignments/")
    ]
    (out / ".gitignore").write_text(
        "# What making an autograder and grading write beside an assignment (student records,\n"
        "# hidden tests): never pushed to the class. Grade in your private copy of the book.\n"
        + "\n".join(lines)
        + "\n"
    )


def write_environment(out: Path, nnmath: str) -> None:
    requirements = runtime_requirements(nnmath)
    (out / "requirements.txt").write_text(
        "# The course's environment: nnmath at the book's release, the chapters' requirements, otter.\n"
        + "\n".join(requirements)
        + "\n"
    )
    binder = out / "binder"
    binder.mkdir()
    (binder / "requirements.txt").write_text(
        "# Binder's environment: the course's requirements and JupyterLab. Binder's home folder is\n"
        "# the release itself (no nbgitpuller: it would pull a second copy of every notebook).\n"
        "-r ../requirements.txt\njupyterlab>=4,<5\n"
    )
    for name in ("runtime.txt", "postBuild"):
        shutil.copy2(ROOT / "binder" / name, binder / name)
    # The book's Binder does not autosave (reading a chapter writes nothing). A class's does:
    # grader.export zips the notebook as last saved, so without it a student who never saved
    # hands in the blank notebook.
    overrides = json.loads((ROOT / "binder" / "overrides.json").read_text())
    overrides["@jupyterlab/docmanager-extension:plugin"]["autosave"] = True
    (binder / "overrides.json").write_text(json.dumps(overrides, indent=2) + "\n")


def make(
    out: Path,
    *,
    repository: str,
    base_url: str = "",
    jupyterhub: str = "",
    nnmath: str = "",
    build_dir: Path | None = None,
    only=None,
) -> Path:
    out = Path(out).resolve()
    if repository.rstrip("/").endswith(".git"):
        print(
            f"--repository {repository}: using {course_repository(repository)} (no trailing .git)"
        )
    repository = course_repository(repository)
    names = chosen_assignments(only)
    check_otter()  # before anything is built or written
    if out == ROOT or ROOT in out.parents:
        raise ValueError(f"{out} is inside the book's repository: give a folder outside it")
    if out.exists() and any(out.iterdir()):
        if only and is_release(out):
            student_assignments(out / "assignments", names)
            if not (out / ".gitignore").exists():  # a release made before the tool wrote one
                write_gitignore(out)
            others = sorted(
                path.name for path in (out / "assignments").iterdir() if path.name not in names
            )
            print(
                f"Released {', '.join(names)} into {out / 'assignments'}; "
                f"left as they were: {', '.join(others) or 'no other assignment'}, the site, "
                "the notebooks and the environment"
            )
            return out
        raise ValueError(
            f"{out} exists and is not empty: give a new folder"
            + (
                f" ({out} is not a course release: it has no site/index.html and README.md)"
                if only
                else " (or, to add or replace assignments in a release made before, --only NAME)"
            )
        )
    base_url = (base_url or pages_url(repository)).rstrip("/") + "/"
    if not nnmath and (warning := nnmath_tag_warning()):
        print(warning)
    nnmath = nnmath or default_nnmath()
    build_dir = Path(build_dir or ROOT / "_build" / "course").resolve()
    html = build_dir / "html"
    shutil.rmtree(html, ignore_errors=True)
    build_dir.mkdir(parents=True, exist_ok=True)
    status = build_student_edition.build(
        html,
        extra=course_config(repository, base_url, jupyterhub, nnmath),
    )
    if status:
        raise RuntimeError(f"the course's student edition did not build clean (status {status})")
    out.mkdir(parents=True, exist_ok=True)
    shutil.copytree(html, out / "site", ignore=shutil.ignore_patterns(".buildinfo", ".doctrees"))
    for notebook in sorted((html / "notebooks").glob("*.ipynb")):
        shutil.copy2(notebook, out / notebook.name)
    student_assignments(out / "assignments", names)
    write_environment(out, nnmath)
    write_licences(out)
    write_gitignore(out)
    (out / "README.md").write_text(
        README.format(
            title=yaml.safe_load((ROOT / "_config.yml").read_text())["title"],
            base_url=base_url,
            hub=", your university's JupyterHub" if jupyterhub else "",
            hub_folder=(
                f"; after the JupyterHub button, in `{repository.rsplit('/', 1)[-1]}/assignments/`"
                if jupyterhub
                else ""
            ),
            author=yaml.safe_load((ROOT / "_config.yml").read_text())["author"],
            version=version(),
        )
    )
    (out / ".nojekyll").write_text("")  # GitHub Pages serves _static/ as it is
    print(
        f"Course release in {out}: site/, {len(list(out.glob('*.ipynb')))} notebooks, "
        f"assignments {', '.join(names)}"
    )
    return out


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("out", type=Path, help="a new folder (outside this repository)")
    parser.add_argument(
        "--repository",
        default="https://github.com/ORG/COURSE",
        help="the course's public GitHub repository the release is pushed to (a trailing .git is dropped)",
    )
    parser.add_argument(
        "--base-url",
        default="",
        help="where site/ is published (default: the repository's GitHub Pages/site/)",
    )
    parser.add_argument(
        "--jupyterhub",
        default="",
        help="the university's JupyterHub, e.g. https://hub.example.edu: adds its launch button",
    )
    parser.add_argument(
        "--nnmath",
        default="",
        help="pip requirement for nnmath (default: the book's repository at this version's tag, "
        "as GitHub's archive of it: no git needed)",
    )
    parser.add_argument(
        "--only",
        nargs="+",
        metavar="NAME",
        help="release only these assignments (e.g. chain_rule); into an existing release, "
        "write or replace only their assignments/NAME/ folders and leave everything else",
    )
    args = parser.parse_args(argv)
    try:
        make(
            args.out,
            repository=args.repository,
            base_url=args.base_url,
            jupyterhub=args.jupyterhub,
            nnmath=args.nnmath,
            only=args.only,
        )
    except ValueError as error:  # a wrong argument: say so as argparse does, no traceback
        parser.error(str(error))
    return 0


if __name__ == "__main__":
    sys.exit(main())
