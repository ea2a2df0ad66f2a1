"""The progress bar of `newsgraph ingest`: articles so far, speed and ETA, on standard error.

The bar appears once the model is loaded (`ready()`): loading takes seconds and parses
nothing, and a clock that counted it would start with an ETA of hours. Articles settled
before that (duplicates, articles in other languages) are carried into the bar's count
without counting towards its speed.
"""

from __future__ import annotations

import sys
from typing import Any, TextIO


def speed(rate: float | None) -> str:
    """Articles per second as people read it: `3.20 articles/s`, or `10.30 s/article` below one."""
    if not rate:
        return "? articles/s"
    if rate >= 1:
        return f"{rate:.2f} articles/s"
    return f"{1 / rate:.2f} s/article"


class IngestProgress:
    """Counts articles as an ingest settles them; draws a bar from `ready()` on.

    Args:
        total: how many articles the inputs hold, when known (for the percentage and ETA).
        stream: where to draw; standard error by default, never standard output.
        interactive: redraw often (a terminal) or seldom (a log file).
    """

    def __init__(self, total: int | None, *, stream: TextIO | None = None, interactive: bool = True) -> None:
        self.total = total
        self.stream = stream or sys.stderr
        self.interactive = interactive
        self.settled = 0  # before the bar exists
        self.bar: Any = None

    def ready(self) -> None:
        """The model is loaded: start the clock and show the bar."""
        if self.bar is None:
            self.bar = _make_bar(self.total, self.settled, self.stream, self.interactive)

    def update(self, n: int = 1) -> None:
        if self.bar is None:
            self.settled += n
        else:
            self.bar.update(n)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()


def _make_bar(total: int | None, initial: int, stream: TextIO, interactive: bool) -> Any:
    from tqdm import tqdm

    class Bar(tqdm):
        @property
        def format_dict(self) -> dict[str, Any]:
            shown = super().format_dict
            rate = shown["rate"]
            if rate is None and shown["elapsed"]:
                rate = (shown["n"] - shown["initial"]) / shown["elapsed"]
            return {**shown, "speed": speed(rate)}

    # no monitor thread: worker processes are forked only from a single-threaded process
    tqdm.monitor_interval = 0
    layout = ("{l_bar}{bar}| {n_fmt}/{total_fmt} articles [{elapsed} elapsed, {remaining} left, {speed}]"
              if total else "{n_fmt} articles [{elapsed} elapsed, {speed}]")
    return Bar(total=total, initial=initial, file=stream, dynamic_ncols=True, bar_format=layout,
               mininterval=0.5 if interactive else 5.0)
