"""Load and save pathway files (``periop-pathway/1``).

Loading never crashes and never half-loads: any problem raises
:class:`PathwayLoadError` whose message names the file, the line where known and
the field path (``steps[3].setting``), with a "did you mean" for near misses.
Saving writes a temporary file beside the target and ``os.replace``s it, so a
failed save leaves the old file as it was; saving over a hand-written file keeps
its layout wherever its content did not change (:mod:`designer.graph.yaml_style`). The canonical text is stable: an
unchanged file saves byte-identical, and load -> save -> load gives an equal model.
"""

from __future__ import annotations

import os
import re
import stat
import tempfile
import time
from io import StringIO
from pathlib import Path
from typing import Any, Callable, Iterator

import yaml
from pydantic import BaseModel, ValidationError

from .gcpause import gc_paused
from .model import FORMAT, Pathway, format_loc, shorten
from .suggest import did_you_mean

try:  # libyaml is several times faster; fall back to the pure-Python parser.
    _BaseLoader: type = yaml.CSafeLoader
    _Dumper: type = yaml.CSafeDumper
except AttributeError:  # pragma: no cover - depends on the PyYAML build
    _BaseLoader = yaml.SafeLoader
    _Dumper = yaml.SafeDumper

# Errors a YAML constructor raises for a value it cannot build (``!!timestamp x``,
# ``!!int x``, ``!!bool maybe``...); PyYAML does not wrap them in its own error type.
_VALUE_ERRORS = (ValueError, TypeError, AttributeError, KeyError, IndexError, OverflowError)


class _BadValue(Exception):
    """A scalar the YAML constructor could not build; carries the node for its line."""

    def __init__(self, node: yaml.Node) -> None:
        super().__init__(node.tag)
        self.node = node


class _BadDate(_BadValue):
    """A value shaped like a date (``2027-02-30``) that is not a real one."""


def _construct_date(loader: Any, node: yaml.ScalarNode) -> str:
    """An unquoted date or date-time as ISO text (``2027-1-5`` -> ``"2027-01-05"``).

    YAML reads an unquoted ``2027-01-31`` as a date, but every date in a pathway is
    text; people write them unquoted, so they are taken as the text they mean.
    """
    try:
        value = yaml.constructor.SafeConstructor.construct_yaml_timestamp(loader, node)
    except _VALUE_ERRORS:
        if _DATE_SHAPE.match(str(node.value)):
            raise _BadDate(node) from None
        raise                           # e.g. "!!timestamp x": not a date at all
    return value.isoformat()


#: what YAML reads as a date: year-month-day, optionally with a time
_DATE_SHAPE = re.compile(r"^\d{4}-\d{1,2}-\d{1,2}(?:[Tt ].*)?$")


class _PathwayLoader(_BaseLoader):  # type: ignore[misc, valid-type]
    """The safe loader, with dates read as ISO text (see :func:`_construct_date`).

    libyaml asks :meth:`resolve` for the tag of every plain value; a pathway repeats
    the same few values (kinds, phases, setting and role ids) thousands of times, so
    each loader remembers the answers (the safe loader has no path resolvers: the
    tag depends on the value and its style alone).
    """

    def __init__(self, stream: Any) -> None:
        super().__init__(stream)
        self._scalar_tags: dict[tuple[str, tuple[bool, bool]], str] = {}

    def resolve(self, kind: type, value: Any, implicit: Any) -> str:
        if kind is yaml.ScalarNode:
            key = (value, implicit)
            tag = self._scalar_tags.get(key)
            if tag is None:
                tag = self._scalar_tags[key] = super().resolve(kind, value, implicit)
            return tag
        return super().resolve(kind, value, implicit)


_PathwayLoader.add_constructor("tag:yaml.org,2002:timestamp", _construct_date)


class _LocatingLoader(_PathwayLoader):
    """The safe loader, with constructor failures tied to the node that caused them.

    Slower than the plain loader (a Python call per value), so it is used only to
    find the line after the plain loader has failed.
    """

    def construct_object(self, node: yaml.Node, deep: bool = False) -> Any:
        try:
            return super().construct_object(node, deep=deep)
        except _VALUE_ERRORS:
            raise _BadValue(node) from None


MAX_BYTES = 50 * 1000 * 1000   # "50 MB" in messages means 50,000,000 bytes (SI units)
# Nodes that YAML aliases (``*name``) may add beyond those written in the file. A
# pathway never needs many; a few hundred bytes of nested aliases can otherwise
# expand to hundreds of millions of values (the "billion laughs" attack).
ALIAS_BUDGET = 10_000
MAX_STEPS = 100_000
HEADER_KEYS = ("format", "id", "title", "version", "status", "summary", "population",
               "organisation", "specialties", "tags", "rule_packs", "derived_from",
               "evidence")
# Top-level collections always written, even when empty.
_ALWAYS = ("settings", "roles", "steps", "transitions")

# Older formats and how to bring them up to date: {format: function(dict) -> dict}.
# Each migration returns data in the next format; they chain until FORMAT.
MIGRATIONS: dict[str, Callable[[dict[str, Any]], dict[str, Any]]] = {}


_MAX_PROBLEM = 1000  # characters; values inside a problem are shortened where they are quoted


class PathwayLoadError(Exception):
    """A pathway file that cannot be loaded; ``str()`` is the whole message for people."""

    def __init__(self, file: str, problem: str, line: int | None = None,
                 path: str | None = None) -> None:
        problem = shorten(problem, _MAX_PROBLEM)
        path = shorten(path, 200) if path else path
        self.file, self.problem, self.line, self.path = file, problem, line, path
        where = file + (f", line {line}" if line else "")
        field = f" ({path})" if path else ""
        super().__init__(f"Cannot open {where}{field}: {problem}")


class PathwaySaveError(Exception):
    """A save that failed; the previous file on disk is untouched."""


# -------------------------------------------------------------------------- loading


