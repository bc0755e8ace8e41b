"""Where the server is and how to talk to it; never the API key.

The key lives in the OS keyring (:mod:`core.secrets`) or in the
``ABSTRACTOR_API_KEY`` environment variable and is handed to the client
separately, so nothing here can leak it into a run record.
"""
from __future__ import annotations

import ipaddress
from dataclasses import asdict, dataclass
from urllib.parse import urlsplit, urlunsplit


class ServerConfigError(ValueError):
    """The server settings cannot be used; the message says why."""


LOOPBACK_NAMES = ("localhost", "localhost.localdomain", "ip6-localhost")


def is_loopback(host: str) -> bool:
    if host.lower() in LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def normalise_url(url: str) -> str:
    """``scheme://host[:port]/path`` ending in ``/v1``; refuses a key or password inside the URL."""
    raw = (url or "").strip()
    if not raw:
        raise ServerConfigError("Enter the server's address, for example http://127.0.0.1:8080/v1.")
    if "://" not in raw:
        raw = "http://" + raw
    parts = urlsplit(raw)
    if parts.scheme not in ("http", "https"):
        raise ServerConfigError(f"The server address must start with http:// or https://, not {parts.scheme}://.")
    if not parts.hostname:
        raise ServerConfigError(f"'{url}' has no host name.")
    if parts.username or parts.password:
        raise ServerConfigError("Do not put a user name or key in the address: store the key in the keyring "
                                "(abstractor key set URL) or in ABSTRACTOR_API_KEY.")
    if parts.query or parts.fragment:
        raise ServerConfigError("The server address must not contain '?' or '#' parts.")
    path = parts.path.rstrip("/")
    if not path.endswith("/v1"):
        path += "/v1"
    return urlunsplit((parts.scheme, parts.netloc.lower(), path, "", ""))


def endpoint_key(url: str) -> str:
    """The keyring entry for a server: scheme, host and port (one key per server, whatever the path)."""
    parts = urlsplit(normalise_url(url))
    return f"{parts.scheme}://{parts.netloc}"


@dataclass(frozen=True)
class ServerConfig:
    url: str                         # normalised: ends in /v1
    model: str
    concurrency: int = 4             # requests in flight at once
    timeout_s: float = 300.0         # per request, queueing on the server included
    retries: int = 4                 # extra attempts on 429, 5xx, time-outs and refused connections
    backoff_s: float = 1.0           # first wait; doubles per attempt (a server's Retry-After wins)
    temperature: float = 0.0
    seed: int = 1234
    max_output_tokens: int = 0       # 0: the task's own limit
    logprobs: bool = True            # ask for token log-probabilities (confidence)
    structured_output: str = "auto"  # or one method of core.remote.structured.METHODS
    allow_http: bool = False         # plain http:// to a host that is not this computer was confirmed

    @classmethod
    def create(cls, url: str, model: str, **kw) -> "ServerConfig":
        cfg = cls(url=normalise_url(url), model=(model or "").strip(), **kw)
        cfg.check()
        return cfg

    @property
    def host(self) -> str:
        return urlsplit(self.url).hostname or ""

    @property
    def is_loopback(self) -> bool:
        return is_loopback(self.host)

    @property
    def insecure(self) -> bool:
        """Plain http:// to another computer: report text would travel unencrypted."""
        return self.url.startswith("http://") and not self.is_loopback

    def check(self) -> None:
        if not self.model:
            raise ServerConfigError("Enter the model name the server knows (Test connection lists them).")
        if self.concurrency < 1:
            raise ServerConfigError("Concurrency must be at least 1.")
        if self.timeout_s <= 0:
            raise ServerConfigError("The time-out must be more than 0 seconds.")
        if self.retries < 0:
            raise ServerConfigError("Retries cannot be negative.")
        if self.insecure and not self.allow_http:
            raise ServerConfigError(
                f"{self.url} is not encrypted (http://) and {self.host} is not this computer: report text "
                "and the API key would cross the network readable by anyone on the way. Use https://, or "
                "confirm plain http explicitly (--allow-http, or the confirmation in the model dialog).")

    def record(self, structured: str) -> dict:
        """The settings stored with a run (audit trail); the key is never part of them."""
        d = asdict(self)
        d.pop("url")
        d.update(endpoint=self.url, host=self.host, structured_output=structured)
        return d
