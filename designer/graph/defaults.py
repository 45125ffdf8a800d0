"""The default factories of the model's list and dict fields.

``Field(default_factory=list)`` reads naturally, but pydantic asks every default
factory for its signature when it builds a model class (to learn whether the
factory takes the validated data). For a builtin such as ``list`` or ``dict``,
:func:`inspect.signature` parses the builtin's text signature with the tokenizer
and the compiler: about a millisecond each, and the model has some thirty such
fields, all built when any command starts. A plain Python function answers from
its code object at once. The values are the same: a new empty list or dict per
instance. No pydantic and no Qt here.
"""

from __future__ import annotations

from typing import Any


def empty_list() -> list[Any]:
    """A new empty list (``Field(default_factory=empty_list)``)."""
    return []


def empty_dict() -> dict[Any, Any]:
    """A new empty dict (``Field(default_factory=empty_dict)``)."""
    return {}
