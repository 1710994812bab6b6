"""Model helper: the one policy for every link lecturegen writes (slides, notes, handouts, QR codes).

A live link is `http`, `https` or `mailto`, without a user name or password, without control, invisible or
direction-override characters, and with a host name that is valid IDNA. Loaders report anything else as a
located error (`link_problem`); renderers write no link that fails it (`is_safe_link`), whatever made it.
"""

from __future__ import annotations

import unicodedata
from urllib.parse import urlsplit, urlunsplit

SAFE_SCHEMES = ("http", "https", "mailto")
MAX_LINK_LENGTH = 2000  # browsers and Office keep longer addresses, but no reference or slide needs one
# A QR code of version 40 at error correction M (what lecturegen draws) holds 2,331 bytes.
MAX_QR_BYTES = 2331

# Letters of other scripts drawn like Latin ones: a host name made only of these reads as a Latin name.
_LATIN_LOOKALIKES = set("аеорсухіјѕԁӏһԛԝοαντκυρѵ")


def link_problem(url: str) -> str | None:
    """Why `url` may not become a live link (a phrase to follow "link '…' "), or None when it may."""
    if len(url) > MAX_LINK_LENGTH:
        return f"is {len(url):,} characters long; the limit is {MAX_LINK_LENGTH:,}"
    for char in url:
        if char == " ":
            return "contains a space; write it as %20"
        if unicodedata.category(char) in ("Cc", "Cf", "Zl", "Zp", "Zs") or char in "\ufffe\uffff":
            return (f"contains the invisible, control or direction character U+{ord(char):04X}; "
                    f"links may not hide what they open")
    try:
        parts = urlsplit(url)
        port = parts.port if parts.scheme in ("http", "https") else None
    except ValueError as exc:
        return f"cannot be read as an address ({exc})"
    scheme = parts.scheme.lower()
    if scheme not in SAFE_SCHEMES:
        shown = f"'{scheme}:' " if scheme else "no "
        return f"has {shown}scheme; only http, https and mailto links are written"
    if scheme == "mailto":
        return None if "@" in parts.path and not parts.netloc else "is not a mailto address (mailto:name@host)"
    if "@" in parts.netloc:
        return "carries a user name or password (the part before '@'); links may not"
    if not parts.hostname:
        return "has no host name"
    if port == 0:
        return "has port 0"
    if _ascii_host(parts.hostname) is None:
        return f"has the host name '{parts.hostname}', which is not a valid internet name"
    return None


def is_safe_link(url: str | None) -> bool:
    return bool(url) and link_problem(url or "") is None


def link_target(url: str) -> str:
    """The address as written into a relationship, a PDF annotation or a QR code: the host in ASCII."""
    parts = urlsplit(url)
    if parts.scheme.lower() == "mailto" or not parts.hostname or parts.hostname.isascii():
        return url
    host = _ascii_host(parts.hostname) or parts.hostname
    netloc = host + (f":{parts.port}" if parts.port else "")
    return urlunsplit((parts.scheme, netloc, parts.path, parts.query, parts.fragment))


def shown_link(url: str) -> str:
    """The address as text on a slide: an international host name stays readable unless it could pass for
    another (letters of several scripts in one label, or only letters that look Latin), then punycode."""
    parts = urlsplit(url)
    host = parts.hostname
    if parts.scheme.lower() == "mailto" or not host or host.isascii():
        return url
    return link_target(url) if any(_misleading(label) for label in host.split(".")) else url


def _ascii_host(host: str) -> str | None:
    try:
        return host.encode("idna").decode("ascii")
    except UnicodeError:
        return None


def _misleading(label: str) -> bool:
    if label.isascii():
        return False
    scripts = {unicodedata.name(c, "UNKNOWN").split(" ")[0] for c in label if c.isalpha()}
    if len(scripts) > 1:
        return True
    return all(c in _LATIN_LOOKALIKES or not c.isalpha() for c in label)
