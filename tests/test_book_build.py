"""Build the whole book in a temporary copy, as CI and authors do, and fail on any warning."""
import re

import pytest

@pytest.mark.book
def test_book_builds_without_warning_or_failed_cell(built_book):
    html, result = built_book
    output = result.stdout + result.stderr
    assert result.returncode == 0, output[-5000:]
    # Sphinx and myst-nb report as "WARNING:"/"ERROR:"; the kernel's own log line about its
    # TCP transport ("[IPKernelApp] WARNING | ...") is not a build warning.
    assert not re.search(r"WARNING:|ERROR:|Traceback|Execution Failed", output), output[-5000:]
    for page in ["book/intro.html", "book/worked_example.html", "book/chain_rule.html", "book/steepest_descent.html",
                 "book/backprop_equations.html", "book/backprop_loop.html", "book/gradient_checking.html", "book/notation.html", "book/forward_pass.html", "book/bibliography.html"]:
        assert (html / page).is_file(), page


@pytest.mark.book
def test_glued_numbers_reach_the_page(built_book):
    html, _ = built_book
    page = (html / "book" / "forward_pass.html").read_text()
    import numpy as np
    import nnmath
    net = nnmath.Network([2, 2, 1], "sigmoid", weights=[[[0.15, 0.20], [0.25, 0.30]], [[0.40, 0.45]]],
                         biases=[[0.35, 0.35], [0.60]])
    prediction = net.predict(np.array([[0.05], [0.10]]))[0, 0]
    assert f"{prediction:.6f}" in page
    assert "glue:text" not in page


@pytest.mark.book
def test_every_chapter_offers_its_notebook_and_a_binder_launch(built_book):
    import json

    html, _ = built_book
    chapters = [p.stem for p in (html.parent.parent / "book").glob("*.md") if "kernelspec:" in p.read_text()]
    assert len(chapters) >= 8
    for name in chapters:
        page = (html / "book" / f"{name}.html").read_text()
        assert "download-notebook-button" in page and f"_sources/book/{name}.ipynb" in page, name
        assert "mybinder.org" in page, name
        notebook = json.loads((html / "_sources" / "book" / f"{name}.ipynb").read_text())
        assert notebook["cells"] and notebook["metadata"]["kernelspec"]["name"] == "python3", name
