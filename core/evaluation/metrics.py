"""Per-field agreement between Abstractor's answers and gold labels.

Counting rules: one rule for every field type and every metric (:data:`COUNTING_RULES`
in :mod:`core.evaluation.wording` says it in plain words for the app, the Excel sheet and the CLI).

* An empty gold label means the report does not state the value.  A report counts
  (``n_scored``) when its gold label or its answer has a value; where both are empty
  there is nothing to score.
* A missing answer (no value, or a report that failed or was not run) where the gold
  label has a value is wrong.  An answer where the gold label is empty is wrong too: the
  model invented it (``n_pred_when_gold_missing``).
* So every rate (accuracy, exact and loose match, within tolerance, exact set match) is
  out of ``n_scored``.  Kappa and the confusion matrix have an "(empty)" category on both
  sides.  Sensitivity and specificity are out of the gold-yes and gold-no reports (a
  missing answer is wrong).  AUC gives a missing answer the uninformative score 0.5.
  R-SMAPE counts a missing or invented number as the largest error (1).  Sets: a missing
  answer is the empty set, an empty gold label too (invented items are false positives).
  Only the mean error cannot measure a distance to nothing: it is over the ``n_compared``
  reports where both have a number, and says so.

Numbers: R-SMAPE = 1 - mean(|g - p| / (|g| + |p| + eps)) with ``eps = 0`` by
default, and a term of 0 when ``g == p == 0`` (the 0/0 guard); pass ``eps``
(DRAGON uses 4 for sizes in mm) to damp small values.  A prediction is within
tolerance if ``|p - g| <= max(rel_tol * |g|, abs_tol)`` (default 5 %, 0).

Metric values are ``None`` where undefined (no scored reports, one class).
"""
from __future__ import annotations

import math
import re
import unicodedata
from dataclasses import asdict, dataclass, field as dc_field
from typing import Any

from core.evaluation.gold import coerce_value
from core.task import Field, FieldType, Task

EMPTY_LABEL = "(empty)"


@dataclass
class FieldMetrics:
    path: str
    label: str
    type: str
    n_reports: int = 0
    n_gold: int = 0
    n_gold_missing: int = 0
    n_pred_missing: int = 0
    n_pred_when_gold_missing: int = 0
    n_compared: int = 0
    n_scored: int = 0                      # gold or answer has a value: what every rate is out of
    unit: str = ""                         # numbers: the unit of the mean error
    metrics: dict[str, float | None] = dc_field(default_factory=dict)
    confusion: dict[str, list] | None = None  # {"labels": [...], "matrix": rows=gold, cols=pred}
    disagreements: list[str] = dc_field(default_factory=list)  # report ids (gold present, answer wrong)
    note: str = ""

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)

    def as_rows(self) -> list[dict[str, Any]]:
        """One row per count/metric, for a table: ``{"field", "label", "metric", "value"}``."""
        counts = {k: getattr(self, k) for k in ("n_reports", "n_gold", "n_gold_missing", "n_pred_missing",
                                                 "n_pred_when_gold_missing", "n_compared", "n_scored")}
        return [{"field": self.path, "label": self.label, "metric": k, "value": v}
                for k, v in {**counts, **self.metrics}.items()]


def _nan_to_none(x) -> float | None:
    return None if x is None or (isinstance(x, float) and math.isnan(x)) else float(x)


def normalise_text(s: str) -> str:
    """Casefold, drop punctuation, collapse whitespace."""
    s = unicodedata.normalize("NFKC", str(s)).casefold()
    s = "".join(" " if unicodedata.category(c).startswith("P") else c for c in s)
    return re.sub(r"\s+", " ", s).strip()


def _coerce(field: Field, v: Any) -> Any:
    try:
        return coerce_value(field, v)
    except ValueError:
        if field.type == FieldType.YES_NO or field.type.is_number:
            return None  # unusable answer: counted as missing
        return v  # keep what we got: it simply will not match


def _kappa(gold: list, pred: list, labels: list, linear: bool) -> float | None:
    if not gold:
        return None
    from sklearn.metrics import cohen_kappa_score
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        k = cohen_kappa_score(gold, pred, labels=labels, weights="linear" if linear else None)
    return _nan_to_none(k)


def _confusion(gold: list, pred: list, labels: list) -> dict[str, list]:
    idx = {lab: i for i, lab in enumerate(labels)}
    m = [[0] * len(labels) for _ in labels]
    for g, p in zip(gold, pred):
        m[idx[g]][idx[p]] += 1
    return {"labels": list(labels), "matrix": m}


