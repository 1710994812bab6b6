"""Entry point for `python -m lecturegen` (CLI layer)."""

from lecturegen.cli import main

main()
