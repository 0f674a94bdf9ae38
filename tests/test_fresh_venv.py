"""What Binder does: a fresh virtual environment from binder/requirements.txt alone (requirements.txt
at the versions of requirements.lock), then every chapter executed in it as a notebook.

Nothing is downloaded at test time: packages come from the wheelhouse .ci/run fills beforehand
(``pip download`` into .ci/wheels). Without it the test skips with the reason; in CI it fails.
"""

import os
import re
import subprocess
import venv

import pytest
from conftest import ROOT

WHEELS = ROOT / ".ci" / "wheels"


def pins(text):
    """The ``name==version`` lines of a lock or of ``pip freeze``, names normalised (PEP 503)."""
    return {
        f"{re.sub(r'[-_.]+', '-', name).lower()}=={version.strip()}"
        for name, version in (
            line.split("==")
            for line in text.splitlines()
            if "==" in line and not line.lstrip().startswith("#")
        )
    }


EXECUTE_EVERY_CHAPTER = """
import sys, time, pathlib, jupytext, nbclient
from concurrent.futures import ProcessPoolExecutor


def execute(path):
    start = time.perf_counter()
    try:
        nbclient.NotebookClient(jupytext.read(path), timeout=300, kernel_name="python3",
                                resources={"metadata": {"path": str(path.parent)}}).execute()
    except Exception as error:
        return f"{path.name}: {error}", False
    return f"{path.name}: {time.perf_counter() - start:.1f} s", True


chapters = [path for path in sorted(pathlib.Path(sys.argv[1]).glob("*.md"))
            if "kernelspec" in jupytext.read(path).metadata]  # a notebook, not a plain page
# two at a time: one kernel computes while the other starts (the machine has two cores)
with ProcessPoolExecutor(max_workers=2) as pool:
    results = list(pool.map(execute, chapters))
print("\\n".join(line for line, _ in results))
failures = [line for line, ok in results if not ok]
if failures:
    sys.exit("\\n".join(failures))
"""


@pytest.mark.book
def test_every_chapter_runs_in_a_fresh_environment_from_the_lock(tmp_path):
    if not WHEELS.is_dir():
        message = "no wheelhouse in .ci/wheels (bash .ci/run makes it)"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    env_dir = tmp_path / "binder-venv"
    venv.create(env_dir, with_pip=True)
    python = env_dir / "bin" / "python"
    clean_env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    clean_env["PATH"] = f"{env_dir / 'bin'}{os.pathsep}{clean_env.get('PATH', '')}"
    install = subprocess.run(
        [
            str(python),
            "-m",
            "pip",
            "install",
            "--quiet",
            "--no-index",
            "--find-links",
            str(WHEELS),
            "-r",
            str(ROOT / "binder" / "requirements.txt"),
        ],
        cwd=ROOT,
        env=clean_env,
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert install.returncode == 0, install.stdout[-3000:] + install.stderr[-3000:]
    installed = subprocess.run(
        [str(python), "-m", "pip", "freeze", "--exclude-editable"],
        env=clean_env,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    off_lock = pins(installed) - pins((ROOT / "requirements.lock").read_text())
    assert not off_lock, f"installed, but not at the lock's version: {sorted(off_lock)}"
    run = subprocess.run(
        [str(python), "-c", EXECUTE_EVERY_CHAPTER, str(ROOT / "book")],
        cwd=ROOT / "book",
        env=clean_env,
        capture_output=True,
        text=True,
        timeout=1800,
    )
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-5000:]
    print(run.stdout)
