"""The notebook edition: every chapter as an ``.ipynb`` that reads like the book.

At the end of an HTML build this writes ``_build/html/notebooks/<chapter>.ipynb`` from the notebook
myst-nb executed (``_build/jupyter_execute/``): glued numbers become their values and glued figures
images; objectives, theorems, proofs, exercises become ordinary Markdown; cross-references become
links to the published pages; solutions are collapsed in ``<details>`` (or left out with
``solutions=False``, the student edition); cells the book removes or hides are collapsed; a first
cell makes the notebook run where it is opened (Binder, Colab, a local clone); outputs are stored,
an explorer's as the image of its default state.

It also points the page's launch and download buttons at this edition (see the README, "Opening a
chapter as a notebook", for the Binder address and how the edition is published).
"""

from __future__ import annotations

import base64
import copy
import json
import posixpath
import re
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote, urlencode

import nbformat

NOTEBOOKS_DIR = "notebooks"  # in the HTML output, and the folder nbgitpuller pulls into
NOTEBOOKS_BRANCH = "notebooks"  # the branch the Pages workflow publishes the edition to
GLUE_PREFIX = "application/papermill.record/"
# a code cell the student edition shows in place of the one tagged "solution" after it (a stub to
# fill in); the full book leaves it out
STUDENT_STUB = "student-stub"
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
WIDGET_STATE = "application/vnd.jupyter.widget-state+json"

# The Markdown names of the numbered things of the book (sphinx-proof, sphinx-exercise, figures)
KIND_NAMES = {
    "figure": "Fig.",
    "exercise": "Exercise",
    "theorem": "Theorem",
    "algorithm": "Algorithm",
    "proof": "Proof",
    "lemma": "Lemma",
    "definition": "Definition",
    "proposition": "Proposition",
    "corollary": "Corollary",
    "example": "Example",
    "remark": "Remark",
    "axiom": "Axiom",
    "conjecture": "Conjecture",
    "observation": "Observation",
    "property": "Property",
    "criterion": "Criterion",
    "assumption": "Assumption",
    "notation": "Notation",
    "condition": "Condition",
}

# Prose written for the static HTML page that would be wrong in a notebook: (pattern, notebook wording)
NOTEBOOK_PHRASES = [
    (
        r"\(in\s+this\s+static\s+page\s[^)]*\)",
        "(run the cell for live widgets; until then its stored output shows the default state)",
    ),
    (r"\bin\s+this\s+static\s+page\b", "in the book's web page"),
]

_FENCE = re.compile(
    r"^(?P<indent> {0,3})(?P<fence>`{3,}|:{3,})\s*(?:\{(?P<name>[^}\s]+)\})?\s*(?P<arg>.*)$"
)
_OPTION = re.compile(r"^:(?P<key>[\w-]+):\s*(?P<value>.*)$")
_ROLE_OR_CODE = re.compile(r"\{(?P<role>[\w:-]+)\}`(?P<content>[^`]*)`|``[^`]+``|`[^`\n]+`")
_LABEL_LINE = re.compile(r"^\s*\((?P<label>[^()\s]+)\)=\s*$")
_EXPLICIT = re.compile(r"^(?P<text>.*?)\s*<(?P<target>[^<>]+)>$", re.S)


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


# ---------------------------------------------------------------------------- the conversion


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
            markdown, attachments = _markdown(cell.source, docname, book, glue, solutions)
            if markdown.strip():
                new = nbformat.v4.new_markdown_cell(markdown)
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


# ---------------------------------------------------------------------------- Markdown


def _markdown(source, docname, book, glue, solutions):
    attachments = {}
    text = "\n".join(_blocks(source.split("\n"), docname, book, glue, solutions, attachments))
    text = _roles(text, docname, book, glue)
    for pattern, wording in NOTEBOOK_PHRASES:
        text = re.sub(
            pattern, lambda match, wording=wording: _same_case(match[0], wording), text, flags=re.I
        )
    text = re.sub(r"\n{3,}", "\n\n", text)
    return text.strip("\n"), attachments


def _same_case(original, wording):
    return wording[0].upper() + wording[1:] if original[:1].isupper() else wording


def _blocks(lines, docname, book, glue, solutions, attachments):
    """Markdown lines with every MyST directive replaced by plain Markdown (recursively)."""
    out, i = [], 0
    while i < len(lines):
        line = lines[i]
        match = _FENCE.match(line)
        if _LABEL_LINE.match(line):
            i += 1
            continue
        if not match:
            out.append(line)
            i += 1
            continue
        fence, name = match["fence"], match["name"]
        end = i + 1
        while end < len(lines) and not _closes(lines[end], fence):
            end += 1
        body = lines[i + 1 : end]
        i = end + 1
        if name is None:  # an ordinary code block: verbatim
            out.extend([line, *body, match["indent"] + fence])
            continue
        options, body = _options(body)
        inner = "\n".join(_blocks(body, docname, book, glue, solutions, attachments)).strip("\n")
        out.extend(
            _directive(
                name,
                match["arg"].strip(),
                options,
                inner,
                docname,
                book,
                glue,
                solutions,
                attachments,
            ).split("\n")
        )
        out.append("")
    return out


