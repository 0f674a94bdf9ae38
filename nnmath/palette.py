"""The book's colours: the colour of each role and the text shade of each, with the WCAG contrast
rule they are chosen by. Plain Python, so both leaves that draw (``nnmath.plots`` for figures,
``nnmath.explore`` for the explorers' PNG palette) take them from the core rather than from
each other.

Colours keep one role across the whole book (after the worked-example source: weights red,
biases grey, inputs blue, target orange), drawn from the Okabe–Ito palette so they stay
distinguishable with every common colour-vision deficiency. Lines and outlines use the palette
itself; text uses a darker shade of the same hue (``TEXT_COLORS``) so that every label has a
contrast of at least ``MIN_CONTRAST`` against the white figure face.
"""

from __future__ import annotations

__all__ = [
    "OKABE_ITO",
    "ROLE_COLORS",
    "TEXT_COLORS",
    "MIN_CONTRAST",
    "hex_to_rgb",
    "rgb_to_hex",
    "relative_luminance",
    "text_shade",
]

OKABE_ITO = ("#000000", "#E69F00", "#56B4E9", "#009E73", "#F0E442", "#0072B2", "#D55E00", "#CC79A7")

ROLE_COLORS = {
    "weight": "#D55E00",  # vermillion
    "bias": "#6E6E6E",  # grey
    "input": "#0072B2",  # blue
    "target": "#E69F00",  # orange
    "activation": "#009E73",  # bluish green
    "gradient": "#CC79A7",  # reddish purple
    "text": "#1A1A1A",
}

MIN_CONTRAST = 4.5  # WCAG AA for normal text
WHITE = (1.0, 1.0, 1.0)


def hex_to_rgb(color: str) -> tuple[float, float, float]:
    """``"#RRGGBB"`` as three values in [0, 1]."""
    return tuple(int(color[k : k + 2], 16) / 255 for k in (1, 3, 5))  # type: ignore[return-value]


def rgb_to_hex(rgb) -> str:
    return "#" + "".join(f"{round(255 * v):02x}" for v in rgb)


def relative_luminance(rgb) -> float:
    """WCAG 2.1's relative luminance of an sRGB colour given as three values in [0, 1]."""
    linear = [v / 12.92 if v <= 0.04045 else ((v + 0.055) / 1.055) ** 2.4 for v in rgb]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def _contrast(rgb, background=WHITE) -> float:
    lighter, darker = sorted(
        (relative_luminance(rgb), relative_luminance(background)), reverse=True
    )
    return (lighter + 0.05) / (darker + 0.05)


def text_shade(color: str, background=WHITE) -> str:
    """``color`` darkened towards black just enough to reach MIN_CONTRAST on ``background``
    (three values in [0, 1]): the lightest of 101 even steps from the colour to black."""
    rgb = hex_to_rgb(color)
    for step in range(100, -1, -1):
        shade = [v * step / 100 for v in rgb]
        if _contrast(shade, background) >= MIN_CONTRAST:
            return rgb_to_hex(shade)
    raise ValueError(f"no shade of {color!r} reaches contrast {MIN_CONTRAST}")


TEXT_COLORS = {role: text_shade(color) for role, color in ROLE_COLORS.items()}
