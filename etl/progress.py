"""A progress display for runs started from a terminal.

On a terminal one line is redrawn in place; elsewhere (CI logs, cron mail) a line is printed per
stage and at most every few seconds, so logs stay readable.
"""

from __future__ import annotations

import sys
import time
from typing import TextIO

LABELS = {
    "regions": "regions",
    "metadata": "indicator metadata",
    "data": "indicator data",
    "normalise": "normalising",
    "audit": "quality checks",
    "load": "loading into staging",
    "publish": "publishing",
}


class ProgressPrinter:
    def __init__(self, stream: TextIO | None = None, interval: float = 5.0) -> None:
        # sys.stderr looked up now, not at import: whoever redirected it since (tests, a worker) gets the output
        self.stream = stream if stream is not None else sys.stderr
        self.tty = self.stream.isatty()
        self.interval = interval
        self._stage = ""
        self._last = 0.0
        self._start = time.perf_counter()

    def __call__(self, stage: str, done: int, total: int) -> None:
        now = time.perf_counter()
        label = LABELS.get(stage, stage)
        text = f"[{now - self._start:6.1f} s] {label}" + (f" {done}/{total}" if total > 1 else "")
        if self.tty:
            self.stream.write("\r\033[K" + text)
            if stage == "publish":
                self.stream.write("\n")
            self.stream.flush()
            return
        if stage != self._stage or done == total or now - self._last >= self.interval:
            self.stream.write(text + "\n")
            self.stream.flush()
            self._stage, self._last = stage, now

    def finish(self) -> None:
        if self.tty:
            self.stream.write("\r\033[K")
            self.stream.flush()
