"""DRAGON benchmark evaluator, numerically identical to the official one.

Reproduces ``DIAGNijmegen/dragon_eval`` (version 0.2.x): for each task and
fold the predictions in ``<predictions_dir>/<task>-fold<k>/nlp-predictions-dataset.json``
are joined on ``uid`` with ``<ground_truth_dir>/<task>.json`` and scored with
the metric of the task type:

* binary classification: ROC AUC, labels of all sub-tasks pooled;
* binary classification, non-shared objective (Task015): mean AUC per label;
* ordinal multi-class: Cohen's kappa, linear weights (labels in sorted order);
* non-ordinal multi-class: Cohen's kappa, unweighted, labels pooled;
* regression: R-SMAPE with a per-task epsilon, pooled, NaN targets ignored;
* single-label NER: seqeval F1, macro average over entity types;
* multi-label NER: seqeval F1 per entity type, weighted by entity support.

Per task: mean and *population* std (``np.std``, ddof=0) over the folds.
Overall: mean of the task means, and mean of the task stds.

The official evaluator loads JSON with ``pandas.read_json``, which turns a
column of numeric-looking strings ("0", "1") into numbers; :func:`_coerce_column`
does the same so that label sorting (which matters for linear kappa) agrees.
"""
from __future__ import annotations

import json
import re
import warnings
from collections.abc import Iterable
from enum import Enum
from pathlib import Path

import numpy as np

from core.evaluation.metrics import rsmape


class EvalType(str, Enum):
    SINGLE_LABEL_NER = "single-label named entity recognition (macro F1)"
    MULTI_LABEL_NER = "multi-label named entity recognition (weighted F1)"
    REGRESSION = "regression (R-SMAPE)"
    BINARY_CLASSIFICATION = "binary classification (AUC)"
    BINARY_CLASSIFICATION_NON_SHARED_TASK = "binary classification, different objective per label (mean AUC)"
    ORDINAL_MULTI_CLASS_CLASSIFICATION = "ordinal multi-class classification (linear Cohen's kappa)"
    NONORDINAL_MULTI_CLASS_CLASSIFICATION = "non-ordinal multi-class classification (unweighted Cohen's kappa)"


