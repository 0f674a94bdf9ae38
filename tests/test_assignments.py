"""The otter-grader assignments in assignments/: each one assigns, and grades as it should.

For every master notebook, ``otter assign`` makes the student and autograder versions in a
temporary directory; otter's local grading (no Docker, ``otter.api.grade_submission``) then gives
the solution full marks, the untouched student notebook zero (without crashing), and a solution
with one planted typical mistake loses exactly the points of the question it is in. No solution
line and no hidden test may reach anything the student is given. Everything runs offline.
"""

import ast
import json
import re
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest
from conftest import ROOT

otter_api = pytest.importorskip("otter.api", reason="otter-grader is in requirements-test.txt")

sys.path.insert(0, str(ROOT / "tools"))
import make_course  # noqa: E402

ASSIGNMENTS = make_course.assignment_names()  # assignments/NAME/NAME.ipynb, as released

# One typical mistake (issue 14 §2) per case, planted in the solution: (assignment, question, right, wrong).
MISTAKES = {
    "sigma' at a instead of z": (
        "chain_rule",
        "q2",
        "dC_dz = dC_da * a * (1 - a)",
        "dC_dz = dC_da * sigmoid(a) * (1 - sigmoid(a))",
    ),
    "bias gradient not summed": (
        "backprop_mlp",
        "q1",
        "grad_b = delta.sum(axis=1, keepdims=True)",
        "grad_b = delta",
    ),
    "transposed weight gradient": (
        "backprop_mlp",
        "q2",
        "grad_W = {l: delta[l] @ fwd.a[l - 1].T for l in delta}",
        "grad_W = {l: fwd.a[l - 1] @ delta[l].T for l in delta}",
    ),
    "momentum state not carried": (
        "optimizers",
        "q2",
        "v = np.zeros_like(w) if state is None else state",
        "v = np.zeros_like(w)",
    ),
    "learning rate applied twice": (
        "digits",
        "q2",
        "net.W[l] -= learning_rate * grads.W[l]",
        "net.W[l] -= learning_rate * learning_rate * grads.W[l]",
    ),
}


def test_there_are_at_least_four_assignments_and_every_mistake_names_one():
    assert {"chain_rule", "backprop_mlp", "optimizers", "digits"} <= set(ASSIGNMENTS)
    assert {assignment for assignment, *_ in MISTAKES.values()} == set(ASSIGNMENTS)


class Assigned:
    """The outputs of ``otter assign`` for one master notebook, and grading with its autograder."""

    def __init__(self, name, tmp):
        self.name, self.master = name, ROOT / "assignments" / name / f"{name}.ipynb"
        self.dist = tmp / "dist"
        # run in the master's own directory, as the page shows (otter itself resolves the config's
        # paths against that directory wherever it runs)
        result = subprocess.run(
            [
                str(Path(sys.executable).parent / "otter"),
                "assign",
                "--no-run-tests",
                self.master.name,
                str(self.dist),
            ],
            cwd=self.master.parent,
            capture_output=True,
            text=True,
            timeout=300,
        )
        assert result.returncode == 0, result.stderr[-3000:]
        self.student = self.dist / "student" / f"{name}.ipynb"
        self.solution = self.dist / "autograder" / f"{name}.ipynb"
        (self.zip,) = (self.dist / "autograder").glob("*.zip")
        self._cache = {}

    def grade(self, notebook: Path):
        """{question: (score, possible)} and the full results, from otter's local grading."""
        if notebook not in self._cache:
            results = otter_api.grade_submission(str(notebook), str(self.zip), quiet=True)
            self._cache[notebook] = results
        return self._cache[notebook]


@pytest.fixture(scope="module")
def assigned(tmp_path_factory):
    made = {}

    def get(name):
        if name not in made:
            made[name] = Assigned(name, tmp_path_factory.mktemp(name))
        return made[name]

    return get


def scores(results):
    return {q: (float(r.score), float(r.possible)) for q, r in results.results.items()}


@pytest.mark.parametrize("name", ASSIGNMENTS)
def test_the_solution_gets_full_marks(assigned, name):
    results = assigned(name).grade(assigned(name).solution)
    failed = {
        q: [c.message for c in r.test_case_results if not c.passed]
        for q, r in results.results.items()
    }
    assert results.total == results.possible > 0, f"failed tests: {failed}"
    assert len(results.results) >= 3  # questions


