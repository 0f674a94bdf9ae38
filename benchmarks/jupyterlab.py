"""How fast a live explorer's image follows its controls in JupyterLab, chapter by chapter.

    python benchmarks/jupyterlab.py [--steps 10]    # after building the book into _build/html

The driver of tests/test_jupyterlab.py (``JupyterLab``): one JupyterLab with Binder's settings and one
headless Chromium, every chapter with an explorer opened at its Binder button's address (through
nbgitpuller, from a local copy of the notebook edition), Run All, then every slider and choice of
every explorer operated ``--steps`` times. A latency is from the control's input event in the page to
the image's new ``src`` (the comm round trip, the kernel's render and PNG, the browser's update); a
player's ▶ is left out (its first step waits for the player's interval). The issue's target is
200 ms. Prints a Markdown table; benchmarks/README.md holds the last one.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

from test_jupyterlab import JupyterLab, chapters_with_code, operate_explorers, run_all  # noqa: E402

TARGET_MS = 200


def has_explorer(notebook: Path) -> bool:
    cells = json.loads(notebook.read_text())["cells"]
    return any(
        "<Explorer" in "".join(output.get("data", {}).get("text/plain", ""))
        for cell in cells
        for output in cell.get("outputs", [])
    )


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument(
        "--html", type=Path, default=ROOT / "_build" / "html", help="the built book"
    )
    parser.add_argument("--steps", type=int, default=10, help="operations of each control")
    args = parser.parse_args()
    editions = args.html / "notebooks"
    chapters = {
        name: page
        for name, page in chapters_with_code().items()
        if (editions / f"{name}.ipynb").is_file() and has_explorer(editions / f"{name}.ipynb")
    }
    if not chapters:
        sys.exit(f"no chapter with an explorer in {editions} (build the book first)")
    rows = []
    with (
        tempfile.TemporaryDirectory() as workdir,
        JupyterLab(
            sorted(editions.glob("*.ipynb")),
            Path(workdir),
            Path(sys.executable).parent,  # this environment's JupyterLab, nnmath from the clone
            dict(os.environ, PYTHONPATH=str(ROOT)),
        ) as lab,
    ):
        for name, page in chapters.items():
            tab = lab.open(name, args.html / page)
            try:
                seconds = run_all(tab)
                _, measured = operate_explorers(tab, steps=args.steps)
            finally:
                lab.close(tab)
            steps = {label: ms for label, ms in measured if not label.endswith("(play)")}
            every = [ms for latencies in steps.values() for ms in latencies]
            slowest = max(steps, key=lambda label: statistics.median(steps[label]))
            rows.append(
                (
                    name,
                    len(steps),
                    len(every),
                    seconds,
                    statistics.median(every),
                    max(every),
                    sum(ms <= TARGET_MS for ms in every) / len(every),
                    slowest.split(": ", 1)[1],
                    statistics.median(steps[slowest]),
                )
            )
            print(f"{name}: {rows[-1]}", file=sys.stderr)
    print(
        "| chapter | controls | steps | Run All (s) | image latency, median / max (ms) | "
        f"steps within {TARGET_MS} ms | slowest control (median ms) |"
    )
    print("|---|---|---|---|---|---|---|")
    for name, controls, count, seconds, median, worst, share, slowest, slowest_ms in rows:
        print(
            f"| {name} | {controls} | {count} | {seconds:.1f} | {median:.0f} / {worst:.0f} | {share:.0%} | "
            f"{slowest} ({slowest_ms:.0f}) |"
        )


if __name__ == "__main__":
    main()
