"""Render chat messages into the model's prompt text.

The GGUF's own chat template is used when it has one.  Without one,
llama-cpp-python would silently fall back to a Llama-2 prompt format; we
pick a known template by the model's architecture instead and say so.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, cast

from llama_cpp.llama_chat_format import Jinja2ChatFormatter

CHATML = (
    "{% for m in messages %}<|im_start|>{{ m['role'] }}\n{{ m['content'] }}<|im_end|>\n{% endfor %}"
    "{% if add_generation_prompt %}<|im_start|>assistant\n{% endif %}"
)
LLAMA3 = (
    "{{ bos_token }}{% for m in messages %}<|start_header_id|>{{ m['role'] }}<|end_header_id|>\n\n"
    "{{ m['content'] | trim }}<|eot_id|>{% endfor %}"
    "{% if add_generation_prompt %}<|start_header_id|>assistant<|end_header_id|>\n\n{% endif %}"
)
GEMMA = (
    "{{ bos_token }}{% for m in messages %}{% set role = 'model' if m['role'] == 'assistant' else 'user' %}"
    "<start_of_turn>{{ role }}\n{{ m['content'] | trim }}<end_of_turn>\n{% endfor %}"
    "{% if add_generation_prompt %}<start_of_turn>model\n{% endif %}"
)
PHI3 = (
    "{% for m in messages %}<|{{ m['role'] }}|>\n{{ m['content'] }}<|end|>\n{% endfor %}"
    "{% if add_generation_prompt %}<|assistant|>\n{% endif %}"
)
MISTRAL = (
    "{{ bos_token }}{% for m in messages %}{% if m['role'] == 'user' %}[INST] {{ m['content'] }} [/INST]"
    "{% elif m['role'] == 'assistant' %}{{ m['content'] }}{{ eos_token }}{% endif %}{% endfor %}"
)

FALLBACKS = {
    "llama": ("llama-3", LLAMA3),
    "gemma": ("gemma", GEMMA),
    "gemma2": ("gemma", GEMMA),
    "gemma3": ("gemma", GEMMA),
    "phi3": ("phi-3", PHI3),
    "mistral": ("mistral", MISTRAL),
}
NO_SYSTEM_ROLE = {"gemma", "mistral"}


@dataclass
class ChatTemplate:
    name: str          # "gguf" or the fallback's name
    template: str
    from_gguf: bool
    warning: str | None
    reasoning: bool    # the template knows <think> blocks


def choose_template(metadata: dict[str, str]) -> ChatTemplate:
    tpl = metadata.get("tokenizer.chat_template")
    if tpl:
        return ChatTemplate("gguf", tpl, True, None, "<think>" in tpl)
    arch = metadata.get("general.architecture", "unknown")
    name, fallback = FALLBACKS.get(arch, ("chatml", CHATML))
    warning = (f"This model file has no chat template; using the '{name}' template chosen for its "
               f"architecture ({arch}). If answers look odd, pick an instruct (chat) model.")
    return ChatTemplate(name, fallback, False, warning, False)


class ChatRenderer:
    def __init__(self, template: ChatTemplate, bos: str, eos: str):
        self.template = template
        self._fmt = Jinja2ChatFormatter(template.template, eos_token=eos, bos_token=bos,
                                        add_generation_prompt=True)
        self._fold_system = template.name in NO_SYSTEM_ROLE

    def render(self, messages: list[dict[str, str]]) -> str:
        if self._fold_system:
            messages = _fold_system(messages)
        try:
            return self._fmt(messages=cast(Any, messages)).prompt
        except Exception as exc:  # jinja raises for templates that reject a system role
            if "system" in str(exc).lower() and not self._fold_system:
                self._fold_system = True
                return self._fmt(messages=cast(Any, _fold_system(messages))).prompt
            raise


def _fold_system(messages: list[dict[str, str]]) -> list[dict[str, str]]:
    if not messages or messages[0]["role"] != "system":
        return messages
    system, first, *rest = messages
    return [{"role": "user", "content": system["content"] + "\n\n" + first["content"]}, *rest]
