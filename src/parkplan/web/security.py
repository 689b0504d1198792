"""Passwords, tokens and login throttling for the web app (no web framework imports).

- Passwords are hashed with Argon2id (argon2-cffi defaults, RFC 9106 low-memory profile).
- Session and invitation tokens are random (``secrets.token_urlsafe``); only their SHA-256
  is stored, so a copy of the database does not let anyone log in.
- CSRF tokens are per session and compared in constant time.
- Login throttling: after ``max_failures`` failed attempts for one e-mail address or one
  client address within ``window``, further attempts are refused until the window passes.
- Session cache: a resolved session is remembered for a few seconds by its token digest, so
  a page view does not read the session, user and memberships again; see
  :class:`SessionCache` for what forgets it.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Generic, TypeVar

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

_hasher = PasswordHasher()

T = TypeVar("T")

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


@dataclass(eq=False)
class SessionCache(Generic[T]):
    """Resolved web sessions by token digest, each kept at most ``ttl_s`` seconds.

    Never longer than the session itself (``expires_at_s``, wall clock) and forgotten at once
    by :meth:`invalidate` (the web app calls it whenever an account, a membership or a
    session changes in this process: log out, role or password change) or
    :meth:`discard`. Changes made by another process are seen after at most ``ttl_s``.
    A lookup that started before an invalidation cannot store its (possibly stale) answer:
    take :meth:`generation` before reading the database and pass it to :meth:`put`.
    Unknown tokens are never cached.
    """

    ttl_s: float = 2.0
    """How long an entry is used without asking the database again. [s]"""
    max_entries: int = 10_000
    clock: Callable[[], float] = time.monotonic
    wall_clock: Callable[[], float] = time.time
    _entries: dict[str, tuple[float, float, T]] = field(default_factory=dict)
    _generation: int = 0
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def generation(self) -> int:
        """The current generation; changes on every :meth:`invalidate`."""
        return self._generation

    def get(self, digest: str) -> T | None:
        """The cached value, or ``None`` when absent, too old or the session expired."""
        entry = self._entries.get(digest)
        if entry is None:
            return None
        until, expires_at_s, value = entry
        if self.clock() >= until or self.wall_clock() >= expires_at_s:
            with self._lock:
                if self._entries.get(digest) is entry:
                    del self._entries[digest]
            return None
        return value

    def put(self, digest: str, value: T, *, expires_at_s: float, generation: int) -> None:
        """Remember ``value`` unless the cache was invalidated since ``generation``."""
        with self._lock:
            if generation != self._generation:
                return
            if len(self._entries) >= self.max_entries:
                now = self.clock()
                self._entries = {k: e for k, e in self._entries.items() if e[0] > now}
                if len(self._entries) >= self.max_entries:
                    self._entries.clear()
            self._entries[digest] = (self.clock() + self.ttl_s, expires_at_s, value)

    def discard(self, digest: str) -> None:
        """Forget one session (and any lookup of it in progress)."""
        with self._lock:
            self._generation += 1
            self._entries.pop(digest, None)

    def invalidate(self) -> None:
        """Forget every session (and any lookup in progress)."""
        with self._lock:
            self._generation += 1
            self._entries.clear()