def rsmape(gold: list[float], pred: list[float], eps: float = 0.0) -> float | None:
    """1 - mean(|g - p| / (|g| + |p| + eps)), a 0/0 term counting as 0; None without pairs.

    The one R-SMAPE: the DRAGON evaluator (``core.evaluation.dragon.score_rsmape``) uses it too.
    """
    if not gold:
        return None
    terms = []
    for g, p in zip(gold, pred):
        den = abs(g) + abs(p) + eps
        terms.append(0.0 if den == 0 else abs(g - p) / den)
    return 1 - sum(terms) / len(terms)


def evaluate_field(field: Field, gold: list, pred: list, confidence: list | None = None, *,
                   report_ids: list[str] | None = None, path: str | None = None,
                   eps: float = 0.0, rel_tol: float = 0.05, abs_tol: float = 0.0) -> FieldMetrics:
    """Compare one field over reports; ``gold[i]``/``pred[i]``/``confidence[i]`` are report i."""
    if len(gold) != len(pred) or (confidence is not None and len(confidence) != len(gold)):
        raise ValueError("gold, pred and confidence must have the same length")
    ids = [str(i) for i in range(len(gold))] if report_ids is None else [str(r) for r in report_ids]
    conf = list(confidence) if confidence is not None else [None] * len(gold)
    t = field.type
    fm = FieldMetrics(path=path or field.key, label=field.title, type=t.value, n_reports=len(gold),
                      unit=field.unit or "")
    if t.has_children:
        fm.note = "Groups are scored per child field; repeating groups are not scored."
        return fm
    is_set = t in (FieldType.MULTI_CHOICE, FieldType.TEXT_LIST)
    rows = []  # (id, gold, pred, conf) where gold or answer has a value; None for an empty side
    for rid, g, p, c in zip(ids, gold, pred, conf):
        g, p = _coerce(field, g), _coerce(field, p)
        if p == [] and not is_set:
            p = None
        answered = p is not None and p != []
        if g is None:
            fm.n_gold_missing += 1
            if not answered:
                continue                      # both empty: nothing to score
            fm.n_pred_when_gold_missing += 1
        elif p is None:
            fm.n_pred_missing += 1
        rows.append((rid, g, p, c))
    fm.n_scored = len(rows)
    fm.n_gold = sum(1 for r in rows if r[1] is not None)
    both = [r for r in rows if r[1] is not None and r[2] is not None]
    fm.n_compared = len(both)
    n = fm.n_scored

    def frac(k: int) -> float | None:
        return k / n if n else None

    if is_set:
        key = normalise_text if t == FieldType.TEXT_LIST else (lambda x: x)
        tp = fp = fn = exact = 0
        for rid, g, p, _ in rows:
            gset, pset = {key(x) for x in (g or [])}, {key(x) for x in (p or [])}
            tp, fp, fn = tp + len(gset & pset), fp + len(pset - gset), fn + len(gset - pset)
            good = g is not None and p is not None and gset == pset
            exact += good
            if not good:
                fm.disagreements.append(rid)
        prec = tp / (tp + fp) if tp + fp else None
        rec = tp / (tp + fn) if tp + fn else None
        f1 = 2 * tp / (2 * tp + fp + fn) if tp + fp + fn else None
        fm.metrics = {"precision": prec, "recall": rec, "f1": f1, "exact_set_match": frac(exact)}
        return fm

    if t.is_number:
        ok = exact = 0
        terms = []
        for rid, g, p, _ in rows:
            if g is None or p is None:        # missing or invented: wrong, the largest R-SMAPE term
                good = False
                terms.append(1.0)
            else:
                g, p = float(g), float(p)
                good = abs(p - g) <= max(rel_tol * abs(g), abs_tol)
                exact += p == g
                den = abs(g) + abs(p) + eps
                terms.append(0.0 if den == 0 else abs(g - p) / den)
            ok += good
            if not good:
                fm.disagreements.append(rid)
        diffs = [abs(float(r[1]) - float(r[2])) for r in both]
        fm.metrics = {
            "accuracy": frac(exact),
            "within_tolerance": frac(ok),
            "mae": sum(diffs) / len(diffs) if diffs else None,
            "rsmape": 1 - sum(terms) / len(terms) if terms else None,
        }
        return fm

    if t == FieldType.TEXT:
        verbatim = [g is not None and p is not None and str(p).strip() == str(g).strip() for _, g, p, _ in rows]
        same = [g is not None and p is not None and normalise_text(p) == normalise_text(g) for _, g, p, _ in rows]
        fm.disagreements = [r[0] for r, s in zip(rows, same) if not s]
        fm.metrics = {"exact_match": frac(sum(verbatim)), "normalised_match": frac(sum(same))}
        return fm

    # yes_no, choice, date: categorical, "(empty)" a category of its own
    fm.disagreements = [r[0] for r in rows if r[1] is None or r[2] is None or r[2] != r[1]]
    fm.metrics = {"accuracy": frac(n - len(fm.disagreements))}
    if t == FieldType.YES_NO:
        def word(v) -> str:
            return EMPTY_LABEL if v is None else "yes" if v else "no"

        gs, ps = [word(r[1]) for r in rows], [word(r[2]) for r in rows]
        pos = [p for g, p in zip(gs, ps) if g == "yes"]
        neg = [p for g, p in zip(gs, ps) if g == "no"]
        labels = ["no", "yes"] + ([EMPTY_LABEL] if EMPTY_LABEL in gs + ps else [])
        fm.metrics.update({
            "sensitivity": pos.count("yes") / len(pos) if pos else None,
            "specificity": neg.count("no") / len(neg) if neg else None,
            "kappa": _kappa(gs, ps, labels, linear=False),
            "auc": _auc([(g, p, c) for _, g, p, c in rows if g is not None]),
        })
        fm.confusion = _confusion(gs, ps, labels)
    elif t == FieldType.CHOICE:
        gs = [EMPTY_LABEL if r[1] is None else str(r[1]) for r in rows]
        ps = [EMPTY_LABEL if r[2] is None else str(r[2]) for r in rows]
        labels = field.option_values()
        labels += sorted({v for v in gs + ps if v != EMPTY_LABEL} - set(labels))
        if EMPTY_LABEL in gs + ps:
            labels.append(EMPTY_LABEL)
        # an ordered scale has no place for "(empty)": weighted kappa only over reports where both have a value
        if field.ordered and EMPTY_LABEL in labels:
            fm.metrics["kappa"] = _kappa(gs, ps, labels, linear=False)
        else:
            fm.metrics["kappa"] = _kappa(gs, ps, labels, linear=field.ordered)
        fm.confusion = _confusion(gs, ps, labels)
    return fm


