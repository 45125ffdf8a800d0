"""Web addresses inside text, found once for every writer that makes them links."""

from __future__ import annotations

import re

URL_RE = re.compile(r"(https?://[^\s;,)]+|www\.[^\s;,)]+)")


def split_links(text: str | None) -> list[tuple[str, str | None]]:
    """``text`` as (part, url) pieces: url is None for plain text, else the address to open."""
    out: list[tuple[str, str | None]] = []
    text = text or ""
    last = 0
    for m in URL_RE.finditer(text):
        url = m.group(0).rstrip(".")
        if m.start() > last:
            out.append((text[last:m.start()], None))
        out.append((url, url if url.startswith("http") else "https://" + url))
        last = m.start() + len(url)
    if last < len(text):
        out.append((text[last:], None))
    return out
