"""Grade a whole folder of submissions without Docker: ``otter run`` on each, one CSV.

    python tools/grade_folder.py AUTOGRADER.zip SUBMISSIONS/ [-o grades.csv] [--feedback DIR]

Every ``*.ipynb`` or ``*.zip`` (what ``grader.export()`` makes) in SUBMISSIONS is graded in its
own ``otter run`` process, in this environment (which needs what the assignment does: nnmath,
numpy, sympy and scikit-learn from ``requirements.txt``, otter-grader from
``requirements-instructors.txt``: ``pip install -r requirements.txt -r requirements-instructors.txt``).
The CSV has one row per submission: its file, the student (what the LMS put before the
assignment's name in the file name: ``lovelace_ada_1234_chain_rule.ipynb`` gives
``lovelace_ada_1234``), each question's score, the total, the points possible, and the error if
grading failed (that row's scores are empty; the others still count).
A submission that runs longer than ``--timeout`` seconds (600) gets a row with the error "timed
out", and its ``otter run``, the notebook's kernel and every process they started are ended.
Each run's full results are kept in ``<csv>.results/<submission's file name>/results.json``
(``alice.ipynb`` and ``alice.zip`` each get their own). Questions are in natural order: q2 before q10.
``--feedback DIR`` also writes one text file per submission, ``DIR/<submission's file name>.txt``:
its score, each question's points, and the message of every test that failed, public and hidden
(what Gradescope shows a student once grades are published, with ``show_hidden``), to send back.

For a large class, ``otter grade`` (one Docker container per submission) or Gradescope scale
further; see the book's page *For instructors*.
"""

from __future__ import annotations

import argparse
import csv
import json
import re
import subprocess
import sys
import zipfile
from pathlib import Path

import psutil  # requirements-instructors.txt


def otter_command() -> str:
    otter = Path(sys.executable).parent / "otter"
    return str(otter) if otter.is_file() else "otter"


def submissions(folder: Path) -> list[Path]:
    found = sorted(path for path in folder.iterdir() if path.suffix in (".ipynb", ".zip"))
    if not found:
        raise ValueError(f"no .ipynb or .zip submission in {folder}")
    return found


def assignment_name(autograder: Path) -> str:
    """The assignment's name: ``assignment_name`` in the autograder zip's ``otter_config.json``
    (``otter assign`` writes the master's ``name`` there), else the zip's name before
    ``-autograder_``. The name may hold underscores (``backprop_mlp``): it is never split."""
    try:
        with zipfile.ZipFile(autograder) as archive:
            return json.loads(archive.read("otter_config.json"))["assignment_name"]
    except (zipfile.BadZipFile, KeyError, ValueError):
        return autograder.name.partition("-autograder_")[0]


def holds_tests(autograder: Path) -> bool:
    """Whether the autograder zip holds tests (``tests/*.py``). ``otter assign`` run on a student
    notebook (the release's ``assignments/NAME/NAME.ipynb``, say) instead of the master writes a
    zip with none, with only a warning, and every submission would then score 0 of 0.
    A file that is not a zip is left to ``otter run`` to refuse."""
    try:
        with zipfile.ZipFile(autograder) as archive:
            names = archive.namelist()
    except zipfile.BadZipFile:
        return True
    return any(name.startswith("tests/") and name.endswith(".py") for name in names)


def student_of(file_name: str, assignment: str) -> str:
    """What comes before the assignment's name in a submission's file name, the LMS's prefix
    (the student's name or ID, which may hold underscores): ``lovelace_ada_1234_backprop_mlp.ipynb``
    and ``lovelace_ada_1234_backprop_mlp_2026_12_06T10_00_00_000000.zip`` (``grader.export``'s
    name) both give ``lovelace_ada_1234``. Empty when the name does not hold the assignment's."""
    before, found, _ = file_name.partition(assignment)
    return before.rstrip("_- ") if found and assignment else ""


def in_natural_order(questions) -> list[str]:
    """Question names sorted with their numbers read as numbers: q1, q2, …, q10."""

    def key(name: str) -> list:
        return [int(part) if part.isdigit() else part for part in re.split(r"(\d+)", name)]

    return sorted(questions, key=key)


def end_process_tree(pid: int) -> None:
    """End a process and every process it started, however deep. The notebook's kernel is one:
    it runs in a session of its own (jupyter_client starts it so), so it is not in ``otter run``'s
    process group, and it outlives ``otter run``'s end whenever the submission holds it busy.
    Each is found by its parent and stopped first, so none starts another before it is ended."""
    try:
        found = {psutil.Process(pid)}
    except psutil.NoSuchProcess:
        return
    new = set(found)
    while new:
        for process in new:
            try:
                process.suspend()
            except psutil.NoSuchProcess:
                pass
        children = set()
        for process in new:
            try:
                children.update(process.children())
            except psutil.NoSuchProcess:
                pass
        new = children - found
        found |= new
    for process in found:
        try:
            process.kill()
        except psutil.NoSuchProcess:
            pass
    psutil.wait_procs(list(found), timeout=10)


def run_within(command: list[str], timeout: float) -> subprocess.CompletedProcess:
    """``command``'s exit code and output; past ``timeout`` seconds (or on Ctrl-C), it and every
    process it started are ended, and ``subprocess.TimeoutExpired`` is raised."""
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        stdout, stderr = process.communicate(timeout=timeout)
    except BaseException:  # the timeout, or the instructor's Ctrl-C: leave nothing running
        end_process_tree(process.pid)
        process.communicate()
        raise
    return subprocess.CompletedProcess(command, process.returncode, stdout, stderr)


