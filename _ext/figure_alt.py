"""``{glue:figure}`` takes its alt text from the glued figure (``nnmath.book.glue_figure``).

myst-nb 1.x passes only ``width`` and ``height`` from an output's metadata to the image, so a
glued figure's ``<img>`` gets its file name as alt text. An explicit ``:alt:`` option still wins.

It also carries the size of the figure's smallest text (CSS px at the image's natural size,
``text_px``) to the ``<figure>`` as a class, ``nnmath-text-<tenths of a px>``: below 600 px
``_static/nnmath.js`` keeps the image no narrower than shows that text at
``nnmath.plots.PHONE_TEXT_PX``, scrolling sideways in its figure.
"""

from __future__ import annotations

from myst_nb.ext.glue.directives import PasteFigureDirective
from myst_nb.ext.glue.utils import RetrievalError, retrieve_glue_data


class GlueFigureWithAlt(PasteFigureDirective):
    def run(self):
        try:
            data = retrieve_glue_data(self.document, self.arguments[0])
        except RetrievalError:
            return super().run()  # myst-nb reports the missing key
        for mime, meta in (data.metadata or {}).items():
            if mime.startswith("image/") and isinstance(meta, dict):
                if meta.get("alt") and "alt" not in self.options:
                    self.options["alt"] = meta["alt"]
                if meta.get("text_px"):
                    classes = self.options.setdefault("figclass", [])
                    classes.append(f"nnmath-text-{round(10 * meta['text_px'])}")
                break
        return super().run()


def setup(app):
    app.add_directive_to_domain("glue", "figure", GlueFigureWithAlt, override=True)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
