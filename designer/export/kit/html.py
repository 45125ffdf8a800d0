"""The jinja2 environment for exported HTML (autoescape always on)."""

from __future__ import annotations

import base64
from functools import lru_cache
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

TEMPLATES = Path(__file__).resolve().parent.parent / "templates"


@lru_cache(maxsize=1)
def environment() -> Environment:
    """Templates from ``designer/export/templates``; every value is HTML-escaped.

    ``.css`` files are included raw (they are ours, not the user's).
    """
    return Environment(
        loader=FileSystemLoader(str(TEMPLATES)),
        autoescape=select_autoescape(enabled_extensions=("html", "j2"),
                                     default_for_string=True, default=True),
        undefined=StrictUndefined, trim_blocks=False, lstrip_blocks=False,
        keep_trailing_newline=True,
    )


def data_uri(data: bytes, mime: str) -> str:
    """``data:`` URI embedding ``data`` so the HTML needs no other file."""
    return f"data:{mime};base64,{base64.b64encode(data).decode('ascii')}"
