"""A catalogue of student submissions, graded by the assignments' own autograders.

Each file in ``tests/grading_submissions/<assignment>/`` replaces one solution cell of that
assignment (the cell holding its ``# cell:`` text) and says what grading must give:

- ``# expect: full``: a correct answer written differently (float32, loops, einsum, prints,
  in-place updates, a dict state, an equivalent textbook form) gets full marks;
- ``# expect: wrong`` with ``# message: ...``: a realistic mistake loses exactly the points of its
  ``# question:`` and every other question keeps its points, and the failure message holds that
  text, which names the mistake (questions are all or nothing); with ``# public: fails`` the
  question's public tests already fail it with that message (a student sees it before submitting);
  with ``# every test: fails`` every test of the question, public and hidden, fails with it;
  with ``# every failure: names it`` every test of the question that fails (public or hidden)
  says it, so no hidden test fails on it with a bare TypeError.

Every assignment's full-mark submissions, put together in one notebook (one per solution cell),
get full marks on every question: a whole notebook written differently, as a student writes it.

A submission that calls nnmath's own answer (``net.backward`` in a backward pass, nnmath's
``Adam`` in an Adam step, …) is a wrong one: the tests run the student's code inside
``nnmath.checks.refusing``, and the message says that part of nnmath is refused in the question.

The autograder's test files (``otter assign``'s output, exception-based) run in-process on the
namespace of the submission's notebook, executed cell by cell as otter does (a cell that raises
does not stop the rest). One test grades a few submissions through ``otter.api.grade_submission``
too, so the in-process grading is held to otter's own.
"""

import contextlib
import io
import re
import zipfile
from pathlib import Path

import nbformat
import pytest
from conftest import ROOT
from otter.test_files import ExceptionTestFile
from test_assignments import Assigned, otter_api, scores

SUBMISSIONS = ROOT / "tests" / "grading_submissions"
CATALOGUE = sorted(SUBMISSIONS.glob("*/*.py"))


def header(path: Path) -> dict:
    """The ``# key: value`` lines at the top of a submission."""
    found = {}
    for line in path.read_text().splitlines():
        match = re.fullmatch(r"# (\w+(?: \w+)*): (.*)", line)
        if not match:
            break
        found[match[1]] = match[2].strip()
    return found


@pytest.fixture(scope="module")
def graders(tmp_path_factory):
    """One ``otter assign`` per assignment: its solution notebook and its test files."""
    made = {}

    def get(name):
        if name not in made:
            assigned = Assigned(name, tmp_path_factory.mktemp(name))
            tests = tmp_path_factory.mktemp(f"{name}_tests")
            with zipfile.ZipFile(assigned.zip) as archive:
                archive.extractall(tests)
            made[name] = assigned, sorted((tests / "tests").glob("q*.py"))
        return made[name]

    return get


def submission_notebook(assigned, path: Path):
    """The solution notebook with the submission's cell in place of the solution's."""
    notebook = nbformat.read(assigned.solution, as_version=4)
    cell_text = header(path)["cell"]
    cells = [c for c in notebook.cells if c.cell_type == "code" and cell_text in c.source]
    assert len(cells) == 1, f"{path.name}: {cell_text!r} is in {len(cells)} solution cells"
    cells[0].source = path.read_text()
    return notebook


def run_in_process(notebook, test_files):
    """{question: (score, possible, [failure messages], [the public tests' failure messages],
    number of tests)}:
    the notebook's cells run one by one, as otter runs them (grader calls left out), then every
    test file on the namespace."""
    env = {"__name__": "__main__"}
    with contextlib.redirect_stdout(io.StringIO()):
        for cell in notebook.cells:
            if cell.cell_type != "code" or "otter" in cell.source or "grader." in cell.source:
                continue
            try:
                exec(compile(cell.source, "<cell>", "exec"), env)
            except Exception:  # noqa: BLE001  (a failing cell costs its question, not the grading)
                pass
    graded = {}
    for path in test_files:
        test = ExceptionTestFile.from_file(str(path))
        with contextlib.redirect_stdout(io.StringIO()):
            test.run(env)
        graded[test.name] = (
            float(test.score),
            float(test.possible),
            [r.message for r in test.test_case_results if not r.passed],
            [r.message for r in test.test_case_results if not r.passed and not r.test_case.hidden],
            len(test.test_case_results),
        )
    return graded


def test_the_catalogue_is_large_enough():
    kinds = [header(p)["expect"] for p in CATALOGUE]
    assert kinds.count("full") >= 12 and kinds.count("wrong") >= 12, kinds
    for path in CATALOGUE:
        fields = header(path)
        assert {"question", "cell", "expect"} <= set(fields), f"{path.name}: header {fields}"
        assert fields["expect"] in ("full", "wrong"), path.name
        assert fields["expect"] == "full" or fields.get("message"), f"{path.name} names no message"
    assert {p.parent.name for p in CATALOGUE} == {
        "chain_rule",
        "backprop_mlp",
        "optimizers",
        "digits",
    }