def _closes(line, fence):
    stripped = line.strip()
    return len(stripped) >= len(fence) and set(stripped) == {fence[0]}


def _options(body):
    options, rest = {}, list(body)
    if rest and rest[0].strip() == "---":  # options as a YAML block
        import yaml

        end = rest.index("---", 1) if "---" in rest[1:] else 0
        options = yaml.safe_load("\n".join(rest[1:end])) or {}
        rest = rest[end + 1 :]
    while rest and (match := _OPTION.match(rest[0])):
        options[match["key"]] = match["value"]
        rest = rest[1:]
    return options, rest


def _quote(text):
    return "\n".join(f"> {line}".rstrip() for line in text.split("\n"))


def _number(label, book, kind=None):
    if label in book.numbers:
        return book.numbers[label][2]
    return ""


def _directive(name, arg, options, body, docname, book, glue, solutions, attachments):
    kind = name.split(":")[-1]
    label = options.get("label") or options.get("name", "")
    if name == "admonition" or kind in (
        "note",
        "tip",
        "important",
        "warning",
        "attention",
        "caution",
        "danger",
        "error",
        "hint",
        "seealso",
    ):
        title = arg or kind.capitalize()
        return _quote(f"**{title}**\n\n{body}")
    if kind == "exercise":
        number = _number(label, book)
        title = f"Exercise {number}".strip() + (f" ({arg})" if arg else "")
        return f"**{title}.** {body}" if body else f"**{title}.**"
    if kind == "solution":
        if not solutions:
            return ""
        number = _number(arg, book)
        summary = f"Solution to Exercise {number}".strip()
        return f"<details>\n<summary>{summary}</summary>\n\n{body}\n\n</details>"
    if kind == "proof":
        return _quote(f"*Proof.* {body} $\\square$")
    if name.startswith("prf:"):
        number = _number(label, book)
        title = f"{KIND_NAMES.get(kind, kind.capitalize())} {number}".strip() + (
            f" ({arg})" if arg else ""
        )
        return _quote(f"**{title}.** {body}")
    if name in ("glue:figure", "glue"):
        return _glue_figure(arg, options, body, docname, book, glue, attachments)
    if name == "bibliography":
        return book.bibliography
    if name == "tableofcontents":
        return "\n".join(
            f"- [{book.titles.get(doc, doc)}]({book.notebook_name(doc)})"
            for doc in book.order
            if doc != docname
        )
    if name in ("math",):
        return f"$$\n{body}\n$$"
    if name in ("figure", "image"):
        caption = f"\n\n{body}" if body else ""
        return f"![{options.get('alt', '')}]({arg}){caption}"
    # a directive this converter does not know: its content, never its markup
    return body


def _glue_figure(key, options, caption, docname, book, glue, attachments):
    bundle = glue.get(key)
    if bundle is None:
        raise ValueError(
            f"glue:figure {key!r}: no glued value of that name in the executed notebook"
        )
    for mime, extension in (("image/png", "png"), ("image/jpeg", "jpg"), ("image/svg+xml", "svg")):
        if mime in bundle:
            filename = f"{key}.{extension}"
            data = bundle[mime]
            if mime == "image/svg+xml":
                data = base64.b64encode(
                    ("".join(data) if isinstance(data, list) else data).encode()
                ).decode()
            attachments[filename] = {mime: data}
            # the caption's roles resolved (glued numbers, references as their text); JupyterLab
            # typesets math before parsing Markdown: math in alt text breaks the image
            alt = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", _roles(caption, docname, book, glue))
            alt = re.sub(r"\s+", " ", re.sub(r"\$[^$]*\$", "", alt)).strip()
            alt = re.sub(r"[\[\]\\`*_]", "", alt)
            image = f"![{alt}](attachment:{filename})"
            break
    else:
        raise ValueError(
            f"glue:figure {key!r}: the glued value is not an image (it has {sorted(bundle)})"
        )
    label = options.get("name", "")
    number = _number(label, book)
    prefix = f"**Fig. {number}.** " if number else ""
    return f"{image}\n\n{prefix}{caption}" if caption else image


# ---------------------------------------------------------------------------- roles


def _explicit(content):
    match = _EXPLICIT.match(content)
    return (match["text"], match["target"]) if match else (None, content)


