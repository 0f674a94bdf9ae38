"""requirements.lock pins every package requirements-test.txt installs, inside the ranges of the
human-readable lists, and CI, Binder and the Pages workflow all install from it."""

import re

from conftest import ROOT
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name


def requirements(path):
    """The requirements a requirements file names, following its ``-r`` includes (not ``-e .``)."""
    found = []
    for line in path.read_text().splitlines():
        line = line.split("#")[0].strip()
        if line.startswith("-r"):
            found += requirements(path.parent / line[2:].strip())
        elif line and not line.startswith("-"):
            found.append(Requirement(line))
    return found


def locked():
    pins = {}
    for line in (ROOT / "requirements.lock").read_text().splitlines():
        match = re.fullmatch(r"([A-Za-z0-9_.\-]+)==(\S+)", line.strip())
        if match:
            pins[canonicalize_name(match[1])] = match[2]
    return pins


def test_every_requirement_is_pinned_inside_its_range():
    pins = locked()
    wanted = requirements(ROOT / "requirements-test.txt")
    assert len(wanted) >= 10
    for requirement in wanted:
        name = canonicalize_name(requirement.name)
        assert name in pins, f"{requirement.name} is not in requirements.lock: refresh it (README)"
        assert requirement.specifier.contains(pins[name], prereleases=True), (
            f"requirements.lock pins {requirement.name}=={pins[name]}, outside {requirement.specifier}: refresh it"
        )


def test_the_lock_holds_exact_versions_and_no_pytorch():
    pins = locked()
    assert len(pins) >= 100  # everything installed, not only the direct requirements
    assert not [name for name in pins if name == "torch" or name.startswith(("nvidia-", "triton"))]
    assert "nnmath" not in pins  # it comes from this repository (-e .)


def test_ci_binder_and_the_workflow_install_from_the_lock():
    assert "-r requirements-test.txt -c requirements.lock" in (ROOT / ".ci" / "run").read_text()
    assert "-c requirements.lock" in (ROOT / ".github" / "workflows" / "book.yml").read_text()
    binder = (ROOT / "binder" / "requirements.txt").read_text().split()
    assert binder[binder.index("-c") + 1] == "../requirements.lock"
    assert binder[binder.index("-r") + 1] == "../requirements.txt"
    assert (
        ROOT / "binder" / "runtime.txt"
    ).read_text().strip() == "python-3.11"  # the lock's Python


def test_the_package_says_the_version_pyproject_gives():
    import tomllib

    import nnmath

    with open(ROOT / "pyproject.toml", "rb") as f:
        assert nnmath.__version__ == tomllib.load(f)["project"]["version"]
