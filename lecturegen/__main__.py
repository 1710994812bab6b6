"""Entry point for `python -m lecturegen` (CLI layer)."""

from lecturegen.cli import main

if __name__ == "__main__":  # a spawned worker process imports this module without running the CLI
    main()
