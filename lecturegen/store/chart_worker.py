"""Store layer: the process that draws chart pictures for `ChartDrawer` (`python -m lecturegen.store.chart_worker`).

A fresh interpreter rather than a forked or multiprocessing-spawned one: a fork counts the build's own pages
in the worker's resident set, and multiprocessing's spawn runs the parent's `__main__` script again in the
worker (a script without a main guard, or a build started from standard input, would break it).

The protocol, on standard input and output: a request is a length-prefixed pickle of
`(chart, style, width_in, height_in, dpi)`; the answer is a status byte (0: PNG bytes follow, 1: a pickled
exception follows) and a length-prefixed payload. The worker ends when its input ends.
"""

from __future__ import annotations

import pickle
import struct
import sys
from typing import IO

HEADER = struct.Struct(">Q")
DRAWN, FAILED = 0, 1


def read_message(stream: IO[bytes]) -> bytes | None:
    """One length-prefixed message, or None at the end of the stream."""
    header = stream.read(HEADER.size)
    if len(header) < HEADER.size:
        return None
    (size,) = HEADER.unpack(header)
    payload = stream.read(size)
    if len(payload) < size:
        return None
    return payload


def serve(requests: IO[bytes], answers: IO[bytes]) -> None:
    """Draw every request in turn until the input ends."""
    import lecturegen.render.charts_mpl  # noqa: F401  # matplotlib and its font list, while the build compiles
    from lecturegen.store.charts import draw_chart

    while True:
        message = read_message(requests)
        if message is None:
            return
        try:
            chart, style, width_in, height_in, dpi = pickle.loads(message)
            status, payload = DRAWN, draw_chart(chart, style, width_in, height_in, dpi)
        except Exception as exc:  # noqa: BLE001 - handed back to the build, which raises it where it waits
            status, payload = FAILED, _pickled(exc)
        answers.write(bytes([status]) + HEADER.pack(len(payload)) + payload)
        answers.flush()


def _pickled(exc: Exception) -> bytes:
    try:
        return pickle.dumps(exc)
    except Exception:  # noqa: BLE001 - an exception that cannot be pickled is described instead
        return pickle.dumps(RuntimeError(f"drawing a chart failed: {type(exc).__name__}: {exc}"))


if __name__ == "__main__":
    import os
    import signal

    # Ctrl-C is the build's to handle: it ends this worker by closing its input (or killing it).
    signal.signal(signal.SIGINT, signal.SIG_IGN)

    # The answers go to a private copy of standard output; anything a library prints lands on stderr.
    answers = os.fdopen(os.dup(1), "wb")
    os.dup2(2, 1)
    serve(sys.stdin.buffer, answers)