@pytest.mark.parametrize("path", CATALOGUE, ids=lambda p: f"{p.parent.name}/{p.stem}")
def test_a_submission_gets_what_it_deserves(graders, path):
    assigned, test_files = graders(path.parent.name)
    fields = header(path)
    got = run_in_process(submission_notebook(assigned, path), test_files)
    assert fields["question"] in got, f"{path.name}: no question {fields['question']}"
    for question, (score, possible, messages, public, tests) in got.items():
        if fields["expect"] == "wrong" and question == fields["question"]:
            assert score == 0, (
                f"{path.name}: {question} scored {score}/{possible} for a wrong answer"
            )
            assert any(fields["message"] in m for m in messages), (
                f"{path.name}: expected {fields['message']!r} in a failure message, got {messages}"
            )
            assert not any("1 times the right answer" in m for m in messages)
            if fields.get("public") == "fails":
                assert any(fields["message"] in m for m in public), (
                    f"{path.name}: the public tests of {question} do not name it: {public}"
                )
            if fields.get("every failure") == "names it":
                assert all(fields["message"] in m for m in messages), (
                    f"{path.name}: a failing test of {question} does not say it: {messages}"
                )
            if fields.get("every test") == "fails":
                assert len(messages) == tests and all(fields["message"] in m for m in messages), (
                    f"{path.name}: {len(messages)} of {question}'s {tests} tests fail, with {messages}"
                )
        else:
            assert score == possible > 0, (
                f"{path.name}: {question} scored {score}/{possible}: {messages}"
            )


def whole_notebook(assigned, name):
    """The solution notebook with every solution cell replaced by the first full-mark submission
    of the catalogue written for it: (the notebook, the submissions used)."""
    notebook = nbformat.read(assigned.solution, as_version=4)
    used = []
    for path in (p for p in CATALOGUE if p.parent.name == name and header(p)["expect"] == "full"):
        cells = [
            c
            for c in notebook.cells
            if c.cell_type == "code"
            and header(path)["cell"] in c.source
            and not c.source.startswith("# question:")  # not one replaced already
        ]
        if len(cells) == 1:
            cells[0].source = path.read_text()
            used.append(path.stem)
    return notebook, used


@pytest.mark.parametrize("name", sorted({p.parent.name for p in CATALOGUE}))
def test_a_whole_notebook_of_right_answers_written_differently_gets_full_marks(graders, name):
    """One student's notebook, every answer right and none written as the solution is (float32,
    another form of σ', sech², loops, prints, …): full marks, graded in-process."""
    assigned, test_files = graders(name)
    notebook, used = whole_notebook(assigned, name)
    got = run_in_process(notebook, test_files)
    assert len(used) >= 2 and len(used) == len(
        {header(SUBMISSIONS / name / f"{u}.py")["question"] for u in used}
    )
    for question, (score, possible, messages, *_) in got.items():
        assert score == possible > 0, (
            f"{name} ({', '.join(used)}): {question} {score}/{possible}: {messages}"
        )


def test_otter_gives_the_chain_rule_notebook_written_differently_full_marks(graders, tmp_path):
    """The reviewer's case, through otter's own grading: float32 and sech² in Question 1, another
    form of σ' in Question 2 and 3, every name the prompt gives."""
    assigned, _ = graders("chain_rule")
    notebook, used = whole_notebook(assigned, "chain_rule")
    assert {"float32_dh_with_print", "neuron_exp_form"} <= set(used), used
    path = tmp_path / assigned.solution.name
    nbformat.write(notebook, path)
    results = otter_api.grade_submission(str(path), str(assigned.zip), quiet=True)
    assert results.total == results.possible > 0, scores(results)


# the in-process grading agrees with otter's own, on a submission with prints and float32 work,
# and on one that calls nnmath's own answer (refused as well when otter runs the tests)
THROUGH_OTTER = [
    "backprop_mlp/float32_layer_with_prints",
    "optimizers/adam_efficient_form_in_place",
    "optimizers/cheat_adam_nnmath_update",
    "digits/prepare_raises",
]


@pytest.mark.parametrize("name", THROUGH_OTTER)
def test_otter_grades_as_the_catalogue_does(graders, name, tmp_path):
    path = SUBMISSIONS / f"{name}.py"
    assigned, test_files = graders(path.parent.name)
    notebook = submission_notebook(assigned, path)
    planted = tmp_path / assigned.solution.name
    nbformat.write(notebook, planted)
    otter_scores = scores(otter_api.grade_submission(str(planted), str(assigned.zip), quiet=True))
    ours = {q: (s, p) for q, (s, p, *_) in run_in_process(notebook, test_files).items()}
    assert otter_scores == ours
