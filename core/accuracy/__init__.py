"""Extraction accuracy: labelled sets, prompt variants and scoring (``abstractor accuracy``).

>>> from core.accuracy import demo_set, measure, variants
>>> results = measure([demo_set()], variants(["reference", "default"]), model_path)

See docs/accuracy.md for the measured tables and the commands that made them.
"""
from core.accuracy.runner import Answer, SetResult, measure
from core.accuracy.score import NUMBER_OUTCOMES, dragon_score, number_outcome, same
from core.accuracy.sets import LabelledSet, SetError, demo_set, dragon_set, dragon_sets, folder_set, quick_sets
from core.accuracy.variants import DEFAULT_VARIANTS, QUICK_VARIANTS, VARIANTS, Variant, variants

__all__ = [
    "Answer", "DEFAULT_VARIANTS", "LabelledSet", "NUMBER_OUTCOMES", "QUICK_VARIANTS", "SetError", "SetResult",
    "VARIANTS", "Variant", "demo_set", "dragon_score", "dragon_set", "dragon_sets", "folder_set", "measure",
    "number_outcome", "quick_sets", "same", "variants",
]
