"""Converting one chapter into its notebook edition: the executed notebook in, a plain ``.ipynb``
out. Pure: no Sphinx; what the converter needs to know about the whole book comes in a ``Book``.

Markdown cells go through ``markdown.markdown`` (book markup to plain Markdown); code cells keep
their source, are collapsed where the book removes or hides them, and keep their outputs (an
explorer's as the image of its default state); a first cell makes the notebook run where it is
opened (Binder, Colab, a local clone).
"""

from __future__ import annotations

import copy
import json
import posixpath
from dataclasses import dataclass, field

import nbformat

from .markdown import markdown

GLUE_PREFIX = "application/papermill.record/"
# a code cell the student edition shows in place of the one tagged "solution" after it (a stub to
# fill in); the full book leaves it out
STUDENT_STUB = "student-stub"
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
WIDGET_STATE = "application/vnd.jupyter.widget-state+json"


@dataclass
class Book:
    """What the converter needs to know about the whole book (Sphinx's environment, in a build)."""

    base_url: str  # the published HTML book, ending in "/"
    repository: str = ""  # https://github.com/ORG/REPO
    titles: dict = field(default_factory=dict)  # docname -> title
    order: list = field(default_factory=list)  # docnames in table-of-contents order
    sections: dict = field(default_factory=dict)  # label -> (docname, title)
    numbers: dict = field(default_factory=dict)  # label -> (docname, kind, "5")
    citations: dict = field(default_factory=dict)  # key -> "Rumelhart et al. 1986"
    bibliography: str = ""  # the reference list, as Markdown
    requirements: list = field(default_factory=list)  # what Colab installs besides nnmath
    package: str = ""  # how Colab installs nnmath ("": from repository)

    def page_url(self, docname: str, anchor: str = "") -> str:
        return f"{self.base_url}{docname}.html" + (f"#{anchor}" if anchor else "")

    def notebook_name(self, docname: str) -> str:
        return posixpath.basename(docname) + ".ipynb"


def convert(
    executed: nbformat.NotebookNode,
    docname: str,
    book: Book,
    *,
    glue: dict | None = None,
    solutions: bool = True,
):
    """The notebook edition of one chapter from the notebook myst-nb executed for it.

    ``glue``: the glued values myst-nb took out of the notebook (its ``<chapter>.glue.json``), added
    to those still in it. ``solutions=False`` leaves the solutions out (the student edition),
    and with them every code cell tagged ``solution`` (one that computes an exercise's answer).
    """
    glue = {
        **glue_values(executed),
        **{key: glue_bundle(value) for key, value in (glue or {}).items()},
    }
    widget_state = executed.metadata.get("widgets", {}).get(WIDGET_STATE, {}).get("state", {})
    cells = [_intro_cell(docname, book), _setup_cell(book)]
    for cell in executed.cells:
        if cell.cell_type == "markdown":
            text, attachments = markdown(cell.source, docname, book, glue, solutions)
            if text.strip():
                new = nbformat.v4.new_markdown_cell(text)
                if attachments:
                    new.attachments = attachments
                cells.append(new)
        elif cell.cell_type == "code":
            tags = cell.metadata.get("tags", [])
            if not solutions and "solution" in tags:
                continue  # a cell that computes an exercise's answer (tagged by the chapter)
            if STUDENT_STUB in tags:
                if solutions:
                    continue  # the worked answer follows it
                cells.append(_stub_cell(cell))
                continue
            cells.append(_code_cell(cell, widget_state))
        else:
            cells.append(copy.deepcopy(cell))
    notebook = nbformat.v4.new_notebook(cells=cells)
    notebook.metadata = {
        "kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"},
        "language_info": {"name": "python"},
        "colab": {"name": book.notebook_name(docname), "provenance": []},
    }
    for index, cell in enumerate(notebook.cells):
        cell.id = f"{posixpath.basename(docname)}-{index}"
    nbformat.validate(notebook)
    return notebook


def glue_values(executed) -> dict:
    """Every glued value of an executed notebook: name -> its MIME bundle (prefix removed)."""
    values = {}
    for cell in executed.cells:
        for output in cell.get("outputs", []):
            scrapbook = output.get("metadata", {}).get("scrapbook")
            if scrapbook:
                values[scrapbook["name"]] = glue_bundle(output)
    return values


