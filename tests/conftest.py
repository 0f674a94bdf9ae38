"""Shared fixtures: a clean build of the whole book with the README's command, made once per test session."""

import os
import shutil
import subprocess
import sys
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


@pytest.fixture(scope="session")
def built_book(tmp_path_factory):
    """Path of ``_build/html`` of the README's build in a clean copy of the repository, and the
    build's output. Nothing is changed in the copy: the tests see the book a reader builds.
    ``NNMATH_BUILT_HTML=_build/html`` reuses a build while iterating on a test (never in CI)."""
    reuse = os.environ.get("NNMATH_BUILT_HTML")
    if reuse and not os.environ.get("CI"):
        return Path(reuse).resolve(), subprocess.CompletedProcess(BUILD_COMMAND, 0, "", "")
    copy = tmp_path_factory.mktemp("book") / "repo"
    shutil.copytree(ROOT, copy, ignore=IGNORE)
    bin_dir = Path(sys.executable).parent
    env = dict(
        os.environ, PATH=f"{bin_dir}{os.pathsep}{os.environ.get('PATH', '')}", PYTHONPATH=str(ROOT)
    )
    result = subprocess.run(
        [str(bin_dir / BUILD_COMMAND[0]), *BUILD_COMMAND[1:]],
        cwd=copy,
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
    )
    return copy / "_build" / "html", result
