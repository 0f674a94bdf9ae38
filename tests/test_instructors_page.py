"""The instructors' page says what the tools and the assignments really do.

Every command the page shows (fenced or inline) uses only options its tool has; the page's
account of points matches the masters' ``all_or_nothing``; its example test cell is in the
exception-based format the masters use, which ``otter assign`` accepts, and it passes or fails
as it should.
"""

import ast
import functools
import json
import os
import re
import shlex
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import numpy as np
import pytest
from conftest import ROOT

sys.path.insert(0, str(ROOT / "tools"))
import make_course  # noqa: E402

PAGE = ROOT / "book" / "instructors.md"
# The masters are assignments/NAME/NAME.ipynb, the rule tools/make_course.py releases by. Not every
# notebook in an assignment's folder: an instructor who follows the page grades submissions there
# (git-ignored, and never a master), and the tests must not fail on their files. The naming rule,
# not `git ls-files`: the tests also run on copies of the repository that are not git checkouts.
MASTERS = [ROOT / "assignments" / name / f"{name}.ipynb" for name in make_course.assignment_names()]
OTTER = Path(sys.executable).parent / "otter"


def fenced(language):
    return re.findall(rf"^\s*```{language}\n(.*?)^\s*```", PAGE.read_text(), re.M | re.S)


def commands():
    """Every `otter …` or `python …tools/….py …` command on the page, continuation lines joined."""
    text = PAGE.read_text()
    found = []
    for block in fenced("bash"):
        joined = re.sub(r"\\\n\s*", " ", block)
        found += [
            part.strip() for line in joined.splitlines() for part in line.split("#")[0].split("&&")
        ]
    found += re.findall(r"`((?:otter|python) [^`]*)`", text)
    return [c for c in found if re.match(r"otter \w+ .|python \S*tools/\w+\.py", c)]


def help_text(command):
    words = shlex.split(command)
    return tool_help(words[0], words[1] if words[0] == "otter" else Path(words[1]).name)


@functools.cache
def tool_help(program, name):
    if program == "otter":
        if not OTTER.is_file():
            pytest.skip("otter-grader is in requirements-test.txt")
        run = [str(OTTER), name, "--help"]
    else:
        run = [sys.executable, str(ROOT / "tools" / name), "--help"]
    return subprocess.run(run, capture_output=True, text=True, check=True, timeout=120).stdout


def test_the_page_shows_the_commands_it_is_checked_on():
    shown = {" ".join(shlex.split(c)[:2]) for c in commands()}
    assert {"otter grade", "otter run", "otter assign"} <= shown, shown
    assert any("make_course.py" in c for c in shown) and any("grade_folder.py" in c for c in shown)


@pytest.mark.parametrize("command", commands())
def test_every_option_a_command_uses_exists(command):
    """otter grade takes its submissions as positional paths (it has no -p), and so on."""
    usage = help_text(command)
    for word in shlex.split(command)[2:]:
        if word.startswith("-"):
            option = word.split("=")[0]
            assert re.search(rf"(^|[\s,\[]){re.escape(option)}\b", usage), (
                f"{command!r}: {option} is not an option of the tool:\n{usage}"
            )


def test_otter_grade_on_exported_zips_says_ext_zip():
    """Students hand in grader.export's zip; otter grade globs *.ipynb unless told --ext zip.
    Every otter grade command on the page (the quick start's and the Docker section's) says so."""
    grades = [c for c in commands() if c.startswith("otter grade")]
    assert grades
    for grade in grades:
        words = shlex.split(grade)
        assert words[words.index("--ext") + 1] == "zip", grade
        assert "--ext [ipynb|" in help_text(grade)  # ipynb is the default


