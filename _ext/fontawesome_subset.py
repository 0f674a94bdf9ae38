"""Only the Font Awesome icons the pages use (Sphinx extension).

Works around pydata-sphinx-theme 0.17.1 (with sphinx-book-theme 1.1): every page loads the theme's
``_static/scripts/fontawesome.js`` (Font Awesome 6's SVG+JS bundle with every free icon, 1.49 MB,
542 kB compressed) to turn a dozen ``<i class="fa-...">`` into SVG, and the ``<i>`` elements make
the browser fetch the web fonts of the theme's CSS too (fa-solid 156 kB, fa-brands 118 kB). After
the build, in every written page:

* each ``<i class="fa-solid fa-NAME ...">`` (or ``<span>``) becomes the ``<svg>`` fontawesome.js would have made
  (same classes, ``aria-hidden``, ``focusable="false"``, ``role="img"``), its path taken from the
  theme's own TrueType font of that style (fontTools, which matplotlib already needs);
* the ``<script>`` loading fontawesome.js is dropped (``FONTAWESOME_SCRIPT``);
* the few solid glyphs the theme's CSS still draws with the web font (``--pst-icon-*``, the
  breadcrumb divider, sphinx-book-theme's "on this page" chevron, and ``fa-xmark``, which the
  theme's script makes for its announcement banner) are written to a small WOFF subset that
  ``_static/fontawesome-subset.css`` declares after the theme's ``@font-face``, so it wins.

``_static/nnmath.css`` holds the few rules of fontawesome.js's own stylesheet the SVGs need.
tests/test_ext.py checks that the theme still writes the script and the icons this expects: when it
fails, the theme has changed and this extension must be looked at again.
"""

from __future__ import annotations

import html
import re
from functools import cache
from pathlib import Path

FONTAWESOME_SCRIPT = re.compile(
    r'<script defer src="[^"]*_static/scripts/fontawesome\.js(?:\?[^"]*)?"></script>\s*'
)
ICON = re.compile(r"<(i|span) ([^>]*\bclass=\"[^\"]*\bfa-[^\"]*\"[^>]*)>\s*</\1>")
ATTRIBUTE = re.compile(r'([\w:-]+)="([^"]*)"')
STYLES = {
    "fas": "solid",
    "fa-solid": "solid",
    "fab": "brands",
    "fa-brands": "brands",
    "far": "regular",
    "fa-regular": "regular",
}
FONT_FILE = {
    "solid": "fa-solid-900.ttf",
    "brands": "fa-brands-400.ttf",
    "regular": "fa-regular-400.ttf",
}
PREFIX = {"solid": "fas", "brands": "fab", "regular": "far"}
MODIFIERS = re.compile(
    r"fa-(?:2?xs|sm|lg|2?xl|\d+x|fw|li|ul|border|pull-(?:left|right)|spin|pulse|beat|fade"
    r"|bounce|flip|shake|rotate-\d+|rotate-by|flip-(?:horizontal|vertical|both)|inverse|stack-\dx)$"
)
SUBSET_CSS = """/* written by _ext/fontawesome_subset.py: the solid glyphs the theme's CSS draws */
@font-face {{
  font-family: "Font Awesome 6 Free";
  font-style: normal;
  font-weight: 900;
  font-display: block;
  src: url("vendor/fontawesome/webfonts/{name}") format("woff");
}}
"""
SUBSET_FONT = "fa-solid-900-subset.woff"
# glyphs of the solid style that the theme draws through the web font, besides its CSS variables
EXTRA_SOLID = ("xmark",)  # pydata-sphinx-theme.js: the announcement and version banners' close


def theme_webfonts() -> Path:
    import pydata_sphinx_theme

    return (
        Path(pydata_sphinx_theme.__file__).parent
        / "theme/pydata_sphinx_theme/static/vendor/fontawesome/webfonts"
    )


@cache
def _font(style: str):
    from fontTools.ttLib import TTFont

    return TTFont(theme_webfonts() / FONT_FILE[style])


def _glyph_name(font, name: str, aliases: dict[str, int]) -> str | None:
    if name in font.getGlyphOrder():
        return name
    code = aliases.get(name)
    return font.getBestCmap().get(code) if code is not None else None


def icon_path(style: str, name: str, aliases: dict[str, int]) -> tuple[int, str] | None:
    """(width, SVG path) of icon ``name`` in ``style``, in Font Awesome's 512-high viewBox."""
    from fontTools.pens.svgPathPen import SVGPathPen
    from fontTools.pens.transformPen import TransformPen

    font = _font(style)
    glyph = _glyph_name(font, name, aliases)
    if glyph is None:
        return None
    glyphs = font.getGlyphSet()
    pen = SVGPathPen(glyphs, ntos=lambda v: f"{v:.6g}")
    # font units: y up, baseline at 0, the em 512 high from -64; SVG: y down from the em's top
    glyphs[glyph].draw(TransformPen(pen, (1, 0, 0, -1, 0, 448)))
    return font["hmtx"][glyph][0], pen.getCommands()


