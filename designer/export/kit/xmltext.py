"""Text that XML 1.0 can hold: shared by the BPMN, GraphML and SVG writers."""

from __future__ import annotations

import re

# Characters XML 1.0 cannot hold even escaped (control characters pasted into a name)
_NOT_XML = re.compile("[^\u0009\u000a\u000d\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def strip_non_xml(text: str) -> str:
    """``text`` without the characters XML 1.0 does not allow (they carry no meaning)."""
    return _NOT_XML.sub("", text)


# Characters people paste that break a line or a page in some editors but that no
# export format holds well: line-like ones become a line break, the rest a space.
_LINE_BREAKS = str.maketrans({"\u000b": "\n", "\u000c": "\n", "\u0085": "\n",
                              "\u2028": "\n", "\u2029": "\n"})


def clean_text(text: str) -> str:
    """``text`` as every export can hold it: line-like controls become line breaks,
    characters XML 1.0 forbids (other controls, U+FFFE, lone surrogates) go."""
    if text.isprintable():
        return text
    return strip_non_xml(text.translate(_LINE_BREAKS).replace("\r\n", "\n"))


def clean_pathway(pathway):
    """``pathway`` with every text cleaned by :func:`clean_text` (the same object when
    nothing needed cleaning). Not validated again: a name that was only control
    characters stays empty rather than failing the export."""
    from enum import Enum

    from pydantic import BaseModel

    def clean(value):
        if isinstance(value, Enum):
            return value
        if isinstance(value, str):
            return clean_text(value)
        if isinstance(value, BaseModel):
            updates = {}
            for name in type(value).model_fields:
                old = getattr(value, name)
                new = clean(old)
                if new is not old and new != old:
                    updates[name] = new
            return value.model_copy(update=updates) if updates else value
        if isinstance(value, (list, tuple)):
            items = [clean(v) for v in value]
            if any(a is not b for a, b in zip(items, value)):
                return type(value)(items)
            return value
        if isinstance(value, dict):
            items = {clean(k): clean(v) for k, v in value.items()}
            return items if items != value else value
        return value

    return clean(pathway)
