"""Write each of a page's scripts once (Sphinx extension).

Works around Sphinx 7.4 (checked with 7.4.7, the line Jupyter Book 1.0.4 pins with ``sphinx~=7.0``):
an inline script an extension adds with ``app.add_js_file(None, body=...)`` after the HTML builder
is initialised is stored twice. ``Sphinx.add_js_file`` puts it in the registry and in the builder
(as ``_JavaScript(None, ...)``); ``StandaloneHTMLBuilder.prepare_writing`` then adds the registry's
scripts to the builder again as ``_JavaScript(filename or '', ...)``, and ``None != ''``. Affected
here: sphinx-thebe 0.3.1 (``init_thebe_core``, at ``env-before-read-docs``) and
sphinx-togglebutton 0.4.5 (``insert_custom_selection_config``, at ``builder-inited``): every page
declared ``const THEBE_JS_URL`` twice and the browser logged "Identifier 'THEBE_JS_URL' has
already been declared". tests/test_ext.py shows the duplicate in a build without this extension:
when that test fails, Sphinx has fixed it and this extension can go.

It reads only the attributes ``filename`` and ``attributes`` of Sphinx's private
``sphinx.builders.html._assets._JavaScript`` (through ``getattr``, so a change degrades to no-op).
"""

from __future__ import annotations


def script_key(script):
    """What makes two scripts the same script: the file (None and '' both mean inline) and the
    attributes (the body of an inline one among them), ignoring the load order ``priority``."""
    filename = getattr(script, "filename", None) or ""
    attributes = getattr(script, "attributes", {})
    return filename, tuple(sorted((k, str(v)) for k, v in attributes.items() if k != "priority"))


def unique_scripts(scripts):
    """``scripts`` with each script kept at its first place only."""
    seen, unique = set(), []
    for script in scripts:
        key = script_key(script)
        if key not in seen:
            seen.add(key)
            unique.append(script)
    return unique


def _write_scripts_once(app, pagename, templatename, context, doctree):
    if context.get("script_files"):
        context["script_files"] = unique_scripts(context["script_files"])


def setup(app):
    # after the other extensions' html-page-context handlers (default priority 500) added theirs
    app.connect("html-page-context", _write_scripts_once, priority=900)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
