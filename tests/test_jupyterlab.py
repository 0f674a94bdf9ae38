"""Every chapter's notebook edition, opened in JupyterLab the way the Binder launch button opens it.

The book's clean build (the ``built_book`` fixture) writes the edition to ``_build/html/notebooks``.
The test commits it to a local git repository's ``notebooks`` branch (what the Pages workflow
publishes), starts JupyterLab on 127.0.0.1 with the settings Binder gets (binder/overrides.json) and
opens each chapter through nbgitpuller at the launch button's ``git-pull?...`` address, in Chromium
with every other host blocked. Then: it is a notebook; no raw book markup and no solution text show;
Run All finishes without error output; every explorer is a live widget whose image changes when a
control moves; no tracked file changed.
"""
import json
import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from urllib.parse import urlencode

import pytest

from test_browser import CHROMIUM, _require

pytestmark = pytest.mark.jupyterlab
ROOT = Path(__file__).resolve().parents[1]
RUN_BUDGET_S = 90          # per chapter: Run All, kernel start included
LATENCY_MS = 200            # an explorer's image after a control moves (median over its interactions)
RAW_MARKUP = ["{glue", "```{", ":::{", "{doc}", "{numref}", "{prf:ref}", "{cite"]
LABEL_LINE = re.compile(r"^\([\w:-]+\)=$", re.M)


def _git(*args, cwd):
    return subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True, text=True,
                          env=dict(os.environ, GIT_AUTHOR_NAME="t", GIT_AUTHOR_EMAIL="t@localhost",
                                   GIT_COMMITTER_NAME="t", GIT_COMMITTER_EMAIL="t@localhost")).stdout


@pytest.fixture(scope="module")
def editions(request, tmp_path_factory):
    # NNMATH_NOTEBOOK_EDITION=_build/html/notebooks reuses a build while iterating on this test
    existing = os.environ.get("NNMATH_NOTEBOOK_EDITION")
    if existing:
        notebooks = sorted(Path(existing).glob("*.ipynb"))
    else:
        html, result = request.getfixturevalue("built_book")
        assert result.returncode == 0, result.stdout[-3000:]
        notebooks = sorted((html / "notebooks").glob("*.ipynb"))
    assert notebooks, "the build wrote no notebook edition"
    origin = tmp_path_factory.mktemp("origin")
    _git("init", "-q", "-b", "notebooks", cwd=origin)
    for notebook in notebooks:
        shutil.copy(notebook, origin)
    _git("add", ".", cwd=origin)
    _git("commit", "-q", "-m", "notebook edition", cwd=origin)
    return origin, [notebook.stem for notebook in notebooks]


def _free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def lab(editions, tmp_path_factory):
    _require(shutil.which("jupyter-lab", path=str(Path(sys.executable).parent)) is not None,
             "JupyterLab is not installed (pip install -r requirements-test.txt)")
    base = tmp_path_factory.mktemp("lab")
    home, settings = base / "home", base / "settings"
    home.mkdir()
    settings.mkdir()
    shutil.copy(ROOT / "binder" / "overrides.json", settings / "overrides.json")
    port, token = _free_port(), "nnmath-test"
    env = dict(os.environ, HOME=str(home), JUPYTER_CONFIG_DIR=str(base / "config"),
               JUPYTER_RUNTIME_DIR=str(base / "runtime"), IPYTHONDIR=str(base / "ipython"),
               PYTHONPATH=str(ROOT), PATH=f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}")
    process = subprocess.Popen(
        [str(Path(sys.executable).parent / "jupyter-lab"), "--no-browser", "--ServerApp.ip=127.0.0.1",
         f"--ServerApp.port={port}", f"--IdentityProvider.token={token}", f"--ServerApp.root_dir={home}",
         f"--LabApp.app_settings_dir={settings}", "--ServerApp.port_retries=0",
         *(["--allow-root"] if os.geteuid() == 0 else [])],
        cwd=home, env=env, stdout=subprocess.DEVNULL, stderr=open(base / "lab.log", "w"))
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while True:
        try:
            urllib.request.urlopen(f"{url}/api/status?token={token}", timeout=2)
            break
        except OSError:
            assert process.poll() is None and time.monotonic() < deadline, (base / "lab.log").read_text()[-3000:]
            time.sleep(0.5)
    yield url, token, home
    process.terminate()
    process.wait(timeout=20)


