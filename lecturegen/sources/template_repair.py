"""Load layer: repairs to a template's own schema defects, so that no deck built on it makes PowerPoint offer to
"repair" it.

Each repair is a known defect of a real producer, fixed where it stands, with one note naming the part.
"""

from __future__ import annotations

from typing import Callable

from lxml import etree

from lecturegen.ooxml import A

# The ISO transitional schema types a bullet's size as a percentage string ("45%", 25 % to 400 %);
# LibreOffice and Keynote write thousandths of a percent ("45000") as older drafts had it.
_BULLET_SIZE_LOW, _BULLET_SIZE_HIGH = 25, 400


def _bullet_sizes(root: etree._Element) -> int:
    repaired = 0
    for el in root.iter(f"{A}buSzPct"):
        value = (el.get("val") or "").strip()
        if value.endswith("%"):
            number = _number(value[:-1])
            if number is not None and _BULLET_SIZE_LOW <= number <= _BULLET_SIZE_HIGH and number == int(number):
                continue
        else:
            number = _number(value)
            number = number / 1000 if number is not None else None
        parent = el.getparent()
        if number is None and parent is not None:
            parent.remove(el)  # no size at all: the bullet follows the text's size
        else:
            assert number is not None
            el.set("val", f"{round(min(max(number, _BULLET_SIZE_LOW), _BULLET_SIZE_HIGH))}%")
        repaired += 1
    return repaired


def _letter_spacing(root: etree._Element) -> int:
    """Text styles with letter spacing (`spc`, WPS and some agencies set it on titles and subtitles): removed, so
    that text is drawn as wide as lecturegen measured it (a 2 pt spacing widens a line by a tenth and more)."""
    repaired = 0
    for tag in ("defRPr", "rPr", "endParaRPr"):
        for el in root.iter(f"{A}{tag}"):
            value = el.get("spc")
            if value is not None and value.strip() not in ("0", ""):
                del el.attrib["spc"]
                repaired += 1
    return repaired


def _number(text: str) -> float | None:
    try:
        value = float(text)
    except ValueError:
        return None
    return value if abs(value) < 1e12 else None


# (what it repairs, the repair: the number of places it changed)
REPAIRS: tuple[tuple[str, Callable[[etree._Element], int]], ...] = (
    ("bullet sizes written as thousandths of a percent", _bullet_sizes),
    ("letter spacing that text is not measured with", _letter_spacing),
)
NEEDLES = {"bullet sizes written as thousandths of a percent": b"buSzPct",
           "letter spacing that text is not measured with": b' spc="'}


def repair_part(data: bytes, root_of: Callable[[], etree._Element]) -> list[str]:
    """The repairs made to one part (its root is parsed only when a repair's needle occurs in its bytes)."""
    done = []
    for what, repair in REPAIRS:
        if NEEDLES[what] not in data:
            continue
        count = repair(root_of())
        if count:
            done.append(f"{what} ({count})")
    return done
