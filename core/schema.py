"""What a task's output looks like: JSON Schema, pydantic model, grammar.

Everything here is derived from a :class:`core.task.Task`; nothing is
stored twice.  The model answers with one compact JSON object whose keys
come in task order.  With evidence on, each top-level field ``k`` has a
``"k.quote"``: a short verbatim quote from the report, either right before
the value (the model grounds its answer before it gives it) or, with
``quote_position == "after_values"``, after all values (the values are then
decoded exactly as without evidence).
"""
from __future__ import annotations

import datetime as dt
import json
import re
from typing import Any, Literal, Optional

from pydantic import BaseModel, ConfigDict, create_model
from pydantic import Field as PydField

from core.task import Field, FieldType, Task

QUOTE_SUFFIX = ".quote"
MAX_TEXT_CHARS = 300
MAX_LIST_ITEMS = 12


def quote_key(key: str) -> str:
    return key + QUOTE_SUFFIX


# ---- JSON Schema --------------------------------------------------------------

def _value_schema(f: Field, *, documented: bool) -> dict[str, Any]:
    t = f.type
    if t is FieldType.TEXT:
        s: dict[str, Any] = {"type": "string", "maxLength": MAX_TEXT_CHARS}
    elif t.is_number and f.options:
        s = {"enum": f.allowed_values()}  # e.g. PI-RADS: 1..5, as numbers
    elif t is FieldType.INTEGER:
        s = {"type": "integer"}
    elif t is FieldType.DECIMAL:
        s = {"type": "number"}
    elif t is FieldType.YES_NO:
        s = {"type": "boolean"}
    elif t is FieldType.DATE:
        s = {"type": "string", "pattern": r"^[12][0-9]{3}-[01][0-9]-[0-3][0-9]$"}
    elif t is FieldType.CHOICE:
        s = {"enum": f.option_values()}
    elif t is FieldType.MULTI_CHOICE:
        s = {"type": "array", "items": {"enum": f.option_values()},
             "maxItems": max(1, len(f.options))}
    elif t is FieldType.TEXT_LIST:
        s = {"type": "array", "items": {"type": "string", "maxLength": MAX_TEXT_CHARS},
             "maxItems": MAX_LIST_ITEMS}
    elif t is FieldType.GROUP:
        s = _object_schema(f.fields, documented=documented, evidence=False, max_quote=0)
    elif t is FieldType.GROUP_LIST:
        s = {"type": "array",
             "items": _object_schema(f.fields, documented=documented, evidence=False, max_quote=0),
             "maxItems": MAX_LIST_ITEMS}
    else:  # pragma: no cover - exhaustive
        raise ValueError(f"unknown field type {t}")
    if f.optional:
        if "enum" in s:
            s = {"enum": [*s["enum"], None]}
        else:
            s = {"anyOf": [s, {"type": "null"}]}
    if documented:
        s = dict(s)
        s["title"] = f.title
        desc = f.description
        if f.unit:
            desc = (desc + f" (unit: {f.unit})").strip()
        if desc:
            s["description"] = desc
    return s


def answer_keys(task: Task, evidence: bool | None = None) -> list[str]:
    """The keys of the model's answer, in the order it writes them: each quote right
    before its value, or all quotes after all values (``quote_position``)."""
    ev = task.options.evidence if evidence is None else evidence
    keys = [f.key for f in task.fields]
    if not ev:
        return keys
    if task.options.quote_position == "after_values":
        return keys + [quote_key(k) for k in keys]
    return [k for key in keys for k in (quote_key(key), key)]


def _object_schema(fields: list[Field], *, documented: bool, evidence: bool, max_quote: int,
                   order: list[str] | None = None) -> dict[str, Any]:
    props: dict[str, Any] = {}
    for f in fields:
        if evidence:
            q: dict[str, Any] = {"anyOf": [{"type": "string", "maxLength": max_quote}, {"type": "null"}]}
            if documented:
                q["description"] = f"Verbatim quote from the report supporting '{f.key}'"
            props[quote_key(f.key)] = q
        props[f.key] = _value_schema(f, documented=documented)
    if order:
        props = {k: props[k] for k in order}
    return {"type": "object", "properties": props, "required": list(props),
            "additionalProperties": False}


def json_schema(task: Task, *, documented: bool = True, evidence: bool | None = None) -> dict[str, Any]:
    """The JSON Schema of the model's answer for ``task``."""
    ev = task.options.evidence if evidence is None else evidence
    s = _object_schema(task.fields, documented=documented, evidence=ev,
                       max_quote=task.options.max_quote_chars, order=answer_keys(task, ev))
    if documented:
        s = {"$schema": "https://json-schema.org/draft/2020-12/schema", "title": task.name, **s}
    return s


_QUOTE_UNSAFE = re.compile(r'[\s"\\\x00-\x1f\x7f]+')


#: tokens a number value may take: room for "-1234567.125" even with one token per digit
NUMBER_MAX_TOKENS = 16


def quotable_text(report_text: str) -> str:
    """The report as the quote grammar sees it: whitespace runs, double quotes and
    backslashes become one space, so every quote is valid JSON without escapes."""
    return _QUOTE_UNSAFE.sub(" ", report_text).strip()


