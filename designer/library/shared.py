"""Shared libraries: several labelled sources, sync-conflict copies and git remotes.

Clinical networks share pathways between the trusts of an ICS. What they have
is usually a Teams/SharePoint folder synced to each desktop by OneDrive, and
sometimes a git repository. The library (:mod:`designer.library`) reads, besides
the built-in exemplars and the user's folder, any number of such sources, each
entry labelled with where it came from:

* a shared folder is read where it is;
* a git remote is cloned (or pulled) with ``dulwich`` (no git installation
  needed) into the user's cache folder, never into a synced folder: OneDrive
  and friends corrupt ``.git`` folders, so that is refused with a message.

The list of sources lives in ``library-sources.json`` in the user's config
folder (``$PERIOP_LIBRARY_SOURCES`` names another file).

Sync services keep both versions when two people save at once: OneDrive
writes ``name-COMPUTER.yaml``, others ``name (1).yaml`` or "conflicted copy".
:func:`find_conflict_copies` finds them (two files in one folder holding the
same pathway id) so the user can compare them.

Qt-free.
"""

from __future__ import annotations

import json
import os
import re
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Iterable

from designer.library.index import (
    BUILTIN, USER, Library, LibraryEntry, LibraryError, builtin_folder, user_folder,
)
from designer.paths import APP_ID, config_dir

SOURCES_ENV = "PERIOP_LIBRARY_SOURCES"
GIT_CACHE_ENV = "PERIOP_GIT_CACHE"
FOLDER, GIT = "folder", "git"
# folder names that sync services use (compared case-insensitively, by prefix)
SYNC_SERVICES = (("onedrive", "OneDrive"), ("sharepoint", "SharePoint"),
                 ("dropbox", "Dropbox"), ("google drive", "Google Drive"),
                 ("googledrive", "Google Drive"), ("my drive", "Google Drive"),
                 ("icloud drive", "iCloud Drive"), ("icloud~", "iCloud Drive"),
                 ("box sync", "Box"))
_SYNC_ENV = ("OneDrive", "OneDriveCommercial", "OneDriveConsumer")


@dataclass(frozen=True)
class Source:
    """A library source: a shared folder or a git remote, with the label users see."""

    kind: str          # "folder" or "git"
    location: str      # the folder, or the git URL (a local bare repository works too)
    label: str


# ------------------------------------------------------------------- the list


def sources_file() -> Path:
    override = os.environ.get(SOURCES_ENV)
    if override:
        return Path(override)
    return config_dir() / "library-sources.json"


def load_sources(path: Path | None = None) -> list[Source]:
    """The configured sources; an unreadable file gives :class:`LibraryError`."""
    path = path or sources_file()
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return []
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise LibraryError(f"The list of library sources {path} cannot be read ({exc}); "
                           "fix or delete it.") from None
    sources = []
    for item in raw.get("sources", []) if isinstance(raw, dict) else []:
        if isinstance(item, dict) and item.get("kind") in (FOLDER, GIT) \
                and isinstance(item.get("location"), str) and isinstance(item.get("label"), str):
            sources.append(Source(item["kind"], item["location"], item["label"]))
    return sources


def save_sources(sources: Iterable[Source], path: Path | None = None) -> None:
    from designer.graph.io import write_text_atomic

    path = path or sources_file()
    path.parent.mkdir(parents=True, exist_ok=True)
    write_text_atomic(path, json.dumps({"sources": [asdict(s) for s in sources]}, indent=2)
                      + "\n")


def add_source(kind: str, location: str, label: str | None = None,
               path: Path | None = None) -> Source:
    """Add a shared folder or a git remote to the list (labels are unique)."""
    if kind not in (FOLDER, GIT):
        raise LibraryError(f"unknown kind of source '{kind}' (use folder or git)")
    sources = load_sources(path)
    if kind == FOLDER:
        folder = Path(location).expanduser()
        if not folder.is_dir():
            raise LibraryError(f"There is no folder {folder}.")
        location = str(folder.resolve())
    label = (label or (Path(location).name if kind == FOLDER
                       else location.rstrip("/").rsplit("/", 1)[-1].removesuffix(".git"))
             ).strip() or kind
    same = next((s for s in sources if (s.kind, s.location) == (kind, location)), None)
    if same is not None:
        raise LibraryError(f"{location} is already a library source ('{same.label}').")
    if label in (BUILTIN, USER) or any(s.label == label for s in sources):
        raise LibraryError(f"There is already a library source called '{label}'; "
                           "choose another label.")
    source = Source(kind, location, label)
    save_sources([*sources, source], path)
    return source


def remove_source(label: str, path: Path | None = None) -> None:
    sources = load_sources(path)
    if not any(s.label == label for s in sources):
        raise LibraryError(f"There is no library source called '{label}'.")
    save_sources([s for s in sources if s.label != label], path)


# --------------------------------------------------------------- sync and git


def synced_service(path: Path) -> str | None:
    """The sync service whose folder holds ``path`` (OneDrive, Dropbox, ...), or None."""
    resolved = Path(os.path.abspath(path))
    for name in _SYNC_ENV:
        root = os.environ.get(name)
        if root:
            try:
                resolved.relative_to(Path(os.path.abspath(root)))
                return "OneDrive"
            except ValueError:
                pass
    for part in resolved.parts:
        low = part.casefold()
        for prefix, service in SYNC_SERVICES:
            if low == prefix or low.startswith(prefix + " ") or low.startswith(prefix + "-") \
                    or (prefix.endswith("~") and low.startswith(prefix)):
                return service
    return None


