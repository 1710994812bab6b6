"""Store layer: installed library versions for cache keys, read from the names of their metadata folders.

One listing of each import path instead of importlib.metadata's search per library (30 ms a build here):
pip names the folder `project-version.dist-info`, and the first one on the path is the one imported.
"""

from __future__ import annotations

import functools
import os
import sys


def _normalised(project: str) -> str:
    return project.lower().replace("_", "-").replace(".", "-")


@functools.lru_cache(maxsize=1)
def _installed() -> dict[str, str]:
    found: dict[str, str] = {}
    for entry in sys.path:
        try:
            names = os.listdir(entry or ".")
        except OSError:
            continue
        for name in names:
            for suffix in (".dist-info", ".egg-info"):
                stem = name[:-len(suffix)]
                if name.endswith(suffix) and "-" in stem:  # the suffix itself has a dash: look at the name only
                    project, _, version = stem.partition("-")
                    found.setdefault(_normalised(project), version)
    return found


def installed_version(project: str) -> str:
    """The version of an installed project, or "-" when it is not installed."""
    return _installed().get(_normalised(project), "-")
