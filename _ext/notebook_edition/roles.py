"""The book's inline markup in plain Markdown: glued values, cross-references, citations, math.

``{glue:text}`` becomes the glued value; ``{doc}``, ``{numref}``, ``{ref}``, ``{prf:ref}``,
``{eq}`` links to the published page; ``{cite:t}``/``{cite:p}`` the author and year, linking to the
bibliography page. Inline code stays as written.
"""

from __future__ import annotations

import posixpath
import re

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


_ROLE_OR_CODE = re.compile(r"\{(?P<role>[\w:-]+)\}`(?P<content>[^`]*)`|``[^`]+``|`[^`\n]+`")
_EXPLICIT = re.compile(r"^(?P<text>.*?)\s*<(?P<target>[^<>]+)>$", re.S)


def _explicit(content):
    match = _EXPLICIT.match(content)
    return (match["text"], match["target"]) if match else (None, content)


def _resolve_doc(target, docname):
    target = target.removesuffix(".md").removesuffix(".ipynb")
    if target.startswith("/"):
        return target.lstrip("/")
    return posixpath.normpath(posixpath.join(posixpath.dirname(docname), target))


def resolve_roles(text, docname, book, glue):
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
