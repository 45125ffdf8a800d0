"""Read the content streams of a PDF written by reportlab, for tests that look inside it."""

from __future__ import annotations

import base64
import re
import zlib


def content_streams(data: bytes, keep_undecoded: bool = False) -> list[bytes]:
    """Every stream in ``data``, decoded (reportlab writes ASCII85 over Flate).

    A stream that does not decode (an image, say) is left out, or kept as it is
    when ``keep_undecoded`` is true.
    """
    streams = []
    for match in re.finditer(rb"stream\r?\n(.*?)endstream", data, re.S):
        raw = match.group(1).strip()
        try:
            if raw.endswith(b"~>"):
                raw = base64.a85decode(raw[:-2])
            streams.append(zlib.decompress(raw))
        except (ValueError, zlib.error):
            if keep_undecoded:
                streams.append(raw)
    return streams