def load_pathway(path: str | os.PathLike[str], *, use_cache: bool = True) -> Pathway:
    """Read a pathway file. Raises :class:`PathwayLoadError` on any problem.

    A large file read before (the same bytes) comes from the parsed-pathway cache
    (:mod:`designer.graph.cache`) instead of its YAML; ``use_cache=False`` always
    parses the YAML and keeps nothing.
    """
    name = str(path)
    try:
        size = os.path.getsize(path)
        if size > MAX_BYTES:
            raise PathwayLoadError(name, f"the file is {_megabytes(size)} ({size:,} bytes); "
                                         f"pathway files are limited to {_megabytes(MAX_BYTES)}")
        with open(path, "rb") as fh:
            data = fh.read()
    except PathwayLoadError:
        raise
    except FileNotFoundError:
        raise PathwayLoadError(name, "the file does not exist") from None
    except IsADirectoryError:
        raise PathwayLoadError(name, "this is a folder, not a pathway file") from None
    except PermissionError:
        raise PathwayLoadError(name, "you do not have permission to read it") from None
    except OSError as exc:
        raise PathwayLoadError(name, f"it could not be read ({exc.strerror or exc})") from None
    if not use_cache:
        return loads_pathway(data, name)
    from . import cache

    pathway = cache.cached_pathway(data)
    if pathway is None:
        pathway = loads_pathway(data, name)
        cache.store_pathway(data, pathway)
    return pathway


def _megabytes(size: int) -> str:
    """A size in MB (1 MB = 1,000,000 bytes), the unit every size message uses."""
    return f"{size / 1e6:,.0f} MB" if size >= 1e6 else f"{size / 1e6:.1f} MB"


@gc_paused()       # the parse makes no reference cycles: a third of the time (issue 16)
def loads_pathway(text: str | bytes, name: str = "<text>") -> Pathway:
    """Parse pathway text (YAML). Raises :class:`PathwayLoadError` on any problem.

    No other exception escapes: a failure this module did not foresee is still
    reported as a :class:`PathwayLoadError` naming the file (and the error's type).
    """
    try:
        return _loads_pathway(text, name)
    except PathwayLoadError:
        raise
    except RecursionError:
        raise PathwayLoadError(name, "the YAML is nested too deeply") from None
    except MemoryError:
        raise PathwayLoadError(name, "there is not enough memory to load it") from None
    except Exception as exc:  # noqa: BLE001 - the loader's contract: one error type
        raise PathwayLoadError(name, f"it could not be read ({type(exc).__name__}: "
                                     f"{shorten(str(exc))})") from None


def _loads_pathway(text: str | bytes, name: str) -> Pathway:
    if isinstance(text, bytes):
        if len(text) > MAX_BYTES:
            raise PathwayLoadError(name, f"the text is larger than {_megabytes(MAX_BYTES)}")
        if b"\x00" in text:
            raise PathwayLoadError(name, "this is not a text file (it contains binary data)")
        try:
            text = text.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise PathwayLoadError(name, "this is not a UTF-8 text file "
                                         f"(undecodable byte at position {exc.start})") from None
    elif "\x00" in text:
        raise PathwayLoadError(name, "this is not a text file (it contains binary data)")
    if not text.strip():
        raise PathwayLoadError(name, "the file is empty")

    data = _parse_yaml(text, name)
    if data is None:
        raise PathwayLoadError(name, "the file is empty (it holds only comments)")
    if not isinstance(data, dict):
        kind = type(data).__name__ if data is not None else "nothing"
        raise PathwayLoadError(name, f"expected a pathway (a YAML mapping of fields) but "
                                     f"found {_describe(kind)}", line=1)
    data = _migrate(data, name, text)
    steps = data.get("steps")
    if isinstance(steps, list) and len(steps) > MAX_STEPS:
        raise PathwayLoadError(name, f"the pathway has {len(steps):,} steps; the limit is "
                                     f"{MAX_STEPS:,}", path="steps")
    try:
        return validate_pathway(data)
    except ValidationError as exc:
        raise _validation_error(exc, text, name, data) from None


#: lists longer than this are validated an item at a time (see validate_pathway)
PIECEWISE_ITEMS = 200


def validate_pathway(data: dict) -> Pathway:
    """``Pathway.model_validate(data)``, with long step and transition lists validated
    an item at a time first.

    One validation call holds the interpreter lock from start to end (pydantic's core
    is compiled): ~50 ms for 2,000 steps, during which a window reading the file in
    a worker thread cannot respond. Item by item, the lock changes hands between
    items; the pathway is then validated with the items made (instances are taken as
    they are). Same result: each item is validated by its own model either way, and
    the pathway's own checks run on the whole. Any problem in an item and the whole
    is validated again, so an error names what the one call would name.
    """
    from .model import Step, Transition

    made = {}
    for name, model in (("steps", Step), ("transitions", Transition)):
        items = data.get(name)
        if (isinstance(items, list) and len(items) > PIECEWISE_ITEMS
                and all(type(item) is dict for item in items)):
            try:
                made[name] = [model.model_validate(item) for item in items]
            except ValidationError:
                return Pathway.model_validate(data)
    if not made:
        return Pathway.model_validate(data)
    return Pathway.model_validate({**data, **made})


def _describe(kind: str) -> str:
    return {"list": "a list", "str": "plain text", "int": "a number", "float": "a number",
            "nothing": "nothing", "bool": "a yes/no value", "dict": "a mapping",
            "date": "a date", "datetime": "a date and time", "bytes": "binary data",
            "set": "a set"}.get(kind, kind)


