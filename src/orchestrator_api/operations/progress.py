"""Progress lines for long CLI work (``dags sync`` on a large folder, ``secrets rotate``).

A line goes to stderr every ``every`` items and once at the end, so stdout keeps only the command's
result and a script can silence the progress with ``--quiet`` (or ``2>/dev/null``). Counting, not
timing, decides when a line is written: the same input always gives the same output.
"""

from __future__ import annotations

import sys
from typing import TextIO


class Progress:
    """``label: done/total unit`` lines; call it as ``progress(done, total)`` after each item or batch."""

    def __init__(
        self, label: str, unit: str, every: int, *, quiet: bool = False, stream: TextIO | None = None
    ):
        self.label = label
        self.unit = unit
        self.every = max(every, 1)
        self.quiet = quiet
        self.stream = stream
        self._next = self.every

    def __call__(self, done: int, total: int) -> None:
        if self.quiet or total < self.every:
            return  # small jobs finish before anyone wonders
        if done >= self._next or done == total:
            stream = self.stream or sys.stderr
            print(f"{self.label}: {done}/{total} {self.unit}", file=stream, flush=True)
            while self._next <= done:
                self._next += self.every
