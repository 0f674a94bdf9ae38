"""Interactive explorers with two renderings (see DESIGN.md):

* **static** — every state is drawn at build time into a PNG (with ``update``: one background image
  and a transparent layer per state); a few lines of the page's own JavaScript swap them when a
  control moves. No kernel, no CDN, no request to another host.
  Without JavaScript the default frame shows as a plain figure and no control is shown.
* **live** — in a kernel, ipywidgets controls redraw the matplotlib figure.

An explorer is displayed as one MIME bundle holding both: ``text/html`` (static) and, when a
kernel is present, the widget view. ``_config.yml`` sets ``nb_mime_priority_overrides`` so that
the HTML build takes the static form while Jupyter shows the live one.

An author writes ``draw(fig, **values)`` and lists the controls::

    Explorer(draw, [Slider("alpha", "learning rate α", [0.1, 0.5, 0.9]),
                    Choice("surface", "surface", ["bowl", "saddle"])])
"""
from __future__ import annotations

import base64
import html
import io
import itertools
import json
import uuid
from dataclasses import dataclass, field

__all__ = ["Slider", "Choice", "Play", "Explorer", "LiveFigure"]


@dataclass
class _Control:
    name: str
    label: str
    values: list
    default: object = None
    format: str = "{}"

    def __post_init__(self):
        self.values = list(self.values)
        if not self.values:
            raise ValueError(f"control {self.name!r} needs at least one value")
        if self.default is None:
            self.default = self.values[len(self.values) // 2] if isinstance(self, Slider) else self.values[0]
        if self.default not in self.values:
            raise ValueError(f"default {self.default!r} of control {self.name!r} is not one of its values {self.values}")

    @property
    def default_index(self) -> int:
        return self.values.index(self.default)

    def text(self, value) -> str:
        return self.format.format(value)


@dataclass
class Slider(_Control):
    """A slider over a fixed list of values (the static page can only show computed states)."""


@dataclass
class Choice(_Control):
    """Radio buttons over a few named options."""


@dataclass
class Play(_Control):
    """A step control over iterations 0..n-1, with a play/pause button."""

    interval_ms: int = field(default=400)


MAX_EXPLORER_BYTES = 1_000_000


class Explorer:
    """A figure ``draw(fig, **values)`` explored over the listed controls.

    ``draw`` draws one state on an empty figure. For a fast live form it may also return the
    artists that change from state to state (an artist, or a list, tuple or dict of them) and the
    author passes ``update(artists, **values)``, which sets those artists to another state. The
    live form then draws everything else once and redraws only those artists (blitting), and the
    static form stores one background image and a transparent layer per state.
    :meth:`check_update` compares the result with a fresh ``draw`` for every state.
    """

    def __init__(self, draw, controls, *, update=None, figsize=(7.0, 3.4), dpi=90, alt="", name=None):
        self.draw = draw
        self.update = update
        self.controls = list(controls)
        names = [c.name for c in self.controls]
        if len(set(names)) != len(names):
            raise ValueError(f"control names must be distinct, got {names}")
        if not self.controls:
            raise ValueError("an explorer needs at least one control")
        if update is not None and not callable(update):
            raise ValueError(f"update must be a function update(artists, **values), got {type(update).__name__}")
        self.figsize, self.dpi = figsize, dpi
        self._positions = None  # of the axes in the default state, solved on first use
        self.width_px = int(figsize[0] * dpi)  # shown at 1×, whatever the pixels behind it
        self.alt = alt or "interactive figure"
        self.name = name or f"explorer-{uuid.uuid4().hex[:8]}"

    # -- drawing -------------------------------------------------------------------------------
    def figure(self, **values):
        """A new figure drawn by ``draw`` for one state (``values`` default to the controls' defaults),
        in the layout of the default state."""
        fig = self._new_figure(self.dpi)
        self._draw_in_layout(fig, self._state(values))
        return fig

    def _new_figure(self, dpi, layout=None):
        """A plain :class:`matplotlib.figure.Figure` with an Agg canvas: no pyplot, so nothing is
        left open and nothing is displayed twice in a notebook."""
        from matplotlib.backends.backend_agg import FigureCanvasAgg
        from matplotlib.figure import Figure

        fig = Figure(figsize=self.figsize, dpi=dpi, layout=layout)
        FigureCanvasAgg(fig)
        return fig

    def _draw_in_layout(self, fig, state):
        """``draw`` one state with the axes where constrained layout puts them for the default
        state. Every state then shares one layout: the plot does not shift by a pixel when a
        title's glyphs change, and laying out once is much cheaper than at every step."""
        if self._positions is None:
            default = self._new_figure(self.dpi, layout="constrained")
            self.draw(default, **self._state({}))
            default.canvas.draw()
            self._positions = [ax.get_position() for ax in default.axes]
        returned = self.draw(fig, **state)
        if len(fig.axes) == len(self._positions):
            fig.set_layout_engine("none")
            for ax, position in zip(fig.axes, self._positions):
                ax.set_position(position)
        else:  # a state with other axes than the default one gets its own layout
            fig.set_layout_engine("constrained")
        return returned

    def _state(self, values):
        """The controls' defaults, overridden by ``values``; unknown names are an error."""
        state = {c.name: c.default for c in self.controls}
        unknown = set(values) - set(state)
        if unknown:
            raise ValueError(f"unknown control(s) {sorted(unknown)}; known: {sorted(state)}")
        state.update(values)
        return state

    def live(self, scale=2.0):
        """The persistent figure of the live form (see :class:`LiveFigure`); ``scale`` multiplies
        the dpi, 2 by default so that it is as crisp on a HiDPI screen as the static frames."""
        return LiveFigure(self, scale=scale)

    def check_update(self, max_fraction=1e-3):
        """Check that the live form shows what the static form shows: for every state, the
        pixels of the live figure (``update`` and blitting) against a fresh ``draw``. Blitting
        draws the changing artists on top of the rest, so a few pixels may differ where they
        cross, say, a legend; a forgotten artist changes far more than ``max_fraction``.
        Returns the largest fraction of differing pixels; raises naming the first bad state."""
        import numpy as np

        live = self.live(scale=1.0)
        worst = 0.0
        for state in self.states():
            values = self.values_of(state)
            fig = self.figure(**values)
            fig.canvas.draw()
            fresh = np.asarray(fig.canvas.buffer_rgba())[..., :3]
            shown = live.pixels(**values)
            if shown.shape != fresh.shape:
                raise ValueError(f"live figure is {shown.shape[1]}x{shown.shape[0]} px, a fresh draw "
                                 f"{fresh.shape[1]}x{fresh.shape[0]} px, at {values}")
            fraction = float(np.mean(np.any(shown != fresh, axis=-1)))
            if fraction > max_fraction:
                raise ValueError(f"the live figure differs from a fresh draw in {fraction:.2%} of its pixels "
                                 f"at {values} (allowed {max_fraction:.2%}): does update set every artist "
                                 "that changes, and does draw return them all?")
            worst = max(worst, fraction)
        return worst

    def _frame(self, **values) -> str:
        """One state drawn afresh at 2× pixels (HiDPI screens; shown at the figure's 1× size)."""
        from PIL import Image

        fig = self.figure(**values)
        buffer = io.BytesIO()
        fig.savefig(buffer, format="png", dpi=2 * self.dpi)
        buffer.seek(0)
        return _base64_png(Image.open(buffer).convert("RGB"))

    def states(self):
        """Every combination of the controls' value indices, in frame order (last control fastest)."""
        return list(itertools.product(*[range(len(c.values)) for c in self.controls]))

    def values_of(self, state):
        """The control values ``{name: value}`` of a state given as value indices."""
        return {c.name: c.values[i] for c, i in zip(self.controls, state)}

    # -- static rendering ------------------------------------------------------------------------
    def static_html(self) -> str:
        """The static form: every state prebuilt, a few lines of the page's own JavaScript."""
        page = self._static_page()
        if len(page.encode()) > MAX_EXPLORER_BYTES:
            raise ValueError(f"explorer {self.name} weighs {len(page.encode()) / 1e6:.2f} MB, over the "
                             f"{MAX_EXPLORER_BYTES / 1e6:.0f} MB budget: use fewer values or a smaller figure")
        return page

    def _static_page(self) -> str:
        """The static form without the budget check. With ``update`` it is layered like the live
        form: one background image (everything that does not change) and, per state, a
        transparent image of the changing artists laid over it, a fraction of a whole frame's
        bytes. Without ``update`` every state is a whole frame."""
        width = self.width_px
        alt = html.escape(self.alt, quote=True)
        if self.update is None:
            frames = [self._frame(**self.values_of(state)) for state in self.states()]
            images = '<img class="nnx-frame" src="data:image/png;base64,{src}" alt="%s" width="%d">' % (alt, width)
        else:
            from PIL import Image

            live = self.live(scale=2.0)  # the static frames' 2× pixels
            frames = [_base64_png(Image.fromarray(live.overlay(**self.values_of(state)), "RGBA"))
                      for state in self.states()]
            background = _base64_png(Image.fromarray(live.background_pixels[..., :3]))
            images = (f'<div class="nnx-stack"><img class="nnx-background" src="data:image/png;base64,{background}" '
                      f'alt="{alt}" width="{width}"><img class="nnx-frame" src="data:image/png;base64,{{src}}" '
                      f'alt="" aria-hidden="true" width="{width}"></div>')
        default = [c.default_index for c in self.controls]
        spec = {
            "frames": frames,
            "sizes": [len(c.values) for c in self.controls],
            "default": default,
            "labels": [[c.text(v) for v in c.values] for c in self.controls],
        }
        frame_of_default = self.states().index(tuple(default))
        controls_html = "".join(self._control_html(k, c) for k, c in enumerate(self.controls))
        return _TEMPLATE.format(
            id=self.name, width=width, images=images.replace("{src}", frames[frame_of_default]),
            controls=controls_html, spec=json.dumps(spec, separators=(",", ":")).replace("</", "<\\/"),
            script=_SCRIPT)

    def _control_html(self, k, control) -> str:
        cid = f"{self.name}-c{k}"
        label = html.escape(control.label)
        value = html.escape(control.text(control.default))
        if isinstance(control, Choice):
            buttons = "".join(
                f'<label><input type="radio" name="{cid}" value="{i}" data-control="{k}"'
                f'{" checked" if i == control.default_index else ""}> {html.escape(control.text(v))}</label>'
                for i, v in enumerate(control.values))
            return f'<fieldset class="nnx-choice"><legend>{label}</legend>{buttons}</fieldset>'
        slider = (f'<input type="range" id="{cid}" min="0" max="{len(control.values) - 1}" step="1" '
                  f'value="{control.default_index}" data-control="{k}" aria-valuetext="{value}">')
        play = (f'<button type="button" class="nnx-play" data-control="{k}" data-interval="{control.interval_ms}" '
                f'aria-label="play {label}">{_PLAY_ICONS}</button>') if isinstance(control, Play) else ""
        return (f'<div class="nnx-slider">{play}<label for="{cid}">{label}</label>{slider}'
                f'<output for="{cid}" data-control="{k}">{value}</output></div>')

    # -- live rendering --------------------------------------------------------------------------
    def widget(self, scale=2.0):
        """The ipywidgets form: the controls above an image of the persistent live figure,
        re-rendered on every change (no output area to clear, so no flicker)."""
        import ipywidgets as widgets

        live = self.live(scale=scale)
        inputs, boxes = {}, []
        for control in self.controls:
            options = [(control.text(v), v) for v in control.values]
            kind = widgets.RadioButtons if isinstance(control, Choice) else widgets.SelectionSlider
            widget = kind(options=options, value=control.default, description=control.label,
                          style={"description_width": "initial"})
            if isinstance(control, Play):
                player = widgets.Play(value=control.default_index, min=0, max=len(options) - 1,
                                      interval=control.interval_ms, description=f"play {control.label}")
                player.observe(lambda change, w=widget, c=control: setattr(w, "value", c.values[change["new"]]),
                               names="value")
                boxes.append(widgets.HBox([player, widget]))
            else:
                boxes.append(widget)
            inputs[control.name] = widget
        image = widgets.Image(value=live.png(), format="png",
                              layout=widgets.Layout(width=f"{self.width_px}px"))

        def redraw(_change):
            image.value = live.png(**{name: widget.value for name, widget in inputs.items()})

        for widget in inputs.values():
            widget.observe(redraw, names="value")
        return widgets.VBox([*boxes, image])

    def _repr_mimebundle_(self, include=None, exclude=None):
        bundle = {"text/html": self.static_html(), "text/plain": f"<Explorer {self.name}: {self.alt}>"}
        try:
            from IPython import get_ipython

            if get_ipython() is not None and getattr(get_ipython(), "kernel", None) is not None:
                bundle.update(self.widget()._repr_mimebundle_())
                bundle["text/plain"] = f"<Explorer {self.name}: {self.alt}>"
        except ImportError:
            pass
        return bundle


class LiveFigure:
    """The one figure of an explorer's live form, kept for the life of the widget.

    Every state is drawn in the default state's layout, as the static frames are. With an
    ``update`` function only the changing artists are redrawn over a saved background
    (blitting); without one, the figure is cleared and ``draw`` runs again. :meth:`png` encodes
    with light compression: a kernel sends it once and forgets it.
    """

    def __init__(self, explorer, scale=2.0):
        import numpy as np

        if not scale > 0:
            raise ValueError(f"scale must be positive, got {scale!r}")
        self.explorer = explorer
        self.figure = explorer._new_figure(explorer.dpi * scale)
        self.canvas = self.figure.canvas
        returned = explorer._draw_in_layout(self.figure, explorer._state({}))
        self.changing = None
        if explorer.update is not None:
            self.changing = _artists(returned)
            if not self.changing:
                raise ValueError("with update=, draw(fig, **values) must return the artists that update changes "
                                 "(an artist, or a list, tuple or dict of them); it returned "
                                 f"{type(returned).__name__}")
            self.returned = returned
            for artist in self.changing:
                artist.set_animated(True)
            self.canvas.draw()  # everything but the changing artists
            self.background = self.canvas.copy_from_bbox(self.figure.bbox)
            self.background_pixels = np.asarray(self.canvas.buffer_rgba()).copy()

    def render(self, **values):
        """Draw the state ``values`` (the rest at their defaults) into the canvas's buffer."""
        state = self.explorer._state(values)
        if self.changing is None:
            self.figure.clear()
            self.explorer._draw_in_layout(self.figure, state)
            self.canvas.draw()
        else:
            self.explorer.update(self.returned, **state)
            self.canvas.restore_region(self.background)
            for artist in self.changing:
                self.figure.draw_artist(artist)

    def pixels(self, **values):
        """The RGB pixels of one state, as an (height, width, 3) uint8 array."""
        import numpy as np

        self.render(**values)
        return np.asarray(self.canvas.buffer_rgba())[..., :3].copy()

    def overlay(self, **values):
        """The changing artists alone for one state, on a transparent canvas: an (height, width, 4)
        uint8 RGBA array to lay over ``background_pixels`` (the static form's layers)."""
        import numpy as np

        if self.changing is None:
            raise ValueError("overlay needs an explorer with update= (the changing artists)")
        self.explorer.update(self.returned, **self.explorer._state(values))
        self.canvas.get_renderer().clear()  # transparent; render() restores the background
        for artist in self.changing:
            self.figure.draw_artist(artist)
        return np.asarray(self.canvas.buffer_rgba()).copy()

    def png(self, **values) -> bytes:
        """One state as PNG bytes, the form a kernel sends to the page."""
        from PIL import Image

        buffer = io.BytesIO()
        Image.fromarray(self.pixels(**values)).save(buffer, format="PNG", compress_level=1)
        return buffer.getvalue()


def _base64_png(image) -> str:
    """A plot has few colours: a 48-colour palette keeps it crisp at a fraction of the bytes
    (median cut for opaque frames; octree, which keeps transparency, for overlays)."""
    from PIL import Image

    method = Image.Quantize.FASTOCTREE if image.mode == "RGBA" else Image.Quantize.MEDIANCUT
    buffer = io.BytesIO()
    image.quantize(colors=48, method=method).save(buffer, format="PNG", optimize=True)
    return base64.b64encode(buffer.getvalue()).decode("ascii")


def _artists(returned):
    """The artists in what ``draw`` returned: an artist, or lists, tuples and dicts of them."""
    from matplotlib.artist import Artist

    if returned is None:
        return []
    if isinstance(returned, Artist):
        return [returned]
    items = returned.values() if isinstance(returned, dict) else returned
    if not isinstance(items, (list, tuple, type({}.values()))):
        raise ValueError(f"draw returned a {type(returned).__name__}; with update= it must return the artists "
                         "that update changes (an artist, or a list, tuple or dict of them)")
    return [artist for item in items for artist in _artists(item)]


_TEMPLATE = """<figure class="nnmath-explorer" id="{id}" style="max-width:{width}px;margin:0 auto">
<style>
#{id}{{color-scheme:light}}
#{id} img{{width:100%;height:auto;display:block;padding:0;background:transparent;border-radius:0}}
#{id} .nnx-stack{{position:relative}}
#{id} .nnx-stack .nnx-frame{{position:absolute;left:0;top:0}}
#{id} .nnx-controls{{display:flex;flex-wrap:wrap;gap:.4rem 1.4rem;margin-top:.4rem;font-size:.95rem}}
#{id} .nnx-slider{{display:flex;align-items:center;gap:.5rem}}
#{id} output{{font-variant-numeric:tabular-nums;min-width:4.5em;font-weight:600}}
#{id} fieldset{{border:0;margin:0;padding:0;display:flex;gap:.8rem;align-items:center}}
#{id} legend{{float:left;font-size:inherit;width:auto;margin:0 .5rem 0 0;padding:0;border:0}}
#{id} fieldset label{{display:inline-flex;gap:.3rem;align-items:center;white-space:nowrap}}
#{id} .nnx-play{{min-width:2.2em;line-height:1;padding:.3em .5em}}
#{id} .nnx-play svg{{display:block;margin:auto}}
#{id} .nnx-play .nnx-pause,#{id} .nnx-play.nnx-playing .nnx-start{{display:none}}
#{id} .nnx-play.nnx-playing .nnx-pause{{display:block}}
</style>
{images}
<div class="nnx-controls" hidden>{controls}</div>
<script type="application/json" class="nnx-spec">{spec}</script>
<script>{script}("{id}");</script>
</figure>"""

# Drawn, not typed: the ⏸ character is missing from many fonts
_PLAY_ICONS = ('<svg class="nnx-start" viewBox="0 0 10 10" width="12" height="12" aria-hidden="true">'
               '<path d="M2 1v8l7-4z" fill="currentColor"/></svg>'
               '<svg class="nnx-pause" viewBox="0 0 10 10" width="12" height="12" aria-hidden="true">'
               '<path d="M2 1h2v8H2zM6 1h2v8H6z" fill="currentColor"/></svg>')

# The page's own JavaScript: no library, no request. It maps the controls' indices to a frame.
_SCRIPT = """(function(id){var root=document.getElementById(id);if(!root)return;
var spec=JSON.parse(root.querySelector('.nnx-spec').textContent);var img=root.querySelector('img.nnx-frame');
var state=spec.default.slice();var box=root.querySelector('.nnx-controls');box.hidden=false;
function frame(){var k=0;for(var i=0;i<state.length;i++){k=k*spec.sizes[i]+state[i];}return k;}
function show(){img.src='data:image/png;base64,'+spec.frames[frame()];
root.querySelectorAll('output[data-control]').forEach(function(o){var c=+o.dataset.control;o.textContent=spec.labels[c][state[c]];});
root.querySelectorAll('input[type=range]').forEach(function(r){var c=+r.dataset.control;r.value=state[c];r.setAttribute('aria-valuetext',spec.labels[c][state[c]]);});}
root.querySelectorAll('input[type=range]').forEach(function(r){r.addEventListener('input',function(){state[+r.dataset.control]=+r.value;show();});});
root.querySelectorAll('input[type=radio]').forEach(function(r){r.addEventListener('change',function(){if(r.checked){state[+r.dataset.control]=+r.value;show();}});});
root.querySelectorAll('.nnx-play').forEach(function(b){var timer=null,c=+b.dataset.control,name=b.getAttribute('aria-label');
function stop(){clearInterval(timer);timer=null;b.classList.remove('nnx-playing');b.setAttribute('aria-label',name);}
b.addEventListener('click',function(){if(timer){stop();return;}
b.classList.add('nnx-playing');b.setAttribute('aria-label','pause');if(state[c]==spec.sizes[c]-1){state[c]=0;show();}
timer=setInterval(function(){if(state[c]>=spec.sizes[c]-1){stop();return;}state[c]++;show();},+b.dataset.interval);});});
})"""