def _parse_yaml(text: str, name: str) -> Any:
    try:
        loader = _PathwayLoader(text)
        try:
            node = loader.get_single_node()
            if node is None:
                return None
            if "*" in text:  # no alias without an asterisk: skip the walk for most files
                _check_aliases(node, name)
            else:
                data = _plain_document(loader, node)
                if data is not _NOT_PLAIN:
                    return data
            try:
                return loader.construct_document(node)
            except _VALUE_ERRORS:
                pass  # a value its tag cannot build: find which, below
        finally:
            loader.dispose()
        _LocatingLoader(text).get_single_data()  # raises _BadValue naming the node
        raise PathwayLoadError(name, "a value could not be read")  # pragma: no cover
    except _BadDate as exc:
        node = exc.node
        raise PathwayLoadError(name, f"'{shorten(node.value)}' is not a real date; write "
                                     "dates as YYYY-MM-DD, e.g. 2027-01-31",
                               line=node.start_mark.line + 1 if node.start_mark else None
                               ) from None
    except _BadValue as exc:
        node = exc.node
        tag = str(node.tag).replace("tag:yaml.org,2002:", "!!")
        raise PathwayLoadError(name, f"the value '{shorten(node.value)}' cannot be read as "
                                     f"{tag}; write it as plain text or remove the tag",
                               line=node.start_mark.line + 1 if node.start_mark else None
                               ) from None
    except yaml.constructor.ConstructorError as exc:
        line = exc.problem_mark.line + 1 if exc.problem_mark else None
        tag = ""
        if exc.problem and "tag" in exc.problem:
            tag = exc.problem.split("tag", 1)[1].strip().strip("'")
            tag = tag.replace("tag:yaml.org,2002:", "!!")
        if "python" in (exc.problem or ""):
            problem = (f"it uses a Python-specific tag ({tag or '!!python/...'}), which pathway "
                       "files may not contain; remove the tag")
        else:
            problem = f"it uses an unsupported YAML tag {tag}".rstrip()
        raise PathwayLoadError(name, problem, line=line) from None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else None
        detail = exc.problem or exc.context or "invalid YAML"
        raise PathwayLoadError(name, f"this is not valid YAML ({detail})", line=line) from None
    except yaml.YAMLError as exc:
        raise PathwayLoadError(name, f"this is not valid YAML ({exc})") from None
    except RecursionError:
        raise PathwayLoadError(name, "the YAML is nested too deeply") from None


_YAML_TAG = "tag:yaml.org,2002:"
_SEQ_TAG, _MAP_TAG = _YAML_TAG + "seq", _YAML_TAG + "map"
#: the scalar tags whose safe-loader constructors depend on the value's text alone
_PLAIN_SCALAR_TAGS = frozenset(_YAML_TAG + t for t in ("str", "int", "float", "bool", "null",
                                                       "timestamp"))
_NOT_PLAIN = object()


class _NotPlain(Exception):
    """The document needs the safe loader's own construction (see :func:`_plain_document`)."""


def _plain_document(loader: _PathwayLoader, root: yaml.Node) -> Any:
    """The document under ``root`` as the safe loader would construct it, built in one
    recursive walk; or ``_NOT_PLAIN`` when the document needs the loader itself.

    ``construct_document`` makes several Python calls per value (a generator per
    mapping, checks for recursive structures, merge keys and ``=`` keys); a pathway
    file has none of those, only mappings with scalar keys, lists and plain scalars,
    which this walk builds directly. Each scalar is still built by the loader's own
    constructor for its tag (so ``yes``, ``0x1F``, ``1e3`` and dates read exactly as
    before), once per distinct (tag, text). Anything else (another tag, a merge key,
    a key that is not a scalar, a value its constructor refuses, nesting too deep)
    returns ``_NOT_PLAIN`` and the caller constructs the document as usual, which
    also gives the usual errors. Only called for a document without aliases (no
    node appears twice, so no object needs sharing).
    """
    constructors = loader.yaml_constructors
    built: dict[tuple[str, str], Any] = {}
    scalar_node, sequence_node, mapping_node = yaml.ScalarNode, yaml.SequenceNode, \
        yaml.MappingNode

    def scalar(node: yaml.Node) -> Any:
        key = (node.tag, node.value)
        try:
            return built[key]
        except KeyError:
            pass
        if node.tag not in _PLAIN_SCALAR_TAGS:
            raise _NotPlain
        value = built[key] = constructors[node.tag](loader, node)
        return value

    def walk(node: yaml.Node) -> Any:
        kind = node.__class__
        if kind is scalar_node:
            return scalar(node)
        if kind is sequence_node and node.tag == _SEQ_TAG:
            return [walk(item) for item in node.value]
        if kind is mapping_node and node.tag == _MAP_TAG:
            data = {}
            for key_node, value_node in node.value:
                if key_node.__class__ is not scalar_node:
                    raise _NotPlain
                data[scalar(key_node)] = walk(value_node)
            return data
        raise _NotPlain

    try:
        return walk(root)
    except Exception:  # noqa: BLE001 - the loader's own construction says what is wrong
        return _NOT_PLAIN


def _check_aliases(root: yaml.Node, name: str) -> None:
    """Refuse YAML aliases that refer to themselves or expand beyond :data:`ALIAS_BUDGET`.

    Counts the nodes the document would have with every alias written out, without
    writing anything out: each distinct node is visited once (iteratively, so deep
    nesting cannot overflow the stack) and its expanded size memoised.
    """
    sizes: dict[int, int] = {}
    open_nodes: set[int] = set()
    stack: list[tuple[yaml.Node, bool]] = [(root, False)]
    while stack:
        node, finished = stack.pop()
        key = id(node)
        if isinstance(node, yaml.MappingNode):
            children = [child for pair in node.value for child in pair]
        elif isinstance(node, yaml.SequenceNode):
            children = node.value
        else:
            children = []
        if finished:
            open_nodes.discard(key)
            sizes[key] = 1 + sum(sizes[id(child)] for child in children)
            continue
        if key in sizes:
            continue
        open_nodes.add(key)
        stack.append((node, True))
        for child in children:
            if id(child) in open_nodes:
                line = child.start_mark.line + 1 if child.start_mark else None
                raise PathwayLoadError(name, "a YAML alias (*name) refers to the value that "
                                             "contains it; write the value out instead",
                                       line=line)
            if id(child) not in sizes:
                stack.append((child, False))
    if sizes[id(root)] - len(sizes) > ALIAS_BUDGET:
        raise PathwayLoadError(name, f"its YAML aliases (*name) would expand to "
                                     f"{sizes[id(root)]:,} values; a pathway may add at most "
                                     f"{ALIAS_BUDGET:,} through aliases, so write the values out")


