"""The static form of an explorer: one HTML ``<figure>`` holding every state's image, the
controls, and the page's own script (``explorer.js``) and style (``explorer.css``).

Every piece of HTML is a :class:`string.Template` filled with escaped values; nothing else
builds markup.
"""

from __future__ import annotations

import html
import json
import re
from functools import cache, singledispatch
from importlib.resources import files
from string import Template

from ..page import legible_width, smallest_text_px
from .controls import Choice, Play, Slider
from .images import figure_png, page_png

__all__ = ["static_page", "control_html", "page_script", "page_style"]

# The figure is named by its caption (the explorer's alt text); the state's sentence sits under the
# picture in a polite live region, so a screen reader hears each new state once it is shown. The
# picture's own alt text is short (PICTURE_ALT) and points at that sentence: were it the sentence,
# a screen reader would read every state twice. The picture sits in a box of its own that scrolls
# sideways on a phone, where it keeps a legible width (explorer.css; data-text-px is its smallest
# text in CSS px at full width).
FIGURE = Template("""<figure class="nnmath-explorer" id="$id" style="max-width:${width}px;margin:0 auto">
<style>
$style</style>
<div class="nnx-view" data-text-px="$text_px">$images</div>
<p class="nnx-description" aria-live="polite">$description</p>
<div class="nnx-controls" hidden>$controls</div>
<figcaption class="nnx-caption">$caption</figcaption>
<script type="application/json" class="nnx-spec">$spec</script>
<script>$script("$id");</script>
</figure>""")

PICTURE_ALT = "Picture of the state described below"

WHOLE_FRAME = Template(
    '<img class="nnx-frame" src="data:image/png;base64,$frame" alt="$alt" width="$width">'
)

# with update=: the background carries the alt text; the state's layer over it is decoration
LAYERED_FRAME = Template(
    '<div class="nnx-stack"><img class="nnx-background" src="data:image/png;base64,$background" '
    'alt="$alt" width="$width"><img class="nnx-frame" src="data:image/png;base64,$frame" '
    'alt="" aria-hidden="true" width="$width"></div>'
)

# The value shown beside a slider is for the eye: a screen reader has it as the slider's
# aria-valuetext. Left exposed, an <output> is a live region (role status) that would say every
# value again, and every step while Play runs, when the description is kept quiet.
SLIDER = Template(
    '<div class="nnx-slider">$play<label for="$cid">$label</label>'
    '<input type="range" id="$cid" min="0" max="$max" step="1" value="$index" data-control="$k" '
    'aria-valuetext="$value"><output for="$cid" data-control="$k" aria-hidden="true">$value</output>'
    "</div>"
)

PLAY_BUTTON = Template(
    '<button type="button" class="nnx-play" data-control="$k" data-interval="$interval" '
    'aria-label="play $label">$icons</button>'
)

# Drawn, not typed: the ⏸ character is missing from many fonts
PLAY_ICONS = (
    '<svg class="nnx-start" viewBox="0 0 10 10" width="12" height="12" aria-hidden="true">'
    '<path d="M2 1v8l7-4z" fill="currentColor"/></svg>'
    '<svg class="nnx-pause" viewBox="0 0 10 10" width="12" height="12" aria-hidden="true">'
    '<path d="M2 1h2v8H2zM6 1h2v8H6z" fill="currentColor"/></svg>'
)

CHOICE = Template('<fieldset class="nnx-choice"><legend>$label</legend>$buttons</fieldset>')

RADIO = Template(
    '<label><input type="radio" name="$cid" value="$i" data-control="$k"$checked> $text</label>'
)


@cache
def page_script() -> str:
    """``explorer.js`` as inlined in every explorer: the same code without its comment lines, line
    breaks, and the spaces next to punctuation (but + and -, which could fuse) outside '…' strings:
    a readable file at the weight of a minified one; the file's header lists the rules it keeps."""
    source = files(__package__).joinpath("explorer.js").read_text(encoding="utf-8")
    code = "".join(
        line.strip() for line in source.splitlines() if not line.strip().startswith("//")
    )
    parts = re.split(r"('[^']*')", code)  # odd parts are string literals, kept as they are
    return "".join(
        part if k % 2 else re.sub(r"\s*([^\w\s'.$+-])\s*", r"\1", part)
        for k, part in enumerate(parts)
    )