def test_every_question_is_all_or_nothing_as_the_page_says():
    text = " ".join(PAGE.read_text().split())
    assert "Every question of these assignments is all-or-nothing" in text
    assert "shares them equally" not in text
    for master in MASTERS:
        cells = json.loads(master.read_text())["cells"]
        raw = ["".join(c["source"]) for c in cells if c["cell_type"] == "raw"]
        questions = [r for r in raw if r.startswith("# BEGIN QUESTION")]
        assert questions, master
        for question in questions:
            assert re.search(r"^all_or_nothing: true$", question, re.M), (master.name, question)
        (config,) = [r for r in raw if r.startswith("# ASSIGNMENT CONFIG")]
        assert re.search(r"^tests:\n\s+ok_format: false$", config, re.M), master.name
        # the autograder's Python is the one CI and Binder test (otter 7 would pick a newer one)
        assert re.search(r'^python_version: "3\.11"', config, re.M), master.name


def example_test_cell():
    (cell,) = [b for b in fenced("python") if "def q2_gradient_shape" in b]
    return "\n".join(line[3:] if line.startswith("   ") else line for line in cell.splitlines())


def test_the_example_test_cell_is_one_function_and_its_call():
    tree = ast.parse(example_test_cell())
    function, call = tree.body
    assert isinstance(function, ast.FunctionDef)
    assert isinstance(call, ast.Expr) and isinstance(call.value, ast.Call)
    assert call.value.func.id == function.name
    assert [a.id for a in call.value.args] == [a.arg for a in function.args.args]


def test_the_example_test_cell_passes_a_right_answer_and_fails_the_others():
    import nnmath

    def run(backprop):
        exec(compile(example_test_cell(), "example", "exec"), {"backprop": backprop})

    def right(net, x, t):
        return {1: np.zeros((2, 3)), 2: np.zeros((1, 2))}, {
            1: np.zeros((2, 1)),
            2: np.zeros((1, 1)),
        }

    run(right)
    with pytest.raises(AssertionError, match="has shape"):
        run(lambda net, x, t: ({1: np.zeros((3, 2))}, {}))
    with pytest.raises(Exception, match="refused"):
        run(lambda net, x, t: (net.backward(x, t).W, net.backward(x, t).b))
    assert nnmath.Network([3, 2, 1], "sigmoid", seed=0).W[1].shape == (2, 3)


def cell(kind, source):
    """One notebook cell of a master, as otter assign reads it."""
    extra = {"outputs": [], "execution_count": None} if kind == "code" else {}
    return {"cell_type": kind, "metadata": {}, "source": source, **extra}


def master_notebook(cells) -> str:
    """A master notebook (JSON) of these cells, with a Python 3 kernel."""
    kernel = {"name": "python3", "display_name": "Python 3", "language": "python"}
    metadata = {"kernelspec": kernel, "language_info": {"name": "python"}}
    return json.dumps({"cells": cells, "metadata": metadata, "nbformat": 4, "nbformat_minor": 5})


