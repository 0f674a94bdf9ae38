"""Build the whole book in a temporary copy, as CI and authors do, and fail on any warning."""

import re

import pytest
import yaml
from conftest import BUILD_COMMAND, ROOT, toc_pages


def test_the_readme_and_the_workflow_build_with_the_command_the_tests_use():
    command = " ".join(BUILD_COMMAND)
    assert command in (ROOT / "README.md").read_text()
    assert command in (ROOT / ".github" / "workflows" / "book.yml").read_text()


@pytest.mark.book
def test_book_builds_without_warning_or_failed_cell(built_book):
    html, result = built_book
    output = result.stdout + result.stderr
    assert result.returncode == 0, output[-5000:]
    # Sphinx and myst-nb report as "WARNING:"/"ERROR:"; the kernel's own log line about its
    # TCP transport ("[IPKernelApp] WARNING | ...") is not a build warning.
    assert not re.search(r"WARNING:|ERROR:|Traceback|Execution Failed", output), output[-5000:]
    pages = toc_pages()
    assert len(pages) >= 10, pages
    missing = [page for page in pages if not (html / page).is_file()]
    assert not missing, f"pages of _toc.yml not built: {missing}"


@pytest.mark.book
def test_mathjax_is_part_of_the_site(built_book):
    html, _ = built_book
    assert (html / "_static" / "mathjax" / "tex-chtml.js").is_file()
    for page in toc_pages():
        text = (html / page).read_text()
        assert "cdn.jsdelivr.net" not in text and "mathjax@" not in text, page


@pytest.mark.book
def test_repository_buttons_point_at_the_configured_repository(built_book):
    """The Pages workflow writes the repository it runs in into _config.yml; the buttons follow it."""
    html, _ = built_book
    repository = yaml.safe_load((html.parent.parent / "_config.yml").read_text())["repository"]
    page = (html / "book" / "forward_pass.html").read_text()
    assert f'href="{repository["url"]}"' in page  # the repository button
    assert f'href="{repository["url"]}/issues/new?title=' in page  # the issue button
    owner_and_name = repository["url"].removeprefix("https://github.com/")
    assert (
        f"mybinder.org/v2/gh/{owner_and_name}/{repository['branch']}" in page
    )  # the launch button


@pytest.mark.book
def test_glued_numbers_reach_the_page(built_book):
    html, _ = built_book
    page = (html / "book" / "forward_pass.html").read_text()
    import numpy as np

    import nnmath

    net = nnmath.Network(
        [2, 2, 1],
        "sigmoid",
        weights=[[[0.15, 0.20], [0.25, 0.30]], [[0.40, 0.45]]],
        biases=[[0.35, 0.35], [0.60]],
    )
    prediction = net.predict(np.array([[0.05], [0.10]]))[0, 0]
    assert f"{prediction:.6f}" in page
    assert "glue:text" not in page
