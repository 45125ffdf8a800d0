"""The parsed-pathway cache: a pathway file's validated model kept as JSON.

Reading a large pathway is YAML-bound: libyaml builds hundreds of thousands of
Python objects before pydantic sees any of them. The same model read from JSON by
pydantic's own parser costs a fraction of that (figures in
docs/editor-performance.md), so after a file is read once its model is kept here
and the next read of the same bytes (re-opening it, loading it from the library)
skips the YAML.

What is kept, where, and for how long:

- **Key**: the SHA-256 of the file's bytes together with :data:`CACHE_FORMAT`, the
  pathway format, the designer's version and a digest of the source of the model
  modules (``designer/graph/*.py``), so a changed file, a new release or a changed
  model never reads an old entry.
- **Entry**: ``<key>.json`` in :func:`designer.paths.cache_dir` / ``pathways``: a
  line with the SHA-256 of the JSON, then the model dumped as JSON. An entry that
  is truncated, damaged or no longer valid is removed and the file read as YAML again;
  it is never reported to the user.
- **Pruning** (on each write, one folder listing): entries not used for
  :data:`MAX_AGE_SECONDS` go, then the least recently used (by modification time,
  which a read refreshes) until the folder holds at most :data:`MAX_TOTAL_BYTES`.
- Only files of at least :data:`MIN_BYTES` are kept: a small file reads from YAML
  in milliseconds and is not worth a write.
- Written when a file is read from YAML, and when a pathway is saved
  (:func:`store_saved`: the model saved, for the bytes written), so re-opening a
  file just saved skips its YAML too.
- A cache folder that cannot be created or written just means nothing is cached.

The cache is safe to delete at any time (:func:`clear`, or remove the folder).
Qt-free.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
import time
from pathlib import Path
from typing import Any, Iterator

from pydantic import TypeAdapter, ValidationError

from .gcpause import gc_paused
from .model import FORMAT, Pathway

CACHE_FORMAT = 1                       # bump when the entry layout changes
MIN_BYTES = 100_000                    # smaller files are read from YAML every time
MAX_TOTAL_BYTES = 64 * 1000 * 1000     # the whole cache folder
MAX_AGE_SECONDS = 30 * 24 * 3600       # an entry not used for 30 days goes
SUFFIX = ".json"

_FINGERPRINT: str | None = None


def cache_folder() -> Path:
    """The folder of parsed pathways (``pathways`` in the designer's cache folder)."""
    from designer import paths

    return paths.cache_dir() / "pathways"


def _code_fingerprint() -> str:
    """What a code change alters: the designer's version and its model sources."""
    global _FINGERPRINT
    if _FINGERPRINT is None:
        digest = hashlib.sha256(f"{CACHE_FORMAT}|{FORMAT}|{_version()}".encode())
        for source in _model_sources():
            try:
                digest.update(source.name.encode() + b"\0" + source.read_bytes())
            except OSError:
                digest.update(source.name.encode() + b"\0?")
        _FINGERPRINT = digest.hexdigest()
    return _FINGERPRINT


def _model_sources() -> list[Path]:
    """The source files whose change may change what a file parses to."""
    return sorted(Path(__file__).resolve().parent.glob("*.py"))


def _version() -> str:
    try:
        from importlib.metadata import PackageNotFoundError, version
    except ImportError:  # pragma: no cover - importlib.metadata is standard
        return "?"
    try:
        return version("periop-pathway-designer")
    except PackageNotFoundError:
        return "source"


def cache_key(data: bytes) -> str:
    """The key of a file's bytes (see the module's notes)."""
    digest = hashlib.sha256(_code_fingerprint().encode())
    digest.update(b"\0")
    digest.update(data)
    return digest.hexdigest()


def _entry(key: str, folder: Path | None) -> Path:
    return (folder or cache_folder()) / f"{key}{SUFFIX}"


# --------------------------------------------------------------------------- JSON


#: list items per serialiser call (see :func:`iter_pathway_json`)
_CHUNK = 50
_ADAPTERS: dict[str, Any] = {}


def pathway_json(pathway: Pathway) -> bytes:
    """The whole model as JSON (every field, by alias): what the cache and recovery keep."""
    return b"".join(iter_pathway_json(pathway))


def iter_pathway_json(pathway: Pathway) -> Iterator[bytes]:
    """:func:`pathway_json` in pieces: the header fields, then the lists a few items at
    a time (the JSON of ``model_dump_json(by_alias=True)``, its lists last).

    One ``model_dump_json`` of a 10,000-step pathway holds the interpreter lock for
    ~70 ms, and the writer thread does this during a save or a recovery copy: the
    window would miss its paints meanwhile. Short calls let it in between.
    """
    fields = type(pathway).model_fields
    lists = [name for name in fields if isinstance(getattr(pathway, name), list)]
    head = pathway.model_dump_json(by_alias=True, exclude=set(lists)).encode("utf-8")
    yield head[:-1]
    comma = b"," if head != b"{}" else b""
    for name in lists:
        info = fields[name]
        key = info.serialization_alias or info.alias or name
        adapter = _ADAPTERS.get(name)
        if adapter is None:
            adapter = _ADAPTERS[name] = TypeAdapter(info.annotation)
        items = getattr(pathway, name)
        yield comma + json.dumps(key).encode("utf-8") + b":["
        comma = b","
        for start in range(0, len(items), _CHUNK):
            chunk = adapter.dump_json(items[start:start + _CHUNK], by_alias=True)
            yield (b"," if start else b"") + chunk[1:-1]
        yield b"]"
    yield b"}"


@gc_paused()
def pathway_from_json(data: bytes | str) -> Pathway:
    """A pathway from :func:`pathway_json` output; raises ``ValidationError`` if damaged."""
    return Pathway.model_validate_json(data)


# -------------------------------------------------------------------------- reading


def cached_pathway(data: bytes, *, folder: Path | None = None) -> Pathway | None:
    """The pathway kept for a file's bytes ``data``, or None (not kept, or damaged).

    A damaged entry is removed, so the caller's next :func:`store_pathway` rebuilds it.
    """
    if len(data) < MIN_BYTES:
        return None
    entry = _entry(cache_key(data), folder)
    try:
        raw = entry.read_bytes()
    except OSError:
        return None
    head, _, body = raw.partition(b"\n")
    try:
        if hashlib.sha256(body).hexdigest().encode() != head:
            raise ValueError("checksum")
        pathway = pathway_from_json(body)
    except (ValueError, ValidationError, RecursionError, MemoryError):
        _unlink(entry)
        return None
    try:
        os.utime(entry)   # used now: pruning keeps the recently used
    except OSError:
        pass
    return pathway


# -------------------------------------------------------------------------- writing


def store_pathway(data: bytes, pathway: Pathway, *, folder: Path | None = None
                  ) -> Path | None:
    """Keep ``pathway`` as the parse of the file bytes ``data``; prune; returns the entry.

    Returns None when nothing was kept (a small file, or a folder that cannot be
    written). Never raises for a problem with the cache folder.
    """
    if len(data) < MIN_BYTES:
        return None
    folder = folder or cache_folder()
    entry = _entry(cache_key(data), folder)
    body = pathway_json(pathway)
    tmp = None
    try:
        folder.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=".", suffix=".tmp", dir=folder)
        with os.fdopen(fd, "wb") as fh:
            fh.write(hashlib.sha256(body).hexdigest().encode() + b"\n")
            fh.write(body)
        os.replace(tmp, entry)
        tmp = None
    except OSError:
        return None
    finally:
        if tmp is not None:
            _unlink(Path(tmp))
    prune(folder, keep=entry)
    return entry


