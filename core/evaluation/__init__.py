"""Evaluation: DRAGON-compatible scoring, per-field metrics and gold-label import.

Pure Python (no Qt).  scikit-learn and seqeval are imported lazily.
"""
from core.evaluation.dragon import evaluate_dragon, score_rsmape, score_task
from core.evaluation.dragon_tasks import (
    SPECS as DRAGON_TASKS,
    dragon_config,
    gold_from_ground_truth,
    load_dragon_task,
    prediction_from_values,
    predictions_from_values,
    spans_to_tags,
    tags_to_spans,
    values_from_label,
    write_predictions,
)
from core.evaluation.gold import GoldImportError, align_gold_ids, coerce_value, load_gold, read_table
from core.evaluation.metrics import FieldMetrics, evaluate_field, evaluate_task, normalise_text

__all__ = [
    "DRAGON_TASKS", "FieldMetrics", "GoldImportError", "align_gold_ids", "coerce_value", "dragon_config",
    "evaluate_dragon", "evaluate_field", "evaluate_task", "gold_from_ground_truth", "load_dragon_task",
    "load_gold", "normalise_text", "prediction_from_values", "predictions_from_values", "read_table",
    "score_rsmape", "score_task", "spans_to_tags", "tags_to_spans", "values_from_label", "write_predictions",
]
