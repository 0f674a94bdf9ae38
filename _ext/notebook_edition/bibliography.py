"""The bibliography of the notebook edition, formatted by pybtex as the HTML book's is.

sphinxcontrib-bibtex formats the HTML book's reference list with a pybtex style
(``bibtex_default_style``, "alpha" unless ``_config.yml`` names another); the same style renders it
here through pybtex's Markdown backend, so both read alike: label, authors, title, venue, year, and
the DOI or URL as a link. In-text citations are "Rumelhart et al. 1986" (first author, "and" the
second or "et al.", year).
"""

from __future__ import annotations

import re
from types import MappingProxyType
from xml.sax.saxutils import escape

from pybtex.backends.markdown import Backend
from pybtex.database import BibliographyData, parse_file
from pybtex.plugin import find_plugin


class MarkdownBackend(Backend):
    """pybtex's Markdown backend with an entry on one line (a list item) and only the characters
    escaped that Markdown in a notebook would read as markup (pybtex's escapes every ``.``, ``-``,
    ``(``, which some renderers show and a reader of the source has to read past); ``$`` too, so
    no renderer takes text for math."""

    symbols = MappingProxyType({**Backend.symbols, "newblock": " ", "ndash": "\N{EN DASH}"})

    def format_str(self, text):
        return re.sub(r"([\\`*_\[\]$])", r"\\\1", escape(text))


def read_bibliography(paths) -> BibliographyData:
    """Every entry of the ``.bib`` files, in one pybtex database."""
    data = BibliographyData()
    for path in paths:
        for key, entry in parse_file(str(path)).entries.items():
            data.add_entry(key, entry)
    return data


def citations(data: BibliographyData) -> dict:
    """key -> how the text cites it: "Rumelhart et al. 1986", "Glorot and Bengio 2010"."""
    cited = {}
    for key, entry in data.entries.items():
        authors = entry.persons.get("author", [])
        last = " ".join(authors[0].last_names) if authors else key
        others = (
            " et al."
            if len(authors) > 2
            else (f" and {' '.join(authors[1].last_names)}" if len(authors) == 2 else "")
        )
        cited[key] = f"{last}{others} {entry.fields.get('year', '')}".strip()
    return cited


def bibliography_markdown(data: BibliographyData, style: str = "alpha") -> str:
    """The reference list as a Markdown list, formatted and sorted by the pybtex ``style``; each
    entry starts with its label as on the HTML page, "[RHW86]" (without a link definition, a
    bracketed word is text; unescaped, no renderer can take ``\\[`` for display math)."""
    formatting = find_plugin("pybtex.style.formatting", style)()
    backend = MarkdownBackend()
    return "\n".join(
        f"- [{entry.label}] {entry.text.render(backend)}"
        for entry in formatting.format_bibliography(data)
    )
