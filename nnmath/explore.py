"""Interactive explorers with two renderings (see DESIGN.md):

* **static** — every state is drawn at build time into a PNG frame; a few lines of the page's own
  JavaScript swap frames when a control moves. No kernel, no CDN, no request to another host.
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

import matplotlib

__all__ = ["Slider", "Choice", "Play", "Explorer"]


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
    """A figure ``draw(fig, **values)`` explored over the listed controls."""

    def __init__(self, draw, controls, *, figsize=(7.0, 3.4), dpi=90, alt="", name=None):
        self.draw = draw
        self.controls = list(controls)
        names = [c.name for c in self.controls]
        if len(set(names)) != len(names):
            raise ValueError(f"control names must be distinct, got {names}")
        if not self.controls:
            raise ValueError("an explorer needs at least one control")
        self.figsize, self.dpi = figsize, dpi
        self.alt = alt or "interactive figure"
        self.name = name or f"explorer-{uuid.uuid4().hex[:8]}"

    # -- drawing -------------------------------------------------------------------------------
    def figure(self, **values):
        """A new matplotlib figure for one state (``values`` default to the controls' defaults)."""
        import matplotlib.pyplot as plt

        fig = plt.figure(figsize=self.figsize, dpi=self.dpi, layout="constrained")
        self.draw(fig, **self._state(values))
        return fig

    def _state(self, values):
        """The controls' defaults, overridden by ``values``; unknown names are an error."""
        state = {c.name: c.default for c in self.controls}
        unknown = set(values) - set(state)
        if unknown:
            raise ValueError(f"unknown control(s) {sorted(unknown)}; known: {sorted(state)}")
        state.update(values)
        return state

    def live_figure(self, **values):
        """A figure for the live form. Constrained layout is solved for the first state only and
        the axes positions reused afterwards: it is most of the cost of a redraw."""
        import matplotlib.pyplot as plt

        positions = getattr(self, "_live_positions", None)
        if positions is None:
            fig = self.figure(**values)
            fig.canvas.draw()
            self._live_positions = [ax.get_position() for ax in fig.axes]
            return fig
        fig = plt.figure(figsize=self.figsize, dpi=self.dpi)
        self.draw(fig, **self._state(values))
        if len(fig.axes) == len(positions):
            for ax, position in zip(fig.axes, positions):
                ax.set_position(position)
        else:  # a state with other axes: lay it out afresh
            fig.set_layout_engine("constrained")
        return fig

    def _png(self, **values) -> str:
        import matplotlib.pyplot as plt

        from PIL import Image

        fig = self.figure(**values)
        buffer = io.BytesIO()
        # 2× pixels for HiDPI screens; the <img> is shown at the figure's 1× size
        fig.savefig(buffer, format="png", dpi=2 * self.dpi)
        plt.close(fig)
        # a plot has few colours: a 48-colour palette keeps it crisp at a quarter of the bytes
        buffer.seek(0)
        paletted = Image.open(buffer).convert("RGB").quantize(colors=48, method=Image.Quantize.MEDIANCUT)
        small = io.BytesIO()
        paletted.save(small, format="PNG", optimize=True)
        return base64.b64encode(small.getvalue()).decode("ascii")

    def states(self):
        """Every combination of control values, in frame order (last control fastest)."""
        return list(itertools.product(*[range(len(c.values)) for c in self.controls]))

    # -- static rendering ------------------------------------------------------------------------
    def static_html(self) -> str:
        with matplotlib.rc_context({"figure.max_open_warning": 0}):
            frames = [self._png(**{c.name: c.values[i] for c, i in zip(self.controls, state)})
                      for state in self.states()]
        width = int(self.figsize[0] * self.dpi)
        default = [c.default_index for c in self.controls]
        spec = {
            "frames": frames,
            "sizes": [len(c.values) for c in self.controls],
            "default": default,
            "labels": [[c.text(v) for v in c.values] for c in self.controls],
        }
        frame_of_default = self.states().index(tuple(default))
        controls_html = "".join(self._control_html(k, c) for k, c in enumerate(self.controls))
        page = _TEMPLATE.format(
            id=self.name, width=width, alt=html.escape(self.alt, quote=True),
            default_src=frames[frame_of_default], controls=controls_html,
            spec=json.dumps(spec, separators=(",", ":")).replace("</", "<\\/"), script=_SCRIPT)
        if len(page.encode()) > MAX_EXPLORER_BYTES:
            raise ValueError(f"explorer {self.name} weighs {len(page.encode()) / 1e6:.2f} MB, over the "
                             f"{MAX_EXPLORER_BYTES / 1e6:.0f} MB budget: use fewer values or a smaller figure")
        return page

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
                f'aria-label="play {label}">▶</button>') if isinstance(control, Play) else ""
        return (f'<div class="nnx-slider">{play}<label for="{cid}">{label}</label>{slider}'
                f'<output for="{cid}" data-control="{k}">{value}</output></div>')

    # -- live rendering --------------------------------------------------------------------------
    def widget(self):
        """The ipywidgets form: controls above an output area redrawn on every change."""
        import ipywidgets as widgets
        import matplotlib.pyplot as plt
        from IPython.display import display

        inputs = {}
        boxes = []
        for control in self.controls:
            options = [(control.text(v), v) for v in control.values]
            if isinstance(control, Choice):
                widget = widgets.RadioButtons(options=options, value=control.default, description=control.label)
                boxes.append(widget)
            elif isinstance(control, Play):
                widget = widgets.SelectionSlider(options=options, value=control.default, description=control.label)
                player = widgets.Play(min=0, max=len(options) - 1, interval=control.interval_ms)
                player.observe(lambda change, w=widget, c=control: setattr(w, "value", c.values[change["new"]]),
                               names="value")
                boxes.append(widgets.HBox([player, widget]))
            else:
                widget = widgets.SelectionSlider(options=options, value=control.default, description=control.label,
                                                 style={"description_width": "initial"})
                boxes.append(widget)
            inputs[control.name] = widget
        output = widgets.Output()

        def redraw(**values):
            with output:
                output.clear_output(wait=True)
                fig = self.live_figure(**values)
                display(fig)
                plt.close(fig)

        widgets.interactive_output(redraw, inputs)
        return widgets.VBox([*boxes, output])

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


