"""Launch links and buttons: Binder, JupyterHub and Colab open a chapter's notebook edition, and
the page's ``.ipynb`` download is the edition.

Binder and a JupyterHub pull the edition in with nbgitpuller from the branch the Pages workflow
publishes it to; Colab opens it from that branch directly.
"""

from __future__ import annotations

import posixpath
from pathlib import Path
from urllib.parse import quote, urlencode

NOTEBOOKS_DIR = "notebooks"  # in the HTML output, and the folder nbgitpuller pulls into
NOTEBOOKS_BRANCH = "notebooks"  # the branch the Pages workflow publishes the edition to


def binder_url(
    book_options: dict,
    pagename: str,
    notebooks_branch: str = NOTEBOOKS_BRANCH,
    environment_branch: str = "",
) -> str:
    """mybinder.org with the environment of the main branch (or ``environment_branch``), nbgitpuller
    pulling the edition in from ``notebooks_branch``. When the two are one branch (a course
    release: its ``main`` holds both), Binder's home folder already is the edition, and the link
    opens the notebook there: an nbgitpuller pull would put a second copy of every notebook and
    assignment in ``notebooks/``."""
    repository = book_options["repository_url"].rstrip("/")
    org, repo = repository.split("github.com/")[-1].split("/")[:2]
    launch = book_options.get("launch_buttons", {})
    binderhub = launch.get("binderhub_url", "https://mybinder.org").rstrip("/")
    branch = environment_branch or book_options.get("repository_branch") or "main"
    notebook = f"{posixpath.basename(pagename)}.ipynb"
    if branch == notebooks_branch:
        return f"{binderhub}/v2/gh/{org}/{repo}/{branch}?urlpath={quote(f'lab/tree/{notebook}', safe='')}"
    pull = "git-pull?" + urlencode(
        {
            "repo": repository,
            "branch": notebooks_branch,
            "targetpath": NOTEBOOKS_DIR,
            "urlpath": f"lab/tree/{NOTEBOOKS_DIR}/{notebook}",
        }
    )
    return f"{binderhub}/v2/gh/{org}/{repo}/{branch}?urlpath={quote(pull, safe='')}"


def jupyterhub_url(
    book_options: dict, pagename: str, notebooks_branch: str = NOTEBOOKS_BRANCH
) -> str:
    """The university's JupyterHub (``launch_buttons.jupyterhub_url``), nbgitpuller pulling the
    edition from ``notebooks_branch`` of the repository into a folder named after it."""
    repository = book_options["repository_url"].rstrip("/")
    hub = book_options.get("launch_buttons", {}).get("jupyterhub_url", "").rstrip("/")
    folder = repository.rsplit("/", 1)[-1]
    pull = urlencode(
        {
            "repo": repository,
            "branch": notebooks_branch,
            "targetpath": folder,
            "urlpath": f"lab/tree/{folder}/{posixpath.basename(pagename)}.ipynb",
        }
    )
    return f"{hub}/hub/user-redirect/git-pull?{pull}"


def colab_url(book_options: dict, pagename: str, notebooks_branch: str = NOTEBOOKS_BRANCH) -> str:
    repository = book_options["repository_url"].rstrip("/")
    org, repo = repository.split("github.com/")[-1].split("/")[:2]
    return (
        f"https://colab.research.google.com/github/{org}/{repo}/blob/{notebooks_branch}/"
        f"{posixpath.basename(pagename)}.ipynb"
    )


def _has_edition(app, pagename):
    return (Path(app.outdir).parent / "jupyter_execute" / f"{pagename}.ipynb").is_file()


def point_buttons(app, pagename, templatename, context, doctree):
    """Launch buttons open the notebook edition; the .ipynb download is the edition."""
    if not _has_edition(app, pagename) or "header_buttons" not in context:
        return
    options = app.config.html_theme_options
    branch, environment = (
        app.config.notebook_edition_branch,
        app.config.notebook_edition_binder_branch,
    )
    edition = context["pathto"](f"{NOTEBOOKS_DIR}/{posixpath.basename(pagename)}.ipynb", 1)
    for group in context["header_buttons"]:
        buttons = group.get("buttons", [])
        if group.get("label") == "launch-buttons":
            for button in buttons:
                if button.get("text") == "Binder":
                    button["url"] = binder_url(options, pagename, branch, environment)
                if button.get("text") == "Colab":
                    button["url"] = colab_url(options, pagename, branch)
                if button.get("text") == "JupyterHub":
                    button["url"] = jupyterhub_url(options, pagename, branch)
            if options.get("repository_url", "").startswith("https://github.com/") and not any(
                button.get("text") == "Colab" for button in buttons
            ):
                buttons.append(
                    {
                        "type": "link",
                        "text": "Colab",
                        "tooltip": "Launch on Colab",
                        "icon": "_static/images/logo_colab.png",
                        "url": colab_url(options, pagename, branch),
                    }
                )
        if group.get("label") == "download-buttons":
            for button in buttons:
                if button.get("label") == "download-notebook-button":
                    button["url"] = edition
                    button["tooltip"] = "Download the notebook edition"
