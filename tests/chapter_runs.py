"""Each chapter's code, run once per test session and shared by the tests that read its objects
(test_explore, the chapter tests): a chapter takes up to a minute to run, and the tests only read
what it leaves."""

import functools

from conftest import ROOT


@functools.cache
def chapter_namespace(name: str) -> dict:
    """The namespace book/NAME.md's code leaves (tools.chapters.run_chapter), run on first use."""
    from tools.chapters import run_chapter

    return run_chapter(ROOT / "book" / f"{name}.md")