@cache
def page_style() -> Template:
    """``explorer.css`` without its comments, a template over the explorer's ``$id``."""
    source = files(__package__).joinpath("explorer.css").read_text(encoding="utf-8")
    return Template(re.sub(r"/\*.*?\*/\s*", "", source, flags=re.S))


def static_page(explorer) -> str:
    """The static form (no budget check). With ``update`` it is layered like the live form: one
    background image (everything that does not change) and, per state, a transparent image of
    the changing artists laid over it, a fraction of a whole frame's bytes. Without ``update``
    every state is a whole frame. Frames are 2× pixels (HiDPI screens), shown at 1× size."""
    from PIL import Image

    states = explorer.states()
    default = [c.default_index for c in explorer.controls]
    descriptions = [explorer.description(**explorer.values_of(s)) for s in states]
    alt = html.escape(PICTURE_ALT, quote=True)
    if explorer.update is None:
        frames = [
            figure_png(explorer.figure(**explorer.values_of(s)), dpi=2 * explorer.dpi)
            for s in states
        ]
        shown = frames[states.index(tuple(default))]  # the image without JavaScript
        images = WHOLE_FRAME.substitute(frame=shown, alt=alt, width=explorer.width_px)
    else:
        live = explorer.live(scale=2.0)  # the static frames' 2× pixels
        frames = [
            page_png(Image.fromarray(live.overlay(**explorer.values_of(s)), "RGBA")) for s in states
        ]
        shown = frames[states.index(tuple(default))]
        background = page_png(Image.fromarray(live.background_pixels[..., :3]))
        images = LAYERED_FRAME.substitute(
            background=background, frame=shown, alt=alt, width=explorer.width_px
        )
    spec = {
        "frames": frames,
        "sizes": [len(c.values) for c in explorer.controls],
        "default": default,
        "labels": [[c.text(v) for v in c.values] for c in explorer.controls],
        "descriptions": descriptions,
    }
    text_px = smallest_text_px(explorer.figure(), explorer.dpi)
    return FIGURE.substitute(
        id=explorer.name,
        width=explorer.width_px,
        style=page_style().substitute(
            id=explorer.name, legible=legible_width(explorer.width_px, text_px)
        ),
        images=images,
        text_px=f"{text_px:.1f}",
        description=html.escape(descriptions[states.index(tuple(default))]),
        caption=html.escape(explorer.alt),
        controls="".join(
            control_html(c, k, f"{explorer.name}-c{k}") for k, c in enumerate(explorer.controls)
        ),
        # "</" inside the JSON would end its <script> element
        spec=json.dumps(spec, separators=(",", ":")).replace("</", "<\\/"),
        script=page_script(),
    )


@singledispatch
def control_html(control, k: int, cid: str) -> str:
    """The HTML of control number ``k`` (its ``data-control``), with element id ``cid``."""
    raise TypeError(f"no HTML for a control of type {type(control).__name__}")


@control_html.register
def _(control: Slider, k, cid, play=""):
    return SLIDER.substitute(
        play=play,
        cid=cid,
        label=html.escape(control.label),
        max=len(control.values) - 1,
        index=control.default_index,
        k=k,
        value=html.escape(control.text(control.default)),
    )


@control_html.register
def _(control: Play, k, cid):
    button = PLAY_BUTTON.substitute(
        k=k, interval=control.interval_ms, label=html.escape(control.label), icons=PLAY_ICONS
    )
    return control_html.dispatch(Slider)(control, k, cid, play=button)


@control_html.register
def _(control: Choice, k, cid):
    buttons = "".join(
        RADIO.substitute(
            cid=cid,
            i=i,
            k=k,
            checked=" checked" if i == control.default_index else "",
            text=html.escape(control.text(v)),
        )
        for i, v in enumerate(control.values)
    )
    return CHOICE.substitute(label=html.escape(control.label), buttons=buttons)
