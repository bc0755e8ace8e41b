"""The review: report text with evidence beside an editable form, plus an overview grid."""
from gui.review.shortcuts import ShortcutDialog
from gui.review.view import ReviewView

__all__ = ["ReviewView", "ShortcutDialog"]
