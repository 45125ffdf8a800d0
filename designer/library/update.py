"""National to local: bring a newer version of a source pathway into a local variant.

A local variant keeps ``derived_from`` {id, version}. When the library holds a
newer version of that source, :func:`update_for` says so. The update is a
three-way merge (:func:`three_way_merge`): the base is the version the variant
was derived from, "theirs" the new source, "ours" the local variant. What only
the source changed comes in, what only the variant changed stays, and where
both changed the same thing differently a :class:`MergeConflict` is raised to a
chooser (the editor asks the user; the default keeps the local choice).

The base is found, in order: among the library's files (any source holding that
id at that version), in the snapshots kept when a variant is made
(:func:`remember_base`), in the history of a git source. Without a base every
difference counts as a change on both sides and is asked about.

Qt-free.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterable

from typing import TYPE_CHECKING

from designer.graph.model import Pathway
from designer.paths import data_dir

if TYPE_CHECKING:    # designer.library.index imports this module
    from designer.library.index import Library, LibraryEntry

BASES_ENV = "PERIOP_BASES"
OURS, THEIRS = "ours", "theirs"
# collections merged item by item: name -> key of an item (from its plain data)
_COLLECTIONS: dict[str, Callable[[dict[str, Any]], str]] = {
    "settings": lambda d: d["id"],
    "roles": lambda d: d["id"],
    "steps": lambda d: d["id"],
    "transitions": lambda d: f"{d['source']}->{d['target']}",
    "evidence": lambda d: d["claim"],
    "waivers": lambda d: f"{d['rule']}@{d.get('target') or ''}",
}
# header fields merged three ways; the rest of the header is the variant's own
_HEADER = ("title", "summary", "population", "specialties", "tags", "rule_packs")


def version_key(version: str) -> tuple:
    """A sort key for versions: numbers compare as numbers ("1.10.0" > "1.9.2")."""
    parts = re.split(r"[.\-+]", version or "")
    return tuple((0, int(p), "") if p.isdigit() else (1, 0, p) for p in parts)


def is_newer(candidate: str, than: str) -> bool:
    return version_key(candidate) > version_key(than)


@dataclass(frozen=True)
class Update:
    """A newer version of the source a local variant was derived from."""

    source: LibraryEntry
    from_version: str

    @property
    def to_version(self) -> str:
        return self.source.version

    def describe(self) -> str:
        return (f"'{self.source.title}' ({self.source.origin}) has a newer version: "
                f"{self.from_version} -> {self.to_version}.")


def update_for(pathway: Pathway, library: Library) -> Update | None:
    """The newest library version of ``pathway``'s source, when newer than its base."""
    derived = pathway.derived_from
    if derived is None:
        return None
    candidates = [e for e in library.entries if e.id == derived.id and e.id != pathway.id]
    if not candidates:
        return None
    newest = max(candidates, key=lambda e: version_key(e.version))
    return Update(newest, derived.version) if is_newer(newest.version, derived.version) \
        else None


# ------------------------------------------------------------------------ bases


def bases_folder() -> Path:
    override = os.environ.get(BASES_ENV)
    if override:
        return Path(override)
    return data_dir() / "bases"


def _base_file(pathway_id: str, version: str, folder: Path | None = None) -> Path:
    safe = re.sub(r"[^A-Za-z0-9_.-]+", "-", f"{pathway_id}@{version}")
    return (folder or bases_folder()) / f"{safe}.yaml"


def remember_base(template: Pathway, folder: Path | None = None) -> Path | None:
    """Keep a copy of the version a variant is made from (best effort; None on failure)."""
    from designer.graph.io import PathwaySaveError, save_pathway

    target = _base_file(template.id, template.version, folder)
    try:
        if not target.exists():
            target.parent.mkdir(parents=True, exist_ok=True)
            save_pathway(template, target)
        return target
    except (OSError, PathwaySaveError):
        return None


def find_base(pathway_id: str, version: str, library: Library,
              git_folders: Iterable[Path] = (), folder: Path | None = None
              ) -> Pathway | None:
    """The source pathway at ``version``, from the library, the snapshots or git history."""
    from designer.graph.io import PathwayLoadError, load_pathway

    for entry in library.entries:
        if entry.id == pathway_id and entry.version == version:
            try:
                return load_pathway(entry.path)
            except PathwayLoadError:
                pass
    snapshot = _base_file(pathway_id, version, folder)
    if snapshot.exists():
        try:
            return load_pathway(snapshot)
        except PathwayLoadError:
            pass
    for repo_folder in git_folders:
        found = _from_git_history(Path(repo_folder), pathway_id, version)
        if found is not None:
            return found
    return None