_TEMPLATE = """<figure class="nnmath-explorer" id="{id}" style="max-width:{width}px;margin:0 auto">
<style>
#{id} img{{width:100%;height:auto;display:block}}
#{id} .nnx-controls{{display:flex;flex-wrap:wrap;gap:.4rem 1.4rem;margin-top:.4rem;font-size:.95rem}}
#{id} .nnx-slider{{display:flex;align-items:center;gap:.5rem}}
#{id} output{{font-variant-numeric:tabular-nums;min-width:4.5em;font-weight:600}}
#{id} fieldset{{border:0;margin:0;padding:0;display:flex;gap:.8rem;align-items:center}}
#{id} legend{{float:left;font-size:inherit;width:auto;margin:0 .5rem 0 0;padding:0;border:0}}
#{id} fieldset label{{display:inline-flex;gap:.3rem;align-items:center;white-space:nowrap}}
#{id} .nnx-play{{min-width:2.2em}}
</style>
<img src="data:image/png;base64,{default_src}" alt="{alt}" width="{width}">
<div class="nnx-controls" hidden>{controls}</div>
<script type="application/json" class="nnx-spec">{spec}</script>
<script>{script}("{id}");</script>
</figure>"""

# The page's own JavaScript: no library, no request. It maps the controls' indices to a frame.
_SCRIPT = """(function(id){var root=document.getElementById(id);if(!root)return;
var spec=JSON.parse(root.querySelector('.nnx-spec').textContent);var img=root.querySelector('img');
var state=spec.default.slice();var box=root.querySelector('.nnx-controls');box.hidden=false;
function frame(){var k=0;for(var i=0;i<state.length;i++){k=k*spec.sizes[i]+state[i];}return k;}
function show(){img.src='data:image/png;base64,'+spec.frames[frame()];
root.querySelectorAll('output[data-control]').forEach(function(o){var c=+o.dataset.control;o.textContent=spec.labels[c][state[c]];});
root.querySelectorAll('input[type=range]').forEach(function(r){var c=+r.dataset.control;r.value=state[c];r.setAttribute('aria-valuetext',spec.labels[c][state[c]]);});}
root.querySelectorAll('input[type=range]').forEach(function(r){r.addEventListener('input',function(){state[+r.dataset.control]=+r.value;show();});});
root.querySelectorAll('input[type=radio]').forEach(function(r){r.addEventListener('change',function(){if(r.checked){state[+r.dataset.control]=+r.value;show();}});});
root.querySelectorAll('.nnx-play').forEach(function(b){var timer=null;b.addEventListener('click',function(){var c=+b.dataset.control;
if(timer){clearInterval(timer);timer=null;b.textContent='\\u25B6';b.setAttribute('aria-label','play');return;}
b.textContent='\\u23F8';b.setAttribute('aria-label','pause');if(state[c]==spec.sizes[c]-1){state[c]=0;show();}
timer=setInterval(function(){if(state[c]>=spec.sizes[c]-1){clearInterval(timer);timer=null;b.textContent='\\u25B6';return;}state[c]++;show();},+b.dataset.interval);});});
})"""
