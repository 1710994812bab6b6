"""lecturegen: research talks from YAML outlines, BibTeX and data (package root)."""

import sys as _sys

__version__ = "0.1.0"

if _sys.argv[:1] == ["-m"]:  # `python -m lecturegen` is starting (runpy sets argv[0] to "-m" meanwhile)
    # Ctrl-C before lecturegen/__main__.py runs (Python compiling it) is one line and exit 130 too; run()
    # puts Python's own handler back before the CLI is imported. Imported as a library, nothing changes.
    import signal as _signal

    def _interrupted_at_start(signum: int, frame: object) -> None:
        import os

        os.write(2, b"interrupted (Ctrl-C); no output was left half-written\n")
        os._exit(130)

    if _signal.getsignal(_signal.SIGINT) is _signal.default_int_handler:
        _signal.signal(_signal.SIGINT, _interrupted_at_start)
