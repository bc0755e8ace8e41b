"""Colours: one per field for evidence highlights, colour-blind safe.

Field highlights use Paul Tol's "light" scheme (https://personal.sron.nl/~pault/, the
scheme meant for filled cells with black text on them), pale grey left out: its colours
stay apart under protanopia, deuteranopia and tritanopia, which the former tints of
Okabe–Ito did not (pale yellow, orange and sky blue merged for a deuteranope).  The text
stays black on them; the underline uses a darker shade of the same colour.
"""
from __future__ import annotations

from PySide6.QtGui import QColor

TOL_LIGHT = ["#77AADD", "#EE8866", "#EEDD88", "#FFAABB", "#99DDFF", "#44BB99", "#BBCC33", "#AAAA00"]
LOW_CONFIDENCE = QColor("#D55E00")    # vermillion (Okabe–Ito)
OK_CONFIDENCE = QColor("#0072B2")     # blue (Okabe–Ito)
CORRECTED = QColor("#6a3d9a")
MISMATCH = QColor("#B8860B")          # the "evidence does not show this value" marker's edge


def field_colour(index: int) -> QColor:
    """A field's highlight colour (a background that black text stays readable on)."""
    return QColor(TOL_LIGHT[index % len(TOL_LIGHT)])


def line_colour(colour: QColor) -> QColor:
    """The darker shade of a field colour used for its underline and borders."""
    return colour.darker(170)


def tint(colour: QColor, alpha: float = 0.35) -> QColor:
    """The colour blended on white (opaque, so overlapping highlights stay readable)."""
    r = round(255 + (colour.red() - 255) * alpha)
    g = round(255 + (colour.green() - 255) * alpha)
    b = round(255 + (colour.blue() - 255) * alpha)
    return QColor(r, g, b)
