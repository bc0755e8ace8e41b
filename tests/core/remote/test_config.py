"""Server addresses and the run record: no key, no plain http to another host without consent."""
from __future__ import annotations

import json

import pytest

from core.remote.config import ServerConfig, ServerConfigError, endpoint_key, is_loopback, normalise_url
from core.remote.runner import privacy_notice


def test_addresses_are_normalised_to_v1():
    assert normalise_url("127.0.0.1:8080") == "http://127.0.0.1:8080/v1"
    assert normalise_url("https://LLM.example.org/") == "https://llm.example.org/v1"
    assert normalise_url("https://gw.example.org/openai/v1/") == "https://gw.example.org/openai/v1"
    assert endpoint_key("https://gw.example.org/openai/v1") == "https://gw.example.org"


@pytest.mark.parametrize("url, why", [
    ("", "Enter the server's address"),
    ("ftp://host/v1", "must start with http:// or https://"),
    ("https://user:sk-secret@host/v1", "Do not put a user name or key in the address"),
    ("https://host/v1?key=sk-secret", "must not contain '?'"),
])
def test_bad_addresses_are_refused_with_a_reason(url, why):
    with pytest.raises(ServerConfigError, match=why.replace("?", r"\?").replace("(", r"\(")):
        normalise_url(url)


def test_loopback_hosts():
    assert is_loopback("127.0.0.1") and is_loopback("localhost") and is_loopback("[::1]")
    assert not is_loopback("10.0.0.5") and not is_loopback("llm.example.org")


def test_plain_http_to_another_host_needs_explicit_consent():
    with pytest.raises(ServerConfigError, match="not encrypted"):
        ServerConfig.create("http://10.1.2.3:8000", "qwen")
    cfg = ServerConfig.create("http://10.1.2.3:8000", "qwen", allow_http=True)
    assert cfg.insecure and "leaves this workstation for 10.1.2.3" in privacy_notice(cfg)
    assert "unencrypted" in privacy_notice(cfg)
    local = ServerConfig.create("http://127.0.0.1:8080", "smollm2")
    assert not local.insecure and "a server on this computer" in privacy_notice(local)
    remote = ServerConfig.create("https://llm.example.org", "qwen")
    assert "leaves this workstation for llm.example.org" in privacy_notice(remote)


def test_missing_model_and_bad_numbers():
    with pytest.raises(ServerConfigError, match="model name"):
        ServerConfig.create("http://127.0.0.1:8080", " ")
    with pytest.raises(ServerConfigError, match="Concurrency"):
        ServerConfig.create("http://127.0.0.1:8080", "m", concurrency=0)


def test_run_record_has_the_audit_trail_and_no_key():
    cfg = ServerConfig.create("https://llm.example.org/v1", "qwen2.5-14b", concurrency=8)
    rec = cfg.record("json_schema")
    assert rec["endpoint"] == "https://llm.example.org/v1" and rec["host"] == "llm.example.org"
    assert rec["model"] == "qwen2.5-14b" and rec["concurrency"] == 8 and rec["structured_output"] == "json_schema"
    assert not any("key" in k for k in rec) and "url" not in rec
    json.dumps(rec)
