import base64
import json
import re
from pathlib import Path

import matplotlib
import numpy as np
import pytest

matplotlib.use("Agg")

from chapter_runs import chapter_namespace  # noqa: E402

from nnmath.explore import Choice, Explorer, Play, Slider  # noqa: E402
from nnmath.explore.static import PICTURE_ALT  # noqa: E402
from tools.chapters import chapters_with_explorers, explorers_in  # noqa: E402


def draw(fig, a, kind="sin", step=0):
    ax = fig.subplots()
    xs = np.linspace(0, 6, 50)
    ax.plot(xs, getattr(np, kind)(a * xs + step))
    ax.set_title(f"a={a} {kind} {step}")


def spec_of(page):
    return json.loads(
        re.search(
            r'<script type="application/json" class="nnx-spec">(.*?)</script>', page, re.S
        ).group(1)
    )


def test_static_form_has_one_frame_per_state_and_shows_the_default_without_javascript():
    explorer = Explorer(
        draw,
        [
            Slider("a", "rate a", [0.5, 1.0, 2.0], default=1.0),
            Choice("kind", "curve", ["sin", "cos"]),
            Play("step", "step", [0, 1, 2]),
        ],
        figsize=(3, 2),
        dpi=50,
        alt="curves",
    )
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
    # the value beside a slider is the slider's aria-valuetext; the <output> (a live region of
    # its own) is hidden from screen readers, which would hear each value twice
    assert 'aria-valuetext="1.0"><output' in page
    assert all('aria-hidden="true"' in o for o in re.findall(r"<output[^>]*>", page))
    assert 'class="nnx-play"' in page
    assert "http" not in page.split("<script>")[1]  # the script fetches nothing


def test_frames_are_crisp_on_hidpi():
    import io

    from PIL import Image

    explorer = Explorer(draw, [Slider("a", "a", [1.0, 2.0])], figsize=(4, 2), dpi=60)
    frame = spec_of(explorer.static_html())["frames"][0]
    width, _ = Image.open(io.BytesIO(base64.b64decode(frame))).size
    assert width == 2 * 4 * 60  # twice the displayed width


def test_budget_is_enforced():
    explorer = Explorer(
        lambda fig, a: fig.subplots().imshow(np.random.default_rng(int(a * 10)).random((200, 200))),
        [Slider("a", "a", list(np.arange(15) / 10))],
        figsize=(6, 6),
        dpi=100,
    )
    with pytest.raises(ValueError, match=r"weighs .* MB, over the 1 MB budget"):
        explorer.static_html()


def test_defaults():
    assert Slider("a", "a", [1, 2, 3]).default == 2  # a slider starts in the middle
    assert Choice("c", "c", ["x", "y"]).default == "x"  # a choice and a player at the first value
    assert Play("p", "p", [0, 1, 2]).default == 0
    assert Play("p", "p", [0, 1, 2], default=1).default == 1


def test_bad_controls_are_named():
    with pytest.raises(
        ValueError, match=r"default 3 of control 'a' is not one of its values \[1, 2\]"
    ):
        Slider("a", "a", [1, 2], default=3)
    with pytest.raises(ValueError, match="control 'a' needs at least one value"):
        Slider("a", "a", [])
    with pytest.raises(ValueError, match="control names must be distinct"):
        Explorer(draw, [Slider("a", "a", [1]), Slider("a", "b", [2])])
    explorer = Explorer(draw, [Slider("a", "a", [1.0])])
    with pytest.raises(ValueError, match=r"unknown control\(s\) \['b'\]"):
        explorer.figure(b=2)


def draw_curve(fig, a, kind="sin"):
    """A figure whose curve and title change with the state; returns them for ``update``."""
    ax = fig.subplots()
    ax.set(xlim=(0, 6), ylim=(-1.1, 1.1))
    (curve,) = ax.plot([], [], lw=2)
    artists = {"curve": curve, "title": ax.set_title(" ")}
    update_curve(artists, a, kind)
    return artists


