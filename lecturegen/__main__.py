"""Entry point for `python -m lecturegen` and the `lecturegen` command (CLI layer)."""

INTERRUPTED = "interrupted (Ctrl-C); no output was left half-written"  # lecturegen.cli_options.INTERRUPTED


def _quiet_exit(signum: int, frame: object) -> None:
    import os

    os.write(2, (INTERRUPTED + "\n").encode())
    os._exit(130)


def run() -> None:
    """The CLI, with Ctrl-C one line and exit 130 while the CLI is imported and while it runs (its own handler);
    after it, while the interpreter shuts down, Ctrl-C is ignored."""
    import gc
    import signal

    # A command keeps nearly everything it allocates until it ends (modules, records, the deck) and makes few
    # cycles, so the collector's passes find almost nothing: at the default threshold (700) it ran 73 times in a
    # rebuild of keynote-1h (8 ms of 250), and each pass costs in proportion to the objects it scans, so a higher
    # threshold alone saves little. At 100,000 net new containers a one-hour talk never reaches a pass; a
    # 1,000-slide talk still gets its passes, so cyclic garbage stays bounded.
    gc.set_threshold(100_000, 10, 10)
    if getattr(signal.getsignal(signal.SIGINT), "__name__", "") == "_interrupted_at_start":  # see __init__.py
        signal.signal(signal.SIGINT, signal.default_int_handler)
    code: str | int | None = 0
    try:
        from lecturegen.cli import main

        main()
    except KeyboardInterrupt:
        _quiet_exit(signal.SIGINT, None)
    except SystemExit as done:  # how click ends every command
        code = done.code if done.code is None or isinstance(done.code, (int, str)) else str(done.code)
    finally:
        # The command has ended (its exit code is decided): a Ctrl-C while the interpreter shuts down changes
        # nothing. Ignored rather than handled, since Python puts a handler of its own back to the default action
        # when it finalises (the process would then die of the signal); an ignored signal it leaves alone.
        if signal.getsignal(signal.SIGINT) is signal.default_int_handler:
            signal.signal(signal.SIGINT, signal.SIG_IGN)
    _exit_without_teardown(code)


def _exit_without_teardown(code: str | int | None) -> None:
    """End the process as `sys.exit(code)` would, without dismantling the interpreter.

    Python's exit waits for the threads, runs the atexit functions, then takes apart every module and object
    one by one: 70 ms after a first build (600 modules, python-pptx's and citeproc's among them), where the
    whole build takes a second. Nothing a command writes is open by then (every output is written atomically
    and closed), so only the threads, the atexit functions and the standard streams are seen to here."""
    import atexit
    import os
    import sys
    import threading

    run_exit_functions = getattr(atexit, "_run_exitfuncs", None)  # CPython's; elsewhere, the ordinary exit
    if run_exit_functions is None or sys.getprofile() is not None or sys.gettrace() is not None:
        sys.exit(code)  # a profiler or debugger running the CLI reports when the program has returned
    for thread in threading.enumerate():
        if thread is not threading.main_thread() and not thread.daemon and thread.is_alive():
            thread.join()
    run_exit_functions()
    if code is None or isinstance(code, int):
        status = code or 0
    else:
        print(code, file=sys.stderr)  # as sys.exit("message") prints it
        status = 1
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except (OSError, ValueError):
        status = status or 120  # what Python answers when it cannot flush at exit (a closed pipe)
    os._exit(status)


if __name__ == "__main__":
    run()
