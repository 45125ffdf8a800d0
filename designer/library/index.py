"""The pathway library: built-in exemplars plus the user's own saved pathways.

A clinical network rarely starts from a blank page: it starts from a proven model
(ERAS+, a diabetes preassessment clinic, ...) and localises it. This module finds
those models, indexes them from their header fields only (so a folder of a hundred
pathways lists in a blink), searches them, and makes an untitled local copy that
remembers where it came from (``derived_from``).

Two folders are searched:

* the built-in exemplars, ``pathway_library/`` beside the ``designer`` package;
* the user's library, :func:`designer.paths.library_dir` (``$PERIOP_USER_LIBRARY``
  when set, else ``library`` in the designer's data folder).

A file that cannot be read is listed as a :class:`LibraryProblem`, never raised.
This module never imports Qt.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable

from designer import paths
from designer.graph.io import (
    PathwayLoadError,
    PathwaySaveError,
    load_pathway,
    read_header,
    save_pathway,
)
from designer.graph.model import Pathway
from designer.library.templates import TEMPLATE_VERSION, new_from_template  # noqa: F401

APP_NAME = paths.APP_ID   # kept for callers of the old name
BUILTIN = "built-in"
USER = "my library"


class LibraryError(Exception):
    """A library action that could not be done; the message is written for people."""


# --------------------------------------------------------------------------- folders


def builtin_folder() -> Path:
    """The folder of built-in exemplar pathways.

    An installed designer carries them inside the package (``designer/pathway_library``,
    mapped in by setup.py); a source checkout has ``pathway_library/`` beside the package.
    """
    from importlib.resources import files

    installed = Path(str(files("designer"))) / "pathway_library"
    if installed.is_dir():
        return installed
    return Path(str(files("designer"))).resolve().parent / "pathway_library"


def user_folder() -> Path:
    """The user's own library folder (see :func:`designer.paths.library_dir`)."""
    from designer import paths

    return paths.library_dir()


# --------------------------------------------------------------------------- entries


@dataclass(frozen=True)
class EvidenceItem:
    """One evidence line shown in the preview."""

    claim: str
    source: str
    weak: bool = False
    note: str | None = None


@dataclass(frozen=True)
class LibraryEntry:
    """One pathway in the library, described by its header only.

    Attributes
    ----------
    id, title, version, status, summary, population, organisation
        Header fields as written in the file (text).
    specialties, tags, rule_packs
        Header lists.
    evidence
        The evidence claims with their sources.
    path
        The file.
    origin
        ``"built-in"`` for shipped exemplars, ``"my library"`` for the user's own.
    """

    id: str
    title: str
    path: Path
    origin: str
    version: str = ""
    status: str = ""
    summary: str = ""
    population: str = ""
    organisation: str = ""
    specialties: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    rule_packs: tuple[str, ...] = ()
    evidence: tuple[EvidenceItem, ...] = ()
    derived_from: dict[str, str] | None = field(default=None, compare=False)

    @property
    def search_text(self) -> str:
        """Lower-case text searched by free-text queries."""
        return " ".join((self.id, self.title, self.summary, self.population,
                         self.organisation, *self.specialties, *self.tags)).lower()

    def matches(self, text: str | None = None, specialty: str | None = None,
                tag: str | None = None) -> bool:
        """True when every word of ``text`` occurs and specialty/tag (if given) match."""
        if specialty and specialty.casefold() not in {s.casefold() for s in self.specialties}:
            return False
        if tag and tag.casefold() not in {t.casefold() for t in self.tags}:
            return False
        if text:
            haystack = self.search_text
            return all(word in haystack for word in text.lower().split())
        return True


@dataclass(frozen=True)
class LibraryProblem:
    """A library file that could not be indexed, with a message for people."""

    path: Path
    message: str


def _text(value: Any) -> str:
    if value is None:
        return ""
    return " ".join(str(value).split()) if not isinstance(value, (list, dict)) else ""


