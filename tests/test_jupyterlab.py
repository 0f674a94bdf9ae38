"""Every chapter's notebook edition, opened in JupyterLab the way the Binder launch button opens it.

The book's clean build (the ``built_book`` fixture) writes the edition to ``_build/html/notebooks``
(``NNMATH_NOTEBOOK_EDITION=_build/html/notebooks`` reuses a build while iterating on this test; the
chapter pages around it give the launch addresses).
The edition is committed to a local git repository's ``notebooks`` branch (what the Pages workflow
publishes); one JupyterLab on 127.0.0.1 with the settings Binder gets (binder/overrides.json) and one
Chromium serve every chapter, each opened in a fresh tab through nbgitpuller at the address of its
page's Binder button (only the repository swapped for the local one), every other host blocked.
JupyterLab and the kernels run in Binder's environment (the ``binder_environment`` fixture: a fresh
virtual environment from binder/requirements.txt, installed from the wheelhouse .ci/run fills), so
Run All here is also the test that every chapter runs where Binder installs it; without the
wheelhouse (iterating on this test) they run in the test's own environment. Per
chapter (those of ``_toc.yml`` with
code): it is a notebook; no raw book markup and no solution text show; Run All finishes without
error output; every explorer is a live widget whose image changes when each control is operated; no
tracked file changed. How fast the image changes is measured by benchmarks/jupyterlab.py, with the
same driver (``JupyterLab``), never asserted here.
"""

from __future__ import annotations

import contextlib
import html
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from urllib.parse import parse_qs, parse_qsl, urlencode, urlsplit

import pytest
from conftest import WHEELS
from local_site import CHROMIUM, CHROMIUM_ARGS, missing_browser, toc_pages

pytestmark = pytest.mark.jupyterlab
ROOT = Path(__file__).resolve().parents[1]
RUN_BUDGET_S = 120  # per chapter: Run All, kernel start included, on a loaded 2-core machine
RESPONSE_BOUND_S = 5  # an explorer that has not changed its image by then does not respond
RAW_MARKUP = ["{glue", "```{", ":::{", "{doc}", "{numref}", "{prf:ref}", "{cite"]
LABEL_LINE = re.compile(r"^\([\w:-]+\)=$", re.M)
VISIBLE_PANEL = ".jp-NotebookPanel:not(.lm-mod-hidden)"


def chapters_with_code(root=ROOT):
    """The chapters of ``_toc.yml`` that are notebooks (MyST Markdown with code cells), in order:
    name -> the path of its HTML page in the built book."""
    chapters = {}
    for page in toc_pages(root):
        source = root / Path(page).with_suffix(".md")
        if source.is_file() and re.search(r"^```\{code-cell\}", source.read_text(), re.M):
            chapters[source.stem] = page
    return chapters


def _git(*args, cwd):
    return subprocess.run(
        ["git", *args],
        cwd=cwd,
        check=True,
        capture_output=True,
        text=True,
        env=dict(
            os.environ,
            GIT_AUTHOR_NAME="t",
            GIT_AUTHOR_EMAIL="t@localhost",
            GIT_COMMITTER_NAME="t",
            GIT_COMMITTER_EMAIL="t@localhost",
        ),
    ).stdout


def _free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


# ---------------------------------------------------------------------------- the driver


