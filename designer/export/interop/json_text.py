"""JSON text as ``json.dumps(value, indent=2, ensure_ascii=False)`` writes it, faster.

Python's own encoder writes indented JSON with its pure-Python generators (the C
encoder only does unindented JSON), one generator frame per object and list.
:func:`dumps_indented` writes the same text character for character from one
list of pieces, and writes a part of the value that occurs more than once (the
same object, at the same depth) once: a FHIR plan repeats one applicability
condition on every step after a choice, so a long pathway holds the same
condition objects thousands of times.

Only the types ``json.dumps`` takes without a ``default`` are written (str,
int, float, bool, None, list, tuple, dict with str, int, float, bool or None
keys); anything else raises ``TypeError`` as ``json.dumps`` does.
"""

from __future__ import annotations

from json.encoder import encode_basestring  # the C function where there is one
from typing import Callable

_INDENT = "  "


def _float(value: float) -> str:
    if value != value:
        return "NaN"
    if value == float("inf"):
        return "Infinity"
    if value == float("-inf"):
        return "-Infinity"
    return float.__repr__(value)


def _scalar(value) -> str:
    if isinstance(value, str):
        return encode_basestring(value)
    if value is None:
        return "null"
    if value is True:
        return "true"
    if value is False:
        return "false"
    if isinstance(value, int):
        return int.__repr__(value)
    if isinstance(value, float):
        return _float(value)
    raise TypeError(f"Object of type {value.__class__.__name__} is not JSON serializable")


def _key(key) -> str:
    if isinstance(key, str):
        return encode_basestring(key)
    if key is None or isinstance(key, (bool, int, float)):   # as json: the scalar's text
        return encode_basestring(_scalar(key))
    raise TypeError(f"keys must be str, int, float, bool or None, "
                    f"not {key.__class__.__name__}")


def dumps_indented(value, shared: set[int] | frozenset[int] = frozenset(),
                   end: str = "") -> str:
    """``json.dumps(value, indent=2, ensure_ascii=False) + end``, the same text.

    ``shared`` holds the ``id`` of lists and dicts that occur many times in
    ``value``: each is written once per depth and its text reused (a list of them
    only is one join). ``end`` saves copying a long text to add a newline.
    """
    return "".join(_pieces(value, shared, end))


def write_indented(value, write: Callable[[bytes], object],
                   shared: set[int] | frozenset[int] = frozenset(), end: str = "",
                   per_write: int = 4096) -> None:
    """Give ``write`` the UTF-8 of :func:`dumps_indented`'s text, a part at a time.

    The whole text is never in memory at once (nor its bytes): a long pathway's
    FHIR is tens of megabytes, and copying it whole, then encoding the copy, costs
    more than the same work on parts that stay in the processor's cache.
    """
    pieces = _pieces(value, shared, end)
    for start in range(0, len(pieces), per_write):
        write("".join(pieces[start:start + per_write]).encode("utf-8"))


def _pieces(value, shared: set[int] | frozenset[int], end: str) -> list[str]:
    """The text of :func:`dumps_indented` as a list of strings, in order."""
    pieces: list[str] = []
    append = pieces.append
    done: list[dict[int, str]] = [{}]  # by depth: id of a shared part -> its text
    after: list[dict[int, str]] = [{}]  # the same, after the comma and newline before it
    breaks = ["\n"]                    # newline and indent, by depth

    def newline(level: int) -> str:
        while len(breaks) <= level:
            breaks.append(breaks[-1] + _INDENT)
            done.append({})
            after.append({})
        return breaks[level]

    def container(o, level: int) -> None:
        if id(o) in shared:
            text = done[level].get(id(o))
            if text is None:
                start = len(pieces)
                write(o, level)
                text = "".join(pieces[start:])
                del pieces[start:]
                done[level][id(o)] = text
                after[level][id(o)] = "," + breaks[level] + text
            append(text)
        else:
            write(o, level)

    def write(o, level: int) -> None:
        if isinstance(o, dict):
            if not o:
                append("{}")
                return
            inner = newline(level + 1)
            separator = "," + inner
            append("{" + inner)
            first = True
            for k, v in o.items():
                if first:
                    first = False
                else:
                    append(separator)
                if isinstance(v, (dict, list, tuple)) and not isinstance(v, str):
                    append(_key(k) + ": ")
                    container(v, level + 1)
                else:
                    append(_key(k) + ": " + _scalar(v))
            append(newline(level) + "}")
        else:
            if not o:
                append("[]")
                return
            inner = newline(level + 1)
            separator = "," + inner
            first_text = done[level + 1].get(id(o[0])) if shared else None
            if first_text is not None:
                # shared parts only (a step's conditions), all written before: their
                # texts as they are (no call, no copy for each). ``done`` and ``after``
                # know only shared parts, each alive, so an id found is that very part
                texts = list(map(after[level + 1].get, map(id, o[1:])))
                if None not in texts:
                    append("[" + inner + first_text)
                    pieces.extend(texts)
                    append(newline(level) + "]")
                    return
            append("[" + inner)
            first = True
            for v in o:
                if first:
                    first = False
                else:
                    append(separator)
                if isinstance(v, (dict, list, tuple)) and not isinstance(v, str):
                    container(v, level + 1)
                else:
                    append(_scalar(v))
            append(newline(level) + "]")

    newline(1)
    if isinstance(value, (dict, list, tuple)) and not isinstance(value, str):
        container(value, 0)
    else:
        append(_scalar(value))
    append(end)
    return pieces