_E = EvalType
TASK_TYPE: dict[str, EvalType] = {
    # public synthetic example tasks
    "Task101_Example_sl_bin_clf": _E.BINARY_CLASSIFICATION,
    "Task102_Example_sl_mc_clf": _E.ORDINAL_MULTI_CLASS_CLASSIFICATION,
    "Task103_Example_mednli": _E.ORDINAL_MULTI_CLASS_CLASSIFICATION,
    "Task104_Example_ml_bin_clf": _E.BINARY_CLASSIFICATION,
    "Task105_Example_ml_mc_clf": _E.NONORDINAL_MULTI_CLASS_CLASSIFICATION,
    "Task106_Example_sl_reg": _E.REGRESSION,
    "Task107_Example_ml_reg": _E.REGRESSION,
    "Task108_Example_sl_ner": _E.SINGLE_LABEL_NER,
    "Task109_Example_ml_ner": _E.MULTI_LABEL_NER,
    # the (hidden) DRAGON benchmark tasks
    "Task001_adhesion_clf": _E.BINARY_CLASSIFICATION,
    "Task002_nodule_clf": _E.BINARY_CLASSIFICATION,
    "Task003_kidney_clf": _E.BINARY_CLASSIFICATION,
    "Task004_skin_case_selection_clf": _E.BINARY_CLASSIFICATION,
    "Task005_recist_timeline_clf": _E.BINARY_CLASSIFICATION,
    "Task006_pathology_tumor_origin_clf": _E.BINARY_CLASSIFICATION,
    "Task007_nodule_diameter_presence_clf": _E.BINARY_CLASSIFICATION,
    "Task008_pdac_size_presence_clf": _E.BINARY_CLASSIFICATION,
    "Task009_pdac_diagnosis_clf": _E.NONORDINAL_MULTI_CLASS_CLASSIFICATION,
    "Task010_prostate_radiology_clf": _E.ORDINAL_MULTI_CLASS_CLASSIFICATION,
    "Task011_prostate_pathology_clf": _E.ORDINAL_MULTI_CLASS_CLASSIFICATION,
    "Task012_pathology_tissue_type_clf": _E.NONORDINAL_MULTI_CLASS_CLASSIFICATION,
    "Task013_pathology_tissue_origin_clf": _E.NONORDINAL_MULTI_CLASS_CLASSIFICATION,
    "Task014_textual_entailment_clf": _E.ORDINAL_MULTI_CLASS_CLASSIFICATION,
    "Task015_colon_pathology_clf": _E.BINARY_CLASSIFICATION_NON_SHARED_TASK,
    "Task016_recist_lesion_size_presence_clf": _E.BINARY_CLASSIFICATION,
    "Task017_pdac_attributes_clf": _E.NONORDINAL_MULTI_CLASS_CLASSIFICATION,
    "Task018_osteoarthritis_clf": _E.NONORDINAL_MULTI_CLASS_CLASSIFICATION,
    "Task019_prostate_volume_reg": _E.REGRESSION,
    "Task020_psa_reg": _E.REGRESSION,
    "Task021_psad_reg": _E.REGRESSION,
    "Task022_pdac_size_reg": _E.REGRESSION,
    "Task023_nodule_diameter_reg": _E.REGRESSION,
    "Task024_recist_lesion_size_reg": _E.REGRESSION,
    "Task025_anonymisation_ner": _E.SINGLE_LABEL_NER,
    "Task026_medical_terminology_ner": _E.SINGLE_LABEL_NER,
    "Task027_prostate_biopsy_ner": _E.MULTI_LABEL_NER,
    "Task028_skin_pathology_ner": _E.MULTI_LABEL_NER,
}

RSMAPE_EPSILON: dict[str, float] = {
    "Task106_Example_sl_reg": 4,
    "Task107_Example_ml_reg": 4,
    "Task019_prostate_volume_reg": 4,
    "Task020_psa_reg": 0.4,
    "Task021_psad_reg": 0.04,
    "Task022_pdac_size_reg": 4,
    "Task023_nodule_diameter_reg": 4,
    "Task024_recist_lesion_size_reg": 4,
}

FOLDS = range(5)


# ---------------------------------------------------------------------------
# metrics
# ---------------------------------------------------------------------------
def score_rsmape(y_true, y_pred, epsilon: float, ignore_missing_targets: bool = True) -> float:
    """R-SMAPE = 1 - mean(|y - p| / (|y| + |p| + eps)); NaN targets dropped if asked."""
    y_true = np.asarray(y_true, dtype=float).ravel()
    y_pred = np.asarray(y_pred, dtype=float).ravel()
    if ignore_missing_targets:
        mask = ~np.isnan(y_true)
        y_true, y_pred = y_true[mask], y_pred[mask]
    score = rsmape(y_true.tolist(), y_pred.tolist(), eps=epsilon)
    return float("nan") if score is None else score


def _select_entity_labels(labels: list[list[str]], entity_lbl: str) -> list[str]:
    # Official semantics: substring match, first matching tag of each word wins.
    picked = [[lbl for lbl in word if entity_lbl in lbl] for word in labels]
    return [(word[0] if word else "O") for word in picked]


def score_multi_label_f1(y_true: list, y_pred: list, average: str = "weighted", out_label: str = "O") -> float:
    """Multi-label NER: seqeval F1 per entity type, then (support-)weighted or macro mean."""
    from seqeval.metrics import f1_score
    from seqeval.metrics.sequence_labeling import get_entities

    tags = {lbl for doc in y_true for word in doc for lbl in word}
    label_values = sorted({re.sub(r"^[BI]-", "", lbl) for lbl in tags if lbl != out_label})
    scores, supports = [], []
    for entity in label_values:
        t = [_select_entity_labels(doc, entity) for doc in y_true]
        p = [_select_entity_labels(doc, entity) for doc in y_pred]
        supports.append(len(get_entities(t)))
        scores.append(f1_score(y_true=t, y_pred=p, average=average))
    if average == "macro":
        return float(np.mean(scores))
    if average == "weighted":
        return float(np.average(scores, weights=supports))
    raise ValueError(f"Unsupported average: {average}")


