"""Render layer: make OOXML packages byte-identical for the same input (fixed zip times, dates)."""

from __future__ import annotations

import io
import re
import zipfile
from datetime import datetime, timezone

_W3CDTF = re.compile(rb"(<dcterms:(created|modified)[^>]*>)[^<]*(</dcterms:\2>)")
_LAST_PRINTED = re.compile(rb"(<cp:lastPrinted>)[^<]*(</cp:lastPrinted>)")


_STORED = (".png", ".jpg", ".jpeg", ".gif")


def zip_time(timestamp: int) -> tuple[int, int, int, int, int, int]:
    # Zip cannot store times before 1980.
    moment = datetime.fromtimestamp(max(timestamp, 315532800), tz=timezone.utc)
    return (moment.year, moment.month, moment.day, moment.hour, moment.minute, moment.second)


def normalise_package(blob: bytes, timestamp: int) -> bytes:
    """Rewrite a zip package with fixed entry times; nested packages (chart workbooks) too."""
    when = zip_time(timestamp)
    stamp = datetime.fromtimestamp(timestamp, tz=timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ").encode()
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(blob)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            data = src.read(item.filename)
            if item.filename.endswith((".xlsx", ".docx", ".pptx")):
                data = normalise_package(data, timestamp)
            if item.filename.endswith("core.xml"):
                data = _W3CDTF.sub(rb"\g<1>" + stamp + rb"\g<3>", data)
                data = _LAST_PRINTED.sub(rb"\g<1>" + stamp + rb"\g<2>", data)
            info = zipfile.ZipInfo(item.filename, date_time=when)
            # Images are compressed already: storing them saves time and changes nothing in size.
            info.compress_type = zipfile.ZIP_STORED if item.filename.endswith(_STORED) else zipfile.ZIP_DEFLATED
            info.external_attr = 0o600 << 16
            dst.writestr(info, data)
    return out.getvalue()
