"""Entry point for `python -m lecturegen` and the `lecturegen` command (CLI layer)."""

INTERRUPTED = "interrupted (Ctrl-C); no output was left half-written"  # lecturegen.cli_options.INTERRUPTED


def _quiet_exit(signum: int, frame: object) -> None:
    import os

    os.write(2, (INTERRUPTED + "\n").encode())
    os._exit(130)


def run() -> None:
    """The CLI, with Ctrl-C one line and exit 130 while the CLI is imported and while it runs (its own handler);
    after it, while the interpreter shuts down, Ctrl-C is ignored."""
    import signal

    if getattr(signal.getsignal(signal.SIGINT), "__name__", "") == "_interrupted_at_start":  # see __init__.py
        signal.signal(signal.SIGINT, signal.default_int_handler)
    try:
        from lecturegen.cli import main

        main()
    except KeyboardInterrupt:
        _quiet_exit(signal.SIGINT, None)
    finally:
        # The command has ended (its exit code is decided): a Ctrl-C while the interpreter shuts down changes
        # nothing. Ignored rather than handled, since Python puts a handler of its own back to the default action
        # when it finalises (the process would then die of the signal); an ignored signal it leaves alone.
        if signal.getsignal(signal.SIGINT) is signal.default_int_handler:
            signal.signal(signal.SIGINT, signal.SIG_IGN)


if __name__ == "__main__":
    run()