def _auc(rows: list[tuple[bool, bool | None, float | None]]) -> float | None:
    """ROC AUC of P(yes): confidence of the answer if it is yes, else 1 - confidence; a missing
    answer scores 0.5 (no information).  None when no answer has a confidence."""
    if not any(p is not None and c is not None for _, p, c in rows):
        return None
    scored: list[tuple[bool, float]] = []
    for g, p, c in rows:
        if p is None:
            scored.append((g, 0.5))
        elif c is not None:
            scored.append((g, c if p else 1.0 - c))
    if not scored or len({g for g, _ in scored}) < 2:
        return None
    from sklearn.metrics import roc_auc_score

    return float(roc_auc_score([int(g) for g, _ in scored], [s for _, s in scored]))


def value_at(values: dict | None, path: str) -> Any:
    """Look up a dotted path in nested dicts, or as a flat dotted key."""
    if not values:
        return None
    if path in values:
        return values[path]
    cur: Any = values
    for part in path.split("."):
        if not isinstance(cur, dict) or part not in cur:
            return None
        cur = cur[part]
    return cur


def _leaf_paths(fields: list[Field], prefix: str = ""):
    for f in fields:
        path = prefix + f.key
        if f.type == FieldType.GROUP:
            yield from _leaf_paths(f.fields, path + ".")
        else:
            yield path, f


def evaluate_task(task: Task, gold_by_report: dict[str, dict], pred_by_report: dict[str, dict],
                  conf_by_report: dict[str, dict] | None = None, **options) -> list[FieldMetrics]:
    """Evaluate every field of ``task`` over the reports in ``gold_by_report``.

    Group children are scored as ``group.child``; a repeating group gets one
    entry with a note and no metrics.  ``options`` go to :func:`evaluate_field`.
    """
    ids = sorted(gold_by_report)
    conf_by_report = conf_by_report or {}
    out = []
    for path, f in _leaf_paths(task.fields):
        gold = [value_at(gold_by_report[r], path) for r in ids]
        pred = [value_at(pred_by_report.get(r), path) for r in ids]
        conf = [value_at(conf_by_report.get(r), path) for r in ids]
        fm = evaluate_field(f, gold, pred, conf if conf_by_report else None, report_ids=ids, path=path, **options)
        if f.type == FieldType.GROUP_LIST:
            fm.note = "Repeating groups are not scored yet."
        out.append(fm)
    return out
