"""A Markdown cell of the book in plain Markdown: every MyST directive (admonitions, exercises and
solutions, sphinx-proof, glued figures, the bibliography, the table of contents) replaced by the
Markdown that reads the same, then the inline roles (``roles.py``) and the static page's wording.
"""

from __future__ import annotations

import base64
import re

from .roles import KIND_NAMES, resolve_roles

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
_LABEL_LINE = re.compile(r"^\s*\((?P<label>[^()\s]+)\)=\s*$")


def markdown(source, docname, book, glue, solutions):
    """One Markdown cell's source in plain Markdown, and the images it attaches (glued figures)."""
    attachments = {}
    text = "\n".join(_blocks(source.split("\n"), docname, book, glue, solutions, attachments))
    text = resolve_roles(text, docname, book, glue)
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
            alt = re.sub(
                r"\[([^\]]*)\]\([^)]*\)", r"\1", resolve_roles(caption, docname, book, glue)
            )
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
