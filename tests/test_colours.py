"""The six category colours tell apart from each other, in normal vision and with colour-blindness.

Colour is never the only carrier (each kind has an icon too), but pins and chips are
read at a glance: every pair of colours in data/categories differs by at least
``MIN_DISTANCE`` (CIE76 ΔE in CIELAB) as seen with normal vision and as simulated for
deuteranopia, protanopia and tritanopia (Machado, Oliveira and Fernandes 2009,
severity 1.0), and carries white icons and text at 4.5:1 or more.
"""

import itertools
import re

import pytest

from tests.conftest import ROOT

MIN_DISTANCE = 20
# linear-RGB matrices of Machado et al. (2009), severity 1.0
SIMULATIONS = {
    "deuteranopia": ((0.367322, 0.860646, -0.227968), (0.280085, 0.672501, 0.047413),
                     (-0.011820, 0.042940, 0.968881)),
    "protanopia": ((0.152286, 1.052583, -0.204868), (0.114503, 0.786281, 0.099216),
                   (-0.003882, -0.048116, 1.051998)),
    "tritanopia": ((1.255528, -0.076749, -0.178779), (-0.078411, 0.930809, 0.147602),
                   (0.004733, 0.691367, 0.303900)),
}  # fmt: skip


def linear(channel: float) -> float:
    c = channel / 255
    return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4


def lab(rgb: tuple[float, float, float]) -> tuple[float, float, float]:
    """sRGB (0–255, linear values already) to CIELAB under D65."""
    r, g, b = rgb
    x = (0.4124 * r + 0.3576 * g + 0.1805 * b) / 0.95047
    y = 0.2126 * r + 0.7152 * g + 0.0722 * b
    z = (0.0193 * r + 0.1192 * g + 0.9505 * b) / 1.08883

    def f(t: float) -> float:
        return t ** (1 / 3) if t > 0.008856 else 7.787 * t + 16 / 116

    return 116 * f(y) - 16, 500 * (f(x) - f(y)), 200 * (f(y) - f(z))


def seen(hex_colour: str, simulation=None) -> tuple[float, float, float]:
    rgb = tuple(linear(int(hex_colour[i : i + 2], 16)) for i in (1, 3, 5))
    if simulation:
        rgb = tuple(
            min(1.0, max(0.0, sum(m * c for m, c in zip(row, rgb, strict=True))))
            for row in simulation
        )
    return lab(rgb)


def distance(a, b) -> float:
    return sum((p - q) ** 2 for p, q in zip(a, b, strict=True)) ** 0.5


def contrast_with_white(hex_colour: str) -> float:
    r, g, b = (linear(int(hex_colour[i : i + 2], 16)) for i in (1, 3, 5))
    return 1.05 / (0.2126 * r + 0.7152 * g + 0.0722 * b + 0.05)


COLOURS = {
    path.stem: re.search(r'^colour: "(#[0-9A-Fa-f]{6})"', path.read_text(), re.M)[1]
    for path in sorted((ROOT / "data" / "categories").glob("*.md"))
}


@pytest.mark.parametrize("vision", [None, *SIMULATIONS])
def test_every_pair_of_category_colours_tells_apart(vision):
    simulation = SIMULATIONS.get(vision)
    close = [
        (a, b, round(distance(seen(COLOURS[a], simulation), seen(COLOURS[b], simulation)), 1))
        for a, b in itertools.combinations(COLOURS, 2)
    ]
    assert len(COLOURS) == 6
    assert [pair for pair in close if pair[2] < MIN_DISTANCE] == []


def test_white_icons_stand_out_on_every_category_colour():
    assert {k: v for k, v in COLOURS.items() if contrast_with_white(v) < 4.5} == {}


def test_the_old_palette_would_have_failed():
    """The guard can fail: wine and mauve were 15 apart."""
    assert distance(seen("#882255"), seen("#A44A80")) < MIN_DISTANCE