def _from_git_history(repo_folder: Path, pathway_id: str, version: str) -> Pathway | None:
    """Walk the repository's history for a YAML file holding that id at that version."""
    import yaml
    from dulwich.objects import Blob, Tree
    from dulwich.repo import Repo

    from designer.graph.io import PathwayLoadError, loads_pathway

    try:
        repo = Repo(str(repo_folder))
    except Exception:  # noqa: BLE001 - not a repository: nothing to find
        return None
    try:
        seen: set[bytes] = set()
        for walk in repo.get_walker(max_entries=500):
            tree = repo[walk.commit.tree]
            stack = [tree]
            while stack:
                current = stack.pop()
                if not isinstance(current, Tree):
                    continue
                for item in current.items():
                    obj_id = item.sha
                    if obj_id in seen:
                        continue
                    seen.add(obj_id)
                    name = item.path.decode("utf-8", "replace")
                    obj = repo[obj_id]
                    if isinstance(obj, Tree):
                        stack.append(obj)
                    elif isinstance(obj, Blob) and name.endswith((".yaml", ".yml")):
                        data = obj.data
                        try:
                            head = yaml.safe_load(data) if len(data) < 5_000_000 else None
                        except yaml.YAMLError:
                            continue
                        if isinstance(head, dict) and head.get("id") == pathway_id \
                                and str(head.get("version")) == version:
                            try:
                                return loads_pathway(data, name)
                            except PathwayLoadError:
                                continue
    except Exception:  # noqa: BLE001 - a damaged repository: no base from it
        return None
    finally:
        repo.close()
    return None


# ------------------------------------------------------------------------ merge


@dataclass
class MergeConflict:
    """Both the source and the variant changed one thing, differently."""

    area: str                # "step", "transition", "setting", "role", ..., "header"
    key: str                 # the item's id or "FROM->TO" ("" for the header)
    field: str               # the field ("" for the whole item)
    base: Any
    ours: Any
    theirs: Any
    resolution: str = OURS

    def describe(self) -> str:
        what = f"{self.area} {self.key}".strip() + (f", {self.field}" if self.field else "")
        if self.ours is None:
            return f"{what}: removed here, changed in the source"
        if self.theirs is None:
            return f"{what}: changed here, removed in the source"
        return f"{what}: here {_short(self.ours)!s}; in the source {_short(self.theirs)!s}"


def _short(value: Any) -> str:
    text = str(value)
    return text if len(text) <= 80 else text[:77] + "..."


@dataclass
class MergeResult:
    merged: Pathway
    conflicts: list[MergeConflict] = field(default_factory=list)
    taken: list[str] = field(default_factory=list)      # what came in from the source


Chooser = Callable[[MergeConflict], str]


def three_way_merge(base: Pathway | None, ours: Pathway, theirs: Pathway,
                    choose: Chooser | None = None) -> MergeResult:
    """Merge the source's changes (base -> theirs) into the variant (``ours``).

    ``choose(conflict)`` returns ``"ours"`` or ``"theirs"`` where both changed one
    thing differently (default: ours). Without a ``base``, every difference is a
    conflict. The variant keeps its own id, version, status, organisation and
    workshop data; ``derived_from`` moves to the source's new version.
    """
    choose = choose or (lambda conflict: OURS)
    b = base.model_dump(mode="json") if base is not None else None
    o, t = ours.model_dump(mode="json"), theirs.model_dump(mode="json")
    result = MergeResult(ours)
    merged = dict(o)
    for name in _HEADER:
        merged[name] = _merge_value(result, choose, "header", "", name,
                                    b.get(name) if b else _NO_BASE, o.get(name), t.get(name))
    for name, key in _COLLECTIONS.items():
        merged[name] = _merge_list(result, choose, name, key,
                                   b.get(name, []) if b else None, o.get(name, []),
                                   t.get(name, []))
    merged["derived_from"] = {"id": theirs.id, "version": theirs.version}
    data = {k: v for k, v in merged.items() if v is not None}
    result.merged = Pathway.model_validate(data)
    return result