def store_saved(text: str, pathway: Pathway, *, folder: Path | None = None) -> Path | None:
    """After a save of ``pathway`` as ``text`` (UTF-8): keep it as that file's parse.

    Opening a file just saved then skips its YAML. The model is in memory already, so
    this costs a JSON dump and a write, no parse: a saved file loads back equal to the
    model saved (the round trip tests/graph/test_io.py checks). Never raises: the save
    has happened, and a cache that cannot be written only means nothing is kept.
    """
    try:
        return store_pathway(text.encode("utf-8"), pathway, folder=folder)
    except Exception:  # noqa: BLE001 - never turn a good save into a failed one
        return None


def prune(folder: Path | None = None, *, max_bytes: int = MAX_TOTAL_BYTES,
          max_age: float = MAX_AGE_SECONDS, now: float | None = None,
          keep: Path | None = None) -> int:
    """Remove old entries, then the least recently used beyond ``max_bytes``; returns
    how many went. ``keep`` (the entry just written) stays whatever its size.

    Temporary files older than an hour (a write that was interrupted) go too.
    """
    folder = folder or cache_folder()
    now = time.time() if now is None else now
    entries: list[tuple[float, int, Path]] = []
    removed = 0
    try:
        with os.scandir(folder) as listing:
            for item in listing:
                try:
                    info = item.stat(follow_symlinks=False)
                except OSError:
                    continue
                path = Path(item.path)
                if item.name.endswith(".tmp"):
                    if now - info.st_mtime > 3600 and _unlink(path):
                        removed += 1
                    continue
                if not item.name.endswith(SUFFIX) or not item.is_file(follow_symlinks=False):
                    continue
                entries.append((info.st_mtime, info.st_size, path))
    except OSError:
        return removed
    entries.sort(key=lambda e: e[0], reverse=True)     # newest first
    total = 0
    for mtime, size, path in entries:
        if keep is not None and path == keep:
            total += size
            continue
        if now - mtime > max_age or total + size > max_bytes:
            if _unlink(path):
                removed += 1
            continue
        total += size
    return removed


def clear(folder: Path | None = None) -> int:
    """Remove every entry (and stray temporary file); returns how many files went."""
    folder = folder or cache_folder()
    removed = 0
    try:
        names = os.listdir(folder)
    except OSError:
        return 0
    for name in names:
        if (name.endswith(SUFFIX) or name.endswith(".tmp")) and _unlink(folder / name):
            removed += 1
    return removed


def _unlink(path: Path) -> bool:
    try:
        path.unlink()
        return True
    except OSError:
        return False