def _resolve_doc(target, docname):
    target = target.removesuffix(".md").removesuffix(".ipynb")
    if target.startswith("/"):
        return target.lstrip("/")
    return posixpath.normpath(posixpath.join(posixpath.dirname(docname), target))


def _roles(text, docname, book, glue):
    def role(match):
        name, content = match["role"], match["content"]
        if name in ("glue:text", "glue", "glue:", "glue:md"):
            from myst_nb.core.variables import format_plain_text

            key, _, spec = content.partition(":") if name == "glue:text" else (content, "", "")
            if key not in glue or "text/plain" not in glue[key]:
                raise ValueError(
                    f"{{{name}}}`{content}`: no glued text value {key!r} in the executed notebook"
                )
            value = glue[key].get("text/markdown") if name == "glue:md" else None
            return value or format_plain_text(glue[key]["text/plain"], spec)
        if name == "doc":
            text_, target = _explicit(content)
            target = _resolve_doc(target, docname)
            if book.titles and target not in book.titles:
                return text_ or target  # a page this edition leaves out: its name, no link
            return f"[{text_ or book.titles.get(target, target)}]({book.page_url(target)})"
        if name in ("numref", "prf:ref", "ref", "eq"):
            text_, label = _explicit(content)
            if label in book.numbers:
                target, kind, number = book.numbers[label]
                shown = KIND_NAMES.get(kind, kind.capitalize()) + f" {number}"
                if text_:
                    shown = text_.replace("%s", number).replace("{number}", number)
                return f"[{shown}]({book.page_url(target, label)})"
            if label in book.sections:
                target, title = book.sections[label]
                return f"[{text_ or title}]({book.page_url(target, label)})"
            raise ValueError(f"{{{name}}}`{content}`: unknown label {label!r}")
        if name.startswith("cite"):
            keys = [key.strip() for key in content.split(",")]
            shown = "; ".join(book.citations.get(key, key) for key in keys)
            bibliography = next((doc for doc in book.order if doc.endswith("bibliography")), None)
            shown = f"[{shown}]({book.page_url(bibliography)})" if bibliography else shown
            return f"({shown})" if name == "cite:p" else shown
        if name == "math":
            return f"${content}$"
        return content  # an unknown role: its text

    # scanning left to right, a role or an inline code span; code stays as written
    def replace(match):
        return role(match) if match["role"] else match[0]

    return _ROLE_OR_CODE.sub(replace, text)


# ---------------------------------------------------------------------------- Sphinx


def book_from_sphinx(app) -> Book:
    env = app.env
    options = app.config.html_theme_options or {}
    repository = options.get("repository_url", "").rstrip("/")
    base_url = app.config.html_baseurl or _pages_url(repository)
    numbers = {}
    for docname, kinds in env.toc_fignumbers.items():
        for kind, labels in kinds.items():
            for label, number in labels.items():
                numbers[label] = (docname, kind, ".".join(map(str, number)))
    sections = {
        label: (docname, title)
        for label, (docname, _, title) in env.domaindata["std"]["labels"].items()
        if title
    }
    order = [app.config.root_doc]
    order += [doc for doc in _toctree_order(env, app.config.root_doc) if doc not in order]
    return Book(
        base_url=base_url.rstrip("/") + "/",
        repository=repository,
        titles={doc: title.astext() for doc, title in env.titles.items()},
        order=order,
        sections=sections,
        numbers=numbers,
        citations=_citations(app),
        bibliography=_bibliography_markdown(app),
        requirements=_runtime_requirements(Path(app.srcdir) / "requirements.txt"),
        package=app.config.notebook_edition_package,
    )


def _toctree_order(env, docname, seen=None):
    seen = seen if seen is not None else set()
    for child in env.toctree_includes.get(docname, []):
        if child not in seen:
            seen.add(child)
            yield child
            yield from _toctree_order(env, child, seen)


def _pages_url(repository):
    match = re.match(r"https://github\.com/([^/]+)/([^/]+)", repository)
    return f"https://{match[1]}.github.io/{match[2]}/" if match else ""


def _runtime_requirements(path):
    """The requirements a chapter needs when run (not those for building the book or the kernel)."""
    build_only = ("jupyter-book", "jupytext", "sphinx", "ipykernel", "jupyterlab", "nbgitpuller")
    if not path.is_file():
        return []
    lines = [line.split("#")[0].strip() for line in path.read_text().splitlines()]
    return [
        line
        for line in lines
        if line and not line.startswith("-") and not line.startswith(build_only)
    ]


