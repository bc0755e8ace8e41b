"""The server's own structured output: which method it honours, and the request parts for it.

Servers differ: OpenAI-style gateways, vLLM, Ollama and the llama.cpp server
take ``response_format`` with a JSON Schema; llama.cpp servers also take a
GBNF ``grammar`` (and the C++ server a top-level ``json_schema``); vLLM
takes guided decoding parameters.  A server that does not know a parameter
often ignores it silently, so a method only counts as supported when a
probe request comes back constrained: asked to say hello, the answer must
be exactly the one JSON object the probe schema allows.
"""
from __future__ import annotations

import functools
import json
from typing import Any

#: tried in this order; the first that constrains the probe answer is used
METHODS: dict[str, str] = {
    "json_schema": "response_format with a JSON Schema (OpenAI, vLLM, Ollama, llama.cpp server)",
    "grammar": "a GBNF grammar (llama.cpp server, llama-cpp-python)",
    "llamacpp_json_schema": "a top-level json_schema (llama.cpp server)",
    "guided_json": "guided decoding with guided_json (vLLM before 0.10)",
    "structured_outputs": "structured_outputs with a JSON Schema (vLLM 0.10 and later)",
    "json_object_schema": "response_format json_object with a schema (llama-cpp-python; keys come sorted)",
}

PROBE_VALUE = "zebra-42"
PROBE_SCHEMA: dict[str, Any] = {
    "type": "object", "properties": {"probe": {"type": "string", "enum": [PROBE_VALUE]}},
    "required": ["probe"], "additionalProperties": False}
PROBE_MESSAGES = [{"role": "user", "content": "Say hello."}]


def gbnf_for(schema: dict[str, Any]) -> str:
    """A GBNF grammar for ``schema`` with the properties in the schema's own order."""
    return _gbnf(json.dumps(schema))


@functools.lru_cache(maxsize=8)   # the same task's schema for every report of a run
def _gbnf(schema_json: str) -> str:
    from llama_cpp.llama_grammar import json_schema_to_gbnf

    return json_schema_to_gbnf(schema_json, prop_order=list(json.loads(schema_json).get("properties", {})))


def request_parts(method: str, schema: dict[str, Any]) -> dict[str, Any]:
    """Keyword arguments for ``chat.completions.create`` that ask for ``schema`` by ``method``."""
    if method == "json_schema":
        return {"response_format": {"type": "json_schema",
                                    "json_schema": {"name": "answer", "schema": schema, "strict": True}}}
    if method == "grammar":
        return {"extra_body": {"grammar": gbnf_for(schema)}}
    if method == "llamacpp_json_schema":
        return {"extra_body": {"json_schema": schema}}
    if method == "guided_json":
        return {"extra_body": {"guided_json": schema}}
    if method == "structured_outputs":
        return {"extra_body": {"structured_outputs": {"json": schema}}}
    if method == "json_object_schema":
        return {"response_format": {"type": "json_object", "schema": schema}}
    raise ValueError(f"unknown structured-output method {method!r}; known: {', '.join(METHODS)}")


def probe_passed(text: str | None) -> bool:
    """True when the probe's answer is exactly the object the probe schema allows."""
    try:
        return json.loads(text or "") == {"probe": PROBE_VALUE}
    except json.JSONDecodeError:
        return False


def none_supported_message(host: str, tried: dict[str, str]) -> str:
    lines = "; ".join(f"{m}: {why}" for m, why in tried.items())
    return (f"The server at {host} does not constrain its answers to a JSON Schema by any method Abstractor "
            f"knows ({lines}). Abstractor only runs with structured output, so that answers fit the task and "
            "no value is made up. Use a server that supports response_format json_schema (vLLM, Ollama 0.5 or "
            "later, the llama.cpp server, most gateways) or a GBNF grammar.")