def glue_bundle(output) -> dict:
    """A glue record (as myst-nb stores it) as a MIME bundle without the papermill prefix."""
    prefix = output.get("metadata", {}).get("scrapbook", {}).get("mime_prefix", "")
    return {mime.removeprefix(prefix): data for mime, data in output.get("data", {}).items()}


def _intro_cell(docname, book):
    title = book.titles.get(docname, posixpath.basename(docname))
    return nbformat.v4.new_markdown_cell(
        f"*How neural networks learn* · notebook edition of [{title}]({book.page_url(docname)}). "
        "Outputs are stored, so figures show before you run anything; **Run All** recomputes them and "
        "makes the explorers live."
    )


def _setup_cell(book):
    repository = book.repository.rstrip("/")
    source = f'''# Makes this notebook run where it is opened. On Binder or in a clone with the requirements
# installed there is nothing to do; on Colab this installs nnmath and the book's requirements.
import importlib, importlib.util, subprocess, sys

REPOSITORY = "{repository}"
PACKAGE = {json.dumps(book.package or f"nnmath @ git+{repository}")}
REQUIREMENTS = {json.dumps(book.requirements)}
if "google.colab" in sys.modules:
    if importlib.util.find_spec("nnmath") is None:
        subprocess.run([sys.executable, "-m", "pip", "install", "--quiet",
                        PACKAGE, *REQUIREMENTS], check=True)
        importlib.invalidate_caches()
    from google.colab import output
    output.enable_custom_widget_manager()  # ipywidgets 8 explorers
if importlib.util.find_spec("nnmath") is None:
    raise ModuleNotFoundError(
        "This chapter needs the nnmath package and the book's requirements. Open it on Binder or "
        f"Colab, or run: git clone {{REPOSITORY}} && cd {{REPOSITORY.rsplit('/', 1)[-1]}} && "
        "pip install -r requirements.txt")'''
    cell = nbformat.v4.new_code_cell(source)
    cell.metadata = {"tags": ["notebook-setup"]}
    return cell


def _stub_cell(cell):
    """A student's stub (signature, docstring, the check's call): shown, editable, no output (it
    raises NotImplementedError until the student writes the body)."""
    new = nbformat.v4.new_code_cell(cell.source)
    new.metadata["tags"] = [STUDENT_STUB]
    return new


def _code_cell(cell, widget_state):
    tags = set(cell.metadata.get("tags", []))
    new = nbformat.v4.new_code_cell(cell.source)
    new.execution_count = None
    jupyter = {}
    if tags & {"remove-cell", "remove-input", "hide-input", "hide-cell"}:
        jupyter["source_hidden"] = True
    if tags & {"remove-cell", "remove-output", "hide-output", "hide-cell"}:
        jupyter["outputs_hidden"] = True
    if jupyter:
        new.metadata["jupyter"] = jupyter
    if tags:
        new.metadata["tags"] = sorted(tags)
    if "remove-cell" in tags or "remove-output" in tags:
        return new  # the book shows none of its output: store none
    for output in cell.get("outputs", []):
        if output.get("metadata", {}).get("scrapbook", {}).get("mime_prefix"):
            continue  # a glue(..., display=False) record: shown where the prose pastes it
        if output.output_type in ("display_data", "execute_result") and WIDGET_VIEW in output.data:
            output = _widget_as_image(output, widget_state)
        else:
            output = copy.deepcopy(output)
        if output.output_type == "execute_result":
            output.execution_count = None
        new.outputs.append(output)
    return new


def _widget_as_image(output, widget_state):
    """A stored explorer output: its default frame as an image (the widget needs a kernel)."""
    data = {"text/plain": output.data.get("text/plain", "")}
    image = _widget_image(output.data[WIDGET_VIEW]["model_id"], widget_state)
    if image:
        data["image/png"] = image
    return nbformat.v4.new_output("display_data", data=data)


def _widget_image(model_id, state, depth=0):
    """The first Image in a widget tree, base64, from the widget state nbclient saved."""
    model = state.get(model_id)
    if model is None or depth > 10:
        return None
    if model.get("model_name") == "ImageModel":
        for buffer in model.get("buffers", []):
            if buffer.get("path") == ["value"]:
                return buffer["data"]
    for child in model.get("state", {}).get("children", []):
        found = _widget_image(child.removeprefix("IPY_MODEL_"), state, depth + 1)
        if found:
            return found
    return None
