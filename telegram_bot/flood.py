"""Flood protection: a per-user message budget."""

from __future__ import annotations

from collections import OrderedDict, deque


class FloodGuard:
    """Per-user message budget: *limit* messages per *window* seconds.

    The first message over the budget gets one notice; the rest are ignored
    until the window has passed. Memory stays bounded: at most *max_users*
    users are remembered (the least recently seen are forgotten first), each
    with at most *limit* timestamps.

    >>> guard = FloodGuard(limit=2, window=60)
    >>> [guard.check(1, now=t) for t in (0, 1, 2, 3)], guard.check(2, now=3), guard.check(1, now=61)
    (['ok', 'ok', 'notice', 'drop'], 'ok', 'ok')
    """

    def __init__(self, *, limit: int = 20, window: float = 60.0, max_users: int = 10_000) -> None:
        self.limit = limit
        self.window = window
        self.max_users = max_users
        self._seen: OrderedDict[int, tuple[deque[float], bool]] = OrderedDict()

    def check(self, user_id: int, *, now: float) -> str:
        """``"ok"`` to answer, ``"notice"`` to send the one notice, ``"drop"`` to stay silent."""
        times, noticed = self._seen.pop(user_id, (deque(maxlen=self.limit), False))
        while times and now - times[0] >= self.window:
            times.popleft()
        if len(times) < self.limit:
            times.append(now)
            verdict, noticed = "ok", False
        else:
            verdict, noticed = ("drop" if noticed else "notice"), True
        self._seen[user_id] = (times, noticed)
        while len(self._seen) > self.max_users:
            self._seen.popitem(last=False)
        return verdict

    def __len__(self) -> int:
        return len(self._seen)