def svg_icon(attributes: str, aliases: dict[str, int]) -> str | None:
    """The ``<svg>`` fontawesome.js makes of an ``<i>`` with these attributes (None: not an icon
    this knows, left as it is)."""
    attrs = dict(ATTRIBUTE.findall(attributes))
    classes = attrs.pop("class", "").split()
    styles = [STYLES[c] for c in classes if c in STYLES]
    names = [
        c[3:] for c in classes if c.startswith("fa-") and c not in STYLES and not MODIFIERS.match(c)
    ]
    if len(names) != 1:
        return None
    style, name = (styles[0] if styles else "solid"), names[0]
    drawn = icon_path(style, name, aliases)
    if drawn is None:
        return None
    width, path = drawn
    kept = [c for c in classes if c not in STYLES and c != f"fa-{name}"]
    extra = "".join(f' {key}="{value}"' for key, value in attrs.items() if key != "aria-hidden")
    return (
        f'<svg class="{" ".join(["svg-inline--fa", f"fa-{name}", *kept])}"{extra} '
        f'aria-hidden="true" focusable="false" data-prefix="{PREFIX[style]}" '
        f'data-icon="{html.escape(name)}" role="img" xmlns="http://www.w3.org/2000/svg" '
        f'viewBox="0 0 {width} 512"><path fill="currentColor" d="{path}"></path></svg>'
    )


def aliases_from_css(css: str) -> dict[str, int]:
    """Icon name -> code point, from Font Awesome's CSS in the theme's stylesheet
    (``.fa-search:before{content:"\\f002"}``), for the old names the fonts' glyphs lack."""
    return {
        name: int(code, 16)
        for name, code in re.findall(r'\.fa-([\w-]+):before\{content:"\\([0-9a-f]+)"\}', css)
    }


def css_glyphs(css: str) -> set[int]:
    """Code points the theme's own rules draw with Font Awesome: the ``--pst-icon-*`` and
    ``--pst-breadcrumb-divider`` variables, and ``content`` next to a Font Awesome family."""
    codes = set()
    for value in re.findall(r'--pst-[\w-]+:"([^"]*)"', css):
        codes.update(ord(c) for c in value if 0xE000 <= ord(c) <= 0xF8FF)
    for rule in re.findall(r"\{([^{}]*Font Awesome[^{}]*)\}", css):
        for code in re.findall(r'content:"\\([0-9a-f]{4})"', rule):
            codes.add(int(code, 16))
    return codes


def with_svg_icons(text: str, aliases: dict[str, int]) -> str:
    """A page with its icons drawn as SVG and no fontawesome.js."""

    def replace(match):
        return svg_icon(match.group(2), aliases) or match.group(0)

    return FONTAWESOME_SCRIPT.sub("", ICON.sub(replace, text))


def write_subset(static: Path, codes: set[int]) -> None:
    from fontTools import subset

    font = _font("solid")
    cmap = font.getBestCmap()
    names = {cmap[c] for c in codes if c in cmap} | set(EXTRA_SOLID)
    options = subset.Options()
    options.flavor = "woff"
    options.layout_features = []
    options.name_IDs = ["*"]
    subsetter = subset.Subsetter(options)
    # a fresh copy: _font's is shared with icon_path
    from fontTools.ttLib import TTFont

    copy = TTFont(theme_webfonts() / FONT_FILE["solid"])
    subsetter.populate(glyphs=sorted(names), unicodes=sorted(codes))
    subsetter.subset(copy)
    target = static / "vendor" / "fontawesome" / "webfonts"
    target.mkdir(parents=True, exist_ok=True)
    copy.flavor = "woff"
    copy.save(target / SUBSET_FONT)
    (static / "fontawesome-subset.css").write_text(SUBSET_CSS.format(name=SUBSET_FONT))


def _rewrite(app, exception):
    if exception is not None or app.builder.format != "html":
        return
    outdir = Path(app.outdir)
    static = outdir / "_static"
    theme_css = "".join(
        (static / "styles" / name).read_text(encoding="utf-8")
        for name in ("pydata-sphinx-theme.css", "sphinx-book-theme.css")
        if (static / "styles" / name).is_file()
    )
    aliases = aliases_from_css(theme_css)
    write_subset(static, css_glyphs(theme_css))
    for page in outdir.rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        rewritten = with_svg_icons(text, aliases)
        if rewritten != text:
            page.write_text(rewritten, encoding="utf-8")


def setup(app):
    app.add_css_file("fontawesome-subset.css", priority=900)
    app.connect("build-finished", _rewrite)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
