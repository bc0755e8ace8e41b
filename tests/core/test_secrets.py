"""The API key lives in the OS keyring only; a plain-text fallback is refused."""
from __future__ import annotations

import keyring
import keyring.backend
import pytest
from keyrings.alt.file import PlaintextKeyring

from core import secrets


class MemoryKeyring(keyring.backend.KeyringBackend):
    """A keyring for tests, ranked like an OS keyring."""
    priority = 5

    def __init__(self):
        super().__init__()
        self.store: dict[tuple[str, str], str] = {}

    def get_password(self, service, username):
        return self.store.get((service, username))

    def set_password(self, service, username, password):
        self.store[(service, username)] = password

    def delete_password(self, service, username):
        if (service, username) not in self.store:
            import keyring.errors

            raise keyring.errors.PasswordDeleteError(username)
        del self.store[(service, username)]


@pytest.fixture
def use_keyring(monkeypatch):
    monkeypatch.delenv("PYTHON_KEYRING_BACKEND", raising=False)
    monkeypatch.delenv(secrets.ENV_VAR, raising=False)
    monkeypatch.setattr(keyring.core, "load_config", lambda: None)
    previous = keyring.get_keyring()

    def use(kr):
        keyring.set_keyring(kr)
        return kr

    yield use
    keyring.set_keyring(previous)


def test_key_round_trip_in_an_os_keyring(use_keyring, monkeypatch):
    kr = use_keyring(MemoryKeyring())
    assert secrets.keyring_status().available
    secrets.set_key("https://llm.example.org/v1", "  sk-abc  ")
    assert kr.store == {("abstractor", "https://llm.example.org"): "sk-abc"}
    assert secrets.stored_key("https://llm.example.org/other/v1") == "sk-abc"   # one key per server
    assert secrets.api_key("https://llm.example.org") == "sk-abc"
    monkeypatch.setenv(secrets.ENV_VAR, "sk-env")
    assert secrets.api_key("https://llm.example.org") == "sk-env"              # the environment wins
    assert secrets.delete_key("https://llm.example.org") and not secrets.delete_key("https://llm.example.org")
    with pytest.raises(ValueError, match="empty"):
        secrets.set_key("https://llm.example.org", "   ")


def test_plain_text_fallback_is_refused(use_keyring, tmp_path):
    use_keyring(PlaintextKeyring())      # what keyring falls back to on headless Linux with keyrings.alt
    status = secrets.keyring_status()
    assert not status.available and "no OS keyring" in status.reason
    with pytest.raises(secrets.NoKeyring, match="kept for this session only"):
        secrets.set_key("https://llm.example.org", "sk-abc")
    assert secrets.stored_key("https://llm.example.org") is None


def test_an_explicitly_chosen_backend_is_honoured(use_keyring, monkeypatch, tmp_path):
    monkeypatch.setenv("PYTHON_KEYRING_BACKEND", "keyrings.alt.file.PlaintextKeyring")
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path))
    status = secrets.keyring_status()
    assert status.available and status.backend.endswith("PlaintextKeyring")
    secrets.set_key("http://127.0.0.1:8080/v1", "sk-explicit")
    assert secrets.stored_key("http://127.0.0.1:8080") == "sk-explicit"