def git_cache_root() -> Path:
    override = os.environ.get(GIT_CACHE_ENV)
    if override:
        return Path(override)
    import platformdirs

    return Path(platformdirs.user_cache_dir(APP_ID, appauthor=False)) / "git"


def _slug(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9_.-]+", "-", text).strip("-.") or "library"


def git_checkout(source: Source, cache_root: Path | None = None) -> Path:
    return (cache_root or git_cache_root()) / _slug(source.label)


def sync_git(source: Source, cache_root: Path | None = None) -> Path:
    """Clone the remote (first time) or pull it; returns the working copy.

    Raises
    ------
    LibraryError
        When the working copy would sit in a synced folder, or the remote cannot be
        reached or read.
    """
    from dulwich import porcelain
    from dulwich.errors import GitProtocolError, HangupException, NotGitRepository

    target = git_checkout(source, cache_root)
    service = synced_service(target)
    if service:
        raise LibraryError(
            f"The git library '{source.label}' would be kept in {target}, inside a folder "
            f"synced by {service}. Never put a git working copy in a synced folder: "
            f"{service} corrupts the .git folder. Set {GIT_CACHE_ENV} to a local folder.")
    sink = open(os.devnull, "wb")
    try:
        if (target / ".git").exists():
            porcelain.pull(str(target), source.location, outstream=sink, errstream=sink)
        else:
            target.parent.mkdir(parents=True, exist_ok=True)
            porcelain.clone(source.location, str(target), checkout=True, errstream=sink)
    except (OSError, GitProtocolError, HangupException, NotGitRepository, KeyError,
            ValueError) as exc:
        raise LibraryError(f"The git library '{source.label}' ({source.location}) could not "
                           f"be fetched: {exc or type(exc).__name__}") from None
    except Exception as exc:  # dulwich raises many kinds; still one message
        raise LibraryError(f"The git library '{source.label}' ({source.location}) could not "
                           f"be fetched: {type(exc).__name__}: {exc}") from None
    finally:
        sink.close()
    return target


def check_shared_folder(folder: Path) -> None:
    """Refuse a shared folder that holds a git working copy inside a synced folder."""
    service = synced_service(folder)
    if service and any((p / ".git").exists() for p in (folder, *folder.parents)):
        raise LibraryError(
            f"{folder} is a git working copy inside a folder synced by {service}. "
            f"{service} corrupts .git folders: add the git remote as a git source "
            "instead, or move the working copy out of the synced folder.")


# ------------------------------------------------------------------ the library


def shared_library(sources: Iterable[Source] | None = None, sync: bool = False,
                   cache_root: Path | None = None) -> tuple[Library, list[str]]:
    """The built-in exemplars, the user's folder and every source, each labelled.

    With ``sync``, git sources are pulled first. Returns the library and the
    problems met with the sources (a missing folder, an unreachable remote).
    """
    problems: list[str] = []
    folders: list[tuple[Path, str]] = [(builtin_folder(), BUILTIN), (user_folder(), USER)]
    for source in sources if sources is not None else load_sources():
        if source.kind == FOLDER:
            folder = Path(source.location)
            if not folder.is_dir():
                problems.append(f"The shared folder '{source.label}' ({folder}) is not there.")
                continue
            try:
                check_shared_folder(folder)
            except LibraryError as exc:
                problems.append(str(exc))
                continue
            folders.append((folder, source.label))
        else:
            checkout = git_checkout(source, cache_root)
            if sync or not checkout.exists():
                try:
                    sync_git(source, cache_root)
                except LibraryError as exc:
                    problems.append(str(exc))
            if checkout.is_dir():
                folders.append((checkout, source.label))
    return Library(folders), problems


# -------------------------------------------------------------- conflict copies


@dataclass(frozen=True)
class ConflictCopy:
    """Two files in one folder holding the same pathway: a sync service kept both."""

    original: LibraryEntry
    copy: LibraryEntry

    def describe(self) -> str:
        return (f"{self.copy.path.name} holds the same pathway ('{self.original.id}') as "
                f"{self.original.path.name}: a copy kept by a sync service when two people "
                "saved at once. Compare them, keep the right one and delete the other.")


_COPY_NAME = re.compile(r"^(?P<stem>.+?)(?:-[A-Za-z0-9][A-Za-z0-9_-]*| \(.*\)|"
                        r" - Copy(?: \(\d+\))?)$")


def find_conflict_copies(library: Library) -> list[ConflictCopy]:
    """Pairs of files in one folder holding the same pathway id."""
    groups: dict[tuple[Path, str], list[LibraryEntry]] = {}
    for entry in library.entries:
        groups.setdefault((entry.path.parent, entry.id), []).append(entry)
    found = []
    for (_folder, pathway_id), entries in groups.items():
        if len(entries) < 2:
            continue
        original = min(entries, key=lambda e: (e.path.stem != pathway_id,
                                                bool(_COPY_NAME.match(e.path.stem))
                                                and e.path.stem != pathway_id,
                                                len(e.path.name), e.path.name))
        found += [ConflictCopy(original, e) for e in entries if e is not original]
    return found


def compare_conflict(conflict: ConflictCopy):
    """The clinical differences from the original to the copy."""
    from designer.graph.diff import diff_pathways
    from designer.graph.io import load_pathway

    return diff_pathways(load_pathway(conflict.original.path), load_pathway(conflict.copy.path))


def library_for_browsing() -> tuple[Library, list[str]]:
    """The library with every configured source (no git pull); never raises."""
    try:
        return shared_library()
    except LibraryError as exc:
        return Library(), [str(exc)]