def grammar(task: Task, report_text: str | None = None, *, evidence: bool | None = None) -> str:
    """The llguidance grammar for the answer: compact JSON, keys in :func:`answer_keys` order.

    With evidence on and ``report_text`` given, each quote is constrained to a
    run of whole words copied from the report, so evidence can always be found.
    """
    import llguidance

    ev = task.options.evidence if evidence is None else evidence
    rules: list[str] = []
    value_rule: dict[str, str] = {}
    for i, f in enumerate(task.fields):
        vs = _value_schema(f, documented=False)
        vs["x-guidance"] = {"whitespace_flexible": False, "item_separator": ",", "key_separator": ":"}
        # a number's digits are capped (a tiny model once wrote "1.000…" until the context ran out)
        cap = f"[max_tokens={NUMBER_MAX_TOKENS}]" if f.type in (FieldType.INTEGER, FieldType.DECIMAL) else ""
        rules.append(f"v{i}{cap}: %json {json.dumps(vs)}")
        value_rule[f.key] = f"v{i}"
    parts = [f'"\\"{k}\\":" {value_rule.get(k, "q")}' for k in answer_keys(task, ev)]
    body = ' "," '.join(parts)
    lines = [f'start: "{{" {body} "}}"', *rules]
    if ev:
        max_tokens = max(8, task.options.max_quote_chars // 5)
        # max_tokens sits on the quote's body, so a long quote is cut but always closed
        lines.append('q: "null" | "\\"" qb "\\""')
        lines.append(f"qb[max_tokens={max_tokens}]: QUOTE")
        if report_text is not None and quotable_text(report_text):
            lines.append("QUOTE: %regex " + json.dumps({"substring_words": quotable_text(report_text)}))
        else:
            lines.append(r'QUOTE: /[^"\\\x00-\x1f]*/')
    g = llguidance.LLMatcher.grammar_from_lark("\n".join(lines))
    err = llguidance.LLMatcher.validate_grammar(g)
    if err:
        raise ValueError(f"Could not build a decoding grammar for task '{task.name}': {err}")
    return g


def gbnf(task: Task, *, evidence: bool | None = None) -> str:
    """A llama.cpp GBNF grammar for the same schema (the reference tool's way)."""
    from llama_cpp.llama_grammar import json_schema_to_gbnf

    schema = json_schema(task, documented=False, evidence=evidence)
    return json_schema_to_gbnf(json.dumps(schema), prop_order=list(schema["properties"]))


# ---- pydantic output model -----------------------------------------------------

def _py_type(f: Field, name: str) -> Any:
    t = f.type
    if t.is_number and f.options:
        base: Any = Literal[tuple(f.allowed_values())]
    elif t is FieldType.TEXT:
        base = str
    elif t is FieldType.INTEGER:
        base = int
    elif t is FieldType.DECIMAL:
        base = float
    elif t is FieldType.YES_NO:
        base = bool
    elif t is FieldType.DATE:
        base = dt.date
    elif t is FieldType.CHOICE:
        base = Literal[tuple(f.option_values())]
    elif t is FieldType.MULTI_CHOICE:
        base = list[Literal[tuple(f.option_values())]]  # type: ignore[misc]
    elif t is FieldType.TEXT_LIST:
        base = list[str]
    elif t is FieldType.GROUP:
        base = _model_for(f.fields, name)
    elif t is FieldType.GROUP_LIST:
        base = list[_model_for(f.fields, name)]  # type: ignore[misc]
    else:  # pragma: no cover
        raise ValueError(t)
    return Optional[base] if f.optional else base


def _model_for(fields: list[Field], name: str) -> type[BaseModel]:
    defs: dict[str, Any] = {}
    for f in fields:
        defs[f.key] = (_py_type(f, f"{name}_{f.key}"), PydField(..., title=f.title, description=f.description))
    return create_model(name, __config__=ConfigDict(extra="forbid", strict=False), **defs)


def output_model(task: Task) -> type[BaseModel]:
    """pydantic model that validates the extracted values (quotes removed)."""
    return _model_for(task.fields, "Extraction")


def split_answer(answer: dict[str, Any], task: Task) -> tuple[dict[str, Any], dict[str, str | None]]:
    """Split a raw answer into (values, quotes) keyed by top-level field key."""
    values: dict[str, Any] = {}
    quotes: dict[str, str | None] = {}
    for f in task.fields:
        if f.key in answer:
            values[f.key] = answer[f.key]
        q = answer.get(quote_key(f.key))
        if task.options.evidence:
            quotes[f.key] = q if isinstance(q, str) and q.strip() else None
    return values, quotes


def to_jsonable(values: dict[str, Any]) -> dict[str, Any]:
    """Values from ``output_model`` made JSON-friendly (dates as ISO strings)."""
    return json.loads(json.dumps(values, default=_default))


def _default(o: Any) -> Any:
    if isinstance(o, (dt.date, dt.datetime)):
        return o.isoformat()
    if isinstance(o, BaseModel):
        return o.model_dump()
    raise TypeError(type(o))