class JupyterLab:
    """One JupyterLab server (Binder's settings) and one Chromium, for opening chapters of an edition.

    ``with JupyterLab(notebooks, workdir, bin_dir, env) as lab:`` commits ``notebooks`` (the edition's .ipynb
    files) to a local ``notebooks`` branch, starts the server and the browser; ``lab.open(chapter)``
    opens a chapter in a fresh tab at its launch address; ``lab.close(tab)`` closes it and shuts its
    kernel down, so the next chapter starts alone (no tab restored from the last one).
    """

    def __init__(self, notebooks, workdir: Path, bin_dir: Path, env: dict):
        """``bin_dir`` holds the ``jupyter-lab`` to run, ``env`` the environment it runs in."""
        self.notebooks, self.workdir = list(notebooks), Path(workdir)
        self.bin_dir, self.base_env = Path(bin_dir), env
        self.external = []  # requests for any host but the server (aborted)
        self._stack = contextlib.ExitStack()

    def __enter__(self):
        try:
            self._publish()
            self._start_server()
            self._start_browser()
        except BaseException:
            self._stack.close()
            raise
        return self

    def __exit__(self, *exc):
        self._stack.close()

    def _publish(self):
        self.origin = self.workdir / "origin"
        self.origin.mkdir()
        _git("init", "-q", "-b", "notebooks", cwd=self.origin)
        for notebook in self.notebooks:
            shutil.copy(notebook, self.origin)
        _git("add", ".", cwd=self.origin)
        _git("commit", "-q", "-m", "notebook edition", cwd=self.origin)

    def _start_server(self):
        bin_dir = self.bin_dir
        lab = shutil.which("jupyter-lab", path=str(bin_dir))
        if lab is None:
            raise FileNotFoundError(
                "JupyterLab is not installed (pip install -r requirements-test.txt)"
            )
        self.home, settings = self.workdir / "home", self.workdir / "settings"
        self.home.mkdir()
        settings.mkdir()
        shutil.copy(ROOT / "binder" / "overrides.json", settings / "overrides.json")
        port, self.token = _free_port(), "nnmath-test"
        env = dict(
            self.base_env,
            HOME=str(self.home),
            JUPYTER_CONFIG_DIR=str(self.workdir / "config"),
            JUPYTER_RUNTIME_DIR=str(self.workdir / "runtime"),
            IPYTHONDIR=str(self.workdir / "ipython"),
            PATH=f"{bin_dir}{os.pathsep}{self.base_env.get('PATH', '')}",
        )
        log = self._stack.enter_context(open(self.workdir / "lab.log", "w"))
        process = subprocess.Popen(
            [
                lab,
                "--no-browser",
                "--ServerApp.ip=127.0.0.1",
                f"--ServerApp.port={port}",
                f"--IdentityProvider.token={self.token}",
                f"--ServerApp.root_dir={self.home}",
                f"--LabApp.app_settings_dir={settings}",
                "--ServerApp.port_retries=0",
                f"--LabApp.workspaces_dir={self.workdir / 'workspaces'}",
                "--LabApp.expose_app_in_browser=True",  # window.jupyterapp: the kernel's state, for run_all
                *(["--allow-root"] if os.geteuid() == 0 else []),
            ],
            cwd=self.home,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=log,
        )

        def stop():
            process.terminate()
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()

        self._stack.callback(stop)
        self.url = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 60
        while True:
            try:
                self._api("GET", "/api/status")
                return
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(
                        "JupyterLab did not start: "
                        + (self.workdir / "lab.log").read_text()[-3000:]
                    ) from None
                time.sleep(0.5)

    def _api(self, method, path):
        request = urllib.request.Request(
            f"{self.url}{path}", method=method, headers={"Authorization": f"token {self.token}"}
        )
        with urllib.request.urlopen(request, timeout=10) as response:
            body = response.read()
        return json.loads(body) if body else None

    def _start_browser(self):
        from playwright.sync_api import sync_playwright

        playwright = self._stack.enter_context(sync_playwright())
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        self._stack.callback(browser.close)
        self.context = browser.new_context(viewport={"width": 1400, "height": 1000})

        def route(request_route):
            url = request_route.request.url
            if url.startswith(self.url) or url.startswith(self.url.replace("http", "ws", 1)):
                request_route.continue_()
            else:
                self.external.append(url)
                request_route.abort()

        self.context.route("**/*", route)
        tab = self.context.new_page()
        tab.goto(
            f"{self.url}/lab?token={self.token}"
        )  # logs in (a cookie) like Binder's redirect does
        tab.wait_for_selector(".jp-LabShell", timeout=60_000)
        tab.close()
        self._forget_layout()

    def launch_address(self, chapter_page: Path):
        """The address the built chapter page's Binder button opens, with nbgitpuller pulling from
        the local ``notebooks`` branch instead of GitHub's: its ``urlpath`` exactly, but for the repository."""
        match = re.search(r'href="(https://[^"]*/v2/gh/[^"]*)"', chapter_page.read_text())
        assert match, f"{chapter_page.name} has no Binder launch button"
        urlpath = parse_qs(urlsplit(html.unescape(match[1])).query)["urlpath"][0]
        pull, _, query = urlpath.partition("?")
        parameters = dict(parse_qsl(query))
        parameters["repo"] = self.origin.as_uri()
        return f"/{pull}?{urlencode(parameters)}"

    def open(self, chapter, chapter_page: Path):
        """A fresh tab with ``chapter`` opened at its page's launch address; waits for its first cell."""
        tab = self.context.new_page()
        tab.goto(self.url + self.launch_address(chapter_page))
        tab.wait_for_url(re.compile(rf"/lab/tree/notebooks/{chapter}\.ipynb"), timeout=60_000)
        tab.locator(f"{VISIBLE_PANEL} .jp-Notebook .jp-Cell").first.wait_for(timeout=60_000)
        return tab

    def close(self, tab):
        """Close the tab (a modified notebook is discarded, never saved), shut its kernel down and
        forget the layout, so the next chapter's JupyterLab does not reopen this one."""
        tab.close()
        for session in self._api("GET", "/api/sessions"):
            self._api("DELETE", f"/api/sessions/{session['id']}")
        self._forget_layout()

    def _forget_layout(self):
        for workspace in self._api("GET", "/lab/api/workspaces")["workspaces"]["ids"]:
            self._api("DELETE", f"/lab/api/workspaces/{workspace}")


