"""Saving over a hand-written pathway file without rewriting the lines that did not change.

The canonical writer (:func:`designer.graph.io.dump_pathway`) lays every file out
the same way. A file written by hand, or by another tool, is laid out otherwise:
lists indented under their key, short lists in brackets, long text folded over
lines. Saving it canonically would rewrite most of its lines for a one-word edit
and bury the edit in a noisy diff of the library.

:func:`restyle` keeps the file's own text for every top-level field whose value
did not change, and inside changed lists (steps, transitions, notes...) for every
item that did not change; only what changed (and new fields) is written in the
canonical form, indented like the file's own lists. The result is checked: it
must load back to exactly the pathway being saved, or the canonical text is used.
Qt-free.
"""

from __future__ import annotations

from typing import Any, Callable

import yaml

try:  # libyaml when present, as designer.graph.io uses
    _Loader: type = yaml.CSafeLoader
    _Dumper: type = yaml.CSafeDumper
except AttributeError:  # pragma: no cover - depends on the PyYAML build
    _Loader, _Dumper = yaml.SafeLoader, yaml.SafeDumper

MAX_RESTYLE_BYTES = 1_000_000   # above this, a save is canonical (restyling costs two loads)

_LIST_FIELDS = ("evidence", "settings", "roles", "steps", "transitions", "waivers", "notes",
                "priorities", "votes")


def restyle(pathway, canonical: str, original: str, load: Callable[[str], Any]) -> str:
    """The text to save for ``pathway``: ``original``'s lines where nothing changed.

    ``canonical`` is :func:`dump_pathway` of ``pathway``; ``load`` reads pathway
    text (:func:`designer.graph.io.loads_pathway`; passed in, so this module does
    not import io). The canonical text is returned whenever the original cannot be
    followed (it does not load, uses CRLF line ends, is a flow mapping, or the
    merged text would not load back to ``pathway``).
    """
    if original == canonical or not original or len(original) > MAX_RESTYLE_BYTES \
            or "\r" in original or original.startswith("\ufeff"):
        return canonical
    try:
        merged = _merge(pathway, canonical, original, load)
        if merged is None or merged == canonical:
            return canonical
        if not load(merged).content_equal(pathway):
            return canonical
    except Exception:  # noqa: BLE001 - keeping a layout is a courtesy; canonical is safe
        return canonical
    return merged if merged.endswith("\n") else merged + "\n"


# ------------------------------------------------------------------------- chunks


class _Chunk:
    """The lines of one top-level field: ``lines[start:end]`` of its file."""

    def __init__(self, key: str, node: yaml.Node, start: int, end: int, lines: list[str]):
        self.key, self.node, self.start, self.end, self.lines = key, node, start, end, lines

    @property
    def text(self) -> list[str]:
        return self.lines[self.start:self.end]


def _chunks(text: str) -> tuple[list[str], list[str], dict[str, _Chunk]] | None:
    """(lines, prologue lines, {key: chunk}) of a block mapping document, or None."""
    root = yaml.compose(text, Loader=_Loader)
    if not isinstance(root, yaml.MappingNode) or root.flow_style:
        return None
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines = lines[:-1]
    starts = []
    for key, value in root.value:
        if not isinstance(key, yaml.ScalarNode) or key.start_mark.column != 0:
            return None
        starts.append((key.value, value, key.start_mark.line))
    chunks: dict[str, _Chunk] = {}
    for i, (name, value, start) in enumerate(starts):
        end = starts[i + 1][2] if i + 1 < len(starts) else len(lines)
        chunks[name] = _Chunk(name, value, start, end, lines)
    prologue = lines[:starts[0][2]] if starts else lines
    return lines, prologue, chunks


def _dash_indent(chunk: _Chunk) -> int | None:
    """Spaces before the ``-`` of a block list's items (None: not a block list)."""
    node = chunk.node
    if not isinstance(node, yaml.SequenceNode) or node.flow_style or not node.value:
        return None
    line = chunk.lines[node.value[0].start_mark.line]
    stripped = line.lstrip(" ")
    return len(line) - len(stripped) if stripped.startswith("-") else None


def _item_spans(chunk: _Chunk) -> list[tuple[int, int]] | None:
    """Line spans of each item of a block list chunk (its dash line up to the next)."""
    starts = []
    for item in chunk.node.value:
        line = item.start_mark.line
        if not chunk.lines[line].lstrip(" ").startswith("-"):
            return None     # "-" alone on its line: not followed, the key is rewritten
        starts.append(line)
    return [(s, starts[i + 1] if i + 1 < len(starts) else chunk.end)
            for i, s in enumerate(starts)]


