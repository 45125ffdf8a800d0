"""Text that XML 1.0 can hold: shared by the BPMN, GraphML and SVG writers."""

from __future__ import annotations

import re

# Characters XML 1.0 cannot hold even escaped (control characters pasted into a name)
_NOT_XML = re.compile("[^\u0009\u000a\u000d\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def strip_non_xml(text: str) -> str:
    """``text`` without the characters XML 1.0 does not allow (they carry no meaning)."""
    return _NOT_XML.sub("", text)
