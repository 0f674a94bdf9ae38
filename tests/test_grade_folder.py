"""tools/grade_folder.py grades a folder of submissions without Docker: one CSV, one row each,
the solution full marks, the untouched student notebook zero, a broken file reported not graded,
an endless one reported timed out with nothing of it left running."""

import csv
import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import nbformat
import psutil
import pytest
from conftest import ROOT

pytest.importorskip("otter.api", reason="otter-grader is in requirements-test.txt")
sys.path.insert(0, str(ROOT / "tools"))
import grade_folder  # noqa: E402


@pytest.fixture(scope="module")
def chain_rule(tmp_path_factory):
    """otter assign's dist/ of the chain_rule master."""
    master = ROOT / "assignments" / "chain_rule" / "chain_rule.ipynb"
    dist = tmp_path_factory.mktemp("chain_rule") / "dist"
    subprocess.run(
        [
            str(Path(sys.executable).parent / "otter"),
            "assign",
            "--no-run-tests",
            master.name,
            str(dist),
        ],
        cwd=master.parent,
        check=True,
        capture_output=True,
        timeout=600,
    )
    return dist


def test_a_folder_is_graded_into_one_csv(tmp_path, chain_rule):
    dist = chain_rule
    folder = tmp_path / "submissions"
    folder.mkdir()
    (folder / "solution.ipynb").write_bytes((dist / "autograder" / "chain_rule.ipynb").read_bytes())
    # an LMS's name: the student's part and the assignment's name both hold underscores; her
    # answer to question 2 returns ∂C/∂w as ∂C/∂b too
    notebook = nbformat.read(dist / "autograder" / "chain_rule.ipynb", as_version=4)
    (answer,) = [c for c in notebook.cells if "return dC_dz * x, dC_dz * 1.0" in c.source]
    answer.source = answer.source.replace("dC_dz * x, dC_dz * 1.0", "dC_dz * x, dC_dz * x")
    nbformat.write(notebook, folder / "lovelace_ada_1234_chain_rule.ipynb")
    (folder / "untouched.ipynb").write_bytes((dist / "student" / "chain_rule.ipynb").read_bytes())
    (folder / "broken.ipynb").write_text("not a notebook")
    (zip_path,) = (dist / "autograder").glob("*.zip")
    csv_path = tmp_path / "grades.csv"
    feedback = tmp_path / "feedback"
    command = [str(zip_path), str(folder), "-o", str(csv_path), "--feedback", str(feedback)]
    assert grade_folder.main(command) == 1  # one not graded
    rows = {row["submission"]: row for row in csv.DictReader(csv_path.open())}
    assert set(rows) == {
        "solution.ipynb",
        "lovelace_ada_1234_chain_rule.ipynb",
        "untouched.ipynb",
        "broken.ipynb",
    }
    assert grade_folder.assignment_name(zip_path) == "chain_rule"
    assert rows["lovelace_ada_1234_chain_rule.ipynb"]["student"] == "lovelace_ada_1234"
    ada, solution = rows["lovelace_ada_1234_chain_rule.ipynb"], rows["solution.ipynb"]
    assert float(ada["q2"]) == 0 and float(solution["q2"]) > 0
    assert (ada["q1"], ada["q3"]) == (solution["q1"], solution["q3"])
    assert rows["solution.ipynb"]["student"] == ""
    assert float(rows["solution.ipynb"]["total"]) == float(rows["solution.ipynb"]["possible"]) > 0
    assert float(rows["untouched.ipynb"]["total"]) == 0
    assert {"q1", "q2"} <= set(rows["solution.ipynb"])
    assert rows["broken.ipynb"]["error"] and not rows["broken.ipynb"]["total"]
    # one feedback file per submission, named after it; a hidden test's message reaches Ada
    assert {path.name for path in feedback.iterdir()} == {f"{name}.txt" for name in rows}
    text = (feedback / "lovelace_ada_1234_chain_rule.ipynb.txt").read_text()
    possible = float(ada["possible"])
    assert f"Score: {possible - float(solution['q2']):g} of {possible:g} points" in text
    assert f"q2: 0 of {float(solution['q2']):g} points" in text
    assert "∂C/∂b at random points is ∂C/∂w" in text  # a hidden test's message
    assert "All test cases passed" in (feedback / "solution.ipynb.txt").read_text()
    assert "Not graded: " in (feedback / "broken.ipynb.txt").read_text()


def test_a_submission_past_the_timeout_is_reported_and_leaves_nothing_running(
    tmp_path, chain_rule, monkeypatch
):
    """A submission that never ends: its row says it timed out, and neither its kernel nor a
    process it started is left running. Its loop holds the GIL (``sum`` over an endless iterator),
    so the kernel's own watch on its parent never runs: ending ``otter run`` alone would leave it
    spinning. Every process of this grading carries a marker in its environment, and none is left."""
    marker = f"grade-folder-test-{tmp_path.name}"
    monkeypatch.setenv("NNMATH_GRADE_FOLDER_TEST", marker)
    pids = tmp_path / "pids.txt"
    notebook = nbformat.read(chain_rule / "student" / "chain_rule.ipynb", as_version=4)
    endless = (
        "import itertools, os, pathlib, subprocess, sys\n"
        "child = subprocess.Popen([sys.executable, '-c', 'import time; time.sleep(600)'])\n"
        f"pathlib.Path({str(pids)!r}).write_text(f'{{os.getpid()}} {{child.pid}}')\n"
        "sum(itertools.count())\n"
    )
    notebook.cells.insert(1, nbformat.v4.new_code_cell(endless))
    folder = tmp_path / "submissions"
    folder.mkdir()
    nbformat.write(notebook, folder / "endless_chain_rule.ipynb")
    (zip_path,) = (chain_rule / "autograder").glob("*.zip")
    csv_path = tmp_path / "grades.csv"
    # long enough for otter to start the kernel on a busy machine, short for a test
    assert grade_folder.main([str(zip_path), str(folder), "-o", str(csv_path), "--timeout", "30"])
    (row,) = csv.DictReader(csv_path.open())
    assert "timed out after 30 s" in row["error"] and not row["total"], row
    assert pids.is_file(), "the kernel never reached the endless cell: the test proves nothing"
    for pid in map(int, pids.read_text().split()):
        assert not psutil.pid_exists(pid) or psutil.Process(pid).status() == "zombie", pid

    def carries_the_marker(process):
        try:
            return process.environ().get("NNMATH_GRADE_FOLDER_TEST") == marker
        except (psutil.AccessDenied, psutil.NoSuchProcess, psutil.ZombieProcess):
            return False

    others = (p for p in psutil.process_iter(["pid", "cmdline"]) if p.pid != os.getpid())
    left = [p.info for p in others if carries_the_marker(p)]
    assert not left, left


