"""The secret that keys the audit log's hash chain (HMAC-SHA256), kept outside the database.

Whoever can write to the database can recompute plain SHA-256 hashes; without this key they cannot
compute the keyed ones. The key comes from ``STATUSHOUDERS_AUDIT_KEY`` or from a key file
(``STATUSHOUDERS_AUDIT_KEY_FILE``, default ``audit.key`` in the data directory). Several keys may be
given, one per line in the file or separated by whitespace in the variable: the first signs new rows
and anchors, the others only verify what they signed before (key rotation).

When nothing is configured, the first writer generates a random key file in the data directory
(owner-only permissions) and logs that: convenient for ``make run``; a deployment sets its own key.
Verifying never generates a key: a verifier without the key says so instead.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import os
import secrets
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from . import config

KEY_ENV = "STATUSHOUDERS_AUDIT_KEY"
KEY_FILE_ENV = "STATUSHOUDERS_AUDIT_KEY_FILE"
MIN_LENGTH = 32
log = logging.getLogger("statushouders.audit")


class AuditKeyError(RuntimeError):
    """The configured key cannot be used (too short, or a configured key file is missing)."""


@dataclass(frozen=True)
class Key:
    id: str  # a fingerprint stored on every row and anchor it signed; reveals nothing of the secret
    secret: bytes = field(repr=False)

    def hasher(self) -> "hmac.HMAC":
        """A keyed HMAC-SHA256 not yet fed: ``copy()`` it per message, so the key is set up once."""
        return hmac.new(self.secret, digestmod=hashlib.sha256)

    def mac(self, data: bytes) -> str:
        return hmac.new(self.secret, data, hashlib.sha256).hexdigest()


def _key(text: str, source: str) -> Key:
    if len(text) < MIN_LENGTH:
        raise AuditKeyError(f"audit key from {source} is too short: at least {MIN_LENGTH} characters")
    secret = text.encode()
    return Key(hmac.new(secret, b"statushouders audit key id", hashlib.sha256).hexdigest()[:16], secret)


@lru_cache(maxsize=16)
def _parse(text: str, source: str) -> tuple[Key, ...]:
    words = [line.strip() for line in text.splitlines() if line.strip() and not line.lstrip().startswith("#")]
    keys = tuple(_key(word, source) for line in words for word in line.split())
    if not keys:
        raise AuditKeyError(f"no audit key in {source}")
    return keys


@lru_cache(maxsize=16)
def _from_file(path: str, _mtime_ns: int, _size: int) -> tuple[Key, ...]:
    return _parse(Path(path).read_text(encoding="utf-8"), path)


def _generate(path: Path) -> None:
    """Write a new random key to ``path`` unless another process just did (no half-written file is ever seen)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        os.write(fd, (secrets.token_hex(32) + "\n").encode())
        os.fsync(fd)
    finally:
        os.close(fd)
    try:
        os.link(tmp, path)
        log.warning("No audit key configured: generated %s (set %s or %s in production)", path, KEY_ENV, KEY_FILE_ENV)
    except FileExistsError:
        pass  # another process was first; its key is the one
    finally:
        os.unlink(tmp)


def configured(create: bool = False) -> tuple[Key, ...]:
    """The configured keys, current first; empty when none is configured (and ``create`` is false)."""
    text = os.environ.get(KEY_ENV, "")
    if text.strip():
        return _parse(text, KEY_ENV)
    path = config.audit_key_file()
    try:
        stat = path.stat()
    except FileNotFoundError:
        if os.environ.get(KEY_FILE_ENV):
            raise AuditKeyError(f"{KEY_FILE_ENV} names {path}, which does not exist") from None
        if not create:
            return ()
        _generate(path)
        stat = path.stat()
    return _from_file(str(path), stat.st_mtime_ns, stat.st_size)


def current() -> Key:
    """The key that signs new rows and anchors (generated in the data directory when none is configured)."""
    return configured(create=True)[0]


def known() -> dict[str, Key]:
    """Every configured key by id, for verifying; never generates one."""
    return {key.id: key for key in configured()}
