"""The words of an evaluation: the counting rule, each count's name and each metric's explanation.

One set of words for every place that shows scores: the evaluation dialog
(headers and tooltips), the Excel Evaluation sheet (headers and the notes
under the table) and ``abstractor evaluate``.  Change them here only.
"""
from __future__ import annotations

COUNTING_RULES = (
    "How reports are counted (the same for every metric): a report counts when its gold label or the "
    "model's answer has a value. A missing answer (also a failed or not-run report) where the gold label has "
    "a value is wrong; an answer where the gold label is empty is wrong too (an invented value). Reports "
    "where both are empty are left out. Kappa and the confusion matrix show such cases as \"(empty)\"; "
    "R-SMAPE counts them as the largest error. Only the mean error is over the reports where both give a "
    "number, because there is no distance to a missing number.")

# FieldMetrics attribute -> (name, what it counts); the order is the column order
COUNTS: dict[str, tuple[str, str]] = {
    "n_reports": ("Reports", "Reports with a row in the gold labels: the reports evaluated."),
    "n_scored": ("Scored",
                 "Reports whose gold label or answer has a value: every rate is out of these (both empty: left out)."),
    "n_gold": ("Gold labels", "Reports with a gold label for this field."),
    "n_gold_missing": ("Gold label missing", "Reports whose gold label for this field is empty."),
    "n_pred_missing": ("Answer missing",
                       "Reports with a gold label but no answer (also failed or not-run reports): wrong in every "
                       "metric."),
    "n_pred_when_gold_missing": ("Invented",
                                 "Reports whose gold label is empty but the model gave a value: wrong in every "
                                 "metric."),
    "n_compared": ("Compared", "Reports where both the gold label and the answer have a value."),
}

METRIC_HELP: dict[str, str] = {
    "accuracy": "Share of scored reports where the answer equals the gold label (missing or invented: wrong).",
    "sensitivity": "Of the reports whose gold label is yes, the share answered yes (a missing answer is wrong).",
    "specificity": "Of the reports whose gold label is no, the share answered no (a missing answer is wrong).",
    "kappa": "Agreement beyond chance (Cohen's kappa): 1 is perfect, 0 is no better than chance. "
             "A missing or invented answer counts as the category “(empty)”.",
    "auc": "How well the model's confidence separates yes from no (area under the ROC curve); "
           "a missing answer scores 0.5, no information.",
    "within_tolerance": "Share of scored reports whose number is within 5 % of the gold value "
                        "(missing or invented: wrong).",
    "mae": "Mean absolute difference from the gold value, in the field's unit, over the reports where both "
           "give a number (there is no distance to a missing number; those are counted as wrong elsewhere).",
    "rsmape": "How close the numbers are, from 0 to 1 (R-SMAPE, as in DRAGON). For each report: the difference "
              "divided by the sum of both numbers; 1 minus the average of that. 1 means every number is exact; "
              "0.9 means the numbers are off by about a tenth of their size on average. A missing or "
              "invented number counts as fully wrong (0 for that report).",
    "exact_match": "Share of scored reports whose answer is exactly the gold text (missing or invented: wrong).",
    "normalised_match": "Share of scored reports whose answer equals the gold text, ignoring case, punctuation "
                        "and spacing (missing or invented: wrong).",
    "precision": "Of the options or items answered, the share that are in the gold label (items answered where "
                 "the gold label is empty are wrong).",
    "recall": "Of the options or items in the gold label, the share that were answered.",
    "f1": "The balance of precision and recall (F1 score).",
    "exact_set_match": "Share of scored reports where the chosen options or items are exactly the gold ones.",
}


def count_name(attr: str) -> str:
    return COUNTS[attr][0]


def count_help(attr: str) -> str:
    return COUNTS[attr][1]


def sentences(text: str) -> list[str]:
    """*text* split after each full stop (for a sheet: one sentence a row)."""
    out, start = [], 0
    for i, ch in enumerate(text):
        if ch == "." and (i + 1 == len(text) or text[i + 1] == " "):
            out.append(text[start:i + 1].strip())
            start = i + 1
    rest = text[start:].strip()
    return out + ([rest] if rest else [])