def test_the_autograder_runs_the_otter_the_class_checks_with(assigned):
    """otter assign pins the autograder (Gradescope, otter grade) to the otter that runs it: the
    version requirements-instructors.txt pins, which the class installs (make_course)."""
    import zipfile

    with zipfile.ZipFile(assigned("chain_rule").zip) as archive:
        environment = archive.read("environment.yml").decode()
    (pin,) = re.findall(r"otter-grader\[[\w,]+\](==[\w.]+)", environment)
    assert f"otter-grader{pin}" == make_course.otter_requirement()
    student = [line for line in make_course.runtime_requirements("nnmath") if "otter" in line]
    assert student == [make_course.otter_requirement()]


@pytest.mark.parametrize("name", ASSIGNMENTS)
def test_every_question_has_public_and_more_hidden_tests(assigned, name):
    for question, result in assigned(name).grade(assigned(name).solution).results.items():
        hidden = [c for c in result.test_cases if c.hidden]
        public = [c for c in result.test_cases if not c.hidden]
        assert public and len(hidden) >= 1, (
            f"{name} {question}: {len(public)} public, {len(hidden)} hidden tests"
        )
        assert result.possible > 0


@pytest.mark.parametrize("name", ASSIGNMENTS)
def test_every_question_shows_its_points_to_students(assigned, name):
    """The masters set show_question_points; otter adds "_Points:_ N" to the question's last
    Markdown cell inside its # BEGIN QUESTION block, so each prompt comes after that cell."""
    made = assigned(name)
    master = nbformat.read(made.master, as_version=4)
    points = [
        int(re.search(r"^points: (\d+)$", cell.source, re.M)[1])
        for cell in master.cells
        if cell.cell_type == "raw" and cell.source.startswith("# BEGIN QUESTION")
    ]
    student = nbformat.read(made.student, as_version=4)
    shown = [
        int(match)
        for cell in student.cells
        if cell.cell_type == "markdown"
        for match in re.findall(r"^_Points:_ (\d+)$", cell.source, re.M)
    ]
    assert shown == points


@pytest.mark.parametrize("name", ASSIGNMENTS)
def test_the_untouched_student_notebook_gets_zero(assigned, name):
    results = assigned(name).grade(assigned(name).student)
    assert results.possible > 0 and results.total == 0, scores(results)
    assert set(results.results) == set(assigned(name).grade(assigned(name).solution).results)


@pytest.mark.parametrize("mistake", MISTAKES)
def test_a_planted_mistake_loses_exactly_its_questions_points(assigned, mistake, tmp_path):
    name, question, right, wrong = MISTAKES[mistake]
    made = assigned(name)
    notebook = nbformat.read(made.solution, as_version=4)
    found = [cell for cell in notebook.cells if right in cell.source]
    assert len(found) == 1 and found[0].source.count(right) == 1, (
        f"{right!r} is not in {name}'s solution once"
    )
    found[0].source = found[0].source.replace(right, wrong)
    planted = tmp_path / made.solution.name
    nbformat.write(notebook, planted)

    full = scores(made.grade(made.solution))
    got = scores(made.grade(planted))
    expected = {
        q: ((0.0, possible) if q == question else (possible, possible))
        for q, (_, possible) in full.items()
    }
    assert got == expected, f"{mistake}: {got}"


# -- every name a test reads is one the prompt gives, and a public test reads it first ------------------
def question_names(master_cells):
    """{question: (names its public tests read, names its hidden tests read, names the question
    states: in backticks in its prompt or defined by the stub a student is given)} and the names
    the notebook binds for the student (code cells outside solutions and tests)."""
    questions, given = {}, set()
    question, block = None, None
    for cell in master_cells:
        source = cell.source
        if cell.cell_type == "raw":
            match = re.search(r"BEGIN QUESTION\s*\nname:\s*(\w+)", source)
            if match:
                question = match[1]
                questions[question] = (set(), set(), set())
            block = {
                "# BEGIN SOLUTION": "solution",
                "# BEGIN TESTS": "tests",
            }.get(source.strip(), None if source.strip().startswith("# END") else block)
            if source.strip() == "# END QUESTION":
                question = None
            continue
        if cell.cell_type == "markdown":
            if question:
                questions[question][2].update(re.findall(r"`(\w+)", source))
            continue
        if block == "tests":
            for node in ast.parse(source).body:
                if isinstance(node, ast.FunctionDef):
                    hidden = "hidden: true" in source
                    questions[question][1 if hidden else 0].update(a.arg for a in node.args.args)
        elif block == "solution":  # the stub: what is left outside # BEGIN/# END SOLUTION
            kept = re.sub(r"# BEGIN SOLUTION.*?# END SOLUTION", "", source, flags=re.S)
            questions[question][2].update(re.findall(r"^def (\w+)\(", kept, re.M))
        else:
            tree = ast.parse(re.sub(r"^\s*%.*$", "", source, flags=re.M))
            for node in ast.walk(tree):
                if isinstance(node, (ast.FunctionDef, ast.ClassDef)):
                    given.add(node.name)
                elif isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
                    given.add(node.id)
    return questions, given


