"""Shared fixtures: a clean build of the whole book with the README's command, made once per test session."""

import functools
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import venv
from pathlib import Path

import pytest
from local_site import toc_pages  # noqa: F401  (the tests import it from here)

ROOT = Path(__file__).resolve().parents[1]
IGNORE = shutil.ignore_patterns(
    "_build",
    ".git",
    ".venv*",
    "*.egg-info",
    "__pycache__",
    ".hypothesis",
    ".pytest_cache",
    ".jupyter_cache",
    "screenshots",
    "node_modules",
    "wheels",
)
BUILD_COMMAND = [
    "jupyter-book",
    "build",
    ".",
    "-W",
    "-n",
    "--keep-going",
]  # the README's, word for word


# The build runs in the background from the end of collection, while the tests that do not read it
# run on the machine's other core; the tests that read it run last (CI has two cores).
_background_build: dict = {}


@functools.cache
def _module_names_the_built_book(path: Path) -> bool:
    return "built_book" in path.read_text()  # also a test that asks for it by getfixturevalue


def _reads_the_built_book(item) -> bool:
    return "built_book" in item.fixturenames or _module_names_the_built_book(item.path)


def pytest_collection_modifyitems(session, config, items):
    readers = [item for item in items if _reads_the_built_book(item)]
    if not readers:
        return
    items[:] = [item for item in items if item not in readers] + readers
    reuse = os.environ.get("NNMATH_BUILT_HTML") and not os.environ.get("CI")
    if reuse or config.option.collectonly:
        return
    copy = Path(tempfile.mkdtemp(prefix="nnmath-book-")) / "repo"
    shutil.copytree(ROOT, copy, ignore=IGNORE)
    bin_dir = Path(sys.executable).parent
    env = dict(
        os.environ, PATH=f"{bin_dir}{os.pathsep}{os.environ.get('PATH', '')}", PYTHONPATH=str(ROOT)
    )
    output = open(copy.parent / "build-output.txt", "w+")  # noqa: SIM115  (read back by the fixture)
    process = subprocess.Popen(
        [str(bin_dir / BUILD_COMMAND[0]), *BUILD_COMMAND[1:]],
        cwd=copy,
        env=env,
        stdout=output,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,  # its kernels too are ended with it (_end)
    )
    _background_build.update(copy=copy, process=process, output=output, started=time.monotonic())


def _end(process):
    os.killpg(process.pid, signal.SIGKILL)
    process.wait()


def pytest_terminal_summary(terminalreporter):
    """How long the background build took and how long the first test that read it waited: the
    two numbers that say whether the build or the tests decide the suite's time."""
    timing = _background_build.get("timing")
    if timing:
        terminalreporter.write_line(
            "book build: {built:.0f} s; the tests that read it waited {waited:.0f} s".format(
                **timing
            )
        )


def pytest_sessionfinish(session, exitstatus):
    process = _background_build.get("process")
    if process is None:
        return
    if process.poll() is None:  # the session ended before any test read the build
        _end(process)
    _background_build["output"].close()
    shutil.rmtree(_background_build["copy"].parent, ignore_errors=True)


@pytest.fixture(scope="session")
def built_book():
    """Path of ``_build/html`` of the README's build in a clean copy of the repository, and the
    build's output (stdout and stderr together). Nothing is changed in the copy: the tests see the
    book a reader builds. ``NNMATH_BUILT_HTML=_build/html`` reuses a build while iterating on a
    test (never in CI)."""
    reuse = os.environ.get("NNMATH_BUILT_HTML")
    if reuse and not os.environ.get("CI"):
        return Path(reuse).resolve(), subprocess.CompletedProcess(BUILD_COMMAND, 0, "", "")
    process, output = _background_build["process"], _background_build["output"]
    asked = time.monotonic()
    try:
        process.wait(timeout=1800)
    except subprocess.TimeoutExpired:
        _end(process)
        raise
    done = time.monotonic()
    _background_build["timing"] = {
        "built": done - _background_build["started"],
        "waited": done - asked,
    }
    output.seek(0)
    result = subprocess.CompletedProcess(BUILD_COMMAND, process.returncode, output.read(), "")
    return _background_build["copy"] / "_build" / "html", result


WHEELS = ROOT / ".ci" / "wheels"


@pytest.fixture(scope="session")
def binder_environment(tmp_path_factory):
    """What Binder builds: a fresh virtual environment from ``binder/requirements.txt`` alone
    (``requirements.txt``, with ``nnmath``, at the versions of ``requirements.lock``, JupyterLab and
    nbgitpuller), installed with no network from the wheelhouse ``.ci/run`` fills (``pip download``
    into ``.ci/wheels``). Its ``bin`` directory and the environment a process in it gets (no
    ``PYTHONPATH``, no ``VIRTUAL_ENV``: only what it installed). Without the wheelhouse it skips,
    in CI it fails. Made once: tests/test_fresh_venv.py checks its versions and
    tests/test_jupyterlab.py runs every chapter in it."""
    if not WHEELS.is_dir():
        message = "no wheelhouse in .ci/wheels (bash .ci/run makes it)"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    env_dir = tmp_path_factory.mktemp("binder") / "venv"
    venv.create(env_dir, with_pip=True)
    bin_dir = env_dir / "bin"
    clean_env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    clean_env["PATH"] = f"{bin_dir}{os.pathsep}{clean_env.get('PATH', '')}"
    install = subprocess.run(
        [str(bin_dir / "python"), "-m", "pip", "install", "--quiet", "--no-index"]
        + ["--find-links", str(WHEELS), "-r", str(ROOT / "binder" / "requirements.txt")],
        cwd=ROOT,
        env=clean_env,
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert install.returncode == 0, install.stdout[-3000:] + install.stderr[-3000:]
    return bin_dir, clean_env
