"""Tidy each page's script list as the page is written (after every other extension added to it).

* Write each script only once. sphinx-thebe and sphinx-togglebutton register their inline
  configuration scripts each time their setup events fire, and under Jupyter Book those fire
  twice, so every page declared ``const THEBE_JS_URL`` twice and the browser logged
  "Identifier 'THEBE_JS_URL' has already been declared".
* Drop the ipywidgets state myst-nb embeds from the executed notebook. The HTML book shows the
  explorers' static form and loads no widget JavaScript (``nb_ipywidgets_js: {}``), so the state
  is dead weight: 150 kB on a page with one explorer (its live image, base64-encoded).
"""

WIDGET_STATE = "application/vnd.jupyter.widget-state+json"


def _key(script):
    # an inline script is registered once with filename None and once with "": same script
    filename = getattr(script, "filename", None) or ""
    attributes = getattr(script, "attributes", {})
    return filename, tuple(sorted((k, str(v)) for k, v in attributes.items() if k != "priority"))


def _tidy_scripts(app, pagename, templatename, context, doctree):
    scripts = context.get("script_files")
    if not scripts:
        return
    seen, unique = set(), []
    for script in scripts:
        key = _key(script)
        if getattr(script, "attributes", {}).get("type") == WIDGET_STATE:
            continue
        if key not in seen:
            seen.add(key)
            unique.append(script)
    context["script_files"] = unique


def setup(app):
    app.connect("html-page-context", _tidy_scripts, priority=900)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
