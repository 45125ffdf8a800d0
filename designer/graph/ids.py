"""Ids made from names: the slug rule, and when an id still follows its name.

A pathway's id and a step's id are short names used in files, links and export
file names (``ID_PATTERN`` in :mod:`designer.graph.elements`). The editor makes
them from the title or the step name; while an id is still what was made from
the name ("untouched"), a new name can carry the id along with it. An id the
person typed themselves is never changed for them.
"""

from __future__ import annotations

import re
import unicodedata

#: the id syntax of the file format (DESIGN.md): letters, digits, '-', '_' or '.',
#: starting with a letter or digit. Kept here, free of pydantic, so that naming an
#: export file does not load the model (``periop --help`` stays fast).
ID_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9_.-]*$"

#: the id of a pathway nobody has named yet (see designer.graph.blank)
DEFAULT_PATHWAY_ID = "new-pathway"
#: the start of the ids the editor gives new steps ("New step" -> "new-step-2")
NEW_STEP_PREFIX = "new-"
#: ids made from names are cut to about this many characters (at a word break)
SLUG_LIMIT = 48

_ID_RE = re.compile(ID_PATTERN)
_WORDS = (("+", " plus "), ("&", " and "), ("@", " at "))
_SUFFIX = re.compile(r"-(\d+)$")


def slugify(text: str, fallback: str = "step") -> str:
    """``text`` as an id: lower case ASCII words joined by '-'; ``fallback`` if none.

    "ERAS+ colorectal" -> "eras-plus-colorectal"; "Pré-op clinic" -> "pre-op-clinic".
    Always matches ``ID_PATTERN``.
    """
    for sign, word in _WORDS:
        text = text.replace(sign, word)
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    if len(slug) > SLUG_LIMIT:
        cut = slug[:SLUG_LIMIT + 1]
        slug = cut[:cut.rfind("-")] if "-" in cut else slug[:SLUG_LIMIT]
    slug = slug.strip("-")
    if not slug or not _ID_RE.match(slug):
        return fallback
    return slug


def follows_name(item_id: str, name: str, fallback: str = "step") -> bool:
    """True when ``item_id`` is what the editor would have made from ``name``:
    its slug, or its slug with a number added to keep it unique ("new-step-2")."""
    base = slugify(name, fallback)
    if item_id == base:
        return True
    match = _SUFFIX.search(item_id)
    return bool(match) and item_id[:match.start()] == base


_COPY = re.compile(r"\s*\(copy(?: (\d+))?\)$")


def copy_name(name: str, used: "set[str] | frozenset[str]") -> str:
    """``name`` for a pasted copy: unchanged when no other step has it, else
    "Name (copy)", "Name (copy 2)"... (a copy of a copy counts on, never nests).
    ``used`` holds the names in use, compared without regard to case."""
    taken = {n.casefold() for n in used}
    if name.casefold() not in taken:
        return name
    root = _COPY.sub("", name) or name
    candidate, n = f"{root} (copy)", 1
    while candidate.casefold() in taken:
        n += 1
        candidate = f"{root} (copy {n})"
    return candidate


def copy_id_base(item_id: str, existing: "set[str] | frozenset[str]") -> str:
    """The id a copy's id is made from: without the number added for uniqueness when
    the id it was added to is in ``existing`` (a copy of "prehab-2" beside "prehab"
    is "prehab-3", not "prehab-2-2"); "covid-19" alone stays "covid-19"."""
    stripped = _SUFFIX.sub("", item_id)
    return stripped if stripped and stripped in existing else item_id
