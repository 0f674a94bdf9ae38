"""Shared fixtures: a clean build of the whole book, made once per test session."""
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
IGNORE = shutil.ignore_patterns("_build", ".git", ".venv*", "*.egg-info", "__pycache__", ".hypothesis",
                                ".pytest_cache", ".jupyter_cache", "screenshots")


@pytest.fixture(scope="session")
def built_book(tmp_path_factory):
    """Path of ``_build/html`` of a clean build, and the build's output."""
    copy = tmp_path_factory.mktemp("book") / "repo"
    shutil.copytree(ROOT, copy, ignore=IGNORE)
    env = dict(os.environ, PATH=f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}",
               PYTHONPATH=str(ROOT))
    result = subprocess.run(
        [str(Path(sys.executable).parent / "jupyter-book"), "build", ".", "-W", "-n", "--keep-going"],
        cwd=copy, env=env, capture_output=True, text=True, timeout=900)
    return copy / "_build" / "html", result


