"""The prompt the model sees: fixed part first, the report last.

The system message (role, task instructions, field guide, rules) is the
same for every report of a run, so llama.cpp evaluates it once and reuses
its KV cache; only the report text at the end changes.  JSON-Schema
descriptions never reach the model on their own, so the field guide is
written out here in plain words.
"""
from __future__ import annotations

from core.schema import QUOTE_SUFFIX
from core.task import Field, FieldType, Task

ROLE = ("You are a meticulous clinical data abstractor. You read one medical report "
        "(Dutch or English) and fill in a fixed form as JSON.")

RULES_BASE = [
    "Use only what the report states. Never guess or fill in typical values.",
    "If the report does not state a field, answer null.",
    "Numbers: digits only with '.' as decimal separator, converted to the unit given.",
    "Dates: YYYY-MM-DD.",
    "Choices: answer exactly one of the listed options, spelled as listed.",
]


def _describe_type(f: Field) -> str:
    t = f.type
    if t is FieldType.YES_NO:
        return "yes/no: true or false"
    if t is FieldType.INTEGER or t is FieldType.DECIMAL:
        s = "whole number" if t is FieldType.INTEGER else "number"
        if f.unit:
            s += f" in {f.unit}"
        return s
    if t is FieldType.DATE:
        return "date YYYY-MM-DD"
    if t is FieldType.CHOICE:
        return "one of: " + ", ".join(_opt(o.value, o.description) for o in f.options)
    if t is FieldType.MULTI_CHOICE:
        return "list of all that apply from: " + ", ".join(_opt(o.value, o.description) for o in f.options)
    if t is FieldType.TEXT_LIST:
        return "list of short texts"
    if t is FieldType.GROUP:
        return "object with the fields below"
    if t is FieldType.GROUP_LIST:
        return "list with one object per item, each with the fields below; [] if there are none"
    return "short text"


def _opt(value: str, description: str) -> str:
    return f'"{value}" ({description})' if description else f'"{value}"'


def _guide_lines(fields: list[Field], indent: str = "") -> list[str]:
    lines: list[str] = []
    for f in fields:
        desc = f.description.strip() or f.title
        absent = "" if not f.optional else " May be null."
        lines.append(f"{indent}- {f.key} ({_describe_type(f)}): {desc}{absent}")
        if f.fields:
            lines.extend(_guide_lines(f.fields, indent + "  "))
    return lines


def field_guide(task: Task) -> str:
    return "\n".join(_guide_lines(task.fields))


def system_message(task: Task) -> str:
    rules = list(RULES_BASE)
    if task.options.evidence:
        rules.append(
            f'Before each field "k", give "k{QUOTE_SUFFIX}": the shortest exact words copied '
            "from the report that support the answer (null when the report says nothing about it).")
    parts = [ROLE, f"Task: {task.name}"]
    if task.instructions.strip():
        parts.append(task.instructions.strip())
    parts.append("Fields (answer every key, in this order):\n" + field_guide(task))
    parts.append("Rules:\n" + "\n".join(f"- {r}" for r in rules))
    parts.append("Answer with the JSON object only.")
    return "\n\n".join(parts)


def user_message(report_text: str) -> str:
    return "Report:\n\n" + report_text.strip()


def messages(task: Task, report_text: str) -> list[dict[str, str]]:
    return [
        {"role": "system", "content": system_message(task)},
        {"role": "user", "content": user_message(report_text)},
    ]
