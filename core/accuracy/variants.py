"""Prompt variants: the same task, model and decoder, with another prompt or evidence setting.

A variant changes only ``task.options.prompt_style`` and ``task.options.evidence``;
``default`` leaves the task as Abstractor runs it without any change by the user.
"""
from __future__ import annotations

from dataclasses import dataclass

from core.task import Task


@dataclass(frozen=True)
class Variant:
    name: str
    style: str | None          # None: the task's own prompt style
    evidence: bool | None      # None: the task's own evidence setting
    about: str
    quote_position: str | None = None  # None: the task's own

    def apply(self, task: Task) -> Task:
        update: dict = {}
        if self.style is not None:
            update["prompt_style"] = self.style
        if self.evidence is not None:
            update["evidence"] = self.evidence
        if self.quote_position is not None:
            update["quote_position"] = self.quote_position
        return task.model_copy(update={"options": task.options.model_copy(update=update)}) if update else task


VARIANTS: dict[str, Variant] = {v.name: v for v in (
    Variant("reference", "llm_extractinator", False,
            "llm_extractinator's system prompt, no quotes: the reference pipeline"),
    Variant("default", None, None, "Abstractor's default settings for the task"),
    Variant("reference+quotes", "llm_extractinator", True,
            "reference prompt, a quote before each value", "before_value"),
    Variant("reference+quotes_after", "llm_extractinator", True,
            "reference prompt, the quotes after all values", "after_values"),
    Variant("compact", "compact", False, "reference prompt + one line per field, no quotes"),
    Variant("compact+quotes_after", "compact", True,
            "reference prompt + one line per field, the quotes after all values", "after_values"),
    Variant("abstractor+quotes", "abstractor", True,
            "Abstractor's previous default: long prompt (role, field guide, rules), a quote before each value",
            "before_value"),
    Variant("abstractor", "abstractor", False, "Abstractor's long prompt, no quotes"),
    Variant("no_rules", "abstractor_no_rules", False, "Abstractor's prompt without the rules, no quotes"),
    Variant("no_guide", "abstractor_no_guide", False, "Abstractor's prompt without the field guide, no quotes"),
    Variant("descriptions_only", "abstractor_descriptions_only", False,
            "Abstractor's prompt with field descriptions only (no types, options, rules), no quotes"),
)}

#: What ``abstractor accuracy`` compares when no --variants are given (the two "quotes_after"
#: variants are left out: their values equal those without quotes, by construction).
DEFAULT_VARIANTS = [n for n in VARIANTS if not n.endswith("quotes_after")]
#: The quick subset (CI): the default against the reference.
QUICK_VARIANTS = ["reference", "default"]


def variants(names: list[str] | None) -> list[Variant]:
    names = names or DEFAULT_VARIANTS
    unknown = [n for n in names if n not in VARIANTS]
    if unknown:
        raise KeyError(f"Unknown variant '{unknown[0]}'; choose from: {', '.join(VARIANTS)}")
    return [VARIANTS[n] for n in names]