def update_curve(artists, a, kind="sin"):
    xs = np.linspace(0, 6, 50)
    artists["curve"].set_data(xs, getattr(np, kind)(a * xs))
    artists["title"].set_text(f"a={a} {kind}")


def forgetful_update(artists, a, kind="sin"):  # leaves the title at the first state
    xs = np.linspace(0, 6, 50)
    artists["curve"].set_data(xs, getattr(np, kind)(a * xs))


CONTROLS = [Slider("a", "a", [0.5, 1.0, 2.0]), Choice("kind", "curve", ["sin", "cos"])]


def test_live_figure_with_update_redraws_only_the_changing_artists_and_matches_a_fresh_draw():
    explorer = Explorer(draw_curve, CONTROLS, update=update_curve, figsize=(3, 2), dpi=60)
    live = explorer.live(scale=1.0)
    assert len(live.changing) == 2 and all(artist.get_animated() for artist in live.changing)
    assert explorer.check_update() <= 1e-3
    # the pixels really change with the state
    assert not np.array_equal(live.pixels(a=0.5), live.pixels(a=2.0))
    # a state given twice renders identically (nothing accumulates between steps)
    first = live.pixels(a=2.0, kind="cos")
    live.pixels(a=0.5)
    assert np.array_equal(first, live.pixels(a=2.0, kind="cos"))


def test_an_update_that_forgets_an_artist_is_caught():
    explorer = Explorer(draw_curve, CONTROLS, update=forgetful_update, figsize=(3, 2), dpi=60)
    with pytest.raises(
        ValueError,
        match=r"differs from a fresh draw in .* of its pixels at \{'a': 0.5, 'kind': 'sin'\}",
    ):
        explorer.check_update()


def test_covering_states_give_every_value_and_catch_a_forgotten_artist():
    controls = [Slider("a", "a", [0.5, 1.0, 2.0, 3.0]), Choice("kind", "curve", ["sin", "cos"])]
    explorer = Explorer(draw_curve, controls, update=update_curve, figsize=(3, 2), dpi=60)
    states = explorer.covering_states()
    assert len(states) == 4 < len(explorer.states())
    for k, control in enumerate(controls):
        assert {state[k] for state in states} == set(range(len(control.values)))
    forgetful = Explorer(draw_curve, controls, update=forgetful_update, figsize=(3, 2), dpi=60)
    with pytest.raises(ValueError, match="differs from a fresh draw"):
        forgetful.check_update(states=forgetful.covering_states())


def test_live_figure_without_update_draws_again_in_the_first_layout():
    explorer = Explorer(draw, CONTROLS, figsize=(3, 2), dpi=60)
    live = explorer.live(scale=1.0)
    assert live.changing is None
    assert explorer.check_update() == 0.0  # clearing and drawing again is exactly a fresh draw
    assert live.pixels(a=2.0).shape == (120, 180, 3)
    assert explorer.live(scale=2.0).pixels().shape == (
        240,
        360,
        3,
    )  # HiDPI by default in the widget


def test_update_needs_artists_from_draw():
    with pytest.raises(ValueError, match="update must be a function"):
        Explorer(draw_curve, CONTROLS, update="curve")
    with pytest.raises(
        ValueError, match="draw.* must return the artists that update changes.*returned NoneType"
    ):
        Explorer(draw, CONTROLS, update=update_curve).live()
    with pytest.raises(ValueError, match="draw returned a int"):
        Explorer(
            lambda fig, a, kind: [fig.subplots().plot([0, 1])[0], 3], CONTROLS, update=update_curve
        ).live()
    with pytest.raises(ValueError, match="scale must be positive, got 0"):
        Explorer(draw_curve, CONTROLS, update=update_curve).live(scale=0)


