"""Login throttling: exponential back-off per account and per client address.

Each failed login counts against the account tried and the address it came from. After a few
free failures the next attempt must wait: 1 s, then 2, 4, 8 ... up to `max_s`. An attempt
made while waiting is refused without checking the password (HTTP 429 with Retry-After) and
does not count, so the owner can log in once the wait is over. A success clears the
account's count; the address's count fades after `forget_s` without failures, so a guesser
cannot reset it by logging in to an account of their own.
"""

from __future__ import annotations

import math
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass

MAX_KEYS = 50_000  # remembered accounts and addresses (the oldest are forgotten first)


@dataclass(frozen=True)
class Backoff:
    """How one kind of key (account or address) is slowed down."""

    free: int  # failures allowed before any wait
    base_s: float = 1.0
    max_s: float = 900.0
    forget_s: float = 900.0  # a key with no failure for this long starts afresh

    def wait(self, failures: int) -> float:
        over = failures - self.free
        return 0.0 if over < 0 else min(self.max_s, self.base_s * 2.0 ** min(over, 40))


ACCOUNT = Backoff(free=5)
ADDRESS = Backoff(free=20)  # several people may share one address (an office, a proxy)


@dataclass
class _Record:
    failures: int
    last: float


class LoginThrottle:
    """Failure counts and waits for accounts and client addresses (in memory)."""

    def __init__(self, *, account: Backoff = ACCOUNT, address: Backoff = ADDRESS,
                 clock: Callable[[], float] = time.monotonic):
        self.rules = {"account": account, "address": address}
        self.clock = clock
        self._records: OrderedDict[tuple[str, str], _Record] = OrderedDict()

    def _record(self, kind: str, key: str) -> _Record | None:
        record = self._records.get((kind, key))
        if record and self.clock() - record.last > self.rules[kind].forget_s:
            del self._records[(kind, key)]
            return None
        return record

    def retry_after(self, account: str | None, address: str) -> int:
        """Whole seconds to wait before this attempt may be checked (0: go ahead). Without
        an account, only the address's wait (known before the form is read)."""
        now = self.clock()
        wait = 0.0
        for kind, key in (("account", account), ("address", address)):
            record = self._record(kind, key) if key is not None else None
            if record:
                wait = max(wait, record.last + self.rules[kind].wait(record.failures) - now)
        return math.ceil(wait) if wait > 0 else 0

    def failed(self, account: str, address: str) -> None:
        now = self.clock()
        for kind, key in (("account", account), ("address", address)):
            record = self._record(kind, key) or _Record(0, now)
            record.failures += 1
            record.last = now
            self._records[(kind, key)] = record
            self._records.move_to_end((kind, key))
        while len(self._records) > MAX_KEYS:
            self._records.popitem(last=False)

    def succeeded(self, account: str) -> None:
        self._records.pop(("account", account), None)
