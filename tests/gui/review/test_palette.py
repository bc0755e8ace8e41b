"""Field colours stay apart for colour-blind readers (simulated protan-, deuteran-, tritanopia)."""
from __future__ import annotations

import itertools
import math

from gui.review.palette import field_colour

# Machado, Oliveira & Fernandes (2009), severity 1.0, on linear RGB
CVD = {
    "normal": ((1, 0, 0), (0, 1, 0), (0, 0, 1)),
    "protanopia": ((0.152286, 1.052583, -0.204868), (0.114503, 0.786281, 0.099216), (-0.003882, -0.048116, 1.051998)),
    "deuteranopia": ((0.367322, 0.860646, -0.227968), (0.280085, 0.672501, 0.047413), (-0.011820, 0.042940, 0.968881)),
    "tritanopia": ((1.255528, -0.076749, -0.178779), (-0.078411, 0.930809, 0.147602), (0.004733, 0.691367, 0.303900)),
}
MIN_DELTA_E = 10.0     # CIE76; below about 10 two pale highlights read as the same colour


def _lin(c: float) -> float:
    c /= 255
    return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4


def _lab(rgb) -> tuple[float, float, float]:
    r, g, b = rgb
    x = (0.4124 * r + 0.3576 * g + 0.1805 * b) / 0.95047
    y = 0.2126 * r + 0.7152 * g + 0.0722 * b
    z = (0.0193 * r + 0.1192 * g + 0.9505 * b) / 1.08883
    f = [t ** (1 / 3) if t > (6 / 29) ** 3 else t / (3 * (6 / 29) ** 2) + 4 / 29 for t in (x, y, z)]
    return 116 * f[1] - 16, 500 * (f[0] - f[1]), 200 * (f[1] - f[2])


def _seen(colour, matrix) -> tuple[float, float, float]:
    lin = [_lin(colour.red()), _lin(colour.green()), _lin(colour.blue())]
    return _lab([min(1.0, max(0.0, sum(m * v for m, v in zip(row, lin)))) for row in matrix])


def test_eight_field_colours_stay_distinguishable_for_colour_blind_readers():
    colours = [field_colour(i) for i in range(8)]
    for name, matrix in CVD.items():
        labs = [_seen(c, matrix) for c in colours]
        closest = min(math.dist(a, b) for a, b in itertools.combinations(labs, 2))
        assert closest >= MIN_DELTA_E, f"{name}: two field colours differ by only ΔE {closest:.1f}"


def test_highlights_stand_out_from_the_page():
    white = _lab((1.0, 1.0, 1.0))
    for i in range(8):
        assert math.dist(_lab([_lin(v) for v in field_colour(i).getRgb()[:3]]), white) >= 25
