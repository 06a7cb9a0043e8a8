"""Ctrl-C during a run: the main process stops it; worker processes leave it to the main one.

Worker processes are forked while this handler is installed, so they inherit it and ignore
SIGINT: they print no traceback and die only when the main process ends the pool. Without
this, workers killed mid-message leave the pool waiting for results that never come.
"""

from __future__ import annotations

import os
import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def interrupts_in_main_process() -> Iterator[None]:
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    main = os.getpid()

    def on_interrupt(signum, frame) -> None:
        if os.getpid() == main:
            signal.default_int_handler(signum, frame)

    previous = signal.signal(signal.SIGINT, on_interrupt)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)