def _flatten(values: list) -> list:
    out = []
    for v in values:
        if isinstance(v, (list, tuple)):
            out.extend(_flatten(list(v)))
        else:
            out.append(v)
    return out


def _explode(values: list) -> list:
    """One level of pandas ``Series.explode`` (an empty list becomes a NaN)."""
    out: list = []
    for v in values:
        if isinstance(v, (list, tuple)):
            out.extend(v if len(v) else [None])
        else:
            out.append(v)
    return out


def _as_float(v) -> float:
    return float("nan") if v is None else float(v)


def score_task(task_name: str, y_true: list, y_pred: list) -> float:
    """Score one fold of one task (rows already aligned by uid)."""
    from sklearn.metrics import cohen_kappa_score, roc_auc_score

    kind = TASK_TYPE[task_name]
    if kind == _E.ORDINAL_MULTI_CLASS_CLASSIFICATION:
        return float(cohen_kappa_score(y_true, y_pred, weights="linear"))
    if kind == _E.NONORDINAL_MULTI_CLASS_CLASSIFICATION:
        return float(cohen_kappa_score(_explode(y_true), _explode(y_pred), weights=None))
    if kind == _E.BINARY_CLASSIFICATION:
        t = np.asarray([int(v) for v in _flatten(y_true)])
        p = np.asarray([_as_float(v) for v in _flatten(y_pred)])
        return float(roc_auc_score(t, p))
    if kind == _E.BINARY_CLASSIFICATION_NON_SHARED_TASK:
        n = len(y_true[0])
        return float(np.mean([
            roc_auc_score([row[i] for row in y_true], [row[i] for row in y_pred]) for i in range(n)
        ]))
    if kind == _E.REGRESSION:
        targets = [_as_float(v) for v in _explode(y_true)]
        predictions = [_as_float(v) for v in _explode(y_pred)]
        return score_rsmape(targets, predictions, epsilon=RSMAPE_EPSILON[task_name], ignore_missing_targets=True)
    if kind == _E.SINGLE_LABEL_NER:
        from seqeval.metrics import f1_score

        return float(f1_score(y_true=y_true, y_pred=y_pred, average="macro"))
    if kind == _E.MULTI_LABEL_NER:
        return score_multi_label_f1(y_true, y_pred, average="weighted")
    raise ValueError(f"Unexpected task: {task_name}")


# ---------------------------------------------------------------------------
# loading
# ---------------------------------------------------------------------------
def _coerce_column(values: list) -> list:
    """Mimic ``pandas.read_json`` dtype inference for a column of scalars.

    Strings that all parse as numbers become floats, and floats that are all
    whole become ints.  Columns holding lists, booleans or None are left alone.
    """
    if not values or any(v is None or isinstance(v, (bool, list, dict)) for v in values):
        return values
    try:
        nums = [float(v) for v in values]
    except (TypeError, ValueError):
        return values
    if all(n.is_integer() for n in nums):
        return [int(n) for n in nums]
    return nums


def _read_records(path: Path) -> list[dict]:
    with open(path, encoding="utf-8") as fh:
        data = json.load(fh)
    if not isinstance(data, list):
        raise ValueError(f"{path}: expected a JSON list of records")
    return data


def _label_column(records: list[dict], path: Path) -> str:
    cols = [c for c in records[0] if c.endswith("_target")] if records else []
    if not cols:
        raise ValueError(f"{path}: no '*_target' column in the ground truth")
    return cols[0]


