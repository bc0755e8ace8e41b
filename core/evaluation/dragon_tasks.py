"""Abstractor tasks for the public DRAGON synthetic tasks, and format conversion.

Each synthetic task ``Task1xx_*`` has a bundled Abstractor task in
``resources/tasks/dragon/<name>.json`` and a :class:`DragonTaskSpec` that says
how the task's fields map onto the DRAGON label:

* ``binary`` / ``multi_binary``: yes_no field(s) -> probability (list);
* ``class`` / ``multi_class``: choice field(s) -> label (list);
* ``regression`` / ``multi_regression``: decimal field(s) -> float (list);
* ``ner`` / ``multi_ner``: text_list field per entity type, holding verbatim
  spans -> one BIO tag (``ner``) or a list of tags (``multi_ner``) per word.

Words are DRAGON's ``text_parts``; a report text given as a string is split
on whitespace (the text Abstractor shows is ``" ".join(text_parts)``).
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path
from collections.abc import Callable
from typing import Any

from core.atomic import write_atomic
from core.locations import resources_dir
from core.task import Task

TASKS_DIR = resources_dir() / "tasks" / "dragon"


@dataclass(frozen=True)
class DragonTaskSpec:
    name: str
    kind: str
    label_name: str
    input_name: str
    fields: tuple[str, ...]
    entity_types: tuple[str, ...] = ()  # NER: entity type of each field
    part_names: tuple[str, ...] = ()  # text_parts that are passages, not words
    ordered_types: bool = False  # NER: entity types occur in field order in the text
    anchors: tuple[str, ...] = ()  # NER: per type, a header word the type's spans follow

    @property
    def prediction_name(self) -> str:
        return self.label_name[: -len("_target")]

    @property
    def is_ner(self) -> bool:
        return self.kind in ("ner", "multi_ner")


_NER108 = ("PREFIX", "SYMPTOM", "DIAGNOSIS", "ROMAN_NUMERAL", "STRUCTURE", "NOTE")
SPECS: dict[str, DragonTaskSpec] = {s.name: s for s in (
    DragonTaskSpec("Task101_Example_sl_bin_clf", "binary", "single_label_binary_classification_target",
                   "text", ("lesion_over_20_mm",)),
    DragonTaskSpec("Task102_Example_sl_mc_clf", "class", "single_label_multi_class_classification_target",
                   "text", ("lesions_over_20_mm",)),
    DragonTaskSpec("Task103_Example_mednli", "class", "single_label_multi_class_classification_target",
                   "text_parts", ("relation",), part_names=("Premise", "Hypothesis")),
    DragonTaskSpec("Task104_Example_ml_bin_clf", "multi_binary", "multi_label_binary_classification_target",
                   "text", tuple(f"at_least_{i}_measured_lesion{'s' if i > 1 else ''}" for i in range(1, 6))),
    DragonTaskSpec("Task105_Example_ml_mc_clf", "multi_class", "multi_label_multi_class_classification_target",
                   "text", ("diagnosis", "treatment")),
    DragonTaskSpec("Task106_Example_sl_reg", "regression", "single_label_regression_target",
                   "text", ("largest_lesion_size",)),
    DragonTaskSpec("Task107_Example_ml_reg", "multi_regression", "multi_label_regression_target",
                   "text", tuple(f"finding_{i}_size" for i in range(1, 6))),
    DragonTaskSpec("Task108_Example_sl_ner", "ner", "named_entity_recognition_target", "text_parts",
                   tuple(t.lower() for t in _NER108), _NER108),
    DragonTaskSpec("Task109_Example_ml_ner", "multi_ner", "multi_label_named_entity_recognition_target",
                   "text_parts", tuple(f"lesion_{i}_size" for i in range(1, 11)),
                   tuple(f"{i}-lesion" for i in range(10)), ordered_types=True,
                   anchors=("I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X")),
)}


def spec(task_name: str) -> DragonTaskSpec:
    try:
        return SPECS[task_name]
    except KeyError:
        raise KeyError(f"No Abstractor mapping for DRAGON task '{task_name}'") from None


def dragon_config(task_dir: str | Path) -> dict:
    """Read ``nlp-task-configuration.json`` from a DRAGON task folder."""
    cfg = json.loads((Path(task_dir) / "nlp-task-configuration.json").read_text("utf-8"))
    for key in ("task_name", "input_name", "label_name"):
        if key not in cfg:
            raise ValueError(f"{task_dir}: task configuration lacks '{key}'")
    return cfg


def task_file(task_name: str) -> Path:
    return TASKS_DIR / f"{task_name}.json"


def load_dragon_task(task_name: str) -> Task:
    return Task.model_validate(json.loads(task_file(task_name).read_text("utf-8")))


def report_text(task_name: str, record: dict) -> str:
    """The text Abstractor reads for a DRAGON record (``text`` or joined ``text_parts``)."""
    s = spec(task_name)
    if "text" in record and record["text"] is not None:
        return record["text"]
    parts = record["text_parts"]
    if s.part_names:
        return "\n".join(f"{n}: {p}" for n, p in zip(s.part_names, parts))
    return " ".join(parts)


# ---------------------------------------------------------------------------
# spans <-> BIO
# ---------------------------------------------------------------------------
_PUNCT = re.compile(r"^\W+|\W+$")


def _norm(word: str) -> str:
    return _PUNCT.sub("", word.casefold())


def _find(words: list[str], span: list[str], cursor: int, free) -> int | None:
    n = len(span)
    starts = list(range(cursor, len(words) - n + 1)) + list(range(0, min(cursor, len(words) - n + 1)))
    for key in (lambda w: w, _norm):
        target = [key(w) for w in span]
        for i in starts:
            if [key(w) for w in words[i:i + n]] == target and all(free(j) for j in range(i, i + n)):
                return i
    return None


def _anchor_index(words: list[str], anchor: str | None) -> int | None:
    """First word that is, or lists with '+', the anchor (e.g. 'III' in 'II+III')."""
    if not anchor:
        return None
    for i, w in enumerate(words):
        if anchor in re.split(r"[+/,&]", w.strip(":.()")):
            return i
    return None


def _free_words(tags: list[dict[str, str]], etype: str, multi: bool) -> Callable[[int], bool]:
    """Whether word j can take a span of ``etype``: no tag of that type (multi), or no tag at all."""
    if multi:
        return lambda j: etype not in tags[j]
    return lambda j: not tags[j]


def spans_to_tags(words: list[str], spans: dict[str, list[str]], multi: bool = False,
                  ordered_types: bool = False, anchors: dict[str, str] | None = None) -> list:
    """Place verbatim spans per entity type on the words as BIO tags.

    Spans of a type are placed in order, each at the first free occurrence at
    or after the previous one (wrapping to the start); a span not found is
    dropped.  With ``ordered_types`` (numbered entities, e.g. lesion 1, 2, ...)
    a type's search starts where the previous type's first span starts;
    ``anchors`` (type -> header word, e.g. a Roman numeral) start the search
    at that header instead, when it occurs.
    ``multi=False``: one tag per word, spans may not overlap;
    ``multi=True``: a sorted list of tags per word (``["O"]`` if none).
    """
    tags: list[dict[str, str]] = [{} for _ in words]
    type_start = 0
    for etype, items in spans.items():
        cursor = type_start if ordered_types else 0
        anchored = _anchor_index(words, (anchors or {}).get(etype))
        if anchored is not None:
            cursor = anchored
        first = True
        for span in items or []:
            toks = str(span).split()
            if not toks:
                continue
            i = _find(words, toks, cursor, _free_words(tags, etype, multi))
            if i is None:
                continue
            for j in range(i, i + len(toks)):
                tags[j][etype] = ("B-" if j == i else "I-") + etype
            cursor = i + len(toks)
            if first:
                type_start, first = i, False
    if multi:
        return [sorted(t.values()) or ["O"] for t in tags]
    return [next(iter(t.values()), "O") for t in tags]


def tags_to_spans(words: list[str], tags: list, multi: bool = False) -> dict[str, list[str]]:
    """Inverse of :func:`spans_to_tags`: entity type -> spans (words joined by a space)."""
    per_word = [list(t) if multi else [t] for t in tags]
    types = sorted({t[2:] for ws in per_word for t in ws if t[:2] in ("B-", "I-")})
    out: dict[str, list[str]] = {}
    for etype in types:
        spans: list[list[str]] = []
        prev = False
        for word, ws in zip(words, per_word):
            if f"B-{etype}" in ws or (f"I-{etype}" in ws and not prev):
                spans.append([word])
                prev = True
            elif f"I-{etype}" in ws:
                spans[-1].append(word)
            else:
                prev = False
        out[etype] = [" ".join(s) for s in spans]
    return out


# ---------------------------------------------------------------------------
# values <-> DRAGON labels
# ---------------------------------------------------------------------------
def _probability(value: Any, confidence: float | None) -> float:
    if value is None:
        return 0.5
    yes = bool(value) if not isinstance(value, str) else value.strip().casefold() in ("yes", "true", "ja", "1")
    c = 1.0 if confidence is None else float(confidence)
    return c if yes else 1.0 - c


def _as_list(v: Any) -> list[str]:
    if v is None:
        return []
    return [v] if isinstance(v, str) else list(v)


def _words(text: str | list[str]) -> list[str]:
    return list(text) if isinstance(text, (list, tuple)) else str(text).split()


def prediction_from_values(task_name: str, text: str | list[str], values: dict, confidence: dict | None = None):
    """The DRAGON prediction for one report from Abstractor field values.

    Missing answers: probability 0.5, the task's first option, or 0.0 for a
    number (DRAGON cannot score a missing number; a 0.0 where the target is
    absent is ignored by R-SMAPE).
    """
    s, values, confidence = spec(task_name), values or {}, confidence or {}
    if s.kind in ("binary", "multi_binary"):
        out: list[Any] = [_probability(values.get(k), confidence.get(k)) for k in s.fields]
    elif s.kind in ("class", "multi_class"):
        task = load_dragon_task(task_name)
        out = [values.get(k) if values.get(k) is not None else task.field_at(k).options[0].value
               for k in s.fields]
    elif s.kind in ("regression", "multi_regression"):
        out = [0.0 if values.get(k) is None else float(values[k]) for k in s.fields]
    elif s.is_ner:
        spans = {e: _as_list(values.get(k)) for k, e in zip(s.fields, s.entity_types)}
        return spans_to_tags(_words(text), spans, multi=s.kind == "multi_ner",
                             ordered_types=s.ordered_types, anchors=dict(zip(s.entity_types, s.anchors)))
    else:  # pragma: no cover
        raise ValueError(s.kind)
    return out if s.kind.startswith("multi") else out[0]


def predictions_from_values(task_name: str, reports, values_by_uid: dict[str, dict],
                            confidence_by_uid: dict[str, dict] | None = None) -> list[dict]:
    """Records for ``nlp-predictions-dataset.json`` from ``[(uid, text), ...]``."""
    s = spec(task_name)
    confidence_by_uid = confidence_by_uid or {}
    return [{"uid": uid, s.prediction_name: prediction_from_values(
        task_name, text, values_by_uid.get(uid) or {}, confidence_by_uid.get(uid))}
        for uid, text in reports]


def write_predictions(path: str | Path, records: list[dict]) -> Path:
    """Write records as ``nlp-predictions-dataset.json`` (a folder gets that file name)."""
    path = Path(path)
    if path.is_dir() or not path.suffix:
        path.mkdir(parents=True, exist_ok=True)
        path = path / "nlp-predictions-dataset.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    write_atomic(path, json.dumps(records, indent=2, ensure_ascii=False) + "\n")
    return path


def values_from_label(task_name: str, label: Any, words: list[str] | None = None) -> dict[str, Any]:
    """Abstractor field values for a DRAGON label (inverse of the prediction mapping)."""
    s = spec(task_name)
    if s.is_ner:
        spans = tags_to_spans(words or [], label, multi=s.kind == "multi_ner")
        return {k: spans.get(e, []) for k, e in zip(s.fields, s.entity_types)}
    items = list(label) if s.kind.startswith("multi") else [label]
    conv: Callable[[Any], Any]
    if s.kind in ("binary", "multi_binary"):
        conv = lambda v: None if v is None else bool(v)  # noqa: E731
    elif s.kind in ("class", "multi_class"):
        conv = lambda v: None if v is None else str(v)  # noqa: E731
    else:
        conv = lambda v: None if v is None or v != v else float(v)  # noqa: E731
    return {k: conv(v) for k, v in zip(s.fields, items)}


def gold_from_ground_truth(path: str | Path, task_name: str | None = None) -> dict[str, dict[str, Any]]:
    """Gold values ``{uid: {field: value}}`` from a DRAGON ground-truth JSON file."""
    path = Path(path)
    records = json.loads(path.read_text("utf-8"))
    name = task_name or next((n for n in SPECS if path.stem.startswith(n)), None)
    if name is None:
        raise ValueError(f"Cannot tell which DRAGON task {path.name} belongs to")
    s = spec(name)
    return {str(r["uid"]): values_from_label(name, r[s.label_name], r.get("text_parts")) for r in records}