def _migrate(data: dict[str, Any], name: str, text: str = "") -> dict[str, Any]:
    fmt = data.get("format")
    if fmt is None:
        raise PathwayLoadError(name, f"this is not a pathway file: it has no "
                                     f"'format: {FORMAT}' line", path="format")
    seen = set()
    while fmt != FORMAT:
        if not isinstance(fmt, str):
            raise PathwayLoadError(name, f"the format must be text such as '{FORMAT}', not "
                                         f"{_describe(type(fmt).__name__)}",
                                   line=_line_of(text, ("format",)), path="format")
        if fmt in seen or fmt not in MIGRATIONS:
            hint = did_you_mean(fmt, [FORMAT, *MIGRATIONS])
            newer = _is_newer(fmt)
            problem = (f"it is in format '{shorten(fmt)}', made by a newer version of the "
                       f"designer; this version reads '{FORMAT}'" if newer else
                       f"unknown format '{shorten(fmt)}'{hint}; this version reads '{FORMAT}'")
            raise PathwayLoadError(name, problem, path="format")
        seen.add(fmt)
        data = MIGRATIONS[fmt](data)
        fmt = data.get("format")
    return data


def _is_newer(fmt: str) -> bool:
    base, _, number = fmt.rpartition("/")
    own_base, _, own_number = FORMAT.rpartition("/")
    return base == own_base and number.isdigit() and int(number) > int(own_number)


_MAX_REPORTED = 3


def _validation_error(exc: ValidationError, text: str, name: str, data: dict) -> PathwayLoadError:
    errors = exc.errors(include_url=False)
    first = errors[0]
    loc = tuple(first.get("loc", ()))
    path, problem = _explain(first, data)
    line = _line_of(text, _parse_path(path) if path != format_loc(loc) else loc)
    more = len(errors) - 1
    if more:
        others = "; ".join(f"{_explain(e, data)[0] or 'file'}: {_explain(e, data)[1]}"
                           for e in errors[1:_MAX_REPORTED])
        extra = more - (_MAX_REPORTED - 1)
        problem += f". Also: {others}" + (f" and {extra} more" if extra > 0 else "")
    return PathwayLoadError(name, problem, line=line, path=path or None)


def _explain(err: dict[str, Any], data: dict) -> tuple[str, str]:
    loc = tuple(err.get("loc", ()))
    kind = err.get("type", "")
    msg = str(err.get("msg", "invalid value")).removeprefix("Value error, ")
    path = format_loc(loc)
    value = err.get("input")
    if kind == "extra_forbidden":
        field = str(loc[-1]) if loc else "?"
        allowed = _allowed_fields(loc[:-1], data)
        return path, f"unknown field '{shorten(field)}'{did_you_mean(field, allowed)}"
    if kind == "enum":
        expected = err.get("ctx", {}).get("expected", "")
        options = [o.strip().strip("'") for o in expected.replace(" or ", ",").split(",")]
        if isinstance(value, str):
            return path, f"'{shorten(value)}' is not one of {expected}{did_you_mean(value, options)}"
        return path, (f"expected one of {expected}, not "
                      f"{_describe(type(value).__name__)} ({shorten(value)})")
    if kind == "missing":
        return path, "this required field is missing"
    if msg.startswith("duplicate"):
        # the Pathway validator names the field path itself
        where = msg.rsplit(" at ", 1)
        return (where[1] if len(where) == 2 else path), where[0]
    if kind in ("float_parsing", "int_parsing", "float_type", "int_type"):
        return path, f"'{shorten(value)}' is not a number"
    return path, shorten(msg, 300)


def _allowed_fields(loc: tuple, data: dict) -> list[str]:
    from . import model

    owners = {"settings": model.Setting, "roles": model.Role, "steps": model.Step,
              "transitions": model.Transition, "waivers": model.Waiver,
              "evidence": model.Evidence, "notes": model.Note, "priorities": model.Priority,
              "votes": model.Vote, "derived_from": model.DerivedFrom,
              "workshop": model.Workshop}
    cls: type = model.Pathway
    if loc:
        cls = owners.get(str(loc[0]), model.Pathway)
        if str(loc[0]) == "transitions" and len(loc) > 2 and loc[2] == "handoff":
            cls = model.Handoff
    names = []
    for fname, finfo in cls.model_fields.items():
        names.append(finfo.alias or fname)
    return names


def _parse_path(path: str) -> tuple:
    """``steps[3].id`` -> ``("steps", 3, "id")``."""
    parts: list[Any] = []
    for chunk in path.replace("]", "").split("."):
        name, *indices = chunk.split("[")
        if name:
            parts.append(name)
        parts.extend(int(i) for i in indices if i.isdigit())
    return tuple(parts)


def _line_of(text: str, loc: tuple) -> int | None:
    """The 1-based line of the YAML node at ``loc`` (only computed on error)."""
    try:
        node = yaml.compose(text, Loader=_BaseLoader)
    except Exception:  # noqa: BLE001 - a line number is a courtesy, never a new failure
        return None
    line = node.start_mark.line + 1 if node is not None else None
    for part in loc:
        if isinstance(node, yaml.MappingNode):
            for key, value in node.value:
                if isinstance(key, yaml.ScalarNode) and key.value == part:
                    line = key.start_mark.line + 1
                    node = value
                    break
            else:
                return line
        elif isinstance(node, yaml.SequenceNode) and isinstance(part, int):
            if part >= len(node.value):
                return line
            node = node.value[part]
            line = node.start_mark.line + 1
        else:
            return line
    return line


# ---------------------------------------------------------------------- header read


def read_header(path: str | os.PathLike[str]) -> dict[str, Any]:
    """The header fields of a pathway file, without parsing its steps.

    Reads top-level blocks up to the first large collection; fast enough to index
    a folder of pathways. Raises :class:`PathwayLoadError` when the header is unreadable.
    """
    name = str(path)
    try:
        with open(path, "r", encoding="utf-8-sig") as fh:
            lines: list[str] = []
            skipping = False
            for raw in fh:
                if raw and not raw[0].isspace() and raw[0] not in "#-" and ":" in raw:
                    key = raw.split(":", 1)[0].strip()
                    skipping = key not in HEADER_KEYS
                if not skipping:
                    lines.append(raw)
    except (OSError, UnicodeDecodeError) as exc:
        raise PathwayLoadError(name, f"it could not be read ({exc})") from None
    data = _parse_yaml("".join(lines), name) if lines else None
    if not isinstance(data, dict) or "format" not in data:
        raise PathwayLoadError(name, "this is not a pathway file (no header found)")
    return {k: data.get(k) for k in HEADER_KEYS if k in data}