def unstated_names(master_cells):
    """What a test reads that the question never names, and what a hidden test reads that no
    public test reads first (a student would lose the question without a word before grading)."""
    questions, given = question_names(master_cells)
    problems = []
    for question, (public, hidden, stated) in questions.items():
        for name in sorted((public | hidden) - given - stated - {"env"}):
            problems.append(f"{question}: the tests read {name}, which the question never names")
        for name in sorted(hidden - public - given):
            problems.append(f"{question}: a hidden test reads {name}, which no public test reads")
    return problems


@pytest.mark.parametrize("name", ASSIGNMENTS)
def test_every_name_a_test_reads_is_in_the_prompt_and_read_by_a_public_test(name):
    """otter passes a name the notebook lacks as None: a hidden test that reads a name the prompt
    never gives fails a right answer written under other names, with a TypeError (the chain_rule
    review's E1). Every name is stated, and a public test reads it, so grader.check says first."""
    master = nbformat.read(ROOT / "assignments" / name / f"{name}.ipynb", as_version=4)
    questions, _ = question_names(master.cells)
    assert len(questions) >= 3 and all(public for public, _, _ in questions.values())
    assert not unstated_names(master.cells)


def test_the_name_check_finds_a_name_the_prompt_leaves_out():
    master = nbformat.read(ROOT / "assignments" / "chain_rule" / "chain_rule.ipynb", as_version=4)
    for cell in master.cells:  # the prompt as it was: dC_da unnamed, the public test on dC_dw only
        if cell.cell_type == "markdown":
            cell.source = cell.source.replace("dC_da", "the first factor")
        cell.source = re.sub(r"def q3_the_names\(.*", "def q3_the_names(dC_dw):", cell.source)
    assert unstated_names(master.cells) == [
        "q3: the tests read dC_da, which the question never names",
        "q3: a hidden test reads C, which no public test reads",
        "q3: a hidden test reads a, which no public test reads",
        "q3: a hidden test reads dC_da, which no public test reads",
        "q3: a hidden test reads da_dz, which no public test reads",
        "q3: a hidden test reads dz_dw, which no public test reads",
    ]


# -- nothing a student is given holds a solution or a hidden test ---------------------------------------
def secret_lines(master: Path):
    """Lines of the master's solutions and hidden tests that appear nowhere else in it."""
    notebook = nbformat.read(master, as_version=4)
    secret, public, in_solution = set(), set(), False
    for cell in notebook.cells:
        text = cell.source.strip()
        if cell.cell_type == "raw":
            in_solution = {"# BEGIN SOLUTION": True, "# END SOLUTION": False}.get(text, in_solution)
            continue
        lines = cell.source.splitlines()
        if cell.cell_type == "code" and "hidden: true" in cell.source:
            secret.update(lines)
            continue
        inside = False
        for line in lines:
            marker = line.strip()
            if marker in ("# BEGIN SOLUTION", "# END SOLUTION"):
                inside = marker == "# BEGIN SOLUTION"
            elif (in_solution and cell.cell_type == "code" and inside) or marker.endswith(
                "# SOLUTION"
            ):
                secret.add(line)
            else:
                public.add(line)
    meaningful = {
        line.strip()
        for line in secret - public
        if len(line.strip()) >= 10 and not re.fullmatch(r'(""".*|#.*|hidden: true)', line.strip())
    }
    return meaningful - {line.strip() for line in public}


@pytest.mark.parametrize("name", ASSIGNMENTS)
def test_the_student_version_holds_no_solution_and_no_hidden_test(assigned, name):
    made = assigned(name)
    secrets = secret_lines(made.master)
    assert len(secrets) >= 10  # the check looks at real solution and test code
    student_files = [p for p in (made.dist / "student").rglob("*") if p.is_file()]
    assert made.student in student_files
    for path in student_files:
        text = path.read_text(errors="replace")
        if path.suffix == ".ipynb":  # compare sources and metadata as text, unescaped
            text = (
                json.dumps(json.loads(text), ensure_ascii=False)
                .replace("\\n", "\n")
                .replace('\\"', '"')
            )
        leaked = sorted(line for line in secrets if line in text)
        assert not leaked, f"{path.name} holds solution or hidden-test lines: {leaked[:5]}"
    # and the students still get the public tests (they are what grader.check runs)
    tests = json.dumps(nbformat.read(made.student, as_version=4).metadata.get("otter", {}))
    assert "assert" in tests or "check_" in tests