def _words(value: Any) -> tuple[str, ...]:
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list):
        return ()
    return tuple(_text(v) for v in value if _text(v))


def _evidence(value: Any) -> tuple[EvidenceItem, ...]:
    items = []
    for raw in value if isinstance(value, list) else ():
        if isinstance(raw, dict) and raw.get("claim"):
            items.append(EvidenceItem(claim=_text(raw.get("claim")),
                                      source=_text(raw.get("source")),
                                      weak=bool(raw.get("weak", False)),
                                      note=_text(raw.get("note")) or None))
    return tuple(items)


def entry_from_header(header: dict[str, Any], path: Path, origin: str) -> LibraryEntry:
    """Build an entry from :func:`designer.graph.io.read_header` output.

    Raises
    ------
    LibraryError
        When the header has no usable id or title.
    """
    pid, title = _text(header.get("id")), _text(header.get("title"))
    if not pid:
        raise LibraryError("the pathway has no id")
    if not title:
        raise LibraryError("the pathway has no title")
    derived = header.get("derived_from")
    return LibraryEntry(
        id=pid, title=title, path=path, origin=origin,
        version=_text(header.get("version")), status=_text(header.get("status")),
        summary=_text(header.get("summary")), population=_text(header.get("population")),
        organisation=_text(header.get("organisation")),
        specialties=_words(header.get("specialties")), tags=_words(header.get("tags")),
        rule_packs=_words(header.get("rule_packs")),
        evidence=_evidence(header.get("evidence")),
        derived_from={k: _text(v) for k, v in derived.items()} if isinstance(derived, dict)
        else None,
    )


# --------------------------------------------------------------------------- library


class Library:
    """An index of pathway files in one or more folders.

    Parameters
    ----------
    folders
        ``(folder, origin)`` pairs; defaults to the built-in exemplars and the user's
        library. A missing folder is simply empty.
    """

    def __init__(self, folders: Iterable[tuple[Path, str]] | None = None) -> None:
        self.folders = list(folders) if folders is not None else [
            (builtin_folder(), BUILTIN), (user_folder(), USER)]
        self.entries: list[LibraryEntry] = []
        self.problems: list[LibraryProblem] = []
        # path -> (mtime_ns, size, entry or problem): unchanged files are not re-read
        self._cache: dict[Path, tuple[int, int, LibraryEntry | LibraryProblem]] = {}
        self.refresh()

    def refresh(self) -> None:
        """Re-scan the folders; files unchanged since the last scan are not re-read."""
        entries: list[LibraryEntry] = []
        problems: list[LibraryProblem] = []
        cache: dict[Path, tuple[int, int, LibraryEntry | LibraryProblem]] = {}
        for folder, origin in self.folders:
            for path in _pathway_files(folder):
                try:
                    stat = path.stat()
                except OSError as exc:
                    problems.append(LibraryProblem(path, f"{path.name}: cannot be read "
                                                         f"({exc.strerror or exc})"))
                    continue
                cached = self._cache.get(path)
                if cached and cached[:2] == (stat.st_mtime_ns, stat.st_size):
                    item = cached[2]
                else:
                    item = _index_file(path, origin)
                cache[path] = (stat.st_mtime_ns, stat.st_size, item)
                (entries if isinstance(item, LibraryEntry) else problems).append(item)
        entries.sort(key=lambda e: (e.origin != BUILTIN, e.title.casefold(), e.id))
        self.entries, self.problems, self._cache = entries, problems, cache

    # ------------------------------------------------------------------- queries

    def search(self, text: str | None = None, specialty: str | None = None,
               tag: str | None = None) -> list[LibraryEntry]:
        """Entries whose title, summary, population, tags... contain every word of ``text``.

        Entries with more of the words in their title come first; otherwise library
        order (built-in first, then by title).
        """
        found = [e for e in self.entries if e.matches(text, specialty, tag)]
        words = (text or "").lower().split()
        if words:
            found.sort(key=lambda e: -sum(w in e.title.lower() for w in words))
        return found

    def get(self, pathway_id: str) -> LibraryEntry | None:
        """The entry with this id (built-in exemplars first), or None."""
        return next((e for e in self.entries if e.id == pathway_id), None)

    def specialties(self) -> list[str]:
        """Every specialty named in the library, sorted."""
        return sorted({s for e in self.entries for s in e.specialties}, key=str.casefold)

    def tags(self) -> list[str]:
        """Every tag named in the library, sorted."""
        return sorted({t for e in self.entries for t in e.tags}, key=str.casefold)

    def ids(self) -> set[str]:
        return {e.id for e in self.entries}

    def load(self, entry: LibraryEntry | str) -> Pathway:
        """The whole pathway of an entry (or id).

        Raises
        ------
        LibraryError
            When there is no such entry or its file cannot be loaded.
        """
        if isinstance(entry, str):
            found = self.get(entry)
            if found is None:
                raise LibraryError(self.unknown_id_message(entry))
            entry = found
        try:
            return load_pathway(entry.path)
        except PathwayLoadError as exc:
            raise LibraryError(str(exc)) from None

    def unknown_id_message(self, pathway_id: str) -> str:
        """A message for an id that is not in the library, with near misses."""
        from difflib import get_close_matches

        close = get_close_matches(pathway_id, sorted(self.ids()), n=3, cutoff=0.5)
        hint = f" Did you mean {', '.join(close)}?" if close else ""
        return (f"There is no pathway '{pathway_id}' in the library.{hint} "
                "Run 'periop library list' to see them all.")

    def new_from_template(self, entry: LibraryEntry | str) -> Pathway:
        """An untitled local copy of a library pathway (see :func:`new_from_template`).

        The template is kept as the base of later updates (:mod:`designer.library.update`).
        """
        from designer.library.update import remember_base

        template = self.load(entry)
        remember_base(template)
        return new_from_template(template, taken=self.ids())