def test_otter_assign_accepts_the_example_test_cell(tmp_path):
    """With the page's setting that shows hidden tests' results on Gradescope: otter writes it
    into the autograder's configuration."""
    if not OTTER.is_file():
        pytest.skip("otter-grader is in requirements-test.txt")

    (show_hidden,) = [textwrap.dedent(b) for b in fenced("yaml") if "show_hidden" in b]
    assert show_hidden == "generate:\n    show_hidden: true\n"
    config = "# ASSIGNMENT CONFIG\nname: example\n" + show_hidden + "tests:\n    ok_format: false"
    solution = "def backprop(net, x, t):\n    g = net.backward(x, t)\n    return g.W, g.b"
    cells = [
        cell("raw", config),
        cell("raw", "# BEGIN QUESTION\nname: q2\npoints: 3\nall_or_nothing: true"),
        cell("markdown", "Write `backprop`."),
        cell("raw", "# BEGIN SOLUTION"),
        cell("code", solution),
        cell("raw", "# END SOLUTION"),
        cell("raw", "# BEGIN TESTS"),
        cell("code", example_test_cell()),
        cell("raw", "# END TESTS"),
        cell("raw", "# END QUESTION"),
    ]
    (tmp_path / "example.ipynb").write_text(master_notebook(cells))
    done = subprocess.run(
        [str(OTTER), "assign", "--no-run-tests", "example.ipynb", "dist"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert (tmp_path / "dist" / "student" / "example.ipynb").is_file()
    settings = json.loads((tmp_path / "dist" / "autograder" / "otter_config.json").read_text())
    assert settings["show_hidden"] is True


def skeleton_cells():
    """The page's question to copy: (kind, source) per cell, in order, from its labelled blocks."""
    text = PAGE.read_text()
    section = text[
        text.index("(instructors-skeleton)=") : text.index("### Checking a changed master")
    ]
    found = re.findall(
        r"^\*\*(Markdown|Raw|Code)\*\*[^\n]*\n\n```(\w+)\n(.*?)^```", section, re.M | re.S
    )
    language = {"Markdown": "markdown", "Raw": "text", "Code": "python"}
    assert all(language[kind] == lang for kind, lang, _ in found), found
    return [
        ({"Markdown": "markdown", "Raw": "raw", "Code": "code"}[kind], source.rstrip("\n"))
        for kind, _, source in found
    ]


def test_the_skeleton_is_a_whole_question_for_the_optimizers_master():
    cells = skeleton_cells()
    kinds = [kind for kind, _ in cells]
    raw = [source.splitlines()[0] for kind, source in cells if kind == "raw"]
    # the prompt inside the question, where otter adds its points
    assert kinds[:2] == ["raw", "markdown"] and raw == [
        "# BEGIN QUESTION",
        "# BEGIN SOLUTION",
        "# END SOLUTION",
        "# BEGIN TESTS",
        "# END TESTS",
        "# END QUESTION",
    ]
    tests = [source for kind, source in cells if kind == "code" and "def q5_" in source]
    assert len(tests) == 2 and sum("hidden: true" in test for test in tests) == 1
    for test in tests:  # exception-based: one function and its call, after the hidden config
        body = re.sub(r'^""".*?"""[^\n]*\n', "", test, flags=re.S)
        function, call = ast.parse(body).body
        assert isinstance(function, ast.FunctionDef) and call.value.func.id == function.name
    # it fits the master it is written for: a new name, and numpy imported before it as np
    master = ROOT / "assignments" / "optimizers" / "optimizers.ipynb"
    master_cells = json.loads(master.read_text())["cells"]
    names = re.findall(
        r"^name: (\w+)$", "".join("".join(c["source"]) + "\n" for c in master_cells), re.M
    )
    assert "q5" not in names
    first_code = next("".join(c["source"]) for c in master_cells if c["cell_type"] == "code")
    assert "import numpy as np" in first_code


def test_the_page_says_where_the_upload_instruction_lives_and_where_the_question_goes():
    """The masters have no export cell (otter assign adds one to each student notebook, from the
    first raw cell's export_cell: instructions:), and the question to copy goes after question 4,
    before the optimizers master's closing "Check your own" cells, as the page says."""
    text = " ".join(PAGE.read_text().split())
    assert "The masters have no export cell" in text and "before its export cell" not in text
    for master in MASTERS:
        cells = json.loads(master.read_text())["cells"]
        config = "".join(cells[0]["source"])
        assert config.startswith("# ASSIGNMENT CONFIG"), master.name
        assert re.search(r"^export_cell:\n(\s+.*\n)*?\s+instructions: ", config, re.M), master.name
        assert not any("grader.export" in "".join(c["source"]) for c in cells), master.name
    master = ROOT / "assignments" / "optimizers" / "optimizers.ipynb"
    cells = ["".join(c["source"]) for c in json.loads(master.read_text())["cells"]]
    last = max(i for i, source in enumerate(cells) if source.startswith("# END QUESTION"))
    heading = cells[last + 1].splitlines()[0].removeprefix("## ")
    assert f'before the closing "{heading}" cells' in text, heading


SKELETON_SOLUTION = "return w - np.linalg.solve(hessian(w), g), state"
# Newton steps a student may hand in that the public test must fail: the solution line's stand-ins
WRONG_NEWTON_STEPS = {
    "forgets the state": "return w - np.linalg.solve(hessian(w), g)",
    "returns another state": "return w - np.linalg.solve(hessian(w), g), g",
    "a gradient step": "return w - g, state",
}


def skeleton_test(hidden: bool) -> str:
    (test,) = [
        source
        for kind, source in skeleton_cells()
        if kind == "code" and "def q5_" in source and ("hidden: true" in source) == hidden
    ]
    return test


def test_the_skeletons_public_test_fails_a_wrong_step():
    """The public test runs on a bowl centred off the origin and checks the pair a step returns:
    on a bowl centred at 0, a step that returned only w (and no state) passed, its w unpacked into
    two zeros. Run in-process on the solution and on each wrong step."""
    solution = next(source for kind, source in skeleton_cells() if "def make_newton" in source)
    assert solution.count(SKELETON_SOLUTION) == 1

    def run(line):
        names = {"np": np}
        exec(compile(solution.replace(SKELETON_SOLUTION, line), "solution", "exec"), names)
        exec(compile(skeleton_test(hidden=False), "public test", "exec"), names)

    run(SKELETON_SOLUTION)
    for mistake, line in WRONG_NEWTON_STEPS.items():
        with pytest.raises(AssertionError):
            run(line)
            pytest.fail(f"the public test passed a step that {mistake}")


def test_otter_assign_accepts_the_skeleton_and_its_solution_passes_its_tests(tmp_path):
    """The question to copy, in a notebook with the masters' test format: otter assign runs the
    tests on the solution (no --no-run-tests) and fails if one does not pass. A submission whose
    step forgets to return the state, graded by the autograder, fails the public test."""
    if not OTTER.is_file():
        pytest.skip("otter-grader is in requirements-test.txt")

    config = (
        "# ASSIGNMENT CONFIG\nname: skeleton\nshow_question_points: true\n"
        "tests:\n    ok_format: false"
    )
    cells = [cell("raw", config), cell("code", "import numpy as np")]
    cells += [cell(kind, source) for kind, source in skeleton_cells()]
    (tmp_path / "skeleton.ipynb").write_text(master_notebook(cells))
    done = subprocess.run(
        [str(OTTER), "assign", "skeleton.ipynb", "dist"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0, (done.stdout + done.stderr)[-3000:]
    student = (tmp_path / "dist" / "student" / "skeleton.ipynb").read_text()
    assert (
        "np.linalg.solve(hessian(w), g)" not in student and "q5_newton_on_rosenbrock" not in student
    )
    assert "q5_newton_on_a_bowl" in student
    assert "_Points:_ 2" in student  # its prompt is inside the question, as the page says
    (autograder,) = (tmp_path / "dist" / "autograder").glob("skeleton-autograder_*.zip")

    import nbformat
    import otter.api

    wrong = nbformat.read(tmp_path / "dist" / "autograder" / "skeleton.ipynb", as_version=4)
    (answer,) = [c for c in wrong.cells if SKELETON_SOLUTION in c.source]
    answer.source = answer.source.replace(
        SKELETON_SOLUTION, WRONG_NEWTON_STEPS["forgets the state"]
    )
    nbformat.write(wrong, tmp_path / "wrong.ipynb")
    results = otter.api.grade_submission(str(tmp_path / "wrong.ipynb"), str(autograder), quiet=True)
    public = [c for c in results.results["q5"].test_case_results if not c.test_case.hidden]
    assert public and not any(c.passed for c in public), [c.message for c in public]
    assert results.results["q5"].score == 0


def test_otter_commands_run_as_shown():
    """otter 7's grade refuses to run without -n (the assignment's name: "You must specify an
    assignment name"), and grade and run both refuse an -o folder that does not exist: every
    such command on the page names its assignment and makes its folder first, on its line."""
    lines = [
        line
        for block in fenced("bash")
        for line in re.sub(r"\\\n\s*", " ", block).splitlines()
        if re.search(r"\botter (grade|run)\b", line)
    ]
    assert lines, "the page shows otter grade and otter run commands"
    for line in lines:
        before, otter, rest = line.partition("otter ")
        words = shlex.split(otter + rest.split("#")[0])
        if words[1] == "grade":
            assert "-n" in words, f"{line!r}: otter grade needs -n NAME"
        if "-o" in words:
            folder = words[words.index("-o") + 1]
            assert f"mkdir -p {folder} &&" in before, f"{line!r}: -o {folder} must exist first"


def test_the_points_per_assignment_are_the_masters():
    """The assignments table's points column, "10 (3 + 4 + 3)", is each master's questions'
    `points` in order, and their sum (no test cell gives its own points, so the question's count)."""
    rows = re.findall(
        r"^\| `assignments/(\w+)/` \| (\d+) \(([\d + ]+)\) \|", PAGE.read_text(), re.M
    )
    assert sorted(name for name, _, _ in rows) == sorted(m.parent.name for m in MASTERS)
    for name, total, parts in rows:
        master = ROOT / "assignments" / name / f"{name}.ipynb"
        cells = json.loads(master.read_text())["cells"]
        raw = ["".join(c["source"]) for c in cells if c["cell_type"] == "raw"]
        points = [
            int(re.search(r"^points: (\d+)$", r, re.M)[1])
            for r in raw
            if r.startswith("# BEGIN QUESTION")
        ]
        assert [int(p) for p in parts.split("+")] == points, name
        assert int(total) == sum(points), name
        code = ["".join(c["source"]) for c in cells if c["cell_type"] == "code"]
        assert not any(re.search(r"^points:", c, re.M) for c in code), name


def test_the_page_releases_one_assignment_at_a_time_with_only():
    """Week by week: the page shows --only, and every name it gives --only is an assignment."""
    given = [
        re.sub(r"\s#.*", "", command).split("--only", 1)[1].split()
        for command in commands()
        if "--only" in command
    ]
    assert len(given) >= 3, given
    names = {master.parent.name for master in MASTERS}
    assert all(chosen and set(chosen) <= names for chosen in given), given


def test_releasing_again_shows_every_option_of_a_first_release():
    """A release made again without one of the first release's options differs from it (its
    links, its JupyterHub button, the class's nnmath): the page's command to release again gives
    every option make_course.py has, so every one a first release on the page uses."""
    text = PAGE.read_text()
    section = text[text.index("(instructors-rerelease)=") : text.index("### Adding a question")]
    (folder,) = re.findall(r"python tools/make_course\.py (\S+)", section)  # its new folder
    (again,) = [c for c in commands() if f"make_course.py {folder} " in c]
    given = {word for word in shlex.split(again) if word.startswith("--")}
    usage = tool_help("python", "make_course.py")
    assert given == set(re.findall(r"(?<![\w-])--[a-z][a-z-]*", usage)) - {"--help"}, given
    first = {
        word
        for command in commands()
        if "make_course.py" in command and command != again
        for word in shlex.split(command)
        if word.startswith("--")
    }
    assert first <= given, first - given


def test_the_autograders_pin_is_the_nnmath_the_release_gives_the_class():
    """Students install make_course's default pin, the autograder assignments/requirements.txt's:
    the page says they are the same tag, so that both grade with the same nnmath.checks. No pin the
    page shows needs git (otter grade's Docker image has none): every one is an archive's URL."""
    from packaging.requirements import Requirement

    pins = [
        line.strip()
        for line in (ROOT / "assignments" / "requirements.txt").read_text().splitlines()
        if line.startswith("nnmath")
    ]
    default = make_course.default_nnmath()
    assert pins == [default]
    assert f"```text\n{default}\n```" in PAGE.read_text()
    text = PAGE.read_text()
    assert "git+" not in text.replace("`git+https://…`", "")  # named only as what not to write
    shown = re.findall(r"nnmath @ [^\s`\"]+", text)
    assert len(shown) >= 4, shown
    for pin in shown:
        url = Requirement(pin).url
        assert url.startswith("https://github.com/") and url.endswith(".tar.gz"), pin
        assert "/archive/" in url, pin


def test_the_page_shows_the_tag_and_commit_forms_of_the_pin():
    """The forms to write in assignments/requirements.txt (and --nnmath): a tag's and a commit's
    archive, which the book's own pin is an instance of."""
    (forms,) = [b for b in fenced("text") if "COMMIT" in b]
    tag, commit = forms.strip().splitlines()
    repository = make_course.BOOK_REPOSITORY.removeprefix("https://github.com/")
    assert tag.replace("ORG/REPO", repository).replace("TAG", f"v{make_course.version()}") == (
        make_course.default_nnmath()
    )
    assert commit == tag.replace("refs/tags/TAG", "COMMIT")


def test_the_page_shows_the_instructors_install_command_and_what_it_installs():
    """requirements-instructors.txt's own install line is on the page, in the Install section's
    commands, and the page names every package it installs."""
    from test_lock import requirements

    header = (ROOT / "requirements-instructors.txt").read_text()
    line = re.search(r"pip install -r requirements\.txt -r requirements-instructors\.txt", header)[
        0
    ]
    text = PAGE.read_text()
    install = text[text.index("(instructors-setting-up)=") : text.index("(instructors-course)=")]
    shown = [
        c for block in re.findall(r"```bash\n(.*?)```", install, re.S) for c in block.splitlines()
    ]
    # with the versions the book's tests ran with: the release builds the book strictly
    assert f"{line} -c requirements.lock" in [c.strip() for c in shown]
    for requirement in requirements(ROOT / "requirements-instructors.txt"):
        assert f"`{requirement.name}`" in install, requirement.name


def test_the_page_makes_venvs_with_the_locks_python_and_says_which_python():
    """The book needs requires-python's version or newer (the page says so), but every venv the
    page makes releases or grades: it is made with the lock's Python (requirements.lock's
    --python-version), which every master's python_version gives the autograder, and step 3's
    good path names that Python."""
    import tomllib

    requires = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["requires-python"]
    minimum = re.fullmatch(r">=\s*(3\.\d+)", requires)[1]
    text = " ".join(PAGE.read_text().split())
    assert f"Python {minimum} or newer" in text
    lock = re.search(r"--python-version (3\.\d+)", (ROOT / "requirements.lock").read_text())[1]
    for master in MASTERS:
        config = "".join(json.loads(master.read_text())["cells"][0]["source"])
        assert re.search(rf'^python_version: "{re.escape(lock)}"', config, re.M), master.name
    venvs = [c for b in fenced("bash") for c in b.splitlines() if "-m venv" in c]
    assert len(venvs) >= 3, venvs
    assert all(c.strip().startswith(f"python{lock} -m venv") for c in venvs), venvs
    assert f"`python{lock}`" in text and f"grading-venv/lib/python{lock}/site-packages/" in text


def test_the_page_checks_that_the_pins_tag_exists():
    """The default pin's tag is pushed at publication: the page checks it with git ls-remote, on
    the repository and tag make_course pins (the version in pyproject.toml)."""
    check = f"git ls-remote --tags {make_course.BOOK_REPOSITORY} v{make_course.version()}"
    assert check in [line.strip() for block in fenced("bash") for line in block.splitlines()]


def test_the_upload_line_the_page_quotes_is_every_masters():
    """Before the first release the page shows the export cell's instruction to change: it is the
    line every master has."""
    (quoted,) = [b.strip() for b in fenced("text") if b.strip().startswith("instructions:")]
    for master in MASTERS:
        config = "".join(json.loads(master.read_text())["cells"][0]["source"])
        assert quoted in [line.strip() for line in config.splitlines()], master.name


def test_which_nnmath_is_checked_outside_the_clones_folder(tmp_path):
    """Run from the clone's root, `python -c "import nnmath"` imports the clone's nnmath/ whatever
    the environment installed: the page's check uses -P, which keeps the current folder off
    sys.path. Shown on a folder with its own nnmath/, as a clone's root has."""
    checks = [
        line
        for block in fenced("bash")
        for line in block.splitlines()
        if "import nnmath" in line and "__file__" in line
    ]
    assert checks and all(line.strip().startswith("python -P -c") for line in checks), checks
    (tmp_path / "nnmath").mkdir()
    (tmp_path / "nnmath" / "__init__.py").write_text('__version__ = "the folder\'s"\n')
    env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin")}  # no PYTHONPATH

    def version(*flags):
        code = "import nnmath; print(getattr(nnmath, '__version__', None))"
        run = [sys.executable, *flags, "-c", code]
        done = subprocess.run(run, cwd=tmp_path, capture_output=True, text=True, env=env)
        return done.stdout.strip()

    assert version() == "the folder's"
    assert version("-P") != "the folder's"


def written_beside_a_master() -> set[str]:
    """What the page's commands write in an assignment's folder: ``grade_folder.py``'s
    ``-o NAME.csv`` (and ``NAME.results/``) and ``--feedback DIR``, otter's ``-o DIR``, and
    ``otter assign``'s output folder. Folders end in ``/``."""
    written = set()
    for command in commands():
        words = [w.rstrip(");") for w in shlex.split(command)]
        if words[:2] == ["otter", "assign"]:
            written.add(words[3] + "/")
        for option, value in zip(words, words[1:]):
            if option == "-o" and value.endswith(".csv"):
                written |= {value, value.removesuffix(".csv") + ".results/"}
            elif option in ("-o", "--feedback"):
                written.add(value.rstrip("/") + "/")
    return written


def ignored_list() -> list[str]:
    """The names the page's box on what git ignores beside a master lists."""
    text = PAGE.read_text()
    start = text.index("Details: what git ignores beside a master")
    box = text[start : text.index("```", start)]
    return re.findall(r"`([\w.-]+/?)`", box)


def test_git_ignores_what_the_pages_commands_write_beside_a_master(tmp_path):
    """Student names and scores (the feedback files, the grades, the submissions) never reach a
    private copy's history: every output of the page's commands is in the page's list of what
    git ignores, and the repository's .gitignore ignores everything on that list."""
    if shutil.which("git") is None:
        pytest.skip("needs git")
    listed = ignored_list()
    written = written_beside_a_master()
    assert {"feedback/", "grades.csv", "grades.results/", "dist/"} <= written, written
    general = {re.sub(r"^[\w-]+(?=\.csv$|\.results/$)", "NAME", name) for name in written}
    assert general <= set(listed), f"written but not in the page's list: {general - set(listed)}"
    # .gitignore, in a repository of its own: the tests also run on copies that are not checkouts
    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True)
    (tmp_path / ".gitignore").write_text((ROOT / ".gitignore").read_text())
    beside = "assignments/chain_rule/"
    paths = [
        beside + (f"{name}x.txt" if name.endswith("/") else name)
        for name in {n.replace("NAME", "week3") for n in listed} | written
    ]
    check = ["check-ignore", "--no-index", "--verbose", "--non-matching", *paths]
    run = ["git", "-C", str(tmp_path), *check]
    shown = subprocess.run(run, capture_output=True, text=True, timeout=60).stdout
    not_ignored = [line.split("\t")[1] for line in shown.splitlines() if line.startswith("::")]
    assert not not_ignored, f".gitignore does not ignore {not_ignored}"


def section(anchor: str) -> str:
    """The page's text from a label to the next label or ``## `` heading after it."""
    text = PAGE.read_text()
    start = text.index(f"({anchor})=")
    body = text.index("\n", text.index("\n", start) + 1)  # after the label and the line below it
    following = re.search(r"^\(instructors-[\w-]+\)=|^## ", text[body:], re.M)
    return text[start : body + following.start()] if following else text[start:]


def test_the_quick_start_fits_a_screen_and_leads_to_each_step():
    quick = section("instructors-quick-start")
    assert len(quick.split()) <= 840, len(quick.split())
    for anchor in ("setting-up", "distribute", "docker", "feedback", "safe-grading"):
        assert f"<instructors-{anchor}>" in quick or f"`instructors-{anchor}`" in quick, anchor
    assert "--only chain_rule" in quick and "--feedback" in quick


def test_assignments_do_not_run_on_colab_as_the_page_says(tmp_path, monkeypatch):
    """On Colab otter 7 wants test files (the masters keep their public tests in the notebook's
    metadata, otter's default) and refuses grader.export: the page says assignments do not run
    there, and claims Colab for the chapters only."""
    import nbformat

    otter = pytest.importorskip("otter", reason="otter-grader is in requirements-test.txt")
    text = " ".join(PAGE.read_text().split())
    assert "Assignments do not run on Colab" in text
    assert "Binder, Colab or local" not in text and "Binder, Colab, their" not in text
    for master in MASTERS:
        config = "".join(json.loads(master.read_text())["cells"][0]["source"])
        assert "files: true" not in config and "runs_on" not in config, master.name

    class ColabShell:  # otter tells Colab by the name of IPython's shell
        def __repr__(self):
            return "<google.colab._shell.Shell object>"

    monkeypatch.setattr("otter.check.utils.get_ipython", ColabShell)
    monkeypatch.chdir(tmp_path)
    nbformat.write(nbformat.v4.new_notebook(), "chain_rule.ipynb")
    with pytest.raises(ValueError, match="Tests directory"):
        otter.Notebook("chain_rule.ipynb")
    (tmp_path / "tests").mkdir()
    with pytest.raises(RuntimeError, match="not compatible with Google Colab"):
        otter.Notebook("chain_rule.ipynb").export()
    readme = make_course.README
    assert "not on Colab" in readme


def test_the_page_warns_that_the_private_masters_workflow_publishes_the_solutions():
    """A private copy keeps .github/workflows/book.yml, which builds the instructor edition on
    every push to main and deploys it to Pages: the page names the file, what it does, and how to
    turn it off; the release copies no workflow."""
    workflow = (ROOT / ".github" / "workflows" / "book.yml").read_text()
    assert "branches: [main]" in workflow and "pull_request" in workflow
    assert "actions/deploy-pages" in workflow and "jupyter-book build ." in workflow
    for branch in ("notebooks", "notebooks-student", "binder-student"):
        assert f" {branch}\n" in workflow, branch
    warning = " ".join(section("instructors-workflow").split())
    for words in (
        "`.github/workflows/book.yml`",
        "every push to `main`",
        "every solution",
        "Disable workflow",
        "`git rm .github/workflows/book.yml`",
        "`notebooks-student`",
    ):
        assert words in warning, words


def test_a_student_resumes_by_the_notebooks_own_name(tmp_path, monkeypatch):
    """The export cell's otter.Notebook("NAME.ipynb") zips the notebook of that name, even beside a
    renamed copy a browser's download makes: the page and the release's README say to upload the
    saved notebook over the blank one, under its own name."""
    otter = pytest.importorskip("otter", reason="otter-grader is in requirements-test.txt")
    import nbformat

    monkeypatch.chdir(tmp_path)
    for name in ("chain_rule.ipynb", "chain_rule (1).ipynb"):
        nbformat.write(nbformat.v4.new_notebook(), name)
    (tmp_path / "tests").mkdir()
    grader = otter.Notebook("chain_rule.ipynb")
    assert grader._resolve_nb_path(None) == "chain_rule.ipynb"
    page = " ".join(PAGE.read_text().split())
    readme = " ".join(make_course.README.split())
    assert "same folder and same name" in page and "`chain_rule (1).ipynb`" in page
    assert "under its own name, over the blank one" in readme and "Rename it back" in readme


def test_students_find_each_assignment_once_and_the_export_warns_of_a_blank_one():
    """A course's Binder opens the release itself (no nbgitpuller copy in notebooks/): the page
    sends students to assignments/NAME/NAME.ipynb, names no second copy, and says the export
    warns when the notebook it zips is still the released one (make_course's export check)."""
    text = " ".join(PAGE.read_text().split())
    assert "notebooks/assignments" not in text and "second copy, `" not in text
    assert "at `assignments/NAME/NAME.ipynb`, as in a clone" in text
    assert "the export warns when the notebook it zips is still the blank one" in text
    assert "WARNING" in make_course.EXPORT_CHECK and "_grading_mode" in make_course.EXPORT_CHECK
    binder = re.search(
        r"def write_environment.*?def ", (ROOT / "tools" / "make_course.py").read_text(), re.S
    )
    assert binder and "nbgitpuller>=" not in binder.group(0)


def test_the_page_gives_test_assignments_time_and_needs_no_book_build():
    """The time the page gives for tests/test_assignments.py is a measured one, and the file does
    not read the book build (conftest builds the book for a module that names its fixture: the
    name is spelt in two pieces here, or this module would be one)."""
    text = " ".join(PAGE.read_text().split())
    assert "it needs no book build" in text and "three and a half minutes" in text
    assert "built_" + "book" not in (ROOT / "tests" / "test_assignments.py").read_text()