def run_all(tab, timeout_s=RUN_BUDGET_S):
    """Run → Run All Cells from the menu, as a student would; the seconds until every cell has run."""
    # the kernel connected and idle: Run All before that asks which kernel to start
    tab.wait_for_function(
        """() => {
        const kernel = window.jupyterapp?.shell.currentWidget?.sessionContext?.session?.kernel;
        return kernel && kernel.connectionStatus === 'connected' && kernel.status === 'idle';
    }""",
        timeout=60_000,
    )
    tab.locator(".lm-MenuBar-itemLabel", has_text=re.compile(r"^Run$")).click()
    tab.locator(".lm-Menu-itemLabel", has_text=re.compile(r"^Run All Cells$")).click()
    start = time.monotonic()
    # until no cell is queued or running and the kernel is idle (a collapsed cell shows no prompt)
    tab.wait_for_function(
        """selector => {
        const panel = document.querySelector(selector);
        const prompts = [...panel.querySelectorAll('.jp-CodeCell .jp-InputPrompt')].map(p => p.textContent.trim());
        const idle = panel.querySelector(".jp-Notebook-ExecutionIndicator[data-status='idle']") !== null;
        return idle && prompts.every(p => p === '' || /^\\[\\d+\\]:$/.test(p)) && prompts.some(p => p !== '');
    }""",
        arg=VISIBLE_PANEL,
        timeout=timeout_s * 1000,
        polling=250,
    )
    return time.monotonic() - start


def operate_explorers(tab, steps=1, bound_s=RESPONSE_BOUND_S):
    """Operate every control of every live explorer ``steps`` times (a slider one step away from the
    end it is at, another choice, a player's ▶ and then its slider); fails if an image does not
    change within ``bound_s``. Returns the number of explorers and, per operation, its name and the
    latencies (ms, from the first input event on the control in the page to the image's new ``src``)."""
    explorers = tab.locator(
        f"{VISIBLE_PANEL} .jp-OutputArea-output .widget-vbox:has(> .widget-image)"
    )
    measured = []
    for e in range(explorers.count()):
        explorer = explorers.nth(e)
        explorer.scroll_into_view_if_needed()
        image = explorer.locator(":scope > .widget-image")
        # one row per control; the description (a live region) and the caption follow the image
        rows = explorer.locator(":scope > :not(.widget-image):not(.widget-html)")
        description = explorer.locator(":scope > .widget-html [aria-live]")
        assert rows.count(), f"explorer {e} has no control"
        assert description.count() == 1, f"explorer {e} has no description"
        descriptions = {description.inner_text()}
        for r in range(rows.count()):
            row = rows.nth(r)
            label = row.locator(".widget-label").last.inner_text().strip() or f"control {r}"
            for operation in _operations(row):
                latencies = []
                for _ in range(steps):
                    before = image.get_attribute("src")
                    image.evaluate(
                        """(img, row) => {
                        window.__nnxStart = null; window.__nnxChanged = null;
                        const start = () => { if (window.__nnxStart === null) window.__nnxStart = performance.now(); };
                        for (const type of ['keydown', 'click']) row.addEventListener(type, start, {capture: true, once: true});
                        new MutationObserver((_, o) => { window.__nnxChanged = performance.now(); o.disconnect(); })
                            .observe(img, {attributes: true, attributeFilter: ['src']}); }""",
                        row.element_handle(),
                    )
                    operation(row)
                    try:
                        tab.wait_for_function(
                            "() => window.__nnxChanged !== null",
                            timeout=bound_s * 1000,
                            polling="raf",
                        )
                    except Exception:
                        raise AssertionError(
                            f"explorer {e}, {label!r} ({operation.__name__}): "
                            f"the image did not change in {bound_s} s"
                        ) from None
                    latencies.append(tab.evaluate("window.__nnxChanged - window.__nnxStart"))
                    if operation is _play:
                        row.locator(".widget-play button").nth(1).click()  # ⏸ what ▶ started
                        _settle(
                            image
                        )  # a step already on its way is not the next control's response
                    assert image.get_attribute("src") != before
                    descriptions.add(description.inner_text())
                measured.append((f"{e}: {label} ({operation.__name__.strip('_')})", latencies))
        assert len(descriptions) > 1, f"explorer {e}: its description never changed: {descriptions}"
    return explorers.count(), measured


