"""The second backend: an existing OpenAI-compatible inference server.

vLLM, the llama.cpp server, Ollama's ``/v1`` or a hospital's gateway do the
model work; Abstractor sends each report with the task's JSON Schema, uses
the server's own structured output, and checks every answer exactly as it
checks the in-process engine's (:mod:`core.answer`).  Results go to the
same project file the moment each one arrives (:mod:`core.remote.runner`).
"""
from core.remote.config import ServerConfig, ServerConfigError
from core.remote.errors import (NoStructuredOutput, ServerAuthError, ServerError, ServerRequestError,
                                ServerUnavailable)

__all__ = ["NoStructuredOutput", "ServerAuthError", "ServerConfig", "ServerConfigError", "ServerError",
           "ServerRequestError", "ServerUnavailable"]
