"""lecturegen: research talks from YAML outlines, BibTeX and data (package root)."""

__version__ = "0.1.0"
