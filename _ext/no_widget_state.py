"""Drop the ipywidgets state myst-nb embeds in a page (Sphinx extension).

myst-nb 1.4.0 (``NbElementRenderer.render_nb_finalise``) writes the widget state saved in an
executed notebook's metadata into the page as a ``<script type="application/vnd.jupyter.widget-
state+json">``, whatever ``nb_ipywidgets_js`` says. This book's HTML pages show the explorers'
static form and load no widget JavaScript (``nb_ipywidgets_js: {}`` in _config.yml), so the state
is dead weight: 150 kB on a page with one explorer (its live image, base64-encoded).

It reads only the ``attributes`` of Sphinx's private ``sphinx.builders.html._assets._JavaScript``
(through ``getattr``), checked with Sphinx 7.4.7.
"""

from __future__ import annotations

WIDGET_STATE = "application/vnd.jupyter.widget-state+json"


def without_widget_state(scripts):
    """``scripts`` without the embedded widget state."""
    return [
        script
        for script in scripts
        if getattr(script, "attributes", {}).get("type") != WIDGET_STATE
    ]


def _drop_widget_state(app, pagename, templatename, context, doctree):
    if context.get("script_files"):
        context["script_files"] = without_widget_state(context["script_files"])


def setup(app):
    # after myst-nb's add_per_page_html_resources (default priority 500) added the state
    app.connect("html-page-context", _drop_widget_state, priority=900)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