# -------------------------------------------------------------------------- saving


class _Flow(list):
    """A list written in flow style: ``[120, 40]``."""


def _represent_flow(dumper: yaml.SafeDumper, data: _Flow) -> yaml.Node:
    return dumper.represent_sequence("tag:yaml.org,2002:seq", data, flow_style=True)


def _represent_str(dumper: yaml.SafeDumper, data: str) -> yaml.Node:
    style = "|" if "\n" in data else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", data, style=style)


class _PathwayDumper(_Dumper):  # type: ignore[misc, valid-type]
    pass


_PathwayDumper.add_representer(_Flow, _represent_flow)
_PathwayDumper.add_representer(str, _represent_str)


def _tidy_number(value: float) -> float | int:
    return int(value) if float(value).is_integer() else value


# Optional models whose empty form ``{}`` means something other than leaving them out:
# ``handoff: {}`` is a handoff with nothing filled in (findings name what is missing),
# not a missing handoff; ``workshop: {}`` is a workshop with the default dots.
_KEEP_EMPTY = frozenset({"handoff", "workshop"})


def _clean(value: Any) -> Any:
    if isinstance(value, dict):
        out = {}
        for k, v in value.items():
            kind = type(v)
            if kind is str or kind is int:    # most values: kept as they are
                out[k] = v
                continue
            if kind is float:
                out[k] = int(v) if v.is_integer() else v
                continue
            v = _clean(v)
            if v == {} and k in _KEEP_EMPTY:
                out[k] = v
                continue
            if v is None or v == [] or v == {} or (k == "weak" and v is False):
                continue
            out[k] = v
        return out
    if isinstance(value, list):
        return type(value)(_clean(v) for v in value)
    if isinstance(value, float):
        return _tidy_number(value)
    return value


def _model_data(pathway: Pathway) -> dict[str, Any]:
    """``pathway.model_dump(mode="json", by_alias=True, exclude_none=True)``, item by item.

    The same data in the same order, but the lists are dumped one item at a time:
    one pydantic call over a whole big pathway holds the interpreter lock for
    seconds, which would freeze the window while a save runs in the background.
    """
    options = {"mode": "json", "by_alias": True, "exclude_none": True}
    lists = {name for name in type(pathway).model_fields
             if isinstance(getattr(pathway, name), list)}
    head = pathway.model_dump(exclude=lists, **options)
    raw: dict[str, Any] = {}
    for name, info in type(pathway).model_fields.items():
        key = info.alias or name
        if name in lists:
            raw[key] = [item.model_dump(**options) if isinstance(item, BaseModel) else item
                        for item in getattr(pathway, name)]
        elif key in head:
            raw[key] = head[key]
    return raw


def pathway_to_data(pathway: Pathway) -> dict[str, Any]:
    """The canonical plain data of a pathway, in file order (what is saved)."""
    raw = _model_data(pathway)
    for item in raw.get("steps", []) + raw.get("notes", []):
        pos = item.get("position")
        if pos is not None:
            item["position"] = _Flow(_tidy_number(round(float(c), 1)) for c in pos)
    data = _clean(raw)
    for key in _ALWAYS:
        data.setdefault(key, [])
    return data


_DUMP_OPTIONS = {"Dumper": _PathwayDumper, "sort_keys": False, "allow_unicode": True,
                 "width": 100, "default_flow_style": False, "indent": 2}
_CHUNK = 20   # list items per YAML call (see iter_pathway_yaml)


def dump_pathway(pathway: Pathway) -> str:
    """The canonical YAML text of a pathway."""
    return "".join(iter_pathway_yaml(pathway))


def _item_data(name: str, item: Any) -> Any:
    """One list item as :func:`pathway_to_data` writes it."""
    raw = item.model_dump(mode="json", by_alias=True, exclude_none=True) \
        if isinstance(item, BaseModel) else item
    if name in ("steps", "notes") and isinstance(raw, dict) and raw.get("position") is not None:
        raw["position"] = _Flow(_tidy_number(round(float(c), 1)) for c in raw["position"])
    return _clean(raw)


# --- the fast writer: YAML nodes built straight from the plain data, emitted by libyaml
#
# ``yaml.dump`` with the C dumper still spends most of a save in Python: the
# representer's per-object dispatch and alias bookkeeping, then, for every node the
# C serialiser writes, calls back into the Python resolver (``resolve`` twice per
# scalar, ``descend_resolver``/``ascend_resolver``). The data we write is plain
# (``_clean`` copies every dict and list, so nothing is shared and no anchor is ever
# written), so the node tree can be built directly, and the callbacks answered from
# a per-call cache. The emitter is the same libyaml emitter with the same options and
# is given the same nodes, so the bytes are the same.

_STR_TAG, _INT_TAG = "tag:yaml.org,2002:str", "tag:yaml.org,2002:int"
_SEQ_TAG, _MAP_TAG = "tag:yaml.org,2002:seq", "tag:yaml.org,2002:map"
_new = object.__new__