# -------------------------------------------------------------------------- merge


def _merge(pathway, canonical: str, original: str, load: Callable[[str], Any]) -> str | None:
    before = load(original)   # a file that does not load is written canonically
    parsed = _chunks(original)
    fresh = _chunks(canonical)
    if parsed is None or fresh is None:
        return None
    _lines, prologue, old_chunks = parsed
    _fresh_lines, _, new_chunks = fresh
    indent = next((d for c in old_chunks.values() if (d := _dash_indent(c)) is not None), 0)

    def canonical_chunk(key: str) -> list[str]:
        chunk = new_chunks[key]
        lines = chunk.text
        if indent and isinstance(chunk.node, yaml.SequenceNode) and not chunk.node.flow_style:
            lines = [lines[0]] + [(" " * indent + line) if line else line for line in lines[1:]]
        return lines

    out: list[tuple[str, list[str]]] = []
    for key, chunk in old_chunks.items():
        if key not in type(pathway).model_fields:
            return None
        new_value, old_value = getattr(pathway, key), getattr(before, key)
        if new_value == old_value:
            out.append((key, chunk.text))
        elif key in _LIST_FIELDS and new_value and _dash_indent(chunk) is not None:
            merged = _merge_list(pathway, key, chunk, before, new_chunks, indent)
            if merged is None:
                return None
            out.append((key, merged))
        elif key in new_chunks:
            out.append((key, canonical_chunk(key)))
        # else: the field is now empty or unset and the canonical text leaves it out
    order = list(new_chunks)
    present = {key for key, _ in out}
    for position, key in enumerate(order):
        if key in present or getattr(pathway, key) == getattr(before, key):
            continue   # e.g. "roles: []" the canonical text adds to a file without roles
        earlier = [k for k in order[:position] if k in present]
        at = max((i for i, (k, _) in enumerate(out) if k in earlier), default=-1) + 1
        out.insert(at, (key, canonical_chunk(key)))
        present.add(key)
    lines = list(prologue)
    for _, chunk_lines in out:
        lines += chunk_lines
    return "\n".join(lines) + "\n"


def _merge_list(pathway, key: str, chunk: _Chunk, before, new_chunks, indent: int
                ) -> list[str] | None:
    """A changed list: the original text of each unchanged item, new items written anew."""
    spans = _item_spans(chunk)
    if spans is None:
        return None
    old_items: list[Any] = list(getattr(before, key))
    new_items: list[Any] = list(getattr(pathway, key))
    if len(old_items) != len(spans):
        return None
    header = chunk.lines[chunk.start:spans[0][0]]
    flow = all(chunk.lines[s].lstrip(" ").startswith("- {") and e - s == 1 for s, e in spans)
    fresh = _canonical_items(new_chunks.get(key))
    if fresh is None or len(fresh) != len(new_items):
        return None
    used: set[int] = set()
    lines = list(header)
    cursor = 0
    for index, item in enumerate(new_items):
        match = _find(old_items, item, used, cursor)
        if match is not None:
            used.add(match)
            cursor = match + 1
            lines += chunk.lines[spans[match][0]:spans[match][1]]
        else:
            lines += _render_item(fresh[index], indent, flow)
    return lines


def _find(items: list[Any], item: Any, used: set[int], cursor: int) -> int | None:
    for j in list(range(cursor, len(items))) + list(range(0, cursor)):
        if j not in used and items[j] == item:
            return j
    return None


def _canonical_items(chunk: _Chunk | None) -> list[list[str]] | None:
    """The canonical text of each item of a list field (indentless, as dumped)."""
    if chunk is None or not isinstance(chunk.node, yaml.SequenceNode) or chunk.node.flow_style:
        return None
    spans = _item_spans(chunk)
    if spans is None:
        return None
    return [chunk.lines[s:e] for s, e in spans]


def _render_item(lines: list[str], indent: int, flow: bool) -> list[str]:
    """A canonical item's lines, as a one-line flow mapping or indented like the file's."""
    if flow:
        data = yaml.load("\n".join(lines), Loader=_Loader)  # noqa: S506 - a safe loader
        if isinstance(data, list) and len(data) == 1 and isinstance(data[0], dict):
            one = yaml.dump(data[0], Dumper=_Dumper, sort_keys=False, allow_unicode=True,
                            default_flow_style=True, width=10**9).strip()
            if "\n" not in one:
                return [" " * indent + "- " + one]
    return [(" " * indent + line) if line else line for line in lines]