def load_fold(task_name: str, fold: int, predictions_dir: Path, ground_truth_dir: Path) -> tuple[list, list, list[str]]:
    """Return (y_true, y_pred, uids) aligned on uid, sorted by uid."""
    gt_path = Path(ground_truth_dir) / f"{task_name}.json"
    pred_path = Path(predictions_dir) / f"{task_name}-fold{fold}" / "nlp-predictions-dataset.json"
    gt, pred = _read_records(gt_path), _read_records(pred_path)
    label = _label_column(gt, gt_path)
    pred_col = label[: -len("_target")]
    gt_by = {str(r["uid"]): r.get(label) for r in gt}
    try:
        pred_by = {str(r["uid"]): r[pred_col] for r in pred}
    except KeyError:
        raise ValueError(f"Could not find prediction column '{pred_col}' in {pred_path}") from None
    missing = sorted(set(gt_by) - set(pred_by))
    extra = sorted(set(pred_by) - set(gt_by))
    if missing:
        raise ValueError(f"{pred_path}: predictions missing for {len(missing)} cases, e.g. {missing[:3]}")
    if extra:
        raise ValueError(f"{pred_path}: {len(extra)} predictions for unknown cases, e.g. {extra[:3]}")
    uids = sorted(gt_by)
    y_true = _coerce_column([gt_by[u] for u in uids])
    y_pred = _coerce_column([pred_by[u] for u in uids])
    return y_true, y_pred, uids


def _resolve_tasks(ground_truth_dir: Path, task_names: Iterable[str] | None) -> list[str]:
    if task_names is None:
        tasks = sorted(p.stem for p in ground_truth_dir.glob("*.json"))
        if not tasks:
            raise ValueError(f"No tasks found in {ground_truth_dir}")
        return tasks
    out = []
    for name in task_names:
        if (ground_truth_dir / f"{name}.json").exists():
            out.append(name)
            continue
        found = [p.stem for p in ground_truth_dir.glob(f"*{name}*.json")]
        if len(found) != 1:
            raise ValueError(f"Task '{name}' matches {len(found)} ground-truth files: {found}")
        out.append(found[0])
    if len(set(out)) != len(out):
        raise ValueError(f"Duplicate tasks: {out}")
    return out


def aggregate(case: dict[str, dict[str, float]]) -> dict[str, dict[str, float]]:
    """Per task mean and population std over folds; overall mean of means and of stds."""
    agg = {t: {"mean": float(np.mean(list(s.values()))), "std": float(np.std(list(s.values())))}
           for t, s in case.items()}
    agg["overall"] = {
        "mean": float(np.mean([a["mean"] for a in agg.values()])),
        "std": float(np.mean([a["std"] for a in agg.values()])),
    }
    return agg


def evaluate_dragon(predictions_dir, ground_truth_dir, task_names=None, folds: Iterable[int] = FOLDS) -> dict:
    """Evaluate DRAGON predictions; returns ``{"case": ..., "aggregates": ...}``.

    ``case[task][f"{task}-fold{k}"]`` is the fold score; ``aggregates[task]``
    and ``aggregates["overall"]`` hold ``mean`` and ``std``.
    """
    predictions_dir, ground_truth_dir = Path(predictions_dir), Path(ground_truth_dir)
    case: dict[str, dict[str, float]] = {}
    for task in _resolve_tasks(ground_truth_dir, task_names):
        if task not in TASK_TYPE:
            raise ValueError(f"Unknown DRAGON task type for '{task}'")
        for fold in folds:
            y_true, y_pred, _ = load_fold(task, fold, predictions_dir, ground_truth_dir)
            with warnings.catch_warnings():  # seqeval/sklearn "ill-defined" warnings
                warnings.simplefilter("ignore")
                score = score_task(task, y_true, y_pred)
            case.setdefault(task, {})[f"{task}-fold{fold}"] = score
    return {"case": case, "aggregates": aggregate(case)}
