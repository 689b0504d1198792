"""Passwords, tokens and login throttling for the web app (no web framework imports).

- Passwords are hashed with Argon2id (argon2-cffi defaults, RFC 9106 low-memory profile).
- Session and invitation tokens are random (``secrets.token_urlsafe``); only their SHA-256
  is stored, so a copy of the database does not let anyone log in.
- CSRF tokens are per session and compared in constant time.
- Login throttling: after ``max_failures`` failed attempts for one e-mail address or one
  client address within ``window``, further attempts are refused until the window passes.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import threading
import time
from collections import deque
from dataclasses import dataclass, field

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

_hasher = PasswordHasher()

MIN_PASSWORD_LENGTH = 10


def hash_password(password: str) -> str:
    """Argon2id hash of a password."""
    return _hasher.hash(password)


def verify_password(password_hash: str, password: str) -> bool:
    """Whether ``password`` matches the stored hash (never raises for a mismatch)."""
    try:
        return _hasher.verify(password_hash, password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def password_problem(password: str) -> tuple[str, str] | None:
    """Why a new password is not acceptable, as (Dutch, English); ``None`` when fine."""
    if len(password) < MIN_PASSWORD_LENGTH:
        return (
            f"Het wachtwoord moet minstens {MIN_PASSWORD_LENGTH} tekens hebben.",
            f"The password must have at least {MIN_PASSWORD_LENGTH} characters.",
        )
    if password.strip() != password:
        return (
            "Het wachtwoord mag niet met een spatie beginnen of eindigen.",
            "The password must not start or end with a space.",
        )
    return None


def generate_password() -> str:
    """A random password that people can type (16 characters, no look-alikes)."""
    alphabet = "abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789"
    return "".join(secrets.choice(alphabet) for _ in range(16))


def new_token() -> str:
    """A random URL-safe token (256 bits)."""
    return secrets.token_urlsafe(32)


def token_digest(token: str) -> str:
    """SHA-256 of a token, as stored in the database."""
    return hashlib.sha256(token.encode()).hexdigest()


def tokens_equal(a: str, b: str) -> bool:
    """Constant-time comparison of two tokens."""
    return hmac.compare_digest(a.encode(), b.encode())


@dataclass
class LoginThrottle:
    """Counts failed logins per key (e-mail address, client address) in a sliding window."""

    max_failures: int = 5
    window_s: float = 15 * 60
    _failures: dict[str, deque[float]] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def _recent(self, key: str, now: float) -> deque[float]:
        q = self._failures.setdefault(key, deque())
        while q and now - q[0] > self.window_s:
            q.popleft()
        return q

    def blocked(self, *keys: str, now: float | None = None) -> bool:
        """Whether any of the keys has reached the limit."""
        now = time.monotonic() if now is None else now
        with self._lock:
            return any(len(self._recent(k, now)) >= self.max_failures for k in keys)

    def fail(self, *keys: str, now: float | None = None) -> None:
        """Record a failed attempt for each key."""
        now = time.monotonic() if now is None else now
        with self._lock:
            for k in keys:
                self._recent(k, now).append(now)

    def succeed(self, *keys: str) -> None:
        """Forget the failures of these keys after a successful login."""
        with self._lock:
            for k in keys:
                self._failures.pop(k, None)
