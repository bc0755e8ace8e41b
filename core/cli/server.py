"""``abstractor key set|delete|status URL`` and the ``run --server`` options.

The key is read from the terminal without echo (or from standard input when
that is not a terminal), never from the command line, so it stays out of
shell history and process lists.
"""
from __future__ import annotations

import getpass
import os
import sys

from core.cli.common import CliError


def _read_key(url: str) -> str:
    if sys.stdin.isatty():
        return getpass.getpass(f"API key for {url} (not shown): ")
    return sys.stdin.readline().strip()


def cmd_key(args) -> int:
    from core import secrets
    from core.remote.config import ServerConfigError, endpoint_key

    try:
        where = endpoint_key(args.url)
    except ServerConfigError as exc:
        raise CliError(str(exc)) from None
    status = secrets.keyring_status()
    if args.action == "status":
        have = secrets.stored_key(args.url) is not None
        print(f"keyring: {status.backend if status.available else 'none (' + status.reason + ')'}; "
              f"key for {where}: {'stored' if have else 'not stored'}; "
              f"{secrets.ENV_VAR}: {'set' if secrets.ENV_VAR in os.environ else 'not set'}")
        return 0
    try:
        if args.action == "set":
            secrets.set_key(args.url, _read_key(where))
            print(f"stored the key for {where} in the keyring ({status.backend})", file=sys.stderr)
        else:
            found = secrets.delete_key(args.url)
            print(f"{'deleted' if found else 'there was no'} key for {where}", file=sys.stderr)
    except secrets.NoKeyring as exc:
        raise CliError(str(exc)) from None
    except ValueError as exc:
        raise CliError(str(exc)) from None
    return 0


def add_run_arguments(r) -> None:
    """The ``run`` options for an inference server (registered by core.cli.run)."""
    g = r.add_argument_group("inference server (instead of the in-process model)")
    g.add_argument("--server", metavar="URL", help="OpenAI-compatible endpoint, e.g. http://127.0.0.1:8080/v1; "
                   "the key comes from the keyring (abstractor key set URL) or ABSTRACTOR_API_KEY")
    g.add_argument("--server-model", metavar="NAME", help="the model name the server knows")
    g.add_argument("--concurrency", type=int, default=4, help="requests in flight at once (default 4)")
    g.add_argument("--server-timeout", type=float, default=300.0, metavar="S",
                   help="seconds to wait for one answer, queueing on the server included (default 300)")
    g.add_argument("--server-retries", type=int, default=4, metavar="N",
                   help="retries on 429, 5xx, time-outs and refused connections (default 4)")
    g.add_argument("--allow-http", action="store_true",
                   help="allow plain http:// to a host that is not this computer (report text unencrypted)")


def server_from_args(args):
    """(ServerConfig, api key) for ``run --server``, or (None, None) for the in-process model."""
    if not getattr(args, "server", None):
        if getattr(args, "server_model", None):
            raise CliError("--server-model needs --server URL.")
        return None, None
    from core import secrets
    from core.remote.config import ServerConfig, ServerConfigError

    if args.model:
        raise CliError("--model is a local GGUF file; with --server use --server-model NAME.")
    if not args.server_model:
        raise CliError("--server needs --server-model NAME (the model name the server knows).")
    try:
        cfg = ServerConfig.create(
            args.server, args.server_model, concurrency=args.concurrency, timeout_s=args.server_timeout,
            retries=args.server_retries, allow_http=args.allow_http,
            temperature=args.temperature if args.temperature is not None else 0.0,
            seed=args.seed if args.seed is not None else 1234, max_output_tokens=args.max_output_tokens or 0)
    except ServerConfigError as exc:
        raise CliError(str(exc)) from None
    return cfg, secrets.api_key(cfg.url)


def register(sub) -> None:
    k = sub.add_parser("key", help="store the API key of an inference server in the OS keyring")
    k.add_argument("action", choices=["set", "delete", "status"])
    k.add_argument("url", help="the server's address, e.g. https://llm.example.org/v1")
    k.set_defaults(func=cmd_key)
