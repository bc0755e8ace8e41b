import pytest

from core.prompt import EXTRACTINATOR_SYSTEM, STYLES, messages, system_message
from core.task import Task, TaskOptions
from core.task_import import task_from_dict
from tests.core.all_types import all_types_task

# llm_extractinator 0.6.0: llm_extractinator/prompt_templates/data_extraction/system_prompt.txt
REFERENCE_FILE = """You are an expert information extraction system. Your goal is to analyze the provided text and accurately extract structured information according to the task given below.
\x20\x20
Task: {description}

Carefully review the text and extract only the information relevant to the task. Follow these principles:

1. Be precise — Base your answer strictly on the content provided. Do not infer or fabricate data.
2. Be complete — Capture all relevant instances or fields required by the task.
3. Be structured — Output your results in a consistent, machine-readable format.
4. Be definitive — When the answer is clearly stated, provide it confidently. If the required information is missing or unclear, return `null` or "N/A".

Think step by step, and ensure all elements of the task are addressed.
"""  # noqa: W291, E501


def _styled(style: str, evidence: bool = True) -> Task:
    t = all_types_task(evidence)
    return t.model_copy(update={"options": t.options.model_copy(update={"prompt_style": style})})


def test_reference_prompt_is_llm_extractinators_word_for_word():
    assert EXTRACTINATOR_SYSTEM == REFERENCE_FILE
    t = task_from_dict({"Description": "Extract the PI-RADS score.", "Parser_Format": {
        "pirads": {"type": "int", "literals": [1, 2, 3, 4, 5]}}})
    m = messages(t, "  MRI prostaat: PI-RADS 4.\n")
    assert m[0] == {"role": "system", "content": REFERENCE_FILE.format(description="Extract the PI-RADS score.")}
    assert m[1] == {"role": "user", "content": "  MRI prostaat: PI-RADS 4.\n"}  # the input, untouched


def test_compact_is_the_reference_plus_one_line_per_field():
    s = system_message(_styled("compact"))
    assert s.startswith(REFERENCE_FILE.format(description="Extract the findings from the CT report."))
    assert "\nFields:\n- summary: One-line conclusion\n" in s
    assert "- largest_mm: Largest mm\n" in s  # the unit is already in the text
    psa = task_from_dict({"Description": "d", "Parser_Format": {"psa": {"type": "float", "description": "PSA"}}})
    psa.fields[0].unit = "ng/mL"
    psa.options.prompt_style = "compact"
    assert system_message(psa).endswith("\nFields:\n- psa: PSA (unit: ng/mL)\n")
    assert "  - age: Age" in s  # nested fields indented
    assert "Rules" not in s and "quote" not in s


@pytest.mark.parametrize("style, has, lacks", [
    ("abstractor", ["meticulous clinical data abstractor", "Fields (answer every key", "Rules:", '"k.quote"',
                    '"right upper lobe" (rechterbovenkwab)'], []),
    ("abstractor_no_rules", ["Fields (answer every key", '"right upper lobe"'], ["Rules:", "quote"]),
    ("abstractor_no_guide", ["Rules:", "Task: Every field type"], ["Fields", "One-line conclusion"]),
    ("abstractor_descriptions_only", ["Fields:\n- summary: One-line conclusion"],
     ["Rules:", "right upper lobe", "whole number"]),
])
def test_abstractor_prompt_and_its_ablations(style, has, lacks):
    s = system_message(_styled(style))
    for x in has:
        assert x in s, x
    for x in lacks:
        assert x not in s, x


def test_every_style_is_described_and_renders():
    assert set(STYLES) == set(TaskOptions.model_fields["prompt_style"].annotation.__args__)
    for style in STYLES:
        assert system_message(_styled(style)).strip()


def test_number_options_are_listed_in_the_field_guide():
    t = task_from_dict({"Description": "d", "Parser_Format": {"pirads": {"type": "int", "literals": [1, 2, 3]}}})
    t = t.model_copy(update={"options": t.options.model_copy(update={"prompt_style": "abstractor"})})
    assert "- pirads (whole number, one of: 1, 2, 3)" in system_message(t)


def test_prompt_style_default_keeps_old_task_identity():
    old = Task.model_validate({"name": "t", "fields": [{"key": "a"}]})       # saved before prompt styles
    assert "prompt_style" not in old.canonical_json()
    other = old.model_copy(update={"options": old.options.model_copy(update={"prompt_style": "abstractor"})})
    assert other.hash() != old.hash()