@pytest.fixture(scope="module")
def page(lab):
    _require(Path(CHROMIUM).exists(), f"{CHROMIUM} not found (apt-get install chromium)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _require(False, "playwright is not installed (pip install -r requirements-test.txt)")
    url, token, _ = lab
    external = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=[
            "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
            "--disable-sync", "--no-first-run"])
        page = browser.new_page(viewport={"width": 1400, "height": 1000})

        def route(request_route):
            if request_route.request.url.startswith(url) or request_route.request.url.startswith("ws://127.0.0.1"):
                request_route.continue_()
            else:
                external.append(request_route.request.url)
                request_route.abort()

        page.route("**/*", route)
        page.goto(f"{url}/lab?token={token}")  # logs in (a cookie) like Binder's redirect does
        page.wait_for_selector(".jp-LabShell", timeout=60_000)
        yield page
        browser.close()
    assert not external, f"JupyterLab asked for other hosts: {external[:5]}"


def launch_address(origin, chapter):
    """The local equivalent of the Binder button's ``urlpath`` (see notebook_edition.binder_url)."""
    return "/git-pull?" + urlencode({"repo": origin.as_uri(), "branch": "notebooks", "targetpath": "notebooks",
                                     "urlpath": f"lab/tree/notebooks/{chapter}.ipynb"})


def _wait_all_run(page, timeout_s):
    """Until no cell is queued or running and the kernel is idle (a collapsed cell shows no prompt)."""
    page.wait_for_function("""() => {
        const panel = document.querySelector('.jp-NotebookPanel:not(.lm-mod-hidden)');
        const prompts = [...panel.querySelectorAll('.jp-CodeCell .jp-InputPrompt')].map(p => p.textContent.trim());
        const idle = panel.querySelector(".jp-Notebook-ExecutionIndicator[data-status='idle']") !== null;
        return idle && prompts.every(p => p === '' || /^\\[\\d+\\]:$/.test(p)) && prompts.some(p => p !== '');
    }""", timeout=timeout_s * 1000)


def _operate_explorers(page):
    """Move every control of every explorer once; the latencies (ms) until its image changed."""
    panel = page.locator(".jp-NotebookPanel:not(.lm-mod-hidden)")
    explorers = panel.locator(".widget-vbox:has(.widget-image)")
    latencies = []
    for e in range(explorers.count()):
        explorer = explorers.nth(e)
        explorer.scroll_into_view_if_needed()
        radios = explorer.locator(".widget-radio-box input")
        handles = explorer.locator(".noUi-handle")
        actions = []
        if radios.count() > 1:
            actions.append(lambda r=radios: r.nth(r.count() - 1).check())
        for i in range(handles.count()):
            actions.append(lambda h=handles.nth(i): (h.focus(), h.press("ArrowLeft")))
        assert actions, f"explorer {e} has no control"
        for action in actions:
            image = explorer.locator(".widget-image")
            before = image.get_attribute("src")
            image.evaluate("""img => { window.__nnxStart = performance.now(); window.__nnxChanged = null;
                new MutationObserver((_, o) => { window.__nnxChanged = performance.now(); o.disconnect(); })
                    .observe(img, {attributes: true, attributeFilter: ['src']}); }""")
            action()
            page.wait_for_function("() => window.__nnxChanged !== null", timeout=5000)
            assert image.get_attribute("src") != before
            latencies.append(page.evaluate("window.__nnxChanged - window.__nnxStart"))
    return explorers.count(), latencies