def _pathway_files(folder: Path) -> list[Path]:
    try:
        return sorted(p for p in folder.iterdir()
                      if p.suffix.lower() in (".yaml", ".yml") and not p.name.startswith("."))
    except (FileNotFoundError, NotADirectoryError):
        return []
    except OSError:
        return []


def _index_file(path: Path, origin: str) -> LibraryEntry | LibraryProblem:
    try:
        return entry_from_header(read_header(path), path, origin)
    except PathwayLoadError as exc:
        return LibraryProblem(path, str(exc))
    except LibraryError as exc:
        return LibraryProblem(path, f"{path.name}: {exc}")


def load_library() -> Library:
    """The library of built-in exemplars and the user's own pathways."""
    return Library()


# ------------------------------------------------------------------ save


def save_to_user_library(pathway: Pathway, overwrite: bool = False,
                         folder: Path | None = None) -> Path:
    """Save a copy of ``pathway`` into the user's library as ``<id>.yaml``.

    Raises
    ------
    LibraryError
        When a different file of that name exists (and ``overwrite`` is false), when
        the id belongs to a built-in exemplar, or when the file cannot be written.
    """
    target_folder = folder or user_folder()
    if folder is None and any(e.id == pathway.id for e in Library(
            [(builtin_folder(), BUILTIN)]).entries):
        raise LibraryError(
            f"'{pathway.id}' is the id of a built-in exemplar. Make a copy with "
            "'New from template' first, then save that copy to your library.")
    target = target_folder / f"{pathway.id}.yaml"
    if target.exists() and not overwrite:
        raise LibraryError(f"Your library already has a pathway '{pathway.id}' "
                           f"({target}). Replace it, or change the id first.")
    try:
        target_folder.mkdir(parents=True, exist_ok=True)
        save_pathway(pathway, target)
    except OSError as exc:
        raise LibraryError(f"Could not create your library folder {target_folder}: "
                           f"{exc.strerror or exc}") from None
    except PathwaySaveError as exc:
        raise LibraryError(str(exc)) from None
    return target
