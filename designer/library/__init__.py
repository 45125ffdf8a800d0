"""The pathway library (Qt-free): built-in exemplars plus the user's own pathways.

- :mod:`~designer.library.index`: the two folders, the index of headers, search, saving
  to the user's library;
- :mod:`~designer.library.templates`: new from template (an untitled local copy);
- :mod:`~designer.library.exemplar`: the exemplar a pathway was made from.
"""

from designer.library.index import (
    APP_NAME, BUILTIN, USER, EvidenceItem, Library, LibraryEntry, LibraryError,
    LibraryProblem, builtin_folder, entry_from_header, load_library, save_to_user_library,
    user_folder,
)
from designer.library.templates import TEMPLATE_VERSION, new_from_template

__all__ = [
    "APP_NAME", "BUILTIN", "USER", "EvidenceItem", "Library", "LibraryEntry", "LibraryError",
    "LibraryProblem", "builtin_folder", "entry_from_header", "load_library",
    "save_to_user_library", "user_folder", "TEMPLATE_VERSION", "new_from_template",
]