def test_the_feedback_holds_each_questions_points_and_its_tests_output(tmp_path):
    """From results.json as otter run writes it (Gradescope's format): the public-tests summary
    left out, every question with its points and the output of its tests, indented."""
    results = tmp_path / "results.json"
    summary = {"name": "Public Tests", "visibility": "visible", "output": "q1 results: passed"}
    q1 = {"name": "q1", "score": 3.0, "max_score": 3.0, "output": "q1 results: All passed!"}
    q2 = {
        "name": "q2",
        "score": 0.0,
        "max_score": 3.0,
        "output": "q2 results:\n\nAssertionError: ∂C/∂b",
    }
    results.write_text(json.dumps({"tests": [summary, q1, q2]}))
    row = {"submission": "ada_chain_rule.ipynb", "total": 3.0, "possible": 6.0}
    text = grade_folder.feedback_text(row, results, "chain_rule")
    assert text.splitlines() == [
        "chain_rule: ada_chain_rule.ipynb",
        "Score: 3 of 6 points",
        "",
        "q1: 3 of 3 points",
        "    q1 results: All passed!",
        "",
        "q2: 0 of 3 points",
        "    q2 results:",
        "",
        "    AssertionError: ∂C/∂b",
    ]
    assert text.endswith("\n")
    error = {"submission": "x.ipynb", "error": "timed out"}
    assert "Not graded: timed out" in grade_folder.feedback_text(error, results, "chain_rule")


def test_bad_arguments_are_named(tmp_path):
    with pytest.raises(ValueError, match="autograder zip"):
        grade_folder.grade_folder(tmp_path / "nothing.zip", tmp_path, tmp_path / "g.csv")
    (tmp_path / "a.zip").write_bytes(b"")
    with pytest.raises(ValueError, match="no .ipynb or .zip"):
        grade_folder.grade_folder(
            tmp_path / "a.zip",
            tmp_path / "empty" if (tmp_path / "empty").mkdir() is None else tmp_path,
            tmp_path / "g.csv",
        )


def test_questions_are_in_natural_order():
    from grade_folder import in_natural_order

    assert in_natural_order(["q10", "q2", "q1", "q2b"]) == ["q1", "q2", "q2b", "q10"]


def test_the_student_is_what_precedes_the_assignments_name():
    """The assignment's name is found whole, never split on "_": backprop_mlp holds one, and so do
    LMS prefixes (Moodle's folder names, Canvas's name_ID_ID) and grader.export's time stamp."""
    from grade_folder import student_of

    assert student_of("lovelace_ada_1234_backprop_mlp.ipynb", "backprop_mlp") == "lovelace_ada_1234"
    export = "backprop_mlp_2026_12_06T10_00_00_000000.zip"  # grader.export's name
    assert student_of(f"Ada Lovelace_42_assignsubmission_file__{export}", "backprop_mlp") == (
        "Ada Lovelace_42_assignsubmission_file"
    )
    assert student_of(export, "backprop_mlp") == ""
    assert student_of("my_homework.ipynb", "backprop_mlp") == ""


def test_the_assignments_name_falls_back_to_the_zips_name(tmp_path):
    zip_path = tmp_path / "backprop_mlp-autograder_2026_12_06T10_00_00_000000.zip"
    zip_path.write_bytes(b"not a zip")
    assert grade_folder.assignment_name(zip_path) == "backprop_mlp"


def test_an_autograder_with_no_tests_is_refused(tmp_path):
    """otter assign run on a student notebook (the release's, in the course repository's folder)
    instead of the master writes an autograder zip with no tests and exits 0 with a warning: the
    zip is refused before anything is graded, and the message says where to run otter assign."""
    empty = tmp_path / "chain_rule-autograder_2026_12_07T10_00_00_000000.zip"
    with zipfile.ZipFile(empty, "w") as archive:
        archive.writestr("otter_config.json", '{"assignment_name": "chain_rule"}')
        archive.writestr("run_autograder", "")
    (tmp_path / "submissions").mkdir()
    (tmp_path / "submissions" / "ada_chain_rule.ipynb").write_text("{}")
    with pytest.raises(ValueError, match="holds no tests.*master"):
        grade_folder.grade_folder(empty, tmp_path / "submissions", tmp_path / "g.csv")
    assert not (tmp_path / "g.csv").exists()
    with zipfile.ZipFile(empty, "a") as archive:
        archive.writestr("tests/q1.py", "")
    assert grade_folder.holds_tests(empty)