class _FastPathwayDumper(_PathwayDumper):
    """The pathway dumper with libyaml's calls back into Python made cheap.

    ``resolve`` gives what :class:`yaml.resolver.Resolver` gives, remembering each
    scalar's answer for the rest of the call; the path resolvers are never used by
    this dumper (there are none: checked below), so descending and ascending are no-ops.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._tags: dict[str, str] = {}

    def resolve(self, kind: Any, value: Any, implicit: Any) -> str:
        if kind is yaml.ScalarNode:
            if not implicit[0]:
                return _STR_TAG   # (False, True): no regular expression is tried
            tag = self._tags.get(value)
            if tag is None:
                tag = self._tags[value] = super().resolve(kind, value, implicit)
            return tag
        return _SEQ_TAG if kind is yaml.SequenceNode else _MAP_TAG

    def descend_resolver(self, current_node: Any, current_index: Any) -> None:
        pass

    def ascend_resolver(self) -> None:
        pass


_FAST_DUMP = (yaml.__with_libyaml__ and _Dumper is getattr(yaml, "CSafeDumper", None)
              and not _PathwayDumper.yaml_path_resolvers
              and yaml.resolver.BaseResolver.DEFAULT_SCALAR_TAG == _STR_TAG
              and yaml.resolver.BaseResolver.DEFAULT_SEQUENCE_TAG == _SEQ_TAG
              and yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG == _MAP_TAG)


def _node(data: Any, dumper: Any) -> yaml.Node:
    """The node :meth:`_PathwayDumper.represent_data` gives for plain ``data``."""
    kind = type(data)
    if kind is str:
        node = _new(yaml.ScalarNode)
        node.tag, node.value = _STR_TAG, data
        node.style = "|" if "\n" in data else None
        return node
    if kind is dict:
        node = _new(yaml.MappingNode)
        node.tag, node.flow_style = _MAP_TAG, False
        node.value = [(_node(k, dumper), _node(v, dumper)) for k, v in data.items()]
        return node
    if kind is list or kind is _Flow:
        node = _new(yaml.SequenceNode)
        node.tag, node.flow_style = _SEQ_TAG, kind is _Flow
        node.value = [_node(item, dumper) for item in data]
        return node
    if kind is int:
        node = _new(yaml.ScalarNode)
        node.tag, node.value, node.style = _INT_TAG, str(data), None
        return node
    return dumper.represent_data(data)   # floats, booleans, None: the representer's own


def _dump_yaml(data: dict[str, Any]) -> str:
    """``yaml.dump(data, **_DUMP_OPTIONS)``, the same text, several times faster."""
    if not _FAST_DUMP:
        return yaml.dump(data, **_DUMP_OPTIONS)
    stream = StringIO()
    options = {k: v for k, v in _DUMP_OPTIONS.items() if k != "Dumper"}
    dumper = _FastPathwayDumper(stream, **options)
    try:
        dumper.open()
        dumper.serialize(_node(data, dumper))
        dumper.close()
    finally:
        dumper.dispose()
    return stream.getvalue()


# --- the simple writer: the common case written as text, no emitter at all
#
# Most list items are mappings of short one-line names, numbers and flow lists of
# numbers. For those, libyaml's output is fixed and plain: ``key: value`` lines, two
# more spaces per nested mapping, ``- `` items at their key's column, ``[1, 2]``.
# The simple writer writes exactly that for an item made only of values it is sure
# of, and gives up (None) on anything else, which libyaml then writes: text that is
# not plain (quoting, escapes, several lines), a key that is not a plain word, lists
# in lists, and any line long enough that the emitter might fold it.

_SIMPLE_KEY = re.compile(r"[A-Za-z_][A-Za-z0-9_]*\Z")
# letters and digits of any script, then also spaces and punctuation that mean
# nothing to YAML inside a block plain scalar (only ``: `` and `` #`` would, and a few
# only at the start); never a space at the end (checked apart)
_SIMPLE_TEXT = re.compile(r"[^\W_][\w .,()/'&+%;?!*@=-]*\Z")
_SIMPLE_FLOAT = re.compile(r"-?[0-9]+\.[0-9]+\Z")   # repr() of a float: no exponent, inf, nan
_SIMPLE_WIDTH = 80    # a line this short is never folded (the emitter's width is 100)
_BMP_END = "\uffff"   # libyaml escapes characters beyond the Basic Multilingual Plane


class _SimpleWriter:
    """Writes the text libyaml writes for the simple list items (see above)."""

    def __init__(self) -> None:
        self._plain: dict[str, bool] = {}    # text -> written as it is, unquoted
        self._keys: dict[Any, bool] = {}     # mapping key -> written as it is
        self._resolver = yaml.resolver.Resolver()

    def item(self, data: Any) -> str | None:
        """The lines of ``data`` as an item of a top-level list, or None."""
        out: list[str] = []
        return "".join(out) if self._sequence([data], 0, out) else None

    def is_plain(self, text: str) -> bool:
        plain = self._plain.get(text)
        if plain is None:
            plain = self._plain[text] = (
                _SIMPLE_TEXT.match(text) is not None and text[-1] != " "
                and (text.isascii() or max(text) <= _BMP_END)
                and self._resolver.resolve(yaml.ScalarNode, text, (True, False)) == _STR_TAG)
        return plain

    def _scalar(self, value: Any) -> str | None:
        kind = type(value)
        if kind is str:
            return value if self.is_plain(value) else None
        if kind is int:
            return str(value)
        if kind is float:
            text = repr(value)
            return text if _SIMPLE_FLOAT.match(text) else None
        if kind is bool:
            return "true" if value else "false"
        if value is None:
            return "null"
        return None

    def _flow(self, data: list[Any]) -> str | None:
        if any(type(v) is not int and type(v) is not float for v in data):
            return None
        texts = [self._scalar(v) for v in data]
        return None if None in texts else "[" + ", ".join(texts) + "]"  # type: ignore[arg-type]

    def _mapping(self, data: dict[Any, Any], indent: int, out: list[str], first: bool) -> bool:
        """Lines of a non-empty block mapping with keys at column ``indent``; ``first``:
        its first key goes on the line a ``- `` has started."""
        pad = " " * indent
        keys, plain = self._keys, self._plain
        for key, value in data.items():
            simple_key = keys.get(key)
            if simple_key is None:
                simple_key = keys[key] = (type(key) is str and _SIMPLE_KEY.match(key) is not None
                                          and self.is_plain(key))
            if not simple_key:
                return False
            lead = key if first else pad + key
            width = indent if first else 0
            first = False
            kind = type(value)
            if kind is str:     # the common case first
                if not (plain.get(value) or self.is_plain(value)):
                    return False
                line = lead + ": " + value
                if width + len(line) > _SIMPLE_WIDTH:
                    return False
                out.append(line + "\n")
                continue
            if (kind is dict or kind is list) and value:
                out.append(lead + ":\n")
                if not (self._mapping(value, indent + 2, out, False) if kind is dict
                        else self._sequence(value, indent, out)):
                    return False
                continue
            text = self._inline(value, kind)
            if text is None:
                return False
            line = lead + ": " + text
            if width + len(line) > _SIMPLE_WIDTH:
                return False
            out.append(line + "\n")
        return True

    def _inline(self, value: Any, kind: type) -> str | None:
        """A value written on its key's or dash's line: an empty or flow collection, or
        a scalar (``None`` when libyaml must write it)."""
        if kind is dict or kind is list or kind is _Flow:
            return ("{}" if kind is dict else "[]") if not value else self._flow(value)
        return self._scalar(value)

    def _sequence(self, data: list[Any], indent: int, out: list[str]) -> bool:
        """Lines of a non-empty block sequence with its ``- `` at column ``indent``."""
        pad = " " * indent
        for item in data:
            kind = type(item)
            if kind is dict and item:
                out.append(pad + "- ")
                if not self._mapping(item, indent + 2, out, True):
                    return False
                continue
            if kind is list and item:
                return False      # a list in a list: libyaml's
            text = self._inline(item, kind)
            if text is None:
                return False
            line = pad + "- " + text
            if len(line) > _SIMPLE_WIDTH:
                return False
            out.append(line + "\n")
        return True


def iter_pathway_yaml(pathway: Pathway) -> Iterator[str]:
    """The text of :func:`dump_pathway` in pieces: the header keys, then the lists a few
    items at a time.

    The same text as dumping :func:`pathway_to_data` in one call, but no single
    call (pydantic's dump, libyaml's emitter, freeing the data) walks a whole big
    pathway while holding the interpreter lock: a save in a background thread
    leaves the window free to repaint between pieces.
    """
    fields = type(pathway).model_fields
    lists = {name for name in fields if isinstance(getattr(pathway, name), list)}
    head = _clean(pathway.model_dump(mode="json", by_alias=True, exclude_none=True,
                                     exclude=lists))
    written: set[str] = set()
    for name, info in fields.items():
        key = info.alias or name
        if name not in lists:
            if key in head:
                written.add(key)
                yield _dump_yaml({key: head[key]})
            continue
        items = getattr(pathway, name)
        if not items:
            continue
        written.add(key)
        simple = _SimpleWriter() if _FAST_DUMP else None
        if simple is not None and not (_SIMPLE_KEY.match(key) and simple.is_plain(key)):
            simple = None
        for start in range(0, len(items), _CHUNK):
            chunk = [_item_data(name, item) for item in items[start:start + _CHUNK]]
            if simple is None:
                text = _dump_yaml({key: chunk})
                # the key line comes once, before the first item
                yield text if start == 0 else text.split("\n", 1)[1]
                continue
            # each item as the simple writer writes it, or else as libyaml does (its
            # text for a one-item list, without the key line)
            parts = [f"{key}:\n"] if start == 0 else []
            for data in chunk:
                text = simple.item(data)
                parts.append(text if text is not None else
                             _dump_yaml({key: [data]}).split("\n", 1)[1])
            yield "".join(parts)
    for key in _ALWAYS:
        if key not in written:
            yield _dump_yaml({key: []})


def save_pathway(pathway: Pathway, path: str | os.PathLike[str]) -> None:
    """Write ``pathway`` to ``path`` atomically (temporary file, then ``os.replace``).

    A read-only file is refused, a symbolic link keeps pointing at the file it names
    (that file is written), and a folder that forbids creating files falls back to
    writing the file in place after keeping a backup copy (see :func:`write_text_atomic`).
    A large file's model goes into the parsed-pathway cache for the bytes written
    (:func:`designer.graph.cache.store_saved`), so opening it again skips the YAML.
    """
    target = Path(path)
    try:
        text = dump_pathway(pathway)
    except Exception as exc:  # pragma: no cover - a bug, but never lose the old file
        raise PathwaySaveError(f"Could not prepare {target.name} for saving: {exc}") from exc
    text = saved_text(pathway, target, text)
    write_text_atomic(target, text)
    from . import cache

    cache.store_saved(text, pathway)    # re-opening it skips the YAML (never raises)


def saved_text(pathway: Pathway, target: str | os.PathLike[str], text: str | None = None
               ) -> str:
    """The text a save of ``pathway`` to ``target`` writes (``text``: its canonical text).

    The canonical text, or the file already at ``target`` with only its changed parts
    rewritten.

    A hand-written file keeps its own layout where its content did not change (see
    :mod:`designer.graph.yaml_style`), so a first save does not rewrite most lines.
    """
    from .yaml_style import MAX_RESTYLE_BYTES, restyle

    target = Path(target)
    if text is None:
        text = dump_pathway(pathway)
    try:
        if not target.is_file() or target.stat().st_size > MAX_RESTYLE_BYTES:
            return text
        original = target.read_bytes().decode("utf-8")
    except (OSError, UnicodeDecodeError):
        return text
    return restyle(pathway, text, original, load=lambda t: loads_pathway(t, str(target)))


# Temporary files of an interrupted save: ``.NAME.XXXXXXXX.tmp`` (tempfile.mkstemp's
# eight random characters). Older than this, no save of ours is still writing them.
STALE_TEMP_SECONDS = 60.0
_TEMP_CHARS = "[a-z0-9_]{8}"


def _temp_pattern(target: Path) -> "re.Pattern[str]":
    return re.compile(rf"^\.{re.escape(target.name)}\.{_TEMP_CHARS}\.tmp$")


def remove_stale_temp_files(target: Path, older_than: float = STALE_TEMP_SECONDS) -> int:
    """Delete temporary files an interrupted save of ``target`` left beside it.

    Only files of our own exact pattern and older than ``older_than`` seconds go
    (a younger one may belong to a save still running in another window).
    Returns how many were removed; never raises.
    """
    folder = target.parent if str(target.parent) else Path(".")
    pattern = _temp_pattern(target)
    removed = 0
    now = time.time()
    try:
        names = [n for n in os.listdir(folder) if n.startswith(f".{target.name}.")]
    except OSError:
        return 0
    for name in names:
        if not pattern.match(name):
            continue
        candidate = folder / name
        try:
            info = candidate.lstat()
            if not stat.S_ISREG(info.st_mode) or now - info.st_mtime < older_than:
                continue
            candidate.unlink()
            removed += 1
        except OSError:
            continue
    return removed


def _is_read_only(path: Path) -> bool:
    """True when the file is marked read-only (no write bit), whoever we are."""
    try:
        mode = path.stat().st_mode
    except OSError:
        return False
    return not (mode & (stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH)) \
        or not os.access(path, os.W_OK)


def write_text_atomic(target: Path, text: str) -> None:
    """Write ``text`` (UTF-8) beside ``target`` then swap it in; the old file survives any failure."""
    write_file_atomic(Path(target),
                      lambda tmp: tmp.write_text(text, encoding="utf-8", newline="\n"))


def write_file_atomic(target: Path, write: Callable[[Path], Any], *,
                      error: type[Exception] = PathwaySaveError) -> Path:
    """The one atomic writer: ``write(tmp)`` fills a temporary file beside ``target``,
    which then replaces ``target`` in one step.

    Saving a pathway, every export and the recovery files write through here, so a
    failure (a full disk, a missing folder, an exporter's error) never leaves a
    half-written file: the previous version on disk survives. The new file keeps the
    old one's permissions (or gets the usual ones for a new file). Also:

    - a symbolic link is followed: the file it names is replaced, the link stays;
    - a read-only file is refused (it was marked so on purpose, e.g. a signed-off version);
    - when the folder forbids creating or renaming files but the file itself may be
      written (shared drives often do this), the file is written in place after a
      backup copy is kept in :func:`backup_folder`; the backup is removed once the new
      content is safely on disk, and named in the error if the write fails;
    - temporary files an earlier interrupted write of ``target`` left are removed.

    Returns the path written (the link's target for a symbolic link).

    Raises
    ------
    error
        (``PathwaySaveError`` unless the caller names its own) with a message for
        people when the file cannot be written. Anything else ``write`` raises is
        passed on, after the temporary file is removed.
    """
    target = Path(target)
    if target.is_symlink():
        target = Path(os.path.realpath(target))
    folder = target.parent if str(target.parent) else Path(".")
    if not folder.is_dir():
        raise error(f"Could not save {target}: the folder {folder} does not exist.")
    if target.is_dir():
        raise error(f"Could not save {target}: it is a folder.")
    if target.exists() and _is_read_only(target):
        raise error(f"Could not save {target}: the file is read-only. "
                    "Save under another name, or clear its read-only mark first.")
    remove_stale_temp_files(target)
    tmp_name = None
    try:
        fd, tmp_name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=folder)
        os.close(fd)
        write(Path(tmp_name))
        with open(tmp_name, "rb+") as fh:
            os.fsync(fh.fileno())
        if target.exists():
            os.chmod(tmp_name, target.stat().st_mode & 0o777)
        else:
            os.chmod(tmp_name, 0o666 & ~_umask())
        os.replace(tmp_name, target)
        tmp_name = None
    except PermissionError as exc:
        if not target.is_file():
            raise error(f"Could not save {target}: {exc.strerror or exc}. "
                        "The folder does not allow new files.") from None
        _write_in_place(target, write, error)
    except OSError as exc:
        reason = exc.strerror or str(exc)
        raise error(f"Could not save {target}: {reason}. "
                    "The previous version on disk is unchanged.") from None
    finally:
        if tmp_name and os.path.exists(tmp_name):
            try:
                os.unlink(tmp_name)
            except OSError:
                pass
    return target


def backup_folder() -> Path:
    """Where in-place writes keep their backup copy: the data folder's ``backups``."""
    from ..paths import data_dir

    return data_dir() / "backups"


def _write_in_place(target: Path, write: Callable[[Path], Any],
                    error: type[Exception]) -> None:
    """Overwrite ``target`` in place, keeping a backup until the new content is on disk.

    The new content is made in the backup folder first (the target's folder forbids
    new files), so a failing ``write`` never touches the target.
    """
    unchanged = "The previous version on disk is unchanged."
    try:
        old = target.read_bytes()
    except OSError as exc:
        raise error(f"Could not save {target}: the folder does not allow new files and "
                    f"the file cannot be read ({exc.strerror or exc}). {unchanged}") from None
    folder = backup_folder()
    backup = fresh = None
    try:
        folder.mkdir(parents=True, exist_ok=True)
        fd, fresh = tempfile.mkstemp(prefix=f"{target.name}.", suffix=".new", dir=folder)
        os.close(fd)
        write(Path(fresh))
        data = Path(fresh).read_bytes()
        fd, backup = tempfile.mkstemp(prefix=f"{target.name}.", suffix=".bak", dir=folder)
        with os.fdopen(fd, "wb") as fh:
            fh.write(old)
            fh.flush()
            os.fsync(fh.fileno())
    except OSError as exc:
        if backup:
            _unlink_quietly(backup)
        raise error(f"Could not save {target}: the folder does not allow new files and "
                    f"no backup could be kept ({exc.strerror or exc}). {unchanged}") from None
    finally:
        if fresh:
            _unlink_quietly(fresh)
    try:
        with open(target, "r+b") as fh:
            fh.write(data)
            fh.truncate()
            fh.flush()
            os.fsync(fh.fileno())
    except OSError as exc:
        try:  # put the old content back; the backup stays either way
            with open(target, "r+b") as fh:
                fh.write(old)
                fh.truncate()
            restored = "The previous version was put back; a copy is kept at"
        except OSError:
            restored = "The previous version is kept at"
        raise error(f"Could not save {target}: {exc.strerror or exc}. "
                    f"{restored} {backup}.") from None
    _unlink_quietly(backup)


def _unlink_quietly(path: str | Path) -> None:
    try:
        os.unlink(path)
    except OSError:
        pass


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def json_schema() -> dict[str, Any]:
    """The JSON Schema of ``periop-pathway/1`` (from the pydantic models)."""
    schema = Pathway.model_json_schema(by_alias=True)
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = f"Perioperative pathway ({FORMAT})"
    return schema
