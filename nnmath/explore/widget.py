"""The live form: ipywidgets controls above an image of the explorer's :class:`LiveFigure`."""

from __future__ import annotations

import html
from functools import singledispatch

from .controls import Choice, Play, Slider, _Control

__all__ = ["explorer_widget", "control_widget", "description_html"]


def explorer_widget(explorer, scale=2.0):
    """The controls above an image of the persistent live figure, re-rendered on every change
    (no output area to clear, so no flicker). Each control's value widget is the last child of
    its row when the row is a box (a play button before its slider)."""
    import ipywidgets as widgets

    live = explorer.live(scale=scale)
    rows, inputs = [], {}
    for control in explorer.controls:
        row, inputs[control.name] = control_widget(control)
        rows.append(row)
    image = widgets.Image(
        value=live.png(), format="png", layout=widgets.Layout(width=f"{explorer.width_px}px")
    )
    # the state in words under the picture, as on the static page (a polite live region)
    description = widgets.HTML(value=description_html(explorer.description()))

    def redraw(_change):
        values = {name: widget.value for name, widget in inputs.items()}
        image.value = live.png(**values)
        description.value = description_html(explorer.description(**values))

    for widget in inputs.values():
        widget.observe(redraw, names="value")
    caption = widgets.HTML(value=f"<em>{html.escape(explorer.alt)}</em>")
    return widgets.VBox([*rows, image, description, caption])


def description_html(text: str) -> str:
    """A state's description as the live form shows it: escaped, in a polite live region."""
    return f'<p aria-live="polite">{html.escape(text)}</p>'


@singledispatch
def control_widget(control):
    """The widgets of one control: ``(row, value_widget)``, the row shown and the widget whose
    ``value`` is the control's value."""
    raise TypeError(f"no widget for a control of type {type(control).__name__}")


def _options(control: _Control):
    return [(control.text(v), v) for v in control.values]


def _labelled(kind, control):
    return kind(
        options=_options(control),
        value=control.default,
        description=control.label,
        style={"description_width": "initial"},
    )


@control_widget.register
def _(control: Slider):
    import ipywidgets as widgets

    slider = _labelled(widgets.SelectionSlider, control)
    return slider, slider


@control_widget.register
def _(control: Choice):
    import ipywidgets as widgets

    radio = _labelled(widgets.RadioButtons, control)
    return radio, radio


@control_widget.register
def _(control: Play):
    import ipywidgets as widgets

    slider = _labelled(widgets.SelectionSlider, control)
    player = widgets.Play(
        value=control.default_index,
        min=0,
        max=len(control.values) - 1,
        interval=control.interval_ms,
        description=f"play {control.label}",
    )
    # both ways, as on the static page: the player steps the slider, and a moved slider moves the
    # player, so ▶ continues from the step shown instead of restarting from the first
    widgets.link((player, "value"), (slider, "index"))
    return widgets.HBox([player, slider]), slider
