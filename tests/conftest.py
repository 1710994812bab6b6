"""Shared fixtures: the repository's own workspace and small throwaway workspaces."""

from __future__ import annotations

import shutil
import textwrap
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="session")
def repo_root() -> Path:
    return REPO


MINI_BIB = """\
@article{cooper2005,
  author  = {Cooper, Mick},
  title   = {Therapists' experiences of relational depth: {A} qualitative interview study},
  journal = {Counselling and Psychotherapy Research},
  year    = {2005},
  volume  = {5},
  number  = {2},
  pages   = {87--95},
  doi     = {10.1080/17441690500211130}
}

@article{knox2010,
  author  = {Knox, Rosanne and Cooper, Mick},
  title   = {Relationship qualities that are associated with moments of relational depth: {The} client's perspective},
  journal = {Person-Centered and Experiential Psychotherapies},
  year    = {2010},
  volume  = {9},
  number  = {3},
  pages   = {236--256}
}

@book{unused2001,
  author    = {Nobody, Ann},
  title     = {A book no slide cites},
  year      = {2001},
  publisher = {Sage}
}
"""

MINI_TALK = """\
title: A small talk
subtitle: For tests
presenter: Test Presenter
affiliation: Test University
slot: 10
theme: calm
source_lines: true
reserved:
  - {title: Questions, minutes: 2}
sections:
  - use: intro
"""

MINI_SECTION = """\
title: Introduction
summary: Where we start.
slides:
  - kind: bullets
    id: first
    title: First findings
    bullets:
      - Therapists described deep moments [@cooper2005]
      - Clients saw their therapists as real:
          - trustworthy
          - genuinely caring
    notes: |
      As @knox2010 found, clients noticed the difference.
  - kind: statement
    id: number
    title: Eight of eight
    statement: "8 of 8"
    caption: Every therapist interviewed had experienced it [@cooper2005].
    notes: Let the number land.
"""


def write_workspace(root: Path, files: dict[str, str]) -> Path:
    """A workspace with the calm theme and the given files (relative path → text)."""
    (root / "content" / "talks").mkdir(parents=True, exist_ok=True)
    (root / "content" / "sections").mkdir(parents=True, exist_ok=True)
    shutil.copytree(REPO / "themes" / "calm", root / "themes" / "calm", dirs_exist_ok=True)
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text), encoding="utf-8")
    return root


@pytest.fixture
def mini(tmp_path: Path) -> Path:
    return write_workspace(tmp_path / "ws", {
        "bibliography.bib": MINI_BIB,
        "content/talks/small.yaml": MINI_TALK,
        "content/sections/intro.yaml": MINI_SECTION,
    })
