"""The server's API key, in the OS keyring and nowhere else.

The key is stored with :mod:`keyring` under the service ``abstractor`` and
the server's ``scheme://host:port``.  It is never written to settings, the
project file, logs or exports, and never taken from the command line.  The
command line also reads ``ABSTRACTOR_API_KEY`` (for CI and scripts).

Only a real OS keyring counts (macOS Keychain, Windows Credential Locker,
Secret Service or KWallet on Linux), or a backend the user chose
explicitly (``PYTHON_KEYRING_BACKEND`` or keyring's config file).  A
plain-text file backend that keyring would otherwise fall back to is
refused: then the app keeps the key for the session only and says why.
"""
from __future__ import annotations

import os
from dataclasses import dataclass

from core.remote.config import endpoint_key

SERVICE = "abstractor"
ENV_VAR = "ABSTRACTOR_API_KEY"
MIN_PRIORITY = 1.0          # keyring's plain-text and "fail" backends rank below this


class NoKeyring(RuntimeError):
    """No OS keyring is available; the message says why and what to do instead."""


@dataclass(frozen=True)
class KeyringStatus:
    available: bool
    backend: str            # the backend's name, or "" when none
    reason: str = ""        # why not, in words


def keyring_status() -> KeyringStatus:
    try:
        import keyring
        import keyring.core
    except ImportError:
        return KeyringStatus(False, "", "the 'keyring' package is not installed")
    try:
        explicit = keyring.core.load_env() or keyring.core.load_config()
    except Exception as exc:  # noqa: BLE001 - a broken keyring set-up must be reported, not crash
        return KeyringStatus(False, "", f"the configured keyring backend could not be loaded ({exc})")
    kr = explicit or keyring.get_keyring()
    name = f"{type(kr).__module__}.{type(kr).__name__}"
    if explicit is not None:
        return KeyringStatus(True, name)
    try:
        priority = float(kr.priority)
    except Exception:  # noqa: BLE001 - keyring raises RuntimeError subclasses for unusable backends
        priority = 0.0
    if priority < MIN_PRIORITY:
        return KeyringStatus(False, name, "no OS keyring (Keychain, Credential Locker, Secret Service or "
                                          "KWallet) is available to this session")
    return KeyringStatus(True, name)


def _keyring():
    status = keyring_status()
    if not status.available:
        raise NoKeyring(f"The API key cannot be stored: {status.reason}. It is kept for this session only "
                        f"(or set {ENV_VAR} for the command line); it is never written to a file.")
    import keyring
    import keyring.core

    return keyring.core.load_env() or keyring.core.load_config() or keyring.get_keyring()


def set_key(url: str, key: str) -> None:
    key = key.strip()
    if not key:
        raise ValueError("The API key is empty.")
    _keyring().set_password(SERVICE, endpoint_key(url), key)


def delete_key(url: str) -> bool:
    """Remove the stored key; False when there was none."""
    import keyring.errors

    try:
        _keyring().delete_password(SERVICE, endpoint_key(url))
    except keyring.errors.PasswordDeleteError:
        return False
    return True


def stored_key(url: str) -> str | None:
    """The key in the keyring for ``url``'s server, or None (also when there is no keyring)."""
    try:
        kr = _keyring()
    except NoKeyring:
        return None
    return kr.get_password(SERVICE, endpoint_key(url))


def api_key(url: str) -> str | None:
    """The key the command line uses: ``ABSTRACTOR_API_KEY`` if set, else the keyring's."""
    return os.environ.get(ENV_VAR) or stored_key(url)
