"""The prompt the model sees: fixed part first, the report last.

The system message is the same for every report of a run, so llama.cpp
evaluates it once and reuses its KV cache; only the report text at the end
changes.  JSON-Schema descriptions never reach the model on their own, so
whatever the model should know about the fields is written out here.

How the system message is written is the task's *prompt style*
(``task.options.prompt_style``).  The styles were measured against each
other with ``abstractor accuracy`` (docs/accuracy.md); the default is the one
that got the most fields right:

* ``llm_extractinator`` (the default): the reference tool's system prompt,
  word for word (llm_extractinator 0.6.0, ``prompt_templates/data_extraction``):
  the task description is its only task-specific part; the report is the
  user message.  Fields reach the model only as the answer's keys.
* ``compact``: llm_extractinator's system prompt, followed by one plain line
  per field with its description and unit.
* ``abstractor``: role, task, field guide (types, options, units), rules.
* ``abstractor_no_rules``, ``abstractor_no_guide``,
  ``abstractor_descriptions_only``: ablations of ``abstractor``.
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

#: llm_extractinator 0.6.0, llm_extractinator/prompt_templates/data_extraction/system_prompt.txt
#: (the file as published, trailing newline and the line of two spaces included).
EXTRACTINATOR_SYSTEM = (
    "You are an expert information extraction system. Your goal is to analyze the provided text and "
    "accurately extract structured information according to the task given below.\n"
    "  \n"
    "Task: {description}\n"
    "\n"
    "Carefully review the text and extract only the information relevant to the task. "
    "Follow these principles:\n"
    "\n"
    "1. Be precise \u2014 Base your answer strictly on the content provided. Do not infer or fabricate data.\n"
    "2. Be complete \u2014 Capture all relevant instances or fields required by the task.\n"
    "3. Be structured \u2014 Output your results in a consistent, machine-readable format.\n"
    "4. Be definitive \u2014 When the answer is clearly stated, provide it confidently. If the required "
    "information is missing or unclear, return `null` or \"N/A\".\n"
    "\n"
    "Think step by step, and ensure all elements of the task are addressed.\n"
)

#: What each style is, in words (the builder and docs/accuracy.md show these).
STYLES = {
    "compact": "llm_extractinator's short prompt plus one line per field (description, unit)",
    "llm_extractinator": "llm_extractinator-compatible: the reference tool's prompt, word for word",
    "abstractor": "Abstractor's long prompt: role, task, field guide with types and options, rules",
    "abstractor_no_rules": "Abstractor's long prompt without the rules",
    "abstractor_no_guide": "Abstractor's long prompt without the field guide",
    "abstractor_descriptions_only": "Abstractor's prompt with field descriptions only (no types, options or rules)",
}


def _describe_type(f: Field) -> str:
    t = f.type
    if t is FieldType.YES_NO:
        return "yes/no: true or false"
    if t is FieldType.INTEGER or t is FieldType.DECIMAL:
        s = "whole number" if t is FieldType.INTEGER else "number"
        if f.unit:
            s += f" in {f.unit}"
        if f.options:
            s += ", one of: " + ", ".join(_opt(o.value, o.description, quoted=False) for o in f.options)
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


def _opt(value: str, description: str, quoted: bool = True) -> str:
    v = f'"{value}"' if quoted else value
    return f"{v} ({description})" if description else v


def _guide_lines(fields: list[Field], indent: str = "") -> list[str]:
    lines: list[str] = []
    for f in fields:
        desc = f.description.strip() or f.title
        absent = "" if not f.optional else " May be null."
        lines.append(f"{indent}- {f.key} ({_describe_type(f)}): {desc}{absent}")
        if f.fields:
            lines.extend(_guide_lines(f.fields, indent + "  "))
    return lines


def _description_lines(fields: list[Field], indent: str = "", *, units: bool = False) -> list[str]:
    lines: list[str] = []
    for f in fields:
        desc = f.description.strip() or f.title
        if units and f.unit and f.unit not in desc:
            desc += f" (unit: {f.unit})"
        lines.append(f"{indent}- {f.key}: {desc}")
        if f.fields:
            lines.extend(_description_lines(f.fields, indent + "  ", units=units))
    return lines


def field_guide(task: Task) -> str:
    return "\n".join(_guide_lines(task.fields))


def task_description(task: Task) -> str:
    """What fills llm_extractinator's ``{description}``: its task file's ``Description``
    (imported into ``instructions``), else the task's own description or name."""
    return task.instructions.strip() or task.description.strip() or task.name


def _abstractor(task: Task, *, rules: bool = True, guide: str = "typed") -> str:
    parts = [ROLE, f"Task: {task.name}"]
    if task.instructions.strip():
        parts.append(task.instructions.strip())
    if guide == "typed":
        parts.append("Fields (answer every key, in this order):\n" + field_guide(task))
    elif guide == "descriptions":
        parts.append("Fields:\n" + "\n".join(_description_lines(task.fields)))
    if rules:
        rule_list = list(RULES_BASE)
        if task.options.evidence:
            where = ('After all fields, give for each field "k"' if task.options.quote_position == "after_values"
                     else 'Before each field "k", give')
            rule_list.append(
                f'{where} "k{QUOTE_SUFFIX}": the shortest exact words copied '
                "from the report that support the answer (null when the report says nothing about it).")
        parts.append("Rules:\n" + "\n".join(f"- {r}" for r in rule_list))
        parts.append("Answer with the JSON object only.")
    return "\n\n".join(parts)


def system_message(task: Task) -> str:
    style = task.options.prompt_style
    if style == "llm_extractinator":
        return EXTRACTINATOR_SYSTEM.format(description=task_description(task))
    if style == "compact":
        fields = "\n".join(_description_lines(task.fields, units=True))
        return EXTRACTINATOR_SYSTEM.format(description=task_description(task)) + "\nFields:\n" + fields + "\n"
    if style == "abstractor_no_rules":
        return _abstractor(task, rules=False)
    if style == "abstractor_no_guide":
        return _abstractor(task, guide="none")
    if style == "abstractor_descriptions_only":
        return _abstractor(task, rules=False, guide="descriptions")
    return _abstractor(task)


def user_message(task: Task, report_text: str) -> str:
    if task.options.prompt_style in ("llm_extractinator", "compact"):
        return report_text  # llm_extractinator's human prompt is the input text itself
    return "Report:\n\n" + report_text.strip()


def messages(task: Task, report_text: str) -> list[dict[str, str]]:
    return [
        {"role": "system", "content": system_message(task)},
        {"role": "user", "content": user_message(task, report_text)},
    ]