def test_live_form_is_a_widget_whose_image_follows_the_controls():
    ipywidgets = pytest.importorskip("ipywidgets")
    explorer = Explorer(
        draw_curve,
        [Slider("a", "a", [0.5, 1.0]), Choice("kind", "curve", ["sin", "cos"])],
        update=update_curve,
        figsize=(3, 2),
        dpi=60,
    )
    box = explorer.widget()
    assert isinstance(box, ipywidgets.VBox)
    slider = next(w for w in box.children if isinstance(w, ipywidgets.SelectionSlider))
    radio = next(w for w in box.children if isinstance(w, ipywidgets.RadioButtons))
    image = next(w for w in box.children if isinstance(w, ipywidgets.Image))
    assert slider.options == (("0.5", 0.5), ("1.0", 1.0)) and slider.value == 1.0
    assert image.value[:8] == b"\x89PNG\r\n\x1a\n" and image.layout.width == "180px"
    shown = image.value
    slider.value = 0.5
    assert image.value != shown
    radio.value = "cos"
    expected = explorer.live().png(a=0.5, kind="cos")
    assert image.value == expected


def test_play_control_steps_its_slider_in_the_live_form():
    ipywidgets = pytest.importorskip("ipywidgets")
    explorer = Explorer(
        draw, [Slider("a", "a", [1.0]), Play("step", "step", [0, 1, 2])], figsize=(3, 2), dpi=60
    )
    box = explorer.widget()
    player, slider = next(w for w in box.children if isinstance(w, ipywidgets.HBox)).children
    image = next(w for w in box.children if isinstance(w, ipywidgets.Image))
    shown = image.value
    player.value = 2
    assert slider.value == 2 and image.value != shown


BOOK = Path(__file__).parents[1] / "book"


@pytest.mark.parametrize("chapter", [path.stem for path in chapters_with_explorers(BOOK)])
def test_chapter_explorers_show_the_same_states_live_and_static(chapter):
    """Every explorer of the chapter, live against static, on states that give every control each
    of its values (every state would take minutes per chapter; an artist ``update`` forgets shows
    on any state that moves it: test_covering_states_give_every_value_and_catch_a_forgotten_artist).
    """
    explorers = list(explorers_in(chapter_namespace(chapter)).values())
    assert explorers, f"{chapter} names Explorer( but builds none"
    for explorer in explorers:
        states = explorer.covering_states()
        assert explorer.check_update(states=states) <= 1e-3, (chapter, explorer.name)


def test_a_state_with_other_axes_gets_its_own_layout():
    def draw_panels(fig, panels):
        for k, ax in enumerate(fig.subplots(1, panels, squeeze=False)[0]):
            ax.set_title(f"panel {k + 1}")

    explorer = Explorer(
        draw_panels, [Slider("panels", "panels", [1, 2], default=1)], figsize=(4, 2), dpi=50
    )
    two = explorer.figure(panels=2)
    assert (
        len(two.axes) == 2
        and two.get_layout_engine().__class__.__name__ == "ConstrainedLayoutEngine"
    )
    live = explorer.live(scale=1.0)
    assert not np.array_equal(live.pixels(panels=2), live.pixels(panels=1))
    assert explorer.check_update() == 0.0


def decode(frame):
    import io

    from PIL import Image

    return Image.open(io.BytesIO(base64.b64decode(frame)))


def test_static_form_with_update_is_a_background_and_one_transparent_layer_per_state():
    from PIL import Image

    explorer = Explorer(
        draw_curve, CONTROLS, update=update_curve, figsize=(3, 2), dpi=60, alt="curves"
    )
    page = explorer.static_html()
    spec = spec_of(page)
    background = re.search(
        r'<img class="nnx-background" src="data:image/png;base64,([^"]+)" alt="Picture of ', page
    )
    assert background, "the background image carries the alt text"
    assert (
        'class="nnx-frame" src="data:image/png;base64,' in page
        and 'alt="" aria-hidden="true"' in page
    )
    live = explorer.live(scale=2.0)
    background = decode(background.group(1)).convert("RGBA")
    assert background.size == (360, 240)  # 2× pixels, as the whole frames
    for state in explorer.states():
        layer = decode(spec["frames"][explorer.states().index(state)]).convert("RGBA")
        alpha = np.asarray(layer)[..., 3]
        assert (alpha == 0).mean() > 0.5, "a layer is mostly transparent"
        shown = np.asarray(Image.alpha_composite(background, layer))[..., :3].astype(int)
        expected = live.pixels(**explorer.values_of(state)).astype(int)
        # the layers are quantized to 48 colours: only antialiased edges may differ, and not by much
        assert (np.abs(shown - expected).max(axis=-1) > 40).mean() < 0.01, explorer.values_of(state)