def _settle(image, quiet_ms=500):
    """Until the image has not changed for ``quiet_ms``."""
    image.evaluate(
        """(img, quiet) => new Promise(resolve => {
        let timer = setTimeout(done, quiet);
        const observer = new MutationObserver(() => { clearTimeout(timer); timer = setTimeout(done, quiet); });
        function done() { observer.disconnect(); resolve(); }
        observer.observe(img, {attributes: true, attributeFilter: ['src']}); })""",
        quiet_ms,
    )


def _operations(row):
    if row.locator(".widget-play").count():
        return [_play, _slider]
    if row.locator(".widget-radio-box").count():
        return [_choice]
    if row.locator(".noUi-handle").count():
        return [_slider]
    raise AssertionError(f"a control this test cannot operate: {row.get_attribute('class')}")


def _play(row):
    row.locator(".widget-play button").first.click()  # ▶


def _choice(row):
    radios = row.locator(".widget-radio-box input")
    unchecked = [i for i in range(radios.count()) if not radios.nth(i).is_checked()]
    assert unchecked, "a choice with one option"
    radios.nth(unchecked[(len(unchecked) - 1) // 2]).check()


def _slider(row):
    handle = row.locator(".noUi-handle")
    now, low = (float(handle.get_attribute(a)) for a in ("aria-valuenow", "aria-valuemin"))
    handle.focus()
    handle.press("ArrowLeft" if now > low else "ArrowRight")


# ---------------------------------------------------------------------------- the test


@pytest.fixture(scope="module")
def edition(request):
    # NNMATH_NOTEBOOK_EDITION=_build/html/notebooks reuses a build while iterating on this test
    existing = os.environ.get("NNMATH_NOTEBOOK_EDITION")
    if existing:
        return Path(existing)
    html, result = request.getfixturevalue("built_book")
    assert result.returncode == 0, result.stdout[-3000:]
    return html / "notebooks"


def _environment(request):
    """Binder's environment where the wheelhouse is (always in CI), else the test's own."""
    if WHEELS.is_dir() or os.environ.get("CI"):
        return request.getfixturevalue("binder_environment")
    return Path(sys.executable).parent, dict(os.environ, PYTHONPATH=str(ROOT))


@pytest.fixture(scope="module")
def lab(edition, tmp_path_factory, request):
    reason = missing_browser()
    if reason:
        if os.environ.get("CI"):
            pytest.fail(f"{reason} (required in CI)")
        pytest.skip(reason)
    bin_dir, env = _environment(request)
    if shutil.which("jupyter-lab", path=str(bin_dir)) is None:
        message = f"JupyterLab is not installed in {bin_dir.parent}"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message + " (pip install -r requirements-test.txt)")
    notebooks = sorted(edition.glob("*.ipynb"))
    assert notebooks, "the build wrote no notebook edition"
    repository_before = _git("status", "--porcelain", "--untracked-files=no", cwd=ROOT)
    with JupyterLab(notebooks, tmp_path_factory.mktemp("lab"), bin_dir, env) as lab:
        yield lab
        assert not lab.external, f"JupyterLab asked for other hosts: {lab.external[:5]}"
    assert _git("status", "--porcelain", "--untracked-files=no", cwd=ROOT) == repository_before


def test_every_chapter_with_code_has_an_edition(edition):
    assert chapters_with_code(), "no chapter with code in _toc.yml"
    missing = [c for c in chapters_with_code() if not (edition / f"{c}.ipynb").is_file()]
    assert not missing, f"no notebook edition for {missing}"


@pytest.mark.parametrize("chapter", chapters_with_code())
def test_chapter_opens_runs_and_explores(lab, edition, chapter, record_property):
    from playwright.sync_api import expect

    if not (lab.origin / f"{chapter}.ipynb").is_file():
        pytest.fail(f"no notebook edition for {chapter}")
    stored = json.loads((lab.origin / f"{chapter}.ipynb").read_text())["cells"]
    tab = lab.open(chapter, edition.parent / chapters_with_code()[chapter])
    try:
        assert tab.locator(".jp-FileEditor:visible").count() == 0, (
            f"{chapter} opened in the text editor"
        )
        notebook = tab.locator(f"{VISIBLE_PANEL} .jp-Notebook")

        # before running: the book's markup is gone, figures are stored, solutions are closed
        solutions = sum("".join(cell["source"]).count("<details>") for cell in stored)
        details = notebook.locator(".jp-MarkdownOutput details")
        expect(details).to_have_count(solutions, timeout=20_000)
        images = sum(len(cell.get("attachments", {})) for cell in stored) + sum(
            "image/png" in output.get("data", {})
            for cell in stored
            for output in cell.get("outputs", [])
        )
        shown = notebook.locator(".jp-MarkdownOutput img, .jp-OutputArea-output img")
        expect(shown).to_have_count(images, timeout=20_000)  # markdown renders asynchronously
        broken = shown.evaluate_all(
            "imgs => imgs.filter(i => !(i.complete && i.naturalWidth > 0)).map(i => i.alt)"
        )
        assert not broken, f"stored figures that do not show: {broken}"
        rendered = "\n".join(
            notebook.locator(".jp-MarkdownOutput, .jp-OutputArea-output").all_inner_texts()
            + shown.evaluate_all("imgs => imgs.map(i => i.alt)")
        )  # what a screen reader reads
        for markup in RAW_MARKUP:
            assert markup not in rendered, (
                f"raw {markup!r}: ...{rendered[max(0, rendered.find(markup) - 200) :][:400]}"
            )
        assert not LABEL_LINE.search(rendered), "a (label)= line"
        visible = details.evaluate_all("""ds => ds.filter(d => d.open
            || [...d.children].some(c => c.tagName !== 'SUMMARY' && c.checkVisibility())).map(d => d.outerHTML.slice(0, 300))""")
        assert not visible, f"a solution is visible before a click: {visible[0]}"

        seconds = run_all(tab)
        errors = notebook.locator(
            "[data-mime-type='application/vnd.jupyter.stderr']"
        ).all_inner_texts()
        assert not errors, f"error output after Run All: {errors[0][:2000]}"
        rendered = "\n".join(notebook.locator(".jp-MarkdownOutput").all_inner_texts())
        for markup in RAW_MARKUP:
            assert markup not in rendered, f"raw {markup!r} after running"

        assert notebook.locator("mjx-merror").count() == 0, (
            "a formula MathJax could not typeset: "
            + notebook.locator("mjx-merror").first.get_attribute("data-mjx-error")
        )

        count, measured = operate_explorers(tab)
        expected = sum(
            "<Explorer" in "".join(output.get("data", {}).get("text/plain", ""))
            for cell in stored
            for output in cell.get("outputs", [])
        )
        assert count == expected, f"{count} live explorers, {expected} in the notebook"
        record_property("run_all_s", round(seconds, 1))
        record_property(
            "latencies_ms", {label: [round(ms) for ms in ms_list] for label, ms_list in measured}
        )
        print(
            f"\n{chapter}: Run All {seconds:.1f} s, {count} explorers, image latencies (ms) "
            + ", ".join(f"{label} {ms[0]:.0f}" for label, ms in measured)
        )
    finally:
        lab.close(tab)
    # nothing written: not the pulled edition (the repository is checked when the server stops)
    assert (
        _git("status", "--porcelain", "--untracked-files=no", cwd=lab.home / "notebooks") == ""
    ), f"{chapter} modified the edition"
