"""What Binder installs: the fresh virtual environment of the ``binder_environment`` fixture
(conftest.py), from binder/requirements.txt alone, holds every package at the version of
requirements.lock. tests/test_jupyterlab.py runs every chapter's notebook edition in this same
environment, in JupyterLab, as a student on Binder does.

Nothing is downloaded at test time: packages come from the wheelhouse .ci/run fills beforehand
(``pip download`` into .ci/wheels). Without it the test skips with the reason; in CI it fails.
"""

import re
import subprocess

import pytest


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


def test_pins_read_a_lock_and_a_freeze_alike():
    assert pins("# a comment\nJupyter_Book==1.0.4\nnumpy==2.1.0 \n-e .\n") == {
        "jupyter-book==1.0.4",
        "numpy==2.1.0",
    }


@pytest.mark.book
def test_the_binder_environment_installs_every_package_at_the_locks_version(binder_environment):
    from conftest import ROOT

    bin_dir, env = binder_environment
    installed = subprocess.run(
        [str(bin_dir / "python"), "-m", "pip", "freeze", "--exclude-editable"],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    off_lock = pins(installed) - pins((ROOT / "requirements.lock").read_text())
    assert not off_lock, f"installed, but not at the lock's version: {sorted(off_lock)}"
    # nnmath itself comes from this repository (requirements.txt's "-e ."), not from a wheel
    where = subprocess.run(
        [str(bin_dir / "python"), "-c", "import nnmath; print(nnmath.__file__)"],
        cwd=bin_dir,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert where.startswith(str(ROOT / "nnmath")), where