def test_every_chapter_opens_runs_and_explores(lab, page, editions):
    url, token, home = lab
    origin, chapters = editions
    repository_before = _git("status", "--porcelain", "--untracked-files=no", cwd=ROOT)
    report = {}
    for chapter in chapters:
        page.goto(url + launch_address(origin, chapter))
        page.wait_for_url(re.compile(rf"/lab/tree/notebooks/{chapter}\.ipynb"), timeout=60_000)
        panel = page.locator(".jp-NotebookPanel:not(.lm-mod-hidden)")
        panel.locator(".jp-Notebook .jp-Cell").first.wait_for(timeout=60_000)
        assert page.locator(".jp-FileEditor:visible").count() == 0, f"{chapter} opened in the text editor"
        notebook = panel.locator(".jp-Notebook")

        # before running: the book's markup is gone, figures are stored, solutions are closed
        stored = json.loads((origin / f"{chapter}.ipynb").read_text())["cells"]
        solutions = sum("".join(cell["source"]).count("<details>") for cell in stored)
        page.wait_for_function("""n => document.querySelectorAll(
            '.jp-NotebookPanel:not(.lm-mod-hidden) .jp-MarkdownOutput details').length === n""", arg=solutions)
        rendered = "\n".join(notebook.locator(".jp-MarkdownOutput, .jp-OutputArea-output").all_inner_texts())
        for markup in RAW_MARKUP:
            assert markup not in rendered, f"{chapter}: raw {markup!r}"
        assert not LABEL_LINE.search(rendered), f"{chapter}: a (label)= line"
        images = sum(len(cell.get("attachments", {})) for cell in stored) + sum(
            "image/png" in output.get("data", {}) for cell in stored for output in cell.get("outputs", []))
        shown = notebook.locator(".jp-MarkdownOutput img, .jp-OutputArea-output img")
        from playwright.sync_api import expect

        expect(shown).to_have_count(images, timeout=20_000)  # markdown renders asynchronously
        assert shown.count() == images, f"{chapter}: {shown.count()} of {images} stored figures show"
        assert all(shown.nth(i).evaluate("img => img.complete && img.naturalWidth > 0") for i in range(images))
        hidden_solutions = page.evaluate("""() => [...document.querySelectorAll(
                '.jp-NotebookPanel:not(.lm-mod-hidden) .jp-MarkdownOutput details')].map(d =>
                !d.open && d.getBoundingClientRect().height <= d.querySelector('summary').getBoundingClientRect().height + 2
                && [...d.children].filter(c => c.tagName !== 'SUMMARY').every(c => !c.checkVisibility()))""")
        assert all(hidden_solutions), (
            f"{chapter}: a solution is visible before a click: "
            + page.locator(".jp-NotebookPanel:not(.lm-mod-hidden) .jp-MarkdownOutput details").first.evaluate(
                "d => d.outerHTML.slice(0, 300) + ' NEXT ' + (d.nextElementSibling || {}).outerHTML?.slice(0, 300)"))

        # Run All, as a student would from the menu
        panel.locator(".jp-Notebook-ExecutionIndicator[data-status='idle']").wait_for(timeout=60_000)
        page.locator(".lm-MenuBar-itemLabel", has_text=re.compile(r"^Run$")).click()
        page.locator(".lm-Menu-itemLabel", has_text=re.compile(r"^Run All Cells$")).click()
        start = time.monotonic()
        try:
            _wait_all_run(page, RUN_BUDGET_S)
        except Exception:
            prompts = notebook.locator(".jp-CodeCell .jp-InputPrompt").all_inner_texts()
            raise AssertionError(f"{chapter}: Run All did not finish in {RUN_BUDGET_S} s; prompts {prompts}")
        seconds = time.monotonic() - start
        errors = notebook.locator("[data-mime-type='application/vnd.jupyter.stderr']").all_inner_texts()
        assert not errors, f"{chapter}: error output after Run All: {errors[0][:2000]}"
        rendered = "\n".join(notebook.locator(".jp-MarkdownOutput").all_inner_texts())
        for markup in RAW_MARKUP:
            assert markup not in rendered, f"{chapter}: raw {markup!r} after running"

        count, latencies = _operate_explorers(page)
        expected = sum("<Explorer" in "".join(output.get("data", {}).get("text/plain", ""))
                       for cell in stored for output in cell.get("outputs", []))
        assert count == expected, f"{chapter}: {count} live explorers, {expected} in the notebook"
        if latencies:
            assert statistics.median(latencies) <= LATENCY_MS, f"{chapter}: image latencies {latencies} ms"
        report[chapter] = (round(seconds, 1), count, [round(ms) for ms in latencies])

        # nothing written: not the pulled edition, not the repository
        assert _git("status", "--porcelain", "--untracked-files=no", cwd=home / "notebooks") == "", f"{chapter} modified the edition"
        page.keyboard.press("Alt+w")  # close the tab (and leave the kernel to the server's shutdown)
    print("\nJupyterLab: chapter -> (Run All s, explorers, image latencies ms)", report)
    assert _git("status", "--porcelain", "--untracked-files=no", cwd=ROOT) == repository_before
