"""Colours: one per field for evidence highlights (Okabe–Ito, colour-blind friendly)."""
from __future__ import annotations

from PySide6.QtGui import QColor

# Okabe & Ito (2008); black left out.  Highlights use a light tint of each
# colour as background plus a solid underline in the full colour.
OKABE_ITO = ["#E69F00", "#56B4E9", "#009E73", "#F0E442", "#0072B2", "#D55E00", "#CC79A7"]
LOW_CONFIDENCE = QColor("#D55E00")    # vermillion
OK_CONFIDENCE = QColor("#0072B2")     # blue
CORRECTED = QColor("#6a3d9a")


def field_colour(index: int) -> QColor:
    return QColor(OKABE_ITO[index % len(OKABE_ITO)])


def tint(colour: QColor, alpha: float = 0.35) -> QColor:
    """The colour blended on white (opaque, so overlapping highlights stay readable)."""
    r = round(255 + (colour.red() - 255) * alpha)
    g = round(255 + (colour.green() - 255) * alpha)
    b = round(255 + (colour.blue() - 255) * alpha)
    return QColor(r, g, b)
