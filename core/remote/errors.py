"""What can go wrong with a server, in words a user can act on."""
from __future__ import annotations


class ServerError(RuntimeError):
    """A server problem that stops a run; results stored so far are kept."""


class ServerAuthError(ServerError):
    """The server refused the API key (HTTP 401/403)."""


class ServerUnavailable(ServerError):
    """No answer after all retries: connection refused, time-outs, 429 or 5xx."""


class ServerRequestError(ServerError):
    """The server rejected the request itself (HTTP 400/404/422…): retrying will not help."""


class NoStructuredOutput(ServerError):
    """The server honours none of the structured-output methods Abstractor knows."""