def test_layers_weigh_less_than_whole_frames():
    with_update = Explorer(draw_curve, CONTROLS, update=update_curve, figsize=(4, 3), dpi=60)
    without = Explorer(draw_curve, CONTROLS, figsize=(4, 3), dpi=60)
    # whole frames map most pixels to exact kept colours, so they compress well too: a third saved
    assert len(with_update.static_html()) < 2 / 3 * len(without.static_html())


def test_overlay_needs_update():
    with pytest.raises(ValueError, match="overlay needs an explorer with update="):
        Explorer(draw, CONTROLS).live().overlay()


def test_moving_the_step_slider_moves_the_play_control_so_play_continues_from_there():
    ipywidgets = pytest.importorskip("ipywidgets")
    explorer = Explorer(
        lambda fig, step: fig.subplots().set_title(f"step {step}"),
        [Play("step", "step", [0, 10, 20, 30])],
        figsize=(3, 2),
        dpi=60,
    )
    player, slider = explorer.widget().children[0].children
    assert isinstance(player, ipywidgets.Play) and player.value == slider.index == 0
    slider.value = 20
    assert player.value == 2  # ▶ continues from step 20 instead of restarting at 0
    player.value = 3
    assert slider.value == 30


def test_an_unknown_control_kind_is_named():
    from nnmath.explore.static import control_html
    from nnmath.explore.widget import control_widget

    class Knob:
        pass

    with pytest.raises(TypeError, match="no HTML for a control of type Knob"):
        control_html(Knob(), 0, "knob")
    with pytest.raises(TypeError, match="no widget for a control of type Knob"):
        control_widget(Knob())


def test_the_page_script_is_the_readable_file_without_comments_or_layout():
    from importlib.resources import files

    from nnmath.explore.static import page_script

    source = files("nnmath.explore").joinpath("explorer.js").read_text()
    code = "\n".join(line for line in source.splitlines() if not line.strip().startswith("//"))
    script = page_script()
    assert source.count("//") > 20 and "\n" not in script and "//" not in script
    # every string literal survives as written; only comments and layout go
    for literal in re.findall(r"'[^']*'", code):
        assert literal in script
    assert re.sub(r"\s", "", script) == re.sub(r"\s", "", code)
    assert script.startswith("(function(id){") and script.endswith("})")
    page = Explorer(
        draw, [Slider("a", "a", [1.0])], figsize=(2, 1), dpi=30, name="x1"
    ).static_html()
    assert (
        f'<script>{script}("x1");</script>' in page and "#x1 .nnx-stack{position:relative}" in page
    )
    assert "/*" not in page and "$" not in page


def test_an_installed_nnmath_ships_the_page_script_and_style(tmp_path):
    """A wheel (not the editable checkout) carries explorer.js and explorer.css as package data."""
    import shutil
    import subprocess
    import sys
    import zipfile
    from pathlib import Path

    pytest.importorskip("setuptools")  # the wheel is built offline, with the installed setuptools
    root = Path(__file__).parents[1]
    source = tmp_path / "source"
    shutil.copytree(
        root / "nnmath", source / "nnmath", ignore=shutil.ignore_patterns("__pycache__")
    )
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(root / name, source / name)
    built = subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            str(source),
            "--no-deps",
            "--no-build-isolation",
            "--no-index",
            "--quiet",
            "--wheel-dir",
            str(tmp_path / "wheels"),
        ],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert built.returncode == 0, built.stderr[-3000:]
    (wheel,) = (tmp_path / "wheels").glob("nnmath-*.whl")
    site = tmp_path / "site"
    zipfile.ZipFile(wheel).extractall(site)  # what pip install puts in site-packages
    check = (
        "import nnmath.explore, nnmath.explore.static as s; from importlib.resources import files; "
        "print(nnmath.explore.__file__); print(files('nnmath.explore').joinpath('explorer.js').is_file(), "
        "len(s.page_script()) > 1000, '.nnx-stack' in s.page_style().template)"
    )
    run = subprocess.run(
        [sys.executable, "-c", check],
        env={"PYTHONPATH": str(site), "PATH": ""},
        capture_output=True,
        text=True,
        timeout=120,
        cwd=tmp_path,
    )
    assert run.returncode == 0, run.stderr[-3000:]
    location, found = run.stdout.splitlines()
    assert location.startswith(str(site)) and found == "True True True"


