"""``{glue:figure}`` takes its alt text from the glued figure (``nnmath.book.glue_figure``).

myst-nb 1.x passes only ``width`` and ``height`` from an output's metadata to the image, so a
glued figure's ``<img>`` gets its file name as alt text. An explicit ``:alt:`` option still wins.
"""

from __future__ import annotations

from myst_nb.ext.glue.directives import PasteFigureDirective
from myst_nb.ext.glue.utils import RetrievalError, retrieve_glue_data


class GlueFigureWithAlt(PasteFigureDirective):
    def run(self):
        if "alt" not in self.options:
            try:
                data = retrieve_glue_data(self.document, self.arguments[0])
            except RetrievalError:
                return super().run()  # myst-nb reports the missing key
            for mime, meta in (data.metadata or {}).items():
                if mime.startswith("image/") and isinstance(meta, dict) and meta.get("alt"):
                    self.options["alt"] = meta["alt"]
                    break
        return super().run()


def setup(app):
    app.add_directive_to_domain("glue", "figure", GlueFigureWithAlt, override=True)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
