"""Load and save pathway files (``periop-pathway/1``).

Loading never crashes and never half-loads: any problem raises
:class:`PathwayLoadError` whose message names the file, the line where known and
the field path (``steps[3].setting``), with a "did you mean" for near misses.
Saving writes a temporary file beside the target and ``os.replace``s it, so a
failed save leaves the old file as it was. The canonical text is stable: an
unchanged file saves byte-identical, and load -> save -> load gives an equal model.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import Any, Callable, Iterator

import yaml
from pydantic import BaseModel, ValidationError

from .gcpause import gc_paused
from .model import FORMAT, Pathway, format_loc
from .suggest import did_you_mean

try:  # libyaml is several times faster; fall back to the pure-Python parser.
    _Loader: type = yaml.CSafeLoader
    _Dumper: type = yaml.CSafeDumper
except AttributeError:  # pragma: no cover - depends on the PyYAML build
    _Loader = yaml.SafeLoader
    _Dumper = yaml.SafeDumper

MAX_BYTES = 50 * 1024 * 1024
MAX_STEPS = 100_000
HEADER_KEYS = ("format", "id", "title", "version", "status", "summary", "population",
               "organisation", "specialties", "tags", "rule_packs", "derived_from",
               "evidence")
# Top-level collections always written, even when empty.
_ALWAYS = ("settings", "roles", "steps", "transitions")

# Older formats and how to bring them up to date: {format: function(dict) -> dict}.
# Each migration returns data in the next format; they chain until FORMAT.
MIGRATIONS: dict[str, Callable[[dict[str, Any]], dict[str, Any]]] = {}


class PathwayLoadError(Exception):
    """A pathway file that cannot be loaded; ``str()`` is the whole message for people."""

    def __init__(self, file: str, problem: str, line: int | None = None,
                 path: str | None = None) -> None:
        self.file, self.problem, self.line, self.path = file, problem, line, path
        where = file + (f", line {line}" if line else "")
        field = f" ({path})" if path else ""
        super().__init__(f"Cannot open {where}{field}: {problem}")


class PathwaySaveError(Exception):
    """A save that failed; the previous file on disk is untouched."""


# -------------------------------------------------------------------------- loading


def load_pathway(path: str | os.PathLike[str]) -> Pathway:
    """Read a pathway file. Raises :class:`PathwayLoadError` on any problem."""
    name = str(path)
    try:
        size = os.path.getsize(path)
        if size > MAX_BYTES:
            raise PathwayLoadError(name, f"the file is {size / 1e6:.0f} MB; pathway files "
                                         f"are limited to {MAX_BYTES // 1024 // 1024} MB")
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
    return loads_pathway(data, name)


@gc_paused()       # the parse makes no reference cycles: a third of the time (issue 16)
def loads_pathway(text: str | bytes, name: str = "<text>") -> Pathway:
    """Parse pathway text (YAML). Raises :class:`PathwayLoadError` on any problem."""
    if isinstance(text, bytes):
        if len(text) > MAX_BYTES:
            raise PathwayLoadError(name, "the text is larger than 50 MB")
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
    data = _migrate(data, name)
    steps = data.get("steps")
    if isinstance(steps, list) and len(steps) > MAX_STEPS:
        raise PathwayLoadError(name, f"the pathway has {len(steps):,} steps; the limit is "
                                     f"{MAX_STEPS:,}", path="steps")
    try:
        return Pathway.model_validate(data)
    except ValidationError as exc:
        raise _validation_error(exc, text, name, data) from None


def _describe(kind: str) -> str:
    return {"list": "a list", "str": "plain text", "int": "a number", "float": "a number",
            "nothing": "nothing", "bool": "a yes/no value"}.get(kind, kind)


def _parse_yaml(text: str, name: str) -> Any:
    try:
        return yaml.load(text, Loader=_Loader)  # noqa: S506 - a safe loader
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


def _migrate(data: dict[str, Any], name: str) -> dict[str, Any]:
    fmt = data.get("format")
    if fmt is None:
        raise PathwayLoadError(name, f"this is not a pathway file: it has no "
                                     f"'format: {FORMAT}' line", path="format")
    seen = set()
    while fmt != FORMAT:
        if fmt in seen or fmt not in MIGRATIONS:
            hint = did_you_mean(str(fmt), [FORMAT, *MIGRATIONS])
            newer = _is_newer(str(fmt))
            problem = (f"it is in format '{fmt}', made by a newer version of the designer; "
                       f"this version reads '{FORMAT}'" if newer else
                       f"unknown format '{fmt}'{hint}; this version reads '{FORMAT}'")
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
        return path, f"unknown field '{field}'{did_you_mean(field, allowed)}"
    if kind == "enum":
        expected = err.get("ctx", {}).get("expected", "")
        options = [o.strip().strip("'") for o in expected.replace(" or ", ",").split(",")]
        hint = did_you_mean(str(value), options)
        return path, f"'{value}' is not one of {expected}{hint}"
    if kind == "missing":
        return path, "this required field is missing"
    if msg.startswith("duplicate"):
        # the Pathway validator names the field path itself
        where = msg.rsplit(" at ", 1)
        return (where[1] if len(where) == 2 else path), where[0]
    if kind in ("float_parsing", "int_parsing", "float_type", "int_type"):
        return path, f"'{value}' is not a number"
    return path, msg


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
        node = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError:
        return None
    line = node.start_mark.line + 1 if node is not None else None
    for part in loc:
        if isinstance(node, yaml.MappingNode):
            for key, value in node.value:
                if key.value == part:
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


def _clean(value: Any) -> Any:
    if isinstance(value, dict):
        out = {}
        for k, v in value.items():
            v = _clean(v)
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
                yield yaml.dump({key: head[key]}, **_DUMP_OPTIONS)
            continue
        items = getattr(pathway, name)
        if not items:
            continue
        written.add(key)
        for start in range(0, len(items), _CHUNK):
            chunk = [_item_data(name, item) for item in items[start:start + _CHUNK]]
            text = yaml.dump({key: chunk}, **_DUMP_OPTIONS)
            # the key line comes once, before the first item
            yield text if start == 0 else text.split("\n", 1)[1]
    for key in _ALWAYS:
        if key not in written:
            yield yaml.dump({key: []}, **_DUMP_OPTIONS)


def save_pathway(pathway: Pathway, path: str | os.PathLike[str]) -> None:
    """Write ``pathway`` to ``path`` atomically (temporary file, then ``os.replace``)."""
    target = Path(path)
    try:
        text = dump_pathway(pathway)
    except Exception as exc:  # pragma: no cover - a bug, but never lose the old file
        raise PathwaySaveError(f"Could not prepare {target.name} for saving: {exc}") from exc
    write_text_atomic(target, text)


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
    old one's permissions (or gets the usual ones for a new file).

    Raises
    ------
    error
        (``PathwaySaveError`` unless the caller names its own) with a message for
        people when the file cannot be written. Anything else ``write`` raises is
        passed on, after the temporary file is removed.
    """
    target = Path(target)
    folder = target.parent if str(target.parent) else Path(".")
    if not folder.is_dir():
        raise error(f"Could not save {target}: the folder {folder} does not exist.")
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