def test_page_images_keep_the_okabe_ito_colours_exactly():
    """A legend swatch is a few pixels among many colours: a median-cut palette alone averaged it
    away (orange came out brown), so the legend no longer matched the curves laid over it."""
    from PIL import Image

    from nnmath.explore.images import OKABE_ITO, page_png
    from nnmath.plots import ROLE_COLORS

    ramp = np.linspace(0, 255, 240)
    pixels = np.stack(
        np.broadcast_arrays(ramp[:, None], ramp[None, :], 128 + 0 * ramp[None, :]), -1
    )
    pixels = pixels.astype(
        np.uint8
    )  # a smooth field of thousands of colours, as a shaded background
    swatches = [
        tuple(int(c[k : k + 2], 16) for k in (1, 3, 5)) for c in (*OKABE_ITO, *ROLE_COLORS.values())
    ]
    for k, colour in enumerate(swatches):
        pixels[10:14, 10 + 6 * k : 14 + 6 * k] = colour  # 4×4 swatches, like a legend's line sample
    shown = np.asarray(decode(page_png(Image.fromarray(pixels))).convert("RGB"))
    for k, colour in enumerate(swatches):
        assert (shown[10:14, 10 + 6 * k : 14 + 6 * k] == colour).all(), colour
    # the rest keeps its adaptive palette: close to the original everywhere
    assert np.abs(shown.astype(int) - pixels).max() <= 40


def describe_curve(a, kind="sin", step=0):
    return f"A {kind} curve at rate {a}, shifted by {step} <&>."


def test_static_form_carries_every_state_description_in_a_live_region_read_once():
    explorer = Explorer(
        draw,
        [Slider("a", "rate a", [0.5, 1.0], default=1.0), Choice("kind", "curve", ["sin", "cos"])],
        describe=describe_curve,
        figsize=(3, 2),
        dpi=40,
        alt="Two curves & a rate",
    )
    page = explorer.static_html()
    spec = spec_of(page)
    # one sentence per frame, in frame order (last control fastest)
    assert spec["descriptions"] == [
        describe_curve(a, k) for a in (0.5, 1.0) for k in ("sin", "cos")
    ]
    shown = "A sin curve at rate 1.0, shifted by 0 &lt;&amp;&gt;."
    assert f'<p class="nnx-description" aria-live="polite">{shown}</p>' in page
    # the picture's alt text is short and points at the sentence: were it the sentence, a screen
    # reader would read each state twice (the image, then the paragraph)
    assert page.count(shown) == 1, "the description is on the page once"
    assert f'alt="{PICTURE_ALT}"' in page and "described below" in PICTURE_ALT
    # the figure is named by a caption: the explorer's alt text
    assert "<figcaption" in page and ">Two curves &amp; a rate</figcaption>" in page
    assert page.index("<figcaption") > page.index(
        'class="nnx-controls"'
    ) and page.rstrip().endswith("</figure>")