_NO_BASE = object()
_AREA = {"settings": "setting", "roles": "role", "steps": "step", "transitions": "transition",
         "evidence": "evidence", "waivers": "waiver"}


def _merge_value(result: MergeResult, choose: Chooser, area: str, key: str, name: str,
                 base: Any, ours: Any, theirs: Any) -> Any:
    if ours == theirs:
        return ours
    if base is not _NO_BASE and ours == base:
        result.taken.append(f"{area} {key} {name}".replace("  ", " ").strip())
        return theirs
    if base is not _NO_BASE and theirs == base:
        return ours
    if isinstance(ours, dict) and isinstance(theirs, dict) and (
            base is _NO_BASE or isinstance(base, dict) or base is None):
        inner_base = base if isinstance(base, dict) else ({} if base is None else _NO_BASE)
        out = {}
        for k in dict.fromkeys([*ours, *theirs]):
            b = inner_base.get(k) if isinstance(inner_base, dict) else _NO_BASE
            out[k] = _merge_value(result, choose, area, key, f"{name}.{k}", b, ours.get(k),
                                  theirs.get(k))
        return out
    conflict = MergeConflict(area, key, name, None if base is _NO_BASE else base, ours, theirs)
    conflict.resolution = THEIRS if choose(conflict) == THEIRS else OURS
    result.conflicts.append(conflict)
    return theirs if conflict.resolution == THEIRS else ours


def _merge_list(result: MergeResult, choose: Chooser, name: str,
                key: Callable[[dict[str, Any]], str], base: list | None, ours: list,
                theirs: list) -> list:
    area = _AREA[name]
    b = {key(x): x for x in base} if base is not None else None
    o = {key(x): x for x in ours}
    t = {key(x): x for x in theirs}
    out: dict[str, Any] = {}
    for k, item in o.items():
        if k in t:
            base_item = b.get(k) if b is not None else _NO_BASE
            out[k] = _merge_item(result, choose, area, k, base_item, item, t[k])
        elif b is not None and k in b:              # removed in the source
            if item == b[k]:
                result.taken.append(f"{area} {k} removed")
                continue
            if _ask(result, choose, area, k, b[k], item, None) == OURS:
                out[k] = item
        else:
            out[k] = item                           # added here (or no base: kept)
    previous: str | None = None
    for k, item in t.items():
        if k in o:
            previous = k
            continue
        if b is not None and k in b:                # removed here
            if item == b[k]:
                continue
            if _ask(result, choose, area, k, b[k], None, item) == OURS:
                continue
        elif b is None:                             # no base: added there or removed here?
            if _ask(result, choose, area, k, None, None, item) == OURS:
                continue
        else:
            result.taken.append(f"{area} {k} added")
        out = _insert_after(out, previous, k, item)
        previous = k
    return list(out.values())


def _merge_item(result: MergeResult, choose: Chooser, area: str, k: str, base: Any,
                ours: dict, theirs: dict) -> dict:
    if ours == theirs:
        return ours
    merged = {}
    for f in dict.fromkeys([*ours, *theirs]):
        b = base.get(f) if isinstance(base, dict) else (_NO_BASE if base is _NO_BASE
                                                          else None)
        merged[f] = _merge_value(result, choose, area, k, f, b, ours.get(f), theirs.get(f))
    return merged


def _ask(result: MergeResult, choose: Chooser, area: str, k: str, base: Any, ours: Any,
         theirs: Any) -> str:
    conflict = MergeConflict(area, k, "", base, ours, theirs)
    conflict.resolution = THEIRS if choose(conflict) == THEIRS else OURS
    result.conflicts.append(conflict)
    return conflict.resolution


def _insert_after(items: dict[str, Any], after: str | None, key: str, value: Any
                  ) -> dict[str, Any]:
    out: dict[str, Any] = {}
    if after is None:
        out[key] = value
    for k, v in items.items():
        out[k] = v
        if k == after:
            out[key] = value
    if key not in out:
        out[key] = value
    return out


def newer_source_version(entry: LibraryEntry, library: Library) -> str | None:
    """For a library entry that is a local variant: the newer version of its source, if any."""
    derived = entry.derived_from or {}
    source_id, version = derived.get("id"), derived.get("version")
    if not source_id or not version:
        return None
    versions = [e.version for e in library.entries if e.id == source_id and e.id != entry.id]
    newest = max(versions, key=version_key, default=None)
    return newest if newest is not None and is_newer(newest, version) else None
