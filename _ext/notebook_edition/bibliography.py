"""The bibliography of the notebook edition: citations and the reference list from references.bib.

In-text citations are "Rumelhart et al. 1986" (first author, "and" the
second or "et al.", year).
"""

from __future__ import annotations

from pybtex.database import BibliographyData, parse_file


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
    """The reference list as a Markdown list (``style`` not used yet)."""
    lines = []
    for entry in sorted(data.entries.values(), key=_sort_key):
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


def _sort_key(entry):
    authors = entry.persons.get("author", [])
    return (" ".join(authors[0].last_names) if authors else "", entry.fields.get("year", ""))