def test_layered_static_form_puts_the_short_alt_text_on_the_background_image():
    explorer = Explorer(
        draw_curve,
        CONTROLS,
        update=update_curve,
        describe=lambda a, kind: f"{kind} at {a}.",
        figsize=(3, 2),
        dpi=40,
    )
    page = explorer.static_html()
    background = re.search(r'<img class="nnx-background"[^>]*>', page).group(0)
    frame = re.search(r'<img class="nnx-frame"[^>]*>', page).group(0)
    default = explorer.state()
    assert f'alt="{PICTURE_ALT}"' in background
    assert f'"nnx-description" aria-live="polite">{default["kind"]} at {default["a"]}.<' in page
    assert 'alt=""' in frame and 'aria-hidden="true"' in frame


def test_static_form_keeps_its_smallest_text_legible_on_a_phone():
    """Below 600 px the picture keeps the width at which its smallest text (here the 8 pt tick
    labels) is PHONE_TEXT_PX, and scrolls in its own box; shrunk to a phone's column it would be
    about 4 px."""
    from nnmath.plots import PHONE_TEXT_PX

    def small_ticks(fig, a, kind="sin"):
        artists = draw_curve(fig, a, kind)
        fig.axes[0].tick_params(labelsize=8)
        return artists

    explorer = Explorer(
        small_ticks, CONTROLS, update=update_curve, figsize=(8, 3), dpi=90, alt="curves"
    )
    page = explorer.static_html()
    text_px = float(re.search(r'<div class="nnx-view" data-text-px="([\d.]+)">', page)[1])
    assert text_px == 10.0  # 8 pt at 90 dpi
    rule = re.search(
        r"@media \(max-width:600px\)\{#(\S+) \.nnx-view\{overflow-x:auto;[^}]*\}"
        r"#\1 \.nnx-view>img,#\1 \.nnx-stack\{min-width:(\d+)px\}\}",
        page,
    )
    assert rule, "no phone rule"
    legible = int(rule[2])
    # 10 px at full width: never narrower than full width
    assert legible == explorer.width_px and text_px < PHONE_TEXT_PX
    # 10 pt ticks (12.5 px at full width): 11 px at 634 of 720 px. The size is set here: another
    # test may have left matplotlib's rcParams at the book's 11 pt
    import matplotlib

    with matplotlib.rc_context({"font.size": 10, "xtick.labelsize": 10, "ytick.labelsize": 10}):
        page = Explorer(
            draw_curve, CONTROLS, update=update_curve, figsize=(8, 3), dpi=90, alt="curves"
        ).static_html()
    assert 'data-text-px="12.5"' in page and "min-width:634px" in page


def test_without_describe_every_state_says_the_alt_text():
    explorer = Explorer(draw, [Slider("a", "a", [0.5, 1.0])], figsize=(3, 2), dpi=40, alt="curves")
    assert spec_of(explorer.static_html())["descriptions"] == ["curves", "curves"]


def test_describe_must_be_a_function_returning_a_sentence():
    with pytest.raises(TypeError, match="describe must be a function"):
        Explorer(draw, [Slider("a", "a", [1.0])], describe="a curve")
    explorer = Explorer(draw, [Slider("a", "a", [1.0])], describe=lambda a: "  ")
    with pytest.raises(ValueError, match="must return a sentence"):
        explorer.description()


def test_live_form_shows_the_description_under_the_picture():
    ipywidgets = pytest.importorskip("ipywidgets")
    explorer = Explorer(
        draw_curve,
        CONTROLS,
        update=update_curve,
        describe=lambda a, kind: f"{kind} at {a} <",
        figsize=(3, 2),
        dpi=40,
        alt="curves",
    )
    box = explorer.widget()
    texts = [w for w in box.children if isinstance(w, ipywidgets.HTML)]
    description = texts[0]
    image = next(w for w in box.children if isinstance(w, ipywidgets.Image))
    assert box.children.index(description) > box.children.index(image)
    default = explorer.state()
    assert (
        description.value == f'<p aria-live="polite">{default["kind"]} at {default["a"]} &lt;</p>'
    )
    radio = next(w for w in box.children if isinstance(w, ipywidgets.RadioButtons))
    other = next(v for _, v in radio.options if v != radio.value)
    radio.value = other
    assert f"{other} at {default['a']}" in description.value
    assert any("curves" in w.value for w in texts[1:])  # its caption
