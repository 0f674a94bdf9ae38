import base64
import json
import re

import matplotlib
import numpy as np
import pytest

matplotlib.use("Agg")

from nnmath.explore import Choice, Explorer, Play, Slider  # noqa: E402


def draw(fig, a, kind="sin", step=0):
    ax = fig.subplots()
    xs = np.linspace(0, 6, 50)
    ax.plot(xs, getattr(np, kind)(a * xs + step))
    ax.set_title(f"a={a} {kind} {step}")


def spec_of(page):
    return json.loads(re.search(r'<script type="application/json" class="nnx-spec">(.*?)</script>', page, re.S).group(1))


def test_static_form_has_one_frame_per_state_and_shows_the_default_without_javascript():
    explorer = Explorer(draw, [Slider("a", "rate a", [0.5, 1.0, 2.0], default=1.0), Choice("kind", "curve", ["sin", "cos"]),
                               Play("step", "step", [0, 1, 2])], figsize=(3, 2), dpi=50, alt="curves")
    page = explorer.static_html()
    spec = spec_of(page)
    assert spec["sizes"] == [3, 2, 3] and len(spec["frames"]) == 18
    assert spec["default"] == [1, 0, 0]
    assert len(set(spec["frames"])) == 18  # every state draws differently
    default_frame = spec["frames"][(1 * 2 + 0) * 3 + 0]
    assert f'src="data:image/png;base64,{default_frame}"' in page
    assert base64.b64decode(default_frame)[:8] == b"\x89PNG\r\n\x1a\n"
    # controls are hidden until the script runs, labelled, keyboard-reachable, and show their value
    assert '<div class="nnx-controls" hidden>' in page
    assert '<label for="' in page and "<legend>curve</legend>" in page and 'type="radio"' in page
    assert '<output for="' in page and ">1.0</output>" in page
    assert 'class="nnx-play"' in page
    assert "http" not in page.split("<script>")[1]  # the script fetches nothing


def test_frames_are_crisp_on_hidpi():
    from PIL import Image
    import io

    explorer = Explorer(draw, [Slider("a", "a", [1.0, 2.0])], figsize=(4, 2), dpi=60)
    frame = spec_of(explorer.static_html())["frames"][0]
    width, _ = Image.open(io.BytesIO(base64.b64decode(frame))).size
    assert width == 2 * 4 * 60  # twice the displayed width


def test_budget_is_enforced():
    explorer = Explorer(lambda fig, a: fig.subplots().imshow(np.random.default_rng(int(a * 10)).random((200, 200))),
                        [Slider("a", "a", list(np.arange(15) / 10))], figsize=(6, 6), dpi=100)
    with pytest.raises(ValueError, match=r"weighs .* MB, over the 1 MB budget"):
        explorer.static_html()


def test_defaults():
    assert Slider("a", "a", [1, 2, 3]).default == 2       # a slider starts in the middle
    assert Choice("c", "c", ["x", "y"]).default == "x"    # a choice and a player at the first value
    assert Play("p", "p", [0, 1, 2]).default == 0
    assert Play("p", "p", [0, 1, 2], default=1).default == 1


def test_bad_controls_are_named():
    with pytest.raises(ValueError, match=r"default 3 of control 'a' is not one of its values \[1, 2\]"):
        Slider("a", "a", [1, 2], default=3)
    with pytest.raises(ValueError, match="control 'a' needs at least one value"):
        Slider("a", "a", [])
    with pytest.raises(ValueError, match="control names must be distinct"):
        Explorer(draw, [Slider("a", "a", [1]), Slider("a", "b", [2])])
    explorer = Explorer(draw, [Slider("a", "a", [1.0])])
    with pytest.raises(ValueError, match=r"unknown control\(s\) \['b'\]"):
        explorer.figure(b=2)


def test_live_form_is_a_widget_that_redraws():
    ipywidgets = pytest.importorskip("ipywidgets")
    explorer = Explorer(draw, [Slider("a", "a", [0.5, 1.0]), Choice("kind", "curve", ["sin", "cos"]),
                               Play("step", "step", [0, 1])])
    box = explorer.widget()
    assert isinstance(box, ipywidgets.VBox)
    sliders = [w for w in box.children if isinstance(w, ipywidgets.SelectionSlider)]
    assert sliders and sliders[0].options == (("0.5", 0.5), ("1.0", 1.0))
    sliders[0].value = 0.5  # triggers a redraw without error