def _bib_data(app):
    from pybtex.database import parse_file

    entries = {}
    for name in getattr(app.config, "bibtex_bibfiles", []):
        entries.update(parse_file(str(Path(app.srcdir) / name)).entries)
    return entries


def _citations(app):
    citations = {}
    for key, entry in _bib_data(app).items():
        authors = entry.persons.get("author", [])
        last = " ".join(authors[0].last_names) if authors else key
        others = (
            " et al."
            if len(authors) > 2
            else (f" and {' '.join(authors[1].last_names)}" if len(authors) == 2 else "")
        )
        citations[key] = f"{last}{others} {entry.fields.get('year', '')}".strip()
    return citations


def _bibliography_markdown(app):
    lines = []
    for _key, entry in sorted(_bib_data(app).items(), key=lambda item: _citations_key(item[1])):
        authors = ", ".join(
            " ".join(person.first_names + person.middle_names + person.last_names)
            for person in entry.persons.get("author", [])
        )
        fields = entry.fields
        venue = (
            fields.get("journal")
            or fields.get("booktitle")
            or fields.get("publisher")
            or fields.get("school", "")
        )
        title = fields.get("title", "").replace("{", "").replace("}", "")
        link = (
            f" [doi:{fields['doi']}](https://doi.org/{fields['doi']})"
            if "doi" in fields
            else (f" <{fields['url']}>" if "url" in fields else "")
        )
        lines.append(
            f"- {authors} ({fields.get('year', 'n.d.')}). *{title}*."
            + (f" {venue}." if venue else "")
            + link
        )
    return "\n".join(lines)


def _citations_key(entry):
    authors = entry.persons.get("author", [])
    return (" ".join(authors[0].last_names) if authors else "", entry.fields.get("year", ""))


def binder_url(
    book_options: dict,
    pagename: str,
    notebooks_branch: str = NOTEBOOKS_BRANCH,
    environment_branch: str = "",
) -> str:
    """mybinder.org with the environment of the main branch (or ``environment_branch``), nbgitpuller
    pulling the edition in from ``notebooks_branch``."""
    repository = book_options["repository_url"].rstrip("/")
    org, repo = repository.split("github.com/")[-1].split("/")[:2]
    launch = book_options.get("launch_buttons", {})
    binderhub = launch.get("binderhub_url", "https://mybinder.org").rstrip("/")
    branch = environment_branch or book_options.get("repository_branch") or "main"
    pull = "git-pull?" + urlencode(
        {
            "repo": repository,
            "branch": notebooks_branch,
            "targetpath": NOTEBOOKS_DIR,
            "urlpath": f"lab/tree/{NOTEBOOKS_DIR}/{posixpath.basename(pagename)}.ipynb",
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


def _point_buttons(app, pagename, templatename, context, doctree):
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


def _write_editions(app, exception):
    if exception is not None or app.builder.format != "html":
        return
    executed_dir = Path(app.outdir).parent / "jupyter_execute"
    out = Path(app.outdir) / NOTEBOOKS_DIR
    out.mkdir(parents=True, exist_ok=True)
    book = book_from_sphinx(app)
    for docname in book.order:
        source = executed_dir / f"{docname}.ipynb"
        if not source.is_file():
            continue
        glue_file = source.with_suffix(".glue.json")
        glue = json.loads(glue_file.read_text()) if glue_file.is_file() else {}
        notebook = convert(
            nbformat.read(source, as_version=4),
            docname,
            book,
            glue=glue,
            solutions=app.config.notebook_edition_solutions,
        )
        nbformat.write(notebook, out / book.notebook_name(docname))


def _edition_cells(app, doctree):
    """The pages' cells of this edition: the full book leaves the student stubs out; the student
    edition, the cells tagged ``solution`` (myst-nb gives a cell's tags as classes ``tag_<tag>``)."""
    from docutils import nodes

    drop = f"tag_{STUDENT_STUB}" if app.config.notebook_edition_solutions else "tag_solution"
    for node in list(doctree.findall(nodes.container)):
        if drop in node.get("classes", []) and node.parent is not None:
            node.parent.remove(node)


def setup(app):
    # the student edition (tools/build_student_edition.py) sets these: no solutions, its own branches
    app.add_config_value("notebook_edition_solutions", True, "")
    app.add_config_value("notebook_edition_branch", NOTEBOOKS_BRANCH, "html")
    app.add_config_value(
        "notebook_edition_binder_branch", "", "html"
    )  # "" = the repository's branch
    # what the Colab set-up cell installs nnmath from ("": the repository; a course pins a tag)
    app.add_config_value("notebook_edition_package", "", "html")
    app.connect("html-page-context", _point_buttons, priority=600)  # after the theme's (501)
    app.connect("doctree-read", _edition_cells)
    app.connect("build-finished", _write_editions)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
