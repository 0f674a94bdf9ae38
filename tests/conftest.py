"""Shared fixtures: a clean build of the whole book, made once per test session."""
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
IGNORE = shutil.ignore_patterns("_build", ".git", ".venv*", "*.egg-info", "__pycache__", ".hypothesis",
                                ".pytest_cache", ".jupyter_cache", "screenshots")


def local_mathjax():
    """MathJax 3's es5 folder: $NNMATH_MATHJAX, or where .ci/run installs it with npm."""
    for candidate in (os.environ.get("NNMATH_MATHJAX"), ROOT / ".ci" / "node_modules" / "mathjax" / "es5"):
        if candidate and (Path(candidate) / "tex-chtml.js").is_file():
            return Path(candidate)
    return None


@pytest.fixture(scope="session")
def built_book(tmp_path_factory):
    """Path of ``_build/html`` of a clean build, and the build's output."""
    copy = tmp_path_factory.mktemp("book") / "repo"
    shutil.copytree(ROOT, copy, ignore=IGNORE)
    mathjax = local_mathjax()
    if mathjax is not None:  # typeset from a local copy so browser tests need no CDN
        # html_extra_path copies it as is (files in _static would each become a <script>)
        shutil.copytree(mathjax, copy / "_local_mathjax" / "mathjax")
        config = yaml.safe_load((copy / "_config.yml").read_text())
        config["sphinx"]["config"]["html_extra_path"] = ["_local_mathjax"]
        config["sphinx"]["config"]["mathjax_path"] = "../mathjax/tex-chtml.js"  # relative to _static
        (copy / "_config.yml").write_text(yaml.safe_dump(config, sort_keys=False, allow_unicode=True))
    env = dict(os.environ, PATH=f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}",
               PYTHONPATH=str(ROOT))
    result = subprocess.run(
        [str(Path(sys.executable).parent / "jupyter-book"), "build", ".", "-W", "-n", "--keep-going"],
        cwd=copy, env=env, capture_output=True, text=True, timeout=900)
    return copy / "_build" / "html", result