def grade_one(autograder: Path, submission: Path, output: Path, timeout: float) -> dict:
    """{question: (score, possible)} of one submission, from ``otter run``'s results.json."""
    output.mkdir(parents=True, exist_ok=True)
    command = [
        otter_command(),
        "run",
        "--no-logo",
        "-a",
        str(autograder),
        "-o",
        str(output),
        str(submission),
    ]
    try:
        result = run_within(command, timeout)
    except subprocess.TimeoutExpired:
        raise RuntimeError(
            f"timed out after {timeout:g} s (--timeout): an endless loop, say; "
            "its kernel and every process it started were ended"
        ) from None
    results = output / "results.json"
    if result.returncode or not results.is_file():
        raise RuntimeError(
            (result.stderr or result.stdout).strip().splitlines()[-1:] or ["otter run failed"]
        )
    # Gradescope's format: one entry per question (and a "Public Tests" summary without a score)
    tests = json.loads(results.read_text())["tests"]
    return {
        test["name"]: (float(test["score"]), float(test["max_score"]))
        for test in tests
        if "score" in test and "max_score" in test
    }


def feedback_text(row: dict, results: Path, assignment: str) -> str:
    """One submission's feedback: its score, each question's points and the output of its tests
    (otter's, which holds every failed test's message, hidden tests' too), from results.json."""
    lines = [f"{assignment}: {row['submission']}"]
    if "error" in row:
        return "\n".join([*lines, f"Not graded: {row['error']}", ""])
    lines += [f"Score: {row['total']:g} of {row['possible']:g} points", ""]
    for test in json.loads(results.read_text())["tests"]:
        if "score" not in test or "max_score" not in test:
            continue  # the "Public Tests" summary, which the questions' outputs repeat
        lines.append(f"{test['name']}: {test['score']:g} of {test['max_score']:g} points")
        output = test.get("output", "").strip()
        if output:
            lines += ["    " + line if line else "" for line in output.splitlines()]
        lines.append("")
    return "\n".join(lines)


def write_feedback(rows: list[dict], results_root: Path, folder: Path, assignment: str) -> None:
    """``folder/<submission's file name>.txt`` for every graded row (and the error of the others)."""
    folder.mkdir(parents=True, exist_ok=True)
    for row in rows:
        text = feedback_text(row, results_root / row["submission"] / "results.json", assignment)
        (folder / f"{row['submission']}.txt").write_text(text)


def grade_folder(
    autograder: Path,
    folder: Path,
    csv_path: Path,
    timeout: float = 600,
    feedback: Path | None = None,
) -> list[dict]:
    autograder, folder = Path(autograder), Path(folder)
    if not autograder.is_file() or autograder.suffix != ".zip":
        raise ValueError(
            f"{autograder} is not an autograder zip (otter assign's dist/autograder/*.zip)"
        )
    if not folder.is_dir():
        raise ValueError(f"{folder} is not a folder of submissions")
    if not holds_tests(autograder):
        raise ValueError(
            f"{autograder} holds no tests: otter assign ran on a student notebook, not on the "
            "master. Run it again in the book's clone, in assignments/NAME/, on NAME.ipynb there"
        )
    rows, questions = [], []
    assignment = assignment_name(autograder)
    for submission in submissions(folder):
        row = {"submission": submission.name, "student": student_of(submission.name, assignment)}
        try:
            scores = grade_one(
                autograder, submission, csv_path.with_suffix(".results") / submission.name, timeout
            )
        except (RuntimeError, KeyError, ValueError) as error:
            row["error"] = str(error)
            print(f"{submission.name}: not graded ({error})", file=sys.stderr)
        else:
            for question, (score, _) in scores.items():
                row[question] = score
                if question not in questions:
                    questions.append(question)
            row["total"] = sum(score for score, _ in scores.values())
            row["possible"] = sum(possible for _, possible in scores.values())
            print(f"{submission.name}: {row['total']:g}/{row['possible']:g}")
        rows.append(row)
    with open(csv_path, "w", newline="") as handle:
        writer = csv.DictWriter(
            handle,
            ["submission", "student", *in_natural_order(questions), "total", "possible", "error"],
        )
        writer.writeheader()
        writer.writerows(rows)
    if feedback is not None:
        write_feedback(rows, csv_path.with_suffix(".results"), Path(feedback), assignment)
    return rows


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument(
        "autograder", type=Path, help="the autograder zip (otter assign's dist/autograder/)"
    )
    parser.add_argument("folder", type=Path, help="the folder of submissions (.ipynb or .zip)")
    parser.add_argument(
        "-o", "--output", type=Path, default=Path("grades.csv"), help="the CSV (grades.csv)"
    )
    parser.add_argument("--timeout", type=float, default=600, help="seconds per submission (600)")
    parser.add_argument(
        "--feedback",
        type=Path,
        metavar="DIR",
        help="also write DIR/<submission>.txt for each submission: its points and every failed "
        "test's message, hidden tests' too, to send back to the student",
    )
    args = parser.parse_args(argv)
    try:
        rows = grade_folder(args.autograder, args.folder, args.output, args.timeout, args.feedback)
    except ValueError as error:  # a wrong argument: say so as argparse does, no traceback
        parser.error(str(error))
    print(f"{len(rows)} submissions -> {args.output}")
    return 1 if any("error" in row for row in rows) else 0


if __name__ == "__main__":
    sys.exit(main())
